//! Specifications of `variable-not-allowed` and `wildcard-in-service`.

use expect_test::expect;

use crate::analysis::Code;
use crate::analysis::rules::spec::{policy, silent, spec};

const CODES: [Code; 2] = [Code::VariableNotAllowed, Code::WildcardInService];

#[test]
fn variables_where_iam_does_not_substitute_them() {
    spec(
        &CODES,
        &policy(
            r#"{"Effect": "Allow", "Action": "s3:${aws:username}", "Resource": ["arn:aws:s3:::b/${aws:username}/*", "arn:${aws:PrincipalTag/partition}:iam::*:role/x"], "Condition": {"StringEquals": {"aws:ResourceTag/${aws:username}": "a"}}}"#,
        ),
        expect![[r#"
            variable-not-allowed warning "${aws:username}": IAM substitutes policy variables in Resource ARNs and in String and ARN condition values: in Action `${aws:username}` stays literal text, which never matches
            variable-not-allowed warning "${aws:PrincipalTag/partition}": IAM substitutes policy variables in Resource ARNs and in String and ARN condition values: in an ARN's partition or service `${aws:PrincipalTag/partition}` stays literal text, which never matches
            variable-not-allowed warning "${aws:username}": IAM substitutes policy variables in Resource ARNs and in String and ARN condition values: in a condition key `${aws:username}` stays literal text, which never matches
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/${aws:username}/*", "arn:aws:iam::*:role/x", "arn:aws:kms:${aws:RequestedRegion}:${aws:PrincipalAccount}:key/*"], "Condition": {"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}}"#,
        ),
    );
    spec(
        &CODES,
        &policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"}, "Action": "s3:GetObject", "Resource": "*"}"#,
        ),
        expect![[r#"
            variable-not-allowed warning "${aws:username}": IAM substitutes policy variables in Resource ARNs and in String and ARN condition values: in Principal `${aws:username}` stays literal text, which never matches
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:GetObject", "Resource": "*"}"#,
        ),
    );
}

#[test]
fn host_placeholders_are_not_policy_variables() {
    silent(
        &CODES,
        &[
            policy(
                r#"{"Effect": "Allow", "Action": "${Service}:GetObject", "Resource": "arn:${AWS::Partition}:s3:::${Bucket}/*"}"#,
            ),
            policy(
                r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:iam::${var.account}:role/x", "Condition": {"StringEquals": {"${var.oidc}:sub": "x"}}}"#,
            ),
            // `${*}` is the literal character, and an unclosed brace is no variable.
            policy(r#"{"Effect": "Allow", "Action": "s3:Get${*}", "Resource": "*"}"#),
        ],
    );
}

#[test]
fn wildcards_in_service_names() {
    spec(
        &CODES,
        &policy(
            r#"{"Effect": "Allow", "Action": ["*code*:Get*", "s?s:Send*"], "Resource": "arn:aws:*code*::111122223333:*"}"#,
        ),
        expect![[r#"
            wildcard-in-service info "*code*": the service name `*code*` of this action has a wildcard: it reaches every service whose name fits, including ones AWS adds later; name the services
            wildcard-in-service info "s?s": the service name `s?s` of this action has a wildcard: it reaches every service whose name fits, including ones AWS adds later; name the services
            wildcard-in-service info "*code*": the service name `*code*` of this ARN has a wildcard: it reaches every service whose name fits, including ones AWS adds later; name the services
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Action": ["codecommit:Get*", "sqs:Send*"], "Resource": "arn:aws:codecommit:us-east-1:111122223333:*"}"#,
        ),
    );
    // The whole `*` means every service, on purpose.
    silent(
        &CODES,
        &[
            policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#),
            policy(
                r#"{"Effect": "Allow", "Action": "*:Describe*", "Resource": "arn:aws:*:*:*:*"}"#,
            ),
        ],
    );
}
