//! What may stand where: policy variables outside the places IAM substitutes them
//! (`variable-not-allowed`), and wildcards in the service name of an action or an ARN
//! (`wildcard-in-service`).
//!
//! IAM substitutes policy variables in `Resource` ARNs and in the values of String and ARN
//! conditions (IAM User Guide, policy variables): in an `Action`, a `Principal`, a condition
//! key or an ARN's partition or service a variable is literal text, which never matches. (The
//! guide says "only in the resource portion of the ARN", but AWS's own policies put variables
//! in the region and account fields, so those are not reported.) Host placeholders (`${AWS::Region}`,
//! Terraform's `${var.x}`) are filled in before IAM sees the policy, so strings holding one are
//! left alone.

#[cfg(test)]
mod tests;

use super::Sink;
use super::conditions::sub_range;
use crate::analysis::{Code, Finding};
use crate::policy::Policy;
use crate::policy::arn::{ArnText, has_host_placeholder, parse_arn};
use crate::syntax::{Member, Str, Value, ValueKind};

pub(crate) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    let variables = sink.wants(Code::VariableNotAllowed);
    let wildcards = sink.wants(Code::WildcardInService);
    for statement in &policy.statements {
        for (member, element) in [
            (statement.action, "Action"),
            (statement.not_action, "NotAction"),
        ] {
            // A search of the list's text says whether any action can hold a variable or a
            // wildcard (or an escape that may stand for one): AWS's largest policies list
            // thousands of actions with neither.
            let raw = member
                .and_then(|m| m.value.as_ref())
                .and_then(|v| text.get(v.range.as_usize()))
                .unwrap_or("");
            let raw = raw.as_bytes();
            let escapes = raw.contains(&b'\\');
            let dollars = variables && (escapes || raw.contains(&b'$'));
            let stars = wildcards && (escapes || raw.contains(&b'*') || raw.contains(&b'?'));
            if !(dollars || stars) {
                continue;
            }
            for item in strings(member) {
                check_action(text, item, element, dollars, stars, sink);
            }
        }
        for member in [statement.resource, statement.not_resource] {
            for item in strings(member) {
                check_arn(text, item, variables, wildcards, sink);
            }
        }
        if variables {
            for (member, element) in [
                (statement.principal, "Principal"),
                (statement.not_principal, "NotPrincipal"),
            ] {
                if let Some(value) = member.and_then(|m| m.value.as_ref()) {
                    each_string(value, &mut |s| {
                        report_variables(text, s, 0, s.value.len(), element, sink)
                    });
                }
            }
            for block in statement.conditions() {
                for entry in &block.entries {
                    let key = entry.key;
                    report_variables(text, key, 0, key.value.len(), "a condition key", sink);
                }
            }
        }
    }
}

fn check_action(
    text: &str,
    item: &Str,
    element: &str,
    variables: bool,
    wildcards: bool,
    sink: &mut Sink,
) {
    let value = &*item.value;
    let mut colon = None;
    let mut wildcard_in_service = false;
    if wildcards {
        for (i, &b) in value.as_bytes().iter().enumerate() {
            match b {
                b':' => {
                    colon = Some(i);
                    break;
                }
                b'*' | b'?' => wildcard_in_service = true,
                _ => {}
            }
        }
    }
    let wildcard_in_service = wildcard_in_service && colon.is_some();
    let variable = variables && value.contains("${");
    if !item.terminated || !(wildcard_in_service || variable) || has_host_placeholder(value) {
        return;
    }
    if variables && variable {
        report_variables(text, item, 0, value.len(), element, sink);
    }
    if wildcards
        && wildcard_in_service
        && let Some(colon) = colon
    {
        check_service(text, item, 0, &value[..colon], "action", sink);
    }
}

