//! Statements that name support actions with a Resource their requests never carry: AWS
//! Support has no resource-level permissions.

use super::super::Sink;
use super::Context;
use crate::analysis::json_edit::quote;
use crate::analysis::{Code, Finding, Fix};
use crate::catalog;
use crate::policy::Effect;
use crate::support::evaluator::{Selector, StatementImpact, could_match_checks_arn};
use crate::support::universe::{ActionSet, SUPPORT, SUPPORT_CONSOLE};
use crate::syntax::Str;

impl Context<'_, '_> {
    /// Statements that name support actions (a `support:` or `support-console:` token) with a
    /// Resource that cannot match the `*` their requests carry.
    pub(super) fn support_resource_not_star(&self, statement: &StatementImpact, sink: &mut Sink) {
        let Selector::Action(tokens) = &statement.selector else {
            return;
        };
        // Only tokens that cover some action add to the set: the others are not read.
        let mut resourceless = ActionSet::default();
        for (_, covered) in tokens
            .iter()
            .filter(|(token, covered)| !covered.is_empty() && names_support(token))
        {
            resourceless.union_with(covered);
        }
        let resourceless =
            resourceless.intersect(&self.support.universe.filter(|e| !e.has_resource_type));
        if resourceless.is_empty() || statement.condition.is_never() {
            return;
        }
        let Some(list) = statement.statement.resources() else {
            return;
        };
        let what = match statement.effect {
            Effect::Allow => "grants nothing for them",
            Effect::Deny => "denies nothing for them",
        };
        let actions = self.describe_actions(&resourceless, true);
        if list.negated {
            for pattern in list
                .items
                .iter()
                .filter(|p| catalog::glob_match(&p.value, "*"))
            {
                sink.push(Finding::new(
                    Code::SupportResourceNotStar,
                    pattern.range,
                    format!(
                        "NotResource {} excludes the resource \"*\" that support requests carry: this statement never applies to {actions}, so it {what}",
                        quote(&pattern.value)
                    ),
                ));
            }
            return;
        }
        if list
            .items
            .iter()
            .any(|p| catalog::glob_match(&p.value, "*"))
        {
            return;
        }
        let only_support_tokens = tokens.iter().all(|(token, _)| names_support(token));
        for pattern in list
            .items
            .iter()
            .filter(|p| !could_match_checks_arn(&p.value))
        {
            let mut finding = Finding::new(
                Code::SupportResourceNotStar,
                pattern.range,
                format!(
                    "AWS Support has no resource-level permissions: requests for {actions} carry the resource \"*\", which {} never matches, so this statement {what}; use \"Resource\": \"*\"",
                    quote(&pattern.value)
                ),
            );
            if only_support_tokens && let Some(value) = &list.member.value {
                finding = finding
                    // Safe: AWS Support has no resource-level permissions, and the statement
                    // names only support actions; "*" is the only Resource that works.
                    .fix(
                        Fix::replace("Set Resource to \"*\"", value.range, "\"*\"")
                            .preferred()
                            .safe(),
                    );
            }
            sink.push(finding);
        }
    }
}

/// A token whose service part is literally `support` or `support-console`.
pub(super) fn names_support(token: &Str) -> bool {
    let service = token.value.split(':').next().unwrap_or_default();
    service.eq_ignore_ascii_case(SUPPORT) || service.eq_ignore_ascii_case(SUPPORT_CONSOLE)
}
