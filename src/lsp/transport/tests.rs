use super::*;

const MAX: usize = 1 << 20;

#[derive(Debug, PartialEq, Eq)]
enum Out {
    Body(String),
    Refused(i64),
}

fn body(text: &str) -> Out {
    Out::Body(text.to_string())
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

fn take(framer: &mut Framer, input: Input, out: &mut Vec<Out>) {
    while let Some(frame) = framer.next(MAX, input) {
        out.push(match frame {
            Frame::Body(b) => Out::Body(String::from_utf8_lossy(b).into_owned()),
            Frame::Refused { code, .. } => Out::Refused(code),
        });
    }
}

/// The frames of `input` read in one go, then at its end: `end`.
fn run(input: &str, end: Input) -> Vec<Out> {
    run_chunks(&[input.as_bytes()], end)
}

fn run_chunks(chunks: &[&[u8]], end: Input) -> Vec<Out> {
    let mut framer = Framer::new();
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk);
        take(&mut framer, Input::Flowing, &mut out);
    }
    take(&mut framer, end, &mut out);
    out
}

const HOVER: &str =
    r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"a":"}\"{["}}"#;
const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

#[test]
fn good_frames_go_through_unchanged_however_the_input_is_cut() {
    let input = format!("{}\r\n{}", frame(HOVER), frame(EXIT));
    assert_eq!(run(&input, Input::Flowing), [body(HOVER), body(EXIT)]);
    for cut in 0..input.len() {
        let (a, b) = input.as_bytes().split_at(cut);
        assert_eq!(
            run_chunks(&[a, b], Input::Flowing),
            [body(HOVER), body(EXIT)],
            "cut at {cut}"
        );
    }
    // One byte at a time.
    let bytes: Vec<&[u8]> = input.as_bytes().chunks(1).collect();
    assert_eq!(
        run_chunks(&bytes, Input::Flowing),
        [body(HOVER), body(EXIT)]
    );
}

#[test]
fn header_lines_may_end_with_lf_alone() {
    let input = format!(
        "Content-Length: {}\n\n{HOVER}Content-Type: application/vscode-jsonrpc; charset=utf-8\nContent-Length: {}\r\n\r\n{EXIT}",
        HOVER.len(),
        EXIT.len()
    );
    assert_eq!(run(&input, Input::Flowing), [body(HOVER), body(EXIT)]);
}

#[test]
fn wrong_content_lengths_take_the_json_value() {
    let too_small = format!("Content-Length: 10\r\n\r\n{HOVER}{}", frame(EXIT));
    assert_eq!(run(&too_small, Input::Flowing), [body(HOVER), body(EXIT)]);
    let too_large = format!(
        "Content-Length: {}\r\n\r\n{HOVER}{}",
        HOVER.len() + 20,
        frame(EXIT)
    );
    assert_eq!(run(&too_large, Input::Flowing), [body(HOVER), body(EXIT)]);
    let not_a_number = format!("Content-Length: abc\r\n\r\n{HOVER}{}", frame(EXIT));
    assert_eq!(
        run(&not_a_number, Input::Flowing),
        [body(HOVER), body(EXIT)]
    );
    let missing = format!("Content-Type: x\r\n\r\n{HOVER}{}", frame(EXIT));
    assert_eq!(run(&missing, Input::Flowing), [body(HOVER), body(EXIT)]);
    // Too large and nothing follows: taken once the input pauses.
    let alone = format!("Content-Length: 999\r\n\r\n{HOVER}");
    assert_eq!(run(&alone, Input::Flowing), []);
    assert_eq!(run(&alone, Input::Stalled), [body(HOVER)]);
    // Whitespace after the value, within the declared length, is the body's.
    let padded = format!("Content-Length: {}\r\n\r\n{HOVER}  \n", HOVER.len() + 3);
    assert_eq!(
        run(&padded, Input::Flowing),
        [body(&format!("{HOVER}  \n"))]
    );
}

#[test]
fn a_length_too_large_is_noticed_while_the_client_keeps_sending() {
    // The client never pauses: the next frame's header shows the length was wrong.
    let input = format!("Content-Length: 1000000\r\n\r\n{HOVER}");
    let mut chunks: Vec<String> = vec![input];
    for _ in 0..50 {
        chunks.push(frame(EXIT));
    }
    let chunks: Vec<&[u8]> = chunks.iter().map(|c| c.as_bytes()).collect();
    let out = run_chunks(&chunks, Input::Flowing);
    assert_eq!(out.len(), 51);
    assert_eq!(out[0], body(HOVER));
}

