//! The input side of the stdio transport: frames are checked before tower-lsp-server's codec
//! sees them.
//!
//! tower-lsp-server 0.23 ends the session at the first frame its codec cannot decode (its
//! codec means to skip the garbage, but the framed stream around it stops after an error): a
//! missing or non-numeric `Content-Length`, a body that is not JSON — a lone surrogate escape
//! such as `"\ud800"` included — or JSON that is not a JSON-RPC message. So the server reads
//! its input through [`Sanitized`], which hands the codec only frames it can decode:
//!
//! - a body that is a JSON-RPC request, notification or response goes through as it is;
//! - lone surrogate escapes become `\ufffd` (one UTF-16 unit as well, so the client's
//!   positions stay right), and the message goes through;
//! - when the `Content-Length` is missing, not a number, too small or too large, the body
//!   is the first JSON value after the headers, and the bytes after it start the next frame
//!   (a length too large is only given up on once no more input comes for a moment);
//! - a body that is not JSON becomes a request to [`PARSE_ERROR`] with id `null`, a JSON
//!   body that is not a message one to [`INVALID_REQUEST`] with its id (`null` when it has
//!   none), which the server answers with the JSON-RPC errors -32700 and -32600; an invalid
//!   notification (a `method` and no usable id) gets no answer;
//! - bytes that are no frame at all are skipped up to the next `Content-Length` header.
//!
//! Whatever is dropped or rewritten is logged.

use std::borrow::Cow;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::time::Sleep;
use tower_lsp_server::jsonrpc::{Request, Response};
use tracing::warn;

/// Requests the transport makes of a body that is not JSON; answered with -32700.
pub(crate) const PARSE_ERROR: &str = "iam-policy-lsp/parseError";
/// Requests the transport makes of JSON that is not a message; answered with -32600.
pub(crate) const INVALID_REQUEST: &str = "iam-policy-lsp/invalidRequest";

/// How long a frame may wait for the rest of a too-large `Content-Length` when its body
/// already holds a whole JSON value.
const STALL: Duration = Duration::from_millis(100);
/// A header block longer than this is garbage.
const MAX_HEADER: usize = 8 * 1024;

/// What to do with the input read so far.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Wait for more input.
    Incomplete,
    /// The first `consumed` bytes are dealt with; `forward` is a body to hand on.
    Done {
        consumed: usize,
        forward: Option<Vec<u8>>,
    },
}

/// Decides what the input `buf` starts with. `stalled`: no input came for a while (or it
/// ended), so a frame that waits for more bytes should be taken as it is if it can.
/// `eof`: no more input will ever come.
pub(crate) fn step(buf: &[u8], stalled: bool, eof: bool) -> Step {
    let blank = buf
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        .count();
    if blank > 0 {
        return Step::Done {
            consumed: blank,
            forward: None,
        };
    }
    if buf.is_empty() {
        return Step::Incomplete;
    }
    const PREFIX: &[u8] = b"content-";
    let n = buf.len().min(PREFIX.len());
    if !buf[..n].eq_ignore_ascii_case(&PREFIX[..n]) {
        return skip_garbage(buf, eof || stalled);
    }
    if n < PREFIX.len() {
        return if eof {
            skip_garbage(buf, true)
        } else {
            Step::Incomplete
        };
    }
    let Some(header_end) = find(buf, b"\r\n\r\n") else {
        if buf.len() > MAX_HEADER || eof {
            return skip_garbage(buf, true);
        }
        return Step::Incomplete;
    };
    let body_start = header_end + 4;
    let length = content_length(&buf[..header_end]);
    let rest = &buf[body_start..];
    if let Some(length) = length {
        match rest.get(..length) {
            Some(body) => {
                if let Some(body) = checked(body) {
                    return Step::Done {
                        consumed: body_start + length,
                        forward: Some(body.into_owned()),
                    };
                }
                // One JSON value that is no message: the length was right; answer it.
                let repaired = repair_lone_surrogates(body);
                let body = repaired.as_deref().unwrap_or(body);
                if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
                    return Step::Done {
                        consumed: body_start + length,
                        forward: replacement(body),
                    };
                }
            }
            None if !stalled && !eof => return Step::Incomplete,
            None => {}
        }
    }
    // The length is missing or wrong: the body is the first JSON value after the headers.
    let repaired = repair_lone_surrogates(rest);
    let rest_repaired: &[u8] = repaired.as_deref().unwrap_or(rest);
    match json_extent(rest_repaired) {
        Extent::Value(end) => {
            warn!(
                declared = ?length,
                actual = end,
                "the Content-Length does not match the body; took the JSON value after the headers"
            );
            let body = &rest_repaired[..end];
            Step::Done {
                consumed: body_start + end,
                forward: match checked(body) {
                    Some(body) => Some(body.into_owned()),
                    None => replacement(body),
                },
            }
        }
        Extent::Incomplete if !eof => Step::Incomplete,
        Extent::Incomplete | Extent::Invalid => {
            // Trust the declared length (when the bytes are there) to skip the body.
            let skip = length.filter(|&l| l <= rest.len()).unwrap_or(0);
            warn!(
                declared = ?length,
                preview = %preview(&rest[..skip]),
                "a frame's body is not JSON; answered with a parse error"
            );
            Step::Done {
                consumed: body_start + skip,
                forward: Some(synthetic(PARSE_ERROR, Value::Null)),
            }
        }
    }
}

