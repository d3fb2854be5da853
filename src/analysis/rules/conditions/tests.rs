//! Specifications of the condition rules: a statement, the findings it must produce (code,
//! severity, the exact text flagged, message, fixes), and the nearest valid statement, which
//! must produce none; every fix applied must leave valid JSON without the finding.

use expect_test::{Expect, expect};

use crate::analysis::{Code, Finding, Options, analyze};

const CODES: [Code; 11] = [
    Code::ConditionKeyNotApplicable,
    Code::ConditionValueType,
    Code::ForAllValuesSingleValued,
    Code::WildcardWithoutLike,
    Code::InvalidPolicyVariable,
    Code::PrivateSourceIp,
    Code::DeprecatedConditionKey,
    Code::NullWithSetOperator,
    Code::MultipleBoolValues,
    Code::InvalidVpcId,
    Code::IpHostBits,
];

/// An identity policy with one statement.
fn statement(effect: &str, action: &str, resource: &str, condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "Action": {action}, "Resource": {resource}, "Condition": {condition}}}]}}"#
    )
}

fn allow(action: &str, condition: &str) -> String {
    statement("Allow", action, r#""*""#, condition)
}

fn findings(text: &str) -> Vec<Finding> {
    analyze(text, &Options::default())
        .findings
        .into_iter()
        .filter(|f| CODES.contains(&f.code))
        .collect()
}

fn render(text: &str) -> String {
    let mut out = String::new();
    for f in findings(text) {
        let fixes: Vec<&str> = f.fixes.iter().map(|x| x.title.as_str()).collect();
        out.push_str(&format!(
            "{} {} {:?}: {}{}\n",
            f.code.as_str(),
            f.severity.as_str(),
            &text[f.range.as_usize()],
            f.message,
            if fixes.is_empty() {
                String::new()
            } else {
                format!(" [fixes: {}]", fixes.join(" | "))
            }
        ));
    }
    out
}

/// `bad` gets exactly `expected`; `good`, the nearest valid text, gets nothing; each fix of
/// `bad` gives valid JSON with no finding left where it was.
fn spec(bad: &str, expected: Expect, good: &str) {
    expected.assert_eq(&render(bad));
    assert_eq!(render(good), "", "the valid snippet: {good}");
    for finding in findings(bad) {
        for fix in &finding.fixes {
            let out = fix.apply(bad);
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{}: not JSON: {out}",
                fix.title
            );
            let left: Vec<Finding> = findings(&out)
                .into_iter()
                .filter(|f| f.code == finding.code && f.range.start == finding.range.start)
                .collect();
            assert!(left.is_empty(), "{} left {left:?} in {out}", fix.title);
        }
    }
}

#[test]
fn a_key_no_action_of_the_statement_supports() {
    spec(
        &allow(
            r#"["ec2:RunInstances", "ec2:StartInstances"]"#,
            r#"{"StringLike": {"s3:prefix": "home/"}}"#,
        ),
        expect![[r#"
            condition-key-not-applicable warning "\"s3:prefix\"": condition key "s3:prefix": none of the statement's actions (ec2:RunInstances, ec2:StartInstances) supports it (Service Authorization Reference); the key is absent from their requests, so the condition is never true and the statement grants nothing
        "#]],
        &allow(
            r#"["s3:ListBucket", "ec2:RunInstances"]"#,
            r#"{"StringLike": {"s3:prefix": "home/"}}"#,
        ),
    );
    // Deny: it denies nothing; a negated operator: it restricts nothing.
    spec(
        &statement(
            "Deny",
            r#""s3:ListAllMyBuckets""#,
            r#""*""#,
            r#"{"StringEquals": {"aws:ResourceTag/env": "prod"}, "StringNotEquals": {"aws:RequestTag/env": "dev"}}"#,
        ),
        expect![[r#"
            condition-key-not-applicable warning "\"aws:ResourceTag/env\"": condition key "aws:ResourceTag/env": s3:ListAllMyBuckets does not support it (Service Authorization Reference); the key is absent from their requests, so the condition is never true and the statement denies nothing
            condition-key-not-applicable warning "\"aws:RequestTag/env\"": condition key "aws:RequestTag/env": s3:ListAllMyBuckets does not support it (Service Authorization Reference); the key is absent from their requests, so the condition is always true and restricts nothing
        "#]],
        &statement(
            "Deny",
            r#""sqs:DeleteQueue""#,
            r#""*""#,
            r#"{"StringEquals": {"aws:ResourceTag/env": "prod"}}"#,
        ),
    );
}

#[test]
fn applicability_is_judged_only_when_every_action_is_known() {
    for (action, condition) in [
        // Global keys apply to every action.
        (
            r#""ec2:RunInstances""#,
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc1234567"}}"#,
        ),
        (
            r#""ec2:RunInstances""#,
            r#"{"StringEquals": {"glue:RoleAssumedBy": "glue.amazonaws.com"}}"#,
        ),
        // Wildcards, unknown actions, NotAction: some action may support it.
        (r#""ec2:*""#, r#"{"StringLike": {"s3:prefix": "home/"}}"#),
        (
            r#"["ec2:RunInstances", "s3:List*"]"#,
            r#"{"StringLike": {"s3:prefix": "home/"}}"#,
        ),
        (
            r#""ec2:RunInstancez""#,
            r#"{"StringLike": {"s3:prefix": "home/"}}"#,
        ),
        // IfExists and Null are true or meant for an absent key.
        (
            r#""ec2:RunInstances""#,
            r#"{"StringLikeIfExists": {"s3:prefix": "home/"}}"#,
        ),
        (
            r#""ec2:RunInstances""#,
            r#"{"Null": {"s3:prefix": "true"}}"#,
        ),
        // Keys of the action's resource types (the SAR's action row leaves this one out).
        (
            r#""network-firewall:DeleteFirewallPolicy""#,
            r#"{"StringEquals": {"aws:ResourceTag/team": "a"}}"#,
        ),
        // The SAR's literal `tag-key` placeholder.
        (
            r#""secretsmanager:GetSecretValue""#,
            r#"{"StringEquals": {"secretsmanager:ResourceTag/team": "a"}}"#,
        ),
    ] {
        assert_eq!(
            render(&allow(action, condition)),
            "",
            "{action} {condition}"
        );
    }
    let not_action = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "ec2:RunInstances", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "x"}}}]}"#;
    assert_eq!(render(not_action), "");
}

