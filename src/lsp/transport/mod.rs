//! The input side of the stdio transport: frames (`Content-Length` headers and their bodies)
//! cut out of the client's bytes, whatever the client sends.
//!
//! A well-formed frame's body is handed on as it is. Everything else is dealt with in time
//! linear in the input, never waiting for bytes that a header promised but no one sends, and
//! in memory bounded by the largest message allowed:
//!
//! - header lines may end with CR LF (as the specification says) or LF alone;
//! - a `Content-Length` over the limit (`limits.maxMessageBytes`) is refused with an error,
//!   and its body is skipped up to the next header;
//! - when the `Content-Length` is missing, not a number, too small or too large, the body is
//!   the first JSON value after the headers, and the bytes after it start the next frame; a
//!   length too large is noticed as soon as anything but whitespace follows the value (or,
//!   when nothing follows, once the input pauses);
//! - a body that cannot be JSON (a byte no JSON has there, a line break inside a string: the
//!   next frame's header) is answered with a parse error at once, and the input is resumed at
//!   the next `Content-Length` header;
//! - bytes that are no frame at all are skipped up to the next `Content-Length` header.
//!
//! Where a JSON value ends is found by [`Scanner`], which reads each byte once however the
//! input is cut into reads; whether a body is valid JSON and a JSON-RPC message is for
//! `jsonrpc` to say.

use std::ops::Range;

use tracing::warn;

/// A header block longer than this is garbage.
const MAX_HEADER: usize = 8 * 1024;
/// `content-length`, the header every frame starts with in practice.
const CONTENT_LENGTH: &[u8] = b"content-length";
/// What a header block starts with: `Content-Length` or `Content-Type`.
const HEADER_START: &[u8] = b"content-";

/// What the framer found next in the input.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame<'a> {
    /// A body: it should be one JSON-RPC message.
    Body(&'a [u8]),
    /// Input refused: the client gets this error (JSON-RPC `code`, `message`), with id null.
    Refused { code: i64, message: String },
}

/// JSON-RPC's error codes for what the transport refuses.
pub(crate) const PARSE_ERROR: i64 = -32700;
pub(crate) const INVALID_REQUEST: i64 = -32600;

/// Whether more input may come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// More may come at any time.
    Flowing,
    /// None came for a while: a value that waits for a `Content-Length`'s worth of bytes is
    /// taken as it is.
    Stalled,
    /// The input ended.
    Ended,
}

pub(crate) struct Framer {
    /// Input not yet dealt with starts at `start`.
    buf: Vec<u8>,
    start: usize,
    state: State,
}

enum State {
    /// Looking for a header block at `start`; the search for its end has looked at
    /// `searched` bytes already.
    Header { searched: usize },
    /// The headers, `header_len` bytes from `start`, are read: the body follows.
    Body {
        header_len: usize,
        declared: Option<usize>,
        scanner: Scanner,
        /// How far into the body the checks after the scanner's verdict have looked (the
        /// blanks after a value, a header in a broken body), so that each byte is looked
        /// at once.
        searched: usize,
    },
}

impl Default for Framer {
    fn default() -> Self {
        Self::new()
    }
}

