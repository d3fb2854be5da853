//! A reviewer's summary of a policy: per Support Center workflow, whether the policy denies
//! it (always, or under conditions, and by which statements), grants it, or leaves it alone.
//! Rendered as a Markdown table (CLI `explain`, hover on `Statement`) or JSON.

use serde_json::{Value, json};

use super::conditions::{self, Shown};
use super::evaluator::Force;
use super::impact::{PolicyImpact, Verdict};
use super::index::{SupportIndex, index};
use super::universe::{ActionSet, SUPPORT};
use crate::catalog;
use crate::policy::Policy;

#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) workflow_id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) verdict: &'static str,
    /// Statement labels (`statement "Sid"` / `statement 2`) that decide the verdict.
    pub(crate) statements: Vec<String>,
    /// The actions the verdict is about (denied, or missing), full names.
    pub(crate) actions: Vec<String>,
    /// Condition keys a conditional verdict depends on.
    pub(crate) condition_keys: Vec<String>,
    /// What those conditions restrict, in words ("only in regions other than eu-west-1").
    pub(crate) conditions: Vec<String>,
}

/// How much of a list a table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lists {
    /// Every action and value: `explain`'s table goes into reviews.
    Complete,
    /// The first few, then "and N more": the hover on `Statement`.
    Short,
}

/// The Untouched verdict: nothing in the policy allows or denies what the workflow needs.
pub(crate) const NOT_AFFECTED: &str = "not affected";

/// The rows of `policy`, over the [`current`](catalog::current) catalogue. `text` is the
/// document (to quote numbers in conditions), when there is one.
pub(crate) fn explain(policy: &Policy, text: Option<&str>, lists: Lists) -> Vec<Row> {
    let support = index(catalog::current());
    let impact = PolicyImpact::new(support, policy);
    impact
        .workflows()
        .into_iter()
        .map(|report| {
            let mut phrases = Vec::new();
            let (verdict, statements, actions, condition_keys) = match &report.verdict {
                Verdict::Denied {
                    force,
                    actions,
                    statements,
                } => {
                    let keys = condition_keys(&impact, statements);
                    let shown = match lists {
                        Lists::Complete => Shown(None),
                        Lists::Short => Shown(Some(SHORT_LIST)),
                    };
                    phrases = condition_phrases(&impact, statements, text, shown);
                    let verdict = if *force == Force::Always {
                        "denied"
                    } else {
                        "denied under conditions"
                    };
                    (
                        verdict,
                        labels(&impact, statements),
                        names(support, actions),
                        keys,
                    )
                }
                Verdict::Allowed { force } => {
                    let verdict = if *force == Force::Always {
                        "allowed"
                    } else {
                        "allowed under conditions"
                    };
                    (verdict, Vec::new(), Vec::new(), Vec::new())
                }
                Verdict::PartlyAllowed { missing } => (
                    "partly allowed",
                    Vec::new(),
                    names(support, missing),
                    Vec::new(),
                ),
                Verdict::Untouched => (NOT_AFFECTED, Vec::new(), Vec::new(), Vec::new()),
            };
            Row {
                workflow_id: report.workflow.id,
                title: report.workflow.title,
                verdict,
                statements,
                actions,
                condition_keys,
                conditions: phrases,
            }
        })
        .collect()
}

/// How many actions or values a short list names.
const SHORT_LIST: usize = 4;

fn labels(impact: &PolicyImpact, statements: &[usize]) -> Vec<String> {
    statements
        .iter()
        .filter_map(|i| impact.statements.iter().find(|s| s.index == *i))
        .map(|s| s.statement.label(s.index))
        .collect()
}