#[test]
fn values_that_cannot_be_of_the_operators_type() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"DateGreaterThan": {"aws:CurrentTime": ["not-a-date", "2020-13-01", true]}, "IpAddress": {"aws:SourceIp": ["300.1.2.3/99", "203.0.113.0/33"]}, "NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}, "Bool": {"aws:SecureTransport": "yes"}, "BinaryEquals": {"aws:UserAgent": "not base64!"}, "ArnLike": {"aws:SourceArn": "s3:::bucket"}}"#,
        ),
        expect![[r#"
            condition-value-type warning "\"not-a-date\"": "not-a-date" is not a date (ISO 8601, e.g. 2025-01-01T00:00:00Z) or epoch seconds, as DateGreaterThan requires: the condition can never match it
            condition-value-type warning "\"2020-13-01\"": "2020-13-01" is not a date (ISO 8601, e.g. 2025-01-01T00:00:00Z) or epoch seconds, as DateGreaterThan requires: the condition can never match it
            condition-value-type warning "true": true is not a date (ISO 8601, e.g. 2025-01-01T00:00:00Z) or epoch seconds, as DateGreaterThan requires: the condition can never match it
            condition-value-type warning "\"300.1.2.3/99\"": "300.1.2.3/99" is not an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24), as IpAddress requires: the condition can never match it
            condition-value-type warning "\"203.0.113.0/33\"": "203.0.113.0/33" is not an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24), as IpAddress requires: the condition can never match it
            condition-value-type warning "\"one hour\"": "one hour" is not a number (an integer or a decimal), as NumericLessThan requires: the condition can never match it
            condition-value-type warning "\"yes\"": "yes" is not true or false, as Bool requires: the condition can never match it
            condition-value-type warning "\"not base64!\"": "not base64!" is not a base64 string, as BinaryEquals requires: the condition can never match it
            condition-value-type warning "\"s3:::bucket\"": "s3:::bucket" is not an ARN (arn:partition:service:region:account:resource), as ArnLike requires: the condition can never match it
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"DateGreaterThan": {"aws:CurrentTime": ["2020-12-01", "2020-12-01T10:00:00Z"]}, "DateLessThan": {"aws:CurrentTime": 1735689600}, "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64", "<my-corporate-cidr>"]}, "NumericLessThan": {"aws:MultiFactorAuthAge": [3600, 7200]}, "Bool": {"aws:SecureTransport": true}, "BinaryEquals": {"aws:UserAgent": "QmluYXJ5"}, "ArnLike": {"aws:SourceArn": ["arn:aws:s3:::bucket", "${aws:PrincipalArn}"]}}"#,
        ),
    );
}

