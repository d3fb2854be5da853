//! `check` and `explain` under abuse (issue 13) and a newcomer's surprises (issue 18), through
//! the real binary: bounded reads, encodings, unreadable entries, write errors, the same file
//! twice, links, the summary, files that are not JSON, bad options.

mod cli_support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use cli_support::{
    ALOW, open_to_all, path, remove, run, scratch, shared_scratch, stderr, stdout, unprivileged,
};

/// `check` of a stream that never ends (`/dev/zero`), run with a 2 GiB address-space limit
/// when `prlimit` is there, so that a regression cannot take the machine's memory.
fn run_bounded(args: &[&str]) -> std::process::Output {
    let limited = Command::new("prlimit").arg("--version").output().is_ok();
    let mut command = if limited {
        let mut c = Command::new("prlimit");
        c.args(["--as=2147483648", "--", cli_support::binary()])
            .env("IAM_POLICY_LSP_NO_CACHE", "1");
        c
    } else {
        cli_support::command()
    };
    command.args(args).output().unwrap()
}

#[test]
fn reads_stop_at_the_document_limit_and_say_it() {
    let dir = scratch("cli-input-limit");
    // A sparse file over the limit: refused from its size, before anything is read.
    let large = dir.join("large.json");
    std::fs::File::create(&large)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let output = run(&["check", path(&large)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "large.json: error: cannot read file: the file is 314572800 bytes, over the limit of 268435456 bytes (256 MiB): not read"
        ),
        "{}",
        stderr(&output)
    );
    // A stream: read up to the limit, then refused.
    for args in [
        &["check", "/dev/zero"][..],
        &["explain", "/dev/zero"],
        &["check", "--config", "/dev/zero", path(&large)],
    ] {
        let output = run_bounded(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("/dev/zero")
                && stderr(&output).contains("268435456 bytes (256 MiB)"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

const UNFORMATTED: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

#[test]
fn a_byte_order_mark_is_read_named_or_in_a_folder_and_utf16_is_decoded() {
    let dir = scratch("cli-input-bom");
    let expected = "1:52: error[invalid-effect] Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"Alow\"";
    let bom = dir.join("bom.json");
    std::fs::write(&bom, [b"\xEF\xBB\xBF", UNFORMATTED.as_bytes()].concat()).unwrap();
    let le = dir.join("utf16le.json");
    let units: Vec<u8> = std::iter::once(0xFEFF)
        .chain(UNFORMATTED.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(&le, units).unwrap();
    let be = dir.join("utf16be.json");
    let units: Vec<u8> = std::iter::once(0xFEFF)
        .chain(UNFORMATTED.encode_utf16())
        .flat_map(u16::to_be_bytes)
        .collect();
    std::fs::write(&be, units).unwrap();
    for file in [&bom, &le, &be] {
        let output = run(&["check", path(file)]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(
            stdout(&output),
            format!("{}:{expected}\n", file.display()),
            "{}",
            file.display()
        );
    }
    // In a folder too: not skipped as "not a policy".
    let output = run(&["check", path(&dir)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output).lines().count(), 3, "{}", stdout(&output));
    assert!(
        stderr(&output).contains("checked 3 files: 3 errors"),
        "{}",
        stderr(&output)
    );
    // explain reads them the same way.
    let output = run(&["explain", path(&bom)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // UTF-32 says what it is.
    let utf32 = dir.join("utf32.json");
    std::fs::write(&utf32, b"\xFF\xFE\x00\x00{\x00\x00\x00}\x00\x00\x00").unwrap();
    let output = run(&["check", path(&utf32)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the file is UTF-32 (little-endian)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_unreadable_entry_is_named_and_the_rest_is_checked() {
    let Some(mut command) = unprivileged("every_unreadable_entry_is_named_and_the_rest_is_checked")
    else {
        return;
    };
    let dir = shared_scratch("unreadable");
    for folder in ["a", "locked", "z"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    for file in [
        "a/one.json",
        "locked/hidden.json",
        "secret.json",
        "z/two.json",
    ] {
        std::fs::write(dir.join(file), ALOW).unwrap();
    }
    open_to_all(&dir);
    let mode = |p: &Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    mode(&dir.join("locked"), 0o000);
    mode(&dir.join("secret.json"), 0o000);
    let output = command.args(["check", path(&dir)]).output().unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    remove(&dir);
    assert_eq!(output.status.code(), Some(2), "{out}{err}");
    // The other files' findings are all there.
    for file in ["a/one.json", "z/two.json"] {
        assert!(
            out.contains(&format!(
                "{}:3:28: error[invalid-effect]",
                dir.join(file).display()
            )),
            "{out}"
        );
    }
    // Each unreadable entry in its own error, by its own path.
    assert!(
        err.contains(&format!(
            "{}: error: cannot read folder: Permission denied",
            dir.join("locked").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: error: cannot read file: Permission denied",
            dir.join("secret.json").display()
        )),
        "{err}"
    );
    // The unreadable file is not counted as checked.
    assert!(
        err.contains("checked 2 files (2 could not be read): 2 errors"),
        "{err}"
    );
}

#[test]
fn write_errors_fail_and_a_closed_pipe_is_quiet() {
    let dir = scratch("cli-input-write");
    std::fs::write(dir.join("bad.json"), ALOW).unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = cli_support::command()
        .args(["check", path(&dir.join("bad.json"))])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error: cannot write the output: No space left on device"),
        "{}",
        stderr(&output)
    );
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = cli_support::command()
        .args(["explain", path(&dir.join("bad.json"))])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));

    // A reader that goes away (`| head -0`): no error, no panic.
    for _ in 0..200 {
        std::fs::write(dir.join(format!("p{}.json", rand_name())), ALOW).unwrap();
    }
    let mut child = cli_support::command()
        .args(["check", path(&dir)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(
        !err.contains("cannot write") && !err.contains("panicked"),
        "{err}"
    );
    assert_ne!(status.code(), Some(2), "{err}");
}

fn rand_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{:04}", N.fetch_add(1, Ordering::Relaxed))
}

#[test]
fn a_file_reached_twice_is_checked_once() {
    let dir = scratch("cli-input-twice");
    let file = dir.join("bad.json");
    std::fs::write(&file, ALOW).unwrap();
    let dotted = dir.join(".").join("bad.json");
    let output = run(&["check", path(&file), path(&dotted), path(&dir)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output).lines().count(), 1, "{}", stdout(&output));
    assert!(
        stderr(&output).contains("checked 1 file: 1 error"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn links_in_folders_are_reported_or_followed() {
    let dir = scratch("cli-input-links");
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    let outside = scratch("cli-input-links-target");
    std::fs::write(outside.join("real.json"), ALOW).unwrap();
    std::os::unix::fs::symlink(outside.join("real.json"), dir.join("policies/link.json")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("policies/loop")).unwrap();
    let output = run(&["check", path(&dir)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "{}: warning: a symbolic link: not followed in folders (name it, or use --follow)",
            dir.join("policies/link.json").display()
        )),
        "{}",
        stderr(&output)
    );
    let output = run(&["check", "--follow", path(&dir)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "{}:3:28: error[invalid-effect] Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"Alow\"\n",
            dir.join("policies/link.json").display()
        )
    );
    assert!(
        stderr(&output).contains("not followed again"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_summary_is_the_last_line_of_its_own_and_counts_every_severity() {
    let dir = scratch("cli-input-summary");
    // Enough output to fill stdout's buffer several times, and a hint and an info.
    let mut actions: Vec<String> = (0..400).map(|i| format!("\"s3:NoSuchThing{i}\"")).collect();
    actions.push("\"s3:getobject\"".to_string());
    let policy = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"*\"}}, {{\"Effect\": \"Deny\", \"Action\": \"support:*\", \"Resource\": \"*\"}}]}}",
        actions.join(", ")
    );
    std::fs::write(dir.join("many.json"), policy).unwrap();
    let log = dir.join("log.txt");
    let file = std::fs::File::create(&log).unwrap();
    let status = cli_support::command()
        .args(["check", path(&dir.join("many.json"))])
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert_eq!(
        *summary, "checked 1 file: 0 errors, 401 warnings, 1 info, 1 hint",
        "{text}"
    );
    assert_eq!(findings.len(), 403);
    for line in findings {
        assert!(line.contains("many.json:1:"), "a line cut in two: {line:?}");
    }
}

#[test]
fn a_json_file_that_is_not_json_is_an_error_in_a_folder() {
    let dir = scratch("cli-input-notjson");
    std::fs::write(dir.join("empty.json"), "").unwrap();
    std::fs::write(dir.join("broken.json"), "[1, 2,").unwrap();
    std::fs::write(dir.join("package.json"), "{\"name\": \"x\"}").unwrap();
    std::fs::write(dir.join("ok.json"), ALOW.replace("Alow", "Allow")).unwrap();
    let output = run(&["check", path(&dir)]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let out = stdout(&output);
    assert!(
        out.contains(&format!(
            "{}:1:1: error[json-syntax] JSON syntax: the document is empty",
            dir.join("empty.json").display()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{}:1:7: error[json-syntax]",
            dir.join("broken.json").display()
        )),
        "{out}"
    );
    assert!(
        stderr(&output).contains(
            "checked 3 files (1 other file skipped: no IAM policy): 2 errors, 0 warnings"
        ),
        "{}",
        stderr(&output)
    );
    // Unless excluded: an ignore file, or the rule turned off.
    std::fs::write(dir.join(".ignore"), "broken.json\nempty.json\n").unwrap();
    let output = run(&["check", path(&dir)]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_log_level_must_be_a_level_and_explain_wants_a_policy() {
    let dir = scratch("cli-input-options");
    std::fs::write(dir.join("p.json"), ALOW).unwrap();
    let output = run(&["--log-level", "loud", "check", path(&dir.join("p.json"))]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("\"loud\" is not a level"),
        "{}",
        stderr(&output)
    );
    for good in ["debug", "iam_policy_lsp=trace,warn"] {
        let output = run(&["--log-level", good, "check", path(&dir.join("p.json"))]);
        assert_eq!(output.status.code(), Some(1), "{good}: {}", stderr(&output));
    }
    std::fs::write(
        dir.join("package.json"),
        "{\"name\": \"x\", \"version\": \"1.0.0\"}",
    )
    .unwrap();
    let output = run(&["explain", path(&dir.join("package.json"))]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("no IAM policy found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fail_on_decides_what_fails_the_check() {
    let dir = scratch("cli-input-fail-on");
    // One warning (an unknown action), nothing else.
    let policy = ALOW
        .replace("Alow", "Allow")
        .replace("s3:GetObject", "s3:GetObjekt");
    std::fs::write(dir.join("p.json"), policy).unwrap();
    let file = dir.join("p.json");
    for (fail_on, status) in [
        (None, 0),
        (Some("error"), 0),
        (Some("warning"), 1),
        (Some("hint"), 1),
        (Some("none"), 0),
    ] {
        let mut args = vec!["check"];
        if let Some(level) = fail_on {
            args.extend(["--fail-on", level]);
        }
        args.push(path(&file));
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(status),
            "{fail_on:?}: {}",
            stdout(&output)
        );
    }
    assert_eq!(
        run(&["check", "--fail-on", "none", path(&dir.join("nope.json"))])
            .status
            .code(),
        Some(2)
    );
}

/// The pre-commit hooks' commands (`.pre-commit-hooks.yaml`), run as pre-commit runs them: the
/// staged `*.json` files named, package.json among them.
#[test]
fn the_pre_commit_hooks_check_policies_and_skip_other_json() {
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let entries: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries.len(), 2, "{manifest}");
    let dir = scratch("cli-input-pre-commit");
    std::fs::write(
        dir.join("package.json"),
        "{\"name\": \"x\", \"version\": \"1.0.0\"}",
    )
    .unwrap();
    std::fs::write(dir.join("tsconfig.json"), "{\"compilerOptions\": {}}").unwrap();
    std::fs::write(
        dir.join("role.json"),
        ALOW.replace("s3:GetObject", "s3:getobject"),
    )
    .unwrap();
    for entry in entries {
        let mut words = entry.split_whitespace();
        assert_eq!(words.next(), Some("iam-policy-lsp"));
        let output = cli_support::command()
            .args(words)
            .args(["package.json", "role.json", "tsconfig.json"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{entry}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).starts_with("role.json:3:28: error[invalid-effect]"),
            "{entry}: {}",
            stdout(&output)
        );
        assert!(
            stderr(&output).contains("checked 1 file (2 other files skipped: no IAM policy)"),
            "{entry}: {}",
            stderr(&output)
        );
    }
    // The fixing hook fixed what is safe.
    assert!(
        std::fs::read_to_string(dir.join("role.json"))
            .unwrap()
            .contains("s3:GetObject")
    );
}
