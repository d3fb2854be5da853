//! `iam-policy-lsp explain FILE`: per Support Center workflow, what the policy does to it.

use std::io::Write;
use std::path::Path;

use super::LineIndex;
use super::args::ExplainFormat;
use super::output::Output;
use super::read;
use crate::analysis::{Options, analyze};
use crate::policy::Selection;
use crate::support::explain::{Lists, explain, json, markdown};

/// Returns the exit status: 0, or 2 when the file cannot be read or holds no policy, or the
/// output cannot be written.
pub(crate) fn run(
    path: &Path,
    format: ExplainFormat,
    out: &mut impl Write,
    err: &mut impl Write,
) -> u8 {
    let text = match read::read_limited(path).and_then(|bytes| read::decode(&bytes)) {
        Ok(decoded) => decoded.text,
        Err(e) => {
            let _ = writeln!(err, "{}: error: cannot read file: {e}", path.display());
            return 2;
        }
    };
    // What looks like a policy (as in a folder walk): a table of "not affected" rows for
    // package.json would say nothing true.
    let analysis = analyze(
        &text,
        &Options {
            selection: Selection::Auto,
            host: crate::host::Host::from_path(&path.to_string_lossy()).unwrap_or_default(),
            ..Options::default()
        },
    );
    let policies = analysis.policies();
    if policies.is_empty() {
        let _ = writeln!(err, "{}: error: no IAM policy found", path.display());
        return 2;
    }
    let mut out = Output::new(out);
    let status = write_tables(path, format, &text, &policies, &mut out);
    match out.finish() {
        Some(error) => {
            let _ = writeln!(
                err,
                "iam-policy-lsp: error: cannot write the output: {error}"
            );
            2
        }
        None => status,
    }
}

fn write_tables(
    path: &Path,
    format: ExplainFormat,
    text: &str,
    policies: &[crate::policy::Policy],
    out: &mut impl Write,
) -> u8 {
    let index = LineIndex::new(text);
    let mut documents = Vec::new();
    for policy in policies {
        let (line, _) = index.line_col(text, policy.value.range.start as usize);
        let rows = explain(policy, Some(text), Lists::Complete);
        match format {
            ExplainFormat::Markdown => {
                let heading = if policies.len() > 1 {
                    format!("{} (policy at line {line})", path.display())
                } else {
                    path.display().to_string()
                };
                let _ = writeln!(
                    out,
                    "### Support Center impact: {heading}\n\n{}",
                    markdown(&rows, Lists::Complete)
                );
            }
            ExplainFormat::Json => documents.push(serde_json::json!({
                "path": path.display().to_string(),
                "line": line,
                "workflows": json(&rows),
            })),
        }
    }
    if format == ExplainFormat::Json {
        let _ = serde_json::to_writer_pretty(&mut *out, &documents);
        let _ = writeln!(out);
    }
    0
}
