//! Denies that break Support Center: actions the console calls on the user's behalf, the
//! `support-console:` and `trustedadvisor:` namespaces a `NotAction` guardrail must exempt, and
//! Trusted Advisor's two namespaces (the console's and the Support API's).

use serde_json::json;

use super::super::Sink;
use super::{Context, condition_note, union, whole_force};
use crate::analysis::json_edit::{append_strings, quote, replace_string};
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog;
use crate::support::evaluator::{Selector, StatementImpact};
use crate::support::universe::{ActionSet, TRUSTED_ADVISOR};
use crate::syntax::Str;

impl Context<'_, '_> {
    pub(super) fn deny_breaks_support_center(&self, statement: &StatementImpact, sink: &mut Sink) {
        let effective = statement.effective();
        let whole = effective.is_superset_of(&self.support.support);
        let conditional = !whole_force(statement, &self.support.support);
        let note = condition_note(statement, self.text);
        match &statement.selector {
            Selector::Action(tokens) => {
                for (token, covered) in tokens {
                    let hit = covered.intersect(&effective);
                    let breaks = hit.intersect(&self.support.internal);
                    if breaks.is_empty() {
                        continue;
                    }
                    let severity = if whole {
                        Severity::Information
                    } else {
                        Severity::Warning
                    };
                    // A Deny repeated ten thousand times: once the limit is reached, the
                    // findings left out are counted, not computed.
                    if !sink.admits(Code::DenyBreaksSupportCenter, severity, token.range) {
                        continue;
                    }
                    let affected = hit.intersect(&self.support.needed);
                    let message = if whole {
                        format!(
                            "Deny {} removes Support Center: every support action is denied, so Support Center is unavailable to the principals this policy applies to{note}",
                            quote(&token.value)
                        )
                    } else {
                        format!(
                            "Deny {} breaks Support Center: {}{note}",
                            quote(&token.value),
                            self.describe_actions(&breaks, true)
                        )
                    };
                    let mut finding =
                        Finding::new(Code::DenyBreaksSupportCenter, token.range, message)
                            .severity(severity)
                            .data(json!({
                                "actions": self.full_names(&affected),
                                "workflows": self.workflow_ids(&affected),
                                "conditional": conditional,
                            }));
                    if !whole
                        && let Some(fix) = self.exempt_from_wildcard(statement, token, &breaks)
                    {
                        finding = finding.fix(fix);
                    }
                    sink.push(self.granted_by(&hit, finding));
                }
            }
            Selector::NotAction { key, tokens } => {
                let exempt = union(tokens);
                // A list that exempts support:* is the concern of `support-console-not-exempt`.
                if exempt.is_superset_of(&self.support.support) {
                    return;
                }
                let breaks = effective.intersect(&self.support.internal);
                if breaks.is_empty() {
                    return;
                }
                let affected = effective.intersect(&self.support.needed);
                let advice = "AWS's own region and guardrail examples exempt \"support:*\", \"support-console:*\" and \"trustedadvisor:*\" in NotAction";
                let (message, severity) = if whole {
                    (
                        format!(
                            "this NotAction Deny covers every support action: Support Center is unavailable to the principals this policy applies to{note}; {advice}"
                        ),
                        Severity::Information,
                    )
                } else {
                    (
                        format!(
                            "this NotAction Deny breaks Support Center: {}{note}; {advice}",
                            self.describe_actions(&breaks, true)
                        ),
                        Severity::Warning,
                    )
                };
                let mut finding = Finding::new(Code::DenyBreaksSupportCenter, *key, message)
                    .severity(severity)
                    .data(json!({
                        "actions": self.full_names(&affected),
                        "workflows": self.workflow_ids(&affected),
                        "conditional": conditional,
                    }));
                if let Some(fix) = self.add_exemptions(statement, &exempt) {
                    finding = finding.fix(fix);
                }
                sink.push(self.granted_by(&effective, finding));
            }
        }
    }

