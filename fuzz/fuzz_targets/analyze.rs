//! The whole analysis (both document selections), every fix applied, and completion and
//! hover at the ends of the input and at a dozen offsets over it, on arbitrary bytes:
//! never a panic, every range in bounds and on character boundaries.

#![no_main]

#[path = "../../tests/common/invariants.rs"]
#[allow(dead_code)]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let offsets = invariants::sample_offsets(&text, 12);
    invariants::check_analysis(&text, &offsets);
});