#[test]
fn a_length_over_the_limit_is_refused_and_the_body_skipped() {
    for length in ["1000000000000", "99999999999999999999999999"] {
        let input = format!("Content-Length: {length}\r\n\r\n{HOVER}{}", frame(EXIT));
        assert_eq!(
            run(&input, Input::Flowing),
            [Out::Refused(INVALID_REQUEST), body(EXIT)],
            "{length}"
        );
    }
    // A body without a usable length that runs over the limit.
    let endless = format!("Content-Length: x\r\n\r\n[{}", "1,".repeat(MAX));
    let out = run(&endless, Input::Flowing);
    assert_eq!(out, [Out::Refused(INVALID_REQUEST)]);
}

#[test]
fn broken_bodies_are_answered_and_the_input_resumes_at_the_next_header() {
    // The declared length is there: trusted; the body is for `jsonrpc` to refuse.
    let bad = format!("{}{}", frame("{bad}"), frame(EXIT));
    assert_eq!(run(&bad, Input::Flowing), [body("{bad}"), body(EXIT)]);
    // Cut short inside a string, with a length too small: the next header is found.
    let cut = format!("Content-Length: 5\r\n\r\n{{\"a\": \"xyz{}", frame(EXIT));
    assert_eq!(run(&cut, Input::Flowing), [body("{\"a\":"), body(EXIT)]);
    // A header without a usable length, and the next frame's header where its body
    // should be: that frame is not lost.
    let headers_only = format!("Content-Length: \u{fffd}\r\nX:\r\n\r\n{}", frame(EXIT));
    assert_eq!(
        run(&headers_only, Input::Flowing),
        [Out::Refused(PARSE_ERROR), body(EXIT)]
    );
    let bytes: Vec<&[u8]> = headers_only.as_bytes().chunks(1).collect();
    assert_eq!(
        run_chunks(&bytes, Input::Flowing),
        [Out::Refused(PARSE_ERROR), body(EXIT)]
    );
    // No length, broken: a parse error, then the next frame.
    let broken = format!("Content-Type: x\r\n\r\n{{\"a\": nope}}{}", frame(EXIT));
    assert_eq!(
        run(&broken, Input::Flowing),
        [Out::Refused(PARSE_ERROR), body(EXIT)]
    );
    let unterminated = format!("Content-Type: x\r\n\r\n{{\"a\": \"xy{}", frame(EXIT));
    assert_eq!(
        run(&unterminated, Input::Flowing),
        [Out::Refused(PARSE_ERROR), body(EXIT)]
    );
    // The input ends inside a message.
    assert_eq!(
        run("Content-Length: 50\r\n\r\n{\"a\": 1", Input::Ended),
        [Out::Refused(PARSE_ERROR)]
    );
}

#[test]
fn garbage_is_skipped_to_the_next_frame() {
    let input = format!("garbage\r\n{}junk{}", frame(HOVER), frame(EXIT));
    assert_eq!(run(&input, Input::Flowing), [body(HOVER), body(EXIT)]);
    assert_eq!(run("no frame at all", Input::Ended), []);
    // A header block that never ends.
    let endless = format!("Content-Length: 5{}{}", " ".repeat(MAX_HEADER), frame(EXIT));
    assert_eq!(run(&endless, Input::Flowing), [body(EXIT)]);
}

#[test]
fn the_buffer_keeps_only_what_is_not_dealt_with() {
    for big in [MAX / 2, MAX * 4] {
        let mut framer = Framer::new();
        let big = format!("{{\"a\": \"{}\"}}", "x".repeat(big));
        let mut out = Vec::new();
        framer.push(frame(&big).as_bytes());
        take(&mut framer, Input::Flowing, &mut out);
        framer.release();
        assert!(framer.buf.capacity() <= 1024 * 1024);
        framer.push(frame(EXIT).as_bytes());
        take(&mut framer, Input::Flowing, &mut out);
        // The big one (or a refusal), then the small one.
        assert_eq!(out.len(), 2);
        assert_eq!(out[1], body(EXIT));
        assert!(
            framer.buf.capacity() <= 1024 * 1024,
            "{}",
            framer.buf.capacity()
        );
    }
}

#[test]
fn the_scanner_finds_where_values_end() {
    for (input, expected) in [
        (r#"{"a": [1, {"b": "]}"}]}  "#, Scan::Done(23)),
        (r#"  ["\"\\", "x"] ["#, Scan::Done(15)),
        (r#""just a string" "#, Scan::Done(15)),
        ("123 ", Scan::Done(3)),
        ("true,", Scan::Done(4)),
        (r#"{"a": 1"#, Scan::Incomplete),
        ("{\"a\": \"x\ny\"}", Scan::Invalid(8)),
        ("{\"a\": x}", Scan::Invalid(6)),
        ("Content-Length: 5", Scan::Invalid(0)),
    ] {
        let mut scanner = Scanner::default();
        scanner.scan(input.as_bytes());
        assert_eq!(scanner.state, expected, "{input}");
        // Byte by byte, the same.
        let mut scanner = Scanner::default();
        for end in 0..=input.len() {
            scanner.scan(&input.as_bytes()[..end]);
        }
        assert_eq!(scanner.state, expected, "{input}, byte by byte");
    }
}