impl Framer {
    pub(crate) fn new() -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            state: State::Header { searched: 0 },
        }
    }

    /// Bytes read from the client.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        // A large message's buffer is not kept for the small ones after it.
        let needed = self.buf.len() + bytes.len();
        if self.buf.capacity() > 1024 * 1024 && needed < self.buf.capacity() / 4 {
            self.buf.shrink_to((needed * 2).max(64 * 1024));
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Frees the input dealt with, before waiting for more: a large message's bytes are not
    /// kept while the server analyses it and waits for the next one.
    pub(crate) fn release(&mut self) {
        let left = self.buf.len() - self.start;
        if self.buf.capacity() > 1024 * 1024 && left < self.buf.capacity() / 4 {
            self.buf = self.buf[self.start..].to_vec();
            self.start = 0;
        }
    }

    /// Whether a frame has started and waits for more input (so a pause in the input means
    /// something).
    pub(crate) fn waiting(&self) -> bool {
        self.start < self.buf.len()
    }

    /// The next frame of the input read so far, `None` when more input is needed. `max`: the
    /// largest body accepted.
    pub(crate) fn next(&mut self, max: usize, input: Input) -> Option<Frame<'_>> {
        loop {
            let step = match &mut self.state {
                State::Header { searched } => {
                    header_step(&self.buf[self.start..], searched, max, input)
                }
                State::Body {
                    header_len,
                    declared,
                    scanner,
                    searched,
                } => body_step(
                    &self.buf[self.start + *header_len..],
                    *header_len,
                    *declared,
                    (scanner, searched),
                    max,
                    input,
                ),
            };
            match step {
                Step::Wait => return None,
                Step::Skip(n) => {
                    self.start += n;
                    self.state = State::Header { searched: 0 };
                }
                Step::Headers { len, declared } => {
                    self.state = State::Body {
                        header_len: len,
                        declared,
                        scanner: Scanner::default(),
                        searched: 0,
                    };
                }
                Step::Body { body, next } => {
                    let at = self.start;
                    self.start += next;
                    self.state = State::Header { searched: 0 };
                    return Some(Frame::Body(&self.buf[at + body.start..at + body.end]));
                }
                Step::Refuse {
                    skip,
                    code,
                    message,
                } => {
                    self.start += skip;
                    self.state = State::Header { searched: 0 };
                    return Some(Frame::Refused { code, message });
                }
            }
        }
    }
}

/// What to do with the input at `start`.
enum Step {
    Wait,
    /// Skip `n` bytes, then look for a header.
    Skip(usize),
    /// A header block of `len` bytes.
    Headers {
        len: usize,
        declared: Option<usize>,
    },
    /// A body (its range from `start`), and where the next frame starts.
    Body {
        body: Range<usize>,
        next: usize,
    },
    /// Refuse the input: skip `skip` bytes and answer with an error.
    Refuse {
        skip: usize,
        code: i64,
        message: String,
    },
}

fn is_blank(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b' ' | b'\t')
}

fn header_step(buf: &[u8], searched: &mut usize, max: usize, input: Input) -> Step {
    let blank = buf.iter().take_while(|&&b| is_blank(b)).count();
    if blank > 0 {
        return Step::Skip(blank);
    }
    if buf.is_empty() {
        return Step::Wait;
    }
    let n = buf.len().min(HEADER_START.len());
    if !buf[..n].eq_ignore_ascii_case(&HEADER_START[..n]) {
        return skip_garbage(buf, 1, input);
    }
    if n < HEADER_START.len() {
        return match input {
            Input::Ended => skip_garbage(buf, 1, input),
            _ => Step::Wait,
        };
    }
    // The header block ends at an empty line; lines end with CR LF or LF.
    let from = searched.saturating_sub(2);
    let end = buf[from..buf.len().min(MAX_HEADER)]
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .find_map(|(i, _)| {
            let after = from + i + 1;
            match &buf[after..] {
                [b'\n', ..] => Some(after + 1),
                [b'\r', b'\n', ..] => Some(after + 2),
                _ => None,
            }
        });
    let Some(len) = end else {
        if buf.len() >= MAX_HEADER || input == Input::Ended {
            return skip_garbage(buf, 1, input);
        }
        *searched = buf.len();
        return Step::Wait;
    };
    let declared = match content_length(&buf[..len]) {
        Length::Missing => None,
        Length::Bytes(n) if n <= max => Some(n),
        Length::Bytes(n) => {
            return refuse_too_large(len, &n.to_string(), max);
        }
        Length::Huge(text) => return refuse_too_large(len, &text, max),
    };
    Step::Headers { len, declared }
}

