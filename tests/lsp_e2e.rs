//! End-to-end: the real server binary over stdio, driven the way an editor drives it.

mod common;

use common::{Client, summarize};
use serde_json::json;

const URI: &str = "file:///work/policy.json";
const ALOW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

fn utf16_client() -> (Client, serde_json::Value) {
    Client::initialized(json!({}))
}

fn utf8_client() -> (Client, serde_json::Value) {
    Client::initialized(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}))
}

#[test]
fn initialize_advertises_what_is_implemented() {
    let (client, result) = utf16_client();
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert!(caps["completionProvider"].is_object());
    assert_eq!(caps["hoverProvider"], true);
    assert!(caps["codeActionProvider"].is_object());
    assert!(caps.get("definitionProvider").is_none());
    assert_eq!(result["serverInfo"]["name"], "iam-policy-lsp");
    assert!(client.shutdown().success());

    let (client, result) = utf8_client();
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert!(client.shutdown().success());
}

#[test]
fn invalid_effect_appears_moves_and_clears() {
    let (mut client, _) = utf16_client();
    client.open(URI, 1, ALOW);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(
        summarize(&diagnostics),
        vec![("invalid-effect".into(), 0, 51, 0, 57)]
    );
    let d = &diagnostics[0];
    assert_eq!(d["source"], "iam-policy-lsp");
    assert_eq!(d["severity"], 1);
    assert!(d["message"].as_str().unwrap().contains("\"Alow\""));
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .contains("reference_policies_elements_effect")
    );

    // Insert a line before the statement: the diagnostic moves down with its token.
    client.change(URI, 2, json!([{"range": {"start": {"line": 0, "character": 39}, "end": {"line": 0, "character": 39}}, "text": "\n  "}]));
    assert_eq!(
        summarize(&client.diagnostics(URI, 2)),
        vec![("invalid-effect".into(), 1, 14, 1, 20)]
    );

    // Fix the typo: "Alow" → "Allow".
    client.change(URI, 3, json!([{"range": {"start": {"line": 1, "character": 16}, "end": {"line": 1, "character": 16}}, "text": "l"}]));
    assert!(client.diagnostics(URI, 3).is_empty());

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(client.cleared(URI).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn half_typed_statement_keeps_other_diagnostics_in_place() {
    let (mut client, _) = utf16_client();
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}\n";
    client.open(URI, 1, text);
    let before = summarize(&client.diagnostics(URI, 1));
    assert_eq!(before, vec![("invalid-effect".into(), 3, 15, 3, 21)]);
    // Start typing a second statement after the first one, character by character.
    let typed = ",\n    {\"Effect\": \"Deny\", \"Act";
    let (mut line, mut character) = (3, text.lines().nth(3).unwrap().len());
    for (i, ch) in typed.chars().enumerate() {
        let version = 2 + i as i64;
        let at = json!({"line": line, "character": character});
        client.change(
            URI,
            version,
            json!([{"range": {"start": at, "end": at}, "text": ch.to_string()}]),
        );
        if ch == '\n' {
            (line, character) = (line + 1, 0);
        } else {
            character += 1;
        }
    }
    let last = 1 + typed.chars().count() as i64;
    let after = summarize(&client.diagnostics(URI, last));
    assert!(
        after.contains(&("invalid-effect".into(), 3, 15, 3, 21)),
        "{after:?}"
    );
    assert!(
        after
            .iter()
            .all(|d| d.0 == "invalid-effect" || d.0 == "json-syntax"),
        "{after:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn utf16_and_utf8_ranges_after_an_emoji_and_cjk() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"😀数据\"}, \"StringLik\": {\"s3:prefix\": \"x\"}}}]}";
    let prefix = &text[..text.find("\"StringLik\"").unwrap()];
    let utf16 = prefix.encode_utf16().count() as u64;
    let utf8 = prefix.len() as u64;
    let (mut client, _) = utf16_client();
    client.open(URI, 1, text);
    assert_eq!(
        summarize(&client.diagnostics(URI, 1)),
        vec![("invalid-condition-operator".into(), 0, utf16, 0, utf16 + 11)]
    );
    // An incremental edit addressed in UTF-16 after the emoji: "StringLik" → "StringLike".
    client.change(URI, 2, json!([{"range": {"start": {"line": 0, "character": utf16 + 10}, "end": {"line": 0, "character": utf16 + 10}}, "text": "e"}]));
    assert!(client.diagnostics(URI, 2).is_empty());
    assert!(client.shutdown().success());

    let (mut client, _) = utf8_client();
    client.open(URI, 1, text);
    assert_eq!(
        summarize(&client.diagnostics(URI, 1)),
        vec![("invalid-condition-operator".into(), 0, utf8, 0, utf8 + 11)]
    );
    client.change(URI, 2, json!([{"range": {"start": {"line": 0, "character": utf8 + 10}, "end": {"line": 0, "character": utf8 + 10}}, "text": "e"}]));
    assert!(client.diagnostics(URI, 2).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn crlf_documents() {
    let (mut client, _) = utf16_client();
    let text = "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\r\n}\r\n";
    client.open(URI, 1, text);
    assert_eq!(
        summarize(&client.diagnostics(URI, 1)),
        vec![("invalid-effect".into(), 2, 26, 2, 32)]
    );
    client.change(URI, 2, json!([{"range": {"start": {"line": 2, "character": 28}, "end": {"line": 2, "character": 28}}, "text": "l"}]));
    assert!(client.diagnostics(URI, 2).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn quick_fix_through_code_action() {
    let (mut client, _) = utf16_client();
    client.open(URI, 1, ALOW);
    let diagnostics = client.diagnostics(URI, 1);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": diagnostics[0]["range"], "context": {"diagnostics": diagnostics}}),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "Change to \"Allow\"");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    let edits = action["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "Allow");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 52})
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": 0, "character": 56})
    );
    client.change(
        URI,
        2,
        json!([{"range": edits[0]["range"], "text": "Allow"}]),
    );
    assert!(client.diagnostics(URI, 2).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn completion_and_hover() {
    let (mut client, _) = utf16_client();
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    client.open(URI, 1, text);
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 52}}),
    );
    let labels: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["Allow", "Deny"]);
    assert_eq!(
        result[0]["textEdit"]["range"]["start"],
        json!({"line": 0, "character": 52})
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 44}}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**Effect**")
    );
    assert_eq!(hover["range"]["start"], json!({"line": 0, "character": 41}));
    assert!(client.shutdown().success());
}

#[test]
fn non_policy_json_gets_no_diagnostics() {
    let (mut client, _) = utf16_client();
    client.open(
        "file:///work/package.json",
        1,
        r#"{"name": "x", "version": "1.0.0",}"#,
    );
    assert!(
        client
            .diagnostics("file:///work/package.json", 1)
            .is_empty()
    );
    assert!(client.shutdown().success());
}

#[test]
fn settings_turn_rules_off_and_regrade_them() {
    let mut client = Client::spawn();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": {"rules": {"invalid-effect": "warning"}}}),
    );
    client.notify("initialized", json!({}));
    client.open(URI, 1, ALOW);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(diagnostics[0]["severity"], 2);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamPolicyLsp": {"rules": {"invalid-effect": "off"}}}}),
    );
    assert!(client.diagnostics(URI, 1).is_empty());
    assert!(client.shutdown().success());
}
