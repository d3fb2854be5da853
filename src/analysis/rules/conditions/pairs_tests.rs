//! Conditions whose meaning depends on the rest of the statement, a snippet at a time: set
//! operators on an identity provider's audience, `aws:VpcSourceIp` without its VPC, tag keys
//! with `NotAction` (`code severity token`), each beside the nearest snippet that is right.

use crate::analysis::rules::spec::code_severity_token;
use crate::analysis::{Code, Options, analyze};

const CODES: &[Code] = &[
    Code::OidcAudienceQualifier,
    Code::MissingPairedKey,
    Code::NotActionTagCondition,
    Code::ForAllValuesSingleValued,
];

fn findings(text: &str) -> Vec<String> {
    code_severity_token(text, None, CODES)
}

/// A policy of one statement with `body` (its elements after Effect) and `condition`.
fn statement(effect: &str, body: &str, condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", {body}, "Condition": {condition}}}]}}"#
    )
}

fn check(cases: &[(String, &[&str])]) {
    for (text, expected) in cases {
        assert_eq!(findings(text), *expected, "{text}");
    }
}

#[test]
fn oidc_audience_qualifier() {
    const EKS: &str = r#""Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}, "Action": "sts:AssumeRoleWithWebIdentity""#;
    let aud = |operator: &str| {
        statement(
            "Allow",
            EKS,
            &format!(
                r#"{{"{operator}": {{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}}}}"#
            ),
        )
    };
    check(&[
        (
            aud("ForAnyValue:StringEquals"),
            &[r#"oidc-audience-qualifier info "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud""#],
        ),
        (
            aud("ForAllValues:StringLike"),
            &[r#"oidc-audience-qualifier info "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud""#],
        ),
        (aud("StringEquals"), &[]),
        // `sub` is not the audience.
        (
            statement(
                "Allow",
                EKS,
                r#"{"ForAnyValue:StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "x"}}"#,
            ),
            &[],
        ),
        // Keys the catalogue knows are single-valued: the other code says it.
        (
            statement(
                "Allow",
                r#""Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity""#,
                r#"{"ForAnyValue:StringEquals": {"accounts.google.com:aud": "app"}}"#,
            ),
            &[r#"forallvalues-single-valued info "accounts.google.com:aud""#],
        ),
        // A service's key is no provider's claim.
        (
            statement(
                "Allow",
                r#""Action": "s3:GetObject", "Resource": "*""#,
                r#"{"ForAnyValue:StringEquals": {"aws:aud": "x"}}"#,
            ),
            &[],
        ),
    ]);
    // The fix drops the set operator.
    let text = aud("ForAnyValue:StringEquals");
    let analysis = analyze(&text, &Options::default());
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::OidcAudienceQualifier)
        .expect("a finding");
    assert_eq!(finding.fixes[0].apply(&text), aud("StringEquals"));
}

#[test]
fn missing_paired_key() {
    const BODY: &str = r#""Action": "s3:GetObject", "Resource": "*""#;
    let ip = r#""aws:VpcSourceIp": "10.0.0.0/16""#;
    check(&[
        (
            statement("Allow", BODY, &format!(r#"{{"IpAddress": {{{ip}}}}}"#)),
            &[r#"missing-paired-key warning "aws:VpcSourceIp""#],
        ),
        (
            statement("Deny", BODY, &format!(r#"{{"NotIpAddress": {{{ip}}}}}"#)),
            &[r#"missing-paired-key warning "aws:VpcSourceIp""#],
        ),
        (
            statement("Deny", BODY, &format!(r#"{{"IpAddress": {{{ip}}}}}"#)),
            &[r#"missing-paired-key info "aws:VpcSourceIp""#],
        ),
        // The nearest right ones.
        (
            statement(
                "Allow",
                BODY,
                &format!(
                    r#"{{"IpAddress": {{{ip}}}, "StringEquals": {{"aws:SourceVpc": "vpc-1a2b3c4d"}}}}"#
                ),
            ),
            &[],
        ),
        (
            statement(
                "Allow",
                BODY,
                &format!(
                    r#"{{"IpAddress": {{{ip}}}, "StringEquals": {{"AWS:SourceVpce": "vpce-1a2b3c4d"}}}}"#
                ),
            ),
            &[],
        ),
        (
            statement(
                "Allow",
                BODY,
                r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            ),
            &[],
        ),
        // A Null test of the VPC says nothing of which.
        (
            statement(
                "Allow",
                BODY,
                &format!(r#"{{"IpAddress": {{{ip}}}, "Null": {{"aws:SourceVpc": "false"}}}}"#),
            ),
            &[r#"missing-paired-key warning "aws:VpcSourceIp""#],
        ),
    ]);
}

#[test]
fn notaction_tag_condition() {
    let tag = |operator: &str| format!(r#"{{"{operator}": {{"aws:ResourceTag/env": "prod"}}}}"#);
    const NOT_IAM: &str = r#""NotAction": "iam:*", "Resource": "*""#;
    check(&[
        (
            statement("Deny", NOT_IAM, &tag("StringEquals")),
            &[r#"notaction-tag-condition warning "aws:ResourceTag/env""#],
        ),
        (
            statement("Deny", NOT_IAM, &tag("StringNotEquals")),
            &[r#"notaction-tag-condition info "aws:ResourceTag/env""#],
        ),
        (
            statement("Allow", NOT_IAM, &tag("StringEquals")),
            &[r#"notaction-tag-condition info "aws:ResourceTag/env""#],
        ),
        (
            statement(
                "Deny",
                NOT_IAM,
                r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}"#,
            ),
            &[r#"notaction-tag-condition warning "aws:TagKeys""#],
        ),
        (
            statement(
                "Deny",
                NOT_IAM,
                r#"{"StringEquals": {"ec2:ResourceTag/env": "prod"}}"#,
            ),
            &[r#"notaction-tag-condition warning "ec2:ResourceTag/env""#],
        ),
        // The nearest right ones: Action lists the actions; a principal's tags are always there.
        (
            statement(
                "Deny",
                r#""Action": "sqs:DeleteQueue", "Resource": "*""#,
                &tag("StringEquals"),
            ),
            &[],
        ),
        (
            statement(
                "Deny",
                NOT_IAM,
                r#"{"StringEquals": {"aws:PrincipalTag/team": "a"}}"#,
            ),
            &[],
        ),
        // Unknown values.
        (
            statement(
                "Deny",
                r#""NotAction": ["iam:*", {"Ref": "More"}], "Resource": "*""#,
                &tag("StringEquals"),
            ),
            &[],
        ),
    ]);
    let message = analyze(
        &statement("Deny", NOT_IAM, &tag("StringEquals")),
        &Options::default(),
    )
    .findings
    .into_iter()
    .find(|f| f.code == Code::NotActionTagCondition)
    .expect("a finding")
    .message;
    assert!(message.contains("s3:ListAllMyBuckets"), "{message}");
    assert!(message.contains("does not deny them"), "{message}");
}
