//! `check --fix` and `--diff`: the quick fixes their rules mark safe, applied to the files
//! (atomically, permissions kept, never a file that does not parse), or shown as a diff.

mod cli_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use cli_support::{
    open_to_all, path, remove, run, scratch, shared_scratch, stderr, stdout, unprivileged,
};
use serde_json::Value;

/// Codes whose findings carry a safe fix, from a SARIF log of `paths`.
fn safe_fixable(paths: &[&str]) -> Vec<String> {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(paths);
    let output = run(&args);
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["fixes"]
                .as_array()
                .is_some_and(|fixes| fixes.iter().any(|f| f["properties"]["safe"] == true))
        })
        .map(|r| r["ruleId"].as_str().unwrap().to_string())
        .collect()
}

fn copy_examples(dir: &Path) -> Vec<String> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(examples).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        std::fs::copy(entry.path(), dir.join(&name)).unwrap();
        names.push(name);
    }
    names.sort();
    names
}

#[test]
fn fix_round_trips_on_the_examples() {
    let dir = scratch("cli-fix-examples");
    let names = copy_examples(&dir);
    let before: Vec<String> = names
        .iter()
        .map(|n| std::fs::read_to_string(dir.join(n)).unwrap())
        .collect();
    assert!(
        !safe_fixable(&[path(&dir)]).is_empty(),
        "the examples have safe fixes"
    );

    let output = run(&["check", "--fix", path(&dir)]);
    // typos.json keeps its errors (none of its fixes is safe).
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("fixed 3 files (4 fixes)"),
        "{}",
        stderr(&output)
    );
    // What was fixed is gone, the files are JSON still, and only the fixed ones changed.
    assert_eq!(safe_fixable(&[path(&dir)]), Vec::<String>::new());
    for (name, old) in names.iter().zip(&before) {
        let new = std::fs::read_to_string(dir.join(name)).unwrap();
        let old_json: Result<Value, _> = serde_json::from_str(old);
        if old_json.is_ok() {
            serde_json::from_str::<Value>(&new).unwrap_or_else(|e| panic!("{name}: {e}\n{new}"));
        }
        let changed = &new != old;
        let expected = matches!(
            name.as_str(),
            "action-typos.json" | "cloudformation-role.json" | "region-guardrail-scp.json"
        );
        assert_eq!(changed, expected, "{name}");
    }
    // A second run has nothing left to do.
    let output = run(&["check", "--fix", path(&dir)]);
    assert!(
        stderr(&output).contains("fixed 0 files (0 fixes)"),
        "{}",
        stderr(&output)
    );
}

/// Every kind of safe fix at once: action case, Effect case, operator case, element name case,
/// the console's exemptions, Resource "*" for Support.
const FIXABLE: &str = "\u{feff}{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"allow\",\n      \"action\": [\"s3:getobject\", \"support:describecases\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"stringequals\": {\"aws:PrincipalTag/team\": \"ops\"}}\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"support:CreateCase\",\n      \"Resource\": \"arn:aws:support::111122223333:case/*\"\n    },\n    {\n      \"Effect\": \"Deny\",\n      \"NotAction\": [\"iam:*\", \"support:*\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"StringNotEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"}}\n    }\n  ]\n}\n";

const FIXED: &str = "\u{feff}{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"support:DescribeCases\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}}\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"support:CreateCase\",\n      \"Resource\": \"*\"\n    },\n    {\n      \"Effect\": \"Deny\",\n      \"NotAction\": [\"iam:*\", \"support:*\", \"support-console:*\", \"trustedadvisor:*\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"StringNotEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"}}\n    }\n  ]\n}\n";

#[test]
fn a_fixed_file_rechecks_clean_and_keeps_its_permissions_and_encoding() {
    let dir = scratch("cli-fix-kinds");
    let file = dir.join("p.json");
    std::fs::write(&file, FIXABLE).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let codes_before = safe_fixable(&[path(&file)]);
    // The actions' case shows once "action" is "Action": a second round fixes it.
    for code in [
        "invalid-effect",
        "unknown-element",
        "invalid-condition-operator",
        "support-resource-not-star",
        "support-console-not-exempt",
    ] {
        assert!(
            codes_before.iter().any(|c| c == code),
            "{code}: {codes_before:?}"
        );
    }
    let output = run(&["check", "--fix", path(&file)]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        FIXED,
        "{}",
        stderr(&output)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // Nothing of what was fixed is reported again; the file has no error left.
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    for code in &codes_before {
        assert!(
            !stdout(&output).contains(&format!("[{code}]")),
            "{}",
            stdout(&output)
        );
    }
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["p.json"]);
}

#[test]
fn diff_shows_the_changes_and_writes_nothing() {
    let dir = scratch("cli-fix-diff");
    let file = dir.join("p.json");
    std::fs::write(&file, FIXABLE).unwrap();
    let output = cli_support::command()
        .args(["check", "--diff", "p.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FIXABLE);
    let diff = stdout(&output);
    assert!(
        diff.starts_with("--- a/p.json\n+++ b/p.json\n@@ -2,"),
        "{diff}"
    );
    assert!(diff.contains("\n-      \"Effect\": \"allow\",\n"), "{diff}");
    assert!(diff.contains("\n+      \"Effect\": \"Allow\",\n"), "{diff}");
    assert!(!diff.contains("error["), "only the diff on stdout: {diff}");
    assert!(
        stderr(&output).contains("1 file would be fixed (7 fixes)"),
        "{}",
        stderr(&output)
    );
    // Nothing to fix: no diff, status 0.
    std::fs::write(&file, FIXED).unwrap();
    let output = run(&["check", "--diff", path(&file)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
}

#[test]
fn files_that_do_not_parse_are_never_touched() {
    let dir = scratch("cli-fix-broken");
    let file = dir.join("broken.json");
    let broken = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:getobject\", \"Resource\": \"*\"}";
    std::fs::write(&file, broken).unwrap();
    let output = run(&["check", "--fix", path(&file)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
    assert!(
        stderr(&output).contains("fixed 0 files"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_link_stays_a_link() {
    let dir = scratch("cli-fix-link");
    std::fs::write(dir.join("real.json"), FIXABLE).unwrap();
    std::os::unix::fs::symlink("real.json", dir.join("link.json")).unwrap();
    let output = run(&["check", "--fix", path(&dir.join("link.json"))]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::symlink_metadata(dir.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("real.json")).unwrap(),
        FIXED
    );
}

#[test]
fn a_failed_write_loses_nothing() {
    let Some(mut command) = unprivileged("a_failed_write_loses_nothing") else {
        return;
    };
    let dir = shared_scratch("fix-readonly");
    let file = dir.join("p.json");
    std::fs::write(&file, FIXABLE).unwrap();
    open_to_all(&dir);
    // The file may be written, the folder not: no temporary file can be made beside it.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = command
        .args(["check", "--fix", path(&file)])
        .output()
        .unwrap();
    let content = std::fs::read_to_string(&file).unwrap();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    remove(&dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "{}: error: cannot write the fixed file (left as it was): Permission denied",
            file.display()
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(content, FIXABLE);
    assert_eq!(left, ["p.json"]);
    // The findings of the file as it is are still reported.
    assert!(
        stdout(&output).contains("[invalid-effect]"),
        "{}",
        stdout(&output)
    );
}
