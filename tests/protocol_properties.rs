//! The transport's framing as a bounded property test (the `protocol` fuzz target runs it
//! longer; see fuzz/README.md): arbitrary streams of LSP pieces and bytes, cut anywhere.

mod common;

use common::framing::{PIECES, check_framing};
use proptest::prelude::*;

fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(|p| p.to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn frames_do_not_depend_on_where_the_input_is_cut(
        stream in stream(),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
        small_limit in any::<bool>(),
    ) {
        let cuts: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
        // A small limit reaches the refusals of messages over it.
        let max = if small_limit { 64 } else { 1 << 20 };
        check_framing(&stream, &cuts, max);
    }
}

#[test]
fn one_byte_at_a_time_is_the_same_as_all_at_once() {
    let stream: Vec<u8> = PIECES.concat();
    let every: Vec<usize> = (0..=stream.len()).collect();
    check_framing(&stream, &every, 1 << 20);
    check_framing(&stream, &every, 64);
}
