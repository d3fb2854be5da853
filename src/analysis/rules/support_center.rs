//! Support Center impact: Denies that break the workflows AWS Support Center, its console
//! and Trusted Advisor need; Allows that cannot work (scoped resources, missing
//! `support-console:` actions, incomplete workflows). See `crate::support` for the
//! evaluator these rules read.

use std::sync::OnceLock;

use serde_json::json;

use crate::analysis::json_edit::{
    append_statement, append_strings, quote, quoted_list, replace_string,
};
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::{self, Channel};
use crate::policy::{Effect, Policy};
use crate::support::evaluator::{Force, Selector, StatementImpact, could_match_checks_arn};
use crate::support::impact::{PolicyImpact, needs, workflows_needing};
use crate::support::request::ConditionVerdict;
use crate::support::universe::{
    ActionSet, SUPPORT, SUPPORT_CONSOLE, TRUSTED_ADVISOR, Universe, universe,
};
use crate::syntax::Str;

/// How many actions a message names before "and N more".
const NAMED_IN_MESSAGE: usize = 6;

pub fn check(policy: &Policy, text: &str, findings: &mut Vec<Finding>) {
    let impact = PolicyImpact::new(policy);
    if impact.statements.iter().all(|s| s.covered.is_empty()) {
        return;
    }
    let context = Context::new(policy, text, &impact);
    for statement in &impact.statements {
        match statement.effect {
            Effect::Deny => {
                context.deny_breaks_support_center(statement, findings);
                context.support_console_not_exempt(statement, findings);
                context.trusted_advisor_namespace(statement, findings);
            }
            Effect::Allow => context.incomplete_support_workflow(statement, findings),
        }
        context.support_resource_not_star(statement, findings);
    }
    context.missing_support_console(findings);
}

/// The sets every analysis starts from, which depend on the catalogue only.
struct Families {
    /// Actions the console calls on the user's behalf (support and support-console).
    internal: ActionSet,
    support: ActionSet,
    console: ActionSet,
    trusted_advisor: ActionSet,
    /// `support:` actions that reach Trusted Advisor through the Support API.
    trusted_advisor_api: ActionSet,
    /// Actions some workflow needs.
    needed: ActionSet,
}

impl Families {
    fn get() -> &'static Families {
        static FAMILIES: OnceLock<Families> = OnceLock::new();
        FAMILIES.get_or_init(|| {
            let universe = universe();
            let mut needed = universe.empty_set();
            for workflow in catalog::workflows() {
                needed.union_with(&needs(workflow));
            }
            Families {
                internal: universe.filter(|e| e.internal),
                support: universe.namespace(SUPPORT),
                console: universe.namespace(SUPPORT_CONSOLE),
                trusted_advisor: universe.namespace(TRUSTED_ADVISOR),
                trusted_advisor_api: universe.filter(|e| {
                    e.prefix == SUPPORT
                        && e.action
                            .name()
                            .to_ascii_lowercase()
                            .contains("trustedadvisor")
                }),
                needed,
            }
        })
    }
}

struct Context<'p, 'a> {
    policy: &'p Policy<'a>,
    text: &'p str,
    impact: &'p PolicyImpact<'a>,
    universe: &'static Universe,
    families: &'static Families,
    allowed: ActionSet,
    denied: ActionSet,
}

