//! End to end through the real server: editing policies inside CloudFormation YAML and
//! Terraform — JSON policies held in quoted strings, key completion, fixes that need the
//! host's block layout, quiet half-typed policies.

mod common;

use common::{Client, summarize};
use serde_json::{Value, json};

/// The quick fixes the server offers for `diagnostic`, as (title, edits).
fn quick_fixes(client: &mut Client, uri: &str, diagnostic: &Value) -> Vec<(String, Vec<Value>)> {
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic.clone()]}}),
    );
    actions
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|a| a["kind"] == "quickfix")
        .map(|a| {
            (
                a["title"].as_str().unwrap_or("").to_string(),
                a["edit"]["changes"][uri]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// A CloudFormation template whose policy is JSON in a double-quoted YAML string: the
/// diagnostic points at the escaped token, the fix writes the escapes, and applying it
/// clears the diagnostic.
#[test]
fn json_policy_in_a_double_quoted_yaml_string() {
    let uri = "file:///work/quoted.yaml";
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:GetObjekt\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, 1, text);
    let diagnostics = client.diagnostics(uri, 1);
    let line = text.lines().nth(4).unwrap();
    let start = line.find("\\\"s3:GetObjekt").unwrap() as u64;
    assert_eq!(
        summarize(&diagnostics),
        vec![("unknown-action".into(), 4, start, 4, start + 16)]
    );
    let fixes = quick_fixes(&mut client, uri, &diagnostics[0]);
    let (_, edits) = fixes
        .iter()
        .find(|(title, _)| title.contains("s3:GetObject"))
        .unwrap_or_else(|| panic!("a did-you-mean fix: {fixes:?}"));
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "s3:GetObject");
    // Inside the escaped quotes (`\"` is two characters).
    assert_eq!(edits[0]["range"]["start"]["character"], start + 2);
    assert_eq!(edits[0]["range"]["end"]["character"], start + 14);
    client.change(
        uri,
        2,
        json!([{"range": edits[0]["range"], "text": edits[0]["newText"]}]),
    );
    assert_eq!(summarize(&client.diagnostics(uri, 2)), vec![]);
    assert!(client.shutdown().success());
}

/// The same in a Terraform quoted string (HCL escapes).
#[test]
fn json_policy_in_a_terraform_quoted_string() {
    let uri = "file:///work/quoted.tf";
    let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:GetObjekt\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n}\n";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, 1, text);
    let diagnostics = client.diagnostics(uri, 1);
    let line = text.lines().nth(1).unwrap();
    let start = line.find("\\\"s3:GetObjekt").unwrap() as u64;
    assert_eq!(
        summarize(&diagnostics),
        vec![("unknown-action".into(), 1, start, 1, start + 16)]
    );
    let fixes = quick_fixes(&mut client, uri, &diagnostics[0]);
    let (_, edits) = fixes
        .iter()
        .find(|(title, _)| title.contains("s3:GetObject"))
        .unwrap_or_else(|| panic!("a did-you-mean fix: {fixes:?}"));
    assert_eq!(edits[0]["newText"], "s3:GetObject");
    // Inside the escaped quotes (`\"` is two characters).
    assert_eq!(edits[0]["range"]["start"]["character"], start + 2);
    assert_eq!(edits[0]["range"]["end"]["character"], start + 14);
    client.change(
        uri,
        2,
        json!([{"range": edits[0]["range"], "text": edits[0]["newText"]}]),
    );
    assert_eq!(summarize(&client.diagnostics(uri, 2)), vec![]);
    assert!(client.shutdown().success());
}

/// The items of a completion answer.
fn completion_items(client: &mut Client, uri: &str, line: u32, character: u32) -> Vec<Value> {
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    result
        .get("items")
        .and_then(|i| i.as_array())
        .or_else(|| result.as_array())
        .cloned()
        .unwrap_or_default()
}

