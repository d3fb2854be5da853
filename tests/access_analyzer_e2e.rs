//! The checks after IAM Access Analyzer's, end to end: each code's finding comes out of the
//! real server binary at its token, and its quick fix applies through `codeAction`.

mod common;

use common::{Client, summarize};
use serde_json::{Value, json};

const URI: &str = "file:///work/aa.json";

/// `(code, line, start, line, end)` of `token` in `text`, the `[`…`]`-marked part of it
/// (`"arn:aws:iam::[12345]:role/r"`) when it has one (ASCII text: UTF-16 columns are byte
/// columns).
fn at(text: &str, code: &str, token: &str) -> (String, u64, u64, u64, u64) {
    let (whole, inner, skip) = match token.split_once('[') {
        Some((before, rest)) => {
            let inner = rest.split_once(']').expect("a closing ]").0;
            (
                token.replace(['[', ']'], ""),
                inner.to_string(),
                before.len(),
            )
        }
        None => (token.to_string(), token.to_string(), 0),
    };
    let offset = text
        .find(&whole)
        .unwrap_or_else(|| panic!("{whole} in the text"))
        + skip;
    let token = inner.as_str();
    let line = text[..offset].matches('\n').count() as u64;
    let column = (offset - text[..offset].rfind('\n').map_or(0, |n| n + 1)) as u64;
    (
        code.to_string(),
        line,
        column,
        line,
        column + token.len() as u64,
    )
}

/// The diagnostics of `text`, opened alone in a new server, sorted as the server sends them.
fn diagnostics(text: &str) -> (Client, Vec<Value>) {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, text);
    let diagnostics = client.diagnostics(URI, 1);
    (client, diagnostics)
}

/// The edit of the preferred quick fix offered for `diagnostic`.
fn preferred_fix(client: &mut Client, diagnostic: &Value) -> Value {
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred fix in {actions}"))
        .clone();
    action["edit"]["changes"][URI].clone()
}

#[test]
fn arn_findings_and_their_fixes() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Action": "*", "Resource": [
  "s3:::b",
  "arn:amazon:s3:::b",
  "arn:aws:S3:::b",
  "arn:aws:iam:us-east-1:123456789012:role/r",
  "arn:aws:iam::12345:role/r",
  "arn:aws:dynamodb:us-east-1:123456789012:tabel/T"
]},
{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"}
]}"#;
    let (mut client, found) = diagnostics(text);
    assert_eq!(
        summarize(&found),
        [
            at(text, "invalid-arn", r#""s3:::b""#),
            at(text, "arn-partition", "amazon"),
            at(text, "arn-service-case", "S3"),
            at(text, "arn-region", "us-east-1"),
            at(text, "arn-account", "arn:aws:iam::[12345]:role/r"),
            at(text, "arn-resource-format", "tabel"),
            at(text, "resource-type-mismatch", r#""arn:aws:s3:::bucket""#),
        ]
    );
    let mismatch = found.last().unwrap();
    assert_eq!(mismatch["severity"], 2);
    let edits = preferred_fix(&mut client, mismatch);
    assert_eq!(edits[0]["newText"], "arn:aws:s3:::bucket/*");
    client.change(
        URI,
        2,
        json!([{"range": edits[0]["range"], "text": "arn:aws:s3:::bucket/*"}]),
    );
    let after = client.diagnostics(URI, 2);
    assert!(
        after.iter().all(|d| d["code"] != "resource-type-mismatch"),
        "{after:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn principal_findings() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Principal": {
  "AWS": ["alice", "arn:aws:iam::111122223333:role/*", "AROAEXAMPLEID12345678"],
  "Service": "cloudfront",
  "CanonicalUser": "79a59df900b949e5"
 }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/u"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
]}"#;
    let (mut client, found) = diagnostics(text);
    assert_eq!(
        summarize(&found),
        [
            at(text, "invalid-principal", r#""alice""#),
            at(
                text,
                "principal-wildcard",
                r#""arn:aws:iam::111122223333:role/*""#
            ),
            at(text, "principal-unique-id", r#""AROAEXAMPLEID12345678""#),
            at(text, "invalid-service-principal", r#""cloudfront""#),
            at(text, "invalid-principal", r#""79a59df900b949e5""#),
            at(text, "allow-with-notprincipal", r#""NotPrincipal""#),
        ]
    );
    let edits = preferred_fix(&mut client, &found[3]);
    assert_eq!(edits[0]["newText"], "cloudfront.amazonaws.com");
    assert!(client.shutdown().success());
}

#[test]
fn oidc_trust_findings() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:role/x"}, "Action": "sts:AssumeRoleWithSAML"},
{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
 "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}},
{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}, "Action": "sts:AssumeRoleWithWebIdentity"}
]}"#;
    let (client, found) = diagnostics(text);
    assert_eq!(
        summarize(&found),
        [
            at(
                text,
                "invalid-federated-principal",
                r#""arn:aws:iam::111122223333:role/x""#
            ),
            at(
                text,
                "github-oidc-sub",
                r#""arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com""#
            ),
            at(
                text,
                "oidc-missing-condition",
                r#""arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC""#
            ),
        ]
    );
    assert_eq!(found[1]["severity"], 2);
    assert!(client.shutdown().success());
}

#[test]
fn security_warnings() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Action": ["iam:PassRole", "iam:CreateServiceLinkedRole"], "Resource": "*"},
{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}},
{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}
]}"#;
    let (client, found) = diagnostics(text);
    assert_eq!(
        summarize(&found),
        [
            at(text, "pass-role-star", r#""iam:PassRole""#),
            at(text, "create-slr-star", r#""iam:CreateServiceLinkedRole""#),
            at(text, "pass-role-star", r#""NotAction""#),
            at(text, "create-slr-star", r#""NotAction""#),
        ]
    );
    let severities: Vec<&Value> = found.iter().map(|d| &d["severity"]).collect();
    assert_eq!(severities, [&json!(2), &json!(2), &json!(3), &json!(3)]);
    assert!(client.shutdown().success());
}
