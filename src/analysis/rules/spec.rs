//! The rules' specification helpers. Two shapes of table share them: findings rendered as
//! `code severity token` (`code_severity_token`, with the policy type declared or read from
//! the content), and `spec`: a snippet, the findings of the codes under test it must produce
//! (code, severity, exact text flagged, message, fixes), the nearest valid snippet, which must
//! produce none, and every fix applied, which must leave valid JSON without the finding where
//! it was.

use expect_test::Expect;

use crate::analysis::{Code, Finding, Options, analyze};
use crate::policy::{DeclaredType, PolicyType, Selection};

/// Options for a snippet checked as a policy, of the type `declared` (as `--policy-type`
/// takes it) or, without one, of the type its content says.
pub(crate) fn options(declared: Option<&str>) -> Options {
    Options {
        selection: Selection::Always,
        policy_type: declared.map(|d| DeclaredType {
            types: PolicyType::parse(d).expect("a type"),
            reason: format!("`--policy-type {d}`"),
        }),
        ..Options::default()
    }
}

/// `code severity token` for each finding of `codes`.
pub(crate) fn code_severity_token(
    text: &str,
    declared: Option<&str>,
    codes: &[Code],
) -> Vec<String> {
    analyze(text, &options(declared))
        .findings
        .iter()
        .filter(|f| codes.contains(&f.code))
        .map(|f| {
            format!(
                "{} {} {}",
                f.code.as_str(),
                f.severity.as_str(),
                &text[f.range.as_usize()]
            )
        })
        .collect()
}

/// A policy with these statements (JSON objects, comma-separated).
pub(crate) fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

/// A policy with one Allow statement on `*` with this condition.
pub(crate) fn allow_if(action: &str, condition: &str) -> String {
    policy(&format!(
        r#"{{"Effect": "Allow", "Action": {action}, "Resource": "*", "Condition": {condition}}}"#
    ))
}

pub(crate) fn findings(codes: &[Code], text: &str) -> Vec<Finding> {
    analyze(text, &Options::default())
        .findings
        .into_iter()
        .filter(|f| codes.contains(&f.code))
        .collect()
}

pub(crate) fn render(codes: &[Code], text: &str) -> String {
    let mut out = String::new();
    for f in findings(codes, text) {
        let fixes: Vec<&str> = f.fixes.iter().map(|x| x.title.as_str()).collect();
        out.push_str(&format!(
            "{} {} {:?}: {}{}\n",
            f.code.as_str(),
            f.severity.as_str(),
            &text[f.range.as_usize()],
            f.message,
            if fixes.is_empty() {
                String::new()
            } else {
                format!(" [fixes: {}]", fixes.join(" | "))
            }
        ));
    }
    out
}

pub(crate) fn spec(codes: &[Code], bad: &str, expected: Expect, good: &str) {
    expected.assert_eq(&render(codes, bad));
    assert_eq!(render(codes, good), "", "the valid snippet: {good}");
    for finding in findings(codes, bad) {
        for fix in &finding.fixes {
            let out = fix.apply(bad);
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{}: not JSON: {out}",
                fix.title
            );
            let left: Vec<Finding> = findings(codes, &out)
                .into_iter()
                .filter(|f| f.code == finding.code && f.range.start == finding.range.start)
                .collect();
            assert!(left.is_empty(), "{} left {left:?} in {out}", fix.title);
        }
    }
}

/// None of `texts` has a finding of `codes`.
pub(crate) fn silent(codes: &[Code], texts: &[String]) {
    for text in texts {
        assert_eq!(render(codes, text), "", "{text}");
    }
}
