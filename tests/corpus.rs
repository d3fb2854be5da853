//! Every policy of the shared corpus (real policies from AWS and others, read in place;
//! `IAM_POLICY_CORPUS` overrides the folder): no panic, ranges on character boundaries, the
//! invalid JSON files flagged, AWS managed policies free of errors, and every other error
//! finding listed here explicitly.

mod common;

use std::collections::BTreeMap;

use iam_policy_lsp::analysis::{Options, Severity, analyze};
use iam_policy_lsp::policy::Selection;

/// Files with error-severity findings, and the codes expected (sorted, with repeats).
const EXPECTED_ERRORS: &[(&str, &[&str])] = &[
    (
        "aws-scp-examples__Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json",
        &["json-syntax"],
    ),
    (
        "lza__test-configs__all-enabled__resource-policies__s3.json",
        &["json-syntax"],
    ),
    (
        "lza__test-configs__snapshot-only__service-control-policies__data-perimeter.json",
        &["json-syntax"],
    ),
    (
        "parliament__test_formatting__duplicate_sids.json",
        &["duplicate-sid"],
    ),
    (
        "parliament__test_formatting__invalid_sid.json",
        &["invalid-sid"],
    ),
    (
        "parliament__test_formatting__no_action.json",
        &["missing-action"],
    ),
    (
        "parliament__test_formatting__no_statement.json",
        &["missing-statement"],
    ),
    (
        "parliament__test_formatting__not_json.json",
        &["json-syntax"],
    ),
    (
        "parliament__test_formatting__opposites.json",
        &["action-and-notaction"],
    ),
    (
        "primeharbor__ResourceControlPolicies__Sec-ProtectKMSandSecrets__block0.json",
        &["json-syntax"],
    ),
];

/// The corpus files, or `None` (the test skips) when the corpus is not there.
fn corpus(test: &str) -> Option<Vec<(String, String)>> {
    let dir = common::corpus_or_skip(test)?;
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("read the corpus folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then(|| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (
                    name,
                    std::fs::read_to_string(&path).expect("corpus files are UTF-8"),
                )
            })
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 140,
        "only {} corpus files in {}",
        files.len(),
        dir.display()
    );
    Some(files)
}

#[test]
fn every_corpus_policy_is_analysed_as_expected() {
    let Some(corpus) = corpus("corpus::every_corpus_policy_is_analysed_as_expected") else {
        return;
    };
    let options = Options {
        selection: Selection::Always,
        ..Options::default()
    };
    let mut invalid_json = 0;
    let mut got: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, text) in corpus {
        let analysis = analyze(&text, &options);
        for f in &analysis.findings {
            let r = f.range.as_usize();
            assert!(
                r.start <= r.end
                    && r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end),
                "{name}: finding range {r:?} out of bounds"
            );
        }
        let mut errors: Vec<&str> = analysis
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.as_str())
            .collect();
        errors.sort();
        errors.dedup();
        let is_valid_json = serde_json::from_str::<serde_json::Value>(&text).is_ok();
        if !is_valid_json {
            invalid_json += 1;
            assert!(
                errors.contains(&"json-syntax"),
                "{name} is not valid JSON but got no json-syntax error"
            );
        } else {
            assert!(
                !errors.contains(&"json-syntax"),
                "{name} is valid JSON but got a json-syntax error"
            );
        }
        if name.starts_with("iam-dataset__") || name.starts_with("mamip__") {
            assert!(
                errors.is_empty(),
                "AWS managed policy {name} got errors {errors:?}"
            );
        }
        if !errors.is_empty() {
            got.insert(name, errors);
        }
    }
    assert_eq!(
        invalid_json, 5,
        "the corpus has five files that are not valid JSON"
    );
    let expected: BTreeMap<String, Vec<&str>> = EXPECTED_ERRORS
        .iter()
        .map(|(name, codes)| (name.to_string(), codes.to_vec()))
        .collect();
    assert_eq!(got, expected);
}
