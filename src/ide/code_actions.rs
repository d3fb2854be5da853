//! Code actions that are not repairs of a finding: "expand wildcard" rewrites an action
//! wildcard into the explicit list of actions it matches today, keeping the document's layout.
//! (Quick fixes come with the findings: `Finding::fixes`.)

use crate::analysis::{Analysis, Edit, Fix, FixKind, json_edit};
use crate::catalog;
use crate::policy::action::{ActionSyntax, parse_action_syntax};
use crate::syntax::{Array, Member, Str, TextRange, Value, ValueKind};

/// Wildcards matching more actions than this are not offered for expansion (`*`, `ec2:*`…):
/// the list would not be a readable policy.
pub(crate) const MAX_EXPANSION: usize = 1000;

/// The rewrites available for `range` (a selection, or an empty range at the cursor). `text` is
/// the analysed text.
pub fn code_actions(analysis: &Analysis, text: &str, range: TextRange) -> Vec<Fix> {
    let mut fixes = Vec::new();
    for policy in analysis.policies() {
        for statement in &policy.statements {
            for member in [statement.action, statement.not_action]
                .into_iter()
                .flatten()
            {
                expand_in_member(member, text, range, &mut fixes);
            }
        }
    }
    analysis.in_host_syntax(text, fixes)
}

fn expand_in_member(member: &Member, text: &str, range: TextRange, fixes: &mut Vec<Fix>) {
    let Some(value) = &member.value else { return };
    match &value.kind {
        ValueKind::String(s) if s.range.intersects(range) => {
            if let Some(fix) = expand_single(member, s, text) {
                fixes.push(fix);
            }
        }
        ValueKind::Array(array) => {
            for (index, element) in array.elements.iter().enumerate() {
                if let Some(s) = element.as_str()
                    && s.range.intersects(range)
                    && let Some(fix) = expand_in_array(value, array, index, s, text)
                {
                    fixes.push(fix);
                }
            }
        }
        _ => {}
    }
}

/// The actions a wildcard token expands to, if it is one worth expanding.
fn expansion(s: &Str) -> Option<Vec<String>> {
    if !s.terminated || !catalog::has_wildcard(s.as_str()) {
        return None;
    }
    if !matches!(parse_action_syntax(s.as_str()), ActionSyntax::Action { .. }) {
        return None;
    }
    let names: Vec<String> = catalog::matching_actions(s.as_str())
        .take(MAX_EXPANSION + 1)
        .map(|a| a.to_string())
        .collect();
    (!names.is_empty() && names.len() <= MAX_EXPANSION).then_some(names)
}

fn title(pattern: &str, count: usize) -> String {
    match count {
        1 => format!("Expand \"{pattern}\" into the 1 action it matches"),
        n => format!("Expand \"{pattern}\" into the {n} actions it matches"),
    }
}

fn rewrite(title: String, range: TextRange, new_text: String) -> Fix {
    Fix {
        title,
        kind: FixKind::Rewrite,
        edits: vec![Edit { range, new_text }],
        preferred: false,
        safe: false,
    }
}

