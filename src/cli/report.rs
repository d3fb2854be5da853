//! What `check` writes: one line per finding (`path:line:column: severity[code] message`), one
//! JSON array, or one SARIF log on stdout; problems and the summary on stderr, each on its own
//! line (stdout is flushed first, so that `2>&1` keeps lines whole and in order); the exit
//! status.

use std::io::Write;
use std::path::Path;

use super::LineIndex;
use super::args::{CheckFormat, FailOn};
use super::check::{CheckedFile, FileKind, FixMode};
use super::output::Output;
use super::sarif;
use super::walk::{NoticeKind, WalkNotice};
use crate::analysis::{Finding, Severity};

pub(super) struct Report<'w, O: Write, E: Write> {
    format: CheckFormat,
    fail_on: FailOn,
    /// With `--diff`, stdout carries the diffs only.
    fix: FixMode,
    out: Output<&'w mut O>,
    err: &'w mut E,
    /// Findings by severity: error, warning, information, hint.
    counts: [usize; 4],
    /// Files read and analysed (policies, and files that are not JSON).
    checked: usize,
    /// JSON files that are no policy.
    skipped: usize,
    /// Files and folders that could not be read; files that could not be written.
    unreadable: usize,
    unwritable: usize,
    /// Walk notices that are not errors (links not followed, …).
    notices: usize,
    /// Files `--fix` wrote, and the fixes in them; files `--diff` would change.
    fixed_files: usize,
    fixes: usize,
    would_change: usize,
    /// A finding at or above `--fail-on`.
    failing: bool,
    /// The JSON format's findings, or SARIF's results, written at the end.
    collected: Vec<serde_json::Value>,
    /// SARIF's notifications (files that could not be read or written).
    notifications: Vec<serde_json::Value>,
}

impl<'w, O: Write, E: Write> Report<'w, O, E> {
    pub(super) fn new(
        format: CheckFormat,
        fail_on: FailOn,
        fix: FixMode,
        out: &'w mut O,
        err: &'w mut E,
    ) -> Self {
        Self {
            format,
            fail_on,
            fix,
            out: Output::new(out),
            err,
            counts: [0; 4],
            checked: 0,
            skipped: 0,
            unreadable: 0,
            unwritable: 0,
            notices: 0,
            fixed_files: 0,
            fixes: 0,
            would_change: 0,
            failing: false,
            collected: Vec::new(),
            notifications: Vec::new(),
        }
    }

    /// A line on stderr, after what stdout has so far.
    fn say(&mut self, line: std::fmt::Arguments) {
        self.out.flush_quietly();
        let _ = self.err.write_fmt(line);
        let _ = self.err.write_all(b"\n");
    }

    pub(super) fn notice(&mut self, notice: &WalkNotice) {
        let path = notice.path.display();
        match notice.kind {
            NoticeKind::Unreadable => {
                self.unreadable += 1;
                let what = if notice.path.is_dir() {
                    "cannot read folder"
                } else {
                    "cannot read file"
                };
                self.io_error(&notice.path, what, &notice.message);
            }
            NoticeKind::Skipped => {
                self.notices += 1;
                self.say(format_args!("{path}: warning: {}", notice.message));
            }
        }
    }

    fn io_error(&mut self, path: &Path, what: &str, message: &str) {
        self.say(format_args!("{}: error: {what}: {message}", path.display()));
        if self.format == CheckFormat::Sarif {
            let text = format!("{what}: {message}");
            self.notifications
                .push(sarif::notification(&sarif::uri(path), &text));
        }
    }

    pub(super) fn unreadable(&mut self, path: &Path, message: &str) {
        self.unreadable += 1;
        self.io_error(path, "cannot read file", message);
    }

    pub(super) fn unwritable(&mut self, path: &Path, message: &str) {
        self.unwritable += 1;
        self.io_error(
            path,
            "cannot write the fixed file (left as it was)",
            message,
        );
    }

    pub(super) fn fixed(&mut self, count: usize) {
        self.fixed_files += 1;
        self.fixes += count;
    }

