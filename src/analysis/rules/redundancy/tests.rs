//! Specifications of the suggestions: the entry flagged, its message and fix, the nearest list
//! without a redundant entry, and what the fixes leave.

use expect_test::{Expect, expect};

use super::covers;
use crate::analysis::{Code, Finding, Options, analyze};

fn findings(text: &str) -> Vec<Finding> {
    analyze(text, &Options::default())
        .findings
        .into_iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::RedundantAction
                    | Code::RedundantResource
                    | Code::EmptyObject
                    | Code::EmptySid
            )
        })
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

fn policy(statement: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#)
}

/// `bad` gets `expected`, `good` nothing, and applying every preferred fix of `bad` at once
/// gives `fixed`, which has no finding left that a fix could remove.
fn spec(bad: &str, expected: Expect, good: &str, fixed: &str) {
    expected.assert_eq(&render(bad));
    assert_eq!(render(good), "", "{good}");
    let edits: Vec<_> = findings(bad)
        .iter()
        .flat_map(|f| f.fixes.iter().filter(|x| x.preferred))
        .flat_map(|x| x.edits.clone())
        .collect();
    let out = crate::analysis::finding::apply_edits(bad, &edits);
    assert_eq!(out, fixed);
    assert!(findings(&out).iter().all(|f| f.fixes.is_empty()), "{out}");
}

#[test]
fn actions_covered_by_another_entry() {
    spec(
        &policy(
            r#"{"Effect": "Allow", "Action": ["iam:Get*", "iam:GetCredentialReport", "s3:*", "S3:GetObject", "iam:get*"], "Resource": "*"}"#,
        ),
        expect![[r#"
            redundant-action hint "\"iam:GetCredentialReport\"": "iam:GetCredentialReport" is already covered by "iam:Get*" in this Action: removing it changes nothing [fixes: Remove "iam:GetCredentialReport"]
            redundant-action hint "\"S3:GetObject\"": "S3:GetObject" is already covered by "s3:*" in this Action: removing it changes nothing [fixes: Remove "S3:GetObject"]
            redundant-action hint "\"iam:get*\"": "iam:get*" is listed twice in this Action: removing it changes nothing [fixes: Remove "iam:get*"]
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Action": ["iam:Get*", "iam:*CredentialReport", "s3:GetObject", "s3:GetObjectAcl"], "Resource": "*"}"#,
        ),
        &policy(r#"{"Effect": "Allow", "Action": ["iam:Get*", "s3:*"], "Resource": "*"}"#),
    );
}

#[test]
fn resources_covered_by_another_entry() {
    spec(
        &policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": ["arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/jane-admin"]}"#,
        ),
        expect![[r#"
            redundant-resource hint "\"arn:aws:iam::111122223333:role/jane-admin\"": "arn:aws:iam::111122223333:role/jane-admin" is already covered by "arn:aws:iam::111122223333:role/jane*" in this NotResource: removing it changes nothing [fixes: Remove "arn:aws:iam::111122223333:role/jane-admin"]
        "#]],
        // Resources compare with case; variables are left alone.
        &policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/Jane-admin", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${aws:username}/x"]}"#,
        ),
        &policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": ["arn:aws:iam::111122223333:role/jane*"]}"#,
        ),
    );
}

#[test]
fn empty_objects() {
    spec(
        &policy(
            r#"{"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {}, "Bool": {"aws:SecureTransport": "true"}}}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {}}"#,
        ),
        expect![[r#"
            empty-object warning "{}": Principal is empty: the statement applies to no one; name a principal or "*"
            empty-object hint "{}": StringEquals has no condition keys: it adds nothing, remove it [fixes: Remove the empty StringEquals]
            empty-object hint "{}": Condition is empty: it adds nothing, remove it [fixes: Remove the empty Condition]
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
        ),
        &policy(
            r#"{"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
        ),
    );
}

#[test]
fn coverage_of_one_pattern_by_another() {
    let yes = [
        ("*", "s3:GetObject"),
        ("s3:Get*", "s3:GetObject*"),
        ("s3:Get*", "s3:GetObject?"),
        ("s3:Get?bject", "s3:GetObject"),
        ("S3:GET*", "s3:getobject"),
        ("a*c*e", "abcde"),
    ];
    for (outer, inner) in yes {
        assert!(covers(outer, inner, false), "{outer} ⊇ {inner}");
    }
    let no = [
        ("iam:Get*", "iam:*CredentialReport"),
        ("s3:Get?bject", "s3:Get*bject"),
        ("s3:GetObject", "s3:GetObject*"),
        ("s3:Get?", "s3:Get"),
        ("a*c", "abcd"),
    ];
    for (outer, inner) in no {
        assert!(!covers(outer, inner, false), "{outer} ⊉ {inner}");
    }
    assert!(!covers("arn:aws:s3:::B*", "arn:aws:s3:::b1", true));
}

#[test]
fn empty_sids() {
    spec(
        &policy(r#"{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
        expect![[r#"
            empty-sid hint "\"\"": the Sid is empty: it names nothing, remove it or give the statement a name [fixes: Remove the empty Sid]
        "#]],
        &policy(r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
        &policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
    );
}
