//! End-to-end: the condition and suggestion rules through the real server binary, with the
//! exact token each diagnostic covers and a redundant action removed through a code action.

mod common;

use common::{Client, summarize};
use serde_json::json;

const URI: &str = "file:///work/conditions.json";

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:RunInstances", "ec2:StartInstances"],
      "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/x", "arn:aws:s3:::b/${aws:username"],
      "Condition": {
        "StringLike": {"s3:prefix": "home/"},
        "DateGreaterThan": {"aws:CurrentTime": "not-a-date"},
        "IpAddress": {"aws:SourceIp": "300.1.2.3/99"},
        "ForAllValues:StringEquals": {"aws:PrincipalTag/team": ["a", "b"]},
        "StringEquals": {"aws:PrincipalTag/job": "admin-*"},
        "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"},
        "ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/*"}
      }
    },
    {
      "Effect": "Allow",
      "Action": ["iam:Get*", "iam:GetCredentialReport"],
      "Resource": "*",
      "Condition": {}
    }
  ]
}"#;

/// The (line, character) of the first occurrence of `needle` at or after `from` (the text is
/// ASCII: characters are bytes).
fn position(needle: &str, from: &str) -> (u64, u64) {
    let start = POLICY.find(from).expect(from);
    let at = start + POLICY[start..].find(needle).expect(needle);
    let line = POLICY[..at].matches('\n').count() as u64;
    let column = at - POLICY[..at].rfind('\n').map_or(0, |n| n + 1);
    (line, column as u64)
}

fn expected(code: &str, needle: &str, from: &str) -> (String, u64, u64, u64, u64) {
    let (line, start) = position(needle, from);
    (
        code.to_string(),
        line,
        start,
        line,
        start + needle.len() as u64,
    )
}

#[test]
fn condition_and_suggestion_diagnostics_cover_their_tokens() {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, POLICY);
    let diagnostics = client.diagnostics(URI, 1);
    let mut got = summarize(&diagnostics);
    got.sort_by_key(|d| (d.1, d.2));
    let mut want = vec![
        // The ARN rules compose: no ec2 action applies to an S3 object.
        expected(
            "resource-type-mismatch",
            r#""arn:aws:s3:::b/*""#,
            "\"Resource\"",
        ),
        expected(
            "resource-type-mismatch",
            r#""arn:aws:s3:::b/x""#,
            "\"Resource\"",
        ),
        expected(
            "resource-type-mismatch",
            r#""arn:aws:s3:::b/${aws:username""#,
            "\"Resource\"",
        ),
        expected(
            "invalid-policy-variable",
            "${aws:username",
            "arn:aws:s3:::b/${",
        ),
        expected(
            "redundant-resource",
            r#""arn:aws:s3:::b/x""#,
            "\"Resource\"",
        ),
        expected(
            "condition-key-not-applicable",
            r#""s3:prefix""#,
            "StringLike",
        ),
        expected("condition-value-type", r#""not-a-date""#, "DateGreaterThan"),
        expected("condition-value-type", r#""300.1.2.3/99""#, "IpAddress"),
        expected(
            "forallvalues-single-valued",
            r#""aws:PrincipalTag/team""#,
            "ForAllValues",
        ),
        expected("wildcard-without-like", "*", "admin-"),
        expected("private-source-ip", r#""aws:SourceIp""#, "NotIpAddress"),
        expected("deprecated-condition-key", r#""aws:ARN""#, "ArnLike"),
        expected(
            "redundant-action",
            r#""iam:GetCredentialReport""#,
            "iam:Get*",
        ),
        expected("empty-object", "{}", "\"Condition\": {}"),
    ];
    want.sort_by_key(|d| (d.1, d.2));
    assert_eq!(got, want, "{diagnostics:#?}");

    // The redundant action's quick fix, through codeAction, removes it and its diagnostic.
    let redundant = diagnostics
        .iter()
        .find(|d| d["code"] == "redundant-action")
        .unwrap();
    assert_eq!(redundant["severity"], 4, "a hint");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": redundant["range"], "context": {"diagnostics": [redundant]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Remove \"iam:GetCredentialReport\"")
        .expect("the quick fix");
    let edits = action["edit"]["changes"][URI].as_array().unwrap().clone();
    let changes: Vec<_> = edits
        .iter()
        .map(|e| json!({"range": e["range"], "text": e["newText"]}))
        .collect();
    client.change(URI, 2, json!(changes));
    let after = summarize(&client.diagnostics(URI, 2));
    assert!(after.iter().all(|d| d.0 != "redundant-action"), "{after:?}");
    assert_eq!(after.len(), want.len() - 1);
    assert!(client.shutdown().success());
}

const MORE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*",
      "Condition": {
        "ForAllValues:Null": {"aws:TagKeys": "false"},
        "Bool": {"aws:SecureTransport": ["true", "false"]},
        "StringEquals": {"aws:SourceVpc": "vpc-123"},
        "IpAddress": {"aws:SourceIp": "203.0.113.5/24"}
      }
    }
  ]
}"#;

