//! IAM's wildcard matching for action names.
//!
//! IAM compares actions case-insensitively; in a pattern `*` matches any run of characters
//! (none included, `:` included) and `?` exactly one character. This is the classic two-pointer
//! algorithm: it keeps only the last `*` as a backtracking point, which is enough for patterns
//! made of `*`, `?` and literals, so it runs in O(pattern × text) at worst and allocates nothing.

/// Whether `text` matches the IAM wildcard `pattern`, ignoring ASCII case.
///
/// Non-ASCII characters compare exactly and `?` consumes a whole character, so any UTF-8 input
/// is handled without panicking.
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    glob_bytes(pattern.as_bytes(), text.as_bytes())
}

/// Whether `pattern` contains a wildcard character.
pub(crate) fn has_wildcard(pattern: &str) -> bool {
    pattern.bytes().any(|b| b == b'*' || b == b'?')
}

/// The length of the UTF-8 character starting at `text[i]` (1 for stray continuation bytes).
fn char_len(text: &[u8], i: usize) -> usize {
    match text.get(i) {
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(&b) if b >= 0xC0 => 2,
        _ => 1,
    }
}

/// [`glob_match`] over bytes that are valid UTF-8 (or ASCII).
pub(super) fn glob_bytes(p: &[u8], t: &[u8]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    // After the last `*` seen: where the pattern resumes, and where in the text the `*`'s match
    // currently ends.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                pi += 1;
                star = Some((pi, ti));
                continue;
            }
            Some(b'?') => {
                pi += 1;
                ti = (ti + char_len(t, ti)).min(t.len());
                continue;
            }
            Some(&c) if c.eq_ignore_ascii_case(&t[ti]) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        // Mismatch: let the last `*` swallow more text, or fail. When a literal follows the
        // `*`, skip straight to the next place that literal occurs. (That literal starts a
        // character of the pattern, so an equal byte starts a character of the text.)
        match star {
            Some((resume, end)) => {
                let mut next = (end + char_len(t, end)).min(t.len());
                if let Some(&c) = p.get(resume).filter(|&&c| c != b'*' && c != b'?') {
                    while next < t.len() && !c.eq_ignore_ascii_case(&t[next]) {
                        next += 1;
                    }
                }
                star = Some((resume, next));
                pi = resume;
                ti = next;
            }
            None => return false,
        }
    }
    p[pi.min(p.len())..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_case() {
        assert!(glob_match("support:DescribeCases", "support:DescribeCases"));
        assert!(glob_match("SUPPORT:describecases", "support:DescribeCases"));
        assert!(!glob_match("support:DescribeCase", "support:DescribeCases"));
        assert!(!glob_match(
            "support:DescribeCasesX",
            "support:DescribeCases"
        ));
    }

    #[test]
    fn star() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything:at all"));
        assert!(glob_match("*:*", "s3:GetObject"));
        assert!(!glob_match("*:*", "no-colon"));
        assert!(glob_match(
            "support:*ForCase",
            "support:InitiateChatForCase"
        ));
        assert!(!glob_match(
            "support:*ForCase",
            "support:InitiateChatForCases"
        ));
        assert!(
            glob_match("support:*ForCase", "support:ForCase"),
            "* matches nothing too"
        );
        assert!(glob_match(
            "SUPPORT:describe*",
            "support:DescribeSupportLevel"
        ));
        assert!(
            glob_match("support*", "support-console:GetBanner"),
            "* crosses the colon"
        );
        assert!(glob_match("support*", "support:CreateCase"));
        assert!(glob_match("a*b*c", "abc"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(glob_match("a*b*c", "abbbcbc"));
        assert!(!glob_match("a*b*c", "aXXbYYcd"));
        assert!(!glob_match("a*b*c", "acb"));
        assert!(glob_match("**", "x"));
        assert!(glob_match("a**", "a"));
        assert!(glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaab"));
        assert!(!glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn literal_then_star() {
        for (pattern, text, expected) in [
            ("support:*", "SUPPORT:DescribeCases", true),
            ("support:*", "support:", true),
            ("support:*", "support", false),
            ("Supp*", "sup", false),
            ("ec2:describe*", "ec2:DescribeInstances", true),
            ("ec2:describe*", "ec2:Descrip", false),
            ("é*", "éa", true),
            ("É*", "éa", false),
            ("*", "", true),
        ] {
            assert_eq!(glob_match(pattern, text), expected, "{pattern} {text}");
        }
    }

    #[test]
    fn question_mark() {
        assert!(glob_match("s3:Get?bject", "s3:GetObject"));
        assert!(glob_match("s3:get?bject", "S3:GETOBJECT"));
        assert!(
            !glob_match("s3:Get?bject", "s3:Getbject"),
            "? needs one character"
        );
        assert!(!glob_match("s3:Get?bject", "s3:GetOObject"));
        assert!(
            glob_match("s3?GetObject", "s3:GetObject"),
            "? matches the colon"
        );
        assert!(glob_match("???", "abc"));
        assert!(!glob_match("???", "ab"));
        assert!(glob_match("*?", "a"));
        assert!(!glob_match("*?", ""));
    }

    #[test]
    fn empty_and_colon() {
        assert!(glob_match("", ""));
        assert!(!glob_match("", "a"));
        assert!(!glob_match("a", ""));
        assert!(glob_match(":", ":"));
        assert!(!glob_match(":", "s3:GetObject"));
        assert!(!glob_match("s3:", "s3:GetObject"));
    }

    #[test]
    fn non_ascii() {
        assert!(
            glob_match("s3:Get?bject", "s3:Getébject"),
            "? is one character, not one byte"
        );
        assert!(!glob_match("s3:Get??bject", "s3:Getébject"));
        assert!(glob_match("*é*", "cafés"));
        assert!(!glob_match("*É*", "cafés"), "non-ASCII compares exactly");
        assert!(glob_match("?", "日"));
        assert!(!glob_match("??", "日"));
        assert!(glob_match("*?", "日本"));
        assert!(!glob_match("*???", "日本"));
        assert!(glob_match("日*", "日本語"));
        assert!(!glob_match("support:*", "サポート:x"));
        // Bytes that end in a truncated character must not panic.
        assert!(!glob_bytes(b"??", &[0xE6]));
        assert!(glob_bytes(b"*", &[0xE6, 0x97]));
    }

    #[test]
    fn wildcard_detection() {
        assert!(has_wildcard("support:*"));
        assert!(has_wildcard("s3:Get?bject"));
        assert!(!has_wildcard("support:DescribeCases"));
    }

    /// A naive recursive matcher over characters, as the reference.
    fn reference(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| reference(rest, &t[i..])),
            Some(('?', rest)) => !t.is_empty() && reference(rest, &t[1..]),
            Some((c, rest)) => {
                t.first().is_some_and(|d| c.eq_ignore_ascii_case(d)) && reference(rest, &t[1..])
            }
        }
    }

    #[test]
    fn agrees_with_a_naive_reference() {
        // Deterministic pseudo-random patterns and texts over a small alphabet.
        let alphabet = ['a', 'B', 'b', ':', 'é', '*', '?'];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let p: String = (0..next(7)).map(|_| alphabet[next(7)]).collect();
            let t: String = (0..next(8)).map(|_| alphabet[next(5)]).collect();
            let (pc, tc): (Vec<char>, Vec<char>) = (p.chars().collect(), t.chars().collect());
            assert_eq!(
                glob_match(&p, &t),
                reference(&pc, &tc),
                "pattern {p:?} text {t:?}"
            );
        }
    }
}
