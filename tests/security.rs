//! The server executes nothing, opens no network connection and reads no file but what the
//! client sends; the CLI reads only the paths it is given (and, walking a folder, its JSON
//! files and ignore files).
//!
//! - Under `strace` (when it is installed and may trace): every `execve` after the first,
//!   every network call (`socket`, `connect`, …) and every file opened outside the dynamic
//!   loader's and the runtime's own (`/etc/ld.so.cache`, shared libraries, `/proc/self/…`,
//!   the cgroup CPU quota) fails the test — in particular the policy file behind the URI the
//!   client names, which exists on disk with other content and must never be opened.
//! - Always: after a session, the server's open file descriptors are its stdio pipes,
//!   `/dev/null` and the runtime's anonymous inodes (epoll, eventfd); no socket, no file.
//!
//! - With a catalogue cache (`catalog update` wrote it), `check` and the server open that one
//!   file more, and still no socket: only `catalog update` uses the network.
//!
//! Where strace is missing or may not trace, that test says so on stderr and fails unless
//! `IAM_POLICY_LSP_ALLOW_NO_STRACE=1` is set (it never passes silently).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Client;
use serde_json::{Value, json};

const SYSCALLS: &str = "trace=%network,execve,execveat,open,openat,openat2,creat";
// (`-E LD_LIBRARY_PATH`: cargo points it at build folders, which the loader would search.)

/// What a Rust binary opens by itself before and around `main`.
const ALLOWED_OPENS: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.preload",
    "/lib/",
    "/lib64/",
    "/usr/lib/",
    "/usr/lib64/",
    "/proc/self/maps",
    "/proc/self/cgroup",
    "/proc/self/mountinfo",
    "/sys/fs/cgroup/",
    "/sys/devices/system/cpu/",
    // mimalloc (the binary's allocator) reads the kernel's memory settings once at start.
    "/proc/sys/vm/overcommit_memory",
    "/sys/kernel/mm/transparent_hugepage/",
];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "iam-policy-lsp-security-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a temporary folder");
    dir
}

/// Whether strace works here; if not, why.
fn strace_unavailable() -> Option<String> {
    match Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .status()
    {
        Ok(status) if status.success() => None,
        Ok(status) => Some(format!("strace cannot trace here (status {status})")),
        Err(e) => Some(format!("strace is not installed ({e})")),
    }
}

/// Skips (loudly) or fails when strace is unavailable.
fn require_strace(test: &str) -> bool {
    let Some(reason) = strace_unavailable() else {
        return true;
    };
    if std::env::var_os("IAM_POLICY_LSP_ALLOW_NO_STRACE").is_some() {
        eprintln!("SKIPPED {test}: {reason} (IAM_POLICY_LSP_ALLOW_NO_STRACE is set)");
        return false;
    }
    panic!(
        "{test} needs strace: {reason}. Install it (Debian: apt-get install strace), or set \
         IAM_POLICY_LSP_ALLOW_NO_STRACE=1 to skip this check knowingly."
    );
}

/// The calls strace recorded: (syscall, first argument, whole line).
fn traced_calls(trace: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(trace).expect("read the strace output");
    text.lines()
        .filter_map(|line| {
            // `PID name(args…) = result`
            let rest = line.split_once(' ')?.1.trim_start();
            let (name, args) = rest.split_once('(')?;
            let first = match args.find('"') {
                Some(start) => {
                    let quoted = &args[start + 1..];
                    quoted[..quoted.find('"').unwrap_or(quoted.len())].to_string()
                }
                None => String::new(),
            };
            Some((name.to_string(), first, line.to_string()))
        })
        .collect()
}

/// Fails on any exec after the first, any network call, any file opened outside `allowed`
/// (the loader's and the runtime's files, plus `extra`).
fn assert_clean(trace: &Path, extra: &[&Path], forbidden: &[&Path]) {
    let calls = traced_calls(trace);
    assert!(!calls.is_empty(), "strace recorded nothing");
    let mut execs = 0;
    for (name, path, line) in &calls {
        match name.as_str() {
            "execve" | "execveat" => {
                execs += 1;
                assert_eq!(execs, 1, "executed something: {line}");
            }
            "open" | "openat" | "openat2" | "creat" => {
                let allowed = ALLOWED_OPENS.iter().any(|p| path.starts_with(p))
                    || extra.iter().any(|p| Path::new(path) == *p);
                assert!(allowed, "opened a file it had no reason to: {line}");
                for f in forbidden {
                    assert!(
                        !Path::new(path).starts_with(f),
                        "opened {}: {line}",
                        f.display()
                    );
                }
            }
            "+++" | "---" => {}
            // Everything else traced is a network call.
            _ if line.contains(" = ") || line.contains("<unfinished") => {
                panic!("network call: {line}")
            }
            _ => {}
        }
    }
    assert_eq!(execs, 1, "the trace shows the program's own start");
}

