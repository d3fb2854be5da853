//! Conversions between LSP positions and byte offsets, in the negotiated encoding.
//!
//! The analysis works in byte offsets of the document's text; the protocol counts UTF-16
//! code units (the default) or UTF-8 bytes (when the client offers it). Out-of-range
//! positions are clamped as the specification asks: past a line's end means the line's end,
//! past the last line means the document's end.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion needed), else UTF-16, which every
    /// client must support.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A position resolved to a char index, and whether it had to be clamped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) char_index: usize,
    pub(crate) clamped: bool,
}

/// The number of chars of `line` without its line break.
fn line_len_chars(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_chars();
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && slice.char(len - 1) == '\r' {
        len -= 1;
    }
    len
}

pub(crate) fn position_to_char(rope: &Rope, position: Position, encoding: Encoding) -> Resolved {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return Resolved {
            char_index: rope.len_chars(),
            clamped: true,
        };
    }
    let line_start = rope.line_to_char(line);
    let line_end = line_start + line_len_chars(rope, line);
    let column = position.character as usize;
    let resolved = match encoding {
        Encoding::Utf16 => {
            let start = rope.char_to_utf16_cu(line_start);
            let end = rope.char_to_utf16_cu(line_end);
            (start + column <= end).then(|| rope.utf16_cu_to_char(start + column))
        }
        Encoding::Utf8 => {
            let start = rope.char_to_byte(line_start);
            let end = rope.char_to_byte(line_end);
            (start + column <= end).then(|| rope.byte_to_char(start + column))
        }
    };
    match resolved {
        Some(char_index) => Resolved {
            char_index,
            clamped: false,
        },
        None => Resolved {
            char_index: line_end,
            clamped: true,
        },
    }
}

pub fn position_to_offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    rope.char_to_byte(position_to_char(rope, position, encoding).char_index)
}

pub fn offset_to_position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_index = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_index);
    let line_start = rope.line_to_char(line);
    let column = match encoding {
        Encoding::Utf16 => rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_start),
        Encoding::Utf8 => rope.char_to_byte(char_index) - rope.char_to_byte(line_start),
    };
    Position::new(to_u32(line), to_u32(column))
}

/// [`offset_to_position`] for offsets that mostly come in increasing order and close together
/// (a document's diagnostics, sorted by position): the text between the last offset and the
/// next is read when it is short, plain ASCII and without carriage returns (each byte then one
/// unit in either encoding, and `\n` the only line break), instead of walking the rope's tree
/// six times; anything else asks [`offset_to_position`].
pub(crate) struct Positions<'r> {
    rope: &'r Rope,
    encoding: Encoding,
    last: Option<(usize, Position)>,
    /// Many findings point at one entry (the one that covers them).
    last_range: Option<(TextRange, Range)>,
}

impl<'r> Positions<'r> {
    /// Beyond this many bytes, the rope's own conversion is the cheaper one.
    const NEAR: usize = 4096;

    pub(crate) fn new(rope: &'r Rope, encoding: Encoding) -> Self {
        Self {
            rope,
            encoding,
            last: None,
            last_range: None,
        }
    }

    pub(crate) fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.rope.len_bytes());
        let position = self
            .last
            .and_then(|(from, at)| self.advance(from, at, offset))
            .unwrap_or_else(|| offset_to_position(self.rope, offset, self.encoding));
        self.last = Some((offset, position));
        position
    }

    pub(crate) fn range(&mut self, range: TextRange) -> Range {
        if let Some((last, converted)) = self.last_range
            && last == range
        {
            return converted;
        }
        let start = self.position(range.start as usize);
        let converted = Range::new(start, self.position(range.end as usize));
        self.last_range = Some((range, converted));
        converted
    }

    /// The position of `offset`, from that of `from`, when the text between is near and plain.
    fn advance(&self, from: usize, at: Position, offset: usize) -> Option<Position> {
        if offset < from || offset - from > Self::NEAR {
            return None;
        }
        let (mut line, mut column) = (at.line, at.character);
        for chunk in self.rope.get_byte_slice(from..offset)?.chunks() {
            let bytes = chunk.as_bytes();
            if !bytes.is_ascii() || bytes.contains(&b'\r') {
                return None;
            }
            match bytes.iter().rposition(|&b| b == b'\n') {
                Some(last_break) => {
                    line += bytes.iter().filter(|&&b| b == b'\n').count() as u32;
                    column = (bytes.len() - last_break - 1) as u32;
                }
                None => column += bytes.len() as u32,
            }
        }
        Some(Position::new(line, column))
    }
}

