//! The server end to end, over stdio, as an editor drives it:
//!
//! - latency: time from writing a `didChange` to reading the matching `publishDiagnostics`,
//!   over many edits that change the diagnostics (p50/p95/p99), on the largest policy and on
//!   everyday ones;
//! - the same on a generated ~1 MB CloudFormation YAML template with ≥ 200 policies (issue
//!   17): edits typed inside one policy, and an edit outside any policy (`--only yaml`);
//! - cold start: process spawn to the `initialize` response (median of N);
//! - memory: peak RSS (`VmHWM`) of the server after opening every corpus file.
//!
//! It spawns the release binary (`target/release/iam-policy-lsp`, what `cargo bench` builds)
//! by default; `--server 'CMD ARGS…'` measures any other language server with the same
//! driver and the same edits (see `benches/compare-peers.sh`).
//!
//! ```text
//! cargo bench --bench server_latency [-- --edits 400 --cold-starts 30 --only latency,yaml,cold,rss
//!                                        --server 'vscode-json-language-server --stdio'
//!                                        --label NAME --summary FILE --pull
//!                                        DOCUMENT-FILTER…]
//! ```

mod support;
#[path = "server_latency/template_scenarios.rs"]
mod template_scenarios;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Goals, in milliseconds (and MB for memory).
const GOAL_LARGE_P50: f64 = 2.0;
/// Issue 14's floor for the 203 KB AWSSupportServiceRolePolicy, stricter than the older goal
/// for large documents.
const GOAL_SUPPORT_ROLE_P50: f64 = 1.0;
const GOAL_LARGE_P95: f64 = 5.0;
const GOAL_EVERYDAY: f64 = 1.0;
const GOAL_COLD_START: f64 = 10.0;
const GOAL_RSS_MB: f64 = 30.0;
const GOAL_TEMPLATE_P50: f64 = 10.0;
/// The generated template's size (issue 17: "a 1 MB CloudFormation YAML template").
const TEMPLATE_BYTES: usize = 1_000_000;

struct Args {
    server: Vec<String>,
    label: String,
    edits: usize,
    warmup: usize,
    cold_starts: usize,
    only: Vec<String>,
    summary: Option<String>,
    /// Ask for diagnostics with `textDocument/diagnostic` (pull) instead of waiting for
    /// `publishDiagnostics` (push), for servers that support it.
    pull: bool,
    /// Measure only the documents whose label contains one of these.
    filters: Vec<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        server: vec![env!("CARGO_BIN_EXE_iam-policy-lsp").to_string()],
        label: "iam-policy-lsp".into(),
        edits: 400,
        warmup: 20,
        cold_starts: 30,
        only: vec!["latency".into(), "yaml".into(), "cold".into(), "rss".into()],
        summary: None,
        pull: false,
        filters: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--server" => {
                args.server = value("--server")
                    .split_whitespace()
                    .map(String::from)
                    .collect()
            }
            "--label" => args.label = value("--label"),
            "--edits" => args.edits = value("--edits").parse().expect("--edits N"),
            "--warmup" => args.warmup = value("--warmup").parse().expect("--warmup N"),
            "--cold-starts" => {
                args.cold_starts = value("--cold-starts").parse().expect("--cold-starts N")
            }
            "--only" => args.only = value("--only").split(',').map(String::from).collect(),
            "--summary" => args.summary = Some(value("--summary")),
            "--pull" => args.pull = true,
            // What cargo passes to bench targets.
            "--bench" => {}
            other if other.starts_with("--") => eprintln!("ignoring unknown option {other}"),
            filter => args.filters.push(filter.to_string()),
        }
    }
    if args.server.is_empty() {
        panic!("--server needs a command");
    }
    args
}

// ---------------------------------------------------------------------------------------
// A synchronous LSP client over the server's stdio: no reader thread between the server's
// write and our clock. A watchdog kills the server (by its pid) if a run hangs.

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    done: Option<mpsc::Sender<()>>,
}

