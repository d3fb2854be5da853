//! The lexer and parser on arbitrary bytes (decoded lossily, so every input is used):
//! never a panic, the tokens concatenate to the input, every range in bounds and on
//! character boundaries, no error for what serde_json accepts.

#![no_main]

#[path = "../../tests/common/invariants.rs"]
#[allow(dead_code)]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    invariants::check_lexer(&text);
    invariants::check_parse(&text);
});
