//! The syntax of an `Action` / `NotAction` string: `service:Name`, where either part may hold
//! the wildcards `*` and `?`, or `*` alone.

/// What an action string is, syntactically.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionSyntax<'a> {
    /// `*` (or `**`…): every action of every service.
    All,
    /// `service:name`; either part may contain `*` or `?` (then `wildcard` is true).
    Action {
        service: &'a str,
        name: &'a str,
        wildcard: bool,
    },
    /// Not a well-formed action string.
    Invalid(FormatProblem),
    /// Holds a template placeholder (`${AWS::Region}`, `${var}`) that something else fills in
    /// before IAM sees it: nothing can be said about it.
    Template,
}

/// Why an action string is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatProblem {
    Empty,
    /// Whitespace or a control character somewhere.
    Whitespace,
    NoColon,
    ManyColons,
    EmptyService,
    EmptyName,
    /// A character that no service prefix or action name has (`/`, `$`, `é`, …).
    BadCharacter(char),
}

impl FormatProblem {
    /// Whether IAM rejects a policy with this problem (rather than accepting an action string
    /// that can never match anything).
    pub fn rejected_by_iam(self) -> bool {
        matches!(
            self,
            FormatProblem::Empty | FormatProblem::NoColon | FormatProblem::ManyColons
        )
    }

    /// What is wrong, for messages (after "the action …").
    pub fn describe(self) -> String {
        match self {
            FormatProblem::Empty => "is empty".to_string(),
            FormatProblem::Whitespace => "contains whitespace".to_string(),
            FormatProblem::NoColon => {
                "has no service prefix: write it as `service:Action` (or `*`)".to_string()
            }
            FormatProblem::ManyColons => "has more than one `:`".to_string(),
            FormatProblem::EmptyService => "has an empty service prefix before the `:`".to_string(),
            FormatProblem::EmptyName => "has no action name after the `:`".to_string(),
            FormatProblem::BadCharacter(c) => {
                format!(
                    "contains `{}`, which no service prefix or action name has",
                    c.escape_debug()
                )
            }
        }
    }
}

const NAME: u8 = 0;
const COLON: u8 = 1;
const SPACE: u8 = 2;
const BRACE: u8 = 3;
const OTHER: u8 = 4;

/// What each byte is to an action string: name characters (ASCII letters, digits, `-_.*?`),
/// the colon, ASCII whitespace and control characters, `{` (a template after `$`), other.
static BYTE_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'*' | b'?') {
            NAME
        } else if c == b':' {
            COLON
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            SPACE
        } else if c == b'{' {
            BRACE
        } else {
            OTHER
        };
        b += 1;
    }
    class
};

/// Whether `b` may appear in a service prefix or an action name: ASCII letters and digits,
/// `-_.` and the wildcards. Arithmetic rather than a table, so that a loop over a string
/// compiles to vector compares.
fn is_name_byte(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    letter | digit | (b == b'-') | (b == b'_') | (b == b'.') | (b == b'*') | (b == b'?')
}

/// What a sixteen-byte chunk holds: whether some byte is neither a name byte nor `:` (any
/// non-zero value), how many colons, whether a wildcard. Byte-wide accumulators over a
/// fixed-size array compile to vector compares; a fold over the bytes of the string did not.
fn classify(chunk: &[u8; 16]) -> (u8, u8, u8) {
    chunk
        .iter()
        .fold((0u8, 0u8, 0u8), |(outside, colons, wildcards), &b| {
            let colon = b == b':';
            (
                outside | u8::from(!(is_name_byte(b) | colon)),
                colons + u8::from(colon),
                wildcards | u8::from((b == b'*') | (b == b'?')),
            )
        })
}

/// The common case, `service:Name` of name characters around one colon, in one branch-free
/// pass (the full classification below costs several times more per byte, and this runs
/// for every action of policies with thousands of them).
fn well_formed(text: &str) -> Option<ActionSyntax<'_>> {
    let bytes = text.as_bytes();
    let (mut outside, mut colons, mut wildcards) = (0u8, 0usize, 0u8);
    let mut add = |chunk: &[u8; 16]| {
        let (o, c, w) = classify(chunk);
        outside |= o;
        colons += usize::from(c);
        wildcards |= w;
    };
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        add(chunk.try_into().ok()?);
    }
    // The tail padded with a name byte, so that it too is one vector pass.
    let remainder = chunks.remainder();
    let mut tail = [b'a'; 16];
    tail[..remainder.len()].copy_from_slice(remainder);
    add(&tail);
    if outside != 0 || colons != 1 {
        return None;
    }
    let colon = bytes.iter().position(|&b| b == b':')?;
    let (service, name) = (&text[..colon], &text[colon + 1..]);
    if service.is_empty() || name.is_empty() {
        return None;
    }
    Some(ActionSyntax::Action {
        service,
        name,
        wildcard: wildcards != 0,
    })
}

