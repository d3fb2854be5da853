//! The security warnings, a snippet at a time: one identity-policy statement and the findings
//! of `pass-role-star` and `create-slr-star` (`code severity token`), each beside the nearest
//! statement that is right.

use crate::analysis::Code;
use crate::analysis::rules::spec::code_severity_token;

fn findings(text: &str, declared: Option<&str>) -> Vec<String> {
    code_severity_token(text, declared, &[Code::PassRoleStar, Code::CreateSlrStar])
}

fn statement(body: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", {body}}}]}}"#)
}

#[test]
fn pass_role_and_create_slr() {
    let cases: &[(&str, &[&str])] = &[
        (
            r#""Action": "iam:PassRole", "Resource": "*""#,
            &[r#"pass-role-star warning "iam:PassRole""#],
        ),
        (
            r#""Action": "iam:passrole", "Resource": "arn:aws:iam::*:role/*""#,
            &[r#"pass-role-star warning "iam:passrole""#],
        ),
        (
            r#""Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-*""#,
            &[],
        ),
        (
            r#""Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#,
            &[],
        ),
        (
            r#""Action": "iam:PassRole", "Resource": "*", "Condition": {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#,
            &[r#"pass-role-star warning "iam:PassRole""#],
        ),
        (
            r#""Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/admin""#,
            &[r#"pass-role-star warning "iam:PassRole""#],
        ),
        (
            r#""Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/*""#,
            &[],
        ),
        // Through wildcards and NotAction: information.
        (
            r#""Action": "iam:*", "Resource": "*""#,
            &[
                r#"pass-role-star info "iam:*""#,
                r#"create-slr-star info "iam:*""#,
            ],
        ),
        (r#""Action": "iam:Get*", "Resource": "*""#, &[]),
        (
            r#""NotAction": "s3:*", "Resource": "*""#,
            &[
                r#"pass-role-star info "NotAction""#,
                r#"create-slr-star info "NotAction""#,
            ],
        ),
        (r#""NotAction": ["s3:*", "iam:*"], "Resource": "*""#, &[]),
        // Service-linked roles.
        (
            r#""Action": "iam:CreateServiceLinkedRole", "Resource": "*""#,
            &[r#"create-slr-star warning "iam:CreateServiceLinkedRole""#],
        ),
        (
            r#""Action": "iam:CreateServiceLinkedRole", "Resource": "*", "Condition": {"StringLike": {"iam:AWSServiceName": "autoscaling.amazonaws.com"}}"#,
            &[],
        ),
        (
            r#""Action": "iam:CreateServiceLinkedRole", "Resource": "arn:aws:iam::*:role/aws-service-role/autoscaling.amazonaws.com/*""#,
            &[],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(findings(&statement(body), None), *expected, "{body}");
    }
}

#[test]
fn only_where_a_principal_holds_the_grants() {
    let text = statement(r#""Action": "iam:PassRole", "Resource": "*""#);
    assert_eq!(findings(&text, Some("scp")), Vec::<String>::new());
    assert_eq!(
        findings(&text, Some("boundary")),
        [r#"pass-role-star info "iam:PassRole""#]
    );
    let deny = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]}"#;
    assert_eq!(findings(deny, None), Vec::<String>::new());
    let resource_policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "iam:PassRole", "Resource": "*"}]}"#;
    assert_eq!(findings(resource_policy, None), Vec::<String>::new());
}
