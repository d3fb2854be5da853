//! Support Center and Trusted Advisor workflows, and the actions each one needs: the basis of
//! the "this Deny breaks workflow X" analysis.

use super::Catalog;
use super::actions::ActionRef;
use super::curated::{FACTS, WORKFLOWS};
use super::glob::{glob_match, has_wildcard};
use super::matching::MatchingActions;

/// Where a workflow happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Console,
    Api,
    ConsoleAndApi,
    /// Used by AWS services internally.
    Internal,
}

/// How well the action ↔ workflow link is established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// AWS documentation names the action for this step (or the action is the step).
    Documented,
    /// Compiled from names and descriptions; AWS does not state it.
    Inferred,
}

/// An action a workflow needs.
#[derive(Debug)]
pub struct WorkflowAction {
    /// Full canonical name (`support:DescribeSupportLevel`); may be a wildcard
    /// (`trustedadvisor:Describe*`).
    pub action: &'static str,
    pub evidence: Evidence,
    /// Why the link is believed (short, from the curated data).
    pub basis: &'static str,
}

impl WorkflowAction {
    /// Whether `action` is a wildcard pattern.
    pub fn is_pattern(&self) -> bool {
        has_wildcard(self.action)
    }

    /// The actions of `catalog` it stands for (one, or several for a pattern).
    pub fn catalogue_actions(&self, catalog: &'static Catalog) -> MatchingActions<'static> {
        catalog.matching_actions(self.action)
    }

    /// Whether `action` is (one of) the action(s) it stands for.
    pub fn covers(&self, action: ActionRef) -> bool {
        let full = action.to_string();
        glob_match(self.action, &full)
    }
}

/// A Support Center / Trusted Advisor workflow.
#[derive(Debug)]
pub struct Workflow {
    /// Stable id, e.g. `create-case`.
    pub id: &'static str,
    /// Title, e.g. `Create a support case`.
    pub title: &'static str,
    /// Short phrase for messages: `support:DescribeSupportLevel (identify the support plan)`.
    pub phrase: &'static str,
    pub channel: Channel,
    /// The namespace that governs it, when the data says (`support`, `trustedadvisor`).
    pub namespace: Option<&'static str>,
    pub notes: &'static [&'static str],
    pub actions: &'static [WorkflowAction],
}

impl Workflow {
    /// The entry through which this workflow needs `action`, if any.
    pub fn needs(&self, action: ActionRef) -> Option<&'static WorkflowAction> {
        let full = action.to_string();
        self.actions.iter().find(|a| glob_match(a.action, &full))
    }
}

/// A documented Support Center fact that names actions.
#[derive(Debug)]
pub struct SupportCenterFact {
    /// `unintended-behaviour-if-denied` or `minimum-policy-support-interactions`.
    pub id: &'static str,
    /// The AWS page that states it.
    pub source: &'static str,
    /// Full action names.
    pub actions: &'static [&'static str],
}

/// Every workflow, in the curated order.
pub fn workflows() -> &'static [Workflow] {
    &WORKFLOWS
}

/// The workflow with this id.
pub fn workflow(id: &str) -> Option<&'static Workflow> {
    WORKFLOWS.iter().find(|w| w.id == id)
}

/// The workflows that need `action`, with the entry that names it.
pub fn workflows_needing(
    action: ActionRef,
) -> impl Iterator<Item = (&'static Workflow, &'static WorkflowAction)> {
    let full = action.to_string();
    WORKFLOWS.iter().filter_map(move |w| {
        w.actions
            .iter()
            .find(|a| glob_match(a.action, &full))
            .map(|a| (w, a))
    })
}

/// Documented Support Center facts with action lists.
pub fn support_center_facts() -> &'static [SupportCenterFact] {
    &FACTS
}

fn fact(id: &str) -> &'static [&'static str] {
    FACTS.iter().find(|f| f.id == id).map_or(&[], |f| f.actions)
}

/// The 8 actions AWS says may make Support Center misbehave if denied
/// (accessing-support.html, earlier revision of the table).
pub fn unintended_behaviour_if_denied() -> &'static [&'static str] {
    fact("unintended-behaviour-if-denied")
}

/// AWS's minimum custom policy for support interactions, case creation and case management
/// (25 `support:` and 8 `support-console:` actions).
pub fn minimum_support_center_policy() -> &'static [&'static str] {
    fact("minimum-policy-support-interactions")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{current, parse_action};

    #[test]
    fn workflows_and_phrases() {
        assert_eq!(workflows().len(), 20);
        let open = workflow("open-support-center").expect("workflow");
        assert_eq!(open.phrase, "identify the support plan");
        assert_eq!(open.channel, Channel::Console);
        let level = parse_action("support:DescribeSupportLevel").expect("action");
        assert_eq!(
            open.needs(level).map(|a| a.evidence),
            Some(Evidence::Documented)
        );
        assert!(
            workflows()
                .iter()
                .all(|w| !w.phrase.is_empty() && !w.actions.is_empty())
        );
        let api = workflow("trusted-advisor-via-support-api").expect("workflow");
        assert_eq!(api.channel, Channel::Api);
        assert_eq!(api.namespace, Some("support"));
        assert_eq!(api.notes.len(), 2);
        // Every named action exists; patterns match something.
        for w in workflows() {
            for a in w.actions {
                assert!(
                    a.catalogue_actions(current()).next().is_some(),
                    "{}: {}",
                    w.id,
                    a.action
                );
                if !a.is_pattern() {
                    let found = parse_action(a.action).expect("exists");
                    assert_eq!(found.to_string(), a.action, "canonical spelling");
                    assert!(a.covers(found));
                }
            }
        }
    }

    #[test]
    fn workflows_needing_an_action() {
        let level = parse_action("support:DescribeSupportLevel").expect("action");
        let ids: Vec<&str> = workflows_needing(level).map(|(w, _)| w.id).collect();
        assert_eq!(
            ids,
            ["open-support-center", "create-case", "support-interactions"]
        );
        let checks = parse_action("trustedadvisor:DescribeCheckRefreshStatuses").expect("action");
        let via_pattern: Vec<(&str, &str)> = workflows_needing(checks)
            .map(|(w, a)| (w.id, a.action))
            .collect();
        assert!(via_pattern.contains(&(
            "trusted-advisor-via-support-api",
            "trustedadvisor:Describe*"
        )));
        let pattern = workflow("trusted-advisor-via-support-api")
            .and_then(|w| w.actions.iter().find(|a| a.is_pattern()))
            .expect("pattern entry");
        assert_eq!(pattern.catalogue_actions(current()).count(), 16);
    }

    #[test]
    fn documented_facts() {
        assert_eq!(
            unintended_behaviour_if_denied(),
            [
                "support:DescribeSupportLevel",
                "support:InitiateCallForCase",
                "support:InitiateChatForCase",
                "support:RateCaseCommunication",
                "support:DescribeCaseAttributes",
                "support:DescribeIssueTypes",
                "support:SearchForCases",
                "support:PutCaseAttributes"
            ]
        );
        let minimum = minimum_support_center_policy();
        assert_eq!(minimum.len(), 33);
        assert_eq!(
            minimum
                .iter()
                .filter(|a| a.starts_with("support-console:"))
                .count(),
            8
        );
        for a in unintended_behaviour_if_denied().iter().chain(minimum) {
            assert!(parse_action(a).is_some(), "{a}");
        }
    }
}
