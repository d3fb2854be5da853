//! Decoding of JSON string literals.

/// What went wrong inside a string literal, with the byte offset (relative to the literal's
/// start) and length of the offending part.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct StringProblem {
    pub(crate) offset: usize,
    pub(crate) len: usize,
    pub(crate) message: &'static str,
}

/// Decodes the literal `raw` (starting with its opening quote). Problems are reported, never
/// fatal: an invalid escape is kept verbatim, a lone surrogate becomes U+FFFD.
pub(crate) fn decode(raw: &str, terminated: bool) -> (Box<str>, Vec<StringProblem>) {
    let inner = contents(raw, terminated);
    let mut problems = Vec::new();
    if find_special(inner.as_bytes()).is_none() {
        return (inner.into(), problems);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let offset = i + 1;
        if (c as u32) < 0x20 {
            problems.push(StringProblem {
                offset,
                len: 1,
                message: "control characters must be escaped in JSON strings",
            });
            out.push(c);
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            problems.push(StringProblem {
                offset,
                len: 1,
                message: "unfinished escape sequence",
            });
            break;
        };
        match e {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => match read_hex4(inner, i + 2) {
                Some(high @ 0xD800..=0xDBFF) => {
                    let low = inner
                        .get(i + 6..i + 8)
                        .filter(|s| *s == "\\u")
                        .and_then(|_| read_hex4(inner, i + 8))
                        .filter(|low| (0xDC00..=0xDFFF).contains(low));
                    match low {
                        Some(low) => {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                            skip(&mut chars, 10);
                        }
                        None => {
                            problems.push(lone_surrogate(offset));
                            out.push('\u{FFFD}');
                            skip(&mut chars, 4);
                        }
                    }
                }
                Some(0xDC00..=0xDFFF) => {
                    problems.push(lone_surrogate(offset));
                    out.push('\u{FFFD}');
                    skip(&mut chars, 4);
                }
                Some(code) => {
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    skip(&mut chars, 4);
                }
                None => {
                    problems.push(StringProblem {
                        offset,
                        len: 2,
                        message: "\\u must be followed by four hexadecimal digits",
                    });
                    out.push_str("\\u");
                }
            },
            other => {
                problems.push(StringProblem {
                    offset,
                    len: 1 + other.len_utf8(),
                    message: "invalid escape sequence",
                });
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out.into(), problems)
}

/// The text of the literal `raw` between its quotes (what [`decode`] decodes).
///
/// Always inlined: the parser calls it for every string, and the call cost more than it does.
#[inline(always)]
pub(crate) fn contents(raw: &str, terminated: bool) -> &str {
    let inner = raw.get(1..).unwrap_or("");
    if terminated {
        inner.strip_suffix('"').unwrap_or(inner)
    } else {
        inner
    }
}

/// The index of the first byte of `bytes` that a string literal treats specially: `"`, `\\`,
/// or a control character (below U+0020, line breaks included).
///
/// Eight bytes at a time (SWAR, as serde_json does): strings are most of a policy's bytes,
/// and the lexer and [`decode`] both scan every one of them.
pub(crate) fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte that is below `n` (exact for the lowest such byte; bytes
    // above it may be flagged spuriously, which `trailing_zeros` never looks at).
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for (index, chunk) in chunks.enumerate() {
        let Ok(array) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(array);
        // `b ^ 2 < 0x21` holds exactly for a control character or `"` (0x22 ^ 2 = 0x20): one
        // test for both, fewer instructions per 8 bytes.
        let found = below(word ^ (ONES * 2), 0x21) | below(word ^ (ONES * u64::from(b'\\')), 1);
        if found != 0 {
            return Some(index * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    let start = bytes.len() - tail.len();
    tail.iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| start + i)
}

fn lone_surrogate(offset: usize) -> StringProblem {
    StringProblem {
        offset,
        len: 6,
        message: "\\u escape of a lone surrogate (not a Unicode character)",
    }
}

fn skip(chars: &mut impl Iterator, n: usize) {
    for _ in 0..n {
        chars.next();
    }
}

fn read_hex4(s: &str, at: usize) -> Option<u32> {
    let digits = s.get(at..at + 4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> String {
        let (value, problems) = decode(raw, true);
        assert!(problems.is_empty(), "{raw}: {problems:?}");
        value.into()
    }

    #[test]
    fn decodes_escapes() {
        assert_eq!(ok(r#""plain""#), "plain");
        assert_eq!(ok(r#""a\"b\\c\/d\n\t""#), "a\"b\\c/d\n\t");
        assert_eq!(ok(r#""\u00e9\u6570""#), "é数");
        assert_eq!(ok(r#""\ud83d\ude00!""#), "😀!");
    }

    #[test]
    fn reports_bad_escapes_without_failing() {
        let (value, problems) = decode(r#""\q\ud800x""#, true);
        assert_eq!(&*value, "\\q\u{FFFD}x");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].offset, 1);
        assert_eq!(problems[1].offset, 3);
        let (value, problems) = decode("\"\\u12", false);
        assert_eq!(&*value, "\\u12");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn finds_the_first_special_byte_at_every_position() {
        let naive = |b: &[u8]| b.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        for len in 0..40 {
            for at in 0..=len {
                for special in [b'"', b'\\', b'\n', b'\r', 0, 0x1f] {
                    let mut bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    if at < len {
                        bytes[at] = special;
                    }
                    // Bytes that are close to special ones but are not.
                    if len > 3 && at != 3 {
                        bytes[3] = 0x20;
                    }
                    if len > 5 && at != 5 {
                        bytes[5] = 0xE9;
                    }
                    assert_eq!(find_special(&bytes), naive(&bytes), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn every_byte_value_at_every_position_of_a_word() {
        let naive = |b: &[u8]| b.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
        // Fillers next to the special values (a borrow from one byte must not flag another).
        for filler in [b'a', 0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff] {
            for at in 0..16 {
                for value in 0..=255u8 {
                    let mut bytes = [filler; 16];
                    bytes[at] = value;
                    assert_eq!(find_special(&bytes), naive(&bytes), "{bytes:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn find_special_agrees_with_a_byte_loop(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let naive = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            proptest::prop_assert_eq!(find_special(&bytes), naive);
        }
    }

    #[test]
    fn unterminated_literal_keeps_its_text() {
        assert_eq!(decode("\"support:Desc", false).0.as_ref(), "support:Desc");
        assert_eq!(decode("\"", false).0.as_ref(), "");
    }
}