/// Reads an action string (already decoded from JSON). One pass over the bytes for the
/// common ASCII case: it runs for every action of policies with thousands of them.
pub fn parse_action_syntax(text: &str) -> ActionSyntax<'_> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return ActionSyntax::Invalid(FormatProblem::Empty);
    }
    if bytes.iter().all(|&b| b == b'*') {
        return ActionSyntax::All;
    }
    if let Some(action) = well_formed(text) {
        return action;
    }
    let mut colon = None;
    let mut colons = 0;
    let mut bad = None;
    let mut whitespace = false;
    let mut previous = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        // One table lookup per byte (the chain of character-class tests cost more than the
        // catalogue lookup that follows).
        match BYTE_CLASS[b as usize] {
            NAME => {}
            COLON => {
                colons += 1;
                colon.get_or_insert(i);
            }
            BRACE if previous == b'$' => return ActionSyntax::Template,
            SPACE => whitespace = true,
            _ => {
                bad.get_or_insert(i);
            }
        }
        previous = b;
    }
    // Non-ASCII whitespace (a no-break space) counts as whitespace too.
    let bad_char = bad
        .and_then(|i| text.get(i..))
        .and_then(|rest| rest.chars().next());
    if whitespace
        || (bad_char.is_some() && text.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return ActionSyntax::Invalid(FormatProblem::Whitespace);
    }
    let Some(colon) = colon else {
        return ActionSyntax::Invalid(FormatProblem::NoColon);
    };
    if colons > 1 {
        return ActionSyntax::Invalid(FormatProblem::ManyColons);
    }
    let (service, name) = (&text[..colon], &text[colon + 1..]);
    if service.is_empty() {
        return ActionSyntax::Invalid(FormatProblem::EmptyService);
    }
    if name.is_empty() {
        return ActionSyntax::Invalid(FormatProblem::EmptyName);
    }
    if let Some(c) = bad_char {
        return ActionSyntax::Invalid(FormatProblem::BadCharacter(c));
    }
    ActionSyntax::Action {
        service,
        name,
        wildcard: crate::catalog::has_wildcard(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-byte classification as first written (character-class tests), which the
    /// table must reproduce.
    fn classify_reference(text: &str) -> (Option<usize>, usize, Option<usize>, bool, bool) {
        let (mut colon, mut colons, mut bad, mut whitespace, mut previous) =
            (None, 0, None, false, 0u8);
        for (i, &b) in text.as_bytes().iter().enumerate() {
            match b {
                b':' => {
                    colons += 1;
                    colon.get_or_insert(i);
                }
                b'{' if previous == b'$' => return (colon, colons, bad, whitespace, true),
                _ if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*' | b'?') => {
                }
                _ if b.is_ascii_whitespace() || b.is_ascii_control() => whitespace = true,
                _ => {
                    bad.get_or_insert(i);
                }
            }
            previous = b;
        }
        (colon, colons, bad, whitespace, false)
    }

    #[test]
    fn the_byte_table_classifies_like_the_character_tests() {
        for b in 0..=255u8 {
            let text = format!("a{}b:c", b as char);
            let bytes = [b'a', b, b':', b'c'];
            let Ok(text_bytes) = std::str::from_utf8(&bytes) else {
                // Non-ASCII bytes alone are not UTF-8; the char above covers them.
                let _ = parse_action_syntax(&text);
                continue;
            };
            let reference = classify_reference(text_bytes);
            let expected = match (reference.4, reference.3, reference.1, reference.2) {
                (true, ..) => "template",
                (_, true, ..) => "whitespace",
                (_, _, n, _) if n > 1 => "colons",
                (_, _, _, Some(_)) => "bad",
                _ => "action",
            };
            let got = match parse_action_syntax(text_bytes) {
                ActionSyntax::Template => "template",
                ActionSyntax::Invalid(FormatProblem::Whitespace) => "whitespace",
                ActionSyntax::Invalid(FormatProblem::ManyColons) => "colons",
                ActionSyntax::Invalid(FormatProblem::BadCharacter(_)) => "bad",
                ActionSyntax::Action { .. } => "action",
                _ => "other",
            };
            assert_eq!(got, expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn name_bytes_are_the_table_s_name_class() {
        for b in 0..=255u8 {
            assert_eq!(
                is_name_byte(b),
                BYTE_CLASS[b as usize] == NAME,
                "byte {b:#04x}"
            );
        }
    }

    #[test]
    fn reads_action_strings() {
        use ActionSyntax::*;
        use FormatProblem::*;
        let cases: &[(&str, ActionSyntax)] = &[
            ("*", All),
            ("***", All),
            (
                "s3:GetObject",
                Action {
                    service: "s3",
                    name: "GetObject",
                    wildcard: false,
                },
            ),
            (
                "support:Describe*",
                Action {
                    service: "support",
                    name: "Describe*",
                    wildcard: true,
                },
            ),
            (
                "*:Get?bject",
                Action {
                    service: "*",
                    name: "Get?bject",
                    wildcard: true,
                },
            ),
            (
                "iam:AssociateViaAWSService-EventsAndStates",
                Action {
                    service: "iam",
                    name: "AssociateViaAWSService-EventsAndStates",
                    wildcard: false,
                },
            ),
            ("", Invalid(Empty)),
            ("support:", Invalid(EmptyName)),
            (":Describe", Invalid(EmptyService)),
            ("s3GetObject", Invalid(NoColon)),
            ("s3*", Invalid(NoColon)),
            ("s3:Get:Object", Invalid(ManyColons)),
            ("s3: GetObject", Invalid(Whitespace)),
            ("s3:GetObject\t", Invalid(Whitespace)),
            ("s3:Get/Object", Invalid(BadCharacter('/'))),
            ("s3:Gét", Invalid(BadCharacter('é'))),
            ("日本:*", Invalid(BadCharacter('日'))),
            ("${AWS::Partition}:*", Template),
            ("s3:${aws:username}", Template),
            ("s3:Get$Object", Invalid(BadCharacter('$'))),
            ("s3:Get\u{a0}Object", Invalid(Whitespace)),
            ("s3Get\u{a0}", Invalid(Whitespace)),
            ("s3: Get:Object", Invalid(Whitespace)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_action_syntax(text), *expected, "{text:?}");
        }
        assert!(NoColon.rejected_by_iam() && !EmptyName.rejected_by_iam());
        assert!(BadCharacter('\u{1F600}').describe().contains('\u{1F600}'));
    }
}
