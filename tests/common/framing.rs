//! The transport's property, shared by `tests/protocol_properties.rs` and the `protocol`
//! fuzz target: however the client's bytes are cut into reads, the server sees the same
//! frames (bodies, and errors answered instead), never panics, and keeps no more input
//! waiting than the message limit (`iam_policy_lsp::lsp::frames_of` checks that).

use iam_policy_lsp::lsp::frames_of;

/// Frames of `stream` read whole, and cut at `cuts` (offsets, in any order, clamped): equal.
pub fn check_framing(stream: &[u8], cuts: &[usize], max: usize) {
    let whole = frames_of(&[stream], max);
    let mut at: Vec<usize> = cuts.iter().map(|&c| c.min(stream.len())).collect();
    at.sort_unstable();
    at.dedup();
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in at {
        pieces.push(&stream[from..cut]);
        from = cut;
    }
    pieces.push(&stream[from..]);
    let cut = frames_of(&pieces, max);
    assert_eq!(whole, cut, "the frames depend on where the input is cut");
}

/// Pieces of LSP input, for random concatenations that reach into every branch of the
/// framer: well-formed and malformed headers, lengths right, wrong and huge, bodies that are
/// messages, broken JSON, strings with escapes and line breaks.
pub const PIECES: &[&[u8]] = &[
    b"Content-Length: 2\r\n\r\n{}",
    b"Content-Length: 43\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}",
    b"Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}",
    b"Content-Length: 10\r\n\r\n",
    b"Content-Length: 100\r\n\r\n",
    b"Content-Length: 1000000000000\r\n\r\n",
    b"Content-Length: 99999999999999999999999\r\n\r\n",
    b"Content-Length: x\r\n\r\n",
    b"Content-Length: 5\n\n",
    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n",
    b"Content-",
    b"content-length:",
    b" 7",
    b"\r\n",
    b"\n",
    b"\r\n\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\u",
    b"d800",
    b":",
    b",",
    b"1",
    b"true",
    b"\"jsonrpc\":\"2.0\"",
    b"\"id\":",
    b"\"method\":\"x\"",
    b"garbage",
    b"\xff\xfe",
    b" ",
];