    /// Rewrites a Deny's action token into the explicit list of what it matches, minus what
    /// Support Center needs; an exact action is simply removed from the list.
    fn exempt_from_wildcard(
        &self,
        statement: &StatementImpact,
        token: &Str,
        breaks: &ActionSet,
    ) -> Option<Fix> {
        let member = statement.statement.action?;
        let keep: Vec<String> = if catalog::has_wildcard(&token.value) {
            if catalog::count_matching(&token.value) > 200 {
                return None;
            }
            catalog::matching_actions(&token.value)
                .filter(|a| {
                    self.support
                        .universe
                        .index_of(*a)
                        .is_none_or(|i| !breaks.contains(i))
                })
                .map(|a| a.full_name().to_string())
                .collect()
        } else {
            Vec::new()
        };
        let several_tokens = member
            .value
            .as_ref()
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.elements.len() > 1);
        if keep.is_empty() && !several_tokens {
            return None;
        }
        let title = if keep.is_empty() {
            format!("Stop denying {}", token.value)
        } else {
            format!(
                "Deny the {} other actions {} matches, not Support Center's",
                keep.len(),
                quote(&token.value)
            )
        };
        Some(Fix::quick(title, replace_string(self.text, member, token, &keep)).preferred())
    }

    /// Adds `support:*`, `support-console:*` and `trustedadvisor:*` (those missing) to a
    /// NotAction list.
    fn add_exemptions(&self, statement: &StatementImpact, exempt: &ActionSet) -> Option<Fix> {
        let member = statement.statement.not_action?;
        let missing: Vec<String> = [
            (&self.support.support, "support:*"),
            (&self.support.console, "support-console:*"),
            (&self.support.trusted_advisor, "trustedadvisor:*"),
        ]
        .iter()
        .filter(|(set, _)| !exempt.is_superset_of(set))
        .map(|(_, pattern)| pattern.to_string())
        .collect();
        if missing.is_empty() {
            return None;
        }
        let edits = append_strings(self.text, member, &missing);
        // Safe when the Deny already exempts support:*: the console's namespaces are what its
        // author meant to exempt too. Adding support:* itself is the author's decision.
        let safe = !missing.iter().any(|m| m == "support:*");
        (!edits.is_empty()).then(|| {
            let fix = Fix::quick(format!("Exempt {}", missing.join(", ")), edits).preferred();
            if safe { fix.safe() } else { fix }
        })
    }

    pub(super) fn support_console_not_exempt(&self, statement: &StatementImpact, sink: &mut Sink) {
        let Selector::NotAction { key, tokens } = &statement.selector else {
            return;
        };
        let exempt = union(tokens);
        if !exempt.is_superset_of(&self.support.support) {
            return;
        }
        let effective = statement.effective();
        let console_breaks = !effective.intersect(&self.support.console).is_empty();
        let advisor_breaks = !effective
            .intersect(&self.support.trusted_advisor)
            .is_empty();
        let mut missing = Vec::new();
        let mut consequences = Vec::new();
        if console_breaks {
            missing.push("\"support-console:*\"");
            consequences.push("since November 16, 2026 Support Center's console also needs support-console actions, so the principals it applies to get AccessDenied in Support Center");
        }
        if advisor_breaks {
            missing.push("\"trustedadvisor:*\"");
            consequences.push(
                "the Trusted Advisor console, governed by trustedadvisor actions, stops working",
            );
        }
        if missing.is_empty() {
            return;
        }
        let note = condition_note(statement, self.text);
        let mut finding = Finding::new(
            Code::SupportConsoleNotExempt,
            *key,
            format!(
                "this Deny exempts \"support:*\" but not {}: {}{note}",
                missing.join(" nor "),
                consequences.join("; and ")
            ),
        )
        .data(json!({
            "missing": missing.iter().map(|m| m.trim_matches('"')).collect::<Vec<_>>(),
            "conditional": statement.is_conditional(),
        }));
        if let Some(fix) = self.add_exemptions(statement, &exempt) {
            finding = finding.fix(fix);
        }
        let removed = effective.intersect(&{
            let mut set = self.support.console;
            set.union_with(&self.support.trusted_advisor);
            set
        });
        sink.push(self.granted_by(&removed, finding));
    }

    pub(super) fn trusted_advisor_namespace(&self, statement: &StatementImpact, sink: &mut Sink) {
        let Selector::Action(tokens) = &statement.selector else {
            return;
        };
        let effective = statement.effective();
        for (token, covered) in tokens {
            let hit = covered.intersect(&effective);
            let names_trusted_advisor = contains_ignoring_case(&token.value, TRUSTED_ADVISOR);
            if !names_trusted_advisor {
                continue;
            }
            let via_api = hit.intersect(&self.support.trusted_advisor_api);
            let via_console = hit.intersect(&self.support.trusted_advisor);
            let (message, other) = if !via_api.is_empty()
                && via_console.is_empty()
                && self
                    .denied
                    .intersect(&self.support.trusted_advisor)
                    .is_empty()
            {
                (
                    format!(
                        "Deny {} blocks Trusted Advisor through the AWS Support API only: the Trusted Advisor console, governed by trustedadvisor actions, stays reachable",
                        quote(&token.value)
                    ),
                    vec!["trustedadvisor:*".to_string()],
                )
            } else if !via_console.is_empty()
                && via_api.is_empty()
                && self
                    .denied
                    .intersect(&self.support.trusted_advisor_api)
                    .is_empty()
            {
                (
                    format!(
                        "Deny {} blocks the Trusted Advisor console only: the AWS Support API's Trusted Advisor operations ({}) stay reachable",
                        quote(&token.value),
                        self.describe_actions(&self.support.trusted_advisor_api, false)
                    ),
                    vec![
                        "support:DescribeTrustedAdvisor*".to_string(),
                        "support:RefreshTrustedAdvisorCheck".to_string(),
                    ],
                )
            } else {
                continue;
            };
            let mut finding = Finding::new(Code::TrustedAdvisorNamespace, token.range, message)
                .data(json!({"conditional": statement.is_conditional()}));
            finding = self.granted_by(&hit, finding);
            if let Some(member) = statement.statement.action {
                let edits = append_strings(self.text, member, &other);
                if !edits.is_empty() {
                    finding =
                        finding.fix(Fix::quick(format!("Also deny {}", other.join(", ")), edits));
                }
            }
            sink.push(finding);
        }
    }
}

/// Whether `text` contains `part` ignoring ASCII case, without a lower-cased copy of
/// `text` (this runs for every action token of every Deny statement).
pub(super) fn contains_ignoring_case(text: &str, part: &str) -> bool {
    text.as_bytes()
        .windows(part.len())
        .any(|window| window.eq_ignore_ascii_case(part.as_bytes()))
}