fn line_break(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn expand_in_array(
    array_value: &Value,
    array: &Array,
    index: usize,
    s: &Str,
    text: &str,
) -> Option<Fix> {
    let names = expansion(s)?;
    // Actions the array already lists literally are not repeated.
    let listed: Vec<&str> = array
        .elements
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .filter_map(|(_, e)| e.as_str())
        .map(|e| e.as_str())
        .collect();
    let count = names.len();
    let fresh: Vec<&String> = names
        .iter()
        .filter(|n| !listed.iter().any(|l| l.eq_ignore_ascii_case(n)))
        .collect();
    if fresh.is_empty() {
        return None;
    }
    let separator = json_edit::array_separator(text, array_value, array);
    let new_text = fresh
        .iter()
        .map(|n| json_edit::quote(n))
        .collect::<Vec<_>>()
        .join(&separator);
    Some(rewrite(title(s.as_str(), count), s.range, new_text))
}

/// `"Action": "support:Describe*"` becomes an array, on several lines when the member stands on
/// its own line.
fn expand_single(member: &Member, s: &Str, text: &str) -> Option<Fix> {
    let names = expansion(s)?;
    let quoted: Vec<String> = names.iter().map(|n| json_edit::quote(n)).collect();
    // Multi-line when the member starts its line.
    let indent = json_edit::indentation_at(text, member.key.range.start);
    let line_start = member.key.range.start as usize - indent.len();
    let own_line = line_start == 0 || text.get(line_start - 1..line_start) == Some("\n");
    let new_text = if own_line {
        let unit = if indent.contains('\t') {
            "\t"
        } else if indent.len() >= 4 && indent.len().is_multiple_of(4) {
            "    "
        } else {
            "  "
        };
        let nl = line_break(text);
        let inner = format!("{indent}{unit}");
        format!(
            "[{nl}{inner}{}{nl}{indent}]",
            quoted.join(&format!(",{nl}{inner}"))
        )
    } else {
        format!("[{}]", quoted.join(", "))
    };
    Some(rewrite(title(s.as_str(), names.len()), s.range, new_text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Options, analyze};

    /// The rewrites at `$0` (or over the `$0`…`$1` selection), applied: (title, new text).
    fn expand(marked: &str) -> Vec<(String, String)> {
        let start = marked.find("$0").expect("cursor");
        let text = marked.replace("$0", "");
        let (text, range) = match text.find("$1") {
            Some(end) => (text.replace("$1", ""), TextRange::from_usize(start..end)),
            None => (text, TextRange::from_usize(start..start)),
        };
        let analysis = analyze(&text, &Options::default());
        code_actions(&analysis, &text, range)
            .into_iter()
            .map(|fix| {
                assert_eq!(fix.kind, FixKind::Rewrite);
                let out = fix.apply(&text);
                (fix.title, out)
            })
            .collect()
    }

    fn only(marked: &str) -> String {
        let got = expand(marked);
        assert_eq!(got.len(), 1, "{got:?}");
        let (_, out) = got.into_iter().next().expect("one");
        let json: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("the expansion is not valid JSON ({e}): {out}"));
        // Still the same set of actions, now all literal.
        let statement = match &json["Statement"] {
            serde_json::Value::Array(all) => &all[0],
            one => one,
        };
        let list = statement
            .get("Action")
            .or(statement.get("NotAction"))
            .expect("an action element");
        assert!(list.is_array(), "{out}");
        out
    }

    const FOR_CASE: [&str; 4] = [
        "support:DisconnectLiveContactForCase",
        "support:InitiateCallForCase",
        "support:InitiateChatForCase",
        "support:InitiateLiveContactForCase",
    ];

    #[test]
    fn keeps_the_array_layout() {
        let cases = [
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "support:*For$0Case"], "Resource": "*"}]}"#,
                format!(
                    r#"{{"Statement": [{{"Effect": "Allow", "Action": ["s3:GetObject", "{}"], "Resource": "*"}}]}}"#,
                    FOR_CASE.join("\", \"")
                ),
            ),
            (
                "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"s3:GetObject\",\n        \"support:*For$0Case\"\n      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}",
                format!(
                    "{{\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"s3:GetObject\",\n        \"{}\"\n      ],\n      \"Resource\": \"*\"\n    }}\n  ]\n}}",
                    FOR_CASE.join("\",\n        \"")
                ),
            ),
            (
                "{\r\n\t\"Statement\": [{\r\n\t\t\"Effect\": \"Deny\",\r\n\t\t\"NotAction\": [\r\n\t\t\t\"support:*For$0Case\"\r\n\t\t],\r\n\t\t\"Resource\": \"*\"\r\n\t}]\r\n}",
                format!(
                    "{{\r\n\t\"Statement\": [{{\r\n\t\t\"Effect\": \"Deny\",\r\n\t\t\"NotAction\": [\r\n\t\t\t\"{}\"\r\n\t\t],\r\n\t\t\"Resource\": \"*\"\r\n\t}}]\r\n}}",
                    FOR_CASE.join("\",\r\n\t\t\t\"")
                ),
            ),
            (
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"support:*ForCase\"$0, \"s3:GetObject\"], \"Resource\": \"*\"}]}",
                format!(
                    "{{\"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [\"{}\", \"s3:GetObject\"], \"Resource\": \"*\"}}]}}",
                    FOR_CASE.join("\", \"")
                ),
            ),
        ];
        for (marked, expected) in cases {
            assert_eq!(only(marked), expected, "{marked}");
        }
    }

    #[test]
    fn a_single_string_becomes_an_array() {
        let cases = [
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "support:*For$0Case", "Resource": "*"}]}"#,
                format!(
                    r#"{{"Statement": [{{"Effect": "Allow", "Action": ["{}"], "Resource": "*"}}]}}"#,
                    FOR_CASE.join("\", \"")
                ),
            ),
            (
                "{\n    \"Statement\": {\n        \"Effect\": \"Allow\",\n        \"Action\": \"$0support:*ForCase\",\n        \"Resource\": \"*\"\n    }\n}",
                format!(
                    "{{\n    \"Statement\": {{\n        \"Effect\": \"Allow\",\n        \"Action\": [\n            \"{}\"\n        ],\n        \"Resource\": \"*\"\n    }}\n}}",
                    FOR_CASE.join("\",\n            \"")
                ),
            ),
        ];
        for (marked, expected) in cases {
            assert_eq!(only(marked), expected, "{marked}");
        }
    }

    #[test]
    fn offered_only_where_it_helps() {
        let doc = |value: &str| {
            format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": {value}, "Resource": "*"}}]}}"#
            )
        };
        // Not a wildcard, everything, too many, nothing, a typo, half-typed: nothing offered.
        for value in [
            r#""support:Describe$0Cases""#,
            r#""*$0""#,
            r#""*:*$0""#,
            r#""support:Nothing*$0""#,
            r#""s3 :Get*$0""#,
        ] {
            assert!(expand(&doc(value)).is_empty(), "{value}");
        }
        assert!(
            expand("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"support:*$0\n")
                .is_empty()
        );
        // Cursor elsewhere: nothing. A selection over two wildcards: both.
        assert!(expand(&doc(r#"["support:*ForCase"]$0"#)).is_empty());
        let both = expand(&doc(r#"["$0support:*ForCase", "support-console:Get*"$1]"#));
        assert_eq!(both.len(), 2, "{both:?}");
        assert_eq!(
            both[0].0,
            "Expand \"support:*ForCase\" into the 4 actions it matches"
        );
        // Actions already listed are not repeated.
        let out = only(&doc(
            r#"["support:InitiateCallForCase", "support:*For$0Case"]"#,
        ));
        assert_eq!(
            out.matches("support:InitiateCallForCase").count(),
            1,
            "{out}"
        );
        assert!(
            expand(&doc(
                r#"["support:InitiateCallForCase", "support:InitiateCall$0ForCas?"]"#
            ))
            .is_empty()
        );
        // Large but bounded wildcards expand; NotAction too.
        let out = only(
            r#"{"Statement": [{"Effect": "Deny", "NotAction": "support:$0*", "Resource": "*"}]}"#,
        );
        assert_eq!(out.matches("\"support:").count(), 39, "{out}");
    }
}
