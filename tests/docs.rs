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
