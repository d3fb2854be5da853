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
use crate::policy::arn::{ArnText, has_host_placeholder, parse_arn};
use crate::policy::{Policy, StringList};
use crate::syntax::{Str, Value, ValueKind};

pub(crate) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    let variables = sink.wants(Code::VariableNotAllowed);
    let wildcards = sink.wants(Code::WildcardInService);
    for statement in &policy.statements {
        if let Some(actions) = statement.actions() {
            let element = if actions.negated {
                "NotAction"
            } else {
                "Action"
            };
            for item in &actions.items {
                check_action(text, item, element, variables, wildcards, sink);
            }
        }
        for (member, negated) in [(statement.resource, false), (statement.not_resource, true)] {
            let Some(member) = member else { continue };
            for item in StringList::new(member, negated).items {
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
    if !item.terminated || has_host_placeholder(value) {
        return;
    }
    if variables && value.contains("${") {
        report_variables(text, item, 0, value.len(), element, sink);
    }
    if wildcards && let Some((service, _)) = value.split_once(':') {
        check_service(text, item, 0, service, "action", sink);
    }
}

fn check_arn(text: &str, item: &Str, variables: bool, wildcards: bool, sink: &mut Sink) {
    if !item.terminated {
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
