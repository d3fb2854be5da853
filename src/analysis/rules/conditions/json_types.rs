//! `condition-value-type` for the values of one key that mix JSON types (IAM Access
//! Analyzer's "Invalid condition data type": "use condition values of the same JSON data
//! type"): `["2020-01-01", true]`, `[3600, "7200"]`. IAM reads numbers and Booleans as their
//! text, so writing each as a string is the same condition in one type: the quick fix.

use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::catalog::{ConditionOperator, OperatorFamily};
use crate::policy::ConditionEntry;
use crate::syntax::ValueKind;

pub(super) fn check(
    text: &str,
    operator: ConditionOperator,
    entry: &ConditionEntry,
    push: &mut dyn FnMut(Finding),
) {
    // A number or Boolean the operator cannot take is reported on its own (`true` under
    // `DateGreaterThan`): the mix says nothing more.
    let family = operator.family();
    let misfit = |k: &ValueKind| match k {
        ValueKind::Number => !matches!(
            family,
            OperatorFamily::Numeric | OperatorFamily::Date | OperatorFamily::String
        ),
        ValueKind::Bool(_) => !matches!(
            family,
            OperatorFamily::Bool | OperatorFamily::Null | OperatorFamily::String
        ),
        _ => false,
    };
    if entry.values.iter().any(|v| misfit(&v.kind)) {
        return;
    }
    let kind = |k: &ValueKind| match k {
        ValueKind::String(_) => Some("string"),
        ValueKind::Number => Some("number"),
        ValueKind::Bool(_) => Some("Boolean"),
        _ => None,
    };
    let mut kinds: Vec<&str> = entry.values.iter().filter_map(|v| kind(&v.kind)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.len() < 2 {
        return;
    }
    let edits: Vec<Edit> = entry
        .values
        .iter()
        .filter(|v| matches!(v.kind, ValueKind::Number | ValueKind::Bool(_)))
        .filter_map(|v| {
            let written = text.get(v.range.as_usize())?;
            Some(Edit {
                range: v.range,
                new_text: format!("\"{written}\""),
            })
        })
        .collect();
    let mut finding = Finding::new(
        Code::ConditionValueType,
        entry.key.range,
        format!(
            "the values of \"{}\" mix JSON types ({}), which IAM Access Analyzer reports as an error (\"Invalid condition data type\"); IAM reads numbers and Booleans as their text, so write them all as strings",
            entry.key.value,
            kinds.join(" and ")
        ),
    )
    // IAM evaluates them (it reads every value as text): advice, not a condition that fails.
    .severity(Severity::Information);
    if !edits.is_empty() {
        finding = finding.fix(Fix::quick("Write every value as a string", edits));
    }
    push(finding);
}
