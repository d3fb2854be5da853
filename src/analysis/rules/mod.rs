//! The rules, one module per family: a family runs only when one of its codes is on, and
//! no family computes a finding of a code that is off (they ask their [`Sink`] first).

pub(crate) mod actions;
mod arns;
pub(crate) mod conditions;
pub(crate) mod grammar;
// Variables and wildcards where IAM does not read them.
mod placement;
mod principals;
pub(crate) mod redundancy;
// Regions of ARNs and region-valued keys.
mod regions;
mod security;
mod sink;
pub(crate) mod size;
pub(crate) mod support_center;
pub(crate) mod syntax;

#[cfg(test)]
mod spec;
#[cfg(test)]
mod tests;

pub(crate) use sink::Sink;

use crate::analysis::{ALL_CODES, Code, CodeSet};
use crate::catalog::Catalog;
use crate::policy::Policy;
use crate::syntax::{Parse, SyntaxError};

/// A family of rules, one module each. Each code names its family (`analysis::code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Syntax,
    Grammar,
    Size,
    Actions,
    Arns,
    Principals,
    Security,
    SupportCenter,
    Conditions,
    Redundancy,
    Placement,
    Regions,
    /// The analysis' own limits (`too-many-findings`): no rule runs for it.
    Limits,
}

impl Family {
    #[cfg(test)]
    pub(crate) const ALL: [Family; 13] = [
        Family::Syntax,
        Family::Grammar,
        Family::Size,
        Family::Actions,
        Family::Arns,
        Family::Principals,
        Family::Security,
        Family::SupportCenter,
        Family::Conditions,
        Family::Redundancy,
        Family::Placement,
        Family::Regions,
        Family::Limits,
    ];

    /// The codes of the family's findings.
    pub(crate) fn codes(self) -> impl Iterator<Item = Code> {
        ALL_CODES
            .iter()
            .copied()
            .filter(move |code| code.family() == self)
    }

    pub(super) fn runs(self, enabled: CodeSet) -> bool {
        let runs = self.codes().any(|code| enabled.contains(code));
        #[cfg(test)]
        if runs {
            tests::ran(self);
        }
        runs
    }
}

/// The document's own findings (its syntax errors).
pub(crate) fn check_document(parse: &Parse, sink: &mut Sink) {
    if Family::Syntax.runs(sink.enabled()) {
        syntax::check(parse, sink);
    }
}

/// One policy's findings, family after family, unless `stop` says to give up (asked before
/// each family); returns whether every family ran.
pub(crate) fn check_policy(
    catalog: &'static Catalog,
    policy: &Policy,
    text: &str,
    syntax_errors: &[SyntaxError],
    sink: &mut Sink,
    stop: &dyn Fn() -> bool,
) -> bool {
    // What the actions rule resolved, for the redundancy rules.
    let mut resolved = actions::ResolvedActions::default();
    for family in [
        Family::Grammar,
        Family::Size,
        Family::Actions,
        Family::Arns,
        Family::Principals,
        Family::Security,
        Family::SupportCenter,
        Family::Conditions,
        Family::Redundancy,
        Family::Placement,
        Family::Regions,
    ] {
        if stop() {
            return false;
        }
        if !family.runs(sink.enabled()) {
            continue;
        }
        match family {
            Family::Grammar => grammar::check(policy, text, sink),
            Family::Size => size::check(policy, text, syntax_errors, sink),
            Family::Actions => actions::check(catalog, policy, text, sink, &mut resolved),
            Family::Arns => arns::check(catalog, policy, text, sink),
            Family::Principals => principals::check(policy, text, sink),
            Family::Security => security::check(policy, sink),
            Family::SupportCenter => support_center::check(catalog, policy, text, sink),
            Family::Conditions => conditions::check(catalog, policy, text, sink),
            Family::Redundancy => redundancy::check(policy, text, sink, &resolved),
            Family::Placement => placement::check(policy, text, sink),
            Family::Regions => regions::check(policy, sink),
            Family::Syntax | Family::Limits => {}
        }
    }
    true
}
