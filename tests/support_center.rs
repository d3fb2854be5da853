//! Support Center impact, as specifications: a policy, the findings it must produce (code,
//! severity, the exact text flagged, key words of the message, `data`), and the fixes that
//! must remove them. Corpus policies are read in place (`IAM_POLICY_CORPUS`).

mod common;

use iam_policy_lsp::analysis::{Finding, Options, Severity, analyze};
use serde_json::json;

const SUPPORT_RULES: &[&str] = &[
    "deny-breaks-support-center",
    "support-console-not-exempt",
    "missing-support-console",
    "support-resource-not-star",
    "trusted-advisor-namespace",
    "incomplete-support-workflow",
];

/// The Support Center findings of a policy: (code, severity, flagged text, finding).
fn support_findings(text: &str) -> Vec<(String, Severity, String, Finding)> {
    analyze(text, &Options::default())
        .findings
        .into_iter()
        .filter(|f| SUPPORT_RULES.contains(&f.code.as_str()))
        .map(|f| {
            (
                f.code.as_str().to_string(),
                f.severity,
                text[f.range.as_usize()].to_string(),
                f,
            )
        })
        .collect()
}

fn codes(text: &str) -> Vec<String> {
    support_findings(text).into_iter().map(|f| f.0).collect()
}

fn only(text: &str, code: &str) -> (Severity, String, Finding) {
    let found: Vec<_> = support_findings(text)
        .into_iter()
        .filter(|f| f.0 == code)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {code} in {text}, got {found:#?}"
    );
    let (_, severity, flagged, finding) = found.into_iter().next().unwrap();
    (severity, flagged, finding)
}

fn policy(statements: &str) -> String {
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{statements}\n  ]\n}}\n")
}

/// Applies the first preferred fix of the finding, then checks the result is JSON and the
/// finding is gone.
fn apply_fix(text: &str, finding: &Finding) -> String {
    let fix = finding
        .fixes
        .iter()
        .find(|f| f.preferred)
        .or(finding.fixes.first())
        .expect("a fix");
    let out = fix.apply(text);
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap_or_else(|e| panic!("fix made invalid JSON ({e}):\n{out}"));
    out
}

