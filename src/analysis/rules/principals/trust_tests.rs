//! Who may assume a role, with which call, and on whose behalf a service acts, a snippet at a
//! time: each case is a policy (its type declared, or read from its content) and the findings
//! of these codes (`code severity token`), beside the nearest policy that is right.

use crate::analysis::rules::spec::{code_severity_token, options};
use crate::analysis::{Code, analyze};

const CODES: &[Code] = &[
    Code::TrustPrincipalStar,
    Code::TrustActionMismatch,
    Code::RolesAnywhereActions,
    Code::ServicePrincipalNoSource,
    Code::RedundantPrincipal,
];

fn findings(text: &str, declared: Option<&str>) -> Vec<String> {
    code_severity_token(text, declared, CODES)
}

/// A policy of one statement (a trust policy, by its content, when `rest` has no Resource).
fn policy(effect: &str, principal: &str, action: &str, rest: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "Principal": {principal}, "Action": {action}{rest}}}]}}"#
    )
}

fn check(cases: &[(String, Option<&str>, &[&str])]) {
    for (text, declared, expected) in cases {
        assert_eq!(findings(text, *declared), *expected, "{text}");
    }
}

const SAML: &str = r#"{"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#;
const OIDC: &str = r#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}"#;
const OIDC_CONDITION: &str = r#", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:sa"}}"#;

