//! What a key's type asks of its operator: a set operator for a multivalued key
//! (`missing-set-operator`), an operator of the key's type (`condition-operator-type`).

use super::{ConditionBlock, rename_operator};
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::{ConditionKeyMatch, ConditionOperator, OperatorFamily, ValueType};
use crate::policy::ConditionEntry;
use crate::syntax::Str;

/// `missing-set-operator`: a multivalued key (the catalogue's `ArrayOf…` types, and the
/// global keys AWS documents as multivalued: `aws:TagKeys`, `aws:CalledVia`, …) with an
/// operator that has neither `ForAllValues:` nor `ForAnyValue:`. `Null` asks whether the key
/// is present and takes none. The fixes add either qualifier (they differ in meaning: the
/// author chooses), when the key is alone under its operator.
pub(super) fn missing_set_operator(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    operator: ConditionOperator,
    key: &Str,
    found: ConditionKeyMatch,
) -> Option<Finding> {
    if operator.qualifier.is_some()
        || operator.family() == OperatorFamily::Null
        || !found.multivalued()
    {
        return None;
    }
    let block = &blocks[index];
    let mut finding = Finding::new(
        Code::MissingSetOperator,
        key.range,
        format!(
            "\"{}\" is multivalued (a request may carry several values): IAM requires ForAllValues: (every value in the request must match) or ForAnyValue: (at least one must) before {}, and without one the condition does not say which it means",
            key.value, block.operator.value
        ),
    );
    if block.entries.len() == 1 {
        for qualifier in ["ForAnyValue:", "ForAllValues:"] {
            let renamed = format!("{qualifier}{}", block.operator.value);
            if let Some(edit) = rename_operator(text, blocks, index, &renamed) {
                finding = finding.fix(Fix::quick(format!("Change to \"{renamed}\""), vec![edit]));
            }
        }
    }
    Some(finding)
}

/// What `condition-operator-type` says of an operator on a key: nothing, or the severity and
/// why.
enum Fit {
    Fits,
    /// The operator compares the key's values as text (String operators on a number, a
    /// Boolean, an address or a date): it works, but only on the exact text of the request.
    AsText,
    Mismatch,
}

fn fit(family: OperatorFamily, key: ValueType, also: &[ValueType]) -> Fit {
    let typed = |t: ValueType| key == t || also.contains(&t);
    match family {
        OperatorFamily::Null => Fit::Fits,
        OperatorFamily::String => match key {
            // ARN keys take String operators (IAM User Guide, ARN condition operators).
            ValueType::String | ValueType::Arn => Fit::Fits,
            _ => Fit::AsText,
        },
        // AWS's own policies use ArnLike on String keys that hold ARNs
        // (`kms:EncryptionContext:aws:sso:instance-arn`): ARN operators compare text fields.
        OperatorFamily::Arn if matches!(key, ValueType::Arn | ValueType::String) => Fit::Fits,
        OperatorFamily::Arn => Fit::Mismatch,
        OperatorFamily::Numeric if typed(ValueType::Numeric) => Fit::Fits,
        OperatorFamily::Date if typed(ValueType::Date) => Fit::Fits,
        OperatorFamily::Bool if typed(ValueType::Bool) => Fit::Fits,
        OperatorFamily::IpAddress if typed(ValueType::IpAddress) => Fit::Fits,
        OperatorFamily::Binary if typed(ValueType::Binary) => Fit::Fits,
        _ => Fit::Mismatch,
    }
}

/// The operators of a key type, for messages.
fn operators_of(key: ValueType) -> &'static str {
    match key {
        ValueType::String => "a String operator (StringEquals, StringLike, …)",
        ValueType::Arn => "an ARN operator (ArnEquals, ArnLike, …) or a String operator",
        ValueType::Bool => "Bool",
        ValueType::Numeric => "a Numeric operator (NumericEquals, NumericLessThan, …)",
        ValueType::Date => "a Date operator (DateGreaterThan, DateLessThan, …)",
        ValueType::IpAddress => "IpAddress or NotIpAddress",
        ValueType::Binary => "BinaryEquals",
    }
}

/// `condition-operator-type`: the operator's family against the key's type, from the
/// catalogue. A String operator on a typed key compares text and can match (AWS's own
/// policies write `StringEquals` on Boolean keys): a hint. ARN operators on String keys are
/// how AWS compares ARN-valued String keys: nothing.
pub(super) fn operator_type(
    operator: ConditionOperator,
    entry: &ConditionEntry,
    found: ConditionKeyMatch,
) -> Option<Finding> {
    let key = entry.key;
    let key_type = found.value_type();
    let also = match found {
        ConditionKeyMatch::Global(g) => g.also_accepts,
        ConditionKeyMatch::Service(_) => &[],
    };
    let family = operator.family();
    let (severity, consequence) = match fit(family, key_type, also) {
        Fit::Fits => return None,
        // Comparing with another key's value (`${aws:VpcSourceIp}`) takes a String operator:
        // the typed operators do not substitute variables (AWS's guide does this).
        Fit::AsText
            if entry
                .values
                .iter()
                .any(|v| v.as_str().is_some_and(|s| s.value.contains("${"))) =>
        {
            return None;
        }
        Fit::AsText => (
            Severity::Hint,
            "it compares the request's value as text, so only that exact spelling matches",
        ),
        Fit::Mismatch => (
            Severity::Warning,
            "the request's value cannot be compared that way, so the condition does not work as written",
        ),
    };
    Some(
        Finding::new(
            Code::ConditionOperatorType,
            key.range,
            format!(
                "\"{}\" is of type {key_type} and {} compares {} values: {consequence}; use {}",
                key.value,
                operator.base.name,
                family_name(family),
                operators_of(key_type)
            ),
        )
        .severity(severity),
    )
}

fn family_name(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "String",
        OperatorFamily::Numeric => "Numeric",
        OperatorFamily::Date => "Date",
        OperatorFamily::Bool => "Boolean",
        OperatorFamily::Binary => "Binary",
        OperatorFamily::IpAddress => "IP address",
        OperatorFamily::Arn => "ARN",
        OperatorFamily::Null => "Null",
    }
}
