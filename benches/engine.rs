//! The engine in-process: parse, and parse + full analysis, of each document next to
//! `serde_json::from_str::<serde_json::Value>` of the same text (the practical floor of
//! reading the JSON at all); completion and hover at representative positions of the largest
//! policy. After criterion's own report, a table of the ratios (goal: analysis within 3× of
//! serde_json).
//!
//! `cargo bench --bench engine` (add `-- <filter>` to run some only).

mod support;

// The allocator the server binary uses (src/main.rs): serde_json gets it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput};
use iam_policy_lsp::analysis::{Options, analyze};
use iam_policy_lsp::ide::{completion, hover};
use iam_policy_lsp::syntax::parse;

fn output_dir() -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
                .join("criterion")
        })
}

fn configure(c: Criterion) -> Criterion {
    c.output_directory(&output_dir())
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args()
}

fn parse_and_analyze(c: &mut Criterion, docs: &[support::Doc]) {
    let options = Options::default();
    for doc in docs {
        let mut group = c.benchmark_group(format!("read-{}", doc.label));
        group.throughput(Throughput::Bytes(doc.text.len() as u64));
        group.bench_function("serde_json", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&doc.text)).ok())
        });
        group.bench_function("parse", |b| b.iter(|| parse(black_box(&doc.text))));
        group.bench_function("analyze", |b| {
            b.iter(|| analyze(black_box(&doc.text), &options))
        });
        group.finish();
    }
}

fn ide(c: &mut Criterion, docs: &[support::Doc]) {
    // The largest document there is: the real one when the corpus is there.
    let Some(doc) = docs.first() else { return };
    let Some(at) = support::positions(&doc.text) else {
        eprintln!("no representative positions in {}", doc.label);
        return;
    };
    let analysis = analyze(&doc.text, &Options::default());
    let caps = completion::Capabilities { snippets: true };
    let mut group = c.benchmark_group(format!("ide-{}", doc.label));
    for (name, offset) in [
        ("action-value", at.action_value),
        ("effect-value", at.effect_value),
        ("key-slot", at.key_slot),
    ] {
        let offset = offset as u32;
        group.bench_function(format!("complete-{name}"), |b| {
            b.iter(|| completion::complete(&analysis, black_box(offset), caps))
        });
        group.bench_function(format!("hover-{name}"), |b| {
            b.iter(|| hover::hover(&analysis, black_box(offset)))
        });
    }
    group.finish();
}

/// The catalogue's hot paths on their own: what the analysis and completion call per action.
fn catalog_lookups(c: &mut Criterion) {
    use iam_policy_lsp::catalog;
    let mut group = c.benchmark_group("catalog");
    group.bench_function("action-lookup", |b| {
        b.iter(|| catalog::action(black_box("ec2"), black_box("describeinstances")))
    });
    group.bench_function("service-lookup", |b| {
        b.iter(|| catalog::service(black_box("SUPPORT-CONSOLE")))
    });
    for pattern in [
        "support:Describe*",
        "*:Describe*",
        "ec2:*Instance?",
        "support*",
    ] {
        group.bench_function(format!("count-matching {pattern}"), |b| {
            b.iter(|| catalog::count_matching(black_box(pattern)))
        });
    }
    group.bench_function("suggest-actions ec2:DescribeInstanse", |b| {
        b.iter(|| catalog::suggest_actions(black_box("ec2"), black_box("DescribeInstanse"), 3))
    });
    group.bench_function("suggest-services supprot", |b| {
        b.iter(|| catalog::suggest_services(black_box("supprot"), 3))
    });
    group.bench_function("condition-key aws:ResourceTag/Owner", |b| {
        b.iter(|| catalog::condition_key(black_box("aws:ResourceTag/Owner")))
    });
    group.finish();
}

