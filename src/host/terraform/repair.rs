//! Half-typed HCL: a quoted string left open at the end of its line (a value being typed) is
//! closed before parsing, since HCL forbids a line break in a quoted string; ranges are mapped
//! back to the user's text afterwards.

use crate::syntax::{TextRange, Value, ValueKind};

/// The text with a `"` added at the end of each line whose quoted string is left open (outside
/// heredocs), and the offsets of the added quotes in the original text; `None` when no line
/// needs one.
pub(super) fn close_open_quotes(text: &str) -> Option<(String, Vec<u32>)> {
    let mut added = Vec::new();
    let mut heredoc: Option<&str> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let end = offset + content.len();
        offset += line.len();
        if let Some(identifier) = heredoc {
            if content.trim() == identifier {
                heredoc = None;
            }
            continue;
        }
        let mut open = false;
        let mut escaped = false;
        let bytes = content.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\\' if open => {
                    escaped = !escaped;
                    continue;
                }
                b'"' if !escaped => open = !open,
                b'#' if !open => break,
                b'/' if !open && bytes.get(i + 1) == Some(&b'/') => break,
                b'<' if !open && content[i..].starts_with("<<") => {
                    let rest = content[i + 2..].trim_start_matches('-');
                    let identifier: &str = &rest[..rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len())];
                    if !identifier.is_empty() {
                        heredoc = Some(identifier);
                    }
                    break;
                }
                _ => {}
            }
            escaped = false;
        }
        if open {
            added.push(end as u32);
        }
    }
    (!added.is_empty())
        .then(|| insert(text, &added.iter().map(|&at| (at, '"')).collect::<Vec<_>>()))
}

/// `text` with each character inserted at its offset (sorted; several at one offset go in
/// their order), and the offsets.
pub(super) fn insert(text: &str, insertions: &[(u32, char)]) -> (String, Vec<u32>) {
    let mut repaired = String::with_capacity(text.len() + insertions.len());
    let mut from = 0;
    for &(at, c) in insertions {
        repaired.push_str(&text[from..at as usize]);
        repaired.push(c);
        from = at as usize;
    }
    repaired.push_str(&text[from..]);
    (repaired, insertions.iter().map(|(at, _)| *at).collect())
}

/// The ends of the lines that hold one bare word inside a block's body (`    act` in a
/// `statement { … }` being typed): no HCL, and tree-sitter-hcl then loses the whole file.
/// Made an empty block (` {}` added), the rest of the file is read.
pub(super) fn bare_words(text: &str) -> Vec<u32> {
    // Per open `{`: whether it opens a block (not an object), and per `[`/`(`: an expression.
    let mut stack: Vec<bool> = Vec::new();
    let mut heredoc: Option<&str> = None;
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += line.len();
        if let Some(identifier) = heredoc {
            if content.trim() == identifier {
                heredoc = None;
            }
            continue;
        }
        let trimmed = content.trim();
        let in_block = stack.last().is_some_and(|block| *block);
        if in_block && is_identifier(trimmed) && !matches!(trimmed, "true" | "false" | "null") {
            let end = line_start + content.trim_end().len();
            found.push(end as u32);
            continue;
        }
        let mut in_string = false;
        let mut escaped = false;
        for (i, b) in content.bytes().enumerate() {
            if in_string {
                match b {
                    b'\\' => escaped = !escaped,
                    b'"' if !escaped => in_string = false,
                    _ => escaped = false,
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'#' => break,
                b'/' if content[i..].starts_with("//") => break,
                b'<' if content[i..].starts_with("<<") => {
                    let rest = content[i + 2..].trim_start_matches('-');
                    let end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    if end > 0 {
                        heredoc = Some(&rest[..end]);
                    }
                    break;
                }
                b'{' => {
                    let before = content[..i].trim_end();
                    let object = before.is_empty() && !stack.last().is_some_and(|b| *b)
                        || before.ends_with(['=', '(', '[', ',', ':', '?', '{']);
                    stack.push(!object);
                }
                b'[' | b'(' => stack.push(false),
                b'}' | b']' | b')' => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
    found
}

fn is_identifier(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An offset in the repaired text, in the original one (one character was added at each of
/// `added`; the YAML bare-key repair shares this).
pub(in crate::host) fn original(offset: u32, added: &[u32]) -> u32 {
    // The k-th quote sits at `added[k] + k` in the repaired text.
    let before = added
        .iter()
        .enumerate()
        .take_while(|(k, at)| **at + (*k as u32) < offset)
        .count() as u32;
    offset - before
}

/// Applies `f` to every range of a tree.
pub(in crate::host) fn map_ranges(value: &mut Value, f: &dyn Fn(TextRange) -> TextRange) {
    value.range = f(value.range);
    match &mut value.kind {
        ValueKind::Object(object) => {
            for member in &mut object.members {
                member.range = f(member.range);
                member.key.range = f(member.key.range);
                if let Some(colon) = &mut member.colon {
                    *colon = f(*colon);
                }
                if let Some(value) = &mut member.value {
                    map_ranges(value, f);
                }
            }
        }
        ValueKind::Array(array) => array.elements.iter_mut().for_each(|e| map_ranges(e, f)),
        ValueKind::String(s) => s.range = f(s.range),
        _ => {}
    }
}
