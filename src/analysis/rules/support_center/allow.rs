//! Allows that grant a Support Center workflow without what it also needs: the
//! `support-console:` actions of the console, the other documented actions of the workflow.

use serde_json::json;

use super::super::Sink;
use super::{Context, where_covered};
use crate::analysis::json_edit::{append_statement, append_strings, quote, quoted_list};
use crate::analysis::{Code, Finding, Fix};
use crate::catalog::{self, Channel};
use crate::policy::Effect;
use crate::support::evaluator::{Force, Selector, StatementImpact};
use crate::support::index::WorkflowNeeds;
use crate::support::universe::{ActionSet, TRUSTED_ADVISOR};

impl Context<'_, '_> {
    /// One finding per policy, on the first Allow that grants Support Center console
    /// workflows while no statement allows the support-console actions they need.
    pub(super) fn missing_support_console(&self, sink: &mut Sink) {
        let console_workflows: Vec<&WorkflowNeeds> = self
            .support
            .workflows()
            .iter()
            .filter(|w| {
                matches!(
                    w.workflow.channel,
                    Channel::Console | Channel::ConsoleAndApi
                ) && w.workflow.namespace != Some(TRUSTED_ADVISOR)
            })
            .collect();
        for allow in self
            .impact
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let granted = allow.effective().intersect(&self.support.support);
            if granted.is_empty() {
                continue;
            }
            let mut needed_console = ActionSet::default();
            let mut phrases: Vec<&str> = Vec::new();
            for w in &console_workflows {
                if w.needs.intersect(&granted).is_empty() {
                    continue;
                }
                let console = w.needs.intersect(&self.support.console);
                if !console.is_empty() && !phrases.contains(&w.workflow.phrase) {
                    phrases.push(w.workflow.phrase);
                }
                needed_console.union_with(&console);
            }
            if needed_console.is_empty() {
                continue;
            }
            // Using any console workflow means opening Support Center first.
            if let Some(open) = self.support.workflow("open-support-center") {
                needed_console.union_with(&open.needs.intersect(&self.support.console));
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
            sink.push(finding);
            return;
        }
    }

    pub(super) fn incomplete_support_workflow(&self, statement: &StatementImpact, sink: &mut Sink) {
        let Selector::Action(tokens) = &statement.selector else {
            return;
        };
        for w in self.support.workflows() {
            let workflow = w.workflow;
            if w_is_trusted_advisor_or_internal(workflow) {
                continue;
            }
            let Some((main, main_index)) = w.main else {
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
            let missing = w.documented_support.minus(&self.allowed);
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
            sink.push(finding);
        }
    }
}

fn w_is_trusted_advisor_or_internal(workflow: &catalog::Workflow) -> bool {
    workflow.namespace == Some(TRUSTED_ADVISOR)
        || matches!(workflow.channel, Channel::Internal | Channel::Api)
}
