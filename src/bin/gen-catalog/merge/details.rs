//! The detailed records of the `support`, `trustedadvisor` and `support-console` actions.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use catalog_format::{Action, Detail, Model, Result, lower};

use crate::sources::curated::curated_map;
use crate::sources::shared::{SharedService, WorkflowsFile};

const SAR_BASE: &str = "https://docs.aws.amazon.com/service-authorization/latest/reference/";

/// The SAR page and actions-table anchor of each detailed namespace.
fn reference_url(prefix: &str) -> String {
    let page = match prefix {
        "support" => "awssupport",
        "trustedadvisor" => "awstrustedadvisor",
        "support-console" => "awssupportconsole",
        _ => return String::new(),
    };
    format!("{SAR_BASE}list_{page}.html#{page}-actions-as-permissions")
}

/// The API reference page of the operation named like the action, if the action has one.
fn api_reference_url(
    action: &str,
    operations: &[String],
    in_sdk: &HashMap<String, bool>,
) -> String {
    for op in operations {
        if !in_sdk.get(op).copied().unwrap_or(false) {
            continue;
        }
        if let Some((api, name)) = op.split_once('.') {
            if name == action {
                return match api {
                    "support" => format!(
                        "https://docs.aws.amazon.com/awssupport/latest/APIReference/API_{name}.html"
                    ),
                    "trustedadvisor" => {
                        format!(
                            "https://docs.aws.amazon.com/trustedadvisor/latest/APIReference/API_{name}.html"
                        )
                    }
                    _ => String::new(),
                };
            }
        }
    }
    String::new()
}

pub(super) fn add_details(
    m: &mut Model,
    support: &SharedService,
    trustedadvisor: &SharedService,
    workflows: &WorkflowsFile,
    in_sdk: &HashMap<String, bool>,
    root: &Path,
) -> Result<()> {
    for (prefix, service) in [("support", support), ("trustedadvisor", trustedadvisor)] {
        for a in &service.actions {
            m.details.push(Detail {
                prefix: prefix.to_string(),
                name: a.name.clone(),
                console_only: a.console_only,
                permission_only: a.sar_permission_only,
                internally_managed: a.sar_internally_managed,
                api_operations: a.api_operations.clone(),
                first_seen: a.first_seen.clone().unwrap_or_default(),
                reference_url: reference_url(prefix),
                api_reference_url: api_reference_url(&a.name, &a.api_operations, in_sdk),
                description: a.summary.clone(),
                notes: a.notes.clone(),
            });
        }
    }
    // Actions only the npm data knows (see compare_with_npm) still need a record.
    let known: HashSet<(String, String)> = m
        .details
        .iter()
        .map(|d| (d.prefix.clone(), lower(&d.name)))
        .collect();
    let extra: Vec<Detail> = m
        .actions
        .iter()
        .filter(|a| {
            (a.prefix == "support" || a.prefix == "trustedadvisor")
                && !known.contains(&(a.prefix.clone(), lower(&a.name)))
        })
        .map(|a| Detail {
            prefix: a.prefix.clone(),
            name: a.name.clone(),
            console_only: false,
            permission_only: false,
            internally_managed: false,
            api_operations: Vec::new(),
            first_seen: m.info.iam_data_updated.clone(),
            reference_url: reference_url(&a.prefix),
            api_reference_url: String::new(),
            description: "New action; the project has not described it yet.".into(),
            notes: vec![
                "Added by gen-catalog from iam-data; not in the curated shared data.".into(),
            ],
        })
        .collect();
    m.details.extend(extra);

    // support-console: actions from the main data, facts from the shared file, our descriptions.
    let descriptions = curated_map(
        root,
        "support-console-descriptions.tsv",
        &["action", "description"],
    )?;
    let console = workflows.related_namespaces.get("support-console");
    let console_actions: Vec<Action> = m
        .actions
        .iter()
        .filter(|a| a.prefix == "support-console")
        .cloned()
        .collect();
    if console_actions.is_empty() {
        return Err("no support-console actions in the source data".into());
    }
    for a in &console_actions {
        if let Some(level) = console.and_then(|c| c.actions.get(&a.name)) {
            if *level != a.level {
                eprintln!(
                    "note: support-console:{}: shared data says {level}, iam-data {}",
                    a.name, a.level
                );
            }
        } else {
            eprintln!(
                "note: support-console:{} is not in the shared related_namespaces list",
                a.name
            );
        }
        let description = match descriptions.get(&a.name) {
            Some(d) => d.clone(),
            None => {
                eprintln!(
                    "warning: support-console:{} has no description in data/curated/",
                    a.name
                );
                "New action; the project has not described it yet.".into()
            }
        };
        m.details.push(Detail {
            prefix: "support-console".into(),
            name: a.name.clone(),
            console_only: true,
            permission_only: true,
            internally_managed: false,
            api_operations: Vec::new(),
            first_seen: String::new(),
            reference_url: reference_url("support-console"),
            api_reference_url: String::new(),
            description,
            notes: Vec::new(),
        });
    }
    Ok(())
}
