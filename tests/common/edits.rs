//! Applies the same content changes to the server's `lsp::Document` (a rope, positions
//! converted by `lsp::position`) and to the plain-string model of `text_model`, and checks
//! after every change that the texts are equal and that both convert positions alike.
//! Shared by `tests/properties.rs` and `fuzz/fuzz_targets/edits.rs`.

use iam_policy_lsp::lsp::{Document, Encoding, offset_to_position, position_to_offset};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

use super::text_model::{self, Change, Units};

fn encoding(units: Units) -> Encoding {
    match units {
        Units::Utf8 => Encoding::Utf8,
        Units::Utf16 => Encoding::Utf16,
    }
}

pub fn check_edits(initial: &str, changes: &[Change], units: Units) {
    let encoding = encoding(units);
    let mut document = Document::new(initial, 1);
    let mut model = initial.to_string();
    for change in changes {
        if let Some((sl, sc, el, ec)) = change.range {
            // The server and the model resolve both ends of the range to the same offsets …
            for (line, column) in [(sl, sc), (el, ec)] {
                let (expected, _) = text_model::offset(&model, line, column, units);
                let got = position_to_offset(&document.rope, Position::new(line, column), encoding);
                assert_eq!(
                    got, expected,
                    "offset of {line}:{column} ({units:?}) in {model:?}"
                );
                // … and map those offsets back to the same positions.
                let (l, c) = text_model::position(&model, expected, units);
                assert_eq!(
                    offset_to_position(&document.rope, expected, encoding),
                    Position::new(l, c),
                    "position of offset {expected} ({units:?}) in {model:?}"
                );
            }
        }
        let event = TextDocumentContentChangeEvent {
            range: change
                .range
                .map(|(sl, sc, el, ec)| Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: change.text.clone(),
        };
        document.apply_change(&event, encoding);
        text_model::apply(&mut model, change, units);
        assert_eq!(document.text(), model, "after {change:?} ({units:?})");
    }
}
