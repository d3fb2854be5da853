//! The policy as a whole: for each Support Center workflow, whether the policy denies it
//! (always or under conditions, by which statements), grants it, or leaves it alone.

use super::evaluator::{Force, StatementImpact, evaluate};
use super::index::SupportIndex;
use super::universe::ActionSet;
use crate::catalog::Workflow;
use crate::policy::{Effect, Policy};

pub(crate) struct PolicyImpact<'a> {
    pub(crate) support: &'static SupportIndex,
    pub(crate) statements: Vec<StatementImpact<'a>>,
}

/// What the policy does to one action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ActionOutcome {
    pub(crate) force: Force,
    /// Statement indices, strongest first.
    pub(crate) statements: Vec<usize>,
}

#[derive(Debug)]
pub(crate) enum Verdict {
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

pub(crate) struct WorkflowReport {
    pub(crate) workflow: &'static Workflow,
    pub(crate) verdict: Verdict,
}

impl<'a> PolicyImpact<'a> {
    pub(crate) fn new(support: &'static SupportIndex, policy: &'a Policy<'a>) -> Self {
        Self {
            support,
            statements: evaluate(support, policy),
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

    pub(crate) fn denied(&self, index: usize) -> ActionOutcome {
        self.outcome(index, Effect::Deny)
    }

    pub(crate) fn allowed(&self, index: usize) -> ActionOutcome {
        self.outcome(index, Effect::Allow)
    }

    /// The universe actions some Allow grants (at least conditionally).
    pub(crate) fn allowed_set(&self) -> ActionSet {
        let mut set = ActionSet::default();
        for statement in self.statements.iter().filter(|s| s.effect == Effect::Allow) {
            set.union_with(&statement.effective());
        }
        set
    }

    /// The universe actions some Deny removes (at least conditionally).
    pub(crate) fn denied_set(&self) -> ActionSet {
        let mut set = ActionSet::default();
        for statement in self.statements.iter().filter(|s| s.effect == Effect::Deny) {
            set.union_with(&statement.effective());
        }
        set
    }

    pub(crate) fn workflows(&self) -> Vec<WorkflowReport> {
        self.support
            .workflows()
            .iter()
            .map(|w| WorkflowReport {
                workflow: w.workflow,
                verdict: self.verdict(&w.needs),
            })
            .collect()
    }

    fn verdict(&self, needs: &ActionSet) -> Verdict {
        let mut denied = ActionSet::default();
        let mut deny_force = Force::Never;
        let mut deny_statements: Vec<usize> = Vec::new();
        let mut missing = ActionSet::default();
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