fn refuse_too_large(header_len: usize, declared: &str, max: usize) -> Step {
    let message = format!(
        "Invalid Request: the message's Content-Length of {declared} bytes is over the server's limit of {max} bytes (the `limits.maxMessageBytes` setting); its body is skipped up to the next header"
    );
    warn!("{message}");
    Step::Refuse {
        skip: header_len,
        code: INVALID_REQUEST,
        message,
    }
}

/// Skips bytes up to the next header (`Content-…`) at or after `from`. Without one,
/// everything but a tail that might be the start of one (all of it once the input ended).
fn skip_garbage(buf: &[u8], from: usize, input: Input) -> Step {
    let skip = match find_ignore_case(buf, HEADER_START, from) {
        Some(at) => at,
        None if input == Input::Ended => buf.len(),
        None if buf.len() > HEADER_START.len() => buf.len() - (HEADER_START.len() - 1),
        None => return Step::Wait,
    };
    warn!(
        bytes = skip,
        preview = %preview(&buf[..skip]),
        "skipped input that is not an LSP frame"
    );
    Step::Skip(skip)
}

enum Length {
    Missing,
    Bytes(usize),
    /// Digits too many for a length.
    Huge(String),
}

/// The `Content-Length` of a header block.
fn content_length(headers: &[u8]) -> Length {
    let mut length = Length::Missing;
    for line in headers.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            warn!(header = %line, "ignored a malformed header line");
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("content-length") {
            length = match value.parse::<usize>() {
                Ok(n) => Length::Bytes(n),
                Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                    Length::Huge(value.to_string())
                }
                Err(_) => {
                    warn!(value = %value, "Content-Length is not a number");
                    Length::Missing
                }
            };
        } else if name.eq_ignore_ascii_case("content-type") {
            let charset = value
                .split(';')
                .skip(1)
                .filter_map(|p| p.trim().strip_prefix("charset="))
                .next();
            if let Some(charset) = charset
                && !matches!(charset.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
            {
                warn!(
                    charset,
                    "the body is read as UTF-8, the only encoding LSP has"
                );
            }
        } else {
            warn!(header = %name, "ignored an unknown header");
        }
    }
    length
}

/// The body that follows a header block of `header_len` bytes: `body` is the input after the
/// headers.
fn body_step(
    body: &[u8],
    header_len: usize,
    declared: Option<usize>,
    (scanner, searched): (&mut Scanner, &mut usize),
    max: usize,
    input: Input,
) -> Step {
    let take = |n: usize| Step::Body {
        body: header_len..header_len + n,
        next: header_len + n,
    };
    // A declared length that the bytes fill, whose value ends there (or is followed by
    // whitespace only): the common case.
    let limit = body.len().min(max);
    scanner.scan(&body[..limit]);
    match scanner.state {
        Scan::Done(end) => match declared {
            None => {
                warn!(
                    bytes = end,
                    "no Content-Length: took the JSON value after the headers"
                );
                take(end)
            }
            Some(length) if end == length => take(length),
            Some(length) if end > length => {
                warn!(
                    declared = length,
                    actual = end,
                    "the Content-Length is too small: took the whole JSON value"
                );
                take(end)
            }
            Some(length) => {
                let within = &body[end.max(*searched)..body.len().min(length)];
                *searched = body.len().min(length);
                if within.iter().any(|&b| !is_blank(b)) {
                    warn!(
                        declared = length,
                        actual = end,
                        "the Content-Length is too large: took the JSON value, the bytes after it start the next frame"
                    );
                    take(end)
                } else if body.len() >= length {
                    take(length)
                } else if input == Input::Flowing {
                    Step::Wait
                } else {
                    warn!(
                        declared = length,
                        actual = end,
                        "the Content-Length is too large and no more input came: took the JSON value"
                    );
                    take(end)
                }
            }
        },
        Scan::Invalid(at) => match declared {
            // Decided on the declared bytes alone, whatever has come of the rest: a header
            // among them means the length was too large (resume there); else, once they are
            // all here, the length is trusted and the body, not JSON, is for `jsonrpc` to
            // refuse.
            Some(length) => {
                let end = body.len().min(length);
                let from = searched.saturating_sub(CONTENT_LENGTH.len() - 1);
                if let Some(header) = find_ignore_case(&body[..end], CONTENT_LENGTH, from) {
                    return refuse_broken(body, header_len, at, header);
                }
                *searched = end;
                if body.len() >= length {
                    take(length)
                } else if input == Input::Flowing {
                    Step::Wait
                } else {
                    refuse_broken(body, header_len, at, body.len())
                }
            }
            None => {
                // Resume at the header the broken body ran into, if it did: one that starts
                // at the byte that cannot be there, or before it (a line break in a string
                // is found after the header line that cut the string short).
                let window = &body[..(at + CONTENT_LENGTH.len()).min(body.len())];
                let resume = rfind_ignore_case(window, CONTENT_LENGTH).unwrap_or(at);
                refuse_broken(body, header_len, at, resume)
            }
        },
        Scan::Incomplete => {
            // The value goes on past the declared length: the length is too small, or the
            // body is broken. Trust the length once nothing more comes or the limit is hit.
            if let Some(length) = declared
                && body.len() >= length
                && (input != Input::Flowing || body.len() >= max)
            {
                return take(length);
            }
            if body.len() >= max {
                let message = format!(
                    "Invalid Request: a message without a usable Content-Length runs over the server's limit of {max} bytes (the `limits.maxMessageBytes` setting); the input resumes at the next header"
                );
                warn!("{message}");
                return Step::Refuse {
                    skip: header_len + limit,
                    code: INVALID_REQUEST,
                    message,
                };
            }
            if input != Input::Ended {
                return Step::Wait;
            }
            let message = "Parse error: the input ended inside a message".to_string();
            warn!("{message}");
            Step::Refuse {
                skip: header_len + body.len(),
                code: PARSE_ERROR,
                message,
            }
        }
    }
}

