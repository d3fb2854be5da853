//! What `check` writes: one line per finding (`path:line:column: severity[code] message`) or
//! one JSON array, a summary on stderr, and the exit status.

use std::io::{self, Write};
use std::path::Path;

use super::LineIndex;
use super::args::CheckFormat;
use super::check::CheckedFile;
use super::walk::WalkError;
use crate::analysis::{Finding, Severity};

pub(super) struct Report<'w, O: Write, E: Write> {
    format: CheckFormat,
    out: &'w mut O,
    err: &'w mut E,
    errors: usize,
    warnings: usize,
    /// JSON files that are no policy and have no finding.
    skipped: usize,
    io_errors: usize,
    /// The findings of the JSON format, written as one array at the end.
    json: Vec<serde_json::Value>,
}

impl<'w, O: Write, E: Write> Report<'w, O, E> {
    pub(super) fn new(format: CheckFormat, out: &'w mut O, err: &'w mut E) -> Self {
        Self {
            format,
            out,
            err,
            errors: 0,
            warnings: 0,
            skipped: 0,
            io_errors: 0,
            json: Vec::new(),
        }
    }

    pub(super) fn walk_error(&mut self, error: &WalkError) {
        if error.unreadable {
            self.io_errors += 1;
            let _ = writeln!(
                self.err,
                "{}: error: cannot read folder: {}",
                error.path.display(),
                error.message
            );
        } else {
            let _ = writeln!(
                self.err,
                "{}: warning: {}",
                error.path.display(),
                error.message
            );
        }
    }

    pub(super) fn read_error(&mut self, path: &Path, error: &io::Error) {
        self.io_errors += 1;
        let _ = writeln!(
            self.err,
            "{}: error: cannot read file: {error}",
            path.display()
        );
    }

    pub(super) fn file(&mut self, file: &CheckedFile) {
        if !file.has_policy && file.findings.is_empty() {
            self.skipped += 1;
            return;
        }
        let index = LineIndex::new(&file.text);
        for finding in &file.findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                _ => {}
            }
            match self.format {
                CheckFormat::Text => {
                    let (line, column) = index.line_col(&file.text, finding.range.start as usize);
                    let _ = writeln!(
                        self.out,
                        "{}:{line}:{column}: {}[{}] {}",
                        file.path.display(),
                        finding.severity.as_str(),
                        finding.code.as_str(),
                        finding.message
                    );
                }
                CheckFormat::Json => self
                    .json
                    .push(finding_json(file.path, &file.text, &index, finding)),
            }
        }
    }

    /// Writes the JSON array (for that format) and the summary; returns the exit status.
    pub(super) fn finish(self, inputs: usize) -> u8 {
        if self.format == CheckFormat::Json {
            let _ = serde_json::to_writer_pretty(&mut *self.out, &self.json);
            let _ = writeln!(self.out);
        }
        let checked = inputs - self.skipped;
        let skipped = if self.skipped > 0 {
            format!(
                " ({} other file{} skipped: no IAM policy)",
                self.skipped,
                plural(self.skipped)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            self.err,
            "checked {checked} file{}{skipped}: {} error{}, {} warning{}",
            plural(checked),
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings),
        );
        if self.io_errors > 0 {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
