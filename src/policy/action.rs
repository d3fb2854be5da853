//! The syntax of an `Action` / `NotAction` string: `service:Name`, where either part may hold
//! the wildcards `*` and `?`, or `*` alone.

/// What an action string is, syntactically.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ActionSyntax<'a> {
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
pub(crate) enum FormatProblem {
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
    pub(crate) fn rejected_by_iam(self) -> bool {
        matches!(
            self,
            FormatProblem::Empty | FormatProblem::NoColon | FormatProblem::ManyColons
        )
    }

    /// What is wrong, for messages (after "the action …").
    pub(crate) fn describe(self) -> String {
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

/// Reads an action string (already decoded from JSON).
pub(crate) fn parse_action_syntax(text: &str) -> ActionSyntax<'_> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return ActionSyntax::Invalid(FormatProblem::Empty);
    }
    if bytes.iter().all(|&b| b == b'*') {
        return ActionSyntax::All;
    }
    let mut colon = None;
    let mut colons = 0;
    let mut bad = None;
    let mut whitespace = false;
    let mut previous = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b':' => {
                colons += 1;
                colon.get_or_insert(i);
            }
            b'{' if previous == b'$' => return ActionSyntax::Template,
            _ if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*' | b'?') => {}
            _ if b.is_ascii_whitespace() || b.is_ascii_control() => whitespace = true,
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
