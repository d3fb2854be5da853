//! Issue 13 ("Hold under abuse"), the server's side, end to end: the real binary over stdio,
//! fed the inputs the issue names. Every wait is bounded by the client's deadline; nothing is
//! timed: a quadratic transport or an unbounded publication shows as an answer that never
//! comes (or a server that dies), not as a slow one.

mod common;

use common::Client;
use serde_json::{Value, json};

const ALOW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

fn initialized() -> Client {
    Client::initialized(json!({})).0
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn unknown_request(id: i64, params: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "workspace/unknownRequest", "params": params})
        .to_string()
}

/// The error response with this id (`Value::Null` for id null).
fn error_for(client: &mut Client, id: Value) -> Value {
    let message = client
        .wait_for(|m| m.get("id") == Some(&id) && m.get("error").is_some())
        .unwrap_or_else(|| panic!("no error response with id {id}"));
    message["error"].clone()
}

/// The server still answers: a document gets its diagnostics; then `shutdown` + `exit`.
fn finish(mut client: Client) {
    let uri = "file:///still/serving.json";
    client.open(uri, 1, ALOW);
    let codes: Vec<Value> = client
        .diagnostics(uri, 1)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, [json!("invalid-effect")]);
    let status = client.shutdown();
    assert!(status.success(), "exit status {status:?}");
}

/// The diagnostics of a document the debug build takes long to analyse (tens of seconds on a
/// busy machine): waited for over several of the client's deadlines.
fn heavy_diagnostics(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    for _ in 0..6 {
        let published = client.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        if let Some(message) = published {
            return message["params"]["diagnostics"].as_array().unwrap().clone();
        }
    }
    panic!("no diagnostics for {uri} version {version}");
}

/// A body of `mb` megabytes (most of it one string, as a document's text is).
fn big_request(id: i64, mb: usize) -> String {
    unknown_request(id, json!({"padding": "x".repeat(mb * 1024 * 1024)}))
}

#[test]
fn a_large_body_with_a_missing_or_too_small_content_length_is_read_once() {
    // The transport used to search again from the start after each read: 78 s for 50 MB.
    // Each of these frames is answered, then the well-formed one that follows it.
    let mut client = initialized();
    let body = big_request(1, 20);
    client.send_raw(format!("Content-Length: 10\r\n\r\n{body}").as_bytes());
    client.send_raw(&frame(&unknown_request(2, json!({}))));
    assert_eq!(error_for(&mut client, json!(1))["code"], -32601);
    assert_eq!(error_for(&mut client, json!(2))["code"], -32601);
    let body = big_request(3, 20);
    client.send_raw(format!("Content-Type: application/json\r\n\r\n{body}").as_bytes());
    client.send_raw(&frame(&unknown_request(4, json!({}))));
    assert_eq!(error_for(&mut client, json!(3))["code"], -32601);
    assert_eq!(error_for(&mut client, json!(4))["code"], -32601);
    finish(client);
}

#[test]
fn a_content_length_of_a_terabyte_is_refused_and_the_next_frames_are_answered() {
    let mut client = initialized();
    for declared in ["1000000000000", "99999999999999999999999"] {
        client.send_raw(
            format!(
                "Content-Length: {declared}\r\n\r\n{}",
                unknown_request(10, json!({}))
            )
            .as_bytes(),
        );
        let error = error_for(&mut client, Value::Null);
        assert_eq!(error["code"], -32600, "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(declared) && message.contains("maxMessageBytes"),
            "{message}"
        );
        // The client keeps sending: every following frame is answered.
        for id in 11..31 {
            client.send_raw(&frame(&unknown_request(id, json!({}))));
        }
        for id in 11..31 {
            assert_eq!(error_for(&mut client, json!(id))["code"], -32601);
        }
    }
    finish(client);
}