#[test]
fn values_that_cannot_be_of_the_keys_type_or_hold_a_variable_in_vain() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"StringEquals": {"aws:SecureTransport": "yes", "aws:MultiFactorAuthAge": "an hour"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:PrincipalTag/max}"}}"#,
        ),
        expect![[r#"
            condition-value-type warning "\"yes\"": "yes" can never equal a value of "aws:SecureTransport", which is true or false
            condition-value-type warning "\"an hour\"": "an hour" can never equal a value of "aws:MultiFactorAuthAge", which is a number (an integer or a decimal)
            condition-value-type warning "\"${aws:PrincipalTag/max}\"": "${aws:PrincipalTag/max}": policy variables are not substituted in NumericLessThan conditions, so the value stays literal; write a number (an integer or a decimal)
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"StringEquals": {"aws:SecureTransport": "true", "aws:MultiFactorAuthAge": "3600", "aws:username": "${aws:PrincipalTag/user}"}, "StringLike": {"aws:MultiFactorAuthAge": "3*"}}"#,
        ),
    );
}

#[test]
fn set_operators_on_single_valued_keys() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"ForAllValues:StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}, "ForAnyValue:StringLike": {"aws:username": "a*"}}"#,
        ),
        expect![[r#"
            forallvalues-single-valued warning "\"aws:PrincipalTag/team\"": "aws:PrincipalTag/team" is a single-valued key: ForAllValues: is also true when the key is absent from the request, so the condition is broader than it reads; use the operator without ForAllValues: [fixes: Remove ForAllValues:]
            forallvalues-single-valued info "\"aws:username\"": "aws:username" is a single-valued key: ForAnyValue: adds nothing to the plain operator here and suggests several values where there is one; use the operator without ForAnyValue: [fixes: Remove ForAnyValue:]
        "#]],
        &allow(
            r#""iam:TagRole""#,
            r#"{"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}, "ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}"#,
        ),
    );
    // No fix that would make a duplicate operator.
    let text = allow(
        r#""s3:GetObject""#,
        r#"{"ForAllValues:StringEquals": {"aws:PrincipalTag/team": "a"}, "StringEquals": {"aws:username": "b"}}"#,
    );
    assert!(findings(&text)[0].fixes.is_empty());
}

#[test]
fn wildcards_where_they_are_literal() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"StringEquals": {"aws:PrincipalTag/job": "admin-*"}, "StringNotEqualsIgnoreCase": {"aws:username": "bob?"}}"#,
        ),
        expect![[r#"
            wildcard-without-like warning "*": "admin-*" has a wildcard, but StringEquals compares it literally: only a value with this very character matches; use StringLike to match a pattern [fixes: Change to "StringLike"]
            wildcard-without-like warning "?": "bob?" has a wildcard, but StringNotEqualsIgnoreCase compares it literally: only a value with this very character matches; use StringLike (which is case-sensitive) to match a pattern
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"StringLike": {"aws:PrincipalTag/job": "admin-*"}, "StringEquals": {"aws:username": "${aws:PrincipalTag/x}-${*}"}}"#,
        ),
    );
}

#[test]
fn malformed_policy_variables() {
    spec(
        &statement(
            "Allow",
            r#""s3:GetObject""#,
            r#"["arn:aws:s3:::b/${aws:username/*", "arn:aws:s3:::b/${}/*"]"#,
            r#"{"StringLike": {"s3:prefix": ["${ aws:username}/*", "${aws:PrincipalTag/team, company}/*"]}}"#,
        ),
        expect![[r#"
            invalid-policy-variable warning "${aws:username/*": "${aws:username/*" is not a valid policy variable: no closing brace: IAM reads the rest of the string as literal text
            invalid-policy-variable warning "${}": "${}" is not a valid policy variable: it is empty; name a condition key, e.g. ${aws:username}
            invalid-policy-variable warning "${ aws:username}": "${ aws:username}" is not a valid policy variable: its name has spaces; write it without them, e.g. ${aws:username}
            invalid-policy-variable warning "${aws:PrincipalTag/team, company}": "${aws:PrincipalTag/team, company}" is not a valid policy variable: its default value must be in single quotes after the comma, e.g. ${aws:PrincipalTag/team, 'none'}
        "#]],
        &statement(
            "Allow",
            r#""s3:GetObject""#,
            r#"["arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::${bucket_name}/${*}"]"#,
            r#"{"StringLike": {"s3:prefix": ["${aws:username}/*", "${aws:PrincipalTag/team, 'company wide'}/*"]}}"#,
        ),
    );
}

#[test]
fn private_ranges_in_source_ip() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "172.16.0.0/12"]}}"#,
        ),
        expect![[r#"
            private-source-ip warning "\"aws:SourceIp\"": aws:SourceIp is the caller's public address, never a private one: the condition never matches; for addresses inside a VPC use aws:VpcSourceIp
            private-source-ip info "\"172.16.0.0/12\"": "172.16.0.0/12" is a private range: aws:SourceIp never holds one, so this value never matches; for addresses inside a VPC use aws:VpcSourceIp [fixes: Remove the private range]
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:VpcSourceIp": "10.0.0.0/8"}, "NotIpAddress": {"aws:SourceIp": ["0.0.0.0/0"]}}"#,
        ),
    );
}

