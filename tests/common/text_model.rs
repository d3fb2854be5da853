//! A plain-`String` model of an LSP text document, written independently of the server's
//! rope and position code, to check them against (the property tests in
//! `tests/properties.rs` and the fuzz target `fuzz/fuzz_targets/edits.rs` include this file).
//!
//! The protocol's rules: lines end at `\n`, `\r\n` or `\r`; a column counts UTF-8 bytes or
//! UTF-16 code units, as negotiated; a column past the end of its line means the line's end
//! (before its line break), a line past the last means the end of the document; a column
//! inside a character means that character's start. A range whose end comes before its
//! start is taken the other way round.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    Utf8,
    Utf16,
}

/// Byte offsets where lines start; the first is 0.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 1;
            }
            b'\r' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The byte range of line `line`'s content (without its line break).
pub fn line_content(text: &str, starts: &[usize], line: usize) -> (usize, usize) {
    let start = starts[line];
    let mut end = starts.get(line + 1).copied().unwrap_or(text.len());
    let bytes = text.as_bytes();
    if end > start && bytes[end - 1] == b'\n' {
        end -= 1;
    }
    if end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    (start, end)
}

/// The byte offset of a position, and whether it had to be clamped.
pub fn offset(text: &str, line: u32, column: u32, units: Units) -> (usize, bool) {
    let starts = line_starts(text);
    let line = line as usize;
    if line >= starts.len() {
        return (text.len(), true);
    }
    let (start, end) = line_content(text, &starts, line);
    let mut counted = 0usize;
    for (i, c) in text[start..end].char_indices() {
        let width = match units {
            Units::Utf8 => c.len_utf8(),
            Units::Utf16 => c.len_utf16(),
        };
        if counted + width > column as usize {
            // The column is at this character's start, or inside it.
            return (start + i, false);
        }
        counted += width;
    }
    if counted == column as usize {
        (end, false)
    } else {
        (end, true)
    }
}

/// The (line, column) of a byte offset on a character boundary.
pub fn position(text: &str, offset: usize, units: Units) -> (u32, u32) {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let (start, end) = line_content(text, &starts, line);
    // An offset inside a line break counts as the line's end.
    let prefix = &text[start..offset.min(end)];
    let column = match units {
        Units::Utf8 => prefix.len(),
        Units::Utf16 => prefix.encode_utf16().count(),
    };
    (line as u32, column as u32)
}

/// One content change: a range (start line, start column, end line, end column) and its
/// new text, or the whole new text when `range` is `None`.
#[derive(Clone, Debug)]
pub struct Change {
    pub range: Option<(u32, u32, u32, u32)>,
    pub text: String,
}

pub fn apply(text: &mut String, change: &Change, units: Units) {
    let Some((sl, sc, el, ec)) = change.range else {
        *text = change.text.clone();
        return;
    };
    let (mut start, _) = offset(text, sl, sc, units);
    let (mut end, _) = offset(text, el, ec, units);
    if start > end {
        std::mem::swap(&mut start, &mut end);
    }
    text.replace_range(start..end, &change.text);
}
