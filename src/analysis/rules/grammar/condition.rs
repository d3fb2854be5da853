//! `Condition`: its operators (`invalid-condition-operator`, with the closest valid name)
//! and the shape of each operator's block.

use super::super::Sink;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::{operator_names, parse_operator};
use crate::policy::is_intrinsic;
use crate::suggest::closest;
use crate::syntax::{Member, Str, ValueKind};

use super::keys::check_duplicate_keys;
use super::types::{push_empty_array, push_wrong_type};

pub(super) fn check_condition(member: &Member, sink: &mut Sink) {
    let Some(value) = member.value.as_ref().filter(|v| !is_intrinsic(v)) else {
        return;
    };
    let Some(object) = value.as_object() else {
        push_wrong_type(sink, value, "Condition", "an object of condition operators");
        return;
    };
    check_duplicate_keys(object, "condition operator", sink);
    for block in &object.members {
        let operator = &block.key;
        if operator.terminated
            && sink.wants(Code::InvalidConditionOperator)
            && !is_valid_operator(&operator.value)
        {
            sink.push(invalid_operator(operator));
        }
        let Some(keys_value) = block.value.as_ref().filter(|v| !is_intrinsic(v)) else {
            continue;
        };
        let Some(keys) = keys_value.as_object() else {
            push_wrong_type(
                sink,
                keys_value,
                "a condition operator's value",
                "an object of condition keys",
            );
            continue;
        };
        check_duplicate_keys(keys, "condition key", sink);
        for entry in &keys.members {
            let Some(values) = &entry.value else { continue };
            match &values.kind {
                ValueKind::String(_) | ValueKind::Number | ValueKind::Bool(_) => {}
                ValueKind::Array(array) => {
                    push_empty_array(sink, values, array, Severity::Warning, || {
                        format!(
                            "condition key \"{}\" has no values: this condition can never match",
                            entry.key.value
                        )
                    });
                    for element in &array.elements {
                        if !matches!(
                            element.kind,
                            ValueKind::String(_) | ValueKind::Number | ValueKind::Bool(_)
                        ) {
                            push_wrong_type(
                                sink,
                                element,
                                "each condition value",
                                "a string, number or boolean",
                            );
                        }
                    }
                }
                _ => push_wrong_type(
                    sink,
                    values,
                    &format!("the value of condition key \"{}\"", entry.key.value),
                    "a string, number, boolean or an array of them",
                ),
            }
        }
    }
}

fn invalid_operator(operator: &Str) -> Finding {
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
            Fix::replace(format!("Change to \"{s}\""), operator.content_range(), &s)
                .preferred()
                // Safe when only the case differs: the one operator IAM would accept.
                .safe_if_case_only(text, &s),
        );
    }
    finding
}

/// IAM's operator names are case-sensitive: `stringequals` is not `StringEquals`.
fn is_valid_operator(text: &str) -> bool {
    parse_operator(text).is_ok_and(|op| op.exact_case)
}