#[test]
fn keys_aws_no_longer_documents() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/*"}, "StringEquals": {"AWS:SourceOwner": "111122223333", "aws:PrincipalOrgMasterAccountId": "111122223333"}}"#,
        ),
        expect![[r#"
            deprecated-condition-key warning "\"aws:ARN\"": "aws:ARN" is a global condition key AWS no longer documents: IAM Access Analyzer reports it as unsupported; use aws:PrincipalArn for the caller or aws:SourceArn for the calling resource [fixes: Change to "aws:PrincipalArn" | Change to "aws:SourceArn"]
            deprecated-condition-key hint "\"AWS:SourceOwner\"": "AWS:SourceOwner" is a global condition key AWS no longer documents: an older form of aws:SourceAccount that only some services still set (SNS's default topic policy uses it); prefer aws:SourceAccount in new policies
            deprecated-condition-key hint "\"aws:PrincipalOrgMasterAccountId\"": "aws:PrincipalOrgMasterAccountId" is a global condition key AWS no longer documents: the account ID of the organization's management (formerly "master") account; AWS's table of global keys no longer lists it, though AWS's own policies (AWSSSOServiceRolePolicy) still use it
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}, "StringEquals": {"aws:SourceAccount": "111122223333"}}"#,
        ),
    );
    // Not an unknown key either.
    let text = allow(
        r#""s3:GetObject""#,
        r#"{"StringEquals": {"aws:PrincipalOrgMasterAccountId": "111122223333"}}"#,
    );
    let codes: Vec<Code> = analyze(&text, &Options::default())
        .findings
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, [Code::DeprecatedConditionKey]);
}

#[test]
fn null_with_a_set_operator() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"ForAllValues:Null": {"aws:TagKeys": "false"}, "ForAnyValue:Null": {"aws:username": "true"}}"#,
        ),
        expect![[r#"
            null-with-set-operator warning "\"aws:TagKeys\"": ForAllValues:Null on "aws:TagKeys" is always true: Null tests whether the key is present, use it without ForAllValues: [fixes: Remove ForAllValues:]
            null-with-set-operator warning "\"aws:username\"": ForAnyValue:Null on "aws:username" is always false: Null tests whether the key is present, use it without ForAnyValue: [fixes: Remove ForAnyValue:]
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"Null": {"aws:TagKeys": "false", "aws:username": "true"}}"#,
        ),
    );
}

#[test]
fn several_values_of_a_boolean_key() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"Bool": {"aws:SecureTransport": ["true", "false"]}}"#,
        ),
        expect![[r#"
            multiple-bool-values warning "\"aws:SecureTransport\"": "aws:SecureTransport" has 2 values: a Boolean key has one, true or false (with both, the condition always matches); keep the one you mean
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"Bool": {"aws:SecureTransport": ["false"]}}"#,
        ),
    );
}

#[test]
fn vpc_and_vpc_endpoint_ids() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"StringEquals": {"aws:SourceVpc": ["vpc-123", "vpce-1a2b3c4d"], "aws:SourceVpce": "vpc-1a2b3c4d"}}"#,
        ),
        expect![[r#"
            invalid-vpc-id warning "\"vpc-123\"": "vpc-123" is not a VPC ID (vpc- and 8 or 17 letters and digits): aws:SourceVpc never has this value
            invalid-vpc-id warning "\"vpce-1a2b3c4d\"": "vpce-1a2b3c4d" is not a VPC ID (vpc- and 8 or 17 letters and digits): aws:SourceVpc never has this value
            invalid-vpc-id warning "\"vpc-1a2b3c4d\"": "vpc-1a2b3c4d" is not a VPC endpoint ID (vpce- and 8 or 17 letters and digits): aws:SourceVpce never has this value
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-0123456789abcdef0", "${aws:PrincipalTag/vpc}"], "aws:SourceVpce": "vpce-1a2b3c4d5e6f7a8b9"}, "StringLike": {"aws:SourceVpc": "vpc-*"}}"#,
        ),
    );
}

#[test]
fn cidr_blocks_with_host_bits() {
    spec(
        &allow(
            r#""s3:GetObject""#,
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.5/24", "2001:db8::1/64"]}}"#,
        ),
        expect![[r#"
            ip-host-bits hint "\"203.0.113.5/24\"": "203.0.113.5/24" has host bits set: IAM reads it as 203.0.113.0/24 [fixes: Change to "203.0.113.0/24"]
            ip-host-bits hint "\"2001:db8::1/64\"": "2001:db8::1/64" has host bits set: IAM reads it as 2001:db8::/64 [fixes: Change to "2001:db8::/64"]
        "#]],
        &allow(
            r#""s3:GetObject""#,
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "203.0.113.5", "2001:db8::/64", "0.0.0.0/0"]}}"#,
        ),
    );
}
