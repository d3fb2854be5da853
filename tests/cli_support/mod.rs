//! What the command-line tests share: running the real binary, scratch folders, and running it
//! as an unprivileged user (permissions mean nothing to root, and CI runs as root).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_iam-policy-lsp")
}

/// The binary, without the user's catalogue cache (`IAM_POLICY_LSP_NO_CACHE`): every test
/// sees the embedded catalogue.
pub fn command() -> Command {
    let mut command = Command::new(binary());
    command.env("IAM_POLICY_LSP_NO_CACHE", "1");
    command
}

pub fn run(args: &[&str]) -> Output {
    command().args(args).output().expect("run the binary")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh folder under the target directory for one test's files, that any user may enter.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        // A previous run may have left folders without permissions.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&dir)
            .status();
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// A command that runs the binary as a user that file permissions apply to: as itself when
/// not root, else as `nobody` through `setpriv` (util-linux). `None` (with a printed note, or a
/// failure under `IAM_POLICY_CORPUS_REQUIRED=1`) when root has no `setpriv`. The files the
/// test makes must be readable (or writable) by that user: see [`open_to_all`].
pub fn unprivileged(test: &str) -> Option<Command> {
    if !is_root() {
        return Some(command());
    }
    let found = Command::new("setpriv").arg("--version").output().is_ok();
    if !found {
        let required = std::env::var_os("IAM_POLICY_CORPUS_REQUIRED").is_some_and(|v| v == "1");
        assert!(
            !required,
            "{test}: running as root without setpriv (util-linux), and IAM_POLICY_CORPUS_REQUIRED=1"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "note: SKIPPED {test}: running as root, where permissions do not apply, without setpriv to drop them"
        );
        return None;
    }
    let mut command = Command::new("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", binary()])
        .env("IAM_POLICY_LSP_NO_CACHE", "1");
    Some(command)
}

/// A fresh folder for a test that runs [`unprivileged`]: under the system's temporary folder,
/// which every user can enter (the repository may sit under a folder only root can), and open
/// to everyone.
pub fn shared_scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("iam-policy-lsp-test-{name}-{}", std::process::id()));
    if dir.exists() {
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&dir)
            .status();
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::fs::create_dir_all(&dir).unwrap();
    open_to_all(&dir);
    dir
}

/// Gives everyone access to `dir` and what is in it.
pub fn open_to_all(dir: &Path) {
    let status = Command::new("chmod")
        .arg("-R")
        .arg("a+rwX")
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Removes a [`shared_scratch`] folder, whatever its permissions.
pub fn remove(dir: &Path) {
    let _ = Command::new("chmod")
        .arg("-R")
        .arg("u+rwx")
        .arg(dir)
        .status();
    let _ = std::fs::remove_dir_all(dir);
}

/// A policy with one error (`invalid-effect` at 3:28).
pub const ALOW: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}\n";