/// Keys complete in YAML (a statement's key typed on its own line, before its colon) and in a
/// Terraform `jsonencode` object, written in the host's syntax; the half-typed key draws no
/// finding meanwhile.
#[test]
fn key_completion_in_yaml_and_terraform() {
    let (mut client, _) = Client::initialized(json!({}));
    let yaml_uri = "file:///work/keys.yaml";
    let yaml = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Resource: '*'\n            Act\n";
    client.open(yaml_uri, 1, yaml);
    // A statement whose key is being typed is missing nothing yet.
    assert_eq!(summarize(&client.diagnostics(yaml_uri, 1)), vec![]);
    let items = completion_items(&mut client, yaml_uri, 9, 15);
    let action = items
        .iter()
        .find(|i| i["label"] == "Action")
        .unwrap_or_else(|| panic!("Action offered: {items:?}"));
    assert_eq!(action["textEdit"]["newText"], "Action: ");
    assert_eq!(
        action["textEdit"]["range"],
        json!({"start": {"line": 9, "character": 12}, "end": {"line": 9, "character": 15}})
    );
    assert!(items.iter().all(|i| i["label"] != "Effect"), "{items:?}");

    let tf_uri = "file:///work/keys.tf";
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      Resource = \"*\"\n      NotAct\n    }]\n  })\n}\n";
    client.open(tf_uri, 1, tf);
    assert_eq!(summarize(&client.diagnostics(tf_uri, 1)), vec![]);
    let items = completion_items(&mut client, tf_uri, 6, 12);
    let not_action = items
        .iter()
        .find(|i| i["label"] == "NotAction")
        .unwrap_or_else(|| panic!("NotAction offered: {items:?}"));
    assert_eq!(not_action["textEdit"]["newText"], "NotAction = ");
    assert_eq!(
        not_action["textEdit"]["range"],
        json!({"start": {"line": 6, "character": 6}, "end": {"line": 6, "character": 12}})
    );

    // In a data source, its own names: `condition` typed as a bare word in a statement.
    let doc_uri = "file:///work/document.tf";
    let doc = "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"s3:GetObject\"]\n    resources = [\"*\"]\n    cond\n  }\n}\n";
    client.open(doc_uri, 1, doc);
    assert_eq!(summarize(&client.diagnostics(doc_uri, 1)), vec![]);
    let items = completion_items(&mut client, doc_uri, 4, 8);
    let condition = items
        .iter()
        .find(|i| i["label"] == "condition")
        .unwrap_or_else(|| panic!("condition offered: {items:?}"));
    assert_eq!(condition["textEdit"]["newText"], "condition {}");
    assert!(items.iter().all(|i| i["label"] != "Condition"), "{items:?}");
    assert!(client.shutdown().success());
}

/// A fix that adds a list element in YAML block layout, through the server: the edit is a
/// new `- ` line at the list's indentation, and applying it clears the diagnostic.
#[test]
fn block_layout_fix_through_the_server() {
    let uri = "file:///work/layout.yaml";
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:GetObject\n              - s3:ListBucket\n            Resource:\n              - arn:aws:s3:::b\n";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, 1, text);
    let diagnostics = client.diagnostics(uri, 1);
    let mismatch = diagnostics
        .iter()
        .find(|d| d["code"] == "resource-type-mismatch")
        .unwrap_or_else(|| panic!("{diagnostics:?}"))
        .clone();
    let fixes = quick_fixes(&mut client, uri, &mismatch);
    let (_, edits) = fixes
        .iter()
        .find(|(title, _)| title.starts_with("Add"))
        .unwrap_or_else(|| panic!("an Add fix: {fixes:?}"));
    assert_eq!(
        edits,
        &vec![json!({
            "range": {"start": {"line": 12, "character": 30}, "end": {"line": 12, "character": 30}},
            "newText": "\n              - arn:aws:s3:::b/*"
        })]
    );
    client.change(
        uri,
        2,
        json!([{"range": edits[0]["range"], "text": edits[0]["newText"]}]),
    );
    let after = client.diagnostics(uri, 2);
    assert!(
        after.iter().all(|d| d["code"] != "resource-type-mismatch"),
        "{after:?}"
    );
    assert!(client.shutdown().success());
}

/// A statement typed one character at a time into a YAML template, through the server: no
/// state shows a finding but those of the finished template and what a statement still being
/// written lacks (`missing-action`, `missing-resource` once its `Effect:` is there, an
/// `invalid-effect` while `Deny` is half-typed) — no `wrong-type` for a key typed before its
/// colon, no `empty-array` for a `-` or a quote still open.
#[test]
fn typing_a_statement_into_yaml_stays_quiet() {
    let uri = "file:///work/typing.yaml";
    let head = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObjekt\n            Resource: '*'\n";
    let typed = "          - Effect: Deny\n            Action:\n              - 's3:PutObject'\n            Resource: \"arn:aws:s3:::b/*\"\n            Condition:\n              StringEquals:\n                aws:SourceAccount: '123456789012'\n";
    let tail = "  Q:\n    Type: AWS::S3::Bucket\n";
    let (mut client, _) = Client::initialized(json!({}));
    client.open(uri, 1, &format!("{head}{tail}"));
    let before = summarize(&client.diagnostics(uri, 1));
    assert_eq!(before.len(), 1, "{before:?}");
    let allowed = ["missing-action", "missing-resource", "invalid-effect"];
    let mut states = 0;
    let mut last = Vec::new();
    for cut in 1..=typed.len() {
        let part = &typed[..cut];
        let line_break = if part.ends_with('\n') { "" } else { "\n" };
        let text = format!("{head}{part}{line_break}{tail}");
        let version = cut as i64 + 1;
        client.change(uri, version, json!([{"text": text}]));
        let found = summarize(&client.diagnostics(uri, version));
        states += 1;
        last = found.clone();
        for finding in &found {
            assert!(
                before.contains(finding) || allowed.contains(&finding.0.as_str()),
                "{finding:?} after typing {part:?}"
            );
        }
    }
    assert_eq!(last, before, "the finished template");
    assert!(states > 100);
    assert!(client.shutdown().success());
}
