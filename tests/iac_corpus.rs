//! Real CloudFormation, SAM and Terraform files (`IAC_CORPUS`, default `../iac-corpus` next to
//! the repository; other people's files, read in place, never copied here): no panic, no
//! error-severity finding on files as their authors wrote them, and every literal action of
//! every policy seen — a misspelling added to any one is reported at that token.
//!
//! The corpus is not public data CI can fetch (CI reaches only package registries), so a
//! missing corpus skips with a note, even under `IAM_POLICY_CORPUS_REQUIRED=1`; it fails when
//! `IAC_CORPUS` names a folder that is not there, or when `IAC_CORPUS_REQUIRED=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iam_policy_lsp::analysis::{Analysis, Options, Severity, analyze};
use iam_policy_lsp::host::Host;
use iam_policy_lsp::syntax::{Str, TextRange, Value, ValueKind};

const KINDS: &[&str] = &[
    "cloudformation-yaml",
    "cloudformation-json",
    "sam",
    "terraform",
];

fn corpus_dir() -> Option<PathBuf> {
    let named = std::env::var_os("IAC_CORPUS").map(PathBuf::from);
    let required = named.is_some() || std::env::var("IAC_CORPUS_REQUIRED").as_deref() == Ok("1");
    let dir = named.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../iac-corpus"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !required,
        "the IaC corpus is not at {} (IAC_CORPUS / IAC_CORPUS_REQUIRED say it must be)",
        dir.display()
    );
    println!(
        "note: IaC corpus absent at {}: tests/iac_corpus.rs skipped (set IAC_CORPUS)",
        dir.display()
    );
    None
}

fn files(dir: &Path) -> Vec<(PathBuf, Host)> {
    let mut found = Vec::new();
    for kind in KINDS {
        let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if let Some(host) = Host::from_path(&path.to_string_lossy()) {
                found.push((path, host));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn analyse(text: &str, host: Host) -> Analysis {
    let options = Options {
        host,
        ..Options::default()
    };
    analyze(text, &options)
}

/// The literal action strings of the policies (through `Fn::If` branches).
fn literal_actions(analysis: &Analysis) -> Vec<&Str> {
    let Some(root) = &analysis.parse.root else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for range in &analysis.policies {
        if let Some(policy) = find(root, *range) {
            for statement in statements(policy) {
                for key in ["Action", "NotAction"] {
                    if let Some(value) = member(statement, key) {
                        strings(value, &mut out);
                    }
                }
            }
        }
    }
    out
}

fn find(value: &Value, range: TextRange) -> Option<&Value> {
    if value.range == range && matches!(value.kind, ValueKind::Object(_)) {
        return Some(value);
    }
    match &value.kind {
        ValueKind::Object(o) => o
            .members
            .iter()
            .filter_map(|m| m.value.as_ref())
            .find_map(|v| find(v, range)),
        ValueKind::Array(a) => a.elements.iter().find_map(|v| find(v, range)),
        _ => None,
    }
}

fn member<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match &value.kind {
        ValueKind::Object(o) => o
            .members
            .iter()
            .find(|m| &*m.key.value == key)?
            .value
            .as_ref(),
        _ => None,
    }
}

fn if_branches(value: &Value) -> Option<&[Value]> {
    match member(value, "Fn::If")?.kind {
        ValueKind::Array(ref a) if a.elements.len() == 3 => Some(&a.elements[1..]),
        _ => None,
    }
}

fn statements(policy: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut pending: Vec<&Value> = member(policy, "Statement").into_iter().collect();
    while let Some(value) = pending.pop() {
        match (&value.kind, if_branches(value)) {
            (_, Some(branches)) => pending.extend(branches),
            (ValueKind::Array(a), _) => pending.extend(&a.elements),
            (ValueKind::Object(_), _) => out.push(value),
            _ => {}
        }
    }
    out
}

fn strings<'a>(value: &'a Value, out: &mut Vec<&'a Str>) {
    match (&value.kind, if_branches(value)) {
        (_, Some(branches)) => branches.iter().for_each(|b| strings(b, out)),
        (ValueKind::String(s), _) => out.push(s),
        (ValueKind::Array(a), _) => a.elements.iter().for_each(|e| strings(e, out)),
        _ => {}
    }
}

#[test]
fn real_templates_and_configurations() {
    let Some(dir) = corpus_dir() else { return };
    let files = files(&dir);
    assert!(!files.is_empty(), "no files under {}", dir.display());
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let (mut policies, mut actions, mut seen) = (0, 0, 0);
    let mut missed = Vec::new();
    for (path, host) in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let analysis = std::panic::catch_unwind(|| analyse(&text, *host))
            .unwrap_or_else(|_| panic!("panic on {name}"));
        policies += analysis.policies.len();
        if std::env::var_os("IAC_CORPUS_VERBOSE").is_some() {
            println!(
                "{name}\t{}\t{}",
                analysis.policies.len(),
                literal_actions(&analysis).len()
            );
        }
        for finding in &analysis.findings {
            *by_code
                .entry(finding.code.as_str().to_string())
                .or_default() += 1;
            if finding.severity == Severity::Error {
                errors.push(format!(
                    "{name}: {} at {:?}",
                    finding.code.as_str(),
                    finding.range
                ));
            }
        }
        // A misspelling added to each literal action is reported at that token.
        for token in literal_actions(&analysis) {
            let value = &*token.value;
            let Some((service, action)) = value.split_once(':') else {
                continue;
            };
            if value.contains(['*', '?', '$']) || service.is_empty() || action.is_empty() {
                continue;
            }
            actions += 1;
            let end = token.content_range().end as usize;
            let mutated = format!("{}Zq{}", &text[..end], &text[end..]);
            let after = analyse(&mutated, *host);
            let start = token.range.start;
            if after
                .findings
                .iter()
                .any(|f| f.range.start == start && f.code.as_str().starts_with("unknown-"))
            {
                seen += 1;
            } else {
                missed.push(format!("{name}: {value} at {start}"));
            }
        }
    }
    println!(
        "IaC corpus: {} files, {policies} policies, {actions} literal actions, {seen} misspellings reported at their token",
        files.len()
    );
    println!("findings by code: {by_code:?}");
    assert!(
        missed.is_empty(),
        "misspellings not reported:\n{}",
        missed.join("\n")
    );
    assert!(
        errors.is_empty(),
        "error findings on real files:\n{}",
        errors.join("\n")
    );
}
