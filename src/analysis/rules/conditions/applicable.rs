//! `condition-key-not-applicable`: a tag key that no action of the statement supports, or a
//! service's key where no action of the statement is of that service (or supports it). Only statements whose `Action` lists known actions without wildcards are judged:
//! a wildcard, `NotAction` or an action the catalogue does not know may stand for an action
//! that supports the key.

use crate::analysis::{Code, Finding};
use crate::catalog::{
    ActionRef, Catalog, ConditionKeyMatch, ConditionOperator, OperatorFamily, SetQualifier,
    template_matches,
};
use crate::policy::{Effect, Statement};
use crate::syntax::Str;

/// The statement's actions, when every one of them is known.
pub(super) struct Actions {
    catalog: &'static Catalog,
    actions: Option<Vec<ActionRef>>,
}

impl Actions {
    pub(super) fn of(catalog: &'static Catalog, statement: &Statement) -> Actions {
        let actions = statement.action.and_then(|_| {
            let list = statement.actions()?;
            let member_value = list.member.value.as_ref()?;
            // Entries that are not strings (an intrinsic, a number) are unknown actions.
            let count = match &member_value.kind {
                crate::syntax::ValueKind::Array(array) => array.elements.len(),
                _ => 1,
            };
            if list.items.len() != count || list.items.is_empty() {
                return None;
            }
            list.items
                .iter()
                .map(|item| {
                    let name = &*item.value;
                    if name.contains(['*', '?']) || name.contains("${") {
                        return None;
                    }
                    catalog.parse_action(name)
                })
                .collect()
        });
        Actions { catalog, actions }
    }

    pub(super) fn check(
        &self,
        statement: &Statement,
        key: &Str,
        operator: ConditionOperator,
    ) -> Option<Finding> {
        let actions = self.actions.as_ref()?;
        // A key absent from the request makes these true whatever it is: nothing to report.
        if operator.if_exists || operator.family() == OperatorFamily::Null {
            return None;
        }
        let name = &*key.value;
        match self.catalog.condition_key(name)? {
            ConditionKeyMatch::Global(global) if !is_tag_key(global.name) => return None,
            ConditionKeyMatch::Global(_) => {}
            // The SAR's action rows lag behind their services' keys (AWS's own policies use
            // `aws-marketplace:ProductId` with `aws-marketplace:Subscribe`, which the row does
            // not list): a service key is judged only against actions of other services.
            ConditionKeyMatch::Service(key) => {
                let listed_by = key.service().prefix();
                let named = name.split_once(':').map_or(name, |(prefix, _)| prefix);
                if actions.iter().any(|a| {
                    a.prefix().eq_ignore_ascii_case(listed_by)
                        || a.prefix().eq_ignore_ascii_case(named)
                }) {
                    return None;
                }
            }
        }
        if actions.iter().any(|&action| supports(action, name)) {
            return None;
        }
        let listed: Vec<&str> = actions.iter().take(3).map(|a| a.full_name()).collect();
        let more = if actions.len() > 3 { ", …" } else { "" };
        let subject = if actions.len() == 1 {
            format!("{} does not support it", listed[0])
        } else {
            format!(
                "none of the statement's actions ({}{more}) supports it",
                listed.join(", ")
            )
        };
        let always_true =
            operator.negated() || operator.qualifier == Some(SetQualifier::ForAllValues);
        let consequence = match (always_true, statement.effect()) {
            (true, _) => {
                "the key is absent from their requests, so the condition is always true and restricts nothing"
            }
            (false, Some(Effect::Deny)) => {
                "the key is absent from their requests, so the condition is never true and the statement denies nothing"
            }
            (false, _) => {
                "the key is absent from their requests, so the condition is never true and the statement grants nothing"
            }
        };
        Some(Finding::new(
            Code::ConditionKeyNotApplicable,
            key.range,
            format!(
                "condition key \"{name}\": {subject} (Service Authorization Reference); {consequence}"
            ),
        ))
    }
}

/// The global keys that only some actions carry: tags in the request or on the resource.
fn is_tag_key(global: &str) -> bool {
    let lower = global.to_ascii_lowercase();
    lower.starts_with("aws:requesttag/")
        || lower.starts_with("aws:resourcetag/")
        || lower == "aws:tagkeys"
}

/// Whether `action` supports the key `name`: one of its own keys or of its resource types'
/// keys matches it (the SAR's action rows sometimes leave the resource types' keys out).
pub(super) fn supports(action: ActionRef, name: &str) -> bool {
    action.condition_keys().any(|k| key_matches(k.name(), name))
        || action.resource_types().any(|rt| {
            rt.resource_type
                .condition_keys()
                .any(|k| key_matches(k.name(), name))
        })
}

/// `template_matches`, with the SAR's literal `tag-key` placeholder
/// (`secretsmanager:ResourceTag/tag-key`) standing for any tag key.
fn key_matches(template: &str, name: &str) -> bool {
    if template_matches(template, name) {
        return true;
    }
    match (template.rsplit_once('/'), name.split_once('/')) {
        (Some((head, "tag-key")), Some((name_head, tail))) => {
            head.eq_ignore_ascii_case(name_head) && !tail.is_empty()
        }
        _ => false,
    }
}
