//! Text edits that change a policy's JSON while keeping its author's style: separators and
//! indentation are copied from the surrounding text, so a fix on a pretty-printed policy
//! stays pretty and a one-line policy stays on one line.

use super::Edit;
use crate::syntax::{Array, Member, Object, Str, TextRange, Value, ValueKind};

/// The separator between elements of `array` (`", "`, `",\n    "`…), as written.
pub(crate) fn array_separator(text: &str, array_value: &Value, array: &Array) -> String {
    if let [first, second, ..] = array.elements.as_slice() {
        if let Some(between) = text.get(first.range.end as usize..second.range.start as usize)
            && between.trim() == ","
        {
            return between.to_string();
        }
    }
    // One element: a newline after `[` means one element per line.
    if let Some(first) = array.elements.first()
        && let Some(lead) =
            text.get(array_value.range.start as usize + 1..first.range.start as usize)
        && lead.contains('\n')
        && lead.trim().is_empty()
    {
        return format!(",{lead}");
    }
    ", ".to_string()
}

/// JSON string literal for `text`.
pub(crate) fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    push_quoted(&mut quoted, text);
    quoted
}

/// Appends the JSON string literal for `text`. Action names and the like need no escape:
/// they are copied between quotes (serde_json's serializer, and a string per item, were a
/// fifth of the analysis of a small policy whose findings carry fixes).
fn push_quoted(out: &mut String, text: &str) {
    // What JSON escapes is what a string literal treats specially: the lexer's test.
    if crate::syntax::string::find_special(text.as_bytes()).is_some() {
        match serde_json::to_string(text) {
            Ok(quoted) => out.push_str(&quoted),
            Err(_) => out.push_str(&format!("\"{text}\"")),
        }
        return;
    }
    out.push('"');
    out.push_str(text);
    out.push('"');
}

/// The JSON string literals for `items`, with `separator` between them.
pub(crate) fn quoted_list(items: &[impl AsRef<str>], separator: &str) -> String {
    let length: usize = items
        .iter()
        .map(|i| i.as_ref().len() + 2 + separator.len())
        .sum();
    let mut out = String::with_capacity(length);
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push_str(separator);
        }
        push_quoted(&mut out, item.as_ref());
    }
    out
}

/// Adds string `items` to the end of a member's list (a string becomes an array).
pub(crate) fn append_strings(text: &str, member: &Member, items: &[impl AsRef<str>]) -> Vec<Edit> {
    let Some(value) = &member.value else {
        return Vec::new();
    };
    match &value.kind {
        ValueKind::Array(array) => match array.elements.last() {
            Some(last) => {
                let separator = array_separator(text, value, array);
                vec![Edit {
                    range: TextRange::empty(last.range.end),
                    new_text: format!("{separator}{}", quoted_list(items, &separator)),
                }]
            }
            None => vec![Edit {
                range: TextRange::empty(value.range.start + 1),
                new_text: quoted_list(items, ", "),
            }],
        },
        ValueKind::String(_) => vec![Edit {
            range: value.range,
            new_text: format!(
                "[{}, {}]",
                &text[value.range.as_usize()],
                quoted_list(items, ", ")
            ),
        }],
        _ => Vec::new(),
    }
}

/// Replaces the string `token` of a member's list with `items` (several strings, or none:
/// then the token is removed with one separator).
pub(crate) fn replace_string(
    text: &str,
    member: &Member,
    token: &Str,
    items: &[impl AsRef<str>],
) -> Vec<Edit> {
    let Some(value) = &member.value else {
        return Vec::new();
    };
    match &value.kind {
        ValueKind::Array(array) => {
            let separator = array_separator(text, value, array);
            if !items.is_empty() {
                return vec![Edit {
                    range: token.range,
                    new_text: quoted_list(items, &separator),
                }];
            }
            remove_element(array, token.range).into_iter().collect()
        }
        ValueKind::String(_) if items.len() == 1 => vec![Edit {
            range: value.range,
            new_text: quoted_list(items, ""),
        }],
        ValueKind::String(_) => vec![Edit {
            range: value.range,
            new_text: format!("[{}]", quoted_list(items, ", ")),
        }],
        _ => Vec::new(),
    }
}

/// An edit removing the element at `range` of `array` with the separator before it (or after
/// it, if first).
pub(crate) fn remove_element(array: &Array, range: TextRange) -> Option<Edit> {
    // The elements are in document order: found in log time (a policy may have 100,000).
    let position = array
        .elements
        .binary_search_by_key(&range.start, |e| e.range.start)
        .ok()
        .filter(|&at| array.elements[at].range == range)?;
    let range = if position > 0 {
        TextRange::new(array.elements[position - 1].range.end, range.end)
    } else if let Some(next) = array.elements.get(1) {
        TextRange::new(range.start, next.range.start)
    } else {
        range
    };
    Some(Edit {
        range,
        new_text: String::new(),
    })
}

