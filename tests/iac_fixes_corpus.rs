//! Every quick fix offered on real CloudFormation, SAM and Terraform files (`IAC_CORPUS`, as
//! in `iac_corpus.rs`; read in place, never copied), applied one at a time: the file still
//! parses as cleanly as before (no new YAML or HCL syntax error), holds as many policies, and
//! no longer has the finding the fix was for at that place.

use std::path::{Path, PathBuf};

use iam_policy_lsp::analysis::{Options, analyze};
use iam_policy_lsp::host::Host;

fn corpus_dir() -> Option<PathBuf> {
    let named = std::env::var_os("IAC_CORPUS").map(PathBuf::from);
    let required = named.is_some() || std::env::var("IAC_CORPUS_REQUIRED").as_deref() == Ok("1");
    let dir = named.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../iac-corpus"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(!required, "the IaC corpus is not at {}", dir.display());
    println!(
        "note: IaC corpus absent at {}: tests/iac_fixes_corpus.rs skipped (set IAC_CORPUS)",
        dir.display()
    );
    None
}

fn syntax_errors(host: Host, text: &str) -> usize {
    let mut parser = tree_sitter::Parser::new();
    let language = match host {
        Host::Yaml => tree_sitter_yaml::LANGUAGE.into(),
        _ => tree_sitter_hcl::LANGUAGE.into(),
    };
    parser.set_language(&language).unwrap();
    let Some(tree) = parser.parse(text, None) else {
        return usize::MAX;
    };
    let mut count = 0;
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        stack.extend(node.children(&mut cursor));
    }
    count
}

fn apply(text: &str, edits: &[iam_policy_lsp::analysis::Edit]) -> String {
    let mut ordered: Vec<_> = edits.iter().collect();
    ordered.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for edit in ordered {
        out.replace_range(edit.range.as_usize(), &edit.new_text);
    }
    out
}

#[test]
fn every_fix_on_real_files_keeps_them_valid() {
    let Some(dir) = corpus_dir() else { return };
    let (mut files, mut fixes) = (0, 0);
    let mut failures = Vec::new();
    for kind in ["cloudformation-yaml", "sam", "terraform"] {
        let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(host) = Host::from_path(&path.to_string_lossy()) else {
                continue;
            };
            if host == Host::Json {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            files += 1;
            let options = Options {
                host,
                ..Options::default()
            };
            let before = analyze(&text, &options);
            let errors_before = syntax_errors(host, &text);
            for finding in &before.findings {
                for fix in &finding.fixes {
                    fixes += 1;
                    let fixed = apply(&text, &fix.edits);
                    let after = analyze(&fixed, &options);
                    let still = after
                        .findings
                        .iter()
                        .any(|f| f.code == finding.code && f.range.start == finding.range.start);
                    let problem = if syntax_errors(host, &fixed) > errors_before {
                        Some("a new syntax error")
                    } else if after.policies.len() != before.policies.len() {
                        Some("a policy lost")
                    } else if still {
                        Some("the finding is still there")
                    } else {
                        None
                    };
                    if let Some(problem) = problem {
                        failures.push(format!(
                            "{}: {} / {}: {problem}",
                            path.display(),
                            finding.code.as_str(),
                            fix.title
                        ));
                    }
                }
            }
        }
    }
    println!("{files} files, {fixes} fixes applied one at a time");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn missing_versions(analysis: &iam_policy_lsp::analysis::Analysis) -> usize {
    analysis
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "missing-version")
        .count()
}

/// The layout fixes on real files: each `Version: 2012-10-17` line of a YAML template (and
/// `Version = "2012-10-17"` of a Terraform `jsonencode`) taken out, one at a time, the
/// `missing-version` fix puts a `Version` back in the file's own layout; the file parses as
/// cleanly as the original, with as many policies and no more `missing-version`.
#[test]
fn missing_version_fix_on_real_files() {
    let Some(dir) = corpus_dir() else { return };
    let (mut tried, mut fixed) = (0, 0);
    let mut failures = Vec::new();
    for kind in ["cloudformation-yaml", "sam", "terraform"] {
        let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(host) = Host::from_path(&path.to_string_lossy()) else {
                continue;
            };
            if host == Host::Json {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let options = Options {
                host,
                ..Options::default()
            };
            let original = analyze(&text, &options);
            let errors = syntax_errors(host, &text);
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let start = offset;
                offset += line.len();
                let content = line.trim();
                // `Version: 2012-10-17` in YAML, `Version = "2012-10-17"` in a jsonencode.
                let value = content
                    .strip_prefix("Version")
                    .map(|v| v.trim_start().trim_start_matches([':', '=']).trim())
                    .map(|v| v.trim_end_matches(','));
                if !matches!(
                    value,
                    Some("2012-10-17" | "'2012-10-17'" | "\"2012-10-17\"")
                ) {
                    continue;
                }
                let cut = format!("{}{}", &text[..start], &text[offset..]);
                let analysis = analyze(&cut, &options);
                let Some(fix) = analysis
                    .findings
                    .iter()
                    .filter(|f| f.code.as_str() == "missing-version")
                    .find_map(|f| f.fixes.first())
                else {
                    continue; // e.g. the policy is a !Sub or the line was not a policy's
                };
                tried += 1;
                let repaired = apply(&cut, &fix.edits);
                let after = analyze(&repaired, &options);
                let problem = if syntax_errors(host, &repaired) > errors {
                    Some("a new syntax error")
                } else if after.policies.len() != original.policies.len() {
                    Some("a policy lost")
                } else if missing_versions(&after) != missing_versions(&original) {
                    Some("still missing-version")
                } else {
                    None
                };
                match problem {
                    Some(problem) => {
                        failures.push(format!("{} line {:?}: {problem}", path.display(), content))
                    }
                    None => fixed += 1,
                }
            }
        }
    }
    println!("missing-version fixes on real files: {fixed} of {tried} clean");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