/// A corpus file for `test`, or `None` (the test skips) when the corpus is not there.
fn corpus(test: &str, name: &str) -> Option<String> {
    let dir = common::corpus_or_skip(&format!("support_center::{test}"))?;
    Some(std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

#[test]
fn deny_support_star_removes_support_center() {
    // AWS's documentation example of denying AWS Support (same shape, our own text).
    let text = policy(r#"    {"Effect": "Deny", "Action": "support:*", "Resource": "*"}"#);
    let (severity, flagged, finding) = only(&text, "deny-breaks-support-center");
    assert_eq!(severity, Severity::Information);
    assert_eq!(flagged, "\"support:*\"");
    assert!(
        finding
            .message
            .contains("Support Center is unavailable to the principals this policy applies to"),
        "{}",
        finding.message
    );
    let data = finding.data.unwrap();
    assert_eq!(data["conditional"], false);
    assert!(
        data["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("support:DescribeSupportLevel"))
    );
    assert!(
        data["workflows"]
            .as_array()
            .unwrap()
            .contains(&json!("create-case"))
    );
    assert!(
        finding.fixes.is_empty(),
        "denying support:* is deliberate: no fix"
    );
}

#[test]
fn deny_all_removes_support_center() {
    // The shape of AWSDenyAll.
    let text = policy(r#"    {"Effect": "Deny", "Action": "*", "Resource": "*"}"#);
    let (severity, flagged, finding) = only(&text, "deny-breaks-support-center");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Information, "\"*\"")
    );
    let data = finding.data.unwrap();
    assert!(
        data["workflows"]
            .as_array()
            .unwrap()
            .contains(&json!("trusted-advisor-console"))
    );
    assert!(
        data["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("support-console:GetAccountState"))
    );
    // Both namespaces denied: Trusted Advisor is not blocked "through one namespace only".
    assert!(!codes(&text).contains(&"trusted-advisor-namespace".to_string()));
}

#[test]
fn deny_support_describe_breaks_named_workflows_and_is_fixed() {
    let text = policy(
        "    {\"Effect\": \"Allow\", \"Action\": \"support:*\", \"Resource\": \"*\"},\n    {\"Effect\": \"Deny\", \"Action\": [\"s3:DeleteBucket\", \"support:Describe*\"], \"Resource\": \"*\"}",
    );
    let (severity, flagged, finding) = only(&text, "deny-breaks-support-center");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Warning, "\"support:Describe*\"")
    );
    assert!(
        finding.message.starts_with("Deny \"support:Describe*\" breaks Support Center: DescribeSupportLevel (identify the support plan), DescribeIssueTypes (create a support case), "),
        "{}",
        finding.message
    );
    assert!(
        finding
            .message
            .contains("DescribeCaseAttributes (view cases and their correspondence)")
    );
    let data = finding.data.as_ref().unwrap();
    assert_eq!(data["conditional"], false);
    let actions = data["actions"].as_array().unwrap();
    assert!(actions.contains(&json!("support:DescribeCases")));
    assert!(!actions.contains(&json!("support:CreateCase")));
    // Related information points at the Allow that grants what the Deny removes.
    assert_eq!(&text[finding.related[0].range.as_usize()], "\"support:*\"");
    // The fix keeps the Deny on every Describe action Support Center does not call itself.
    let fixed = apply_fix(&text, &finding);
    assert!(fixed.contains("\"support:DescribeCases\""), "{fixed}");
    assert!(
        fixed.contains("\"support:DescribeTrustedAdvisorChecks\""),
        "{fixed}"
    );
    assert!(!fixed.contains("DescribeSupportLevel"), "{fixed}");
    assert!(
        !codes(&fixed).contains(&"deny-breaks-support-center".to_string()),
        "{fixed}"
    );
}

#[test]
fn mixed_case_mid_name_wildcard() {
    let text = policy(r#"    {"Effect": "Deny", "Action": ["SUPPORT:*forcase"], "Resource": "*"}"#);
    let (severity, flagged, finding) = only(&text, "deny-breaks-support-center");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Warning, "\"SUPPORT:*forcase\"")
    );
    assert!(
        finding
            .message
            .contains("InitiateCallForCase (get a phone call from an agent)"),
        "{}",
        finding.message
    );
    assert!(
        finding
            .message
            .contains("InitiateChatForCase (chat live with an agent)"),
        "{}",
        finding.message
    );
    // Every action it matches is one Support Center calls: the fix removes the token.
    assert!(finding.fixes.is_empty() || !apply_fix(&text, &finding).contains("forcase"));
}

#[test]
fn region_scp_exempting_support_but_not_trusted_advisor() {
    let text = policy(
        r#"    {"Sid": "DenyOutsideEU", "Effect": "Deny", "NotAction": ["iam:*", "support:*", "support-console:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}"#,
    );
    let (severity, flagged, finding) = only(&text, "support-console-not-exempt");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Warning, "\"NotAction\"")
    );
    assert!(
        finding.message.contains("not \"trustedadvisor:*\""),
        "{}",
        finding.message
    );
    assert!(
        finding
            .message
            .contains("(conditional: only in regions other than eu-west-1)"),
        "{}",
        finding.message
    );
    assert_eq!(
        finding.data.as_ref().unwrap()["missing"],
        json!(["trustedadvisor:*"])
    );
    assert!(!codes(&text).contains(&"deny-breaks-support-center".to_string()));
    let fixed = apply_fix(&text, &finding);
    assert!(
        fixed.contains(r#""support-console:*", "trustedadvisor:*"]"#),
        "{fixed}"
    );
    assert!(codes(&fixed).is_empty(), "{fixed}");
}

#[test]
fn corpus_region_scps_exempt_support_but_not_support_console() {
    for name in [
        "aws-scp-examples__Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region.json",
        "aws-orgs-docs-2023__scps_examples_general__deny-all-outside-eu.json",
    ] {
        let Some(text) = corpus(
            "corpus_region_scps_exempt_support_but_not_support_console",
            name,
        ) else {
            return;
        };
        let (_, flagged, finding) = only(&text, "support-console-not-exempt");
        assert_eq!(flagged, "\"NotAction\"", "{name}");
        assert_eq!(
            finding.data.as_ref().unwrap()["missing"],
            json!(["support-console:*"]),
            "{name}"
        );
        assert_eq!(
            finding.data.as_ref().unwrap()["conditional"],
            true,
            "{name}"
        );
        let fixed = apply_fix(&text, &finding);
        assert!(
            !codes(&fixed).contains(&"support-console-not-exempt".to_string()),
            "{name}"
        );
    }
}

