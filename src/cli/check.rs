//! `iam-policy-lsp check`: the analysis on files and folders, in compiler format or JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::args::Format;
use super::line_index::LineIndex;
use crate::analysis::{Code, Config, Finding, Options, Severity, analyze};
use crate::policy::Selection;
use crate::syntax::TextRange;

pub struct Report {
    pub exit_code: i32,
}

/// One file to check, and whether the user named it (then it is a policy even if it does not
/// look like one) or a folder scan found it.
struct Input {
    path: PathBuf,
    selection: Selection,
}

pub fn run(
    paths: &[PathBuf],
    format: Format,
    config: Config,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Report {
    let mut io_errors = 0;
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = collect_json_files(path, &mut found) {
                let _ = writeln!(err, "{}: error: cannot read folder: {e}", path.display());
                io_errors += 1;
            }
            found.sort();
            inputs.extend(found.into_iter().map(|path| Input {
                path,
                selection: Selection::Auto,
            }));
        } else {
            inputs.push(Input {
                path: path.clone(),
                selection: Selection::Always,
            });
        }
    }

    let mut errors = 0;
    let mut warnings = 0;
    let mut skipped = 0;
    let mut json_findings = Vec::new();
    for input in &inputs {
        let bytes = match std::fs::read(&input.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "{}: error: cannot read file: {e}",
                    input.path.display()
                );
                io_errors += 1;
                continue;
            }
        };
        let (text, invalid_utf8) = decode(&bytes);
        let options = Options {
            selection: input.selection,
            config: config.clone(),
        };
        let analysis = analyze(&text, &options);
        let mut findings = analysis.findings;
        if let Some(at) = invalid_utf8 {
            findings.insert(
                0,
                Finding::new(
                    Code::JsonSyntax,
                    TextRange::from_usize(at..at),
                    format!("the file is not valid UTF-8 (first bad byte at offset {at}); IAM policies are UTF-8 JSON"),
                ),
            );
        }
        if analysis.policies.is_empty() && findings.is_empty() {
            skipped += 1;
            continue;
        }
        let index = LineIndex::new(&text);
        for finding in &findings {
            match finding.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => {}
            }
            match format {
                Format::Text => {
                    let (line, column) = index.line_col(&text, finding.range.start as usize);
                    let _ = writeln!(
                        out,
                        "{}:{line}:{column}: {}[{}] {}",
                        input.path.display(),
                        finding.severity.as_str(),
                        finding.code.as_str(),
                        finding.message
                    );
                }
                Format::Json => {
                    json_findings.push(finding_json(&input.path, &text, &index, finding))
                }
            }
        }
    }
    if format == Format::Json {
        let _ = serde_json::to_writer_pretty(&mut *out, &json_findings);
        let _ = writeln!(out);
    }
    let checked = inputs.len() - skipped;
    let _ = writeln!(
        err,
        "checked {checked} file{}{}: {errors} error{}, {warnings} warning{}",
        plural(checked),
        if skipped > 0 {
            format!(
                " ({skipped} other JSON file{} skipped: not IAM policies)",
                plural(skipped)
            )
        } else {
            String::new()
        },
        plural(errors),
        plural(warnings),
    );
    let exit_code = if io_errors > 0 {
        2
    } else if errors > 0 {
        1
    } else {
        0
    };
    Report { exit_code }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The text, replacing invalid UTF-8 (reported at its first byte).
fn decode(bytes: &[u8]) -> (String, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(e) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(e.valid_up_to()),
        ),
    }
}

fn finding_json(
    path: &Path,
    text: &str,
    index: &LineIndex,
    finding: &Finding,
) -> serde_json::Value {
    let position = |offset: u32| {
        let (line, column) = index.line_col(text, offset as usize);
        serde_json::json!({"line": line, "column": column, "offset": offset})
    };
    serde_json::json!({
        "path": path.display().to_string(),
        "range": {"start": position(finding.range.start), "end": position(finding.range.end)},
        "severity": finding.severity,
        "code": finding.code,
        "message": finding.message,
        "data": finding.data,
    })
}

fn collect_json_files(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if !name.starts_with('.') && name != "node_modules" && name != "target" {
                collect_json_files(&path, found)?;
            }
        } else if file_type.is_file() && name.ends_with(".json") {
            found.push(path);
        }
    }
    Ok(())
}
