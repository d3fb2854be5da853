//! Completion (and hover, code actions, analysis) latency on the largest policy of the shared
//! corpus, `iam-dataset__AWSSupportServiceRolePolicy.json` (about 203 KB, 4,500 actions).
//!
//! `cargo bench --bench completion` prints p50/p95/p99 per scenario (what the 2 ms p95 target
//! is about), then runs the criterion benchmarks. The analysis is computed once per document,
//! as the server caches it per version: a completion request never re-parses.
//! `IAM_POLICY_CORPUS` overrides the corpus folder. Without the corpus the bench says so and
//! measures nothing (it fails instead under `IAM_POLICY_CORPUS_REQUIRED=1`).

// The allocator the server binary uses (src/main.rs): serde_json gets it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use iam_policy_lsp::analysis::{Analysis, Options, analyze};
use iam_policy_lsp::ide::code_actions::code_actions;
use iam_policy_lsp::ide::completion::{Capabilities, complete_list};
use iam_policy_lsp::ide::hover::hover;
use iam_policy_lsp::syntax::TextRange;

const FILE: &str = "iam-dataset__AWSSupportServiceRolePolicy.json";

/// The corpus file measured, or `None` when the corpus is not there.
fn corpus_file() -> Option<String> {
    let dir = support::corpus_dir()?;
    let text = std::fs::read_to_string(dir.join(FILE))
        .unwrap_or_else(|e| panic!("{}: {e} (set IAM_POLICY_CORPUS)", dir.join(FILE).display()));
    Some(text)
}

/// A document and a cursor in it.
struct Scenario {
    name: &'static str,
    text: String,
    offset: u32,
    analysis: Analysis,
}

/// Replaces the `nth` occurrence of `needle` by `replacement` (whose `|` marks the cursor).
fn scenario(name: &'static str, base: &str, needle: &str, replacement: &str) -> Scenario {
    let at = base
        .match_indices(needle)
        .nth(2000.min(base.matches(needle).count() / 2))
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    let cursor = replacement.find('|').expect("cursor");
    let text = format!(
        "{}{}{}",
        &base[..at],
        replacement.replace('|', ""),
        &base[at + needle.len()..]
    );
    let analysis = analyze(&text, &Options::default());
    Scenario {
        name,
        offset: (at + cursor) as u32,
        text,
        analysis,
    }
}

fn scenarios(base: &str) -> Vec<Scenario> {
    let condition = "\"Effect\": \"Allow\",";
    vec![
        // Inside an existing action, after its prefix: the service's actions and wildcards.
        scenario(
            "existing action after prefix",
            base,
            "\"acm:describeCertificate\"",
            "\"acm:|describeCertificate\"",
        ),
        // A half-typed string in the middle of the 1,500-action arrays.
        scenario(
            "half-typed \"support:",
            base,
            "\"acm:describeCertificate\",",
            "\"support:|\n",
        ),
        scenario(
            "\"trustedadvisor:Desc",
            base,
            "\"acm:describeCertificate\"",
            "\"trustedadvisor:Desc|\"",
        ),
        scenario(
            "empty string: every service",
            base,
            "\"acm:describeCertificate\"",
            "\"|\"",
        ),
        scenario(
            "abbreviation sup:desclev",
            base,
            "\"acm:describeCertificate\"",
            "\"sup:desclev|\"",
        ),
        scenario(
            "ambiguous prefix s:",
            base,
            "\"acm:describeCertificate\"",
            "\"s:|\"",
        ),
        // A condition block in a statement with 1,500 actions: keys of its services.
        scenario(
            "condition key, 1,500-action statement",
            base,
            condition,
            "\"Condition\": {\"StringEquals\": {\"|\"}}, \"Effect\": \"Allow\",",
        ),
        scenario(
            "Resource value",
            base,
            "\"Resource\": [",
            "\"Resource\": [\"|\", ",
        ),
    ]
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration, Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.95), at(0.99), samples[samples.len() - 1])
}

fn time(iterations: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..iterations / 10 {
        f();
    }
    (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn report(scenarios: &[Scenario], base: &str) {
    let caps = Capabilities { snippets: true };
    println!("{FILE}: {} bytes", base.len());
    println!(
        "{:<42} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "completion", "items", "p50", "p95", "p99", "max"
    );
    for s in scenarios {
        let items = complete_list(&s.analysis, s.offset, caps).items.len();
        let (p50, p95, p99, max) = percentiles(time(2000, || {
            black_box(complete_list(black_box(&s.analysis), s.offset, caps));
        }));
        println!(
            "{:<42} {items:>6} {p50:>9.2?} {p95:>9.2?} {p99:>9.2?} {max:>9.2?}",
            s.name
        );
    }
    let wildcard = scenario(
        "",
        base,
        "\"acm:describeCertificate\"",
        "\"ec2:Describe*|\"",
    );
    let (_, p95, ..) = percentiles(time(500, || {
        black_box(hover(&wildcard.analysis, wildcard.offset));
    }));
    println!("hover on ec2:Describe*: p95 {p95:.2?}");
    let range = TextRange::empty(wildcard.offset);
    let (_, p95, ..) = percentiles(time(200, || {
        black_box(code_actions(&wildcard.analysis, &wildcard.text, range));
    }));
    println!("code actions (expand ec2:Describe*): p95 {p95:.2?}");
    let (p50, p95, ..) = percentiles(time(30, || {
        black_box(analyze(black_box(base), &Options::default()));
    }));
    println!("full analysis (per edit, in the background): p50 {p50:.2?}, p95 {p95:.2?}\n");
}

fn main() {
    let Some(base) = corpus_file() else {
        eprintln!(
            "note: SKIPPED the completion bench: the policy corpus is not there \
             (../shared/corpus/policies next to the repository, or a folder in IAM_POLICY_CORPUS)"
        );
        return;
    };
    let scenarios = scenarios(&base);
    report(&scenarios, &base);
    let mut criterion = Criterion::default().configure_from_args();
    let caps = Capabilities { snippets: true };
    let mut group = criterion.benchmark_group("completion");
    for s in &scenarios {
        group.bench_function(s.name, |b| {
            b.iter(|| complete_list(black_box(&s.analysis), s.offset, caps))
        });
    }
    group.finish();
    criterion.final_summary();
}
