//! A statement's elements: required (`Effect`, `Action`, `Resource`) and exclusive ones,
//! `Sid`, `Effect`, the shape of `Action`/`Resource` lists and of `Principal`.

use super::super::Sink;
use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::policy::elements::statement_element;
use crate::policy::{Enforcement, PolicyKind, SidCharacters, Statement, is_intrinsic};
use crate::suggest::{closest, edit_distance};
use crate::syntax::{Member, TextRange, ValueKind};

use super::condition::check_condition;
use super::document::separator_before;
use super::keys::{Place, check_duplicate_keys, check_keys};
use super::types::{push_empty_array, push_wrong_type};

const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

pub(super) fn check_statement(
    statement: &Statement,
    index: usize,
    kind: &PolicyKind,
    text: &str,
    sink: &mut Sink,
) {
    check_keys(statement.object, Place::Statement, sink);
    let label = statement.label(index);
    let anchor = TextRange::new(statement.value.range.start, statement.value.range.start + 1);
    // A statement still being typed (its object not yet closed) is not yet missing anything.
    let complete = statement.object.closed;

    if let Some(member) = statement.sid {
        check_sid(member, kind, sink);
    }
    match statement.effect {
        None if !complete || !sink.wants(Code::MissingEffect) => {}
        None => sink.push(
            Finding::new(
                Code::MissingEffect,
                anchor,
                format!("{label} has no \"Effect\": add \"Effect\": \"Allow\" or \"Deny\""),
            )
            .fix(insert_member_fix(statement, text, "Effect", "\"Allow\""))
            .fix(insert_member_fix(statement, text, "Effect", "\"Deny\"")),
        ),
        Some(member) => check_effect(member, sink),
    }
    exclusive(
        statement.action,
        statement.not_action,
        "Action",
        "NotAction",
        Code::ActionAndNotAction,
        sink,
    );
    exclusive(
        statement.resource,
        statement.not_resource,
        "Resource",
        "NotResource",
        Code::ResourceAndNotResource,
        sink,
    );
    exclusive(
        statement.principal,
        statement.not_principal,
        "Principal",
        "NotPrincipal",
        Code::PrincipalAndNotPrincipal,
        sink,
    );
    if complete
        && statement.action.is_none()
        && statement.not_action.is_none()
        && sink.wants(Code::MissingAction)
    {
        let message = neither(statement, &label, ["Action", "NotAction"], "");
        sink.push(Finding::new(Code::MissingAction, anchor, message));
    }
    super::by_type::check_statement(statement, &label, kind, text, sink);
    for (member, name) in [
        (statement.action, "Action"),
        (statement.not_action, "NotAction"),
        (statement.resource, "Resource"),
        (statement.not_resource, "NotResource"),
    ] {
        if let Some(member) = member {
            check_string_or_list(member, name, sink);
        }
    }
    for member in [statement.principal, statement.not_principal]
        .into_iter()
        .flatten()
    {
        check_principal(member, sink);
    }
    if let Some(member) = statement.condition {
        check_condition(member, sink);
    }
}

fn exclusive(
    first: Option<&Member>,
    second: Option<&Member>,
    first_name: &str,
    second_name: &str,
    code: Code,
    sink: &mut Sink,
) {
    let (Some(a), Some(b)) = (first, second) else {
        return;
    };
    if !sink.wants(code) {
        return;
    }
    let (earlier, later) = if a.range.start <= b.range.start {
        (a, b)
    } else {
        (b, a)
    };
    sink.push(
        Finding::new(
            code,
            later.key.range,
            format!("a statement cannot have both \"{first_name}\" and \"{second_name}\": IAM rejects it"),
        )
        .related(earlier.key.range, format!("\"{}\" is here", earlier.key.value)),
    );
}

