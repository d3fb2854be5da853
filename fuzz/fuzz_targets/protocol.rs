//! The server's input, arbitrary: the bytes are framed whole and cut at the places the input
//! chooses (the frames must not depend on the cuts; nothing may panic; the input kept waiting
//! stays within the message limit), then fed to the whole server after an `initialize`, as a
//! client would send them (no panic, and the server ends when the input does).

#![no_main]

#[path = "../../tests/common/framing.rs"]
#[allow(dead_code)]
mod framing;

use libfuzzer_sys::fuzz_target;

const INITIALIZE: &[u8] = b"Content-Length: 92\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"processId\":null,\"capabilities\":{}}}";

fuzz_target!(|data: &[u8]| {
    // The first bytes choose where the rest is cut, and whether the message limit is small.
    let (head, stream) = data.split_at(data.len().min(4));
    let cuts: Vec<usize> = head.iter().map(|&b| b as usize * 7).collect();
    let max = if head.first().is_some_and(|b| b & 1 == 1) { 64 } else { 1 << 20 };
    framing::check_framing(stream, &cuts, max);

    let mut input = INITIALIZE.to_vec();
    input.extend_from_slice(stream);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(iam_policy_lsp::lsp::serve(&input[..], tokio::io::sink()));
});
