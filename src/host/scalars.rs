//! Decoding YAML scalars from their source text: tree-sitter gives ranges, not values.
//! CloudFormation reads YAML 1.1 through its own loader; for policies only strings matter, so
//! every scalar is kept as the string it is written as (`Version: 2012-10-17` stays a string,
//! as CloudFormation sends it).

/// A plain scalar: lines folded into one, each line trimmed.
pub(super) fn plain(raw: &str) -> String {
    if !raw.contains('\n') {
        return raw.trim().to_string();
    }
    fold(raw.split('\n').map(str::trim))
}

/// `'…'`: `''` is a quote; lines folded.
pub(super) fn single_quoted(raw: &str) -> String {
    let inner = strip(raw, '\'');
    let folded = if inner.contains('\n') {
        fold_quoted(inner)
    } else {
        inner.to_string()
    };
    folded.replace("''", "'")
}

/// `"…"`: YAML's escapes (a superset of JSON's); lines folded; `\` at a line's end joins.
pub(super) fn double_quoted(raw: &str) -> String {
    let inner = strip(raw, '"');
    let inner = if inner.contains('\n') {
        fold_quoted(inner)
    } else {
        inner.to_string()
    };
    if !inner.contains('\\') {
        return inner;
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else { break };
        let hex = |chars: &mut std::str::Chars, n: usize| {
            let digits: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}')
        };
        match escape {
            '0' => out.push('\0'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            't' | '\t' => out.push('\t'),
            'n' => out.push('\n'),
            'v' => out.push('\u{B}'),
            'f' => out.push('\u{C}'),
            'r' => out.push('\r'),
            'e' => out.push('\u{1B}'),
            'N' => out.push('\u{85}'),
            '_' => out.push('\u{A0}'),
            'L' => out.push('\u{2028}'),
            'P' => out.push('\u{2029}'),
            'x' => out.push(hex(&mut chars, 2)),
            'u' => out.push(hex(&mut chars, 4)),
            'U' => out.push(hex(&mut chars, 8)),
            // `\` then a folded line break: the lines join without a space.
            ' ' if out.ends_with(' ') => {}
            other => out.push(other),
        }
    }
    out
}

/// A block scalar (`|`, `>`, with chomping and indentation indicators): the lines without
/// their indentation, joined (literal) or folded.
pub(super) fn block(raw: &str) -> String {
    let (header, body) = raw.split_once('\n').unwrap_or((raw, ""));
    let header = header.split('#').next().unwrap_or("").trim();
    let folded = header.starts_with('>');
    let keep = header.contains('+');
    let strip_end = header.contains('-');
    let lines: Vec<&str> = body.split('\n').collect();
    let indent = header
        .chars()
        .find_map(|c| c.to_digit(10))
        .map(|d| d as usize)
        .unwrap_or_else(|| {
            lines
                .iter()
                .find(|l| !l.trim().is_empty())
                .map_or(0, |l| l.len() - l.trim_start_matches(' ').len())
        });
    let content: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start_matches(' ')))
        .collect();
    let mut out = if folded {
        fold(content.iter().copied())
    } else {
        content.join("\n")
    };
    let trimmed = out.trim_end_matches('\n').len();
    if !keep {
        out.truncate(trimmed);
        if !strip_end && !out.is_empty() {
            out.push('\n');
        }
    }
    out
}

fn strip(raw: &str, quote: char) -> &str {
    let inner = raw.strip_prefix(quote).unwrap_or(raw);
    inner.strip_suffix(quote).unwrap_or(inner)
}

/// Line folding inside quotes: the first line keeps its leading blanks, the last its
/// trailing ones.
fn fold_quoted(inner: &str) -> String {
    let lines: Vec<&str> = inner.split('\n').collect();
    let last = lines.len() - 1;
    fold(lines.iter().enumerate().map(|(i, l)| match i {
        0 => l.trim_end(),
        i if i == last => l.trim_start(),
        _ => l.trim(),
    }))
}

/// YAML folding: a line break between two lines is a space; each empty line is a newline.
fn fold<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut first = true;
    let mut empties = 0;
    for line in lines {
        if first {
            out.push_str(line);
            first = false;
            continue;
        }
        if line.is_empty() {
            empties += 1;
            continue;
        }
        if empties > 0 {
            out.extend(std::iter::repeat_n('\n', empties));
            empties = 0;
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_style() {
        assert_eq!(plain("s3:GetObject"), "s3:GetObject");
        assert_eq!(plain("a\n   b\n\n   c"), "a b\nc");
        assert_eq!(single_quoted("'it''s'"), "it's");
        assert_eq!(double_quoted(r#""a\"b\u0041\x41""#), "a\"bAA");
        assert_eq!(double_quoted("\"a\n   b\""), "a b");
        assert_eq!(block("|\n  {\"a\": 1}\n  x\n"), "{\"a\": 1}\nx\n");
        assert_eq!(block("|-\n  a\n"), "a");
        assert_eq!(block(">\n  a\n  b\n"), "a b\n");
    }
}
