//! Rule specifications: a policy, and the findings it must produce (code, severity, the
//! exact text flagged, message). Fixes are applied to prove they repair what they claim.

use expect_test::{Expect, expect};

use super::{Options, analyze};
use crate::policy::Selection;

fn render(text: &str) -> String {
    let analysis = analyze(text, &Options::default());
    let mut out = String::new();
    for f in &analysis.findings {
        out.push_str(&format!(
            "{} {} {:?}: {}\n",
            f.code.as_str(),
            f.severity.as_str(),
            &text[f.range.as_usize()],
            f.message
        ));
    }
    out
}

fn check(text: &str, expected: Expect) {
    expected.assert_eq(&render(text));
}

/// Applies the finding's first preferred fix (or first fix) and returns the new text.
pub(crate) fn apply_fix(text: &str, code: &str) -> String {
    let analysis = analyze(text, &Options::default());
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .unwrap_or_else(|| panic!("no {code} finding"));
    let fix = finding
        .fixes
        .iter()
        .find(|f| f.preferred)
        .or(finding.fixes.first())
        .unwrap_or_else(|| panic!("{code} has no fix"));
    fix.apply(text)
}

#[test]
fn valid_policy_has_no_findings() {
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read1", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}, "Bool": {"aws:SecureTransport": true}}}]}"#,
        expect![""],
    );
}

#[test]
fn invalid_effect_is_flagged_on_its_token_and_fixed() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    check(
        text,
        expect![[r#"
            invalid-effect error "\"Alow\"": Effect must be "Allow" or "Deny" (case-sensitive), not "Alow"
        "#]],
    );
    assert_eq!(render(&apply_fix(text, "invalid-effect")), "");
    check(
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "deny", "Action": "*", "Resource": "*"}}"#,
        expect![[r#"
            invalid-effect error "\"deny\"": Effect must be "Allow" or "Deny" (case-sensitive), not "deny"
        "#]],
    );
}

#[test]
fn missing_and_exclusive_elements() {
    check(
        r#"{"Statement": [{"Sid": "A", "Action": "s3:*", "NotAction": "iam:*"}, {"Effect": "Allow", "Resource": "*", "NotResource": "x"}]}"#,
        expect![[r#"
            missing-version warning "{": the policy has no "Version": IAM then uses 2008-10-17, where policy variables such as ${aws:username} are plain text; add "Version": "2012-10-17"
            missing-effect error "{": statement "A" has no "Effect": add "Effect": "Allow" or "Deny"
            missing-resource error "{": statement "A" has neither "Resource" nor "NotResource": IAM rejects it (use "*" for services without resource-level permissions)
            action-and-notaction error "\"NotAction\"": a statement cannot have both "Action" and "NotAction": IAM rejects it
            missing-action error "{": statement 2 has neither "Action" nor "NotAction": IAM rejects it
            resource-and-notresource error "\"NotResource\"": a statement cannot have both "Resource" and "NotResource": IAM rejects it
            invalid-arn error "\"x\"": a resource is "*" or an ARN (arn:partition:service:region:account:resource): IAM rejects it
        "#]],
    );
}

#[test]
fn trust_policies_need_no_resource() {
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        expect![""],
    );
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Servce": "x"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": "me", "Action": "sts:AssumeRole"}]}"#,
        expect![[r#"
            unknown-element error "\"Servce\"": "Servce" is not a principal type; use "AWS", "Service", "Federated" or "CanonicalUser"
            wrong-type error "\"me\"": Principal must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}, not a string
        "#]],
    );
}