/// Skips bytes up to the next `Content-Length` header. Without one, everything but a tail
/// that might be the start of one (all of it when `finished`).
fn skip_garbage(buf: &[u8], finished: bool) -> Step {
    let consumed = match find_ignore_case(&buf[1..], b"content-length") {
        Some(at) => at + 1,
        None if finished => buf.len(),
        None if buf.len() > 16 => buf.len() - 16,
        None => return Step::Incomplete,
    };
    warn!(
        bytes = consumed,
        preview = %preview(&buf[..consumed]),
        "skipped input that is not an LSP frame"
    );
    Step::Done {
        consumed,
        forward: None,
    }
}

/// The `Content-Length` of a header block (without its final blank line).
fn content_length(headers: &[u8]) -> Option<usize> {
    let mut length = None;
    for line in headers.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let Some((name, value)) = line.split_once(':') else {
            warn!(header = %line.trim(), "ignored a malformed header line");
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<usize>().ok();
            if length.is_none() {
                warn!(value = %value.trim(), "Content-Length is not a number");
            }
        }
    }
    length
}

/// The body as the codec will take it, if it will: a JSON-RPC message in UTF-8, lone
/// surrogate escapes replaced.
fn checked(body: &[u8]) -> Option<Cow<'_, [u8]>> {
    if is_message(body) {
        return Some(Cow::Borrowed(body));
    }
    let repaired = repair_lone_surrogates(body)?;
    if is_message(&repaired) {
        warn!("replaced lone surrogate escapes (\\ud800-\\udfff) with U+FFFD");
        return Some(Cow::Owned(repaired));
    }
    None
}

fn is_message(body: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    serde_json::from_str::<Request>(text).is_ok() || serde_json::from_str::<Response>(text).is_ok()
}

/// What to hand on instead of a body that is no message: a request the server answers with
/// the right error, or nothing for an invalid notification.
fn replacement(body: &[u8]) -> Option<Vec<u8>> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        warn!(preview = %preview(body), "a frame's body is not JSON; answered with a parse error");
        return Some(synthetic(PARSE_ERROR, Value::Null));
    };
    let id = value.get("id").filter(|id| id.is_i64() || id.is_string());
    if id.is_none() && value.get("method").is_some() {
        warn!(preview = %preview(body), "dropped an invalid notification");
        return None;
    }
    warn!(preview = %preview(body), "a frame's body is not a JSON-RPC message; answered with an invalid request error");
    Some(synthetic(
        INVALID_REQUEST,
        id.cloned().unwrap_or(Value::Null),
    ))
}