/// The median time criterion recorded for `group/function` in this run, in nanoseconds.
fn median_ns(group: &str, function: &str) -> Option<f64> {
    let path = output_dir()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < *STARTED.get()? {
        return None; // from an earlier run (filtered out of this one)
    }
    let estimates: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn analyze_text(text: &str) -> iam_policy_lsp::analysis::Analysis {
    analyze(text, &Options::default())
}

fn format_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The ratio analyze / serde_json measured in alternation: rounds of a batch of each, back
/// to back (in turn first), so that both sides of a round run on the machine as it is then.
/// Criterion measures one function after the other, seconds apart, and on a shared machine
/// their speeds drift by more than the differences this ratio is about. Returns the median
/// and the quartiles of the rounds' ratios.
fn interleaved_ratio(text: &str, serde_ns: f64, analyze_ns: f64) -> (f64, f64, f64) {
    const ROUNDS: usize = 61;
    const BATCH_NS: f64 = 2e6;
    let options = Options::default();
    let batch = |ns: f64| ((BATCH_NS / ns.max(1.0)).ceil() as u32).max(1);
    let (serde_batch, analyze_batch) = (batch(serde_ns), batch(analyze_ns));
    let time_serde = || {
        let start = std::time::Instant::now();
        for _ in 0..serde_batch {
            black_box(serde_json::from_str::<serde_json::Value>(black_box(text)).ok());
        }
        start.elapsed().as_secs_f64() / f64::from(serde_batch)
    };
    let time_analyze = || {
        let start = std::time::Instant::now();
        for _ in 0..analyze_batch {
            black_box(analyze(black_box(text), &options));
        }
        start.elapsed().as_secs_f64() / f64::from(analyze_batch)
    };
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (serde, analyze) = if round % 2 == 0 {
                let serde = time_serde();
                (serde, time_analyze())
            } else {
                let analyze = time_analyze();
                (time_serde(), analyze)
            };
            analyze / serde
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    (
        ratios[ROUNDS / 2],
        ratios[ROUNDS / 4],
        ratios[ROUNDS - 1 - ROUNDS / 4],
    )
}

fn summary(docs: &[support::Doc]) {
    println!(
        "\nparse + full analysis against serde_json::Value (criterion medians; the ratio also \
         measured in alternation, median [quartiles] of 61 rounds; goal ≤ 3.0×)\n"
    );
    println!(
        "| document | bytes | findings | serde_json | parse | analyze | analyze/serde_json | alternating | MB/s (analyze) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for doc in docs {
        let group = format!("read-{}", doc.label);
        let (Some(serde), Some(parse), Some(analyze)) = (
            median_ns(&group, "serde_json"),
            median_ns(&group, "parse"),
            median_ns(&group, "analyze"),
        ) else {
            continue;
        };
        let findings = analyze_text(&doc.text).findings.len();
        let (median, low, high) = interleaved_ratio(&doc.text, serde, analyze);
        println!(
            "| {} | {} | {findings} | {} | {} | {} | {:.2}× | {median:.2}× [{low:.2}–{high:.2}] | {:.0} |",
            doc.label,
            doc.text.len(),
            format_ns(serde),
            format_ns(parse),
            format_ns(analyze),
            analyze / serde,
            doc.text.len() as f64 / analyze * 1e3,
        );
    }
    if let Some(doc) = docs.first() {
        let group = format!("ide-{}", doc.label);
        let mut rows = Vec::new();
        for position in ["action-value", "effect-value", "key-slot"] {
            if let (Some(c), Some(h)) = (
                median_ns(&group, &format!("complete-{position}")),
                median_ns(&group, &format!("hover-{position}")),
            ) {
                rows.push(format!(
                    "| {position} | {} | {} |",
                    format_ns(c),
                    format_ns(h)
                ));
            }
        }
        if !rows.is_empty() {
            println!(
                "\ncompletion and hover on {} ({} bytes; analysis already computed)\n",
                doc.label,
                doc.text.len()
            );
            println!("| position | completion | hover |\n|---|---:|---:|");
            for row in rows {
                println!("{row}");
            }
        }
    }
}

static STARTED: std::sync::OnceLock<std::time::SystemTime> = std::sync::OnceLock::new();

fn main() {
    STARTED.get_or_init(std::time::SystemTime::now);
    let docs = support::documents();
    // `IAM_BENCH_DUMP=folder`: write the documents there (to look at, or check with the CLI).
    if let Some(dir) = std::env::var_os("IAM_BENCH_DUMP") {
        let dir = PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        for doc in &docs {
            let _ = std::fs::write(dir.join(format!("{}.json", doc.label)), &doc.text);
        }
    }
    if support::corpus_dir().is_none() {
        eprintln!(
            "the policy corpus is not there (IAM_POLICY_CORPUS or ../shared/corpus/policies): \
             measuring generated policies only"
        );
    }
    let mut c = configure(Criterion::default());
    parse_and_analyze(&mut c, &docs);
    ide(&mut c, &docs);
    catalog_lookups(&mut c);
    c.final_summary();
    // Under `cargo test --benches` (criterion's test mode) nothing was measured.
    if !std::env::args().any(|a| a == "--test" || a == "--list") {
        summary(&docs);
    }
}
