//! What the values and keys of a `Condition` can mean: keys the statement's actions do not
//! support, values that cannot be of their operator's or key's type, set operators on
//! single-valued keys, wildcards where they are literal, malformed policy variables, private
//! ranges in `aws:SourceIp`, keys AWS no longer documents; set operators on an identity
//! provider's audience (`audience`), `aws:VpcSourceIp` without its VPC (`paired`), tag keys
//! with `NotAction` (`notaction_tags`).

mod applicable;
mod audience;
mod dates;
mod deprecated;
mod formats;
mod json_types;
mod key_types;
mod notaction_tags;
mod numeric_bounds;
mod paired;
mod service_values;
mod values;
mod variables;

#[cfg(test)]
mod aa_tests;
#[cfg(test)]
mod pairs_tests;
#[cfg(test)]
mod tests;

pub(crate) use deprecated::deprecated_key;

use super::Sink;
use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::catalog::{Catalog, ConditionOperator, OperatorFamily, SetQualifier, parse_operator};
use crate::policy::{ConditionBlock, Policy, Statement};
use crate::syntax::{Str, TextRange};

pub(crate) fn check(catalog: &'static Catalog, policy: &Policy, text: &str, sink: &mut Sink) {
    for statement in &policy.statements {
        if sink.wants(Code::InvalidPolicyVariable)
            && let Some(resources) = statement.resources()
        {
            for item in &resources.items {
                variables::check(text, item, sink);
            }
        }
        let blocks = statement.conditions();
        if blocks.is_empty() {
            continue;
        }
        if sink.wants(Code::MissingPairedKey) {
            for finding in paired::check(statement, &blocks) {
                sink.push(finding);
            }
        }
        let applicability = applicable::Actions::of(catalog, statement);
        for (index, block) in blocks.iter().enumerate() {
            let Ok(operator) = parse_operator(&block.operator.value) else {
                // `invalid-condition-operator` says what is wrong with it.
                continue;
            };
            check_block(
                catalog,
                statement,
                &applicability,
                &blocks,
                index,
                operator,
                text,
                sink,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_block(
    catalog: &'static Catalog,
    statement: &Statement,
    applicability: &applicable::Actions,
    blocks: &[ConditionBlock],
    index: usize,
    operator: ConditionOperator,
    text: &str,
    sink: &mut Sink,
) {
    let block = &blocks[index];
    for entry in &block.entries {
        let key = entry.key;
        if !key.terminated || key.value.is_empty() || key.value.contains("${") {
            continue;
        }
        let found = catalog.condition_key(&key.value);
        if sink.wants(Code::DeprecatedConditionKey)
            && let Some(finding) = deprecated::check(key, &block.entries)
        {
            sink.push(finding);
        }
        if sink.wants(Code::ConditionKeyNotApplicable)
            && let Some(finding) = applicability.check(statement, key, operator)
        {
            sink.push(finding);
        }
        if sink.wants(Code::ForAllValuesSingleValued)
            && let Some(found) = found
            && let Some(qualifier) = operator.qualifier
            && operator.family() != OperatorFamily::Null
            && !found.multivalued()
        {
            sink.push(single_valued(text, blocks, index, key, qualifier));
        }
        if sink.wants(Code::NullWithSetOperator)
            && let Some(qualifier) = operator.qualifier
            && operator.family() == OperatorFamily::Null
        {
            sink.push(null_with_set_operator(text, blocks, index, key, qualifier));
        }
        values::check(text, blocks, index, operator, entry, found, sink);
        if sink.wants(Code::OidcAudienceQualifier)
            && found.is_none()
            && let Some(finding) = audience::check(text, blocks, index, operator, key)
        {
            sink.push(finding);
        }
        if sink.wants(Code::NotActionTagCondition)
            && let Some(finding) = notaction_tags::check(catalog, statement, operator, entry)
        {
            sink.push(finding);
        }
        if let Some(found) = found {
            if sink.wants(Code::MissingSetOperator)
                && let Some(finding) =
                    key_types::missing_set_operator(text, blocks, index, operator, key, found)
            {
                sink.push(finding);
            }
            if sink.wants(Code::ConditionOperatorType)
                && let Some(finding) = key_types::operator_type(operator, entry, found)
            {
                sink.push(finding);
            }
        }
        if sink.wants(Code::AmbiguousDate) {
            dates::check(text, operator, entry, found, &mut |f| sink.push(f));
        }
        if sink.wants(Code::ConditionValueType) {
            json_types::check(text, operator, entry, &mut |f| sink.push(f));
            service_values::check(operator, entry, &mut |f| sink.push(f));
        }
        if sink.wants(Code::RedundantConditionValue) {
            numeric_bounds::check(text, operator, entry, &mut |f| sink.push(f));
        }
        if sink.wants(Code::InvalidPolicyVariable) {
            for value in &entry.values {
                if let Some(s) = value.as_str() {
                    variables::check(text, s, sink);
                }
            }
        }
    }
}

/// `ForAllValues:` / `ForAnyValue:` on a key that carries one value.
fn single_valued(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    key: &Str,
    qualifier: SetQualifier,
) -> Finding {
    let operator = blocks[index].operator;
    let (severity, consequence) = match qualifier {
        SetQualifier::ForAllValues => (
            Severity::Warning,
            "ForAllValues: is also true when the key is absent from the request, so the condition is broader than it reads",
        ),
        SetQualifier::ForAnyValue => (
            Severity::Information,
            "ForAnyValue: adds nothing to the plain operator here and suggests several values where there is one",
        ),
    };
    let mut finding = Finding::new(
        Code::ForAllValuesSingleValued,
        key.range,
        format!(
            "\"{}\" is a single-valued key: {consequence}; use the operator without {}",
            key.value,
            qualifier.as_str()
        ),
    )
    .severity(severity);
    let without = &operator.value[qualifier.as_str().len()..];
    if let Some(edit) = rename_operator(text, blocks, index, without) {
        finding = finding.fix(Fix::quick(
            format!("Remove {}", qualifier.as_str()),
            vec![edit],
        ));
    }
    finding
}

/// `ForAllValues:Null` / `ForAnyValue:Null`: `Null` tests whether the key is there; over a set
/// of values it means nothing.
fn null_with_set_operator(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    key: &Str,
    qualifier: SetQualifier,
) -> Finding {
    let always = match qualifier {
        SetQualifier::ForAllValues => "always true",
        SetQualifier::ForAnyValue => "always false",
    };
    let operator = blocks[index].operator;
    let mut finding = Finding::new(
        Code::NullWithSetOperator,
        key.range,
        format!(
            "{}Null on \"{}\" is {always}: Null tests whether the key is present, use it without {}",
            qualifier.as_str(),
            key.value,
            qualifier.as_str()
        ),
    );
    let without = &operator.value[qualifier.as_str().len()..];
    if let Some(edit) = rename_operator(text, blocks, index, without) {
        finding = finding.fix(Fix::quick(
            format!("Remove {}", qualifier.as_str()),
            vec![edit],
        ));
    }
    finding
}

/// An edit renaming the operator of `blocks[index]` to `name`, unless another operator of the
/// condition already has that name (the result would have a duplicate key) or the operator is
/// written with escapes (its text is not its value).
fn rename_operator(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    name: &str,
) -> Option<Edit> {
    let operator = blocks[index].operator;
    let range = operator.content_range();
    if !operator.terminated || text.get(range.as_usize())? != &*operator.value {
        return None;
    }
    if blocks
        .iter()
        .any(|b| b.operator.value.eq_ignore_ascii_case(name))
    {
        return None;
    }
    Some(Edit {
        range,
        new_text: name.to_string(),
    })
}

/// The range of `value[start..end]` inside the string token `s`, when the token's text is its
/// value (no escapes); else the whole token.
pub(super) fn sub_range(text: &str, s: &Str, start: usize, end: usize) -> TextRange {
    let content = s.content_range();
    if s.terminated && text.get(content.as_usize()) == Some(&*s.value) {
        TextRange::new(content.start + start as u32, content.start + end as u32)
    } else {
        s.range
    }
}
