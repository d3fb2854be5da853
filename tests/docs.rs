//! The documentation tells the truth: every rule code is documented and every documented
//! code exists; README's test command is the one CI runs.

use iam_policy_lsp::analysis::ALL_CODES;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn rules_md_documents_exactly_the_rule_codes() {
    let rules = read("docs/rules.md");
    let documented: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.strip_prefix("### `").and_then(|l| l.strip_suffix('`')))
        .collect();
    let codes: Vec<&str> = ALL_CODES.iter().map(|c| c.as_str()).collect();
    for code in &codes {
        assert!(
            documented.contains(code),
            "docs/rules.md does not document `{code}`"
        );
    }
    for code in &documented {
        assert!(
            codes.contains(code),
            "docs/rules.md documents `{code}`, which no rule has"
        );
    }
}

#[test]
fn readme_run_command_is_what_ci_runs() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    let command = readme
        .lines()
        .find(|l| l.trim().starts_with("cargo run"))
        .expect("README gives a cargo run command")
        .trim();
    let args = command
        .strip_prefix("cargo run --release -- ")
        .expect("README runs the release build");
    assert!(
        ci.contains(&format!("cargo run --release --locked -- {args}")),
        ".ci/run does not run README's `{command}`"
    );
}

#[test]
fn readme_test_command_is_what_ci_runs() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    let command = readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("cargo test"))
        .map(|rest| {
            format!(
                "cargo test{}",
                rest.split('#').next().unwrap_or("").trim_end()
            )
        })
        .expect("README gives a cargo test command");
    assert!(
        ci.contains(&command),
        ".ci/run does not run README's `{command}`"
    );
}

#[test]
fn access_analyzer_md_maps_each_of_the_138_checks_to_existing_codes() {
    let doc = read("docs/access-analyzer.md");
    let codes: Vec<&str> = ALL_CODES.iter().map(|c| c.as_str()).collect();
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| l.starts_with("| ") && l.as_bytes().get(2).is_some_and(u8::is_ascii_digit))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert_eq!(rows.len(), 138, "one row per Access Analyzer check");
    let mut counts = std::collections::BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 6, "row {}: {row:?}", i + 1);
        assert_eq!(row[0], (i + 1).to_string(), "rows numbered in order");
        let named: Vec<&str> = row[3].split('`').skip(1).step_by(2).collect();
        for code in &named {
            assert!(
                codes.contains(code),
                "row {}: `{code}` is no rule code",
                i + 1
            );
        }
        let coverage = row[4];
        match coverage {
            "yes" | "partly" => assert!(
                !named.is_empty(),
                "row {}: {coverage} without a code",
                i + 1
            ),
            "not yet" | "obsolete" => {
                assert!(named.is_empty(), "row {}: {coverage} with a code", i + 1)
            }
            other => panic!("row {}: coverage {other:?}", i + 1),
        }
        assert!(
            coverage == "yes" || !row[5].is_empty(),
            "row {}: say what is missing",
            i + 1
        );
        *counts.entry(coverage).or_insert(0) += 1;
    }
    let summary = format!(
        "Summary: {} yes, {} partly, {} not yet, {} obsolete.",
        counts.get("yes").unwrap_or(&0),
        counts.get("partly").unwrap_or(&0),
        counts.get("not yet").unwrap_or(&0),
        counts.get("obsolete").unwrap_or(&0)
    );
    assert!(
        doc.contains(&summary),
        "the summary line should read: {summary}"
    );
}
