//! The rules' helpers against their definitions.

use super::deny::contains_ignoring_case;
use super::resource::names_support;
use crate::support::universe::TRUSTED_ADVISOR;
use crate::syntax::Str;
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

/// `n_allow` statements allowing `*` (the first `n_other` of them `s3:*` instead), then
/// `n_deny` denying `support:*`.
fn allows_then_denies(n_other: usize, n_allow: usize, n_deny: usize) -> String {
    let mut statements = Vec::new();
    for i in 0..n_allow {
        let action = if i < n_other { "s3:*" } else { "*" };
        statements.push(format!(
            r#"{{"Sid": "A{i}", "Effect": "Allow", "Action": "{action}", "Resource": "*"}}"#
        ));
    }
    for i in 0..n_deny {
        statements.push(format!(
            r#"{{"Sid": "D{i}", "Effect": "Deny", "Action": "support:*", "Resource": "*"}}"#
        ));
    }
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(",\n")
    )
}

fn deny_findings(text: &str, settings: serde_json::Value) -> Vec<crate::analysis::Finding> {
    let (config, problems) = crate::analysis::Config::from_json(&settings);
    assert!(problems.is_empty(), "{problems:?}");
    let options = crate::analysis::Options {
        config,
        ..Default::default()
    };
    crate::analysis::analyze(text, &options)
        .findings
        .into_iter()
        .filter(|f| f.code == crate::analysis::Code::DenyBreaksSupportCenter)
        .collect()
}

#[test]
fn a_deny_names_the_first_allows_that_grant_what_it_removes_up_to_the_limit() {
    // Three Allows of `*`: all named, in order (those of `s3:*` grant nothing it removes).
    let text = allows_then_denies(2, 5, 1);
    let findings = deny_findings(&text, serde_json::json!({}));
    let related: Vec<&str> = findings[0]
        .related
        .iter()
        .map(|r| &text[r.range.as_usize()])
        .collect();
    assert_eq!(related, ["\"*\"", "\"*\"", "\"*\""]);
    assert_eq!(
        findings[0].related[0].message,
        "statement \"A2\" allows DescribeSupportLevel, SearchForCases, CreateCase, DescribeServices, DescribeSeverityLevels, DescribeIssueTypes, and 33 more, which the Deny removes"
    );
    // Fifteen: the first ten, the last saying there are more.
    let text = allows_then_denies(0, 15, 2);
    for finding in deny_findings(&text, serde_json::json!({})) {
        let labels: Vec<String> = finding
            .related
            .iter()
            .map(|r| r.message.split(' ').nth(1).unwrap().to_string())
            .collect();
        let expected: Vec<String> = (0..10).map(|i| format!("\"A{i}\"")).collect();
        assert_eq!(labels, expected);
        assert!(
            finding.related[9]
                .message
                .ends_with("; later Allow statements grant some of it too, not listed: the `limits.maxRelated` setting lists the first 10"),
            "{}",
            finding.related[9].message
        );
        assert!(!finding.related[8].message.contains("later"));
    }
    // The setting raises the limit.
    let findings = deny_findings(&text, serde_json::json!({"limits": {"maxRelated": 15}}));
    assert_eq!(findings[0].related.len(), 15);
    assert!(!findings[0].related[14].message.contains("later"));
}

#[test]
fn two_thousand_allows_and_denies_cost_the_limit() {
    let text = allows_then_denies(0, 2_000, 2_000);
    let findings = deny_findings(&text, serde_json::json!({}));
    assert_eq!(findings.len(), 2_000);
    assert!(findings.iter().all(|f| f.related.len() == 10));
}
