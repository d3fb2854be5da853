//! Half-typed YAML that tree-sitter-yaml reads badly, repaired before parsing when the tree
//! has errors (a valid document is never touched):
//! - a key being typed on its own line (`    Act` among a statement's keys, before its `:`) is
//!   no YAML, and tree-sitter may then lose the whole document: such a line — one word at the
//!   column of the keys of the mapping it follows — gets its `:`;
//! - a quoted scalar left open at the end of its line (`- 's3:Put`), which YAML would carry
//!   over the next lines up to the next quote: when the next line cannot continue it (it is
//!   not indented further), the quote is closed at the line's end.
//!
//! The ranges are mapped back to the user's text, and what was repaired is recorded as
//! recovered: no finding is drawn from it, and the mapping or list it is in misses nothing
//! yet. Completion offers the keys at a bare key.

/// A repaired text: one character added at each offset of `added` (of the original text).
pub(super) struct Repair {
    pub(super) text: String,
    /// Sorted.
    pub(super) added: Vec<u32>,
    /// Where a `:` was added after a bare key.
    pub(super) colons: Vec<u32>,
    /// Where a closing quote was added.
    pub(super) quotes: Vec<u32>,
}

/// The text with a `:` after each bare key and a closing quote after each quoted scalar left
/// open at its line's end; `None` when no line needs either.
pub(super) fn repair(text: &str) -> Option<Repair> {
    let mut added: Vec<(u32, char)> = Vec::new();
    // (key column, whether the line holds a key) of the lines before, for the sibling test.
    let mut previous: Vec<(usize, bool)> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    // A quote left open on the line before, at this line's end offset, and its indentation.
    let mut pending_quote: Option<(u32, char, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += line.len();
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = content[indent..].trim_end();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some((at, quote, quote_indent)) = pending_quote.take() {
            if indent <= quote_indent {
                added.push((at, quote));
            } else {
                continue; // a multi-line quoted scalar goes on
            }
        }
        if let Some(scalar_indent) = block_scalar_indent {
            if indent > scalar_indent {
                continue; // the text of a block scalar
            }
            block_scalar_indent = None;
        }
        let (column, body) = key_column(indent, rest);
        let end = (line_start + indent + rest.len()) as u32;
        if is_bare_key(body) && is_sibling_key(&previous, column) {
            added.push((end, ':'));
            previous.push((column, true));
            continue;
        }
        if let Some(quote) = open_quote(body) {
            pending_quote = Some((end, quote, indent));
        }
        let holds_key = holds_key(body);
        if opens_block_scalar(body) {
            block_scalar_indent = Some(indent);
        }
        previous.push((column, holds_key));
    }
    if let Some((at, quote, _)) = pending_quote {
        added.push((at, quote));
    }
    if added.is_empty() {
        return None;
    }
    let mut repaired = String::with_capacity(text.len() + added.len());
    let mut from = 0;
    for &(at, c) in &added {
        repaired.push_str(&text[from..at as usize]);
        repaired.push(c);
        from = at as usize;
    }
    repaired.push_str(&text[from..]);
    Some(Repair {
        text: repaired,
        colons: added.iter().filter(|a| a.1 == ':').map(|a| a.0).collect(),
        quotes: added.iter().filter(|a| a.1 != ':').map(|a| a.0).collect(),
        added: added.into_iter().map(|a| a.0).collect(),
    })
}

/// The quote of a quoted scalar that starts a value on this line and is not closed on it.
fn open_quote(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut value_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if value_start && (b == b'\'' || b == b'"') {
            let mut j = i + 1;
            loop {
                match bytes.get(j) {
                    None => return Some(b as char),
                    Some(b'\'') if b == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 2,
                    Some(b'\\') if b == b'"' => j += 2,
                    Some(&c) if c == b => break,
                    Some(_) => j += 1,
                }
            }
            i = j + 1;
            value_start = false;
            continue;
        }
        match b {
            b' ' => {}
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            b'[' | b'{' | b',' => value_start = true,
            b':' if matches!(bytes.get(i + 1), Some(b' ') | None) => value_start = true,
            b'-' if value_start && bytes.get(i + 1) == Some(&b' ') => {}
            _ => value_start = false,
        }
        i += 1;
    }
    None
}

/// The column of a line's first key (after its `- ` list markers), and the text from there.
fn key_column(indent: usize, rest: &str) -> (usize, &str) {
    let mut column = indent;
    let mut body = rest;
    while let Some(after) = body.strip_prefix("- ") {
        let trimmed = after.trim_start_matches(' ');
        column += body.len() - trimmed.len();
        body = trimmed;
    }
    (column, body)
}

/// One plain word that could be a policy key being typed (`Act`, `aws:Sour`, `StringEq`).
fn is_bare_key(body: &str) -> bool {
    body.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !body.ends_with(':')
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '/' | '.' | '-'))
}

/// A line whose first item is a `key:` (or `key: value`).
fn holds_key(body: &str) -> bool {
    let body = body.split(" #").next().unwrap_or(body);
    !body.starts_with(['"', '\'', '[', '{', '!', '&', '*', '|', '>'])
        && (body.ends_with(':') || body.contains(": "))
}

fn opens_block_scalar(body: &str) -> bool {
    let value = body.split(" #").next().unwrap_or(body).trim_end();
    let last = value.rsplit([' ', ':']).next().unwrap_or("");
    !last.is_empty()
        && (last.starts_with('|') || last.starts_with('>'))
        && last[1..]
            .chars()
            .all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// Whether the nearest line before at or left of `column` is a key at `column`: then a word
/// there is that mapping's next key, never a plain scalar's continuation.
fn is_sibling_key(previous: &[(usize, bool)], column: usize) -> bool {
    for &(line_column, holds_key) in previous.iter().rev() {
        if line_column > column {
            continue;
        }
        return line_column == column && holds_key;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_at_a_key_column_get_their_colon() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "S:\n  - Effect: Allow\n    Act\n",
                Some("S:\n  - Effect: Allow\n    Act:\n"),
            ),
            (
                "S:\n  - Effect: Allow\n    Action:\n      - s3:x\n    Res\n  - Effect: Deny\n",
                Some(
                    "S:\n  - Effect: Allow\n    Action:\n      - s3:x\n    Res:\n  - Effect: Deny\n",
                ),
            ),
            // A plain scalar's continuation is indented further than its key.
            ("A: some\n  text\n", None),
            // After a list of scalars, a word at the items' column is an item being typed.
            ("A:\n  - s3:x\n  s3\n", None),
            // Inside a block scalar.
            ("A: |\n  {\n  Statement\n", None),
            // A quote left open where the next line cannot continue the scalar is closed.
            (
                "A:\n  B: x\n  C: 'q\n  D: y\n",
                Some("A:\n  B: x\n  C: 'q'\n  D: y\n"),
            ),
            ("A:\n  - \"s3:Put\n", Some("A:\n  - \"s3:Put\"\n")),
            // A multi-line quoted scalar, or a quote inside a plain scalar, is left alone.
            ("A:\n  B: 'q\n    r'\n", None),
            ("A:\n  B: it's\n", None),
        ];
        for (text, expected) in cases {
            let got = repair(text).map(|r| r.text);
            assert_eq!(got.as_deref(), *expected, "{text:?}");
        }
    }
}