#[test]
fn not_action_guardrail_exempting_nothing_of_support() {
    let text = policy(
        "    {\n      \"Effect\": \"Deny\",\n      \"NotAction\": [\n        \"iam:*\",\n        \"sts:*\"\n      ],\n      \"Resource\": \"*\"\n    }",
    );
    let (severity, flagged, finding) = only(&text, "deny-breaks-support-center");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Information, "\"NotAction\"")
    );
    assert!(
        finding
            .message
            .contains("exempt \"support:*\", \"support-console:*\" and \"trustedadvisor:*\""),
        "{}",
        finding.message
    );
    let fixed = apply_fix(&text, &finding);
    assert!(fixed.contains("        \"sts:*\",\n        \"support:*\",\n        \"support-console:*\",\n        \"trustedadvisor:*\"\n"), "{fixed}");
    assert!(codes(&fixed).is_empty(), "{fixed}");

    // A real one: deny everything but MFA self-service until MFA is present (conditional).
    let Some(text) = corpus(
        "not_action_guardrail_exempting_nothing_of_support",
        "iam-docs__reference_policies_examples_aws_my-sec-creds-self-manage.json",
    ) else {
        return;
    };
    let (severity, _, finding) = only(&text, "deny-breaks-support-center");
    assert_eq!(severity, Severity::Information);
    assert_eq!(finding.data.as_ref().unwrap()["conditional"], true);
    assert!(finding.message.contains("aws:MultiFactorAuthPresent"));
}

#[test]
fn allow_scoped_to_a_case_arn_grants_nothing() {
    let text = policy(
        r#"    {"Effect": "Allow", "Action": ["support:CreateCase", "support:DescribeCases"], "Resource": "arn:aws:support::111122223333:case/*"}"#,
    );
    let (severity, flagged, finding) = only(&text, "support-resource-not-star");
    assert_eq!(
        (severity, flagged.as_str()),
        (
            Severity::Warning,
            "\"arn:aws:support::111122223333:case/*\""
        )
    );
    assert!(
        finding.message.contains("grants nothing"),
        "{}",
        finding.message
    );
    let fixed = apply_fix(&text, &finding);
    assert!(fixed.contains(r#""Resource": "*""#));
    assert!(!codes(&fixed).contains(&"support-resource-not-star".to_string()));

    let deny = policy(
        r#"    {"Effect": "Deny", "Action": "support:*", "Resource": ["arn:aws:support::111122223333:case/*"]}"#,
    );
    let (_, _, finding) = only(&deny, "support-resource-not-star");
    assert!(
        finding.message.contains("denies nothing"),
        "{}",
        finding.message
    );
    // A Deny that cannot apply breaks nothing.
    assert!(!codes(&deny).contains(&"deny-breaks-support-center".to_string()));

    // Trusted Advisor checks have ARNs: scoping their actions is legitimate.
    let checks = policy(
        r#"    {"Effect": "Allow", "Action": ["trustedadvisor:RefreshCheck", "trustedadvisor:DescribeCheckItems"], "Resource": "arn:aws:trustedadvisor:*:111122223333:checks/security/*"}"#,
    );
    assert!(codes(&checks).is_empty(), "{:?}", codes(&checks));
    // `*` in an unrelated statement does not name support actions.
    let s3 =
        policy(r#"    {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"}"#);
    assert!(codes(&s3).is_empty(), "{:?}", codes(&s3));
}

#[test]
fn deny_of_resolve_case_only_is_not_flagged() {
    // AWS's own example: allow everything in Support but resolving a case.
    let Some(text) = corpus(
        "deny_of_resolve_case_only_is_not_flagged",
        "aws-support-docs__accessing-support__allow-all-except-resolvecase.json",
    ) else {
        return;
    };
    let found = codes(&text);
    assert!(
        !found.contains(&"deny-breaks-support-center".to_string()),
        "{found:?}"
    );
    // It does miss the support-console actions the console needs since November 16, 2026.
    assert_eq!(found, vec!["missing-support-console"]);
}

#[test]
fn other_services_named_like_support_are_not_flagged() {
    for action in ["supportplans:*", "supportapp:*", "supportauthz:*"] {
        let text = policy(&format!(
            r#"    {{"Effect": "Deny", "Action": "{action}", "Resource": "*"}}"#
        ));
        assert!(codes(&text).is_empty(), "{action}: {:?}", codes(&text));
    }
}

#[test]
fn conditions_on_keys_support_never_carries() {
    // A plain operator on a resource tag never matches a Support request: the Deny never applies.
    let plain = policy(
        r#"    {"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}"#,
    );
    assert!(codes(&plain).is_empty(), "{:?}", codes(&plain));
    let prefix = policy(
        r#"    {"Effect": "Deny", "Action": "support:Describe*", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}}"#,
    );
    assert!(codes(&prefix).is_empty(), "{:?}", codes(&prefix));
    // A negated operator on it always matches: the Deny applies, unconditionally.
    let negated = policy(
        r#"    {"Effect": "Deny", "Action": "support:Describe*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/env": "prod"}}}"#,
    );
    let (severity, _, finding) = only(&negated, "deny-breaks-support-center");
    assert_eq!(severity, Severity::Warning);
    assert_eq!(finding.data.unwrap()["conditional"], false);
    // A key a Support request may carry: conditional.
    let mfa = policy(
        r#"    {"Effect": "Deny", "Action": "support:Describe*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#,
    );
    let (_, _, finding) = only(&mfa, "deny-breaks-support-center");
    assert_eq!(finding.data.as_ref().unwrap()["conditional"], true);
    assert!(
        finding.message.contains(
            "(conditional: only when aws:MultiFactorAuthPresent is false, or when aws:MultiFactorAuthPresent is absent)"
        ),
        "{}",
        finding.message
    );
}

#[test]
fn trusted_advisor_blocked_through_one_namespace() {
    let console_only =
        policy(r#"    {"Effect": "Deny", "Action": "trustedadvisor:*", "Resource": "*"}"#);
    let (severity, flagged, finding) = only(&console_only, "trusted-advisor-namespace");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Information, "\"trustedadvisor:*\"")
    );
    assert!(
        finding.message.contains("DescribeTrustedAdvisorChecks"),
        "{}",
        finding.message
    );
    let fixed = apply_fix(&console_only, &finding);
    assert!(
        !codes(&fixed).contains(&"trusted-advisor-namespace".to_string()),
        "{fixed}"
    );

    let api_only = policy(
        r#"    {"Effect": "Deny", "Action": "support:DescribeTrustedAdvisor*", "Resource": "*"}"#,
    );
    let (_, _, finding) = only(&api_only, "trusted-advisor-namespace");
    assert!(
        finding.message.contains("the Trusted Advisor console"),
        "{}",
        finding.message
    );

    // AWS's own Trusted Advisor deny example, read in place.
    let Some(text) = corpus(
        "trusted_advisor_blocked_through_one_namespace",
        "aws-support-docs__security-trusted-advisor__deny-access.json",
    ) else {
        return;
    };
    assert_eq!(codes(&text), vec!["trusted-advisor-namespace"]);
}

#[test]
fn allow_without_support_console_and_its_fix() {
    let text = policy(
        "    {\n      \"Sid\": \"Cases\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\"support:CreateCase\", \"support:DescribeCases\"],\n      \"Resource\": \"*\"\n    }",
    );
    let (severity, flagged, finding) = only(&text, "missing-support-console");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Warning, "\"support:CreateCase\"")
    );
    assert!(
        finding.message.contains("support-console:GetAccountState"),
        "{}",
        finding.message
    );
    let fixed = apply_fix(&text, &finding);
    assert!(
        fixed.contains("      \"Sid\": \"SupportCenterConsole\",\n      \"Effect\": \"Allow\",\n"),
        "{fixed}"
    );
    assert!(
        !codes(&fixed).contains(&"missing-support-console".to_string()),
        "{fixed}"
    );
    // support-console:* anywhere in the policy satisfies it.
    let granted = policy(
        r#"    {"Effect": "Allow", "Action": ["support:*", "support-console:*"], "Resource": "*"}"#,
    );
    assert!(codes(&granted).is_empty(), "{:?}", codes(&granted));
}

