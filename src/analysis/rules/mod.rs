//! The rules, one module per family: a family runs only when one of its codes is on, and
//! no family computes a finding of a code that is off (they ask their [`Sink`] first).

pub(crate) mod actions;
// Conditions and suggestions (issue 14, branch `conditions`).
pub(crate) mod conditions;
pub(crate) mod grammar;
pub(crate) mod redundancy;
pub(crate) mod size;
pub(crate) mod support_center;
pub(crate) mod syntax;

#[cfg(test)]
mod tests;

use crate::analysis::{ALL_CODES, Code, CodeSet, Finding};
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
    SupportCenter,
    // Conditions and suggestions (issue 14, branch `conditions`).
    Conditions,
    Redundancy,
}

impl Family {
    #[cfg(test)]
    pub(crate) const ALL: [Family; 7] = [
        Family::Syntax,
        Family::Grammar,
        Family::Size,
        Family::Actions,
        Family::SupportCenter,
        // Conditions and suggestions (issue 14, branch `conditions`).
        Family::Conditions,
        Family::Redundancy,
    ];

    /// The codes of the family's findings.
    pub(crate) fn codes(self) -> impl Iterator<Item = Code> {
        ALL_CODES
            .iter()
            .copied()
            .filter(move |code| code.family() == self)
    }

    fn runs(self, enabled: CodeSet) -> bool {
        let runs = self.codes().any(|code| enabled.contains(code));
        #[cfg(test)]
        if runs {
            tests::ran(self);
        }
        runs
    }
}

/// Where rules put their findings, with the codes that are on.
pub(crate) struct Sink<'f> {
    enabled: CodeSet,
    findings: &'f mut Vec<Finding>,
}

impl<'f> Sink<'f> {
    pub(crate) fn new(enabled: CodeSet, findings: &'f mut Vec<Finding>) -> Self {
        Self { enabled, findings }
    }

    /// Whether findings of `code` are wanted: ask before computing one.
    pub(crate) fn wants(&self, code: Code) -> bool {
        self.enabled.contains(code)
    }

    /// For a rule whose code is only known once its finding is built.
    pub(crate) fn push_if_wanted(&mut self, finding: Finding) {
        if self.wants(finding.code) {
            self.findings.push(finding);
        }
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        debug_assert!(
            self.wants(finding.code),
            "a {} finding was computed while the rule is off",
            finding.code.as_str()
        );
        self.findings.push(finding);
    }
}

/// The document's own findings (its syntax errors).
pub(crate) fn check_document(parse: &Parse, sink: &mut Sink) {
    if Family::Syntax.runs(sink.enabled) {
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
    for family in [
        Family::Grammar,
        Family::Size,
        Family::Actions,
        Family::SupportCenter,
        // Conditions and suggestions (issue 14, branch `conditions`).
        Family::Conditions,
        Family::Redundancy,
    ] {
        if stop() {
            return false;
        }
        if !family.runs(sink.enabled) {
            continue;
        }
        match family {
            Family::Grammar => grammar::check(policy, text, sink),
            Family::Size => size::check(policy, text, syntax_errors, sink),
            Family::Actions => actions::check(catalog, policy, text, sink),
            Family::SupportCenter => support_center::check(catalog, policy, text, sink),
            // Conditions and suggestions (issue 14, branch `conditions`).
            Family::Conditions => conditions::check(catalog, policy, text, sink),
            Family::Redundancy => redundancy::check(policy, text, sink),
            Family::Syntax => {}
        }
    }
    true
}
