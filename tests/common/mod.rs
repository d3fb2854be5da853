//! A minimal LSP client that drives the real `iam-policy-lsp` binary over stdio, the way an
//! editor does: framed JSON-RPC on stdin/stdout, notifications collected as they arrive, and
//! every wait bounded by a deadline (no fixed sleeps).

#![allow(dead_code)]

pub mod edits;
pub mod framing;
pub mod invariants;
pub mod text_model;
pub mod typing;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub fn server_path() -> &'static str {
    env!("CARGO_BIN_EXE_iam-policy-lsp")
}

/// The binary, without the user's catalogue cache (`IAM_POLICY_LSP_NO_CACHE`): every test
/// sees the embedded catalogue unless it sets up a cache of its own.
pub fn command() -> Command {
    let mut command = Command::new(server_path());
    command.env("IAM_POLICY_LSP_NO_CACHE", "1");
    command
}

/// The binary run by another program (`wrapper`, then the server's path), without the
/// user's catalogue cache.
pub fn wrapped(wrapper: &[&str]) -> Command {
    let mut command = Command::new(wrapper[0]);
    command
        .args(&wrapper[1..])
        .arg(server_path())
        .env("IAM_POLICY_LSP_NO_CACHE", "1");
    command
}

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages read but not yet consumed by a wait.
    pending: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    pub fn spawn() -> Self {
        Self::spawn_with_args(&[])
    }

    pub fn spawn_with_args(args: &[&str]) -> Self {
        let mut command = command();
        command.args(args);
        Self::spawn_command(command)
    }

    /// The server run by another program (`wrapper`, then the server's path), e.g. strace.
    pub fn spawn_wrapped(wrapper: &[&str]) -> Self {
        Self::spawn_command(wrapped(wrapper))
    }

    /// The server started by `command` (with its environment), stdio piped.
    pub fn spawn_command(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            messages,
            pending: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Spawns and runs `initialize` + `initialized` with the given client capabilities.
    pub fn initialized(capabilities: Value) -> (Self, Value) {
        Self::spawn().initialize(capabilities)
    }

    /// Another build of the server at `program` (an older one, to compare with), initialized.
    pub fn initialized_program(program: &str, capabilities: Value) -> (Self, Value) {
        Self::spawn_command(Command::new(program)).initialize(capabilities)
    }

    fn initialize(mut self, capabilities: Value) -> (Self, Value) {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        (self, result)
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response message (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to {method}"))
    }

    /// Sends a request and returns its result, failing on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// The first message (already read or still to come) that satisfies `predicate`.
    pub fn wait_for(&mut self, predicate: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(index) = self.pending.iter().position(&predicate) {
            return self.pending.remove(index);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if predicate(&message) => return Some(message),
                Ok(message) => self.pending.push_back(message),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// The first message already received that satisfies `predicate`, without waiting.
    pub fn wait_for_now(&mut self, predicate: impl Fn(&Value) -> bool) -> Option<Value> {
        while let Ok(message) = self.messages.try_recv() {
            self.pending.push_back(message);
        }
        let index = self.pending.iter().position(&predicate)?;
        self.pending.remove(index)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next `publishDiagnostics` for `uri` whose version is `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri} version {version}"));
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The next `publishDiagnostics` for `uri` without a version (a cleared document).
    pub fn cleared(&mut self, uri: &str) -> Vec<Value> {
        let message = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"].is_null()
            })
            .unwrap_or_else(|| panic!("no clearing diagnostics for {uri}"));
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// `shutdown` then `exit`, and the process' exit status (stdin left open on purpose).
    pub fn shutdown(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Diagnostics as `(code, start line, start character, end line, end character)`.
pub fn summarize(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
                d["range"]["end"]["line"].as_u64().unwrap(),
                d["range"]["end"]["character"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Where the policy corpus is (`IAM_POLICY_CORPUS` overrides `../shared/corpus/policies`).
pub fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("IAM_POLICY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies")
        });
    dir.is_dir().then_some(dir)
}

/// The corpus folder for `test`; when it is not there, a note on the terminal and `None` (the
/// test returns), or a failure when `IAM_POLICY_CORPUS_REQUIRED=1` (CI sets it).
pub fn corpus_or_skip(test: &str) -> Option<std::path::PathBuf> {
    let dir = corpus_dir();
    if dir.is_none() {
        skip_unless_required(
            test,
            "the policy corpus is not there (../shared/corpus/policies next to the repository, \
             or a folder in IAM_POLICY_CORPUS)",
        );
    }
    dir
}

/// Whether outside data must be there: `IAM_POLICY_CORPUS_REQUIRED=1`, as in CI.
pub fn outside_data_required() -> bool {
    std::env::var_os("IAM_POLICY_CORPUS_REQUIRED").is_some_and(|v| v == "1")
}

/// Says that `test` skips because `why`, on the terminal even under cargo test's output
/// capture (which takes only `print!`/`eprint!`); panics instead when the data is required.
pub fn skip_unless_required(test: &str, why: &str) {
    assert!(
        !outside_data_required(),
        "{test}: {why}, and IAM_POLICY_CORPUS_REQUIRED=1 says it must be"
    );
    let _ = writeln!(
        std::io::stderr(),
        "note: SKIPPED {test}: {why}; set IAM_POLICY_CORPUS_REQUIRED=1 to make this a failure"
    );
}
