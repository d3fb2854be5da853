//! `notaction-tag-condition`: `NotAction` with a tag condition key (`aws:ResourceTag/…`,
//! `aws:RequestTag/…`, `aws:TagKeys`, or a service's own). `NotAction` reaches every action not
//! listed, and many of them (`s3:ListAllMyBuckets`, …) carry no tags: the key is absent from
//! their requests. A `Deny` whose condition is then false does not deny them (Access
//! Analyzer's "Deny NotAction with unsupported tag condition key", a warning); an `Allow` whose
//! condition is then false does not allow them (its "Allow NotAction …" suggestion:
//! information), and a condition that is then true applies whatever the tags (information).
//! Reported only when the catalogue has such an action outside the `NotAction` list.

use super::applicable::supports;
use crate::analysis::{Code, Finding, Severity};
use crate::catalog::{ActionRef, Catalog, ConditionOperator, OperatorFamily, SetQualifier};
use crate::policy::{ConditionEntry, Effect, Statement, StringList};

/// A key of tags on the resource or in the request (not `PrincipalTag`, which every request
/// of a tagged principal carries).
fn is_tag_key(key: &str) -> bool {
    let Some((_, name)) = key.split_once(':') else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    lower.starts_with("resourcetag/") || lower.starts_with("requesttag/") || lower == "tagkeys"
}

/// Whether the condition holds when the key is absent from the request, if that is known.
fn holds_when_absent(operator: ConditionOperator, entry: &ConditionEntry) -> Option<bool> {
    if operator.family() == OperatorFamily::Null {
        let [value] = entry.values.as_slice() else {
            return None;
        };
        return match value.as_str().map(|s| s.as_str()) {
            Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
    }
    Some(match operator.qualifier {
        Some(SetQualifier::ForAllValues) => true,
        Some(SetQualifier::ForAnyValue) => false,
        None => operator.if_exists || operator.negated(),
    })
}

/// Actions most readers know, tried first for the message's example.
const FAMILIAR: &[&str] = &[
    "s3:ListAllMyBuckets",
    "sts:GetCallerIdentity",
    "ec2:DescribeRegions",
    "iam:ListRoles",
];

/// An action outside `not_actions` that does not support `key`.
fn witness(catalog: &'static Catalog, not_actions: &StringList, key: &str) -> Option<ActionRef> {
    let reached = |action: ActionRef| {
        !not_actions
            .items
            .iter()
            .any(|p| crate::catalog::glob_match(p.as_str(), action.full_name()))
            && !supports(action, key)
    };
    FAMILIAR
        .iter()
        .filter_map(|name| catalog.parse_action(name))
        .find(|a| reached(*a))
        .or_else(|| {
            catalog
                .services()
                .flat_map(|service| service.actions_from(""))
                .find(|a| reached(*a))
        })
}

pub(super) fn check(
    catalog: &'static Catalog,
    statement: &Statement,
    operator: ConditionOperator,
    entry: &ConditionEntry,
) -> Option<Finding> {
    if statement.action.is_some() || !is_tag_key(&entry.key.value) {
        return None;
    }
    let member = statement.not_action?;
    let all_strings = match member.value.as_ref().map(|v| &v.kind) {
        Some(crate::syntax::ValueKind::String(_)) => true,
        Some(crate::syntax::ValueKind::Array(array)) => {
            array.elements.iter().all(|e| e.as_str().is_some())
        }
        _ => false,
    };
    let list = StringList::new(member, true);
    if !all_strings || list.items.iter().any(|s| s.value.contains("${")) {
        return None;
    }
    let effect = statement.effect()?;
    let holds = holds_when_absent(operator, entry)?;
    let key = &*entry.key.value;
    let example = witness(catalog, &list, key)?.full_name();
    let (severity, consequence) = match (effect, holds) {
        (Effect::Deny, false) => (
            Severity::Warning,
            "the condition is false for them, so this Deny does not deny them",
        ),
        (Effect::Deny, true) => (
            Severity::Information,
            "the condition is true for them, so this Deny denies them whatever the tags",
        ),
        (Effect::Allow, false) => (
            Severity::Information,
            "the condition is false for them, so this Allow does not allow them",
        ),
        (Effect::Allow, true) => (
            Severity::Information,
            "the condition is true for them, so this Allow allows them whatever the tags",
        ),
    };
    Some(
        Finding::new(
            Code::NotActionTagCondition,
            entry.key.range,
            format!(
                "\"NotAction\" reaches actions that do not support \"{key}\" ({example}, …): the key is absent from their requests, and {consequence}; list the actions in \"Action\" instead"
            ),
        )
        .severity(severity),
    )
}