pub(crate) fn range_to_lsp(rope: &Rope, range: TextRange, encoding: Encoding) -> Range {
    Range::new(
        offset_to_position(rope, range.start as usize, encoding),
        offset_to_position(rope, range.end as usize, encoding),
    )
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    /// The cursor against the rope's own conversion, at every offset in order, backwards and
    /// in jumps, over text with every kind of line break and multi-byte characters.
    #[test]
    fn positions_in_order_agree_with_the_rope() {
        let mut text = String::from("{\n  \"a\": \"😀数\",\r\n  \"b\": [\"x\",\r\"y\"]\n}\n");
        text.push_str(&"\"long line of plain text\" ".repeat(400));
        text.push_str("\né\r\n\n");
        let rope = Rope::from_str(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let orders: [Vec<usize>; 3] = [
                (0..=text.len() + 2).collect(),
                (0..=text.len()).rev().collect(),
                (0..=text.len())
                    .step_by(997)
                    .chain([3, 5000, 9, 10_500])
                    .collect(),
            ];
            let mut positions = Positions::new(&rope, encoding);
            for (start, end) in [(3, 9), (3, 9), (2, 40), (3, 9), (50, 60), (50, 60)] {
                let range = TextRange::new(start, end);
                assert_eq!(positions.range(range), range_to_lsp(&rope, range, encoding));
            }
            for order in orders {
                let mut positions = Positions::new(&rope, encoding);
                for offset in order {
                    assert_eq!(
                        positions.position(offset),
                        offset_to_position(&rope, offset, encoding),
                        "offset {offset}, {encoding:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn astral_characters_and_cjk_in_both_encodings() {
        // "😀" is 4 UTF-8 bytes and 2 UTF-16 units; "数" is 3 bytes and 1 unit.
        let rope = Rope::from_str("{\"Sid\": \"😀数\", \"Effect\": \"Deny\"}");
        let deny = "{\"Sid\": \"😀数\", \"Effect\": \"".len();
        assert_eq!(offset_to_position(&rope, deny, Encoding::Utf8), pos(0, 30));
        assert_eq!(offset_to_position(&rope, deny, Encoding::Utf16), pos(0, 26));
        assert_eq!(position_to_offset(&rope, pos(0, 26), Encoding::Utf16), deny);
        assert_eq!(position_to_offset(&rope, pos(0, 30), Encoding::Utf8), deny);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let rope = Rope::from_str("ab\r\ncd\ref");
        assert_eq!(rope.len_lines(), 3);
        assert_eq!(offset_to_position(&rope, 4, Encoding::Utf16), pos(1, 0));
        assert_eq!(offset_to_position(&rope, 7, Encoding::Utf16), pos(2, 0));
        assert_eq!(position_to_offset(&rope, pos(1, 1), Encoding::Utf16), 5);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\r\ncd");
        let past_line_end = position_to_char(&rope, pos(0, 9), Encoding::Utf16);
        assert_eq!(
            past_line_end,
            Resolved {
                char_index: 2,
                clamped: true
            }
        );
        let past_document = position_to_char(&rope, pos(7, 0), Encoding::Utf8);
        assert_eq!(
            past_document,
            Resolved {
                char_index: 6,
                clamped: true
            }
        );
        assert_eq!(offset_to_position(&rope, 999, Encoding::Utf16), pos(1, 2));
    }

    #[test]
    fn a_position_inside_a_character_rounds_down() {
        let rope = Rope::from_str("😀x");
        assert_eq!(
            position_to_char(&rope, pos(0, 1), Encoding::Utf16).char_index,
            0
        );
        assert_eq!(
            position_to_char(&rope, pos(0, 2), Encoding::Utf8).char_index,
            0
        );
        assert_eq!(
            position_to_char(&rope, pos(0, 4), Encoding::Utf8).char_index,
            1
        );
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&offered[..1])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
