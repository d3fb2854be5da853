//! The shared fact files (`../shared/data/`): the curated `support` and `trustedadvisor`
//! services, the Support Center workflows, the global condition keys and operators, and the
//! all-actions snapshot.

use std::collections::BTreeMap;
use std::path::Path;

use catalog_format::Result;
use serde::Deserialize;

use super::read_text;

#[derive(Deserialize)]
pub(crate) struct SharedService {
    pub(crate) name: String,
    pub(crate) data_as_of: String,
    pub(crate) actions: Vec<SharedAction>,
    #[serde(default)]
    pub(crate) removed_actions: Vec<SharedAction>,
    #[serde(default)]
    pub(crate) api_operations: Vec<SharedApiOperation>,
    #[serde(default)]
    pub(crate) resource_types: Vec<SharedResourceType>,
    #[serde(default)]
    pub(crate) condition_keys: Vec<SharedConditionKey>,
}

#[derive(Deserialize)]
pub(crate) struct SharedAction {
    pub(crate) name: String,
    pub(crate) access_level: String,
    #[serde(default)]
    pub(crate) resource_types: Vec<SharedResourceRef>,
    #[serde(default)]
    pub(crate) condition_keys: Vec<String>,
    #[serde(default)]
    pub(crate) dependent_actions: Vec<String>,
    #[serde(default)]
    pub(crate) api_operations: Vec<String>,
    #[serde(default)]
    pub(crate) console_only: bool,
    #[serde(default)]
    pub(crate) sar_permission_only: bool,
    #[serde(default)]
    pub(crate) sar_internally_managed: bool,
    pub(crate) first_seen: Option<String>,
    pub(crate) removed: Option<String>,
    #[serde(default)]
    pub(crate) summary: String,
    #[serde(default)]
    pub(crate) notes: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct SharedResourceRef {
    pub(crate) name: String,
    pub(crate) required: bool,
}

#[derive(Deserialize)]
pub(crate) struct SharedApiOperation {
    pub(crate) operation: String,
    pub(crate) qualified: String,
    pub(crate) authorizes: Vec<String>,
    pub(crate) in_sdk_model_snapshot: bool,
}

#[derive(Deserialize)]
pub(crate) struct SharedResourceType {
    pub(crate) name: String,
    pub(crate) arn: String,
    #[serde(default)]
    pub(crate) condition_keys: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct SharedConditionKey {
    #[serde(alias = "key")]
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) ty: String,
}

#[derive(Deserialize)]
pub(crate) struct WorkflowsFile {
    pub(crate) facts: Vec<SharedFact>,
    pub(crate) related_namespaces: BTreeMap<String, RelatedNamespace>,
    pub(crate) workflows: Vec<SharedWorkflow>,
}

#[derive(Deserialize)]
pub(crate) struct SharedFact {
    pub(crate) id: String,
    pub(crate) source: String,
    #[serde(default)]
    pub(crate) actions: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct RelatedNamespace {
    pub(crate) status: Option<String>,
    pub(crate) source: String,
    pub(crate) actions: BTreeMap<String, String>,
    pub(crate) note: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SharedWorkflow {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) channel: String,
    pub(crate) namespace: Option<String>,
    #[serde(default)]
    pub(crate) notes: Vec<String>,
    pub(crate) actions: Vec<SharedWorkflowAction>,
}

#[derive(Deserialize)]
pub(crate) struct SharedWorkflowAction {
    pub(crate) action: String,
    pub(crate) status: String,
    pub(crate) basis: String,
}

#[derive(Deserialize)]
pub(crate) struct GlobalKeysFile {
    pub(crate) keys: Vec<SharedGlobalKey>,
    #[serde(default)]
    pub(crate) legacy_keys: Vec<SharedGlobalKey>,
    #[serde(default)]
    pub(crate) sensitive_keys: Vec<String>,
    pub(crate) condition_operators: BTreeMap<String, Vec<String>>,
    pub(crate) if_exists: IfExistsInfo,
    pub(crate) all_operators: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct SharedGlobalKey {
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) ty: String,
    pub(crate) multivalued: bool,
    pub(crate) category: String,
    #[serde(default)]
    pub(crate) also_accepts: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct IfExistsInfo {
    pub(crate) operators: Vec<String>,
}

/// The `all-actions.tsv` snapshot of the shared data: rows and the date it was taken.
pub(crate) struct Snapshot {
    pub(crate) date: String,
    pub(crate) rows: Vec<(String, String, String)>,
}

pub(crate) fn load_snapshot(path: &Path) -> Result<Snapshot> {
    let text = read_text(path)?;
    let mut date = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix('#') {
            if date.is_empty() {
                if let Some(pos) = comment.find("updatedAt ") {
                    date = comment[pos + "updatedAt ".len()..]
                        .chars()
                        .take(10)
                        .collect();
                }
            }
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 3 || fields == ["prefix", "action", "access_level"] {
            continue;
        }
        rows.push((
            fields[0].to_string(),
            fields[1].to_string(),
            fields[2].to_string(),
        ));
    }
    if date.is_empty() {
        return Err(format!(
            "{}: no `updatedAt` date in its header",
            path.display()
        ));
    }
    Ok(Snapshot { date, rows })
}