fn synthetic(method: &str, id: Value) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "method": method})
        .to_string()
        .into_bytes()
}

enum Extent {
    /// A whole JSON value ends at this offset.
    Value(usize),
    /// A JSON value has started but not ended.
    Incomplete,
    Invalid,
}

fn json_extent(bytes: &[u8]) -> Extent {
    let mut values =
        serde_json::Deserializer::from_slice(bytes).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => Extent::Value(values.byte_offset()),
        Some(Err(e)) if e.is_eof() => Extent::Incomplete,
        None => Extent::Incomplete,
        Some(Err(_)) => Extent::Invalid,
    }
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
    while let Some(found) = bytes
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'\\'))
    {
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

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]);
    format!("{text:?}{}", if bytes.len() > 80 { "…" } else { "" })
}

/// The server's input: `inner`'s bytes, with every frame checked and re-framed.
pub(crate) struct Sanitized<R> {
    inner: R,
    input: Vec<u8>,
    /// How much of `input` is dealt with.
    start: usize,
    output: Vec<u8>,
    /// How much of `output` is handed out.
    given: usize,
    scratch: Box<[u8]>,
    eof: bool,
    stalled: bool,
    stall: Option<Pin<Box<Sleep>>>,
}

impl<R> Sanitized<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            input: Vec::new(),
            start: 0,
            output: Vec::new(),
            given: 0,
            scratch: vec![0; 64 * 1024].into_boxed_slice(),
            eof: false,
            stalled: false,
            stall: None,
        }
    }

    /// Turns as much input as possible into output; true when anything was dealt with.
    fn process(&mut self) -> bool {
        let mut progress = false;
        loop {
            match step(
                &self.input[self.start..],
                self.stalled || self.eof,
                self.eof,
            ) {
                Step::Incomplete => break,
                Step::Done { consumed, forward } => {
                    progress = true;
                    self.start += consumed.max(1).min(self.input.len() - self.start);
                    if let Some(body) = forward {
                        self.output.extend_from_slice(
                            format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                        );
                        self.output.extend_from_slice(&body);
                    }
                }
            }
            if self.start == self.input.len() {
                break;
            }
        }
        if self.start == self.input.len() {
            self.input.clear();
            self.start = 0;
        } else if self.start > 64 * 1024 && self.start > self.input.len() / 2 {
            self.input.drain(..self.start);
            self.start = 0;
        }
        progress
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Sanitized<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.given < this.output.len() {
                let n = buf.remaining().min(this.output.len() - this.given);
                buf.put_slice(&this.output[this.given..this.given + n]);
                this.given += n;
                if this.given == this.output.len() {
                    this.output.clear();
                    this.given = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.start < this.input.len() && this.process() {
                continue;
            }
            if this.eof {
                return Poll::Ready(Ok(()));
            }
            let mut read = ReadBuf::new(&mut this.scratch);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Ready(Ok(())) => {
                    let filled = read.filled();
                    if filled.is_empty() {
                        this.eof = true;
                    } else {
                        this.input.extend_from_slice(filled);
                        this.stalled = false;
                        this.stall = None;
                    }
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => {
                    // A frame waits for more bytes: if none come for a while, take it as it is.
                    if this.start < this.input.len() && !this.stalled {
                        let stall = this
                            .stall
                            .get_or_insert_with(|| Box::pin(tokio::time::sleep(STALL)));
                        if stall.as_mut().poll(cx).is_ready() {
                            this.stalled = true;
                            this.stall = None;
                            continue;
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Runs `step` over the whole input as the reader does, and returns the bodies handed on.
    fn run(input: &str, stalled: bool) -> Vec<String> {
        let bytes = input.as_bytes();
        let mut at = 0;
        let mut out = Vec::new();
        while at < bytes.len() {
            match step(&bytes[at..], stalled, stalled) {
                Step::Incomplete => break,
                Step::Done { consumed, forward } => {
                    assert!(consumed > 0);
                    at += consumed;
                    out.extend(forward.map(|b| String::from_utf8(b).unwrap()));
                }
            }
        }
        out
    }

    const HOVER: &str = r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{}}"#;
    const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

    #[test]
    fn good_frames_go_through_unchanged() {
        let input = format!("{}{}", frame(HOVER), frame(EXIT));
        assert_eq!(run(&input, false), vec![HOVER, EXIT]);
        // Split anywhere, a frame waits for its rest.
        for cut in 0..input.len() {
            assert!(matches!(
                step(
                    &input.as_bytes()[..cut.min(frame(HOVER).len() - 1)],
                    false,
                    false
                ),
                Step::Incomplete
            ));
        }
    }

    #[test]
    fn wrong_content_lengths_take_the_json_value() {
        let too_small = format!("Content-Length: 10\r\n\r\n{HOVER}{}", frame(EXIT));
        assert_eq!(run(&too_small, false), vec![HOVER, EXIT]);
        let too_large = format!(
            "Content-Length: {}\r\n\r\n{HOVER}{}",
            HOVER.len() + 20,
            frame(EXIT)
        );
        assert_eq!(run(&too_large, false), vec![HOVER, EXIT]);
        let not_a_number = format!("Content-Length: abc\r\n\r\n{HOVER}{}", frame(EXIT));
        assert_eq!(run(&not_a_number, false), vec![HOVER, EXIT]);
        let missing = format!("Content-Type: x\r\n\r\n{HOVER}{}", frame(EXIT));
        assert_eq!(run(&missing, false), vec![HOVER, EXIT]);
        // Too large and nothing follows: taken once the input stalls.
        let alone = format!("Content-Length: 999\r\n\r\n{HOVER}");
        assert_eq!(run(&alone, false), Vec::<String>::new());
        assert_eq!(run(&alone, true), vec![HOVER]);
    }

    #[test]
    fn bodies_that_are_no_message_are_answered() {
        let json = |input: &str| -> Vec<Value> {
            run(input, false)
                .iter()
                .map(|b| serde_json::from_str(b).unwrap())
                .collect()
        };
        let answer =
            |method: &str, id: Value| json!({"jsonrpc": "2.0", "id": id, "method": method});
        assert_eq!(
            json(&format!("{}{}", frame("{bad}"), frame(EXIT))),
            vec![
                answer(PARSE_ERROR, Value::Null),
                serde_json::from_str(EXIT).unwrap()
            ]
        );
        assert_eq!(
            json(&frame(r#"{"id":7,"method":3}"#)),
            vec![answer(INVALID_REQUEST, json!(7))]
        );
        assert_eq!(
            json(&frame(r#"{"jsonrpc":"1.0","id":"a","method":"x"}"#)),
            vec![answer(INVALID_REQUEST, json!("a"))]
        );
        assert_eq!(
            json(&frame("[1,2]")),
            vec![answer(INVALID_REQUEST, Value::Null)]
        );
        // An invalid notification: no answer.
        assert_eq!(
            json(&frame(r#"{"jsonrpc":"2.0","method":7}"#)),
            Vec::<Value>::new()
        );
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let open = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"text":"a\ud800b\udc00c\ud83d\ude00\\ud800"}}"#;
        let fixed = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"text":"a\ufffdb\ufffdc\ud83d\ude00\\ud800"}}"#;
        assert_eq!(run(&frame(open), false), vec![fixed]);
        assert_eq!(repair_lone_surrogates(br#""\ud83d\ude00""#), None);
    }

    #[test]
    fn garbage_is_skipped_to_the_next_frame() {
        let input = format!("garbage\r\n{}junk{}", frame(HOVER), frame(EXIT));
        assert_eq!(run(&input, false), vec![HOVER, EXIT]);
        assert_eq!(run("no frame at all", true), Vec::<String>::new());
    }
}
