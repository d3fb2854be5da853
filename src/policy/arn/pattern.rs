//! Patterns over ARN text, and whether two of them can match one string: a policy's ARN
//! (`*`, `?`, policy variables) against a catalogue ARN template (`${Name}` placeholders).
//!
//! Both sides are patterns, so the question is whether their languages intersect. Each is a
//! sequence of tokens — a literal byte, one byte of a class, or any run of bytes of a class —
//! and the intersection is a search over pairs of positions (O(|a|·|b|), no allocation beyond
//! a visited set).
//!
//! Literals compare without regard to ASCII case: the catalogue writes `vpcConnection/` where
//! AWS's own policies write `vpcconnection/`, and a finding must not hang on the catalogue's
//! spelling.

/// What a wildcard or placeholder may stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Any,
    /// Anything but `/` (a bucket name).
    NoSlash,
}

impl Class {
    fn allows(self, byte: u8) -> bool {
        self == Class::Any || byte != b'/'
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Literal(u8),
    /// Exactly one byte.
    One(Class),
    /// Any run of bytes, none included.
    More(Class),
}

/// A pattern over ARN text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    tokens: Vec<Token>,
}

/// Placeholders whose values never contain `/`. Only those whose confusion matters: a bucket ARN
/// (`arn:aws:s3:::b`) must not look like an object ARN (`…:::b/key`).
const NO_SLASH: &[&str] = &["BucketName", "TableBucketName"];

impl Pattern {
    /// A policy's text: `*` any run, `?` one character, a policy variable any run; `${*}`,
    /// `${?}` and `${$}` the characters themselves.
    pub(crate) fn policy(text: &str) -> Pattern {
        let bytes = text.as_bytes();
        let mut tokens = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'*' => tokens.push(Token::More(Class::Any)),
                b'?' => tokens.push(Token::One(Class::Any)),
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    if let Some(len) = text[i + 2..].find('}') {
                        match &text[i + 2..i + 2 + len] {
                            literal @ ("*" | "?" | "$") => {
                                tokens.push(Token::Literal(literal.as_bytes()[0]))
                            }
                            _ => tokens.push(Token::More(Class::Any)),
                        }
                        i += len + 3;
                        continue;
                    }
                    tokens.push(Token::Literal(b'$'));
                }
                byte => tokens.push(Token::Literal(byte.to_ascii_lowercase())),
            }
            i += 1;
        }
        Pattern { tokens }
    }

    /// A catalogue template's text: `${Name}` one or more characters (not `/` for
    /// [`NO_SLASH`] names), and `*` (a few templates have it) any run.
    pub(crate) fn template(text: &str) -> Pattern {
        let bytes = text.as_bytes();
        let mut tokens = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$'
                && bytes.get(i + 1) == Some(&b'{')
                && let Some(len) = text[i + 2..].find('}')
            {
                let name = &text[i + 2..i + 2 + len];
                let class = if NO_SLASH.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    Class::NoSlash
                } else {
                    Class::Any
                };
                tokens.push(Token::One(class));
                tokens.push(Token::More(class));
                i += len + 3;
                continue;
            }
            tokens.push(match bytes[i] {
                b'*' => Token::More(Class::Any),
                byte => Token::Literal(byte.to_ascii_lowercase()),
            });
            i += 1;
        }
        Pattern { tokens }
    }

    /// The literal bytes it starts with (before its first wildcard or placeholder).
    pub(crate) fn literal_prefix(&self) -> impl Iterator<Item = u8> + '_ {
        self.tokens.iter().map_while(|t| match t {
            Token::Literal(b) => Some(*b),
            _ => None,
        })
    }

    /// Whether some string matches both patterns.
    pub(crate) fn intersects(&self, other: &Pattern) -> bool {
        // Quick refusal: the literal beginnings must agree as far as both go.
        if self
            .literal_prefix()
            .zip(other.literal_prefix())
            .any(|(a, b)| a != b)
        {
            return false;
        }
        // A run matches anything: only the other side's fixed-width parts could refuse.
        if self.tokens == [Token::More(Class::Any)] || other.tokens == [Token::More(Class::Any)] {
            return true;
        }
        SCRATCH.with_borrow_mut(|(seen, stack)| self.search(other, seen, stack))
    }

    /// The search over pairs of positions, with buffers kept between calls (an analysis makes
    /// thousands of these).
    fn search(
        &self,
        other: &Pattern,
        seen: &mut Vec<bool>,
        stack: &mut Vec<(usize, usize)>,
    ) -> bool {
        let (a, b) = (&self.tokens, &other.tokens);
        let width = b.len() + 1;
        seen.clear();
        seen.resize((a.len() + 1) * width, false);
        stack.clear();
        stack.push((0, 0));
        while let Some((i, j)) = stack.pop() {
            let slot = i * width + j;
            if seen[slot] {
                continue;
            }
            seen[slot] = true;
            if i == a.len() && j == b.len() {
                return true;
            }
            // A run may match nothing.
            if let Some(Token::More(_)) = a.get(i) {
                stack.push((i + 1, j));
            }
            if let Some(Token::More(_)) = b.get(j) {
                stack.push((i, j + 1));
            }
            // Both consume one byte.
            if let (Some(x), Some(y)) = (a.get(i), b.get(j))
                && compatible(*x, *y)
            {
                let next_i = if matches!(x, Token::More(_)) {
                    i
                } else {
                    i + 1
                };
                let next_j = if matches!(y, Token::More(_)) {
                    j
                } else {
                    j + 1
                };
                stack.push((next_i, next_j));
            }
        }
        false
    }
}

