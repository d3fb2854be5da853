//! Support Center impact: Denies that break the workflows AWS Support Center, its console
//! and Trusted Advisor need; Allows that cannot work (scoped resources, missing
//! `support-console:` actions, incomplete workflows). See `crate::support` for the
//! evaluator these rules read.
//!
//! The rules, by what they look at: `deny.rs` (Denies that break Support Center, Trusted
//! Advisor's two namespaces), `allow.rs` (Allows that miss what their workflows need) and
//! `resource.rs` (support actions scoped to resources they never carry).

mod allow;
mod deny;
mod resource;
#[cfg(test)]
mod tests;

use super::Sink;
use crate::analysis::{Code, Finding};
use crate::catalog::Catalog;
use crate::policy::{Effect, Policy};
use crate::support::conditions::{self, Shown};
use crate::support::evaluator::{Force, Selector, StatementImpact};
use crate::support::impact::PolicyImpact;
use crate::support::index::{SupportIndex, index};
use crate::support::universe::{ActionSet, SUPPORT};
use crate::syntax::{Str, TextRange};

/// How many actions a message names before "and N more".
const NAMED_IN_MESSAGE: usize = 6;
/// How many values of a condition a message names.
const VALUES_IN_MESSAGE: usize = 3;

pub(crate) fn check(catalog: &'static Catalog, policy: &Policy, text: &str, sink: &mut Sink) {
    let impact = PolicyImpact::new(index(catalog), policy);
    if impact.statements.iter().all(|s| s.covered.is_empty()) {
        return;
    }
    let context = Context::new(policy, text, &impact);
    let wants = |code| sink.wants(code);
    let (deny_breaks, not_exempt, namespace, incomplete, not_star, missing_console) = (
        wants(Code::DenyBreaksSupportCenter),
        wants(Code::SupportConsoleNotExempt),
        wants(Code::TrustedAdvisorNamespace),
        wants(Code::IncompleteSupportWorkflow),
        wants(Code::SupportResourceNotStar),
        wants(Code::MissingSupportConsole),
    );
    let findings = &mut *sink.findings;
    for statement in &impact.statements {
        match statement.effect {
            Effect::Deny => {
                if deny_breaks {
                    context.deny_breaks_support_center(statement, findings);
                }
                if not_exempt {
                    context.support_console_not_exempt(statement, findings);
                }
                if namespace {
                    context.trusted_advisor_namespace(statement, findings);
                }
            }
            Effect::Allow if incomplete => context.incomplete_support_workflow(statement, findings),
            Effect::Allow => {}
        }
        if not_star {
            context.support_resource_not_star(statement, findings);
        }
    }
    if missing_console {
        context.missing_support_console(findings);
    }
}

/// A policy under analysis, with what every rule reads.
struct Context<'p, 'a> {
    policy: &'p Policy<'a>,
    text: &'p str,
    impact: &'p PolicyImpact<'a>,
    support: &'static SupportIndex,
    /// The universe actions some Allow grants, some Deny removes.
    allowed: ActionSet,
    denied: ActionSet,
}

impl<'p, 'a> Context<'p, 'a> {
    fn new(policy: &'p Policy<'a>, text: &'p str, impact: &'p PolicyImpact<'a>) -> Self {
        Self {
            policy,
            text,
            impact,
            support: impact.support,
            allowed: impact.allowed_set(),
            denied: impact.denied_set(),
        }
    }

    fn statement_label(&self, statement: &StatementImpact) -> String {
        statement.statement.label(statement.index)
    }

    /// Names of actions for messages: `DescribeSupportLevel (identify the support plan)` for
    /// `support:` actions, full names for the others; in workflow order, capped.
    fn describe_actions(&self, set: &ActionSet, with_phrases: bool) -> String {
        let mut indices: Vec<usize> = set.iter().collect();
        indices.sort_by_key(|i| self.support.workflow_order(*i));
        // Written into one string: these messages are most of the cost of a small policy.
        let mut out = String::with_capacity(256);
        for (n, &i) in indices.iter().take(NAMED_IN_MESSAGE).enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            let entry = self.support.universe.entry(i);
            out.push_str(if entry.prefix == SUPPORT {
                entry.action.name()
            } else {
                entry.full_name
            });
            if with_phrases && let Some(workflow) = self.support.workflows_needing(i).next() {
                out.push_str(" (");
                out.push_str(workflow.phrase);
                out.push(')');
            }
        }
        if indices.len() > NAMED_IN_MESSAGE {
            out.push_str(&format!(", and {} more", indices.len() - NAMED_IN_MESSAGE));
        }
        out
    }

    fn full_names(&self, set: &ActionSet) -> Vec<&'static str> {
        let mut indices: Vec<usize> = set.iter().collect();
        indices.sort_by_key(|i| self.support.workflow_order(*i));
        indices
            .into_iter()
            .map(|i| self.support.universe.entry(i).full_name)
            .collect()
    }

    fn workflow_ids(&self, set: &ActionSet) -> Vec<&'static str> {
        self.support
            .workflows()
            .iter()
            .filter(|w| !w.needs.intersect(set).is_empty())
            .map(|w| w.workflow.id)
            .collect()
    }

    /// Allow statements that grant some of `set`: related information for a Deny.
    fn granted_by(&self, set: &ActionSet, finding: Finding) -> Finding {
        let mut finding = finding;
        for allow in self
            .impact
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let granted = allow.effective().intersect(set);
            if granted.is_empty() {
                continue;
            }
            let range = where_covered(allow, &granted);
            if let Some(range) = range {
                finding = finding.related(
                    range,
                    format!(
                        "{} allows {}, which the Deny removes",
                        self.statement_label(allow),
                        self.describe_actions(&granted, false)
                    ),
                );
            }
        }
        finding
    }
}

/// Where a statement covers some of `set`: its first Action token that does, or its
/// NotAction key.
fn where_covered(statement: &StatementImpact, set: &ActionSet) -> Option<TextRange> {
    match &statement.selector {
        Selector::Action(tokens) => tokens
            .iter()
            .find(|(_, covered)| !covered.intersect(set).is_empty())
            .map(|(token, _)| token.range),
        Selector::NotAction { key, .. } => Some(*key),
    }
}

fn union(tokens: &[(&Str, ActionSet)]) -> ActionSet {
    let mut set = ActionSet::default();
    for (_, covered) in tokens {
        set.union_with(covered);
    }
    set
}

/// Whether the statement takes effect on every action of `set` unconditionally.
fn whole_force(statement: &StatementImpact, set: &ActionSet) -> bool {
    set.iter()
        .filter(|i| statement.covered.contains(*i))
        .all(|i| statement.force_on(i) == Force::Always)
}

/// What the statement's conditions restrict, as a parenthesis for messages —
/// `" (conditional: only in regions other than eu-west-1)"` — or nothing.
fn condition_note(statement: &StatementImpact, text: &str) -> String {
    if !statement.condition.is_conditional() {
        return String::new();
    }
    let phrases = conditions::describe(
        &statement.statement.conditions(),
        Some(text),
        Shown(Some(VALUES_IN_MESSAGE)),
    );
    format!(" (conditional: {})", conditions::join(&phrases))
}