#[test]
fn trust_principal_star() {
    let org = r#", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}"#;
    let not_org = r#", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}"#;
    check(&[
        (
            policy("Allow", r#""*""#, r#""sts:AssumeRole""#, ""),
            None,
            &[r#"trust-principal-star warning "*""#],
        ),
        (
            policy("Allow", r#"{"AWS": ["*"]}"#, r#""sts:AssumeRole""#, ""),
            None,
            &[r#"trust-principal-star warning "*""#],
        ),
        (
            policy("Allow", r#"{"AWS": "*"}"#, r#""sts:AssumeRole""#, org),
            None,
            &[r#"trust-principal-star info "*""#],
        ),
        // A negated condition does not say who may.
        (
            policy("Allow", r#"{"AWS": "*"}"#, r#""sts:AssumeRole""#, not_org),
            None,
            &[r#"trust-principal-star warning "*""#],
        ),
        // The nearest right ones.
        (
            policy(
                "Allow",
                r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
                r#""sts:AssumeRole""#,
                "",
            ),
            None,
            &[],
        ),
        (
            policy("Deny", r#""*""#, r#""sts:AssumeRole""#, ""),
            None,
            &[],
        ),
        // A bucket policy's "*" is public access, not this.
        (
            policy(
                "Allow",
                r#""*""#,
                r#""s3:GetObject""#,
                r#", "Resource": "arn:aws:s3:::b/*""#,
            ),
            None,
            &[],
        ),
        // Only when the type is a trust policy.
        (
            policy("Allow", r#""*""#, r#""sts:AssumeRole""#, ""),
            Some("resource"),
            &[],
        ),
    ]);
}

#[test]
fn trust_action_mismatch() {
    let oidc_call = r#""sts:AssumeRoleWithWebIdentity""#;
    check(&[
        (
            policy("Allow", SAML, oidc_call, ""),
            None,
            &[r#"trust-action-mismatch warning "sts:AssumeRoleWithWebIdentity""#],
        ),
        (
            policy("Allow", OIDC, r#""sts:AssumeRoleWithSAML""#, OIDC_CONDITION),
            None,
            &[r#"trust-action-mismatch warning "sts:AssumeRoleWithSAML""#],
        ),
        (
            policy(
                "Allow",
                r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
                r#"["sts:AssumeRoleWithSAML", "sts:TagSession"]"#,
                "",
            ),
            None,
            &[r#"trust-action-mismatch warning "sts:AssumeRoleWithSAML""#],
        ),
        (
            policy(
                "Allow",
                r#"{"Service": "ec2.amazonaws.com"}"#,
                oidc_call,
                "",
            ),
            None,
            &[r#"trust-action-mismatch warning "sts:AssumeRoleWithWebIdentity""#],
        ),
        (
            policy("Allow", SAML, r#""sts:AssumeRole""#, ""),
            None,
            &[r#"trust-action-mismatch warning "sts:AssumeRole""#],
        ),
        // A principal no AssumeRole action of the statement serves.
        (
            policy(
                "Allow",
                r#"{"AWS": "111122223333", "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#,
                r#""sts:AssumeRole""#,
                "",
            ),
            None,
            &[r#"trust-action-mismatch warning "arn:aws:iam::111122223333:saml-provider/Okta""#],
        ),
        // The nearest right ones.
        (
            policy(
                "Allow",
                SAML,
                r#"["sts:AssumeRoleWithSAML", "sts:TagSession"]"#,
                "",
            ),
            None,
            &[],
        ),
        (policy("Allow", OIDC, oidc_call, OIDC_CONDITION), None, &[]),
        (
            policy(
                "Allow",
                r#"{"AWS": "111122223333", "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#,
                r#"["sts:AssumeRole", "sts:AssumeRoleWithSAML"]"#,
                "",
            ),
            None,
            &[],
        ),
        (policy("Allow", SAML, r#""sts:AssumeRole*""#, ""), None, &[]),
        // Session tags alone serve the principals of another statement.
        (policy("Allow", SAML, r#""sts:TagSession""#, ""), None, &[]),
        // Unknown values.
        (
            policy("Allow", r#""*""#, oidc_call, ""),
            Some("resource"),
            &[],
        ),
        (
            policy(
                "Allow",
                r#"{"Federated": {"Ref": "Provider"}}"#,
                oidc_call,
                "",
            ),
            None,
            &[],
        ),
        (
            policy(
                "Allow",
                r#"{"Federated": "arn:aws:iam::${AWS::AccountId}:saml-provider/Okta"}"#,
                oidc_call,
                "",
            ),
            None,
            &[],
        ),
        (
            policy("Allow", SAML, r#"{"Fn::If": ["C", "a", "b"]}"#, ""),
            None,
            &[],
        ),
    ]);
}

#[test]
fn roles_anywhere_actions() {
    const RA: &str = r#"{"Service": "rolesanywhere.amazonaws.com"}"#;
    let all = r#"["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]"#;
    check(&[
        (
            policy("Allow", RA, r#""sts:AssumeRole""#, ""),
            None,
            &[r#"roles-anywhere-actions warning "rolesanywhere.amazonaws.com""#],
        ),
        (
            policy("Allow", RA, r#"["sts:AssumeRole", "sts:TagSession"]"#, ""),
            None,
            &[r#"roles-anywhere-actions warning "rolesanywhere.amazonaws.com""#],
        ),
        // The nearest right ones.
        (policy("Allow", RA, all, ""), None, &[]),
        (policy("Allow", RA, r#""sts:*""#, ""), None, &[]),
        (
            policy(
                "Allow",
                RA,
                r#"["sts:AssumeRole", "sts:Set*", "sts:Tag*"]"#,
                "",
            ),
            None,
            &[],
        ),
        (
            policy(
                "Allow",
                r#"{"Service": "ec2.amazonaws.com"}"#,
                r#""sts:AssumeRole""#,
                "",
            ),
            None,
            &[],
        ),
        (
            policy("Allow", RA, r#"["sts:AssumeRole", {"Ref": "More"}]"#, ""),
            None,
            &[],
        ),
    ]);
    // Across statements.
    let split = format!(
        r#"{{"Version": "2012-10-17", "Statement": [
{{"Effect": "Allow", "Principal": {RA}, "Action": "sts:AssumeRole"}},
{{"Effect": "Allow", "Principal": {RA}, "Action": ["sts:TagSession", "sts:SetSourceIdentity"]}}]}}"#
    );
    assert_eq!(findings(&split, None), Vec::<String>::new());
}

#[test]
fn roles_anywhere_fix_adds_the_missing_actions() {
    let text = policy(
        "Allow",
        r#"{"Service": "rolesanywhere.amazonaws.com"}"#,
        r#"["sts:AssumeRole"]"#,
        "",
    );
    let analysis = analyze(&text, &options(None));
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::RolesAnywhereActions)
        .expect("a finding");
    assert_eq!(
        finding.fixes[0].apply(&text),
        policy(
            "Allow",
            r#"{"Service": "rolesanywhere.amazonaws.com"}"#,
            r#"["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]"#,
            "",
        )
    );
}

#[test]
fn mismatch_fix_is_the_principals_action() {
    let text = policy("Allow", SAML, r#""sts:AssumeRoleWithWebIdentity""#, "");
    let analysis = analyze(&text, &options(None));
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::TrustActionMismatch)
        .expect("a finding");
    assert_eq!(
        finding.fixes[0].apply(&text),
        policy("Allow", SAML, r#""sts:AssumeRoleWithSAML""#, "")
    );
}

#[test]
fn service_principal_without_source() {
    let bucket = |principal: &str, condition: &str| {
        policy(
            "Allow",
            principal,
            r#""s3:PutObject""#,
            &format!(r#", "Resource": "arn:aws:s3:::b/*"{condition}"#),
        )
    };
    const TRAIL: &str = r#"{"Service": "cloudtrail.amazonaws.com"}"#;
    check(&[
        (
            bucket(TRAIL, ""),
            None,
            &[r#"service-principal-no-source warning "cloudtrail.amazonaws.com""#],
        ),
        (
            bucket(
                TRAIL,
                r#", "Condition": {"StringLike": {"aws:Referer": "x"}}"#,
            ),
            None,
            &[r#"service-principal-no-source info "cloudtrail.amazonaws.com""#],
        ),
        (
            bucket(
                TRAIL,
                r#", "Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}}"#,
            ),
            None,
            &[r#"service-principal-no-source info "cloudtrail.amazonaws.com""#],
        ),
        // The nearest right ones.
        (
            bucket(
                TRAIL,
                r#", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}"#,
            ),
            None,
            &[],
        ),
        (
            bucket(
                TRAIL,
                r#", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}"#,
            ),
            None,
            &[],
        ),
        (
            bucket(r#"{"AWS": "arn:aws:iam::111122223333:root"}"#, ""),
            None,
            &[],
        ),
        // A role trust policy trusts its service without these keys.
        (
            policy(
                "Allow",
                r#"{"Service": "ec2.amazonaws.com"}"#,
                r#""sts:AssumeRole""#,
                "",
            ),
            None,
            &[],
        ),
        // Unknown values.
        (bucket(r#"{"Service": {"Ref": "Service"}}"#, ""), None, &[]),
        (
            bucket(TRAIL, r#", "Condition": {"Fn::If": ["C", {}, {}]}"#),
            None,
            &[],
        ),
    ]);
}

#[test]
fn redundant_principal() {
    let role = "arn:aws:iam::111122223333:role/path/app";
    let session = "arn:aws:sts::111122223333:assumed-role/app/s1";
    let aws = |values: &[&str]| {
        let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        format!(r#"{{"AWS": [{}]}}"#, quoted.join(", "))
    };
    check(&[
        (
            policy("Allow", &aws(&[role, session]), r#""sts:AssumeRole""#, ""),
            None,
            &[r#"redundant-principal hint "arn:aws:sts::111122223333:assumed-role/app/s1""#],
        ),
        // Another account's, another role's, or no role: the session says something.
        (
            policy(
                "Allow",
                &aws(&[role, "arn:aws:sts::444455556666:assumed-role/app/s1"]),
                r#""sts:AssumeRole""#,
                "",
            ),
            None,
            &[],
        ),
        (
            policy(
                "Allow",
                &aws(&[role, "arn:aws:sts::111122223333:assumed-role/other/s1"]),
                r#""sts:AssumeRole""#,
                "",
            ),
            None,
            &[],
        ),
        (
            policy("Allow", &aws(&[session]), r#""sts:AssumeRole""#, ""),
            None,
            &[],
        ),
    ]);
    // NotPrincipal needs both to exempt a role's sessions.
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "NotPrincipal": {}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}}]}}"#,
        aws(&[role, session])
    );
    assert_eq!(findings(&text, None), Vec::<String>::new());
    // The fix removes the session.
    let text = policy("Allow", &aws(&[role, session]), r#""sts:AssumeRole""#, "");
    let analysis = analyze(&text, &options(None));
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.code == Code::RedundantPrincipal)
        .expect("a finding");
    assert_eq!(
        finding.fixes[0].apply(&text),
        policy("Allow", &aws(&[role]), r#""sts:AssumeRole""#, "")
    );
}

#[test]
fn mismatch_messages_say_who_calls_what() {
    let message = |text: &str| {
        analyze(text, &options(None))
            .findings
            .into_iter()
            .find(|f| f.code == Code::TrustActionMismatch)
            .expect("a finding")
            .message
    };
    assert_eq!(
        message(&policy(
            "Allow",
            SAML,
            r#""sts:AssumeRoleWithWebIdentity""#,
            ""
        )),
        "sts:AssumeRoleWithWebIdentity is the call of an OIDC or web identity provider, which this statement does not trust (it trusts a SAML provider): the action grants nothing; a SAML provider assumes a role with sts:AssumeRoleWithSAML"
    );
    assert_eq!(
        message(&policy(
            "Allow",
            r#"{"AWS": "111122223333", "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#,
            r#"["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"]"#,
            "",
        )),
        "sts:AssumeRoleWithWebIdentity is the call of an OIDC or web identity provider, which this statement does not trust (it trusts an AWS or service principal and a SAML provider): the action grants nothing; they assume a role with sts:AssumeRole and sts:AssumeRoleWithSAML"
    );
}

#[test]
fn service_principal_messages_say_what_restricts_it() {
    let message = |condition: &str| {
        let text = policy(
            "Allow",
            r#"{"Service": "cloudtrail.amazonaws.com"}"#,
            r#""s3:PutObject""#,
            &format!(r#", "Resource": "arn:aws:s3:::b/*", "Condition": {condition}"#),
        );
        analyze(&text, &options(None))
            .findings
            .into_iter()
            .find(|f| f.code == Code::ServicePrincipalNoSource)
            .expect("a finding")
            .message
    };
    let referer = message(r#"{"StringLike": {"aws:Referer": "x"}}"#);
    assert!(referer.contains("restricted by aws:Referer"), "{referer}");
    let negated = message(r#"{"StringNotEquals": {"aws:SourceAccount": "111122223333"}}"#);
    assert!(
        negated.contains("the condition on aws:SourceAccount is negated or a Null test"),
        "{negated}"
    );
}