impl Server {
    fn spawn(command: &[String]) -> Server {
        let mut child = Command::new(&command[0])
            .args(&command[1..])
            // The embedded catalogue, whatever the user's cache holds.
            .env("IAM_POLICY_LSP_NO_CACHE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::with_capacity(1 << 20, child.stdout.take().expect("stdout"));
        let (done, wait) = mpsc::channel::<()>();
        let pid = child.id();
        thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) =
                wait.recv_timeout(Duration::from_secs(600))
            {
                eprintln!("watchdog: server {pid} hung; killing it");
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
        });
        Server {
            child,
            stdin,
            stdout,
            next_id: 1,
            done: Some(done),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("serialize");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.stdin.write_all(&frame).expect("write to the server");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    fn read(&mut self) -> Value {
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            let n = self
                .stdout
                .read_line(&mut line)
                .expect("read from the server");
            assert!(n > 0, "the server closed its output");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("Content-Length")];
        self.stdout.read_exact(&mut body).expect("read a body");
        serde_json::from_slice(&body).expect("a JSON body")
    }

    /// Reads until a message satisfies `predicate`, answering the server's own requests
    /// (configuration, capability registration, progress) on the way.
    fn wait(&mut self, predicate: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self.read();
            if predicate(&message) {
                return message;
            }
            if message.get("id").is_some()
                && let Some(method) = message["method"].as_str()
            {
                let result = match method {
                    "workspace/configuration" => {
                        let n = message["params"]["items"].as_array().map_or(0, Vec::len);
                        Value::Array(vec![Value::Null; n])
                    }
                    _ => Value::Null,
                };
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
        }
    }

    /// `initialize` as an editor sends it (UTF-16 positions); `pull` offers pull
    /// diagnostics (`textDocument/diagnostic`), which servers such as the VS Code JSON
    /// server then use instead of pushing.
    fn initialize(&mut self, pull: bool) -> Value {
        let mut text_document = json!({
            "synchronization": {"didSave": true},
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown", "plaintext"]}
        });
        if pull {
            text_document["diagnostic"] = json!({"dynamicRegistration": false});
        }
        let response = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": null,
                "capabilities": {
                    "textDocument": text_document,
                    "workspace": {"configuration": true}
                },
                "initializationOptions": {"provideFormatter": false}
            }),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.open_as(uri, "json", text);
    }

    fn open_as(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// The diagnostics of `uri` at `version`: the matching push (same version, or no
    /// version for servers that do not send one), or a pull request's answer.
    fn diagnostics(&mut self, uri: &str, version: i64, pull: bool) -> Value {
        if pull {
            let id = self.send_request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}}),
            );
            let response = self.wait(|m| m["id"] == id && m.get("method").is_none());
            return response["result"]["items"].clone();
        }
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && (m["params"]["version"] == version || m["params"]["version"].is_null())
        });
        message["params"]["diagnostics"].clone()
    }

    fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break;
            }
            thread::sleep(Duration::from_millis(1));
        }
        self.done.take();
    }
}

// ---------------------------------------------------------------------------------------
// The edits: on the first `"Effect": "Allow"` (or `Deny`) past the middle of the document,
// a cycle of four that changes the diagnostics each time: a typo in the value (`Alow`,
// `Dny`: a policy error), its fix, a deleted colon after `"Effect"` (a JSON syntax error,
// which every JSON server reports), its fix.

#[derive(Clone)]
struct Edit {
    line: u32,
    start: u32,
    /// The line of `end` (`line` but in a deletion of line breaks).
    end_line: u32,
    end: u32,
    text: &'static str,
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// The (line, UTF-16 column) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, utf16_len(&text[line_start..offset]))
}

fn edit_cycle(text: &str) -> Option<Vec<Edit>> {
    let middle = text.len() / 2;
    let find = |from: usize| -> Option<usize> {
        let rest = &text[from..];
        rest.find("\"Effect\"").map(|i| i + from)
    };
    let effect = find(middle).or_else(|| find(0))?;
    let colon = effect + 8 + text[effect + 8..].find(':')?;
    let value = colon + 1 + text[colon + 1..].find('"')? + 1;
    let (typo_at, typo_char) = if text[value..].starts_with("Allow") {
        (value + 2, "l")
    } else if text[value..].starts_with("Deny") {
        (value + 1, "e")
    } else {
        return None;
    };
    let (typo_line, typo_col) = line_col(text, typo_at);
    let (colon_line, colon_col) = line_col(text, colon);
    Some(vec![
        Edit {
            line: typo_line,
            end_line: typo_line,
            start: typo_col,
            end: typo_col + 1,
            text: "",
        },
        Edit {
            line: typo_line,
            end_line: typo_line,
            start: typo_col,
            end: typo_col,
            text: typo_char,
        },
        Edit {
            line: colon_line,
            end_line: colon_line,
            start: colon_col,
            end: colon_col + 1,
            text: "",
        },
        Edit {
            line: colon_line,
            end_line: colon_line,
            start: colon_col,
            end: colon_col,
            text: ":",
        },
    ])
}