/// The strings of an element: its string, or the strings of its array (intrinsics and other
/// values are no strings).
fn strings(member: Option<&Member>) -> impl Iterator<Item = &Str> {
    let value = member.and_then(|m| m.value.as_ref());
    let (single, list) = match value.map(|v| &v.kind) {
        Some(ValueKind::String(s)) => (Some(s), &[][..]),
        Some(ValueKind::Array(array)) => (None, array.elements.as_slice()),
        _ => (None, &[][..]),
    };
    single
        .into_iter()
        .chain(list.iter().filter_map(Value::as_str))
}

fn check_arn(text: &str, item: &Str, variables: bool, wildcards: bool, sink: &mut Sink) {
    // Most resources are `*` or plain ARNs: only a `$`, `*` or `?` can give a finding.
    if !item.terminated || !item.value.bytes().any(|b| matches!(b, b'$' | b'*' | b'?')) {
        return;
    }
    // A host placeholder makes the string a template: `parse_arn` says so.
    let ArnText::Arn(arn) = parse_arn(item.as_str()) else {
        return;
    };
    // The partition and the service only: AWS's own managed policies and SCP examples put
    // `${aws:PrincipalAccount}` in the account field and `${aws:RequestedRegion}` in the
    // region field, so IAM evidently substitutes them there, whatever the guide says.
    if variables && item.value.contains("${") {
        report_variables(
            text,
            item,
            0,
            arn.region().offset,
            "an ARN's partition or service",
            sink,
        );
    }
    let service = arn.service();
    if wildcards {
        check_service(text, item, service.offset, service.text, "ARN", sink);
    }
}

/// `wildcard-in-service` for a service name with `*` or `?` (the whole `*` is meant: every
/// service).
fn check_service(
    text: &str,
    item: &Str,
    offset: usize,
    service: &str,
    what: &str,
    sink: &mut Sink,
) {
    if service == "*" || !service.contains(['*', '?']) || service.contains("${") {
        return;
    }
    sink.push(Finding::new(
        Code::WildcardInService,
        sub_range(text, item, offset, offset + service.len()),
        format!(
            "the service name `{service}` of this {what} has a wildcard: it reaches every service whose name fits, including ones AWS adds later; name the services"
        ),
    ));
}

/// `variable-not-allowed` for each policy variable in `s.value[from..to]`.
fn report_variables(text: &str, s: &Str, from: usize, to: usize, element: &str, sink: &mut Sink) {
    let value = &s.value[..to];
    if !value[from..].contains("${") || has_host_placeholder(&s.value) {
        return;
    }
    for (start, end) in variables(value, from) {
        let written = &value[start..end];
        sink.push(Finding::new(
            Code::VariableNotAllowed,
            sub_range(text, s, start, end),
            format!(
                "IAM substitutes policy variables in Resource ARNs and in String and ARN condition values: in {element} `{written}` stays literal text, which never matches"
            ),
        ));
    }
}

/// The spans of `${prefix:name…}` in `value` from `from` (policy variables; `${*}`, `${?}`,
/// `${$}` and unclosed ones are left alone).
fn variables(value: &str, from: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = from;
    std::iter::from_fn(move || {
        while let Some(found) = value[at..].find("${") {
            let start = at + found;
            let close = value[start..].find('}')?;
            let end = start + close + 1;
            at = end;
            let name = value[start + 2..end - 1].split(',').next().unwrap_or("");
            if name.contains(':') {
                return Some((start, end));
            }
        }
        None
    })
}

/// Calls `f` with every string inside `value` (an object's values, an array's elements).
fn each_string<'v>(value: &'v Value, f: &mut dyn FnMut(&'v Str)) {
    match &value.kind {
        ValueKind::String(s) => f(s),
        ValueKind::Array(array) => array.elements.iter().for_each(|v| each_string(v, f)),
        ValueKind::Object(object) => object
            .members
            .iter()
            .filter_map(|m| m.value.as_ref())
            .for_each(|v| each_string(v, f)),
        _ => {}
    }
}
