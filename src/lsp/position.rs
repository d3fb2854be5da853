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