/// Refuses a body that is not JSON (`at`: the first byte that cannot be there) and resumes
/// the input `resume` bytes into it.
fn refuse_broken(body: &[u8], header_len: usize, at: usize, resume: usize) -> Step {
    let message = format!(
        "Parse error: the message is not JSON (byte {at} of its body cannot be there); the input resumes at the next header"
    );
    warn!(preview = %preview(&body[..resume]), "{message}");
    Step::Refuse {
        skip: header_len + resume,
        code: PARSE_ERROR,
        message,
    }
}

/// Where the first JSON value of a body ends, read byte by byte as the body comes in: each
/// byte is looked at once, wherever the reads cut the input. Lexical only (brackets, strings
/// and their escapes, the bytes that may stand outside strings): `serde_json` says whether
/// the value is valid.
#[derive(Default)]
pub(crate) struct Scanner {
    /// Bytes of the body read so far.
    read: usize,
    /// Open brackets.
    depth: usize,
    place: Place,
    state: Scan,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Scan {
    /// Not done: the value has not ended yet (or has not begun).
    #[default]
    Incomplete,
    /// The value ends at this offset.
    Done(usize),
    /// The byte at this offset cannot be part of a JSON value: the body is broken (or was
    /// cut short and this is the next frame's header).
    Invalid(usize),
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Place {
    #[default]
    Before,
    Outside,
    InString,
    Escape,
    /// A number or literal at the top level.
    Scalar,
}

/// The bytes that may stand outside strings in JSON: whitespace, punctuation, numbers and
/// the letters of `true`, `false` and `null`.
fn outside_string(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"' | b'0'
            ..=b'9'
                | b'-'
                | b'+'
                | b'.'
                | b'E'
                | b'a'
                | b'e'
                | b'f'
                | b'l'
                | b'n'
                | b'r'
                | b's'
                | b't'
                | b'u'
    )
}

fn in_scalar(b: u8) -> bool {
    outside_string(b)
        && !matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"'
        )
}

