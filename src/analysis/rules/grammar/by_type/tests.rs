//! The type-dependent grammar, a snippet at a time: each case is a policy, the type declared
//! for it (or none: what its content says), and the findings of the type-dependent codes.

use crate::analysis::rules::spec::{code_severity_token, options};
use crate::analysis::{Code, Severity, analyze};

const CODES: &[Code] = &[
    Code::InvalidSid,
    Code::DuplicateSid,
    Code::MissingResource,
    Code::MissingPrincipal,
    Code::PrincipalNotAllowed,
    Code::ResourceNotAllowed,
    Code::PolicyTooLarge,
];

/// `code severity "token"` for each finding of the type-dependent codes.
fn typed_findings(text: &str, declared: Option<&str>) -> Vec<String> {
    code_severity_token(text, declared, CODES)
}

fn statement(body: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{body}]}}"#)
}

const KMS_DEFAULT: &str = r#"{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;
const SNS_DEFAULT: &str = r#"{"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"], "Resource": "arn:aws:sns:us-east-1:111122223333:t", "Condition": {"StringEquals": {"AWS:SourceOwner": "111122223333"}}}]}"#;

#[test]
fn sids_follow_the_type() {
    let identity = |sid: &str| {
        statement(&format!(
            r#"{{"Sid": "{sid}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#
        ))
    };
    let with_principal = |sid: &str| {
        statement(&format!(
            r#"{{"Sid": "{sid}", "Effect": "Allow", "Principal": {{"AWS": "111122223333"}}, "Action": "s3:GetObject", "Resource": "*"}}"#
        ))
    };
    let cases: Vec<(String, Option<&str>, Vec<&str>)> = vec![
        (KMS_DEFAULT.into(), None, vec![]),
        (KMS_DEFAULT.into(), Some("resource:kms"), vec![]),
        (SNS_DEFAULT.into(), None, vec![]),
        (
            identity("Allow S3"),
            None,
            vec![r#"invalid-sid error "Allow S3""#],
        ),
        (identity("AllowS3"), None, vec![]),
        (
            identity("Allow_S3"),
            Some("scp"),
            vec![r#"invalid-sid error "Allow_S3""#],
        ),
        (with_principal("Allow S3"), None, vec![]),
        (
            with_principal("Allow S3"),
            Some("rcp"),
            vec![
                r#"invalid-sid warning "Allow S3""#,
                r#"principal-not-allowed error {"AWS": "111122223333"}"#,
            ],
        ),
        (
            with_principal("invoke-1_a"),
            Some("resource:lambda"),
            vec![],
        ),
        (
            with_principal("invoke 1"),
            Some("resource:lambda"),
            vec![r#"invalid-sid warning "invoke 1""#],
        ),
        (
            with_principal("read_all"),
            Some("resource:secretsmanager"),
            vec![],
        ),
        (
            with_principal("read all"),
            Some("resource:secretsmanager"),
            vec![r#"invalid-sid warning "read all""#],
        ),
    ];
    for (text, declared, expected) in cases {
        assert_eq!(
            typed_findings(&text, declared),
            expected,
            "{declared:?} {text}"
        );
    }
    let fixed = analyze(&identity("Allow S3"), &options(None)).findings[0].fixes[0]
        .apply(&identity("Allow S3"));
    assert_eq!(fixed, identity("AllowS3"));
}

#[test]
fn duplicate_sids_follow_the_type() {
    let two = |principal: &str| {
        let s = format!(
            r#"{{"Sid": "S", "Effect": "Allow", {principal}"Action": "s3:GetObject", "Resource": "*"}}"#
        );
        statement(&format!("{s}, {s}"))
    };
    let cases: &[(String, Option<&str>, &[&str])] = &[
        (two(""), None, &[r#"duplicate-sid error "S""#]),
        (
            two(r#""Principal": "*", "#),
            None,
            &[r#"duplicate-sid warning "S""#],
        ),
        (
            two(r#""Principal": "*", "#),
            Some("resource:sns"),
            &[r#"duplicate-sid error "S""#],
        ),
        (
            two(r#""Principal": "*", "#),
            Some("resource:s3"),
            &[r#"duplicate-sid warning "S""#],
        ),
    ];
    for (text, declared, expected) in cases {
        assert_eq!(
            typed_findings(text, *declared),
            *expected,
            "{declared:?} {text}"
        );
    }
}

#[test]
fn principal_and_resource_follow_the_type() {
    let no_resource = statement(
        r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "ecr:BatchGetImage"}"#,
    );
    let no_principal = statement(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    let with_principal = statement(
        r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
    );
    let trust = statement(
        r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    );
    let trust_with_resource = statement(
        r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}"#,
    );
    let federated = statement(
        r#"{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#,
    );
    let not_principal = statement(
        r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}"#,
    );
    let rcp = |principal: &str| {
        statement(&format!(
            r#"{{"Effect": "Deny", "Principal": {principal}, "Action": "s3:*", "Resource": "*"}}"#
        ))
    };
    let (rcp_star, rcp_aws_star, rcp_account) = (
        rcp(r#""*""#),
        rcp(r#"{"AWS": "*"}"#),
        rcp(r#"{"AWS": "111122223333"}"#),
    );
    let cases: Vec<(&str, Option<&str>, Vec<&str>)> = vec![
        (&no_resource, None, vec![]),
        (&no_resource, Some("resource:ecr"), vec![]),
        (
            &no_resource,
            Some("resource:kms"),
            vec![r#"missing-resource warning {"#],
        ),
        (
            &no_resource,
            Some("identity"),
            vec![
                r#"missing-resource error {"#,
                r#"principal-not-allowed error "Principal""#,
            ],
        ),
        (&no_principal, None, vec![]),
        (
            &no_principal,
            Some("resource:s3"),
            vec![r#"missing-principal error {"#],
        ),
        (
            &no_principal,
            Some("resource"),
            vec![r#"missing-principal warning {"#],
        ),
        (&with_principal, Some("resource:s3"), vec![]),
        (
            &with_principal,
            Some("scp"),
            vec![r#"principal-not-allowed error "Principal""#],
        ),
        (&trust, None, vec![]),
        (&trust, Some("trust"), vec![]),
        (&trust_with_resource, None, vec![]),
        (
            &trust_with_resource,
            Some("trust"),
            vec![r#"resource-not-allowed error "Resource""#],
        ),
        (&federated, None, vec![]),
        (
            &federated,
            Some("resource:s3"),
            vec![
                r#"missing-resource warning {"#,
                r#"principal-not-allowed error "Federated""#,
            ],
        ),
        (&not_principal, Some("resource:s3"), vec![]),
        (
            &not_principal,
            Some("trust"),
            vec![
                r#"principal-not-allowed error "NotPrincipal""#,
                r#"resource-not-allowed error "Resource""#,
            ],
        ),
        (
            &not_principal,
            Some("rcp"),
            vec![r#"principal-not-allowed error "NotPrincipal""#],
        ),
        (&rcp_star, Some("rcp"), vec![]),
        (&rcp_aws_star, Some("rcp"), vec![]),
        (
            &rcp_account,
            Some("rcp"),
            vec![r#"principal-not-allowed error {"AWS": "111122223333"}"#],
        ),
    ];
    for (text, declared, expected) in cases {
        assert_eq!(
            typed_findings(text, declared),
            expected,
            "{declared:?} {text}"
        );
    }
    // The fixes remove the element.
    let removal = |text: &str, declared: &str| {
        let findings = analyze(text, &options(Some(declared))).findings;
        let finding = findings
            .iter()
            .find(|f| f.code == Code::ResourceNotAllowed || f.code == Code::PrincipalNotAllowed)
            .expect("a finding");
        finding.fixes[0].apply(text)
    };
    assert_eq!(removal(&trust_with_resource, "trust"), trust);
    assert_eq!(removal(&with_principal, "identity"), no_principal);
}

#[test]
fn sizes_follow_the_type() {
    // `n` statements of 60 characters without whitespace, with `pad` spaces each.
    let policy = |n: usize, pad: usize| {
        let s = format!(
            r#"{{"Effect":"Deny",{}"Action":"s3:GetObject","Resource":"*"}}"#,
            " ".repeat(pad)
        );
        statement(&vec![s; n].join(","))
    };
    let severity = |text: &str, declared: Option<&str>| {
        analyze(text, &options(declared))
            .findings
            .iter()
            .filter(|f| f.code == Code::PolicyTooLarge)
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    let small = policy(80, 0); // about 4,800 characters
    let padded = policy(80, 10); // about 5,600 as written
    let large = policy(90, 0); // about 5,400
    assert_eq!(severity(&small, Some("scp")), []);
    assert_eq!(severity(&padded, Some("scp")), [Severity::Warning]);
    assert_eq!(severity(&large, Some("scp")), [Severity::Error]);
    assert_eq!(severity(&large, Some("identity:managed")), []);
    assert_eq!(
        severity(&policy(110, 0), Some("identity:managed")),
        [Severity::Error]
    );
    assert_eq!(severity(&large, Some("identity:user")), [Severity::Error]);
    assert_eq!(severity(&large, Some("resource:s3")), []);
    assert_eq!(
        severity(&large, None),
        [Severity::Warning],
        "too large for an SCP"
    );
    let trust = |n: usize| {
        let s =
            r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}"#;
        statement(&vec![s; n].join(","))
    };
    assert_eq!(severity(&trust(25), None), []);
    assert_eq!(severity(&trust(30), None), [Severity::Information]);
    assert_eq!(severity(&trust(110), None), [Severity::Error]);
}