#[test]
fn unknown_elements_get_the_nearest_name() {
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "s3:*", "Resource": "*", "Version": "x"}], "Effect": "Allow"}"#,
        expect![[r#"
            missing-action error "{": statement 1 has neither "Action" nor "NotAction": IAM rejects it; "Actions" looks like a misspelling of "Action"
            unknown-element error "\"Actions\"": "Actions" is not a policy element in a statement; did you mean "Action"?
            unknown-element error "\"Version\"": "Version" is not allowed in a statement; it belongs at the top of the policy
            unknown-element error "\"Effect\"": "Effect" is not allowed at the top of a policy; it belongs inside a statement
        "#]],
    );
    let fixed = apply_fix(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "s3:*", "Resource": "*"}]}"#,
        "unknown-element",
    );
    assert!(fixed.contains(r#""Action": "s3:*""#), "{fixed}");
}

#[test]
fn wrong_types_and_empty_arrays() {
    check(
        r#"{"Version": 2012, "Id": 7, "Statement": [{"Sid": 1, "Effect": true, "Action": [], "Resource": ["*", 5], "Condition": {"StringEquals": {"aws:PrincipalTag/x": []}}}, "oops"]}"#,
        expect![[r#"
            wrong-type error "2012": Version must be a string such as "2012-10-17", not a number
            wrong-type error "7": Id must be a string, not a number
            wrong-type error "1": Sid must be a string, not a number
            wrong-type error "true": Effect must be the string "Allow" or "Deny", not a boolean
            empty-array error "[]": "Action" is an empty array: IAM rejects it; list at least one value
            wrong-type error "5": Each "Resource" entry must be a string, not a number
            empty-array warning "[]": condition key "aws:PrincipalTag/x" has no values: this condition can never match
            wrong-type error "\"oops\"": Each statement must be an object, not a string
        "#]],
    );
}

#[test]
fn duplicates() {
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "S1", "Effect": "Allow", "effect": "Deny", "Action": "a:b", "Action": "c:d", "Resource": "*"}, {"Sid": "S1", "Effect": "Deny", "Action": "a:b", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d", "AWS:sourcevpc": "vpc-5e6f7a8b"}}}]}"#,
        expect![[r#"
            unknown-element error "\"effect\"": "effect" is not a policy element in a statement; did you mean "Effect"?
            duplicate-key error "\"effect\"": key "effect" differs only in case from an earlier key of this object
            unknown-service warning "\"a:b\"": unknown service prefix "a" in "a:b"
            duplicate-key error "\"Action\"": duplicate key "Action": JSON readers keep only one of them
            duplicate-sid error "\"S1\"": Sid "S1" is already used by another statement of this policy
            unknown-service warning "\"a:b\"": unknown service prefix "a" in "a:b"
            duplicate-key error "\"AWS:sourcevpc\"": condition key "AWS:sourcevpc" differs only in case from an earlier condition key of this object
        "#]],
    );
}

#[test]
fn sids_versions_and_operators() {
    let text = r#"{"Version": "2012-10-18", "Statement": [{"Sid": "Allow reads-1", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqual": {"aws:SourceVpc": "v"}, "ForAnyValue:stringlike": {"aws:TagKeys": "x"}, "NullIfExists": {"aws:TagKeys": "true"}}}]}"#;
    check(
        text,
        expect![[r#"
            invalid-version error "\"2012-10-18\"": Version must be "2012-10-17" (or the old "2008-10-17"), not "2012-10-18"
            invalid-sid error "\"Allow reads-1\"": Sid may contain only ASCII letters and digits; IAM rejects space, '-'
            invalid-condition-operator error "\"StringEqual\"": "StringEqual" is not a condition operator; did you mean "StringEquals"?
            invalid-condition-operator error "\"ForAnyValue:stringlike\"": "ForAnyValue:stringlike" is not a condition operator (operator names are case-sensitive); did you mean "ForAnyValue:StringLike"?
            invalid-condition-operator error "\"NullIfExists\"": "NullIfExists" is not a condition operator; did you mean "Null"?
        "#]],
    );
    assert!(apply_fix(text, "invalid-sid").contains(r#""Sid": "Allowreads1""#));
    assert!(apply_fix(text, "invalid-version").contains(r#""Version": "2012-10-17""#));
    assert!(apply_fix(text, "invalid-condition-operator").contains(r#""StringEquals": {"#));
}

#[test]
fn missing_version_fix_keeps_the_indentation() {
    let text = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}";
    assert_eq!(
        apply_fix(text, "missing-version"),
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}"
    );
    let text = r#"{"Version": "2012-10-17", "Statement": {"Action": "s3:*", "Resource": "*"}}"#;
    assert_eq!(render(&apply_fix(text, "missing-effect")), "");
}

#[test]
fn half_typed_statement_keeps_other_findings_in_place() {
    check(
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n  {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n  {\"Effect\": \"Deny\", \"Act\n",
        expect![[r#"
            invalid-effect error "\"Alow\"": Effect must be "Allow" or "Deny" (case-sensitive), not "Alow"
            json-syntax error "\"Act": JSON syntax: unterminated string
        "#]],
    );
}

#[test]
fn non_policies_get_nothing_and_explicit_files_get_syntax_errors() {
    check(r#"{"name": "x", "version": "1.0.0",}"#, expect![""]);
    let options = Options {
        selection: Selection::Always,
        ..Options::default()
    };
    let analysis = analyze("not json", &options);
    assert!(
        analysis
            .findings
            .iter()
            .all(|f| f.code.as_str() == "json-syntax")
    );
    assert!(!analysis.findings.is_empty());
}

#[test]
fn embedded_policies_are_checked_where_they_stand() {
    check(
        r#"{"Resources": {"R": {"Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:*", "Resource": "*"}]}}}}}"#,
        expect![[r#"
            invalid-effect error "\"Alow\"": Effect must be "Allow" or "Deny" (case-sensitive), not "Alow"
        "#]],
    );
}

#[test]
fn size_quotas() {
    let actions: Vec<String> = (0..300)
        .map(|i| format!("\"s3:GetObjectNumber{i}\""))
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
        actions.join(", ")
    );
    let rendered = render(&text);
    assert!(
        rendered.starts_with("policy-too-large warning \"\\\"Statement\\\"\""),
        "{rendered}"
    );
    assert!(
        rendered.contains("customer managed policies (6,144)"),
        "{rendered}"
    );
    assert!(
        rendered.contains("a user's inline policies (2,048)"),
        "{rendered}"
    );
    assert!(!rendered.contains("role"), "{rendered}");
}

#[test]
fn cloudformation_intrinsics_are_neither_right_nor_wrong() {
    check(
        r#"{"Resources": {"P": {"Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Ref": "Reader"}, "Action": {"Fn::If": ["Prod", "s3:GetObject", "s3:*"]}, "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::b/*"}},
            {"Effect": "Allow", "Action": ["s3:GetObject", {"Ref": "ExtraAction"}], "Resource": [{"Fn::GetAtt": ["B", "Arn"]}],
             "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
             "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}},
            {"Fn::If": ["Extra", {"Effect": "Allow", "Principal": {"Ref": "Reader"}, "Action": "s3:*", "Resource": "*"}, {"Ref": "AWS::NoValue"}]}
        ]}}}}}"#,
        expect![""],
    );
}

#[test]
fn an_analysis_told_to_stop_gives_up_and_says_so() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let options = Options::default();
    let (analysis, complete) = super::analyze_until(text, &options, &|| false);
    assert!(complete);
    assert_eq!(analysis.findings, analyze(text, &options).findings);
    let asked = std::cell::Cell::new(0);
    let stop = || {
        asked.set(asked.get() + 1);
        true
    };
    let (_, complete) = super::analyze_until(text, &options, &stop);
    assert!(!complete);
    assert_eq!(asked.get(), 1, "asked once, before the first rule family");
}
