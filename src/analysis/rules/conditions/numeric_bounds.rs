//! `redundant-condition-value`: several values of one `NumericLessThan[Equals]` or
//! `NumericGreaterThan[Equals]` key. A condition is true when the request's value compares
//! well with any of its values, so a bound is only as strict as the loosest value: `< 2700
//! or < 3600` is `< 3600`, and every other value is redundant (IAM Access Analyzer's
//! "Redundant condition value num"). Values that are not plain numbers (a variable, a typo
//! `condition-value-type` reports) are left out of the comparison; a value is reported only
//! when another plain number makes it redundant.

use super::formats::is_number;
use crate::analysis::json_edit::remove_element;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::{ConditionOperator, OperatorFamily};
use crate::policy::ConditionEntry;
use crate::syntax::{Value, ValueKind};

pub(super) fn check(
    text: &str,
    operator: ConditionOperator,
    entry: &ConditionEntry,
    push: &mut dyn FnMut(Finding),
) {
    if operator.family() != OperatorFamily::Numeric || entry.values.len() < 2 {
        return;
    }
    let name = operator.base.name;
    let less = match name {
        "NumericLessThan" | "NumericLessThanEquals" => true,
        "NumericGreaterThan" | "NumericGreaterThanEquals" => false,
        _ => return,
    };
    let numbers: Vec<Option<f64>> = entry
        .values
        .iter()
        .map(|&value| number(text, value))
        .collect();
    // The loosest bound, and the first value that has it.
    let Some((loosest_at, _)) = numbers
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (i, n)))
        .reduce(|best, next| {
            let looser = if less {
                next.1 > best.1
            } else {
                next.1 < best.1
            };
            if looser { next } else { best }
        })
    else {
        return;
    };
    let array = entry.member.value.as_ref().and_then(|v| match &v.kind {
        ValueKind::Array(array) => Some(array),
        _ => None,
    });
    let kept = &text[entry.values[loosest_at].range.as_usize()];
    let (which, comparison) = if less {
        ("greatest", "less than")
    } else {
        ("least", "greater than")
    };
    for (i, n) in numbers.iter().enumerate() {
        if i == loosest_at || n.is_none() {
            continue;
        }
        let value = entry.values[i];
        let written = &text[value.range.as_usize()];
        let mut finding = Finding::new(
            Code::RedundantConditionValue,
            value.range,
            format!(
                "{name} holds when \"{}\" is {comparison} any of its values, so {written} adds nothing next to {kept}: keep only the {which} value",
                entry.key.value
            ),
        )
        .severity(Severity::Hint);
        if let Some(edit) = array.and_then(|a| remove_element(a, value.range)) {
            finding = finding.fix(Fix::quick(format!("Remove {written}"), vec![edit]).preferred());
        }
        push(finding);
    }
}

/// A value's number, when it is a plain number (a JSON number or a string of one).
fn number(text: &str, value: &Value) -> Option<f64> {
    let written = match &value.kind {
        ValueKind::String(s) if s.terminated => &*s.value,
        ValueKind::Number => text.get(value.range.as_usize())?,
        _ => return None,
    };
    if !is_number(written) {
        return None;
    }
    written.parse().ok()
}
