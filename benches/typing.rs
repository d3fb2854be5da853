//! Keystroke replay (issue 16): every realistic edit of `tests/common/typing` typed one
//! character per change into the typing fixtures and, when it is there, the shared corpus,
//! through the server over stdio. It prints, per kind of edit and mode, the share of keystroke
//! states with at most one and at most two `json-syntax` diagnostics, without a new finding
//! away from the lines being typed, and with completion offering the action being typed; and
//! the latency from a keystroke's `didChange` to its diagnostics. `tests/typing.rs` asserts
//! the floors on the same replay; this reports the figures (docs/TYPING.md).
//!
//! ```text
//! cargo bench --bench typing [-- --server PATH --every N --evidence FILE]
//! ```
//!
//! `--server PATH` replays into another build of the server (an older one, for the figures
//! before a change); `--every N` replays one edit in N (all by default).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

use common::typing::{
    Record, Summary, corpus_documents, fixtures, latency_percentiles, replay_all, table,
};
use common::{Client, corpus_dir};
use serde_json::json;

struct Args {
    server: Option<String>,
    every: usize,
    evidence: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        server: None,
        every: 1,
        evidence: None,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "--server" => args.server = argv.next(),
            "--every" => {
                args.every = argv
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .expect("--every N, N > 0");
            }
            "--evidence" => args.evidence = argv.next(),
            // `cargo bench` passes `--bench`; other arguments are filters of other benches.
            _ => {}
        }
    }
    args
}

fn client(args: &Args) -> Client {
    let capabilities = json!({"general": {"positionEncodings": ["utf-8"]}});
    match &args.server {
        Some(program) => Client::initialized_program(program, capabilities).0,
        None => Client::initialized(capabilities).0,
    }
}

fn report(what: &str, records: &[Record]) {
    let summary = Summary::of(records);
    let (p50, p95, p99) = latency_percentiles(records);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("## {what}\n\n{}", table(records));
    println!(
        "{} keystroke states: more than one syntax diagnostic in {:.1} %, more than two in {:.1} %, \
         a new finding away from the typed lines in {:.1} %; completion offered the action in \
         {}/{} states; didChange → diagnostics p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms\n",
        summary.states,
        100.0 - summary.one_syntax_percent(),
        100.0 - summary.syntax_percent(),
        100.0 - summary.far_percent(),
        summary.completion_offered,
        summary.completion_states,
        ms(p50),
        ms(p95),
        ms(p99),
    );
}

fn main() {
    let args = parse_args();
    println!(
        "server: {}\n",
        args.server
            .as_deref()
            .unwrap_or(env!("CARGO_BIN_EXE_iam-policy-lsp"))
    );
    let mut all = Vec::new();
    let mut sets = vec![("fixtures".to_string(), fixtures())];
    match corpus_dir() {
        Some(dir) => sets.push((
            format!("corpus ({})", dir.display()),
            corpus_documents(&dir),
        )),
        None => println!("note: the policy corpus is not there: fixtures only\n"),
    }
    for (what, documents) in &sets {
        let mut client = client(&args);
        let records = replay_all(&mut client, documents, args.every);
        report(&format!("{what}: {} documents", documents.len()), &records);
        assert!(client.shutdown().success());
        all.extend(records);
    }
    report("all", &all);
    if let Some(path) = &args.evidence {
        let evidence: String = all.iter().filter_map(|r| r.evidence.clone()).collect();
        std::fs::write(path, evidence).expect("write the evidence file");
    }
}
