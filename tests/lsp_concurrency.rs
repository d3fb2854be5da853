//! The server's concurrency, end to end (docs/ARCHITECTURE.md, "The server's concurrency"):
//! a large document's analysis holds up no request on another document, a version replaced
//! before its analysis is done is never published, and a request sees the analysis of the
//! version it was sent for. The assertions are on the order of messages, never on times: a
//! ten-megabyte document takes the server far longer to analyse than a hover on a small one
//! takes to answer, whatever the machine.

mod common;

use common::{Client, summarize};
use serde_json::{Value, json};

const SMALL: &str = "file:///work/small.json";
const BIG: &str = "file:///work/big.json";
const ALOW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

/// A policy of about ten megabytes (too large for IAM) whose first statement has
/// `"Effect": "Alow"` on line 3.
fn big_policy() -> String {
    let statement = r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/some/long/prefix/*"}"#;
    let mut text = String::from("{\n\"Version\": \"2012-10-17\",\n\"Statement\": [\n");
    text.push_str(&statement.replace("Allow", "Alow"));
    // Each statement on its own prefix: copies of one statement would each be a
    // `redundant-statement`.
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(",\n");
        text.push_str(&statement.replace("prefix/*", &format!("prefix/{i}/*")));
        i += 1;
    }
    text.push_str("\n]\n}\n");
    text
}

fn is_diagnostics_for(message: &Value, uri: &str) -> bool {
    message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
}

fn hover(client: &mut Client, uri: &str, line: u32, character: u32) -> Value {
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

#[test]
fn a_hover_on_a_small_document_is_answered_while_a_big_one_is_analysed() {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(SMALL, 1, ALOW);
    assert_eq!(client.diagnostics(SMALL, 1).len(), 1);

    client.open(BIG, 1, &big_policy());
    // `"Effect"` of the small document.
    let answer = hover(&mut client, SMALL, 0, 44);
    assert!(
        answer["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**Effect**"),
        "{answer}"
    );
    assert!(
        client
            .wait_for_now(|m| is_diagnostics_for(m, BIG))
            .is_none(),
        "the big document's diagnostics came before the hover on the small one"
    );
    // The big document's diagnostics do come, after.
    let diagnostics = summarize(&client.diagnostics(BIG, 1));
    assert!(
        diagnostics.contains(&("invalid-effect".into(), 3, 11, 3, 17)),
        "{diagnostics:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn a_version_replaced_during_its_analysis_is_not_published() {
    let (mut client, _) = Client::initialized(json!({}));
    let text = big_policy();
    client.open(BIG, 1, &text);
    // Fix the effect at once ("Alow" -> "Allow"), while version 1 is being analysed.
    client.change(
        BIG,
        2,
        json!([{"range": {"start": {"line": 3, "character": 14}, "end": {"line": 3, "character": 14}}, "text": "l"}]),
    );
    // A request on version 2 is answered from version 2's analysis.
    let answer = hover(&mut client, BIG, 3, 13);
    assert!(
        answer["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**Allow**"),
        "{answer}"
    );
    let codes: Vec<String> = summarize(&client.diagnostics(BIG, 2))
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(codes, ["policy-too-large"]);
    // Another document's diagnostics, published after that: anything version 1 could still
    // have sent would have come before.
    client.open(SMALL, 1, ALOW);
    client.diagnostics(SMALL, 1);
    assert!(
        client
            .wait_for_now(|m| is_diagnostics_for(m, BIG))
            .is_none(),
        "version 1 was published"
    );
    assert!(client.shutdown().success());
}
