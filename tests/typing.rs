//! As you type: realistic edits typed one character per change into policies, through the
//! real server over stdio (`common::typing` says how). At least 95 % of the keystroke states
//! must show at most two `json-syntax` diagnostics, at least 99 % no new finding away from the
//! lines being typed, and completion must offer the action being typed at every keystroke
//! inside its string. On the fixtures here, and on the shared corpus when it is there
//! (`IAM_POLICY_CORPUS`; `IAM_POLICY_CORPUS_REQUIRED=1` makes its absence a failure).
//!
//! `IAM_TYPING_EVIDENCE=FILE` writes every state that misses a goal (the text around the
//! cursor and the diagnostics) to FILE.

mod common;

use common::typing::{Record, Summary, corpus_documents, fixtures, replay_all, table};
use common::{Client, corpus_or_skip};
use serde_json::json;

/// The floors of issue 16, in percent of keystroke states.
const AT_MOST_TWO_SYNTAX: f64 = 95.0;
const NO_FAR_FINDING: f64 = 99.0;

fn client() -> Client {
    Client::initialized(json!({"general": {"positionEncodings": ["utf-8"]}})).0
}

fn check(records: &[Record], what: &str) {
    let summary = Summary::of(records);
    println!("{what}:\n{}", table(records));
    if let Some(path) = std::env::var_os("IAM_TYPING_EVIDENCE") {
        let evidence: String = records.iter().filter_map(|r| r.evidence.clone()).collect();
        std::fs::write(path, evidence).expect("write the evidence file");
    }
    let first_misses: String = records
        .iter()
        .filter_map(|r| r.evidence.as_deref())
        .take(3)
        .collect();
    assert!(summary.states > 0, "{what}: no keystroke state replayed");
    assert!(
        summary.syntax_percent() >= AT_MOST_TWO_SYNTAX,
        "{what}: only {:.1} % of {} states have at most two syntax diagnostics (floor {AT_MOST_TWO_SYNTAX} %)\n{first_misses}",
        summary.syntax_percent(),
        summary.states
    );
    assert!(
        summary.far_percent() >= NO_FAR_FINDING,
        "{what}: only {:.1} % of {} states have no new finding away from the typed lines (floor {NO_FAR_FINDING} %)\n{first_misses}",
        summary.far_percent(),
        summary.states
    );
    assert!(
        summary.completion_states > 0,
        "{what}: no state inside an action string"
    );
    assert_eq!(
        summary.completion_offered, summary.completion_states,
        "{what}: completion did not offer the action being typed at every keystroke inside its string\n{first_misses}"
    );
}

#[test]
fn typing_into_the_fixtures_stays_quiet_and_precise() {
    let documents = fixtures();
    assert!(documents.len() >= 6);
    let mut client = client();
    let records = replay_all(&mut client, &documents, 1);
    check(&records, "fixtures");
    assert!(client.shutdown().success());
}

#[test]
fn typing_into_the_corpus_stays_quiet_and_precise() {
    let Some(dir) = corpus_or_skip("typing_into_the_corpus_stays_quiet_and_precise") else {
        return;
    };
    let documents = corpus_documents(&dir);
    assert!(
        documents.len() >= 100,
        "{} corpus policies",
        documents.len()
    );
    let mut client = client();
    let records = replay_all(&mut client, &documents, every());
    check(&records, "corpus");
    assert!(client.shutdown().success());
}

/// The share of the corpus's edits replayed in `cargo test` (one in `IAM_TYPING_EVERY`, 4 by
/// default, rotating over the documents so that every kind of edit is covered); the bench
/// replays them all.
fn every() -> usize {
    std::env::var("IAM_TYPING_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(4)
}
