//! What a frame's body is, by the JSON-RPC 2.0 and LSP 3.17 specifications: a request or a
//! notification for the server, a response to a request of the server's, or something the
//! transport answers itself with the error the specifications ask for.
//!
//! - not JSON: -32700 (Parse error), id null;
//! - JSON but no message: -32600 (Invalid Request), with the request's id when it has a
//!   usable one, else id null — also for an invalid object without an id, as JSON-RPC's own
//!   example answers `{"jsonrpc": "2.0", "method": 1, "params": "bar"}`;
//! - an id that is not an integer or a string (LSP's `integer | string`): -32600, with the id
//!   itself when it is a number (`1.5`, `18446744073709551615`: JSON-RPC requires the
//!   response's id to be the request's), else id null;
//! - a request whose method starts with `$/`: -32601 (Method not found), as LSP asks; such
//!   notifications go on to the server, which ignores those it does not know;
//! - a batch (an array): LSP has none; -32600, id null.
//!
//! Responses from the client are never answered, even when malformed (logged and dropped).

use serde_json::{Map, Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};
use tracing::warn;

use super::transport::{INVALID_REQUEST, PARSE_ERROR, preview};

pub(crate) const METHOD_NOT_FOUND: i64 = -32601;

/// A frame's body, read.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A request or notification for the server.
    Request(Request),
    /// The client's answer to a request of the server's.
    Response(Response),
    /// The transport's own answer (an error response), as JSON.
    Reply(Vec<u8>),
    /// Nothing to do (logged).
    Dropped,
}

/// Reads a body as a JSON-RPC message.
pub(crate) fn read(body: &[u8]) -> Incoming {
    let value = match serde_json::from_slice::<Value>(body) {
        Ok(value) => value,
        // JSON.stringify writes a lone surrogate as `"\ud800"`, which serde_json refuses: read
        // it as U+FFFD (one UTF-16 unit too, so that the client's positions stay right).
        Err(error) => match repair_lone_surrogates(body)
            .and_then(|repaired| serde_json::from_slice::<Value>(&repaired).ok())
        {
            Some(value) => {
                warn!("replaced lone surrogate escapes (\\ud800-\\udfff) with U+FFFD");
                value
            }
            None => {
                let message = format!("Parse error: the message is not JSON: {error}");
                warn!(preview = %preview(body), "{message}");
                return Incoming::Reply(error_response(&Value::Null, PARSE_ERROR, &message));
            }
        },
    };
    let Value::Object(object) = value else {
        let message = if value.is_array() {
            "Invalid Request: the message is an array; the Language Server Protocol has no batches"
        } else {
            "Invalid Request: the message is not a JSON object"
        };
        warn!(preview = %preview(body), "{message}");
        return invalid(&Value::Null, message);
    };
    message(object, body)
}

fn message(object: Map<String, Value>, body: &[u8]) -> Incoming {
    let id = object.get("id");
    // The id to answer with: the request's when it can be told (JSON-RPC wants it back
    // as it was, a number LSP refuses included), else null.
    let reply_id = match id {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let has_method = object.contains_key("method");
    let is_response = object.contains_key("result") || object.contains_key("error");
    if is_response && !has_method {
        return response(object, body);
    }
    if let Some(problem) = problem(&object, has_method, is_response) {
        let message = format!("Invalid Request: {problem}");
        warn!(preview = %preview(body), "{message}");
        return invalid(&reply_id, &message);
    }
    let method = object["method"].as_str().unwrap_or_default();
    if id.is_some() && method.starts_with("$/") {
        let message = format!(
            "Method not found: {method} (requests whose method starts with \"$/\" are optional, and this server has none)"
        );
        warn!("{message}");
        return Incoming::Reply(error_response(&reply_id, METHOD_NOT_FOUND, &message));
    }
    match serde_json::from_value::<Request>(Value::Object(object)) {
        Ok(request) => Incoming::Request(request),
        Err(error) => {
            let message = format!("Invalid Request: {error}");
            warn!(preview = %preview(body), "{message}");
            invalid(&reply_id, &message)
        }
    }
}

/// What makes a message that is not a response an invalid request, if anything.
fn problem(object: &Map<String, Value>, has_method: bool, is_response: bool) -> Option<String> {
    let id = object.get("id");
    if !has_method && id.is_some() {
        return Some("the request has no method".to_string());
    }
    if !has_method {
        return Some("the message has no method, and no result or error".to_string());
    }
    if is_response {
        return Some("the message has both a method and a result or error".to_string());
    }
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Some("\"jsonrpc\" must be \"2.0\"".to_string());
    }
    if !object.get("method").is_some_and(Value::is_string) {
        return Some("the method must be a string".to_string());
    }
    if let Some(id) = id.filter(|id| !is_lsp_id(id)) {
        return Some(format!(
            "the id must be an integer or a string, not {}",
            kind(id)
        ));
    }
    let params = object.get("params")?;
    (!matches!(params, Value::Object(_) | Value::Array(_) | Value::Null)).then(|| {
        format!(
            "the params must be an object or an array, not {}",
            kind(params)
        )
    })
}

/// A value as an error message names it: numbers as they are, the others by their kind (a
/// string may be megabytes long).
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn response(object: Map<String, Value>, body: &[u8]) -> Incoming {
    match serde_json::from_value::<Response>(Value::Object(object)) {
        Ok(response) => Incoming::Response(response),
        Err(error) => {
            warn!(preview = %preview(body), %error, "dropped a malformed response");
            Incoming::Dropped
        }
    }
}

