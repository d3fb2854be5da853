//! An open document's text as the client edits it: a rope and the client's version. What the
//! analysis sees of one version is a `Snapshot` (see `snapshot`).

use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::position::{Encoding, position_to_char};

pub struct Document {
    pub rope: Rope,
    pub version: i32,
}

/// Something odd about a change the client sent; the change was still applied.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeWarning {
    ClampedRange,
    ReversedRange,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Self {
            rope: Rope::from_str(text),
            version,
        }
    }

    /// Applies one content change. Ranges outside the document are clamped (and reported),
    /// so the document never diverges further than the client's own error.
    pub fn apply_change(
        &mut self,
        change: &TextDocumentContentChangeEvent,
        encoding: Encoding,
    ) -> Vec<ChangeWarning> {
        let Some(range) = change.range else {
            self.rope = Rope::from_str(&change.text);
            return Vec::new();
        };
        let mut warnings = Vec::new();
        let start = position_to_char(&self.rope, range.start, encoding);
        let end = position_to_char(&self.rope, range.end, encoding);
        if start.clamped || end.clamped {
            warnings.push(ChangeWarning::ClampedRange);
        }
        let (mut start, mut end) = (start.char_index, end.char_index);
        if start > end {
            warnings.push(ChangeWarning::ReversedRange);
            std::mem::swap(&mut start, &mut end);
        }
        self.rope.remove(start..end);
        self.rope.insert(start, &change.text);
        warnings
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(start: (u32, u32), end: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edits_after_an_emoji_in_utf16() {
        let mut doc = Document::new("{\"Sid\":\"😀\",\n\"Effect\":\"Deny\"}", 1);
        // Line 1: `"Effect":"Deny"}`; "Deny" is at UTF-16 columns 10..14.
        doc.apply_change(&change((1, 10), (1, 14), "Allow"), Encoding::Utf16);
        assert_eq!(doc.text(), "{\"Sid\":\"😀\",\n\"Effect\":\"Allow\"}");
        // Line 0: the emoji occupies UTF-16 columns 8..10; insert after it.
        doc.apply_change(&change((0, 10), (0, 10), "x"), Encoding::Utf16);
        assert_eq!(doc.text(), "{\"Sid\":\"😀x\",\n\"Effect\":\"Allow\"}");
        doc.apply_change(&change((0, 12), (0, 13), "y"), Encoding::Utf8);
        assert_eq!(doc.text(), "{\"Sid\":\"😀y\",\n\"Effect\":\"Allow\"}");
    }

    #[test]
    fn crlf_documents() {
        let mut doc = Document::new("{\r\n\"a\": 1\r\n}", 1);
        doc.apply_change(&change((1, 5), (1, 6), "2"), Encoding::Utf16);
        assert_eq!(doc.text(), "{\r\n\"a\": 2\r\n}");
    }

    #[test]
    fn bad_ranges_are_clamped_and_reported() {
        let mut doc = Document::new("abc", 1);
        let warnings = doc.apply_change(&change((0, 2), (5, 0), "Z"), Encoding::Utf16);
        assert_eq!(warnings, vec![ChangeWarning::ClampedRange]);
        assert_eq!(doc.text(), "abZ");
        let warnings = doc.apply_change(&change((0, 2), (0, 1), ""), Encoding::Utf16);
        assert_eq!(warnings, vec![ChangeWarning::ReversedRange]);
        assert_eq!(doc.text(), "aZ");
    }

    #[test]
    fn full_replacement() {
        let mut doc = Document::new("abc", 1);
        doc.apply_change(
            &TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "xyz".into(),
            },
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "xyz");
    }
}
