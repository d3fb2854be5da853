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

use std::cell::RefCell;
use std::collections::HashMap;

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
    let context = Context::new(policy, text, &impact, sink.max_related());
    let wants = |code| sink.wants(code);
    let (deny_breaks, not_exempt, namespace, incomplete, not_star, missing_console) = (
        wants(Code::DenyBreaksSupportCenter),
        wants(Code::SupportConsoleNotExempt),
        wants(Code::TrustedAdvisorNamespace),
        wants(Code::IncompleteSupportWorkflow),
        wants(Code::SupportResourceNotStar),
        wants(Code::MissingSupportConsole),
    );
    for statement in &impact.statements {
        match statement.effect {
            Effect::Deny => {
                if deny_breaks {
                    context.deny_breaks_support_center(statement, sink);
                }
                if not_exempt {
                    context.support_console_not_exempt(statement, sink);
                }
                if namespace {
                    context.trusted_advisor_namespace(statement, sink);
                }
            }
            Effect::Allow if incomplete => context.incomplete_support_workflow(statement, sink),
            Effect::Allow => {}
        }
        if not_star {
            context.support_resource_not_star(statement, sink);
        }
    }
    if missing_console {
        context.missing_support_console(sink);
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
    /// The Allows a Deny's related locations name, found without a scan of the statements.
    allows: GrantingAllows,
}

impl<'p, 'a> Context<'p, 'a> {
    fn new(
        policy: &'p Policy<'a>,
        text: &'p str,
        impact: &'p PolicyImpact<'a>,
        max_related: usize,
    ) -> Self {
        Self {
            policy,
            text,
            impact,
            support: impact.support,
            allowed: impact.allowed_set(),
            denied: impact.denied_set(),
            allows: GrantingAllows::new(impact, max_related),
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

    /// Allow statements that grant some of `set`: related information for a Deny, the first
    /// `limits.maxRelated` of them in the policy's order (the last one says when there are
    /// more).
    fn granted_by(&self, set: &ActionSet, finding: Finding) -> Finding {
        let mut finding = finding;
        let (first, more) = self.allows.first_granting(set);
        let count = first.len();
        for (n, (statement, granted)) in first.into_iter().enumerate() {
            let allow = &self.impact.statements[statement];
            let granted = granted.intersect(set);
            let Some(range) = self.allows.where_covered(allow, statement, &granted) else {
                continue;
            };
            let mut message = format!(
                "{} allows {}, which the Deny removes",
                self.statement_label(allow),
                self.describe_actions(&granted, false)
            );
            if more && n + 1 == count {
                message.push_str(&format!(
                    "; later Allow statements grant some of it too, not listed: the `limits.maxRelated` setting lists the first {count}"
                ));
            }
            finding = finding.related(range, message);
        }
        finding
    }

    /// A Sid no statement has: `base`, else `base2`, `base3`, …
    fn unique_sid(&self, base: &str) -> String {
        let taken: std::collections::HashSet<&str> = self
            .policy
            .statements
            .iter()
            .filter_map(|s| s.sid())
            .collect();
        if !taken.contains(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|s| !taken.contains(s.as_str()))
            .unwrap_or_else(|| base.to_string())
    }
}

/// The Allow statements that grant some universe action, with an index from each action to
/// the first few that grant it: a Deny's related locations cost the limit, not a pass over
/// the policy's statements (a policy of N Allows and N Denies once cost N² of them).
struct GrantingAllows {
    /// The position in `PolicyImpact::statements` of each Allow that grants some action, and
    /// what it grants, in the policy's order.
    list: Vec<(usize, ActionSet)>,
    /// Per universe action, the first `limit + 1` entries of `list` that grant it: enough
    /// to find the first `limit` Allows granting any set of actions, and whether there are
    /// more.
    granting: Vec<Vec<u32>>,
    limit: usize,
    /// Per Allow named so far (by statement position): each action it grants, with the first
    /// of its tokens that covers it, in the order of its tokens. A related location is then
    /// found without a pass over a long Action list for each Deny.
    first_tokens: RefCell<HashMap<usize, Vec<(usize, TextRange)>>>,
}

impl GrantingAllows {
    fn new(impact: &PolicyImpact, limit: usize) -> Self {
        let mut list = Vec::new();
        let mut granting: Vec<Vec<u32>> = Vec::new();
        for (position, statement) in impact.statements.iter().enumerate() {
            if statement.effect != Effect::Allow {
                continue;
            }
            let granted = statement.effective();
            if granted.is_empty() {
                continue;
            }
            let entry = u32::try_from(list.len()).unwrap_or(u32::MAX);
            for action in granted.iter() {
                if granting.len() <= action {
                    granting.resize_with(action + 1, Vec::new);
                }
                if granting[action].len() <= limit {
                    granting[action].push(entry);
                }
            }
            list.push((position, granted));
        }
        Self {
            list,
            granting,
            limit,
            first_tokens: RefCell::new(HashMap::new()),
        }
    }

    /// [`where_covered`] for the Allow at `position`, from its tokens' index.
    fn where_covered(
        &self,
        allow: &StatementImpact,
        position: usize,
        set: &ActionSet,
    ) -> Option<TextRange> {
        let Selector::Action(tokens) = &allow.selector else {
            return where_covered(allow, set);
        };
        let mut first_tokens = self.first_tokens.borrow_mut();
        let first = first_tokens.entry(position).or_insert_with(|| {
            let mut seen = ActionSet::default();
            let mut first = Vec::new();
            for (token, covered) in tokens {
                for action in covered.minus(&seen).iter() {
                    first.push((action, token.range));
                }
                seen.union_with(covered);
            }
            first
        });
        first
            .iter()
            .filter(|(action, _)| set.contains(*action))
            .map(|(_, range)| *range)
            .min_by_key(|range| range.start)
    }

    /// The first `limit` Allows (in the policy's order) that grant some of `set`, as
    /// statement positions with what they grant, and whether more do.
    ///
    /// Why this is exact: an Allow among the first `limit + 1` granting some of `set` grants
    /// an action `a` of `set`, and every Allow before it that grants `a` is also among them,
    /// so it is among the first `limit + 1` of `a`'s list.
    fn first_granting(&self, set: &ActionSet) -> (Vec<(usize, ActionSet)>, bool) {
        let mut entries: Vec<u32> = set
            .iter()
            .filter_map(|action| self.granting.get(action))
            .flatten()
            .copied()
            .collect();
        entries.sort_unstable();
        entries.dedup();
        let more = entries.len() > self.limit;
        entries.truncate(self.limit);
        let first = entries
            .into_iter()
            .map(|entry| self.list[entry as usize])
            .collect();
        (first, more)
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