#[test]
fn a_message_over_the_settings_limit_is_refused_and_the_user_told() {
    let (mut client, _) = Client::initialized(json!({}));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamPolicyLsp": {"limits": {"maxMessageBytes": 100000}}}}),
    );
    let uri = "file:///too/big.json";
    let text = format!("{ALOW}{}", " ".repeat(200_000));
    client.open(uri, 1, &text);
    let error = error_for(&mut client, Value::Null);
    assert_eq!(error["code"], -32600, "{error}");
    let shown = client
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("the user is told");
    let shown = shown["params"]["message"].as_str().unwrap();
    assert!(
        shown.contains("100000") && shown.contains("maxMessageBytes"),
        "{shown}"
    );
    finish(client);
}

#[test]
fn malformed_messages_get_the_errors_of_the_specifications() {
    let mut client = initialized();
    // LSP: a request whose method starts with `$/` that the server does not know.
    client.send_raw(&frame(
        r#"{"jsonrpc": "2.0", "id": 40, "method": "$/unknown", "params": {}}"#,
    ));
    assert_eq!(error_for(&mut client, json!(40))["code"], -32601);
    // LSP ids are integers or strings: the others are invalid, answered with the id as it
    // was when it is a number (JSON-RPC wants the request's id back), else with null.
    client.send_raw(&frame(
        r#"{"jsonrpc": "2.0", "id": 1.5, "method": "shutdown"}"#,
    ));
    assert_eq!(error_for(&mut client, json!(1.5))["code"], -32600);
    client.send_raw(&frame(
        r#"{"jsonrpc": "2.0", "id": 18446744073709551615, "method": "shutdown"}"#,
    ));
    assert_eq!(
        error_for(&mut client, json!(18446744073709551615u64))["code"],
        -32600
    );
    client.send_raw(&frame(
        r#"{"jsonrpc": "2.0", "id": true, "method": "shutdown"}"#,
    ));
    assert_eq!(error_for(&mut client, Value::Null)["code"], -32600);
    // A request without a method is an Invalid Request, not an unknown method.
    client.send_raw(&frame(r#"{"jsonrpc": "2.0", "id": 41, "params": {}}"#));
    assert_eq!(error_for(&mut client, json!(41))["code"], -32600);
    // Header lines ended by LF alone are read.
    let body = unknown_request(42, json!({}));
    client.send_raw(format!("Content-Length: {}\n\n{body}", body.len()).as_bytes());
    assert_eq!(error_for(&mut client, json!(42))["code"], -32601);
    // A header block that is not text, and headers with no value.
    client.send_raw(b"Content-Length: \xff\xfe\r\nX:\r\n\r\n");
    client.send_raw(&frame(&unknown_request(43, json!({}))));
    assert_eq!(error_for(&mut client, json!(43))["code"], -32601);
    finish(client);
}

#[test]
fn ten_thousand_unknown_rules_make_one_message() {
    let mut client = initialized();
    let rules: serde_json::Map<String, Value> = (0..10_000)
        .map(|i| (format!("no-such-rule-{i}"), json!("off")))
        .collect();
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": rules}}),
    );
    let shown = client
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("a message about the settings");
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(text.contains("10000 problems"), "{text}");
    // Everything the server sends after it: no other showMessage came before a document's
    // diagnostics, which follow the settings change.
    let uri = "file:///after/settings.json";
    client.open(uri, 1, ALOW);
    client.diagnostics(uri, 1);
    assert!(
        client
            .wait_for_now(|m| m["method"] == "window/showMessage")
            .is_none(),
        "more than one message"
    );
    finish(client);
}

/// N statements `Allow *`, then N `Deny support:*`: every Deny removes what every Allow
/// grants.
fn allows_then_denies(n: usize) -> String {
    let allow = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;
    let deny = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "*"}"#;
    let statements: Vec<&str> = std::iter::repeat_n(allow, n)
        .chain(std::iter::repeat_n(deny, n))
        .collect();
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
        statements.join(",\n")
    )
}