struct Latency {
    samples_ms: Vec<f64>,
    changed: usize,
    /// The server's peak and current RSS (kB) after the edits.
    rss: Option<(u64, u64)>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    percentile(values, 50.0)
}

fn measure_latency(args: &Args, text: &str) -> Option<Latency> {
    let cycle = edit_cycle(text)?;
    Some(measure_cycle(
        args,
        "file:///bench/policy.json",
        "json",
        text,
        &cycle,
    ))
}

fn measure_cycle(args: &Args, uri: &str, language: &str, text: &str, cycle: &[Edit]) -> Latency {
    let mut server = Server::spawn(&args.server);
    server.initialize(args.pull);
    server.open_as(uri, language, text);
    let mut previous = server.diagnostics(uri, 1, args.pull);
    let mut samples = Vec::with_capacity(args.edits);
    let mut changed = 0;
    for i in 0..args.warmup + args.edits {
        let edit = &cycle[i % cycle.len()];
        let version = 2 + i as i64;
        let message = json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {
                        "start": {"line": edit.line, "character": edit.start},
                        "end": {"line": edit.end_line, "character": edit.end}
                    },
                    "text": edit.text
                }]
            }
        });
        let start = Instant::now();
        server.send(&message);
        let diagnostics = server.diagnostics(uri, version, args.pull);
        let elapsed = start.elapsed();
        if i >= args.warmup {
            samples.push(elapsed.as_secs_f64() * 1e3);
            if diagnostics != previous {
                changed += 1;
            }
        }
        previous = diagnostics;
    }
    let rss = rss_kb(server.pid());
    server.shutdown();
    samples.sort_by(f64::total_cmp);
    Latency {
        samples_ms: samples,
        changed,
        rss,
    }
}

fn measure_cold_start(args: &Args) -> Vec<f64> {
    (0..args.cold_starts)
        .map(|_| {
            let start = Instant::now();
            let mut server = Server::spawn(&args.server);
            server.initialize(args.pull);
            let elapsed = start.elapsed();
            server.shutdown();
            elapsed.as_secs_f64() * 1e3
        })
        .collect()
}

