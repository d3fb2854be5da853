//! Half-typed YAML: a key being typed on its own line (`    Act` among a statement's keys,
//! before its `:`) is no YAML, and tree-sitter-yaml may then lose the whole document. Such a
//! line — one word at the column of the keys of the mapping it follows — gets its `:` before
//! parsing; the key is recorded as recovered (no finding is drawn from a key being typed, and
//! its mapping is missing nothing yet), and completion offers the keys there.

/// The text with a `:` after each bare key, and the offsets (in the original text) where one
/// was added; `None` when no line is one.
pub(super) fn close_bare_keys(text: &str) -> Option<(String, Vec<u32>)> {
    let mut added = Vec::new();
    // (key column, whether the line holds a key) of the lines before, for the sibling test.
    let mut previous: Vec<(usize, bool)> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
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
        if let Some(scalar_indent) = block_scalar_indent {
            if indent > scalar_indent {
                continue; // the text of a block scalar
            }
            block_scalar_indent = None;
        }
        let (column, body) = key_column(indent, rest);
        if is_bare_key(body) && is_sibling_key(&previous, column) {
            added.push((line_start + indent + rest.len()) as u32);
            previous.push((column, true));
            continue;
        }
        let holds_key = holds_key(body);
        if opens_block_scalar(body) {
            block_scalar_indent = Some(indent);
        }
        previous.push((column, holds_key));
    }
    if added.is_empty() {
        return None;
    }
    let mut repaired = String::with_capacity(text.len() + added.len());
    let mut from = 0;
    for &at in &added {
        repaired.push_str(&text[from..at as usize]);
        repaired.push(':');
        from = at as usize;
    }
    repaired.push_str(&text[from..]);
    Some((repaired, added))
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
            ("A:\n  B: x\n  \"q\n", None),
        ];
        for (text, expected) in cases {
            let got = close_bare_keys(text).map(|(t, _)| t);
            assert_eq!(got.as_deref(), *expected, "{text:?}");
        }
    }
}