/// LSP's ids: `integer | string` (null, which JSON-RPC allows, is taken as well).
fn is_lsp_id(id: &Value) -> bool {
    id.is_i64() || id.is_string() || id.is_null()
}

fn invalid(id: &Value, message: &str) -> Incoming {
    Incoming::Reply(error_response(id, INVALID_REQUEST, message))
}

pub(crate) fn error_response(id: &Value, code: i64, message: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code, "message": message},
    }))
    .unwrap_or_default()
}

/// Replaces every `\uXXXX` escape of a lone surrogate with `\ufffd` (the same length, so
/// offsets into the bytes stay valid); `None` when there is none.
pub(crate) fn repair_lone_surrogates(bytes: &[u8]) -> Option<Vec<u8>> {
    let unit = |at: usize| -> Option<u16> {
        if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
            return None;
        }
        let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
        u16::from_str_radix(hex, 16).ok()
    };
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while let Some(found) = bytes.get(i..).and_then(|b| memchr::memchr(b'\\', b)) {
        let at = i + found;
        match unit(at) {
            Some(0xD800..=0xDBFF) if matches!(unit(at + 6), Some(0xDC00..=0xDFFF)) => i = at + 12,
            Some(0xD800..=0xDFFF) => {
                out.get_or_insert_with(|| bytes.to_vec())[at..at + 6].copy_from_slice(b"\\ufffd");
                i = at + 6;
            }
            Some(_) => i = at + 6,
            // Any other escape, `\\` included: skip the escaped character.
            None => i = at + 2,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read` makes of a body: a request's method, a response's id, or the error
    /// answered (its id and code).
    fn read_as(body: &str) -> String {
        match read(body.as_bytes()) {
            Incoming::Request(request) => format!("request {}", request.method()),
            Incoming::Response(response) => format!("response {}", response.id()),
            Incoming::Reply(json) => {
                let reply: Value = serde_json::from_slice(&json).unwrap();
                format!("error {} {}", reply["id"], reply["error"]["code"])
            }
            Incoming::Dropped => "dropped".into(),
        }
    }

    #[test]
    fn every_body_is_a_message_or_the_error_the_specifications_ask_for() {
        for (body, expected) in [
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#,
                "request shutdown",
            ),
            (r#"{"jsonrpc":"2.0","method":"exit"}"#, "request exit"),
            (
                r#"{"jsonrpc":"2.0","id":"a","method":"x","params":[1]}"#,
                "request x",
            ),
            (
                r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#,
                "request $/cancelRequest",
            ),
            (r#"{"jsonrpc":"2.0","id":3,"result":null}"#, "response 3"),
            (
                r#"{"jsonrpc":"2.0","id":4,"error":{"code":1,"message":"m"}}"#,
                "response 4",
            ),
            // A malformed response is never answered.
            (r#"{"jsonrpc":"2.0","id":[],"result":1}"#, "dropped"),
            ("{bad}", "error null -32700"),
            ("", "error null -32700"),
            ("[1, 2]", "error null -32600"),
            ("42", "error null -32600"),
            (
                r#"{"jsonrpc":"2.0","id":5,"method":"$/x"}"#,
                "error 5 -32601",
            ),
            (r#"{"jsonrpc":"2.0","id":6}"#, "error 6 -32600"),
            (r#"{"jsonrpc":"2.0"}"#, "error null -32600"),
            (r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#, "error 7 -32600"),
            (r#"{"jsonrpc":"2.0","id":8,"method":42}"#, "error 8 -32600"),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                "error 1.5 -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"x"}"#,
                "error 18446744073709551615 -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":true,"method":"x"}"#,
                "error null -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":9,"method":"x","params":"s"}"#,
                "error 9 -32600",
            ),
            (
                r#"{"jsonrpc":"2.0","id":10,"method":"x","result":1}"#,
                "error 10 -32600",
            ),
            // A lone surrogate escape reads as U+FFFD.
            (
                r#"{"jsonrpc":"2.0","id":11,"method":"x","params":{"t":"\ud800"}}"#,
                "request x",
            ),
        ] {
            assert_eq!(read_as(body), expected, "{body}");
        }
    }

    #[test]
    fn error_messages_do_not_repeat_what_may_be_megabytes() {
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"x","params":"{}"}}"#,
            "x".repeat(1 << 20)
        );
        let Incoming::Reply(json) = read(body.as_bytes()) else {
            panic!("not refused")
        };
        assert!(json.len() < 300, "{}", json.len());
    }

    #[test]
    fn lone_surrogates_are_repaired_in_place() {
        let repaired =
            |s: &str| repair_lone_surrogates(s.as_bytes()).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(repaired(r#""\ud800""#).as_deref(), Some(r#""\ufffd""#));
        assert_eq!(
            repaired(r#""\udc00x\\ud800""#).as_deref(),
            Some(r#""\ufffdx\\ud800""#)
        );
        // A pair is no lone surrogate; nor is an escaped backslash before `u`.
        assert_eq!(repaired(r#""\ud83d\ude00""#), None);
        assert_eq!(repaired(r#""\\ud800""#), None);
    }
}
