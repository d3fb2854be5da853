//! Over the AWS managed policies of the shared corpus (`iam-dataset__*`, `mamip__*`), every
//! finding on an action absent from the current AWS data (`unknown-action`,
//! `unknown-service`, `removed-action`, `removed-service`, `undocumented-action`) names an
//! action that is truly absent, and every such action is found: checked against an
//! independent reading of the policies (serde_json) and of the catalogue (every action's name,
//! and a naive wildcard matcher), so wildcards, case and NotAction never produce a false
//! finding. What AWS's own policies carry (retired services, actions AWS never published in
//! the service reference) is listed explicitly, and none of it is `unknown-*`.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use iam_policy_lsp::analysis::{Options, Severity, analyze};
use iam_policy_lsp::catalog;

/// (file, code, the action strings flagged, in document order).
const EXPECTED: &[(&str, &str, &[&str])] = &[
    (
        "iam-dataset__AWSManagedSettingsAdminAccess.json",
        "undocumented-action",
        &[
            // Granted by AWS, absent from the reference (Budgets' documented actions are
            // ViewBudget / ModifyBudget; builderid and payments are not documented at all).
            "budgets:UpdateBudget",
            "budgets:CreateBudget",
            "budgets:DeleteBudget",
            "budgets:DescribeBudgets",
            "budgets:DescribeBudget",
            "builderid:CreateInvitation",
            "builderid:DeleteInvitation",
            "builderid:DisassociateCollaborator",
            "builderid:ListInvitations",
            "organizations:CreateBuilderIdOwnedAccount",
            "payments:BatchGetPaymentProfiles",
            "payments:AcceptTermsAndConditionsForProgramByAccountId",
            "payments:CreatePaymentAttempt",
            "payments:CreatePaymentProfile",
            "payments:Get",
            "payments:GetAcceptedTermsAndConditionsForProgramByAccountId",
            "payments:GetEligibleCurrencies",
            "payments:GetPaymentAttempt",
            "payments:GetPaymentPreferences",
            "payments:GetPreferredCurrency",
            "payments:GetRecommendedTermsAndConditionsForProgram",
            "payments:ListPaymentProfiles",
            "payments:SearchFinancialRecords",
            "payments:SetPreferredCurrency",
            "payments:UpdatePaymentProfile",
            "payments:GetAccountBalance",
            "payments:GetDefaultPaymentProfile",
            "organizations:CreateBuilderIdOwnedAccount",
        ],
    ),
    (
        "iam-dataset__ReadOnlyAccess.json",
        "removed-service",
        &[
            // Services AWS retired.
            "deepcomposer:GetComposition",
            "deepcomposer:GetModel",
            "deepcomposer:GetSampleModel",
            "deepcomposer:ListCompositions",
            "deepcomposer:ListModels",
            "deepcomposer:ListSampleModels",
            "deepcomposer:ListTrainingTopics",
            "iot1click:DescribeDevice",
            "iot1click:DescribePlacement",
            "iot1click:DescribeProject",
            "iot1click:GetDeviceMethods",
            "iot1click:GetDevicesInPlacement",
            "iot1click:ListDeviceEvents",
            "iot1click:ListDevices",
            "iot1click:ListPlacements",
            "iot1click:ListProjects",
            "iot1click:ListTagsForResource",
        ],
    ),
    (
        "iam-dataset__SecurityAudit.json",
        "removed-service",
        &["deepracer:ListModels"],
    ),
    (
        "mamip__ReadOnlyAccess.json",
        "removed-action",
        &[
            // In earlier versions of the reference data, not in the current one.
            "account:GetChallengeQuestions",
        ],
    ),
    (
        "mamip__ReadOnlyAccess.json",
        "removed-service",
        &[
            "deepcomposer:GetComposition",
            "deepcomposer:GetModel",
            "deepcomposer:GetSampleModel",
            "deepcomposer:ListCompositions",
            "deepcomposer:ListModels",
            "deepcomposer:ListSampleModels",
            "deepcomposer:ListTrainingTopics",
            "elastic-inference:DescribeAcceleratorOfferings",
            "elastic-inference:DescribeAccelerators",
            "elastic-inference:DescribeAcceleratorTypes",
            "elastic-inference:ListTagsForResource",
            "iot1click:DescribeDevice",
            "iot1click:DescribePlacement",
            "iot1click:DescribeProject",
            "iot1click:GetDeviceMethods",
            "iot1click:GetDevicesInPlacement",
            "iot1click:ListDeviceEvents",
            "iot1click:ListDevices",
            "iot1click:ListPlacements",
            "iot1click:ListProjects",
            "iot1click:ListTagsForResource",
            "iotroborunner:GetDestination",
            "iotroborunner:GetSite",
            "iotroborunner:GetWorker",
            "iotroborunner:GetWorkerFleet",
            "iotroborunner:ListDestinations",
            "iotroborunner:ListSites",
            "iotroborunner:ListWorkerFleets",
            "iotroborunner:ListWorkers",
            "sagemaker-groundtruth-synthetic:GetAccountDetails",
            "sagemaker-groundtruth-synthetic:GetBatch",
            "sagemaker-groundtruth-synthetic:GetProject",
            "sagemaker-groundtruth-synthetic:ListBatchDataTransfers",
            "sagemaker-groundtruth-synthetic:ListBatchSummaries",
            "sagemaker-groundtruth-synthetic:ListProjectDataTransfers",
            "sagemaker-groundtruth-synthetic:ListProjectSummaries",
        ],
    ),
];