#[test]
fn set_operators_booleans_vpc_ids_host_bits_and_empty_sids() {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, MORE);
    let diagnostics = client.diagnostics(URI, 1);
    let mut got = summarize(&diagnostics);
    got.sort_by_key(|d| (d.1, d.2));
    let at = |code: &str, needle: &str| {
        let at = MORE.find(needle).expect(needle);
        let line = MORE[..at].matches('\n').count() as u64;
        let column = (at - MORE[..at].rfind('\n').map_or(0, |n| n + 1)) as u64;
        (
            code.to_string(),
            line,
            column,
            line,
            column + needle.len() as u64,
        )
    };
    let want = vec![
        at("empty-sid", r#""""#),
        at("null-with-set-operator", r#""aws:TagKeys""#),
        at("multiple-bool-values", r#""aws:SecureTransport""#),
        at("invalid-vpc-id", r#""vpc-123""#),
        at("ip-host-bits", r#""203.0.113.5/24""#),
    ];
    assert_eq!(got, want, "{diagnostics:#?}");
    assert!(client.shutdown().success());
}

/// The labels completion offers at the first `@` of `marked` (which is removed).
fn completion_labels(marked: &str) -> Vec<String> {
    let at = marked.find('@').unwrap();
    let text = marked.replacen('@', "", 1);
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, &text);
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": at}}),
    );
    let items = result
        .as_array()
        .or_else(|| result["items"].as_array())
        .expect("completion items");
    let labels = items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert!(client.shutdown().success());
    labels
}

#[test]
fn completion_offers_the_tag_keys_of_the_statements_actions_only() {
    let doc = |action: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "{action}", "Resource": "*", "Condition": {{"StringEquals": {{"@"}}}}}}]}}"#
        )
    };
    let get_object = completion_labels(&doc("s3:GetObject"));
    assert!(
        get_object.iter().any(|l| l == "aws:SourceIp"),
        "{get_object:?}"
    );
    assert!(
        !get_object.iter().any(|l| l == "aws:TagKeys"),
        "{get_object:?}"
    );
    let tag_role = completion_labels(&doc("iam:TagRole"));
    assert!(tag_role.iter().any(|l| l == "aws:TagKeys"), "{tag_role:?}");
}

/// Resource ARN templates through the server: those of the statement's actions, as snippets
/// with placeholders when the client takes snippets, narrowed by what is typed.
#[test]
fn completion_offers_the_arn_templates_of_the_statements_actions() {
    let marked = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "lambda:InvokeFunction"], "Resource": "arn:aws:s3:::b@"}]}"#;
    let at = marked.find('@').unwrap();
    let text = marked.replacen('@', "", 1);
    let (mut client, _) = Client::initialized(json!({
        "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
    }));
    client.open(URI, 1, &text);
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": at}}),
    );
    let items = result
        .as_array()
        .or_else(|| result["items"].as_array())
        .expect("completion items")
        .clone();
    assert!(client.shutdown().success());
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    let object = items
        .iter()
        .find(|i| i["label"] == "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
        .unwrap_or_else(|| panic!("no S3 object template in {labels:?}"));
    assert_eq!(object["insertTextFormat"], 2, "{object:#}");
    assert_eq!(
        object["textEdit"]["newText"], "arn:${1:aws}:s3:::${2:*}/${3:*}",
        "{object:#}"
    );
    // The Lambda function's template cannot become what is typed.
    assert!(!labels.iter().any(|l| l.contains(":lambda:")), "{labels:?}");
}
