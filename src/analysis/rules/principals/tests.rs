//! The principal rules, a snippet at a time: a statement's `Principal` (or `NotPrincipal`) and
//! `Condition`, and the findings of the principal codes (`code severity token`), each beside the
//! nearest snippet that is right.

use crate::analysis::rules::spec::code_severity_token;
use crate::analysis::{Code, Options, analyze};

const CODES: &[Code] = &[
    Code::InvalidPrincipal,
    Code::PrincipalWildcard,
    Code::PrincipalUniqueId,
    Code::InvalidServicePrincipal,
    Code::InvalidFederatedPrincipal,
    Code::AllowWithNotPrincipal,
    Code::OidcMissingCondition,
    Code::GithubOidcSub,
];

fn findings(text: &str) -> Vec<String> {
    code_severity_token(text, None, CODES)
}

/// A bucket policy statement allowing `principal`.
fn bucket(principal: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}]}}"#
    )
}

/// A trust policy statement.
fn trust(principal: &str, action: &str, condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "{action}"{condition}}}]}}"#
    )
}

#[test]
fn principal_formats() {
    let cases: &[(&str, &[&str])] = &[
        (r#"{"AWS": "111122223333"}"#, &[]),
        (r#"{"AWS": "*"}"#, &[]),
        (r#""*""#, &[]),
        (r#"{"AWS": "arn:aws:iam::111122223333:root"}"#, &[]),
        (r#"{"AWS": "arn:aws:iam::111122223333:role/path/r"}"#, &[]),
        (r#"{"AWS": "arn:aws:iam::111122223333:user/u"}"#, &[]),
        (
            r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/r/s"}"#,
            &[],
        ),
        (
            r#"{"AWS": "arn:aws:sts::111122223333:federated-user/f"}"#,
            &[],
        ),
        (
            r#"{"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"}"#,
            &[],
        ),
        (
            r#"{"AWS": "1111-2222-3333"}"#,
            &[r#"invalid-principal error "1111-2222-3333""#],
        ),
        (
            r#"{"AWS": "alice"}"#,
            &[r#"invalid-principal error "alice""#],
        ),
        (
            r#"{"AWS": "arn:aws:iam::111122223333:group/g"}"#,
            &[r#"invalid-principal error "arn:aws:iam::111122223333:group/g""#],
        ),
        (
            r#"{"AWS": "arn:aws:s3:::b"}"#,
            &[r#"invalid-principal error "arn:aws:s3:::b""#],
        ),
        (
            r#"{"AWS": "arn:aws:iam::11112222:root"}"#,
            &[r#"invalid-principal error "arn:aws:iam::11112222:root""#],
        ),
        (
            r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/r"}"#,
            &[r#"invalid-principal error "arn:aws:sts::111122223333:assumed-role/r""#],
        ),
        // Partial wildcards.
        (
            r#"{"AWS": "arn:aws:iam::111122223333:role/*"}"#,
            &[r#"principal-wildcard error "arn:aws:iam::111122223333:role/*""#],
        ),
        (
            r#"{"AWS": "arn:aws:iam::*:root"}"#,
            &[r#"principal-wildcard error "arn:aws:iam::*:root""#],
        ),
        (
            r#"{"Service": "*.amazonaws.com"}"#,
            &[r#"principal-wildcard error "*.amazonaws.com""#],
        ),
        // Unique IDs.
        (
            r#"{"AWS": "AROAEXAMPLEID12345678"}"#,
            &[r#"principal-unique-id warning "AROAEXAMPLEID12345678""#],
        ),
        (
            r#"{"AWS": "AKIAIOSFODNN7EXAMPLE"}"#,
            &[r#"principal-unique-id warning "AKIAIOSFODNN7EXAMPLE""#],
        ),
        // Services.
        (r#"{"Service": "cloudfront.amazonaws.com"}"#, &[]),
        (
            r#"{"Service": ["logs.us-east-1.amazonaws.com", "alexa-appkit.amazon.com"]}"#,
            &[],
        ),
        (
            r#"{"Service": "cloudfront"}"#,
            &[r#"invalid-service-principal warning "cloudfront""#],
        ),
        (
            r#"{"Service": "CloudFront.amazonaws.com"}"#,
            &[r#"invalid-service-principal warning "CloudFront.amazonaws.com""#],
        ),
        // Canonical users.
        (
            r#"{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
            &[],
        ),
        (
            r#"{"CanonicalUser": "79a59df900b949e5"}"#,
            &[r#"invalid-principal error "79a59df900b949e5""#],
        ),
        // Unknown values.
        (r#"{"AWS": "arn:aws:iam::${AWS::AccountId}:root"}"#, &[]),
        (r#"{"AWS": "<account-id>"}"#, &[]),
        (r#"{"AWS": "arn:aws:iam::(account_infra):role/r"}"#, &[]),
        (r#"{"AWS": {"Fn::GetAtt": ["Role", "Arn"]}}"#, &[]),
    ];
    for (principal, expected) in cases {
        assert_eq!(findings(&bucket(principal)), *expected, "{principal}");
    }
}

#[test]
fn federated_principals() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            r#"{"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#,
            "sts:AssumeRoleWithSAML",
            &[],
        ),
        (
            r#"{"Federated": "arn:aws:iam::111122223333:role/x"}"#,
            "sts:AssumeRoleWithSAML",
            &[r#"invalid-federated-principal error "arn:aws:iam::111122223333:role/x""#],
        ),
        (
            r#"{"Federated": "login.example.com"}"#,
            "sts:AssumeRoleWithWebIdentity",
            &[r#"invalid-federated-principal warning "login.example.com""#],
        ),
    ];
    for (principal, action, expected) in cases {
        assert_eq!(
            findings(&trust(principal, action, "")),
            *expected,
            "{principal}"
        );
    }
}

#[test]
fn allow_with_notprincipal() {
    let statement = |effect: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "NotPrincipal": {{"AWS": "arn:aws:iam::111122223333:user/u"}}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}}]}}"#
        )
    };
    assert_eq!(
        findings(&statement("Allow")),
        [r#"allow-with-notprincipal warning "NotPrincipal""#]
    );
    assert_eq!(findings(&statement("Deny")), Vec::<String>::new());
}

#[test]
fn oidc_trust() {
    const GITHUB: &str = r#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#;
    const EKS: &str = r#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}"#;
    let condition = |operator: &str, key: &str, value: &str| {
        format!(r#", "Condition": {{"{operator}": {{"{key}": "{value}"}}}}"#)
    };
    let aud = condition(
        "StringEquals",
        "token.actions.githubusercontent.com:aud",
        "sts.amazonaws.com",
    );
    let sub = |operator: &str, value: &str| {
        condition(operator, "token.actions.githubusercontent.com:sub", value)
    };
    let github_principal = r#"github-oidc-sub warning "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com""#;
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (GITHUB, String::new(), vec![github_principal]),
        (GITHUB, aud, vec![github_principal]),
        (
            GITHUB,
            sub("StringNotLike", "repo:org/app:*"),
            vec![github_principal],
        ),
        (
            GITHUB,
            sub("StringEquals", "repo:org/app:ref:refs/heads/main"),
            vec![],
        ),
        (
            GITHUB,
            sub("StringLike", "repo:org/*"),
            vec![r#"github-oidc-sub warning "repo:org/*""#],
        ),
        (
            GITHUB,
            sub("StringLike", "repo:*"),
            vec![r#"github-oidc-sub warning "repo:*""#],
        ),
        (
            GITHUB,
            sub("StringLike", "repo:org/app:*"),
            vec![r#"github-oidc-sub info "repo:org/app:*""#],
        ),
        (
            EKS,
            String::new(),
            vec![
                r#"oidc-missing-condition warning "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC""#,
            ],
        ),
        (
            EKS,
            condition(
                "StringEquals",
                "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub",
                "system:serviceaccount:ns:sa",
            ),
            vec![],
        ),
    ];
    for (principal, condition, expected) in cases {
        let text = trust(principal, "sts:AssumeRoleWithWebIdentity", &condition);
        assert_eq!(findings(&text), expected, "{condition}");
    }
}

#[test]
fn fixes() {
    let text = bucket(r#"{"Service": "cloudfront"}"#);
    let analysis = analyze(&text, &Options::default());
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::InvalidServicePrincipal)
        .expect("a finding");
    assert_eq!(
        finding.fixes[0].apply(&text),
        bucket(r#"{"Service": "cloudfront.amazonaws.com"}"#)
    );
    let text = bucket(r#"{"AWS": "1111-2222-3333"}"#);
    let analysis = analyze(&text, &Options::default());
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::InvalidPrincipal)
        .expect("a finding");
    assert_eq!(
        finding.fixes[0].apply(&text),
        bucket(r#"{"AWS": "111122223333"}"#)
    );
}