/// The managed policies of the corpus, by file name, or `None` (the test skips) when the
/// corpus is not there.
fn managed_policies(test: &str) -> Option<Vec<(String, String)>> {
    let dir = common::corpus_or_skip(test)?;
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("read the corpus folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_string_lossy().into_owned();
            let managed = name.starts_with("iam-dataset__") || name.starts_with("mamip__");
            (managed && name.ends_with(".json")).then(|| {
                let text = std::fs::read_to_string(&path).expect("UTF-8");
                (name, text)
            })
        })
        .collect();
    files.sort();
    assert!(files.len() >= 45, "only {} managed policies", files.len());
    Some(files)
}

/// Every `Action` / `NotAction` string of every statement (any object with `Effect`).
fn action_strings(value: &serde_json::Value, out: &mut Vec<(String, bool)>) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("Effect") {
                for (key, negated) in [("Action", false), ("NotAction", true)] {
                    match map.get(key) {
                        Some(serde_json::Value::String(s)) => out.push((s.clone(), negated)),
                        Some(serde_json::Value::Array(items)) => out.extend(
                            items
                                .iter()
                                .filter_map(|i| i.as_str())
                                .map(|s| (s.to_string(), negated)),
                        ),
                        _ => {}
                    }
                }
            }
            map.values().for_each(|v| action_strings(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| action_strings(v, out)),
        _ => {}
    }
}

/// A naive IAM wildcard match over lower-cased ASCII (the reference, not the product's).
fn glob(p: &[u8], t: &[u8]) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some((b'*', rest)) => (0..=t.len()).any(|i| glob(rest, &t[i..])),
        Some((b'?', rest)) => !t.is_empty() && glob(rest, &t[1..]),
        Some((c, rest)) => t.first() == Some(c) && glob(rest, &t[1..]),
    }
}

/// The current AWS actions, lower-cased, by service prefix.
struct Reference {
    by_service: HashMap<String, Vec<String>>,
    all: HashSet<String>,
}

impl Reference {
    fn new() -> Self {
        let mut by_service: HashMap<String, Vec<String>> = HashMap::new();
        let mut all = HashSet::new();
        for action in catalog::all_actions() {
            let full = action.to_string().to_ascii_lowercase();
            by_service
                .entry(action.prefix().to_string())
                .or_default()
                .push(full.clone());
            all.insert(full);
        }
        Self { by_service, all }
    }