/// The indentation (spaces and tabs) of the line `offset` is on, up to `offset`.
pub(crate) fn indentation_at(text: &str, offset: u32) -> &str {
    let offset = (offset as usize).min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let end = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..end]
}

/// Appends a statement (given as `(key, JSON value)` members) to a policy's `Statement`, in
/// the style of the statement before it; a single statement object becomes an array.
/// Empty when `Statement` holds no statement object to follow.
pub(crate) fn append_statement(
    text: &str,
    statement_member: &Member,
    members: &[(&str, String)],
) -> Vec<Edit> {
    let Some(value) = statement_member.value.as_ref() else {
        return Vec::new();
    };
    let (last, separator, wrap) = match &value.kind {
        ValueKind::Array(array) => match array.elements.last() {
            Some(last) => (last, array_separator(text, value, array), false),
            None => return Vec::new(),
        },
        ValueKind::Object(_) => (value, ", ".to_string(), true),
        _ => return Vec::new(),
    };
    let Some(last_object) = last.as_object() else {
        return Vec::new();
    };
    let multi_line = text
        .get(last.range.as_usize())
        .is_some_and(|s| s.contains('\n'));
    let body = if multi_line {
        let outer = indentation_at(text, last.range.start);
        let inner = last_object
            .members
            .first()
            .map(|m| indentation_at(text, m.range.start).to_string())
            .unwrap_or_else(|| format!("{outer}  "));
        let lines: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{inner}{}: {v}", quote(k)))
            .collect();
        format!("{{\n{}\n{outer}}}", lines.join(",\n"))
    } else {
        let parts: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}: {v}", quote(k)))
            .collect();
        format!("{{{}}}", parts.join(", "))
    };
    if wrap {
        return vec![
            Edit {
                range: TextRange::empty(value.range.start),
                new_text: "[".to_string(),
            },
            Edit {
                range: TextRange::empty(value.range.end),
                new_text: format!("{separator}{body}]"),
            },
        ];
    }
    vec![Edit {
        range: TextRange::empty(last.range.end),
        new_text: format!("{separator}{body}"),
    }]
}

