//! `invalid-policy-variable`: `${…}` that IAM cannot read as a policy variable, so the text
//! stays literal. Grammar (IAM User Guide, policy variables): `${name}`, `${name, 'default'}`,
//! and `${*}`, `${?}`, `${$}` for the literal characters. Names without a colon are left
//! alone: they are a template engine's placeholders (`${bucket}`, `${var.name}`), not IAM's.

use super::sub_range;
use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding};
use crate::syntax::Str;

pub(super) fn check(text: &str, s: &Str, sink: &mut Sink) {
    let value = &*s.value;
    let mut from = 0;
    while let Some(found) = value[from..].find("${") {
        let start = from + found;
        let inner_start = start + 2;
        let Some(close) = value[inner_start..].find('}') else {
            let problem = "no closing brace: IAM reads the rest of the string as literal text";
            push(text, s, start, value.len(), problem, sink);
            return;
        };
        let end = inner_start + close + 1;
        if let Some(problem) = problem(&value[inner_start..end - 1]) {
            push(text, s, start, end, problem, sink);
        }
        from = end;
    }
}

fn push(text: &str, s: &Str, start: usize, end: usize, problem: &str, sink: &mut Sink) {
    let range = sub_range(text, s, start, end);
    let written = &s.value[start..end];
    sink.push(Finding::new(
        Code::InvalidPolicyVariable,
        range,
        format!("\"{written}\" is not a valid policy variable: {problem}"),
    ));
}

/// What is wrong with the text between `${` and `}`.
fn problem(inner: &str) -> Option<&'static str> {
    if inner.contains("${") {
        return Some("no closing brace before the next variable");
    }
    if inner.trim().is_empty() {
        return Some("it is empty; name a condition key, e.g. ${aws:username}");
    }
    if matches!(inner, "*" | "?" | "$") {
        return None;
    }
    let (name, default) = match inner.split_once(',') {
        Some((name, default)) => (name, Some(default)),
        None => (inner, None),
    };
    if !name.contains(':') {
        // A template engine's placeholder, or a name IAM does not know either way.
        return None;
    }
    if name.contains(char::is_whitespace) {
        return Some("its name has spaces; write it without them, e.g. ${aws:username}");
    }
    if let Some(default) = default {
        let default = default.trim();
        let quoted = default.len() >= 2
            && default.starts_with('\'')
            && default.ends_with('\'')
            && !default[1..default.len() - 1].contains('\'');
        if !quoted {
            return Some(
                "its default value must be in single quotes after the comma, e.g. ${aws:PrincipalTag/team, 'none'}",
            );
        }
    }
    None
}