#[test]
fn related_information_is_capped_per_diagnostic() {
    // N = 1,000 published a 318 MB message (a million related entries); N = 2,000 aborted
    // the server.
    let mut client = initialized();
    for n in [1_000, 2_000] {
        let uri = format!("file:///allow-deny/{n}.json");
        client.open(&uri, 1, &allows_then_denies(n));
        let diagnostics = heavy_diagnostics(&mut client, &uri, 1);
        let denies: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["message"].as_str().unwrap().contains("Deny"))
            .collect();
        assert_eq!(denies.len(), n, "one finding per Deny");
        for d in &diagnostics {
            let related = d["relatedInformation"].as_array().map_or(0, Vec::len);
            assert!(related <= 10, "{related} related entries");
        }
        // Each Deny names the first Allows, the last entry saying there are more.
        let related = denies[0]["relatedInformation"].as_array().unwrap();
        assert_eq!(related.len(), 10);
        assert_eq!(related[0]["location"]["range"]["start"]["line"], 1);
        let total: usize = diagnostics
            .iter()
            .map(|d| d["relatedInformation"].as_array().map_or(0, Vec::len))
            .sum();
        assert!(total <= 10 * diagnostics.len());
    }
    finish(client);
}

#[test]
fn the_diagnostics_of_one_document_are_capped_with_a_summary() {
    // 500,000 commas published 500,002 diagnostics.
    let mut client = initialized();
    let uri = "file:///commas.json";
    let text = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
        ",".repeat(500_000)
    );
    client.open(uri, 1, &text);
    let diagnostics = heavy_diagnostics(&mut client, uri, 1);
    assert_eq!(diagnostics.len(), 10_001);
    let summary = diagnostics
        .iter()
        .find(|d| d["code"] == "too-many-findings")
        .expect("a diagnostic says how many were left out");
    assert_eq!(
        summary["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(summary["data"]["reported"], 10_000);
    assert_eq!(summary["data"]["leftOut"], 490_002);
    assert!(
        summary["message"]
            .as_str()
            .unwrap()
            .starts_with("490002 more findings are not reported"),
        "{summary}"
    );
    // The setting raises the cap.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamPolicyLsp": {"limits": {"maxFindings": 20000}}}}),
    );
    let diagnostics = heavy_diagnostics(&mut client, uri, 1);
    assert_eq!(diagnostics.len(), 20_001);
    finish(client);
}

#[test]
fn a_change_with_a_lower_version_is_applied_and_published() {
    // The text the client has is the one to diagnose, whatever its version number says;
    // before, it was applied and never published, and the editor kept stale diagnostics.
    let mut client = initialized();
    let uri = "file:///versions.json";
    client.open(uri, 5, ALOW);
    assert_eq!(client.diagnostics(uri, 5).len(), 1);
    let at = ALOW.find("Alow").unwrap() as u64 + 2;
    client.change(
        uri,
        3,
        json!([{"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at}}, "text": "l"}]),
    );
    assert_eq!(client.diagnostics(uri, 3), Vec::<Value>::new());
    // And the same version again, breaking it once more.
    client.change(
        uri,
        3,
        json!([{"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at + 1}}, "text": ""}]),
    );
    assert_eq!(client.diagnostics(uri, 3).len(), 1);
    finish(client);
}

#[test]
fn documents_whose_analyses_were_forgotten_are_analysed_again_for_requests() {
    // The server keeps the analyses of the documents used last only (README, "Limits"): the
    // first of forty documents has lost its own by the time it is asked about.
    let mut client = initialized();
    let uri = |i: usize| format!("file:///forty/{i}.json");
    for i in 0..40 {
        client.open(
            &uri(i),
            1,
            &ALOW.replace("s3:GetObject", &format!("s3:Get{i}")),
        );
    }
    for i in 0..40 {
        let codes: Vec<Value> = client
            .diagnostics(&uri(i), 1)
            .iter()
            .map(|d| d["code"].clone())
            .collect();
        assert!(codes.contains(&json!("invalid-effect")), "{i}: {codes:?}");
    }
    for i in [0, 39, 1] {
        // `"Effect"` and the action of document i.
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(i)}, "position": {"line": 0, "character": 44}}),
        );
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("**Effect**"),
            "{hover}"
        );
        let at = ALOW.find("s3:").unwrap() as u64 + 4;
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(i)}, "position": {"line": 0, "character": at}}),
        );
        let text = hover.to_string();
        assert!(text.contains(&format!("Get{i}")), "{i}: {text}");
    }
    finish(client);
}
