//! The fuzz targets' properties as bounded property tests, so that `cargo test` (and CI,
//! which cannot afford cargo-fuzz) always checks them: the parser on arbitrary input, the
//! whole analysis with completion and hover, and incremental edits in both position
//! encodings against a plain-string model. The longer runs are `cargo +nightly fuzz run …`
//! (see `fuzz/README.md`).

mod common;

use common::edits::check_edits;
use common::invariants::{check_analysis, check_lexer, check_parse, sample_offsets};
use common::text_model::{Change, Units};
use proptest::prelude::*;

/// Pieces of policies and of JSON, so that random concatenations reach deep into the
/// analysis (statements, conditions, half-typed keys) instead of failing at the first byte.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    " ",
    "\n",
    "\r\n",
    "\"",
    "\\",
    "\"Version\"",
    "\"2012-10-17\"",
    "\"Statement\"",
    "\"Sid\"",
    "\"Effect\"",
    "\"Allow\"",
    "\"Deny\"",
    "\"Alow\"",
    "\"Action\"",
    "\"NotAction\"",
    "\"Resource\"",
    "\"NotResource\"",
    "\"Principal\"",
    "\"AWS\"",
    "\"Condition\"",
    "\"StringEquals\"",
    "\"ForAnyValue:StringLike\"",
    "\"aws:RequestedRegion\"",
    "\"s3:GetObject\"",
    "\"support:*\"",
    "\"*\"",
    "\"arn:aws:s3:::bucket/*\"",
    "\"PolicyDocument\"",
    "true",
    "null",
    "12",
    "Allow",
    "// c",
    "/*",
    "${X}",
    "😀",
    "é",
    "\u{0}",
    "\\ud800",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..60).prop_map(|v| v.concat())
}

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenySupportOutsideEu",
      "Effect": "Deny",
      "Action": ["support:Describe*", "s3:GetObject"],
      "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}
    },
    {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:iam::*:role/😀"}
  ]
}"#;

/// A real-looking policy with a few random byte-level mutations (deletions, insertions,
/// truncation), as an editor's buffer looks mid-edit.
fn mutated_policy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((0usize..POLICY.len(), 0usize..4, fragments()), 0..4),
        0usize..=POLICY.len(),
    )
        .prop_map(|(edits, cut)| {
            let mut text = POLICY.to_string();
            for (at, delete, insert) in edits {
                let mut start = at.min(text.len());
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + delete).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(start..end, &insert);
            }
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            if cut > 0 && cut < text.len() / 2 {
                text.truncate(cut);
            }
            text
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        any::<String>(),
        fragments(),
        mutated_policy(),
    ]
}

/// Text for edits: line breaks of every kind and characters of 1 to 4 UTF-8 bytes (1 or 2
/// UTF-16 units).
fn edit_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(&["a", "b", "\n", "\r", "\r\n", "é", "数", "😀", "\"", " "][..]),
        0..8,
    )
    .prop_map(|v| v.concat())
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        9 => (0u32..6, 0u32..10, 0u32..6, 0u32..10, edit_text()).prop_map(|(sl, sc, el, ec, text)| Change {
            range: Some((sl, sc, el, ec)),
            text,
        }),
        1 => edit_text().prop_map(|text| Change { range: None, text }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parser_is_lossless_and_in_bounds(text in any_text()) {
        check_lexer(&text);
        check_parse(&text);
    }

    #[test]
    fn analysis_completion_and_hover_never_break(text in any_text()) {
        check_analysis(&text, &sample_offsets(&text, 12));
    }

    #[test]
    fn incremental_edits_match_a_string_model(
        initial in edit_text(),
        changes in prop::collection::vec(change(), 1..12),
        utf16 in any::<bool>(),
    ) {
        let units = if utf16 { Units::Utf16 } else { Units::Utf8 };
        check_edits(&initial, &changes, units);
    }
}

/// Deep nesting is skipped, not recursed into (the server gets such documents too).
#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for open in ["[", "{\"a\":", "[{\"Statement\":"] {
        let text = open.repeat(100_000);
        check_parse(&text);
        check_analysis(&text, &sample_offsets(&text, 4));
    }
}