/// The search's buffers: the pairs of positions seen, and those still to visit.
type Scratch = (Vec<bool>, Vec<(usize, usize)>);

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Whether one byte can match both tokens.
fn compatible(x: Token, y: Token) -> bool {
    match (x, y) {
        (Token::Literal(a), Token::Literal(b)) => a == b,
        (Token::Literal(a), Token::One(c) | Token::More(c))
        | (Token::One(c) | Token::More(c), Token::Literal(a)) => c.allows(a),
        // Any two classes share a byte (`a`).
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: whether `text` matches a pattern, by brute force over its tokens.
    fn matches(pattern: &Pattern, text: &[u8]) -> bool {
        fn go(tokens: &[Token], text: &[u8]) -> bool {
            match tokens.split_first() {
                None => text.is_empty(),
                Some((Token::Literal(b), rest)) => text.first() == Some(b) && go(rest, &text[1..]),
                Some((Token::One(c), rest)) => {
                    text.first().is_some_and(|&t| c.allows(t)) && go(rest, &text[1..])
                }
                Some((Token::More(c), rest)) => (0..=text.len())
                    .any(|n| text[..n].iter().all(|&t| c.allows(t)) && go(rest, &text[n..])),
            }
        }
        go(&pattern.tokens, text)
    }

    #[test]
    fn intersections() {
        let cases = [
            ("b", "${BucketName}", true),
            ("b/*", "${BucketName}", false),
            ("b/*", "${BucketName}/${ObjectName}", true),
            ("b", "${BucketName}/${ObjectName}", false),
            ("b*", "${BucketName}/${ObjectName}", true),
            ("*", "${BucketName}", true),
            ("", "${BucketName}", false),
            ("table/T", "table/${TableName}", true),
            ("tabel/T", "table/${TableName}", false),
            ("table/T/index/*", "table/${TableName}", true),
            ("role/${aws:username}", "role/${RoleNameWithPath}", true),
            ("function:f:PROD", "function:${FunctionName}:${Alias}", true),
            ("?", "${Id}", true),
            ("??", "x", false),
            ("a${*}", "a*", true),
            ("log-group:/aws/lambda/*", "log-group:${LogGroupName}", true),
            ("vpcconnection/*", "vpcConnection/${ResourceId}", true),
        ];
        for (policy, template, expected) in cases {
            let (p, t) = (Pattern::policy(policy), Pattern::template(template));
            assert_eq!(p.intersects(&t), expected, "{policy} vs {template}");
            assert_eq!(
                t.intersects(&p),
                expected,
                "{template} vs {policy} (symmetric)"
            );
        }
        // Found by the property below: the only common strings are eight bytes or longer.
        assert!(Pattern::policy("//aa*").intersects(&Pattern::policy("*b/aa")));
        assert!(matches(&Pattern::policy("//aa*"), b"//aab/aa"));
    }

    proptest::proptest! {
        /// When both patterns match a sample string, they intersect; when they intersect, a
        /// witness exists among short strings over the bytes they use.
        #[test]
        fn intersects_agrees_with_matching(
            a in "[ab/*?]{0,6}",
            b in "[ab/*]{0,5}",
            text in "[ab/]{0,6}",
        ) {
            let (p, q) = (Pattern::policy(&a), Pattern::policy(&b));
            if matches(&p, text.as_bytes()) && matches(&q, text.as_bytes()) {
                proptest::prop_assert!(p.intersects(&q));
            }
            if p.intersects(&q) {
                let alphabet = [b'a', b'b', b'/'];
                // Each literal byte or `?` of either pattern takes at most one byte of a
                // shortest witness (`//aa*` and `*b/aa` need `//aab/aa`, eight bytes).
                let witness = (0..=a.len() + b.len()).any(|len| {
                    (0..3usize.pow(len as u32)).any(|mut n| {
                        let text: Vec<u8> = (0..len).map(|_| { let c = alphabet[n % 3]; n /= 3; c }).collect();
                        matches(&p, &text) && matches(&q, &text)
                    })
                });
                proptest::prop_assert!(witness, "{} and {} intersect without a witness", a, b);
            }
        }
    }
}
