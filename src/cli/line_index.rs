//! Line and column numbers for terminal output (1-based; columns count characters).
//!
//! A column is the number of characters between the line's start and the offset. Counted
//! from the line's start for every finding, a minified policy (one line of megabytes with
//! thousands of findings) cost time quadratic in the line's length; so the index also keeps
//! how many characters precede every `CHUNK`-th byte, and a column costs at most two counts
//! over `CHUNK` bytes.

/// Bytes between two character counts: the index costs an eighth of a byte per byte of text.
const CHUNK: usize = 64;

pub(crate) struct LineIndex {
    line_starts: Vec<usize>,
    /// `chars_before[k]`: the characters of `text[..k * CHUNK]` (its bytes that start one).
    chars_before: Vec<u32>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                line_starts.push(i + 1);
            }
        }
        let mut chars_before = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut chars = 0u32;
        for chunk in bytes.chunks(CHUNK) {
            chars_before.push(chars);
            chars += count_chars(chunk);
        }
        chars_before.push(chars);
        Self {
            line_starts,
            chars_before,
        }
    }

    /// 1-based line and column of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = if text.is_char_boundary(offset) {
            self.chars_to(text, offset) - self.chars_to(text, start)
        } else {
            0
        };
        (line + 1, column as usize + 1)
    }

    /// The characters of `text[..offset]`.
    fn chars_to(&self, text: &str, offset: usize) -> u32 {
        let chunk = offset / CHUNK;
        let counted = self.chars_before[chunk];
        counted + count_chars(&text.as_bytes()[chunk * CHUNK..offset])
    }
}

/// The characters that start in `bytes`: every byte but UTF-8's continuation bytes.
fn count_chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: characters from the line's start, counted one by one.
    fn reference(text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let mut line = 1;
        let mut start = 0;
        for (i, &b) in before.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
                line += 1;
                start = i + 1;
            }
        }
        let column = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line, column + 1)
    }

    #[test]
    fn lines_and_columns() {
        let text = "ab\r\n😀c\rd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 4), (2, 1));
        assert_eq!(index.line_col(text, 8), (2, 2));
        assert_eq!(index.line_col(text, 10), (3, 1));
        assert_eq!(index.line_col(text, 99), (4, 1));
    }

    #[test]
    fn long_lines_of_any_characters_agree_with_the_definition() {
        let pieces = ["a", "é", "数", "😀", "\n", "\r\n", "\r", "\"x\": 1, "];
        let mut text = String::new();
        for i in 0..3_000usize {
            text.push_str(pieces[(i * 7 + i / 13) % pieces.len()]);
            if i % 500 == 0 {
                text.push_str(&"z".repeat(300));
            }
        }
        let index = LineIndex::new(&text);
        for offset in (0..=text.len() + 2).filter(|&o| o > text.len() || text.is_char_boundary(o)) {
            assert_eq!(
                index.line_col(&text, offset),
                reference(&text, offset),
                "offset {offset}"
            );
        }
    }
}