    pub(super) fn diff(&mut self, diff: &str, count: usize) {
        self.would_change += 1;
        self.fixes += count;
        let _ = self.out.write_all(diff.as_bytes());
    }

    pub(super) fn file(&mut self, file: &CheckedFile) {
        if file.kind == FileKind::OtherJson {
            self.skipped += 1;
            return;
        }
        self.checked += 1;
        if self.fix == FixMode::Diff {
            return;
        }
        let text = &file.decoded.text;
        let index = LineIndex::new(text);
        let positions = (self.format == CheckFormat::Sarif).then(|| sarif::Positions::new(text));
        let uri = sarif::uri(file.path);
        for finding in &file.findings {
            self.counts[severity_index(finding.severity)] += 1;
            self.failing |= self.fail_on.fails(finding.severity);
            match self.format {
                CheckFormat::Text => {
                    let (line, column) = index.line_col(text, finding.range.start as usize);
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
                    .collected
                    .push(finding_json(file.path, text, &index, finding)),
                CheckFormat::Sarif => {
                    if let Some(positions) = &positions {
                        self.collected.push(sarif::result(&uri, positions, finding));
                    }
                }
            }
        }
    }

    /// Writes the JSON array or SARIF log (for those formats) and the summary; returns the
    /// exit status.
    pub(super) fn finish(mut self) -> u8 {
        let collected = std::mem::take(&mut self.collected);
        match self.format {
            _ if self.fix == FixMode::Diff => {}
            CheckFormat::Text => {}
            CheckFormat::Json => {
                let _ = serde_json::to_writer_pretty(&mut self.out, &collected);
                let _ = writeln!(self.out);
            }
            CheckFormat::Sarif => {
                let notifications = std::mem::take(&mut self.notifications);
                let _ = serde_json::to_writer_pretty(
                    &mut self.out,
                    &sarif::log(collected, notifications),
                );
                let _ = writeln!(self.out);
            }
        }
        let write_error = self.out.finish();
        if let Some(error) = &write_error {
            let _ = writeln!(
                self.err,
                "iam-policy-lsp: error: cannot write the output: {error}"
            );
        }
        let summary = self.summary();
        let _ = writeln!(self.err, "{summary}");
        if write_error.is_some() || self.unreadable + self.unwritable > 0 {
            2
        } else if self.failing || self.would_change > 0 {
            1
        } else {
            0
        }
    }

    fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.skipped > 0 {
            parts.push(format!(
                "{} other file{} skipped: no IAM policy",
                self.skipped,
                plural(self.skipped)
            ));
        }
        if self.unreadable > 0 {
            parts.push(format!("{} could not be read", self.unreadable));
        }
        if self.unwritable > 0 {
            parts.push(format!("{} could not be written", self.unwritable));
        }
        if self.notices > 0 {
            parts.push(format!(
                "{} warning{} above",
                self.notices,
                plural(self.notices)
            ));
        }
        let aside = if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join("; "))
        };
        let [errors, warnings, infos, hints] = self.counts;
        if self.fix == FixMode::Diff {
            return format!(
                "checked {} file{}{aside}: {} file{} would be fixed ({} fix{})",
                self.checked,
                plural(self.checked),
                self.would_change,
                plural(self.would_change),
                self.fixes,
                if self.fixes == 1 { "" } else { "es" }
            );
        }
        let mut summary = format!(
            "checked {} file{}{aside}: {errors} error{}, {warnings} warning{}, {infos} info, {hints} hint{}",
            self.checked,
            plural(self.checked),
            plural(errors),
            plural(warnings),
            plural(hints),
        );
        if self.fix == FixMode::Write {
            summary.push_str(&format!(
                "; fixed {} file{} ({} fix{})",
                self.fixed_files,
                plural(self.fixed_files),
                self.fixes,
                if self.fixes == 1 { "" } else { "es" }
            ));
        }
        summary
    }
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Information => 2,
        Severity::Hint => 3,
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
