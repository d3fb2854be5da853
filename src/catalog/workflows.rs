//! Support Center and Trusted Advisor workflows, and the actions each one needs: the basis of
//! the "this Deny breaks workflow X" analysis.

use super::Catalog;
use super::curated::{UNINTENDED_IF_DENIED, WORKFLOWS};
use super::matching::MatchingActions;

/// Where a workflow happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Channel {
    Console,
    Api,
    ConsoleAndApi,
    /// Used by AWS services internally.
    Internal,
}

/// How well the action ↔ workflow link is established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Evidence {
    /// AWS documentation names the action for this step (or the action is the step).
    Documented,
    /// Compiled from names and descriptions; AWS does not state it.
    Inferred,
}

/// An action a workflow needs.
#[derive(Debug)]
pub(crate) struct WorkflowAction {
    /// Full canonical name (`support:DescribeSupportLevel`); may be a wildcard
    /// (`trustedadvisor:Describe*`).
    pub(crate) action: &'static str,
    pub(crate) evidence: Evidence,
}

impl WorkflowAction {
    /// The actions of `catalog` it stands for (one, or several for a pattern).
    pub(crate) fn catalogue_actions(&self, catalog: &'static Catalog) -> MatchingActions<'static> {
        catalog.matching_actions(self.action)
    }
}

/// A Support Center / Trusted Advisor workflow.
#[derive(Debug)]
pub(crate) struct Workflow {
    /// Stable id, e.g. `create-case`.
    pub(crate) id: &'static str,
    /// Title, e.g. `Create a support case`.
    pub(crate) title: &'static str,
    /// Short phrase for messages: `support:DescribeSupportLevel (identify the support plan)`.
    pub(crate) phrase: &'static str,
    pub(crate) channel: Channel,
    /// The namespace that governs it, when the data says (`support`, `trustedadvisor`).
    pub(crate) namespace: Option<&'static str>,
    pub(crate) actions: &'static [WorkflowAction],
}

/// Every workflow, in the curated order.
pub(crate) fn workflows() -> &'static [Workflow] {
    &WORKFLOWS
}

/// The 8 actions AWS says may make Support Center misbehave if denied
/// (accessing-support.html, earlier revision of the table).
pub(crate) fn unintended_behaviour_if_denied() -> &'static [&'static str] {
    &UNINTENDED_IF_DENIED
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{current, has_wildcard, parse_action};

    fn workflow(id: &str) -> &'static Workflow {
        workflows().iter().find(|w| w.id == id).expect("a workflow")
    }

    #[test]
    fn workflows_and_phrases() {
        assert_eq!(workflows().len(), 20);
        let open = workflow("open-support-center");
        assert_eq!(open.phrase, "identify the support plan");
        assert_eq!(open.channel, Channel::Console);
        assert_eq!(
            open.actions
                .iter()
                .find(|a| a.action == "support:DescribeSupportLevel")
                .map(|a| a.evidence),
            Some(Evidence::Documented)
        );
        assert!(
            workflows()
                .iter()
                .all(|w| !w.phrase.is_empty() && !w.actions.is_empty())
        );
        let api = workflow("trusted-advisor-via-support-api");
        assert_eq!(api.channel, Channel::Api);
        assert_eq!(api.namespace, Some("support"));
        // Every named action exists, spelt as AWS does; patterns match something.
        for w in workflows() {
            for a in w.actions {
                assert!(
                    a.catalogue_actions(current()).next().is_some(),
                    "{}: {}",
                    w.id,
                    a.action
                );
                if !has_wildcard(a.action) {
                    let found = parse_action(a.action).expect("exists");
                    assert_eq!(found.to_string(), a.action, "canonical spelling");
                }
            }
        }
        let pattern = api
            .actions
            .iter()
            .find(|a| has_wildcard(a.action))
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
        for a in unintended_behaviour_if_denied() {
            assert!(parse_action(a).is_some(), "{a}");
        }
    }
}