/// An edit removing the member `index` of `object` with one comma: the one after it (up to the
/// next member), or for the last member the one before it. `None` when something other than
/// a comma and whitespace stands between the members.
pub(crate) fn remove_member(text: &str, object: &Object, index: usize) -> Option<Edit> {
    let member = object.members.get(index)?;
    let range = match (index.checked_sub(1), object.members.get(index + 1)) {
        (_, Some(next)) => TextRange::new(member.range.start, next.range.start),
        (Some(previous), None) => {
            TextRange::new(object.members[previous].range.end, member.range.end)
        }
        (None, None) => member.range,
    };
    let removed = text.get(range.as_usize())?;
    let member_text = text.get(member.range.as_usize())?;
    let rest = removed.replacen(member_text, "", 1);
    if !rest.trim().trim_matches(',').trim().is_empty() || rest.matches(',').count() > 1 {
        return None;
    }
    Some(Edit {
        range,
        new_text: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn apply(text: &str, edits: &[Edit]) -> String {
        crate::analysis::finding::apply_edits(text, edits)
    }

    fn with_member(text: &str, f: impl FnOnce(&Member) -> Vec<Edit>) -> String {
        let parse = parse(text);
        let root = parse.root.as_ref().unwrap().as_object().unwrap();
        let edits = f(&root.members[0]);
        let out = apply(text, &edits);
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "not JSON: {out}"
        );
        out
    }

    #[test]
    fn quote_is_serde_json_s_string_literal() {
        for text in [
            "",
            "support:DescribeCases",
            "say \"hi\"",
            "back\\slash",
            "tab\tnew\nline\u{1}\u{1f}",
            "\u{7f} del and é ü 日本 😀",
            "\u{0}",
        ] {
            assert_eq!(
                quote(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
        assert_eq!(
            quoted_list(&["a:b", "say \"hi\"", ""], ", "),
            r#""a:b", "say \"hi\"", """#
        );
    }

    proptest::proptest! {
        #[test]
        fn quote_is_serde_json_s_string_literal_for_any_text(text in "\\PC*|[\\x00-\\x7f]*") {
            proptest::prop_assert_eq!(quote(&text), serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn appending_keeps_the_style() {
        let items = vec!["support-console:*".to_string()];
        assert_eq!(
            with_member(r#"{"NotAction": ["iam:*", "support:*"]}"#, |m| {
                append_strings(r#"{"NotAction": ["iam:*", "support:*"]}"#, m, &items)
            }),
            r#"{"NotAction": ["iam:*", "support:*", "support-console:*"]}"#
        );
        let pretty = "{\"NotAction\": [\n    \"iam:*\",\n    \"support:*\"\n]}";
        assert_eq!(
            with_member(pretty, |m| append_strings(pretty, m, &items)),
            "{\"NotAction\": [\n    \"iam:*\",\n    \"support:*\",\n    \"support-console:*\"\n]}"
        );
        let single = r#"{"NotAction": "iam:*"}"#;
        assert_eq!(
            with_member(single, |m| append_strings(single, m, &items)),
            r#"{"NotAction": ["iam:*", "support-console:*"]}"#
        );
        let empty = r#"{"NotAction": []}"#;
        assert_eq!(
            with_member(empty, |m| append_strings(empty, m, &items)),
            r#"{"NotAction": ["support-console:*"]}"#
        );
    }

    #[test]
    fn removing_members() {
        for (text, index, expected) in [
            (
                r#"{"a": 1, "b": 2, "c": 3}"#,
                1,
                Some(r#"{"a": 1, "c": 3}"#),
            ),
            (r#"{"a": 1, "b": 2}"#, 1, Some(r#"{"a": 1}"#)),
            (
                "{\n  \"a\": 1,\n  \"b\": [2]\n}",
                0,
                Some("{\n  \"b\": [2]\n}"),
            ),
            (
                "{\n  \"a\": 1,\n  \"b\": {}\n}",
                1,
                Some("{\n  \"a\": 1\n}"),
            ),
            (r#"{"a": 1}"#, 0, Some("{}")),
            // A missing comma (a syntax error) is no reason to fail.
            (r#"{"a": 1 "b": 2}"#, 0, Some(r#"{"b": 2}"#)),
        ] {
            let parse = parse(text);
            let object = parse.root.as_ref().unwrap().as_object().unwrap();
            let edit = remove_member(text, object, index);
            assert_eq!(
                edit.map(|e| apply(text, &[e])).as_deref(),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn replacing_and_removing_tokens() {
        let text = "{\"Action\": [\n  \"s3:*\",\n  \"support:Describe*\"\n]}";
        let out = with_member(text, |m| {
            let token = m.value.as_ref().unwrap().as_array().unwrap().elements[1]
                .as_str()
                .unwrap();
            replace_string(
                text,
                m,
                token,
                &["support:DescribeCases", "support:DescribeServices"],
            )
        });
        assert_eq!(
            out,
            "{\"Action\": [\n  \"s3:*\",\n  \"support:DescribeCases\",\n  \"support:DescribeServices\"\n]}"
        );
        for (text, index, expected) in [
            (
                r#"{"Action": ["a:b", "c:d", "e:f"]}"#,
                1,
                r#"{"Action": ["a:b", "e:f"]}"#,
            ),
            (r#"{"Action": ["a:b", "c:d"]}"#, 0, r#"{"Action": ["c:d"]}"#),
            (r#"{"Action": ["a:b"]}"#, 0, r#"{"Action": []}"#),
        ] {
            let out = with_member(text, |m| {
                let token = m.value.as_ref().unwrap().as_array().unwrap().elements[index]
                    .as_str()
                    .unwrap();
                replace_string(text, m, token, &[] as &[&str])
            });
            assert_eq!(out, expected);
        }
        let single = r#"{"Action": "support:Describe*"}"#;
        let out = with_member(single, |m| {
            let token = m.value.as_ref().unwrap().as_str().unwrap();
            replace_string(single, m, token, &["a:b", "c:d"])
        });
        assert_eq!(out, r#"{"Action": ["a:b", "c:d"]}"#);
    }

    #[test]
    fn appending_a_statement() {
        let pretty = "{\"Statement\": [\n    {\n        \"Effect\": \"Allow\",\n        \"Action\": \"s3:*\"\n    }\n]}";
        let out = with_member(pretty, |m| {
            append_statement(
                pretty,
                m,
                &[("Effect", quote("Allow")), ("Resource", quote("*"))],
            )
        });
        assert_eq!(
            out,
            "{\"Statement\": [\n    {\n        \"Effect\": \"Allow\",\n        \"Action\": \"s3:*\"\n    },\n    {\n        \"Effect\": \"Allow\",\n        \"Resource\": \"*\"\n    }\n]}"
        );
        // A flat list, and a lone statement that becomes a list.
        for text in [
            r#"{"Statement": [{"Effect": "Allow"}]}"#,
            r#"{"Statement": {"Effect": "Allow"}}"#,
        ] {
            let out = with_member(text, |m| {
                append_statement(text, m, &[("Effect", quote("Deny"))])
            });
            assert_eq!(
                out, r#"{"Statement": [{"Effect": "Allow"}, {"Effect": "Deny"}]}"#,
                "{text}"
            );
        }
    }
}
