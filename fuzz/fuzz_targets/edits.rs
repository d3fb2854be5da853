//! Random incremental edits, in UTF-8 or UTF-16 positions, applied to the server's
//! `lsp::Document` and to a plain-string model: the texts must stay equal, and positions
//! must convert alike both ways.

#![no_main]

#[path = "../../tests/common/text_model.rs"]
#[allow(dead_code)]
mod text_model;
#[path = "../../tests/common/edits.rs"]
#[allow(dead_code)]
mod edits;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use text_model::{Change, Units};

#[derive(Arbitrary, Debug)]
struct Input {
    utf16: bool,
    initial: String,
    changes: Vec<RawChange>,
}

#[derive(Arbitrary, Debug)]
struct RawChange {
    full: bool,
    start: (u8, u8),
    end: (u8, u8),
    text: String,
}

fuzz_target!(|input: Input| {
    let units = if input.utf16 { Units::Utf16 } else { Units::Utf8 };
    // Positions mostly inside the document (lines and columns are small numbers), with
    // some past a line's end or past the last line.
    let changes: Vec<Change> = input
        .changes
        .into_iter()
        .take(64)
        .map(|c| Change {
            range: (!c.full).then_some((
                u32::from(c.start.0 % 16),
                u32::from(c.start.1 % 48),
                u32::from(c.end.0 % 16),
                u32::from(c.end.1 % 48),
            )),
            text: c.text,
        })
        .collect();
    edits::check_edits(&input.initial, &changes, units);
});