    /// Whether the string names (or matches) at least one current action.
    fn exists(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        if !lower.contains(['*', '?']) {
            return self.all.contains(&lower);
        }
        let service = lower.split(':').next().unwrap_or("");
        let candidates: Box<dyn Iterator<Item = &String>> = if service.contains(['*', '?']) {
            Box::new(self.all.iter())
        } else {
            Box::new(self.by_service.get(service).into_iter().flatten())
        };
        candidates
            .into_iter()
            .any(|a| glob(lower.as_bytes(), a.as_bytes()))
    }
}

#[test]
fn unknown_actions_in_managed_policies_are_truly_absent() {
    let Some(policies) =
        managed_policies("corpus_catalog::unknown_actions_in_managed_policies_are_truly_absent")
    else {
        return;
    };
    let reference = Reference::new();
    // The older shared snapshot (2026-08-21), when present: the flagged actions were not
    // there either, so they are not a catalogue gap.
    let snapshot: Option<HashSet<String>> = common::corpus_dir()
        .and_then(|dir| std::fs::read_to_string(dir.join("../../data/all-actions.tsv")).ok())
        .map(|text| {
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let mut cols = l.split('\t');
                    Some(format!("{}:{}", cols.next()?, cols.next()?).to_ascii_lowercase())
                })
                .collect()
        });
    let mut got: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut checked = 0usize;
    let mut negated_checked = 0usize;
    let mut wildcards_checked = 0usize;
    for (name, text) in policies {
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let mut strings = Vec::new();
        action_strings(&json, &mut strings);
        let analysis = analyze(&text, &Options::default());
        let mut flagged: Vec<(String, String)> = Vec::new();
        for f in &analysis.findings {
            let code = f.code.as_str();
            assert!(
                !matches!(
                    code,
                    "wildcard-matches-nothing" | "invalid-action-format" | "unknown-condition-key"
                ),
                "{name}: {code} {}",
                f.message
            );
            if code == "action-case" {
                assert_eq!(f.severity, Severity::Hint);
            }
            // Each names an action absent from the reference: unknown, or explained (removed
            // from the reference, a retired service, an action AWS uses undocumented).
            let unknown = matches!(code, "unknown-action" | "unknown-service");
            let severity = match code {
                "unknown-action" | "unknown-service" | "removed-action" => Severity::Warning,
                "undocumented-action" | "removed-service" => Severity::Information,
                _ => continue,
            };
            assert_eq!(f.severity, severity, "{name}: {}", f.message);
            let token: String = serde_json::from_str(&text[f.range.as_usize()])
                .expect("the range is a string token");
            assert!(
                !reference.exists(&token),
                "{name}: {code} on {token}, which the catalogue has"
            );
            if let (true, Some(snapshot)) = (unknown, &snapshot) {
                assert!(
                    !snapshot.contains(&token.to_ascii_lowercase()),
                    "{name}: {token} is in the older snapshot: a removal, not an unknown action"
                );
            }
            flagged.push((code.to_string(), token));
        }
        // Completeness, and no false finding: exactly the strings that name no current action.
        let mut absent: Vec<String> = Vec::new();
        for (s, negated) in &strings {
            checked += 1;
            negated_checked += usize::from(*negated);
            wildcards_checked += usize::from(s.contains(['*', '?']));
            if s.chars().all(|c| c == '*') {
                continue;
            }
            if !reference.exists(s) {
                absent.push(s.clone());
            }
        }
        let mut flagged_tokens: Vec<String> = flagged.iter().map(|(_, t)| t.clone()).collect();
        flagged_tokens.sort();
        absent.sort();
        assert_eq!(flagged_tokens, absent, "{name}");
        for (code, token) in flagged {
            got.entry((name.clone(), code)).or_default().push(token);
        }
    }
    assert!(checked > 10_000, "{checked} action strings");
    assert!(
        negated_checked > 0 && wildcards_checked > 100,
        "{negated_checked} {wildcards_checked}"
    );
    let expected: BTreeMap<(String, String), Vec<String>> = EXPECTED
        .iter()
        .map(|(file, code, actions)| {
            (
                (file.to_string(), code.to_string()),
                actions.iter().map(|a| a.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}