/// A catalogue cache written by `catalog update` from the test mirror, in `dir`; its file.
fn cached_catalogue(dir: &Path) -> PathBuf {
    let mirror = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalog_update/mirror");
    let output = Command::new(common::server_path())
        .args(["catalog", "update", "--source"])
        .arg(&mirror)
        .env("IAM_POLICY_LSP_CACHE_DIR", dir)
        .env_remove("IAM_POLICY_LSP_NO_CACHE")
        .output()
        .expect("run catalog update");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

#[test]
fn the_server_executes_nothing_opens_no_socket_and_reads_no_file() {
    if !require_strace("the_server_executes_nothing_opens_no_socket_and_reads_no_file") {
        return;
    }
    traced_server_session("server", false);
}

/// With a cached catalogue, the server opens that one file at start and nothing else: the
/// network is only ever touched by `catalog update` (and the update command a user runs).
#[test]
fn the_server_with_a_cached_catalogue_reads_only_the_cache() {
    if !require_strace("the_server_with_a_cached_catalogue_reads_only_the_cache") {
        return;
    }
    traced_server_session("server-cache", true);
}

fn traced_server_session(name: &str, with_cache: bool) {
    let dir = temp_dir(name);
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{"Version": "2012-10-17", "Statement": []}"#).unwrap();
    let trace = dir.join("strace.txt");
    let trace_arg = trace.to_string_lossy().into_owned();
    let mut command = common::wrapped(&[
        "strace",
        "-f",
        "-qq",
        "-E",
        "LD_LIBRARY_PATH",
        "-e",
        SYSCALLS,
        "-o",
        &trace_arg,
    ]);
    let cache_dir = dir.join("cache");
    let cache_file = with_cache.then(|| {
        let file = cached_catalogue(&cache_dir);
        command
            .env_remove("IAM_POLICY_LSP_NO_CACHE")
            .env("IAM_POLICY_LSP_CACHE_DIR", &cache_dir);
        file
    });
    let mut client = Client::spawn_command(command);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", dir.display()), "capabilities": {},
               "workspaceFolders": [{"uri": format!("file://{}", dir.display()), "name": "w"}]}),
    );
    client.notify("initialized", json!({}));
    // The client names the file on disk, and sends other text: only that text counts.
    let uri = format!("file://{}", policy.display());
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    client.open(&uri, 1, text);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    for method in ["textDocument/hover", "textDocument/completion"] {
        client.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 53}}),
        );
    }
    client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 99}}, "context": {"diagnostics": []}}),
    );
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"missing-version": "off"}}}),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.cleared(&uri);
    assert!(client.shutdown().success());
    match &cache_file {
        Some(cache) => {
            assert_clean(&trace, &[cache], &[&policy]);
            assert!(
                traced_calls(&trace)
                    .iter()
                    .any(|(_, path, _)| Path::new(path) == cache),
                "the cache was not read"
            );
        }
        None => assert_clean(&trace, &[], &[&dir]),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `iam-policy-lsp check PATH` under strace, which writes its trace to `trace`; with the
/// catalogue cache of `cache_dir`, or none.
fn check_under_strace(
    trace: &Path,
    path: &Path,
    cache_dir: Option<&Path>,
) -> std::process::ExitStatus {
    let mut command = Command::new("strace");
    command
        .args(["-f", "-qq", "-E", "LD_LIBRARY_PATH", "-e", SYSCALLS, "-o"])
        .arg(trace)
        .arg(common::server_path())
        .arg("check")
        .arg(path);
    match cache_dir {
        Some(dir) => command
            .env_remove("IAM_POLICY_LSP_NO_CACHE")
            .env("IAM_POLICY_LSP_CACHE_DIR", dir),
        None => command.env("IAM_POLICY_LSP_NO_CACHE", "1"),
    };
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run the CLI under strace")
}

#[test]
fn the_cli_reads_only_the_paths_it_is_given() {
    if !require_strace("the_cli_reads_only_the_paths_it_is_given") {
        return;
    }
    let dir = temp_dir("cli");
    let given = dir.join("given.json");
    let other = dir.join("other.json");
    for path in [&given, &other] {
        std::fs::write(path, r#"{"Version": "2012-10-17", "Statement": []}"#).unwrap();
    }
    let trace = dir.join("strace.txt");
    let status = check_under_strace(&trace, &given, None);
    assert_eq!(status.code(), Some(1), "the policy has an error");
    assert_clean(&trace, &[&given], &[&other, &dir.join("strace.txt")]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check` with a cached catalogue reads the cache and the given file; no socket.
#[test]
fn check_with_a_cached_catalogue_reads_the_cache_and_uses_no_network() {
    if !require_strace("check_with_a_cached_catalogue_reads_the_cache_and_uses_no_network") {
        return;
    }
    let dir = temp_dir("cli-cache");
    let given = dir.join("given.json");
    std::fs::write(&given, r#"{"Version": "2012-10-17", "Statement": []}"#).unwrap();
    let cache_dir = dir.join("cache");
    let cache = cached_catalogue(&cache_dir);
    let trace = dir.join("strace.txt");
    let status = check_under_strace(&trace, &given, Some(&cache_dir));
    assert_eq!(status.code(), Some(1), "the policy has an error");
    assert_clean(&trace, &[&given, &cache], &[&dir.join("strace.txt")]);
    assert!(
        traced_calls(&trace)
            .iter()
            .any(|(_, path, _)| Path::new(path) == cache),
        "the cache was not read"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_walk_reads_only_json_files_and_ignore_files() {
    if !require_strace("a_folder_walk_reads_only_json_files_and_ignore_files") {
        return;
    }
    let dir = temp_dir("walk");
    let root = dir.join("policies");
    for folder in ["sub", "ignored"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    let policy = r#"{"Version": "2012-10-17", "Statement": []}"#;
    for file in ["a.json", "sub/b.json", "ignored/c.json"] {
        std::fs::write(root.join(file), policy).unwrap();
    }
    std::fs::write(root.join("notes.txt"), "not a policy").unwrap();
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    let trace = dir.join("strace.txt");
    let status = check_under_strace(&trace, &root, None);
    assert_eq!(status.code(), Some(1), "the policies have errors");
    // The folders (opened to list them; the walker also opens an ignored folder before it
    // skips it, without reading it), the ignore file, the JSON files not ignored.
    let read: Vec<PathBuf> = ["", "sub", "ignored", ".gitignore", "a.json", "sub/b.json"]
        .iter()
        .map(|p| {
            if p.is_empty() {
                root.clone()
            } else {
                root.join(p)
            }
        })
        .collect();
    let read: Vec<&Path> = read.iter().map(PathBuf::as_path).collect();
    let ignored = root.join("ignored/c.json");
    let notes = root.join("notes.txt");
    assert_clean(&trace, &read, &[&ignored, &notes]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The file descriptors of a live server after a session: stdio pipes, /dev/null and the
/// async runtime's anonymous inodes only.
#[test]
fn the_servers_descriptors_are_its_pipes_only() {
    let (mut client, _) = Client::initialized(json!({}));
    let uri = "file:///tmp/does-not-matter.json";
    client.open(uri, 1, r#"{"Statement": [{"Effect": "Alow"}]}"#);
    client.diagnostics(uri, 1);
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 28}}),
    );
    let fds = std::fs::read_dir(format!("/proc/{}/fd", client.pid()))
        .expect("read /proc/<pid>/fd (Linux)");
    let mut seen = Vec::new();
    for fd in fds.flatten() {
        let Ok(target) = std::fs::read_link(fd.path()) else {
            continue; // closed meanwhile
        };
        let target = target.to_string_lossy().into_owned();
        let ok = target.starts_with("pipe:")
            || target.starts_with("anon_inode:")
            || target == "/dev/null";
        assert!(ok, "the server holds {target} (fd {:?})", fd.file_name());
        seen.push(target);
    }
    assert!(
        seen.iter().filter(|t| t.starts_with("pipe:")).count() >= 2,
        "{seen:?}"
    );
    let _: Value = client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success());
}
