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
    if inner.contains('\n') {
        return quoted_with_map(raw, 0).0;
    }
    inner.replace("''", "'")
}

/// `"…"`: YAML's escapes (a superset of JSON's); lines folded; `\` at a line's end joins.
pub(super) fn double_quoted(raw: &str) -> String {
    let inner = strip(raw, '"');
    if !inner.contains(['\\', '\n']) {
        return inner.to_string();
    }
    quoted_with_map(raw, 0).0
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

/// A quoted scalar (`'…'` or `"…"`, quotes included, starting at `start` in the file)
/// decoded as [`single_quoted`] and [`double_quoted`] decode it, with, for each decoded byte
/// and the end, the offset in the file it comes from: JSON in a quoted string is parsed
/// decoded and its ranges mapped back through the escapes and the folded lines.
pub(super) fn quoted_with_map(raw: &str, start: u32) -> (String, Vec<u32>) {
    let double = raw.starts_with('"');
    let quote = if double { '"' } else { '\'' };
    let inner = strip(raw, quote);
    let base = start as usize + usize::from(raw.starts_with(quote));
    let mut out = String::with_capacity(inner.len());
    let mut map: Vec<u32> = Vec::with_capacity(inner.len() + 1);
    let push = |out: &mut String, map: &mut Vec<u32>, c: char, at: usize| {
        let before = out.len();
        out.push(c);
        map.extend(std::iter::repeat_n(at as u32, out.len() - before));
    };
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        inner
            .split('\n')
            .map(|line| {
                let at = offset;
                offset += line.len() + 1;
                (at, line)
            })
            .collect()
    };
    let last = lines.len() - 1;
    let mut index = 0;
    while index <= last {
        let (line_start, line) = lines[index];
        let mut content = line;
        let mut content_start = line_start;
        if index > 0 {
            let trimmed = content.trim_start_matches([' ', '\t']);
            content_start += content.len() - trimmed.len();
            content = trimmed;
        }
        if index < last {
            content = content.trim_end_matches([' ', '\t', '\r']);
        }
        let mut pending_break = false;
        let mut chars = content.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let at = base + content_start + at;
            if double && c == '\\' {
                let Some((_, escape)) = chars.next() else {
                    pending_break = index < last;
                    break;
                };
                let mut hex = |n: usize| {
                    let digits: String = (0..n)
                        .filter_map(|_| chars.next().map(|(_, d)| d))
                        .collect();
                    u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{FFFD}')
                };
                let decoded = match escape {
                    '0' => '\0',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    't' | '\t' => '\t',
                    'n' => '\n',
                    'v' => '\u{B}',
                    'f' => '\u{C}',
                    'r' => '\r',
                    'e' => '\u{1B}',
                    'N' => '\u{85}',
                    '_' => '\u{A0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' => hex(2),
                    'u' => hex(4),
                    'U' => hex(8),
                    other => other,
                };
                push(&mut out, &mut map, decoded, at);
            } else if !double && c == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                push(&mut out, &mut map, '\'', at);
            } else {
                push(&mut out, &mut map, c, at);
            }
        }
        if index == last {
            break;
        }
        // The line break, and the empty lines after it: a space, or a newline per empty line.
        let break_at = base + line_start + line.len();
        let mut next = index + 1;
        let mut empties = 0;
        while next < last && lines[next].1.trim_matches([' ', '\t', '\r']).is_empty() {
            empties += 1;
            next += 1;
        }
        if pending_break {
            // `\` at the end of a line: the lines join.
        } else if empties == 0 {
            push(&mut out, &mut map, ' ', break_at);
        } else {
            for k in 0..empties {
                let (at, _) = lines[index + 1 + k];
                push(&mut out, &mut map, '\n', base + at);
            }
        }
        index = next;
    }
    map.push((base + inner.len()) as u32);
    (out, map)
}

fn strip(raw: &str, quote: char) -> &str {
    let inner = raw.strip_prefix(quote).unwrap_or(raw);
    inner.strip_suffix(quote).unwrap_or(inner)
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
