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
    if added.is_empty() {
        return None;
    }
    let mut repaired = String::with_capacity(text.len() + added.len());
    let mut from = 0;
    for &at in &added {
        repaired.push_str(&text[from..at as usize]);
        repaired.push('"');
        from = at as usize;
    }
    repaired.push_str(&text[from..]);
    Some((repaired, added))
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
