use super::*;
use crate::policy::{Selection, find_policies};
use crate::syntax::parse;

/// The kind of each policy of `text`, with `declared` if given, as `summary (origin)`.
fn kinds(text: &str, declared: Option<&str>) -> Vec<String> {
    let parse = parse(text);
    let root = parse.root.as_ref().expect("a document");
    let declared = declared.map(|d| DeclaredType {
        types: PolicyType::parse(d).expect("a type"),
        reason: format!("`--policy-type {d}`"),
    });
    find_policies(root, Selection::Always)
        .iter()
        .map(|located| {
            let policy = Policy::located(located, declared.as_ref()).expect("a policy");
            let origin = match policy.kind.origin() {
                Origin::Declared(_) => "declared",
                Origin::Host(_) => "host",
                Origin::Content(_) => "content",
            };
            format!("{} ({origin})", policy.kind.summary())
        })
        .collect()
}

const KMS_DEFAULT: &str = r#"{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;

#[test]
fn content_narrows_the_types() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
            "an identity policy, a permissions boundary or an SCP (content)",
        ),
        (
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
            "a role trust policy (content)",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}]}"#,
            "a role trust policy (content)",
        ),
        // A VPC endpoint policy of STS, or an RCP, or a trust policy with a Resource.
        (
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}"#,
            "a resource-based policy, a role trust policy or an RCP (content)",
        ),
        (KMS_DEFAULT, "a resource-based policy (content)"),
        (
            r#"{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-1"}}}]}"#,
            "a resource-based policy or an RCP (content)",
        ),
        (
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}]}"#,
            "an API Gateway resource policy (content)",
        ),
        (
            r#"{"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": "arn:aws:sns:us-east-1:111122223333:t", "Condition": {"StringEquals": {"AWS:SourceOwner": "111122223333"}}}]}"#,
            "an SNS topic policy (content)",
        ),
        (
            r#"{"Version": "2012-10-17", "Statement": []}"#,
            "an identity policy, a permissions boundary, a resource-based policy, a role trust policy, an SCP or an RCP (content)",
        ),
        // A lone statement.
        (
            r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}"#,
            "a role trust policy (content)",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(kinds(text, None), [*expected], "{text}");
    }
}

#[test]
fn declared_types_win() {
    let identity = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}"#;
    assert_eq!(kinds(identity, Some("scp")), ["an SCP (declared)"]);
    assert_eq!(
        kinds(identity, Some("boundary")),
        ["a permissions boundary (declared)"]
    );
    assert_eq!(
        kinds(KMS_DEFAULT, Some("resource:kms")),
        ["a KMS key policy (declared)"]
    );
    assert_eq!(
        kinds(KMS_DEFAULT, Some("resource")),
        ["a resource-based policy (declared)"]
    );
    assert_eq!(
        kinds(KMS_DEFAULT, Some("identity:role")),
        ["a role's inline policy (declared)"]
    );
}

#[test]
fn cloudformation_places_give_types() {
    let template = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": []}}},
        "Guardrail": {"Type": "AWS::Organizations::Policy", "Properties": {"Type": "SERVICE_CONTROL_POLICY", "Name": "g",
            "Content": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}},
        "Perimeter": {"Type": "AWS::Organizations::Policy", "Properties": {"Type": "RESOURCE_CONTROL_POLICY", "Name": "p",
            "Content": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}}},
        "Tags": {"Type": "AWS::Organizations::Policy", "Properties": {"Type": "TAG_POLICY",
            "Content": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}},
        "Queue": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [],
            "PolicyDocument": {"Statement": [{"Sid": "__owner_statement", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "SQS:*", "Resource": "*"}]}}}
    }}"#;
    assert_eq!(
        kinds(template, None),
        [
            "a role trust policy (host)",
            "a role's inline policy (host)",
            "a KMS key policy (host)",
            "an SCP (host)",
            "an RCP (host)",
            "an identity policy, a permissions boundary or an SCP (content)",
            "an SQS queue policy (host)",
        ]
    );
    // Outside a template, the answer of `aws iam get-role`.
    let get_role = r#"{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}}}"#;
    assert_eq!(kinds(get_role, None), ["a role trust policy (host)"]);
    // The user's word goes first.
    assert_eq!(
        kinds(get_role, Some("identity")),
        ["an identity policy (declared)"]
    );
}

#[test]
fn mildest_reports_only_what_every_type_agrees_on() {
    let kind = PolicyKind::content(WITHOUT_PRINCIPAL, "test");
    let verdict = |t: PolicyType| t.sid_characters().1.into();
    let strictest: Option<crate::policy::Enforcement> = kind.mildest(verdict);
    assert_eq!(strictest, Some(crate::policy::Enforcement::Rejected));
    let kind = PolicyKind::content(WITH_PRINCIPAL, "test");
    assert_eq!(
        kind.mildest(PolicyType::missing_resource),
        None,
        "trust policies have none"
    );
    assert_eq!(
        kind.mildest(|t| Some(t.duplicate_sid())),
        Some(crate::policy::Enforcement::Unverified)
    );
    assert!(kind.may_be(|t| t == PolicyType::Rcp) && !kind.must_be(|t| t == PolicyType::Rcp));
    assert_eq!(PolicyKind::unknown().exactly(), None);
}

#[test]
fn trust_actions() {
    for (action, trust) in [
        ("sts:AssumeRole", true),
        ("STS:assumerolewithsaml", true),
        ("sts:*", true),
        ("sts:AssumeRole*", true),
        ("sts:GetCallerIdentity", false),
        ("s3:*", false),
        ("*", false),
        ("sts", false),
    ] {
        assert_eq!(is_trust_action(action), trust, "{action}");
    }
}