/// The Sid's characters, as the policy's type allows them (IAM: letters and digits; KMS, S3,
/// SNS, SQS and ECR also spaces or underscores).
fn check_sid(member: &Member, kind: &PolicyKind, sink: &mut Sink) {
    let Some(value) = &member.value else { return };
    let Some(sid) = value.as_str() else {
        push_wrong_type(sink, value, "Sid", "a string");
        return;
    };
    if !sid.terminated
        || sid.value.bytes().all(|b| b.is_ascii_alphanumeric())
        || !sink.wants(Code::InvalidSid)
    {
        return;
    }
    let disallowed = |t: crate::policy::PolicyType| {
        let (characters, enforcement) = t.sid_characters();
        (!characters.allows(&sid.value)).then_some(enforcement)
    };
    let Some(enforcement) = kind.mildest(disallowed) else {
        return;
    };
    // The characters of the first type that rejects the Sid with that enforcement.
    let characters = kind
        .types()
        .map(|t| t.sid_characters())
        .find(|(c, e)| *e == enforcement && !c.allows(&sid.value))
        .map_or(SidCharacters::Alphanumeric, |(c, _)| c);
    let allowed = |c: char| characters.allows(c.encode_utf8(&mut [0; 4]));
    let cleaned: String = sid.value.chars().filter(|&c| allowed(c)).collect();
    let bad: String = {
        let mut bad: Vec<char> = sid.value.chars().filter(|&c| !allowed(c)).collect();
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
    let message = match enforcement {
        Enforcement::Rejected if kind.must_be(|t| t == crate::policy::PolicyType::Scp) => {
            format!(
                "Sid may contain only ASCII letters and digits; AWS Organizations rejects {bad}"
            )
        }
        Enforcement::Rejected => {
            format!("Sid may contain only ASCII letters and digits; IAM rejects {bad}")
        }
        _ => format!(
            "in {} a Sid may contain {}; {bad} may be rejected (not verified)",
            kind.summary(),
            characters.describe()
        ),
    };
    let mut finding =
        Finding::new(Code::InvalidSid, sid.range, message).severity(Severity::of(enforcement));
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
    sink.push(finding);
}

fn check_effect(member: &Member, sink: &mut Sink) {
    let Some(value) = &member.value else { return };
    let Some(effect) = value.as_str() else {
        push_wrong_type(sink, value, "Effect", "the string \"Allow\" or \"Deny\"");
        return;
    };
    if matches!(&*effect.value, "Allow" | "Deny")
        || !effect.terminated
        || !sink.wants(Code::InvalidEffect)
    {
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
        )
        // Safe for `allow` → `Allow`: IAM rejects the policy as written.
        .safe_if_case_only(&effect.value, candidate);
        finding = finding.fix(if single { fix.preferred() } else { fix });
    }
    sink.push(finding);
}

/// `Action`, `Resource` and their negations: a string or a non-empty array of strings.
fn check_string_or_list(member: &Member, name: &str, sink: &mut Sink) {
    let Some(value) = &member.value else { return };
    match &value.kind {
        ValueKind::String(_) => {}
        ValueKind::Array(array) => {
            push_empty_array(sink, value, array, Severity::Error, || {
                format!("\"{name}\" is an empty array: IAM rejects it; list at least one value")
            });
            for element in &array.elements {
                if element.as_str().is_none() {
                    push_wrong_type(sink, element, &format!("each \"{name}\" entry"), "a string");
                }
            }
        }
        _ => push_wrong_type(sink, value, name, "a string or an array of strings"),
    }
}

fn check_principal(member: &Member, sink: &mut Sink) {
    let Some(value) = member.value.as_ref().filter(|v| !is_intrinsic(v)) else {
        return;
    };
    let name = &*member.key.value;
    match &value.kind {
        ValueKind::String(s) if &*s.value == "*" || !s.terminated => {}
        ValueKind::Object(object) => {
            for entry in &object.members {
                if entry.key.terminated
                    && !PRINCIPAL_TYPES.contains(&&*entry.key.value)
                    && sink.wants(Code::UnknownElement)
                {
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
                    sink.push(finding);
                }
                check_string_or_list(entry, &entry.key.value, sink);
            }
            check_duplicate_keys(object, "principal type", sink);
        }
        _ => push_wrong_type(
            sink,
            value,
            name,
            "\"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}",
        ),
    }
}

/// `statement 1 has neither "Action" nor "NotAction": IAM rejects it`, with `advice` and a
/// possible misspelling.
pub(super) fn neither(
    statement: &Statement,
    label: &str,
    names: [&str; 2],
    advice: &str,
) -> String {
    let [first, second] = names;
    format!(
        "{label} has neither \"{first}\" nor \"{second}\": IAM rejects it{advice}{}",
        misspelled(statement, &names)
    )
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
