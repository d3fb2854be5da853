//! Protocol abuse, end to end: the real binary over stdio, fed what a broken or hostile
//! client sends. After each case the server still answers (a document opened afterwards gets
//! its diagnostics), and `shutdown` + `exit` end it with status 0 while stdin stays open.

mod common;

use common::text_model::{self, Units};
use common::{Client, summarize};
use iam_policy_lsp::analysis::{Options, analyze};
use serde_json::{Value, json};

const ALOW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

fn initialized() -> Client {
    Client::initialized(json!({})).0
}

/// The server still works: a new document gets its diagnostics, and a request its answer.
fn assert_still_serves(client: &mut Client) {
    let uri = "file:///still/serving.json";
    client.open(uri, 1, ALOW);
    assert_eq!(
        summarize(&client.diagnostics(uri, 1)),
        vec![("invalid-effect".into(), 0, 51, 0, 57)]
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 44}}),
    );
    assert!(hover["contents"]["value"].is_string(), "{hover}");
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.cleared(uri);
}

fn finish(mut client: Client) {
    assert_still_serves(&mut client);
    let status = client.shutdown();
    assert!(status.success(), "exit status {status:?}");
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The error response with this id (`Value::Null` for id null).
fn error_for(client: &mut Client, id: Value) -> Value {
    let message = client
        .wait_for(|m| m.get("id") == Some(&id) && m.get("error").is_some())
        .unwrap_or_else(|| panic!("no error response with id {id}"));
    message["error"].clone()
}

/// The diagnostics the library computes for `text`, as the server reports them in UTF-16.
fn expected(text: &str) -> Vec<(String, u64, u64, u64, u64)> {
    let findings = analyze(text, &Options::default()).findings;
    // Every offset's position in one pass over the text: documents here have tens of
    // thousands of findings, on lines of a megabyte.
    let mut offsets: Vec<usize> = findings
        .iter()
        .flat_map(|f| [f.range.start as usize, f.range.end as usize])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut positions = std::collections::HashMap::new();
    let (mut line, mut column) = (0u64, 0u64);
    let mut chars = text.char_indices().peekable();
    for offset in offsets {
        while let Some((_, c)) = chars.next_if(|&(i, _)| i < offset) {
            match c {
                // `\r\n` is one line break: the `\n` ends the line.
                '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {}
                '\n' | '\r' => (line, column) = (line + 1, 0),
                _ => column += c.len_utf16() as u64,
            }
        }
        positions.insert(offset, (line, column));
    }
    findings
        .iter()
        .map(|f| {
            let (sl, sc) = positions[&(f.range.start as usize)];
            let (el, ec) = positions[&(f.range.end as usize)];
            (f.code.as_str().to_string(), sl, sc, el, ec)
        })
        .collect()
}

#[test]
fn malformed_bodies_are_answered_and_the_session_goes_on() {
    let mut client = initialized();
    client.send_raw(&frame("{bad}"));
    assert_eq!(error_for(&mut client, Value::Null)["code"], -32700);
    client.send_raw(&frame("not json at all"));
    assert_eq!(error_for(&mut client, Value::Null)["code"], -32700);
    client.send_raw(&frame(r#"{"jsonrpc": "2.0", "id": 1001, "method": 42}"#));
    assert_eq!(error_for(&mut client, json!(1001))["code"], -32600);
    client.send_raw(&frame(
        r#"{"jsonrpc": "1.0", "id": "x", "method": "shutdown"}"#,
    ));
    assert_eq!(error_for(&mut client, json!("x"))["code"], -32600);
    client.send_raw(&frame("[1, 2, 3]"));
    assert_eq!(error_for(&mut client, Value::Null)["code"], -32600);
    // An invalid notification gets no answer (nothing to answer to), and breaks nothing.
    client.send_raw(&frame(r#"{"jsonrpc": "2.0", "method": 7}"#));
    // Bytes that are no frame at all.
    client.send_raw(b"\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    finish(client);
}

#[test]
fn wrong_content_lengths_lose_no_message() {
    let request = |id: i64| {
        format!(r#"{{"jsonrpc": "2.0", "id": {id}, "method": "workspace/unknownRequest"}}"#)
    };
    let mut client = initialized();
    // Too small, too large, not a number, missing: each frame's message is still answered,
    // and so is the well-formed one after it.
    let cases = [
        format!("Content-Length: 10\r\n\r\n{}", request(1101)),
        format!(
            "Content-Length: {}\r\n\r\n{}",
            request(1102).len() + 25,
            request(1102)
        ),
        format!("Content-Length: twelve\r\n\r\n{}", request(1103)),
        format!("Content-Type: application/json\r\n\r\n{}", request(1104)),
    ];
    for (i, case) in cases.iter().enumerate() {
        let id = 1101 + i as i64;
        client.send_raw(case.as_bytes());
        client.send_raw(&frame(&request(id + 100)));
        assert_eq!(
            error_for(&mut client, json!(id))["code"],
            -32601,
            "case {i}"
        );
        assert_eq!(
            error_for(&mut client, json!(id + 100))["code"],
            -32601,
            "case {i}"
        );
    }
    // Far too large, and nothing follows: taken once the input pauses.
    client.send_raw(format!("Content-Length: 100000\r\n\r\n{}", request(1199)).as_bytes());
    assert_eq!(error_for(&mut client, json!(1199))["code"], -32601);
    finish(client);
}

#[test]
fn unknown_methods() {
    let mut client = initialized();
    let response = client.request_raw("workspace/noSuchRequest", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    // Unknown notifications (with and without `$/`) are ignored: no answer comes.
    client.notify("workspace/noSuchNotification", json!({}));
    client.notify("$/noSuchNotification", json!({}));
    let sentinel = client.request_raw("workspace/noSuchRequest", json!({}));
    let sentinel_id = sentinel["id"].clone();
    let answers: Vec<Value> = client_pending_responses(&mut client, &sentinel_id);
    assert!(answers.is_empty(), "answers to notifications: {answers:?}");
    finish(client);
}

/// Responses received (and not consumed) other than to `except`.
fn client_pending_responses(client: &mut Client, except: &Value) -> Vec<Value> {
    let mut found = Vec::new();
    while let Some(m) = client.wait_for_now(|m| m.get("id").is_some() && m.get("method").is_none())
    {
        if m.get("id") != Some(except) {
            found.push(m);
        }
    }
    found
}

#[test]
fn requests_before_initialize() {
    let mut client = Client::spawn();
    let response = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.json"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(response["error"]["code"], -32002, "{response}");
    // A notification before initialize is dropped, not fatal.
    client.open("file:///early.json", 1, ALOW);
    let result = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    client.notify("initialized", json!({}));
    finish(client);
}

#[test]
fn requests_after_shutdown() {
    let mut client = initialized();
    assert_still_serves(&mut client);
    client.request("shutdown", Value::Null);
    let response = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.json"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(response["error"]["code"], -32600, "{response}");
    let again = client.request_raw("shutdown", Value::Null);
    assert_eq!(again["error"]["code"], -32600, "{again}");
    client.notify("exit", Value::Null);
    let status = client.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn cancel_requests() {
    let mut client = initialized();
    let uri = "file:///cancel.json";
    client.open(uri, 1, ALOW);
    client.diagnostics(uri, 1);
    // Cancel a request at once: it is answered either way (result, or RequestCancelled).
    let id = 1300;
    client.send(
        &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/completion",
        "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 52}}}),
    );
    client.notify("$/cancelRequest", json!({"id": id}));
    let answer = client
        .wait_for(|m| m["id"] == id && m.get("method").is_none())
        .expect("an answer to the cancelled request");
    assert!(
        answer.get("result").is_some() || answer["error"]["code"] == -32800,
        "{answer}"
    );
    // Cancelling what does not exist (or is done) is ignored.
    client.notify("$/cancelRequest", json!({"id": 99999}));
    client.notify("$/cancelRequest", json!({"id": "nope"}));
    client.notify("$/cancelRequest", json!({}));
    finish(client);
}

#[test]
fn a_burst_of_a_thousand_changes_ends_with_the_right_diagnostics() {
    let mut client = initialized();
    let uri = "file:///burst.json";
    let mut text = ALOW.to_string();
    client.open(uri, 1, &text);
    // Type into the Sid-less statement: grow the resource, and now and then break or fix
    // the effect, or the JSON; never wait for the server.
    for i in 0..1000 {
        let (at, delete, insert): (usize, usize, &str) = match i % 10 {
            3 => {
                let at = text.find("\"Al").unwrap() + 3;
                if text[at..].starts_with("ow") {
                    (at, 0, "l") // Alow → Allow
                } else {
                    (at, 1, "") // Allow → Alow
                }
            }
            7 => match text.find("\"Action\": ") {
                Some(at) => (at + 8, 1, ""), // "Action" "…": a syntax error
                None => (text.find("\"Action\"").unwrap() + 8, 0, ":"),
            },
            _ => (text.rfind("\"*").unwrap() + 2, 0, "x"),
        };
        let (sl, sc) = text_model::position(&text, at, Units::Utf16);
        let (el, ec) = text_model::position(&text, at + delete, Units::Utf16);
        client.change(
            uri,
            2 + i,
            json!([{"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": insert}]),
        );
        text.replace_range(at..at + delete, insert);
    }
    let last = summarize(&client.diagnostics(uri, 1001));
    assert_eq!(last, expected(&text));
    assert!(!last.is_empty());
    finish(client);
}

#[test]
fn five_hundred_open_documents() {
    let mut client = initialized();
    let uri = |i: usize| format!("file:///many/{i}.json");
    let text = |i: usize| {
        if i.is_multiple_of(2) {
            ALOW.replace("s3:GetObject", &format!("s3:GetObject{i}"))
        } else {
            ALOW.replace("Alow", "Allow")
        }
    };
    for i in 0..500 {
        client.open(&uri(i), 1, &text(i));
    }
    for i in 0..500 {
        assert_eq!(
            summarize(&client.diagnostics(&uri(i), 1)),
            expected(&text(i)),
            "document {i}"
        );
    }
    finish(client);
}

#[test]
fn a_ten_megabyte_document() {
    let statement = r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/some/long/prefix/*"}"#;
    let mut text = String::from("{\n\"Version\": \"2012-10-17\",\n\"Statement\": [\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(statement);
        text.push_str(",\n");
    }
    text.push_str(&statement.replace("Allow", "Alow"));
    text.push_str("\n]\n}\n");
    let mut client = initialized();
    let uri = "file:///huge.json";
    client.open(uri, 1, &text);
    let diagnostics = summarize(&client.diagnostics(uri, 1));
    assert_eq!(diagnostics, expected(&text));
    assert!(diagnostics.iter().any(|d| d.0 == "invalid-effect"));
    // An incremental edit at its far end.
    let at = text.rfind("Alow").unwrap() + 2;
    let (line, character) = text_model::position(&text, at, Units::Utf16);
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": "l"}]),
    );
    text.insert(at, 'l');
    assert_eq!(summarize(&client.diagnostics(uri, 2)), expected(&text));
    finish(client);
}

#[test]
fn nul_characters() {
    let mut client = initialized();
    let uri = "file:///nul.json";
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"a\u{0}b\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}\u{0}";
    client.open(uri, 1, text);
    let diagnostics = summarize(&client.diagnostics(uri, 1));
    assert_eq!(diagnostics, expected(text));
    assert!(!diagnostics.is_empty());
    finish(client);
}

#[test]
fn lone_surrogates_escaped_in_json() {
    let mut client = initialized();
    let uri = "file:///surrogate.json";
    // JSON.stringify of a JavaScript string with a lone surrogate: serde_json refuses it;
    // the server reads it as U+FFFD (one UTF-16 unit too, so later positions stay right).
    let body = format!(
        r#"{{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {{"textDocument": {{"uri": "{uri}", "languageId": "json", "version": 1, "text": "{{\"Statement\": [{{\"Sid\": \"\ud800\udc00x\udfff\", \"Effect\": \"Alow\", \"Action\": \"*\", \"Resource\": \"*\"}}]}}"}}}}}}"#
    );
    client.send_raw(&frame(&body));
    let text = "{\"Statement\": [{\"Sid\": \"\u{FFFD}\u{FFFD}x\u{FFFD}\", \"Effect\": \"Alow\", \"Action\": \"*\", \"Resource\": \"*\"}]}";
    assert_eq!(summarize(&client.diagnostics(uri, 1)), expected(text));
    // The document is open: an edit after the replaced characters lands where the client meant.
    let at = text.find("Alow").unwrap() + 2;
    let (line, character) = text_model::position(text, at, Units::Utf16);
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": "l"}]),
    );
    let fixed = text.replace("Alow", "Allow");
    assert_eq!(summarize(&client.diagnostics(uri, 2)), expected(&fixed));
    finish(client);
}

#[test]
fn a_one_megabyte_line() {
    let mut client = initialized();
    let uri = "file:///long-line.json";
    let resources: Vec<String> = (0..40_000)
        .map(|i| format!("\"arn:aws:s3:::bucket/key{i}\""))
        .collect();
    let mut text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}]}}, {{"Effect": "Alow", "Action": "*", "Resource": "*"}}]}}"#,
        resources.join(", ")
    );
    assert!(text.len() > 1024 * 1024 && !text.contains('\n'));
    client.open(uri, 1, &text);
    assert_eq!(summarize(&client.diagnostics(uri, 1)), expected(&text));
    let at = text.rfind("Alow").unwrap() + 2;
    let (line, character) = text_model::position(&text, at, Units::Utf16);
    assert_eq!(line, 0);
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": character}, "end": {"line": 0, "character": character}}, "text": "l"}]),
    );
    text.insert(at, 'l');
    assert_eq!(summarize(&client.diagnostics(uri, 2)), expected(&text));
    finish(client);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let mut client = initialized();
    for (i, text) in [
        "[".repeat(100_000),
        "{\"a\":".repeat(100_000),
        format!("{{\"Statement\": {}", "[".repeat(100_000)),
    ]
    .iter()
    .enumerate()
    {
        let uri = format!("file:///deep/{i}.json");
        client.open(&uri, 1, text);
        assert_eq!(summarize(&client.diagnostics(&uri, 1)), expected(text));
        let end = text.len() as u32;
        for method in ["textDocument/completion", "textDocument/hover"] {
            let response = client.request_raw(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": end}}),
            );
            assert!(response.get("error").is_none(), "{method}: {response}");
        }
    }
    finish(client);
}

#[test]
fn changes_for_unknown_documents_are_ignored() {
    let mut client = initialized();
    let unknown = "file:///never-opened.json";
    client.change(
        unknown,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": unknown}}),
    );
    let response = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": unknown}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(response["error"]["code"], -32602, "{response}");
    // Not a URI at all.
    client.change(
        "not a uri",
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    finish(client);
}

#[test]
fn out_of_range_change_ranges_are_clamped() {
    let mut client = initialized();
    let uri = "file:///clamped.json";
    client.open(uri, 1, ALOW);
    // Past the last line: the end of the document. Past a line's end: that line's end.
    // A reversed range: taken the other way round.
    let changes = [
        ((99, 0), (99, 5), "\n"),
        ((0, 9999), (0, 9999), " x"),
        ((1, 0), (0, 9999), ""),
        ((5000, 1), (4000, 2), "\n"),
    ];
    let mut text = ALOW.to_string();
    for (i, ((sl, sc), (el, ec), insert)) in changes.into_iter().enumerate() {
        client.change(
            uri,
            2 + i as i64,
            json!([{"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": insert}]),
        );
        text_model::apply(
            &mut text,
            &text_model::Change {
                range: Some((sl, sc, el, ec)),
                text: insert.to_string(),
            },
            Units::Utf16,
        );
        assert_eq!(
            summarize(&client.diagnostics(uri, 2 + i as i64)),
            expected(&text),
            "after change {i}: {text:?}"
        );
    }
    assert_eq!(text, format!("{ALOW} x\n"));
    finish(client);
}

#[test]
fn exit_without_shutdown_and_closed_stdin() {
    // `exit` before `shutdown` ends the server (status 1, as the specification says).
    let mut client = initialized();
    assert_still_serves(&mut client);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
    // shutdown + exit, then stdin closed too.
    let mut client = initialized();
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    client.close_stdin();
    assert!(client.wait_exit().success());
    // Stdin closed without a word: the server ends.
    let mut client = initialized();
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(1));
}