/// The conditions of the deciding statements that depend on the request, in words.
fn condition_phrases(
    impact: &PolicyImpact,
    statements: &[usize],
    text: Option<&str>,
    shown: Shown,
) -> Vec<String> {
    let mut phrases: Vec<String> = Vec::new();
    for statement in impact
        .statements
        .iter()
        .filter(|s| statements.contains(&s.index) && s.condition.is_conditional())
    {
        let these = conditions::describe(&statement.statement.conditions(), text, shown);
        let phrase = conditions::join(&these);
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    phrases
}

fn condition_keys(impact: &PolicyImpact, statements: &[usize]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for statement in impact
        .statements
        .iter()
        .filter(|s| statements.contains(&s.index))
    {
        if let super::request::ConditionVerdict::Depends { keys: these } = &statement.condition {
            for key in these {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    keys
}

fn names(support: &SupportIndex, set: &ActionSet) -> Vec<String> {
    set.iter()
        .map(|i| support.universe.entry(i).full_name.to_string())
        .collect()
}

/// `support:X` → `X`, others unchanged: the short form for tables.
fn short(name: &str) -> &str {
    name.strip_prefix(SUPPORT)
        .and_then(|n| n.strip_prefix(':'))
        .unwrap_or(name)
}

/// The Markdown table a reviewer can paste into a pull request (`explain`, with complete
/// lists), or read in a hover (short ones).
pub(crate) fn markdown(rows: &[Row], lists: Lists) -> String {
    let mut out = String::from("| Workflow | Verdict | Why |\n|---|---|---|\n");
    for row in rows {
        let mut why = Vec::new();
        if !row.statements.is_empty() {
            why.push(format!("by {}", row.statements.join(", ")));
        }
        // Several deciding statements: each one's conditions, any of which denies.
        if !row.conditions.is_empty() {
            why.push(row.conditions.join("; or "));
        }
        if !row.actions.is_empty() {
            let limit = match lists {
                Lists::Complete => usize::MAX,
                Lists::Short => SHORT_LIST,
            };
            let shown: Vec<&str> = row.actions.iter().take(limit).map(|a| short(a)).collect();
            let more = row.actions.len().saturating_sub(shown.len());
            let mut list = shown.join(", ");
            if more > 0 {
                list.push_str(&format!(" and {more} more"));
            }
            let label = if row.verdict.starts_with("denied") {
                "denies"
            } else {
                "missing"
            };
            why.push(format!("{label} {list}"));
        }
        let verdict = if row.verdict.starts_with("denied") {
            format!("**{}**", row.verdict)
        } else {
            row.verdict.to_string()
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            row.title,
            verdict,
            why.join("; ")
        ));
    }
    out
}

pub(crate) fn json(rows: &[Row]) -> Value {
    Value::Array(
        rows.iter()
            .map(|row| {
                json!({
                    "workflow": row.workflow_id,
                    "title": row.title,
                    "verdict": row.verdict,
                    "statements": row.statements,
                    "actions": row.actions,
                    "conditionKeys": row.condition_keys,
                    "conditions": row.conditions,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn rows(text: &str) -> Vec<Row> {
        let parse = parse(text);
        let policy = Policy::new(parse.root.as_ref().unwrap()).unwrap();
        explain(&policy, Some(text), Lists::Complete)
    }

    fn verdict<'r>(rows: &'r [Row], id: &str) -> &'r Row {
        rows.iter().find(|r| r.workflow_id == id).unwrap()
    }

    #[test]
    fn verdicts_per_workflow() {
        let rows = rows(
            r#"{"Statement": [
                {"Sid": "Work", "Effect": "Allow", "Action": ["support:*", "support-console:*"], "Resource": "*"},
                {"Sid": "KeepOpen", "Effect": "Deny", "Action": "support:ResolveCase", "Resource": "*"},
                {"Sid": "EU", "Effect": "Deny", "Action": "support:InitiateCallForCase", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}
            ]}"#,
        );
        assert_eq!(verdict(&rows, "create-case").verdict, "allowed");
        let resolve = verdict(&rows, "resolve");
        assert_eq!(resolve.verdict, "denied");
        assert_eq!(resolve.statements, vec!["statement \"KeepOpen\""]);
        assert_eq!(resolve.actions, vec!["support:ResolveCase"]);
        let call = verdict(&rows, "call");
        assert_eq!(call.verdict, "denied under conditions");
        assert_eq!(call.condition_keys, vec!["aws:RequestedRegion"]);
        assert_eq!(
            call.conditions,
            vec!["only in regions other than eu-west-1"]
        );
        assert_eq!(
            verdict(&rows, "trusted-advisor-console").verdict,
            NOT_AFFECTED
        );
        let table = markdown(&rows, Lists::Complete);
        assert!(
            table.contains(
                "| Resolve a case | **denied** | by statement \"KeepOpen\"; denies ResolveCase |"
            ),
            "{table}"
        );
    }

    #[test]
    fn partly_allowed_workflows_name_what_is_missing() {
        let rows = rows(
            r#"{"Statement": {"Effect": "Allow", "Action": "support:CreateCase", "Resource": "*"}}"#,
        );
        let create = verdict(&rows, "create-case");
        assert_eq!(create.verdict, "partly allowed");
        assert!(
            create
                .actions
                .contains(&"support:DescribeServices".to_string())
        );
        assert!(!create.actions.contains(&"support:CreateCase".to_string()));
    }

    #[test]
    fn negated_conditions_read_as_what_they_mean_and_lists_are_complete() {
        let rows = rows(
            r#"{"Statement": {"Sid": "OnlyOrgAdmin", "Effect": "Deny", "Action": "support:*", "Resource": "*",
                "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}}}}"#,
        );
        let create = verdict(&rows, "create-case");
        assert_eq!(create.verdict, "denied under conditions");
        assert_eq!(
            create.conditions,
            vec![
                "for every principal except those whose aws:PrincipalArn is like arn:aws:iam::*:role/OrgAdmin"
            ]
        );
        // A Deny-only policy takes nothing away from what it does not mention.
        assert_eq!(
            verdict(&rows, "trusted-advisor-console").verdict,
            NOT_AFFECTED
        );
        let table = markdown(&rows, Lists::Complete);
        assert!(!table.contains(" more"), "{table}");
        assert!(!table.contains("matches"), "{table}");
        let line = table
            .lines()
            .find(|l| l.starts_with("| Create a support case |"))
            .unwrap();
        assert_eq!(
            line,
            format!(
                "| Create a support case | **denied under conditions** | by statement \"OnlyOrgAdmin\"; for every principal except those whose aws:PrincipalArn is like arn:aws:iam::*:role/OrgAdmin; denies {} |",
                create
                    .actions
                    .iter()
                    .map(|a| short(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
        assert!(create.actions.len() > 4, "{:?}", create.actions);
        // The hover keeps its lists short.
        assert!(markdown(&rows, Lists::Short).contains(" more"));
    }
}
