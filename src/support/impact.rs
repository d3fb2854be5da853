//! The policy as a whole: for each Support Center workflow, whether the policy denies it
//! (always or under conditions, by which statements), grants it, or leaves it alone.

use std::sync::OnceLock;

use super::evaluator::{Force, StatementImpact, evaluate};
use super::universe::{ActionSet, universe};
use crate::catalog::{self, Workflow};
use crate::policy::{Effect, Policy};

pub struct PolicyImpact<'a> {
    pub statements: Vec<StatementImpact<'a>>,
}

/// What the policy does to one action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionOutcome {
    pub force: Force,
    /// Statement indices, strongest first.
    pub statements: Vec<usize>,
}

#[derive(Debug)]
pub enum Verdict {
    /// Some action it needs is denied.
    Denied {
        force: Force,
        /// Needed actions denied (universe indices).
        actions: ActionSet,
        statements: Vec<usize>,
    },
    /// Every action it needs is allowed (`force` is the weakest allow among them).
    Allowed { force: Force },
    /// Some of its actions are allowed, these are not.
    PartlyAllowed { missing: ActionSet },
    /// The policy neither allows nor denies any action it needs.
    Untouched,
}

pub struct WorkflowReport {
    pub workflow: &'static Workflow,
    pub verdict: Verdict,
}

impl<'a> PolicyImpact<'a> {
    pub fn new(policy: &'a Policy<'a>) -> Self {
        Self {
            statements: evaluate(policy),
        }
    }

    fn outcome(&self, index: usize, effect: Effect) -> ActionOutcome {
        let mut found: Vec<(Force, usize)> = self
            .statements
            .iter()
            .filter(|s| s.effect == effect)
            .map(|s| (s.force_on(index), s.index))
            .filter(|(force, _)| *force != Force::Never)
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ActionOutcome {
            force: found.first().map_or(Force::Never, |f| f.0),
            statements: found.into_iter().map(|(_, s)| s).collect(),
        }
    }

    pub fn denied(&self, index: usize) -> ActionOutcome {
        self.outcome(index, Effect::Deny)
    }

    pub fn allowed(&self, index: usize) -> ActionOutcome {
        self.outcome(index, Effect::Allow)
    }

    /// The universe actions some Allow grants (at least conditionally).
    pub fn allowed_set(&self) -> ActionSet {
        let mut set = universe().empty_set();
        for statement in self.statements.iter().filter(|s| s.effect == Effect::Allow) {
            set.union_with(&statement.effective());
        }
        set
    }

    /// The universe actions some Deny removes (at least conditionally).
    pub fn denied_set(&self) -> ActionSet {
        let mut set = universe().empty_set();
        for statement in self.statements.iter().filter(|s| s.effect == Effect::Deny) {
            set.union_with(&statement.effective());
        }
        set
    }

    pub fn workflows(&self) -> Vec<WorkflowReport> {
        catalog::workflows()
            .iter()
            .map(|workflow| {
                let verdict = self.verdict(&needs(workflow));
                WorkflowReport { workflow, verdict }
            })
            .collect()
    }

    fn verdict(&self, needs: &ActionSet) -> Verdict {
        let mut denied = universe().empty_set();
        let mut deny_force = Force::Never;
        let mut deny_statements: Vec<usize> = Vec::new();
        let mut missing = universe().empty_set();
        let mut allow_force = Force::Always;
        let mut any_allowed = false;
        for index in needs.iter() {
            let deny = self.denied(index);
            if deny.force != Force::Never {
                denied.insert(index);
                deny_force = deny_force.max(deny.force);
                for s in deny.statements {
                    if !deny_statements.contains(&s) {
                        deny_statements.push(s);
                    }
                }
            }
            let allow = self.allowed(index);
            if allow.force == Force::Never {
                missing.insert(index);
            } else {
                any_allowed = true;
                allow_force = allow_force.min(allow.force);
            }
        }
        if !denied.is_empty() {
            deny_statements.sort_unstable();
            return Verdict::Denied {
                force: deny_force,
                actions: denied,
                statements: deny_statements,
            };
        }
        match (any_allowed, missing.is_empty()) {
            (true, true) => Verdict::Allowed { force: allow_force },
            (true, false) => Verdict::PartlyAllowed { missing },
            (false, _) => Verdict::Untouched,
        }
    }
}

/// The universe actions a workflow needs (its patterns expanded), computed once.
pub fn needs(workflow: &Workflow) -> ActionSet {
    catalog::workflows()
        .iter()
        .zip(workflow_needs())
        .find(|(w, _)| std::ptr::eq(*w, workflow))
        .map(|(_, set)| *set)
        .unwrap_or_default()
}

/// What each workflow needs, in the catalogue's order, computed once.
fn workflow_needs() -> &'static [ActionSet] {
    static NEEDS: OnceLock<Vec<ActionSet>> = OnceLock::new();
    NEEDS.get_or_init(|| {
        let universe = universe();
        catalog::workflows()
            .iter()
            .map(|workflow| {
                let mut set = universe.empty_set();
                for needed in workflow.actions {
                    set.union_with(&universe.matching(needed.action));
                }
                set
            })
            .collect()
    })
}

/// The workflows that need `index`, in the catalogue's order.
pub fn workflows_needing(index: usize) -> impl Iterator<Item = &'static Workflow> {
    catalog::workflows()
        .iter()
        .zip(workflow_needs())
        .filter(move |(_, set)| set.contains(index))
        .map(|(workflow, _)| workflow)
}
