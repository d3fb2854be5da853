//! The IAM policy grammar: required and exclusive elements, element names, value types,
//! Sids, versions and condition operators.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::catalog::{operator_names, parse_operator};
use crate::policy::elements::{POLICY_ELEMENTS, STATEMENT_ELEMENTS, VERSIONS, statement_element};
use crate::policy::{Policy, Statement, is_intrinsic};
use crate::suggest::{closest, edit_distance};
use crate::syntax::{Member, Object, Str, TextRange, Value, ValueKind};

const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

pub fn check(policy: &Policy, text: &str, findings: &mut Vec<Finding>) {
    if !policy.fragment {
        check_keys(policy.object, Place::Policy, findings);
        check_version(policy, text, findings);
        if let Some(id) = policy.id {
            expect_string(id, "Id", findings);
        }
        check_statement_element(policy, findings);
    }
    let mut sids: HashMap<&str, TextRange> = HashMap::new();
    for (index, statement) in policy.statements.iter().enumerate() {
        check_statement(statement, index, text, findings);
        if let Some(member) = statement.sid
            && let Some(sid) = member.value.as_ref().and_then(Value::as_str)
            && !sid.value.is_empty()
        {
            match sids.get(&*sid.value) {
                Some(first) => findings.push(
                    Finding::new(
                        Code::DuplicateSid,
                        sid.range,
                        format!(
                            "Sid \"{}\" is already used by another statement of this policy",
                            sid.value
                        ),
                    )
                    .related(*first, "first use of this Sid"),
                ),
                None => {
                    sids.insert(&sid.value, sid.range);
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Policy,
    Statement,
}

/// Unknown element names and duplicate keys of a policy or statement object.
fn check_keys(object: &Object, place: Place, findings: &mut Vec<Finding>) {
    let (known, other, here, elsewhere) = match place {
        Place::Policy => (
            POLICY_ELEMENTS,
            STATEMENT_ELEMENTS,
            "at the top of a policy",
            "inside a statement",
        ),
        Place::Statement => (
            STATEMENT_ELEMENTS,
            POLICY_ELEMENTS,
            "in a statement",
            "at the top of the policy",
        ),
    };
    for member in &object.members {
        let key = &member.key;
        if !key.terminated || known.iter().any(|e| e.name == &*key.value) {
            continue;
        }
        let names: Vec<&str> = known.iter().map(|e| e.name).collect();
        let message = if other.iter().any(|e| e.name == &*key.value) {
            format!(
                "\"{}\" is not allowed {here}; it belongs {elsewhere}",
                key.value
            )
        } else {
            format!("\"{}\" is not a policy element {here}", key.value)
        };
        let mut finding = Finding::new(Code::UnknownElement, key.range, message);
        let suggestions = closest(
            &key.value,
            &names,
            3.min(key.value.len().saturating_sub(1)).max(1),
        );
        if let [only] = suggestions.as_slice() {
            finding
                .message
                .push_str(&format!("; did you mean \"{only}\"?"));
        }
        for (i, suggestion) in suggestions.iter().enumerate() {
            let fix = Fix::replace(
                format!("Rename to \"{suggestion}\""),
                key.content_range(),
                *suggestion,
            );
            finding = finding.fix(if i == 0 && suggestions.len() == 1 {
                fix.preferred()
            } else {
                fix
            });
        }
        findings.push(finding);
    }
    check_duplicate_keys(object, "key", findings);
}

/// Keys that repeat in one object, comparing case-insensitively (IAM reads element names
/// exactly, so two spellings of one name are at best confusing and at worst ignored).
fn check_duplicate_keys(object: &Object, what: &str, findings: &mut Vec<Finding>) {
    for (key, first) in repeated_keys(&object.members) {
        let message = if first.value == key.value {
            format!(
                "duplicate {what} \"{}\": JSON readers keep only one of them",
                key.value
            )
        } else {
            format!(
                "{what} \"{}\" differs only in case from an earlier {what} of this object",
                key.value
            )
        };
        findings.push(
            Finding::new(Code::DuplicateKey, key.range, message)
                .related(first.range, "first occurrence"),
        );
    }
}

/// Objects up to this size are searched pairwise: policy objects are small, and hashing a
/// lower-cased copy of every key cost more than the rest of the grammar rules.
const PAIRWISE_UP_TO: usize = 16;

/// Each complete key equal but for case to an earlier one, with the first of them.
fn repeated_keys(members: &[Member]) -> Vec<(&Str, &Str)> {
    let keys = || members.iter().map(|m| &m.key).filter(|k| k.terminated);
    let mut repeated = Vec::new();
    if members.len() <= PAIRWISE_UP_TO {
        for (i, key) in keys().enumerate() {
            if let Some(first) = keys()
                .take(i)
                .find(|k| k.value.eq_ignore_ascii_case(&key.value))
            {
                repeated.push((key, first));
            }
        }
        return repeated;
    }
    let mut seen: HashMap<String, &Str> = HashMap::with_capacity(members.len());
    for key in keys() {
        match seen.entry(key.value.to_ascii_lowercase()) {
            Entry::Occupied(first) => repeated.push((key, *first.get())),
            Entry::Vacant(slot) => {
                slot.insert(key);
            }
        }
    }
    repeated
}

fn check_version(policy: &Policy, text: &str, findings: &mut Vec<Finding>) {
    let Some(member) = policy.version else {
        let mut finding = Finding::new(
            Code::MissingVersion,
            TextRange::new(policy.value.range.start, policy.value.range.start + 1),
            "the policy has no \"Version\": IAM then uses 2008-10-17, where policy variables such as ${aws:username} are plain text; add \"Version\": \"2012-10-17\"",
        );
        if let Some(first) = policy.object.members.first() {
            let separator = separator_before(text, policy.value.range.start, first.key.range.start);
            finding = finding.fix(
                Fix::quick(
                    "Add \"Version\": \"2012-10-17\"",
                    vec![Edit {
                        range: TextRange::empty(first.key.range.start),
                        new_text: format!("\"Version\": \"2012-10-17\",{separator}"),
                    }],
                )
                .preferred(),
            );
        }
        findings.push(finding);
        return;
    };
    let Some(value) = &member.value else { return };
    let Some(version) = value.as_str() else {
        push_wrong_type(
            findings,
            value,
            "Version",
            "a string such as \"2012-10-17\"",
        );
        return;
    };
    match &*version.value {
        "2012-10-17" => {}
        "2008-10-17" => findings.push(
            Finding::new(
                Code::OldVersion,
                version.range,
                "Version 2008-10-17 is the old policy language: policy variables such as ${aws:username} are not substituted; use 2012-10-17",
            )
            .fix(Fix::replace("Change to \"2012-10-17\"", version.content_range(), "2012-10-17").preferred()),
        ),
        other if version.terminated => findings.push(
            Finding::new(
                Code::InvalidVersion,
                version.range,
                format!("Version must be \"2012-10-17\" (or the old \"2008-10-17\"), not \"{other}\""),
            )
            .fix(Fix::replace("Change to \"2012-10-17\"", version.content_range(), VERSIONS[0]).preferred()),
        ),
        _ => {}
    }
}

/// The whitespace between a container's opening brace and its first member: what a fix
/// that inserts a member before it repeats, to keep the document's style.
fn separator_before(text: &str, open: u32, first_key: u32) -> &str {
    match text.get(open as usize + 1..first_key as usize) {
        Some(gap) if !gap.is_empty() && gap.trim().is_empty() => gap,
        _ => " ",
    }
}

fn check_statement_element(policy: &Policy, findings: &mut Vec<Finding>) {
    let Some(member) = policy.statement else {
        findings.push(Finding::new(
            Code::MissingStatement,
            policy.anchor(),
            "the policy has no \"Statement\": IAM rejects a policy without statements",
        ));
        return;
    };
    let Some(value) = &member.value else { return };
    match &value.kind {
        ValueKind::Object(_) => {}
        ValueKind::Array(array) => {
            if array.elements.is_empty() && array.closed {
                findings.push(Finding::new(
                    Code::EmptyArray,
                    value.range,
                    "\"Statement\" is empty: IAM rejects a policy without statements",
                ));
            }
            for element in &array.elements {
                if element.as_object().is_none() {
                    push_wrong_type(findings, element, "each statement", "an object");
                }
            }
        }
        _ => push_wrong_type(
            findings,
            value,
            "Statement",
            "an object or an array of objects",
        ),
    }
}

fn check_statement(statement: &Statement, index: usize, text: &str, findings: &mut Vec<Finding>) {
    check_keys(statement.object, Place::Statement, findings);
    let label = statement.label(index);
    let anchor = TextRange::new(statement.value.range.start, statement.value.range.start + 1);
    // A statement still being typed (its object not yet closed) is not yet missing anything.
    let complete = statement.object.closed;

    if let Some(member) = statement.sid {
        check_sid(member, findings);
    }
    match statement.effect {
        None if !complete => {}
        None => findings.push(
            Finding::new(
                Code::MissingEffect,
                anchor,
                format!("{label} has no \"Effect\": add \"Effect\": \"Allow\" or \"Deny\""),
            )
            .fix(insert_member_fix(statement, text, "Effect", "\"Allow\""))
            .fix(insert_member_fix(statement, text, "Effect", "\"Deny\"")),
        ),
        Some(member) => check_effect(member, findings),
    }
    exclusive(
        statement.action,
        statement.not_action,
        "Action",
        "NotAction",
        Code::ActionAndNotAction,
        findings,
    );
    exclusive(
        statement.resource,
        statement.not_resource,
        "Resource",
        "NotResource",
        Code::ResourceAndNotResource,
        findings,
    );
    exclusive(
        statement.principal,
        statement.not_principal,
        "Principal",
        "NotPrincipal",
        Code::PrincipalAndNotPrincipal,
        findings,
    );
    if complete && statement.action.is_none() && statement.not_action.is_none() {
        findings.push(Finding::new(
            Code::MissingAction,
            anchor,
            format!(
                "{label} has neither \"Action\" nor \"NotAction\": IAM rejects it{}",
                misspelled(statement, &["Action", "NotAction"])
            ),
        ));
    }
    let has_principal = statement.principal.is_some() || statement.not_principal.is_some();
    if complete
        && statement.resource.is_none()
        && statement.not_resource.is_none()
        && !has_principal
    {
        findings.push(Finding::new(
            Code::MissingResource,
            anchor,
            format!(
                "{label} has neither \"Resource\" nor \"NotResource\": IAM rejects it (use \"*\" for services without resource-level permissions){}",
                misspelled(statement, &["Resource", "NotResource"])
            ),
        ));
    }
    for (member, name) in [
        (statement.action, "Action"),
        (statement.not_action, "NotAction"),
        (statement.resource, "Resource"),
        (statement.not_resource, "NotResource"),
    ] {
        if let Some(member) = member {
            check_string_or_list(member, name, findings);
        }
    }
    for member in [statement.principal, statement.not_principal]
        .into_iter()
        .flatten()
    {
        check_principal(member, findings);
    }
    if let Some(member) = statement.condition {
        check_condition(member, findings);
    }
}

fn exclusive(
    first: Option<&Member>,
    second: Option<&Member>,
    first_name: &str,
    second_name: &str,
    code: Code,
    findings: &mut Vec<Finding>,
) {
    let (Some(a), Some(b)) = (first, second) else {
        return;
    };
    let (earlier, later) = if a.range.start <= b.range.start {
        (a, b)
    } else {
        (b, a)
    };
    findings.push(
        Finding::new(
            code,
            later.key.range,
            format!("a statement cannot have both \"{first_name}\" and \"{second_name}\": IAM rejects it"),
        )
        .related(earlier.key.range, format!("\"{}\" is here", earlier.key.value)),
    );
}

fn check_sid(member: &Member, findings: &mut Vec<Finding>) {
    let Some(value) = &member.value else { return };
    let Some(sid) = value.as_str() else {
        push_wrong_type(findings, value, "Sid", "a string");
        return;
    };
    if !sid.terminated || sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return;
    }
    let cleaned: String = sid
        .value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let bad: String = {
        let mut bad: Vec<char> = sid
            .value
            .chars()
            .filter(|c| !c.is_ascii_alphanumeric())
            .collect();
        bad.dedup();
        bad.into_iter()
            .map(|c| {
                if c == ' ' {
                    "space".to_string()
                } else {
                    format!("'{c}'")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut finding = Finding::new(
        Code::InvalidSid,
        sid.range,
        format!("Sid may contain only ASCII letters and digits; IAM rejects {bad}"),
    );
    if !cleaned.is_empty() {
        finding = finding.fix(
            Fix::replace(
                format!("Change to \"{cleaned}\""),
                sid.content_range(),
                cleaned,
            )
            .preferred(),
        );
    }
    findings.push(finding);
}

fn check_effect(member: &Member, findings: &mut Vec<Finding>) {
    let Some(value) = &member.value else { return };
    let Some(effect) = value.as_str() else {
        push_wrong_type(
            findings,
            value,
            "Effect",
            "the string \"Allow\" or \"Deny\"",
        );
        return;
    };
    if matches!(&*effect.value, "Allow" | "Deny") || !effect.terminated {
        return;
    }
    let mut finding = Finding::new(
        Code::InvalidEffect,
        effect.range,
        format!(
            "Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"{}\"",
            effect.value
        ),
    );
    let allow = edit_distance(&effect.value, "Allow");
    let deny = edit_distance(&effect.value, "Deny");
    let mut candidates = Vec::new();
    if allow <= deny {
        candidates.push("Allow");
    }
    if deny <= allow {
        candidates.push("Deny");
    }
    if allow.min(deny) > 3 {
        candidates = vec!["Allow", "Deny"];
    }
    let single = candidates.len() == 1;
    for candidate in candidates {
        let fix = Fix::replace(
            format!("Change to \"{candidate}\""),
            effect.content_range(),
            candidate,
        );
        finding = finding.fix(if single { fix.preferred() } else { fix });
    }
    findings.push(finding);
}

/// `Action`, `Resource` and their negations: a string or a non-empty array of strings.
fn check_string_or_list(member: &Member, name: &str, findings: &mut Vec<Finding>) {
    let Some(value) = &member.value else { return };
    match &value.kind {
        ValueKind::String(_) => {}
        ValueKind::Array(array) => {
            if array.elements.is_empty() && array.closed {
                findings.push(Finding::new(
                    Code::EmptyArray,
                    value.range,
                    format!(
                        "\"{name}\" is an empty array: IAM rejects it; list at least one value"
                    ),
                ));
            }
            for element in &array.elements {
                if element.as_str().is_none() {
                    push_wrong_type(
                        findings,
                        element,
                        &format!("each \"{name}\" entry"),
                        "a string",
                    );
                }
            }
        }
        _ => push_wrong_type(findings, value, name, "a string or an array of strings"),
    }
}

fn check_principal(member: &Member, findings: &mut Vec<Finding>) {
    let Some(value) = member.value.as_ref().filter(|v| !is_intrinsic(v)) else {
        return;
    };
    let name = &*member.key.value;
    match &value.kind {
        ValueKind::String(s) if &*s.value == "*" || !s.terminated => {}
        ValueKind::Object(object) => {
            for entry in &object.members {
                if entry.key.terminated && !PRINCIPAL_TYPES.contains(&&*entry.key.value) {
                    let mut finding = Finding::new(
                        Code::UnknownElement,
                        entry.key.range,
                        format!(
                            "\"{}\" is not a principal type; use \"AWS\", \"Service\", \"Federated\" or \"CanonicalUser\"",
                            entry.key.value
                        ),
                    );
                    if let [only] = closest(&entry.key.value, PRINCIPAL_TYPES, 3).as_slice() {
                        finding = finding.fix(
                            Fix::replace(
                                format!("Rename to \"{only}\""),
                                entry.key.content_range(),
                                *only,
                            )
                            .preferred(),
                        );
                    }
                    findings.push(finding);
                }
                check_string_or_list(entry, &entry.key.value, findings);
            }
            check_duplicate_keys(object, "principal type", findings);
        }
        _ => push_wrong_type(
            findings,
            value,
            name,
            "\"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}",
        ),
    }
}

fn check_condition(member: &Member, findings: &mut Vec<Finding>) {
    let Some(value) = member.value.as_ref().filter(|v| !is_intrinsic(v)) else {
        return;
    };
    let Some(object) = value.as_object() else {
        push_wrong_type(
            findings,
            value,
            "Condition",
            "an object of condition operators",
        );
        return;
    };
    check_duplicate_keys(object, "condition operator", findings);
    for block in &object.members {
        let operator = &block.key;
        if operator.terminated && !is_valid_operator(&operator.value) {
            findings.push(invalid_operator(operator));
        }
        let Some(keys_value) = block.value.as_ref().filter(|v| !is_intrinsic(v)) else {
            continue;
        };
        let Some(keys) = keys_value.as_object() else {
            push_wrong_type(
                findings,
                keys_value,
                "a condition operator's value",
                "an object of condition keys",
            );
            continue;
        };
        check_duplicate_keys(keys, "condition key", findings);
        for entry in &keys.members {
            let Some(values) = &entry.value else { continue };
            match &values.kind {
                ValueKind::String(_) | ValueKind::Number | ValueKind::Bool(_) => {}
                ValueKind::Array(array) => {
                    if array.elements.is_empty() && array.closed {
                        findings.push(
                            Finding::new(
                                Code::EmptyArray,
                                values.range,
                                format!("condition key \"{}\" has no values: this condition can never match", entry.key.value),
                            )
                            .severity(Severity::Warning),
                        );
                    }
                    for element in &array.elements {
                        if !matches!(
                            element.kind,
                            ValueKind::String(_) | ValueKind::Number | ValueKind::Bool(_)
                        ) {
                            push_wrong_type(
                                findings,
                                element,
                                "each condition value",
                                "a string, number or boolean",
                            );
                        }
                    }
                }
                _ => push_wrong_type(
                    findings,
                    values,
                    &format!("the value of condition key \"{}\"", entry.key.value),
                    "a string, number, boolean or an array of them",
                ),
            }
        }
    }
}

fn invalid_operator(operator: &crate::syntax::Str) -> Finding {
    let text = &*operator.value;
    let (qualifier, base) = match text.split_once(':') {
        Some((q, rest)) => (Some(q), rest),
        None => (None, text),
    };
    let name_refs: &[&str] = operator_names();
    let fixed_qualifier = qualifier.map(|q| {
        closest(q, &["ForAllValues", "ForAnyValue"], 4)
            .first()
            .copied()
            .unwrap_or(q)
    });
    let fixed_base = match base.strip_suffix("IfExists") {
        // `NullIfExists`: the base is right, the suffix is not allowed on it.
        Some(stripped) if is_valid_operator(stripped) => Some(stripped.to_string()),
        _ => closest(base, name_refs, 4).first().map(|s| s.to_string()),
    };
    let suggestion = fixed_base.map(|b| match fixed_qualifier {
        Some(q) => format!("{q}:{b}"),
        None => b,
    });
    let case_only = suggestion
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(text));
    let mut message = format!("\"{text}\" is not a condition operator");
    if case_only {
        message.push_str(" (operator names are case-sensitive)");
    }
    if let Some(s) = &suggestion {
        message.push_str(&format!("; did you mean \"{s}\"?"));
    }
    let mut finding = Finding::new(Code::InvalidConditionOperator, operator.range, message);
    if let Some(s) = suggestion.filter(|s| is_valid_operator(s)) {
        finding = finding.fix(
            Fix::replace(format!("Change to \"{s}\""), operator.content_range(), s).preferred(),
        );
    }
    finding
}

/// IAM's operator names are case-sensitive: `stringequals` is not `StringEquals`.
fn is_valid_operator(text: &str) -> bool {
    parse_operator(text).is_ok_and(|op| op.exact_case)
}

fn expect_string(member: &Member, name: &str, findings: &mut Vec<Finding>) {
    if let Some(value) = &member.value
        && value.as_str().is_none()
    {
        push_wrong_type(findings, value, name, "a string");
    }
}

/// Reports a value of the wrong type. Values that are not JSON at all are left to
/// `json-syntax`, which already flags them.
fn push_wrong_type(findings: &mut Vec<Finding>, value: &Value, what: &str, expected: &str) {
    if !matches!(value.kind, ValueKind::Invalid) && !is_intrinsic(value) {
        findings.push(wrong_type(value, what, expected));
    }
}

fn wrong_type(value: &Value, what: &str, expected: &str) -> Finding {
    let what = capitalize_first(what);
    Finding::new(
        Code::WrongType,
        value.range,
        format!("{what} must be {expected}, not {}", value.type_name()),
    )
}

fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `; "Actions" looks like a misspelling of "Action"`, when an unknown key of the statement
/// is close to one of `names`.
fn misspelled(statement: &Statement, names: &[&str]) -> String {
    statement
        .object
        .members
        .iter()
        .filter(|m| m.key.terminated && statement_element(&m.key.value).is_none())
        .find_map(|m| {
            closest(&m.key.value, names, 2).first().map(|name| {
                format!(
                    "; \"{}\" looks like a misspelling of \"{name}\"",
                    m.key.value
                )
            })
        })
        .unwrap_or_default()
}

/// A fix adding `"name": value` as the statement's first member.
fn insert_member_fix(statement: &Statement, text: &str, name: &str, value: &str) -> Fix {
    let open = statement.value.range.start;
    let new_text = match statement.object.members.first() {
        Some(first) => format!(
            "\"{name}\": {value},{}",
            separator_before(text, open, first.key.range.start)
        ),
        None => format!("\"{name}\": {value}"),
    };
    let at = statement
        .object
        .members
        .first()
        .map_or(open + 1, |first| first.key.range.start);
    Fix::quick(
        format!("Add \"{name}\": {value}"),
        vec![Edit {
            range: TextRange::empty(at),
            new_text,
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: each key against every earlier one, lower-cased as ASCII (IAM element
    /// names are ASCII; `Ünï` and `ünï` are different keys).
    fn repeated_by_definition(members: &[Member]) -> Vec<(TextRange, TextRange)> {
        let keys: Vec<&Str> = members
            .iter()
            .map(|m| &m.key)
            .filter(|k| k.terminated)
            .collect();
        (0..keys.len())
            .filter_map(|i| {
                let first = keys[..i]
                    .iter()
                    .find(|k| k.value.to_ascii_lowercase() == keys[i].value.to_ascii_lowercase())?;
                Some((keys[i].range, first.range))
            })
            .collect()
    }

    #[test]
    fn repeated_keys_agree_with_their_definition_small_and_large() {
        let names = [
            "Effect", "effect", "EFFECT", "Action", "Sid", "sid", "Ünï", "ünï",
        ];
        // Deterministic pseudo-random objects of 2 to 40 members (both sides of the
        // pairwise limit), drawing keys from a few names so that they repeat.
        let mut state = 0x2545_f491_u32;
        for size in 2..=40 {
            for _ in 0..20 {
                let keys: Vec<String> = (0..size)
                    .map(|i| {
                        state ^= state << 13;
                        state ^= state >> 17;
                        state ^= state << 5;
                        let name = names[state as usize % names.len()];
                        // Mostly distinct keys, some repeats.
                        if state.is_multiple_of(3) {
                            name.to_string()
                        } else {
                            format!("{name}{i}")
                        }
                    })
                    .collect();
                let text = format!(
                    "{{{}}}",
                    keys.iter()
                        .map(|k| format!("\"{k}\": 1"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let parse = crate::syntax::parse(&text);
                let object = parse.root.as_ref().and_then(Value::as_object).unwrap();
                let fast: Vec<(TextRange, TextRange)> = repeated_keys(&object.members)
                    .into_iter()
                    .map(|(key, first)| (key.range, first.range))
                    .collect();
                assert_eq!(fast, repeated_by_definition(&object.members), "{text}");
            }
        }
    }
}