impl<'p, 'a> Context<'p, 'a> {
    fn new(policy: &'p Policy<'a>, text: &'p str, impact: &'p PolicyImpact<'a>) -> Self {
        Self {
            policy,
            text,
            impact,
            universe: universe(),
            families: Families::get(),
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
        indices.sort_by_key(|i| workflow_order(*i));
        // Written into one string: these messages are most of the cost of a small policy.
        let mut out = String::with_capacity(256);
        for (n, &i) in indices.iter().take(NAMED_IN_MESSAGE).enumerate() {
            if n > 0 {
                out.push_str(", ");
            }
            let entry = self.universe.entry(i);
            out.push_str(if entry.prefix == SUPPORT {
                entry.action.name()
            } else {
                entry.full_name
            });
            if with_phrases && let Some(workflow) = workflows_needing(i).next() {
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
        indices.sort_by_key(|i| workflow_order(*i));
        indices
            .into_iter()
            .map(|i| self.universe.entry(i).full_name)
            .collect()
    }

    fn workflow_ids(&self, set: &ActionSet) -> Vec<&'static str> {
        catalog::workflows()
            .iter()
            .filter(|w| !needs(w).intersect(set).is_empty())
            .map(|w| w.id)
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

    fn deny_breaks_support_center(&self, statement: &StatementImpact, findings: &mut Vec<Finding>) {
        let effective = statement.effective();
        let whole = effective.is_superset_of(&self.families.support);
        let conditional = !whole_force(statement, &self.families.support);
        let note = condition_note(statement);
        match &statement.selector {
            Selector::Action(tokens) => {
                for (token, covered) in tokens {
                    let hit = covered.intersect(&effective);
                    let breaks = hit.intersect(&self.families.internal);
                    if breaks.is_empty() {
                        continue;
                    }
                    let affected = hit.intersect(&self.families.needed);
                    let (message, severity) = if whole {
                        (
                            format!(
                                "Deny {} removes Support Center: every support action is denied, so Support Center is unavailable to the principals this policy applies to{note}",
                                quote(&token.value)
                            ),
                            Severity::Information,
                        )
                    } else {
                        (
                            format!(
                                "Deny {} breaks Support Center: {}{note}",
                                quote(&token.value),
                                self.describe_actions(&breaks, true)
                            ),
                            Severity::Warning,
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
                    findings.push(self.granted_by(&hit, finding));
                }
            }
            Selector::NotAction { key, tokens } => {
                let exempt = union(tokens);
                // A list that exempts support:* is the concern of `support-console-not-exempt`.
                if exempt.is_superset_of(&self.families.support) {
                    return;
                }
                let breaks = effective.intersect(&self.families.internal);
                if breaks.is_empty() {
                    return;
                }
                let affected = effective.intersect(&self.families.needed);
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
                findings.push(self.granted_by(&effective, finding));
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
                    self.universe
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
            (&self.families.support, "support:*"),
            (&self.families.console, "support-console:*"),
            (&self.families.trusted_advisor, "trustedadvisor:*"),
        ]
        .iter()
        .filter(|(set, _)| !exempt.is_superset_of(set))
        .map(|(_, pattern)| pattern.to_string())
        .collect();
        if missing.is_empty() {
            return None;
        }
        let edits = append_strings(self.text, member, &missing);
        (!edits.is_empty())
            .then(|| Fix::quick(format!("Exempt {}", missing.join(", ")), edits).preferred())
    }

    fn support_console_not_exempt(&self, statement: &StatementImpact, findings: &mut Vec<Finding>) {
        let Selector::NotAction { key, tokens } = &statement.selector else {
            return;
        };
        let exempt = union(tokens);
        if !exempt.is_superset_of(&self.families.support) {
            return;
        }
        let effective = statement.effective();
        let console_breaks = !effective.intersect(&self.families.console).is_empty();
        let advisor_breaks = !effective
            .intersect(&self.families.trusted_advisor)
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
        let note = condition_note(statement);
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
            let mut set = self.families.console;
            set.union_with(&self.families.trusted_advisor);
            set
        });
        findings.push(self.granted_by(&removed, finding));
    }

    fn trusted_advisor_namespace(&self, statement: &StatementImpact, findings: &mut Vec<Finding>) {
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
            let via_api = hit.intersect(&self.families.trusted_advisor_api);
            let via_console = hit.intersect(&self.families.trusted_advisor);
            let (message, other) = if !via_api.is_empty()
                && via_console.is_empty()
                && self
                    .denied
                    .intersect(&self.families.trusted_advisor)
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
                    .intersect(&self.families.trusted_advisor_api)
                    .is_empty()
            {
                (
                    format!(
                        "Deny {} blocks the Trusted Advisor console only: the AWS Support API's Trusted Advisor operations ({}) stay reachable",
                        quote(&token.value),
                        self.describe_actions(&self.families.trusted_advisor_api, false)
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
            findings.push(finding);
        }
    }

    /// Statements that name support actions (a `support:` or `support-console:` token) with a
    /// Resource that cannot match the `*` their requests carry.
    fn support_resource_not_star(&self, statement: &StatementImpact, findings: &mut Vec<Finding>) {
        let Selector::Action(tokens) = &statement.selector else {
            return;
        };
        // Only tokens that cover some action add to the set: the others are not read.
        let mut resourceless = self.universe.empty_set();
        for (_, covered) in tokens
            .iter()
            .filter(|(token, covered)| !covered.is_empty() && names_support(token))
        {
            resourceless.union_with(covered);
        }
        let resourceless = resourceless.intersect(&self.universe.filter(|e| !e.has_resource_type));
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
                findings.push(Finding::new(
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
                    .fix(Fix::replace("Set Resource to \"*\"", value.range, "\"*\"").preferred());
            }
            findings.push(finding);
        }
    }

    /// One finding per policy, on the first Allow that grants Support Center console
    /// workflows while no statement allows the support-console actions they need.
    fn missing_support_console(&self, findings: &mut Vec<Finding>) {
        let console_workflows: Vec<&catalog::Workflow> = catalog::workflows()
            .iter()
            .filter(|w| {
                matches!(w.channel, Channel::Console | Channel::ConsoleAndApi)
                    && w.namespace != Some(TRUSTED_ADVISOR)
            })
            .collect();
        for allow in self
            .impact
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let granted = allow.effective().intersect(&self.families.support);
            if granted.is_empty() {
                continue;
            }
            let mut needed_console = self.universe.empty_set();
            let mut phrases: Vec<&str> = Vec::new();
            for workflow in &console_workflows {
                let workflow_needs = needs(workflow);
                if workflow_needs.intersect(&granted).is_empty() {
                    continue;
                }
                let console = workflow_needs.intersect(&self.families.console);
                if !console.is_empty() && !phrases.contains(&workflow.phrase) {
                    phrases.push(workflow.phrase);
                }
                needed_console.union_with(&console);
            }
            if needed_console.is_empty() {
                continue;
            }
            // Using any console workflow means opening Support Center first.
            if let Some(open) = catalog::workflow("open-support-center") {
                needed_console.union_with(&needs(open).intersect(&self.families.console));
            }
            let missing = needed_console.minus(&self.allowed);
            if missing.is_empty() {
                return;
            }
            let range = where_covered(allow, &granted);
            let Some(range) = range else { return };
            let names = self.full_names(&missing);
            let mut finding = Finding::new(
                Code::MissingSupportConsole,
                range,
                format!(
                    "this Allow grants Support Center workflows ({}) but no statement allows the support-console actions the console needs since November 16, 2026: {}; without them users get AccessDenied in Support Center",
                    phrases.join(", "),
                    self.describe_actions(&missing, false)
                ),
            )
            .data(json!({"actions": names}));
            if let Some(statement_member) = self.policy.statement {
                let sid = self.unique_sid("SupportCenterConsole");
                let action_list = format!("[{}]", quoted_list(&names, ", "));
                let edits = append_statement(
                    self.text,
                    statement_member,
                    &[
                        ("Sid", quote(&sid)),
                        ("Effect", quote("Allow")),
                        ("Action", action_list),
                        ("Resource", quote("*")),
                    ],
                );
                if !edits.is_empty() {
                    finding = finding.fix(
                        Fix::quick(
                            "Add a statement allowing the missing support-console actions",
                            edits,
                        )
                        .preferred(),
                    );
                }
            }
            findings.push(finding);
            return;
        }
    }

    fn unique_sid(&self, base: &str) -> String {
        let taken = |sid: &str| self.policy.statements.iter().any(|s| s.sid() == Some(sid));
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|s| !taken(s))
            .unwrap_or_else(|| base.to_string())
    }

    fn incomplete_support_workflow(
        &self,
        statement: &StatementImpact,
        findings: &mut Vec<Finding>,
    ) {
        let Selector::Action(tokens) = &statement.selector else {
            return;
        };
        for workflow in catalog::workflows() {
            if w_is_trusted_advisor_or_internal(workflow) {
                continue;
            }
            let Some((main, main_index)) = workflow_main_action(workflow) else {
                continue;
            };
            if statement.force_on(main_index) == Force::Never {
                continue;
            }
            let Some((token, _)) = tokens
                .iter()
                .find(|(_, covered)| covered.contains(main_index))
            else {
                continue;
            };
            let documented = self.documented_support_actions(workflow);
            let missing = documented.minus(&self.allowed);
            if missing.is_empty() {
                continue;
            }
            let names = self.full_names(&missing);
            let mut finding = Finding::new(
                Code::IncompleteSupportWorkflow,
                token.range,
                format!(
                    "allows {} ({}) but not what that workflow also needs: {}",
                    main.name(),
                    workflow.phrase,
                    self.describe_actions(&missing, false)
                ),
            )
            .data(json!({"workflow": workflow.id, "missing": names}));
            if let Some(member) = statement.statement.action {
                let edits = append_strings(self.text, member, &names);
                if !edits.is_empty() {
                    finding = finding.fix(Fix::quick(
                        format!("Also allow what \"{}\" needs", workflow.title),
                        edits,
                    ));
                }
            }
            findings.push(finding);
        }
    }

    fn documented_support_actions(&self, workflow: &catalog::Workflow) -> ActionSet {
        // A constant of the workflow (as `needs` is): expanded once, not per statement.
        static DOCUMENTED: OnceLock<Vec<ActionSet>> = OnceLock::new();
        let expand = |workflow: &catalog::Workflow| {
            let universe = universe();
            let mut set = universe.empty_set();
            for needed in workflow
                .actions
                .iter()
                .filter(|a| a.evidence == catalog::Evidence::Documented)
            {
                set.union_with(&universe.matching(needed.action));
            }
            set
        };
        let all = DOCUMENTED.get_or_init(|| catalog::workflows().iter().map(expand).collect());
        let set = workflow_position(workflow)
            .and_then(|i| all.get(i).cloned())
            .unwrap_or_else(|| expand(workflow));
        set.intersect(&self.families.support)
    }
}

fn workflow_position(workflow: &catalog::Workflow) -> Option<usize> {
    catalog::workflows()
        .iter()
        .position(|w| std::ptr::eq(w, workflow))
}

/// A workflow's first action and its universe index (computed once for all workflows).
fn workflow_main_action(workflow: &catalog::Workflow) -> Option<(catalog::ActionRef, usize)> {
    static MAIN: OnceLock<Vec<Option<(catalog::ActionRef, usize)>>> = OnceLock::new();
    let main = |workflow: &catalog::Workflow| {
        let action = catalog::parse_action(workflow.actions.first()?.action)?;
        Some((action, universe().index_of(action)?))
    };
    let all = MAIN.get_or_init(|| catalog::workflows().iter().map(main).collect());
    match workflow_position(workflow) {
        Some(i) => all.get(i).copied().flatten(),
        None => main(workflow),
    }
}

/// Where a statement covers some of `set`: its first Action token that does, or its
/// NotAction key.
fn where_covered(statement: &StatementImpact, set: &ActionSet) -> Option<crate::syntax::TextRange> {
    match &statement.selector {
        Selector::Action(tokens) => tokens
            .iter()
            .find(|(_, covered)| !covered.intersect(set).is_empty())
            .map(|(token, _)| token.range),
        Selector::NotAction { key, .. } => Some(*key),
    }
}

/// Whether `text` contains `part` ignoring ASCII case, without a lower-cased copy of
/// `text` (this runs for every action token of every Deny statement).
fn contains_ignoring_case(text: &str, part: &str) -> bool {
    text.as_bytes()
        .windows(part.len())
        .any(|window| window.eq_ignore_ascii_case(part.as_bytes()))
}

/// A token whose service part is literally `support` or `support-console`.
fn names_support(token: &Str) -> bool {
    // Compared in place: this runs for every action token of every statement.
    let value = token.value.as_bytes();
    [SUPPORT, SUPPORT_CONSOLE].iter().any(|service| {
        let n = service.len();
        value
            .get(..n)
            .is_some_and(|head| head.eq_ignore_ascii_case(service.as_bytes()))
            && matches!(value.get(n), None | Some(b':'))
    })
}

fn w_is_trusted_advisor_or_internal(workflow: &catalog::Workflow) -> bool {
    workflow.namespace == Some(TRUSTED_ADVISOR)
        || matches!(workflow.channel, Channel::Internal | Channel::Api)
}

fn union(tokens: &[(&Str, ActionSet)]) -> ActionSet {
    let mut set = universe().empty_set();
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

/// `" (when the condition on aws:RequestedRegion matches)"`, or nothing.
fn condition_note(statement: &StatementImpact) -> String {
    match &statement.condition {
        ConditionVerdict::Depends { keys } => {
            if let [key] = keys.as_slice() {
                format!(" (conditional: only when its condition on {key} matches)")
            } else {
                format!(
                    " (conditional: only when its conditions on {} match)",
                    keys.join(" and ")
                )
            }
        }
        _ => String::new(),
    }
}

/// Sort key: the first workflow needing the action, then the action's place in it.
fn workflow_order(index: usize) -> (usize, usize) {
    // Sorting calls this O(n log n) times per message, and each call globs the action against
    // every workflow: compute it once for the whole universe instead.
    static ORDER: OnceLock<Vec<(usize, usize)>> = OnceLock::new();
    let order = ORDER.get_or_init(|| {
        let universe = universe();
        (0..universe.len()).map(compute_workflow_order).collect()
    });
    order.get(index).copied().unwrap_or((usize::MAX, index))
}

fn compute_workflow_order(index: usize) -> (usize, usize) {
    let universe = universe();
    let entry = universe.entry(index);
    catalog::workflows()
        .iter()
        .enumerate()
        .find_map(|(w, workflow)| {
            workflow
                .actions
                .iter()
                .position(|a| catalog::glob_match(a.action, entry.full_name))
                .map(|p| (w, p))
        })
        .unwrap_or((usize::MAX, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::TextRange;

    #[test]
    fn contains_ignoring_case_is_a_case_insensitive_substring_test() {
        for (text, expected) in [
            ("trustedadvisor:*", true),
            ("TrustedAdvisor:Describe*", true),
            ("support:DescribeTrustedAdvisorChecks", true),
            ("*:*TRUSTEDADVISOR*", true),
            ("trustedadviso", false),
            ("support:*", false),
            ("", false),
            ("é:trustedadvisoré", true),
        ] {
            assert_eq!(
                contains_ignoring_case(text, TRUSTED_ADVISOR),
                text.to_ascii_lowercase().contains("trustedadvisor"),
                "{text}"
            );
            assert_eq!(
                contains_ignoring_case(text, TRUSTED_ADVISOR),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn names_support_reads_the_service_part_only() {
        let token = |value: &str| Str {
            range: TextRange::new(0, 0),
            value: value.into(),
            terminated: true,
            quoted: true,
        };
        for (value, expected) in [
            ("support:DescribeCases", true),
            ("SUPPORT:*", true),
            ("Support-Console:GetCase", true),
            ("support", true),
            ("support:", true),
            ("supportplans:*", false),
            ("supportapp:*", false),
            ("suppor:x", false),
            ("support-consolex:y", false),
            ("*", false),
            ("", false),
            ("é:support", false),
        ] {
            assert_eq!(names_support(&token(value)), expected, "{value}");
        }
    }
}
