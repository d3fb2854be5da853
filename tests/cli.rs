//! The command line, run as a user runs it: output formats, exit statuses, folders, bad input.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    common::command()
        .args(args)
        .output()
        .expect("run the binary")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh folder under the target directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const ALOW: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}\n";

#[test]
fn check_prints_compiler_style_lines_and_exits_1_on_errors() {
    let dir = scratch("cli-check");
    std::fs::write(dir.join("bad.json"), ALOW).unwrap();
    let output = run(&["check", dir.join("bad.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!(
        "{}:3:28: error[invalid-effect] Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"Alow\"\n",
        dir.join("bad.json").display()
    );
    assert_eq!(stdout(&output), expected);
    assert!(stderr(&output).contains("checked 1 file: 1 error, 0 warnings"));
}

#[test]
fn check_exits_0_without_errors_and_skips_other_json_in_folders() {
    let dir = scratch("cli-folder");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::create_dir_all(dir.join("node_modules/x")).unwrap();
    std::fs::write(dir.join("nested/ok.json"), ALOW.replace("Alow", "Allow")).unwrap();
    std::fs::write(
        dir.join("package.json"),
        "{\"name\": \"x\", \"version\": \"1.0.0\"}",
    )
    .unwrap();
    std::fs::write(dir.join("node_modules/x/bad.json"), ALOW).unwrap();
    std::fs::write(dir.join("notes.txt"), ALOW).unwrap();
    let output = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output)
            .contains("checked 1 file (1 other file skipped: no IAM policy): 0 errors, 0 warnings"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_json_format() {
    let dir = scratch("cli-json");
    std::fs::write(dir.join("bad.json"), ALOW).unwrap();
    let output = run(&[
        "check",
        "--format",
        "json",
        dir.join("bad.json").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let finding = &findings[0];
    assert_eq!(finding["code"], "invalid-effect");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        finding["range"]["start"],
        serde_json::json!({"line": 3, "column": 28, "offset": 56})
    );
    assert_eq!(finding["range"]["end"]["column"], 34);
    assert_eq!(finding["path"], dir.join("bad.json").display().to_string());
    assert!(finding.get("data").is_some());
}

#[test]
fn check_reports_invalid_utf8_and_missing_files() {
    let dir = scratch("cli-bytes");
    let mut bytes = ALOW.replace("Alow", "Allow").into_bytes();
    bytes.splice(2..2, [0xff, 0xfe]);
    std::fs::write(dir.join("latin.json"), bytes).unwrap();
    let output = run(&["check", dir.join("latin.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(
            "error[json-syntax] the file is not valid UTF-8 (first bad byte at offset 2)"
        ),
        "{}",
        stdout(&output)
    );

    let output = run(&["check", dir.join("missing.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read file"));
}

#[test]
fn usage_errors_exit_2_with_an_error_and_a_pointer_to_help() {
    for args in [
        &["check"][..],
        &["check", "--format", "xml", "x.json"],
        &["frobnicate"],
        &["--bogus"],
        &["explain", "a.json", "b.json"],
        &["--stdio", "check", "a.json"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
        let err = stderr(&output);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains("--help"), "{args:?}: {err}");
    }
}

#[test]
fn help_lists_the_commands_and_their_options() {
    let output = run(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for expected in [
        "Usage: iam-policy-lsp",
        "check",
        "explain",
        "--stdio",
        "--log-level",
        "--version",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let output = run(&["check", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for expected in [
        "--format",
        "--config",
        "--no-ignore",
        "--hidden",
        "Exit status",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

/// The files `check` reports on, from its compiler-style lines, relative to `dir`.
fn reported_files(output: &Output, dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = stdout(output)
        .lines()
        .filter_map(|line| line.split_once(':').map(|(path, _)| path.to_string()))
        .map(|path| {
            Path::new(&path)
                .strip_prefix(dir)
                .unwrap_or_else(|_| panic!("{path} is outside {}", dir.display()))
                .display()
                .to_string()
        })
        .collect();
    files.dedup();
    files
}

#[test]
fn folders_are_walked_as_ripgrep_walks_them() {
    let dir = scratch("cli-walk");
    for folder in [
        "kept",
        "ignored",
        ".hidden",
        "node_modules/pkg",
        "target/debug",
    ] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    // Every file has an error, so that every file checked shows in the output.
    for file in [
        "a.json",
        ".dotfile.json",
        "kept/b.json",
        "kept/generated.json",
        "ignored/c.json",
        ".hidden/d.json",
        "node_modules/pkg/e.json",
        "target/debug/f.json",
    ] {
        std::fs::write(dir.join(file), ALOW).unwrap();
    }
    std::fs::write(dir.join(".gitignore"), "ignored/\ngenerated.json\n").unwrap();
    let root = dir.to_str().unwrap();

    let output = run(&["check", root]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        reported_files(&output, &dir),
        [".dotfile.json", "a.json", "kept/b.json"]
    );

    let output = run(&["check", "--no-ignore", root]);
    assert_eq!(
        reported_files(&output, &dir),
        [
            ".dotfile.json",
            "a.json",
            "ignored/c.json",
            "kept/b.json",
            "kept/generated.json",
            "node_modules/pkg/e.json",
            "target/debug/f.json"
        ]
    );

    let output = run(&["check", "--hidden", root]);
    assert_eq!(
        reported_files(&output, &dir),
        [".dotfile.json", ".hidden/d.json", "a.json", "kept/b.json"]
    );

    // A file named on the command line is checked, ignored or not; so is a folder named.
    let ignored = dir.join("ignored/c.json");
    let output = run(&[
        "check",
        ignored.to_str().unwrap(),
        dir.join(".hidden").to_str().unwrap(),
    ]);
    assert_eq!(
        reported_files(&output, &dir),
        ["ignored/c.json", ".hidden/d.json"]
    );
}

#[test]
fn version_names_the_catalogue() {
    let output = run(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!(
            "iam-policy-lsp {} (catalogue: iam-data ",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
}

#[test]
fn config_file_turns_rules_off() {
    let dir = scratch("cli-config");
    std::fs::write(dir.join("bad.json"), ALOW).unwrap();
    std::fs::write(
        dir.join("rules.json"),
        r#"{"rules": {"invalid-effect": "off"}}"#,
    )
    .unwrap();
    let output = run(&[
        "check",
        "--config",
        dir.join("rules.json").to_str().unwrap(),
        dir.join("bad.json").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn explain_prints_a_table_per_workflow() {
    let dir = scratch("cli-explain");
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "NoResolve", "Effect": "Deny", "Action": "support:ResolveCase", "Resource": "*"}]}"#;
    std::fs::write(dir.join("p.json"), policy).unwrap();
    let output = run(&["explain", dir.join("p.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("| Workflow | Verdict | Why |"), "{text}");
    assert!(
        text.contains(
            "| Resolve a case | **denied** | by statement \"NoResolve\"; denies ResolveCase |"
        ),
        "{text}"
    );
    assert!(
        text.contains("| Create a support case | not affected |  |"),
        "{text}"
    );

    let output = run(&[
        "explain",
        "--format",
        "json",
        dir.join("p.json").to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let resolve = json[0]["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["workflow"] == "resolve")
        .unwrap();
    assert_eq!(resolve["verdict"], "denied");

    std::fs::write(dir.join("pkg.json"), "[1, 2]").unwrap();
    assert_eq!(
        run(&["explain", dir.join("pkg.json").to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

/// Issue 18: a negated operator was worded as its opposite ("when aws:PrincipalArn matches").
#[test]
fn conditions_are_worded_as_what_they_mean() {
    let dir = scratch("cli-condition-wording");
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "OnlyOrgAdmin", "Effect": "Deny", "Action": "support:*", "Resource": "*",
  "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}}}]}"#;
    let path = dir.join("scp.json");
    std::fs::write(&path, policy).unwrap();
    let meaning = "for every principal except those whose aws:PrincipalArn is like arn:aws:iam::*:role/OrgAdmin";

    let output = run(&["check", path.to_str().unwrap()]);
    let text = stdout(&output);
    assert!(
        text.contains(&format!("(conditional: {meaning})")),
        "{text}"
    );
    assert!(!text.contains("matches)"), "{text}");

    let output = run(&["explain", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "| Create a support case | **denied under conditions** | by statement \"OnlyOrgAdmin\"; {meaning}; denies "
        )),
        "{text}"
    );
    // The workflows this Deny does not touch are not affected (it takes nothing away).
    assert!(
        text.contains(
            "| Trusted Advisor in the console (trustedadvisor namespace) | not affected |  |"
        ),
        "{text}"
    );
    // Complete lists: a reviewer pastes this into a pull request.
    assert!(!text.contains(" more"), "{text}");

    let output = run(&["explain", "--format", "json", path.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let create = json[0]["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["workflow"] == "create-case")
        .unwrap();
    assert_eq!(create["conditions"], serde_json::json!([meaning]));
}