/// Peak and current RSS (kB) of a process, from /proc.
fn rss_kb(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// Opens every document and waits for each one's diagnostics; the server's memory after.
fn measure_memory(args: &Args, docs: &[(String, String)]) -> Option<(u64, u64)> {
    let mut server = Server::spawn(&args.server);
    server.initialize(args.pull);
    for (i, (_, text)) in docs.iter().enumerate() {
        server.open(&format!("file:///bench/{i}.json"), text);
    }
    for i in 0..docs.len() {
        server.diagnostics(&format!("file:///bench/{i}.json"), 1, args.pull);
    }
    let rss = rss_kb(server.pid());
    server.shutdown();
    rss
}

// ---------------------------------------------------------------------------------------

struct Report {
    label: String,
    summary: Vec<(String, f64)>,
}

impl Report {
    fn record(&mut self, key: &str, value: f64) {
        self.summary.push((key.into(), value));
    }

    fn write(&self, path: &str) {
        let mut out = String::new();
        for (key, value) in &self.summary {
            out.push_str(&format!("{}\t{key}\t{value:.4}\n", self.label));
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("open the summary file");
        file.write_all(out.as_bytes()).expect("write the summary");
    }
}

/// The load average, for the record (2 cores shared: figures move with it).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn main() {
    let args = parse_args();
    if args.server.len() == 1 && !args.server[0].contains("/release/") {
        eprintln!(
            "warning: {} is not a release build; run `cargo bench`",
            args.server[0]
        );
    }
    let ours = args.label == "iam-policy-lsp";
    let mut report = Report {
        label: args.label.clone(),
        summary: Vec::new(),
    };
    println!("\nserver end to end over stdio: {}", args.server.join(" "));
    println!(
        "(UTF-16 positions, incremental didChange; {} edits after {} warm-up edits per document)\n",
        args.edits, args.warmup
    );

    if args.only.iter().any(|o| o == "latency") {
        let mut docs: Vec<(String, String, bool)> = Vec::new();
        for (name, label, large) in [
            (support::LARGEST, "corpus-AWSSupportServiceRolePolicy", true),
            (support::EVERYDAY_SCP, "corpus-everyday-region-scp", false),
            (support::EVERYDAY_ROLE, "corpus-everyday-support-app", false),
        ] {
            if let Some(text) = support::corpus_file(name) {
                docs.push((label.into(), text, large));
            }
        }
        docs.push((
            "generated-203KB".into(),
            support::generate_policy(203_134, 203_134),
            true,
        ));
        docs.push((
            "generated-2KB".into(),
            support::generate_policy(1_994, 1_994),
            false,
        ));
        println!("didChange → publishDiagnostics latency (ms)\n");
        println!(
            "| document | bytes | edits | changed diagnostics | p50 | p95 | p99 | max | goal |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        let wanted = |label: &str| {
            args.filters.is_empty() || args.filters.iter().any(|f| label.contains(f.as_str()))
        };
        for (label, text, large) in docs.iter().filter(|(label, ..)| wanted(label)) {
            let Some(latency) = measure_latency(&args, text) else {
                println!("| {label} | no \"Effect\" to edit |");
                continue;
            };
            let s = &latency.samples_ms;
            let (p50, p95, p99) = (
                percentile(s, 50.0),
                percentile(s, 95.0),
                percentile(s, 99.0),
            );
            let goal = if !ours {
                String::new()
            } else if *large {
                let goal_p50 = if label.contains("AWSSupportServiceRolePolicy") {
                    GOAL_SUPPORT_ROLE_P50
                } else {
                    GOAL_LARGE_P50
                };
                format!(
                    "p50 < {goal_p50} ms: {}, p95 < {GOAL_LARGE_P95} ms: {}",
                    verdict(p50 < goal_p50),
                    verdict(p95 < GOAL_LARGE_P95)
                )
            } else {
                format!(
                    "p50 < {GOAL_EVERYDAY} ms: {}, p95 < {GOAL_EVERYDAY} ms: {}",
                    verdict(p50 < GOAL_EVERYDAY),
                    verdict(p95 < GOAL_EVERYDAY)
                )
            };
            println!(
                "| {label} | {} | {} | {} | {p50:.3} | {p95:.3} | {p99:.3} | {:.3} | {goal} |",
                text.len(),
                s.len(),
                latency.changed,
                s.last().copied().unwrap_or(f64::NAN),
            );
            report.record(&format!("latency.{label}.p50"), p50);
            report.record(&format!("latency.{label}.p95"), p95);
            report.record(&format!("latency.{label}.p99"), p99);
        }
        println!();
    }

    if args.only.iter().any(|o| o == "yaml") {
        template_scenarios::measure_template(&args, ours, &mut report);
    }

    if args.only.iter().any(|o| o == "cold") && args.cold_starts > 0 {
        let mut runs = measure_cold_start(&args);
        let median_ms = median(&mut runs);
        let goal = if ours {
            format!(
                " (goal < {GOAL_COLD_START} ms: {})",
                verdict(median_ms < GOAL_COLD_START)
            )
        } else {
            String::new()
        };
        println!(
            "cold start (spawn → initialize response), median of {}: {median_ms:.2} ms (min {:.2}, max {:.2}){goal}",
            runs.len(),
            runs[0],
            runs[runs.len() - 1]
        );
        report.record("cold_start.median", median_ms);
    }

    if args.only.iter().any(|o| o == "rss") {
        let mut docs = support::corpus_files();
        let what = if docs.is_empty() {
            // No corpus: the same sizes, generated.
            docs = support::documents()
                .into_iter()
                .filter(|d| d.label.starts_with("generated"))
                .map(|d| (d.label, d.text))
                .collect();
            "generated documents (no corpus)"
        } else {
            "corpus files"
        };
        let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
        match measure_memory(&args, &docs) {
            Some((peak, current)) => {
                let peak_mb = peak as f64 / 1024.0;
                let goal = if ours {
                    format!(
                        " (goal < {GOAL_RSS_MB} MB: {})",
                        verdict(peak_mb < GOAL_RSS_MB)
                    )
                } else {
                    String::new()
                };
                println!(
                    "memory after opening {} {what} ({:.2} MB of text): peak RSS {peak_mb:.1} MB, RSS {:.1} MB{goal}",
                    docs.len(),
                    bytes as f64 / 1e6,
                    current as f64 / 1024.0
                );
                report.record("rss.peak_mb", peak_mb);
            }
            None => println!("memory: /proc/<pid>/status is not readable here"),
        }
    }

    if let Some(path) = &args.summary {
        report.write(path);
    }
}