#[test]
fn incomplete_workflow_is_a_hint_with_a_fix() {
    let text = policy(
        r#"    {"Effect": "Allow", "Action": ["support:CreateCase", "support-console:*"], "Resource": "*"}"#,
    );
    let (severity, flagged, finding) = only(&text, "incomplete-support-workflow");
    assert_eq!(
        (severity, flagged.as_str()),
        (Severity::Hint, "\"support:CreateCase\"")
    );
    assert!(
        finding.message.contains("DescribeServices"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("DescribeSeverityLevels"),
        "{}",
        finding.message
    );
    let fixed = apply_fix(&text, &finding);
    assert!(codes(&fixed).is_empty(), "{fixed}: {:?}", codes(&fixed));
}

#[test]
fn every_support_finding_on_the_corpus_is_sound() {
    let Some(dir) =
        common::corpus_or_skip("support_center::every_support_finding_on_the_corpus_is_sound")
    else {
        return;
    };
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (code, _, flagged, finding) in support_findings(&text) {
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(!flagged.is_empty(), "{name}: {code} has an empty range");
            if code == "deny-breaks-support-center" {
                let data = finding.data.as_ref().expect("data");
                assert!(
                    data["actions"].as_array().is_some_and(|a| !a.is_empty()),
                    "{name}"
                );
                assert!(
                    data["workflows"].as_array().is_some_and(|w| !w.is_empty()),
                    "{name}"
                );
                assert!(data["conditional"].is_boolean(), "{name}");
            }
            for fix in &finding.fixes {
                let out = fix.apply(&text);
                if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
                    assert!(
                        serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                        "{name}: fix '{}' breaks the JSON",
                        fix.title
                    );
                }
            }
        }
    }
}