impl Scanner {
    /// Reads what `body` (all of the body so far) has beyond what was read before.
    pub(crate) fn scan(&mut self, body: &[u8]) {
        if self.state != Scan::Incomplete {
            return;
        }
        let mut place = self.place;
        let mut i = self.read;
        while i < body.len() {
            let b = body[i];
            match place {
                Place::Before => match b {
                    b' ' | b'\t' | b'\r' | b'\n' => {}
                    b'{' | b'[' => {
                        self.depth = 1;
                        place = Place::Outside;
                    }
                    b'"' => place = Place::InString,
                    b if in_scalar(b) => place = Place::Scalar,
                    _ => {
                        self.state = Scan::Invalid(i);
                        break;
                    }
                },
                Place::Outside => match b {
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            self.state = Scan::Done(i + 1);
                            break;
                        }
                    }
                    b'"' => place = Place::InString,
                    b if outside_string(b) => {}
                    _ => {
                        self.state = Scan::Invalid(i);
                        break;
                    }
                },
                Place::InString => {
                    // Strings are most of a message (a document's text): skip to what matters.
                    match memchr::memchr3(b'"', b'\\', b'\n', &body[i..]) {
                        None => {
                            i = body.len();
                            continue;
                        }
                        Some(k) => {
                            i += k;
                            match body[i] {
                                b'"' if self.depth == 0 => {
                                    self.state = Scan::Done(i + 1);
                                    break;
                                }
                                b'"' => place = Place::Outside,
                                b'\\' => place = Place::Escape,
                                // A raw line break inside a string: not JSON; the next
                                // frame's header, when a length was too small.
                                _ => {
                                    self.state = Scan::Invalid(i);
                                    break;
                                }
                            }
                        }
                    }
                }
                Place::Escape => {
                    if b == b'\n' {
                        self.state = Scan::Invalid(i);
                        break;
                    }
                    place = Place::InString;
                }
                Place::Scalar => {
                    if !in_scalar(b) {
                        self.state = if outside_string(b) {
                            Scan::Done(i)
                        } else {
                            Scan::Invalid(i)
                        };
                        break;
                    }
                }
            }
            i += 1;
        }
        self.read = i.min(body.len());
        self.place = place;
    }
}

/// The frames of the input `chunks` (read one after the other, then the input ends), as the
/// server would see them: each body (which is also read as a JSON-RPC message), or the code
/// of an error answered instead. For the fuzzer and the property tests, which check that the
/// frames do not depend on how the input is cut into reads, that nothing panics, and that the
/// input kept waiting stays within the message limit `max`.
#[doc(hidden)]
pub fn frames_of(chunks: &[&[u8]], max: usize) -> Vec<Result<Vec<u8>, i64>> {
    let mut framer = Framer::new();
    let mut frames = Vec::new();
    let mut take = |framer: &mut Framer, input: Input| {
        while let Some(frame) = framer.next(max, input) {
            frames.push(match frame {
                Frame::Body(body) => {
                    let _ = super::jsonrpc::read(body);
                    Ok(body.to_vec())
                }
                Frame::Refused { code, .. } => Err(code),
            });
        }
    };
    for chunk in chunks {
        framer.push(chunk);
        take(&mut framer, Input::Flowing);
        let waiting = framer.buf.len() - framer.start;
        assert!(
            waiting <= max + MAX_HEADER + CONTENT_LENGTH.len(),
            "{waiting} bytes kept waiting"
        );
        framer.release();
    }
    take(&mut framer, Input::Ended);
    assert_eq!(framer.start, framer.buf.len(), "input left at the end");
    frames
}

fn find_ignore_case(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = [
        needle[0].to_ascii_lowercase(),
        needle[0].to_ascii_uppercase(),
    ];
    let mut at = from;
    while at < haystack.len() {
        let k = memchr::memchr2(first[0], first[1], &haystack[at..])?;
        let candidate = at + k;
        if haystack
            .get(candidate..candidate + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(candidate);
        }
        at = candidate + 1;
    }
    None
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&at| haystack[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

pub(crate) fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]);
    format!("{text:?}{}", if bytes.len() > 80 { "…" } else { "" })
}

#[cfg(test)]
mod tests;
