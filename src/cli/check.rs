//! `iam-policy-lsp check`: the files to check (`walk`), each one read (`read`), analysed and
//! perhaps fixed (here, `fix`), the findings written out (`report`).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{CheckFormat, FailOn};
use super::fix;
use super::read::{self, Decoded};
use super::report::Report;
use super::walk::{self, Input, WalkOptions};
use crate::analysis::{Code, Config, Finding, Options, analyze};
use crate::host::Host;
use crate::policy::{DeclaredType, Selection};
use crate::syntax::TextRange;

/// What `check` does with safe fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FixMode {
    Off,
    /// Write the fixed files.
    Write,
    /// Print the changes as a unified diff.
    Diff,
}

pub(crate) struct CheckOptions {
    pub(crate) format: CheckFormat,
    pub(crate) config: Config,
    pub(crate) walk: WalkOptions,
    pub(crate) fail_on: FailOn,
    pub(crate) fix: FixMode,
    /// `--policy-type`: the type of every file's policies, over the configuration's.
    pub(crate) policy_type: Option<DeclaredType>,
}

/// Runs the check and returns the exit status: 0 nothing fails, 1 findings at or above the
/// `--fail-on` severity (with `--diff`: a file would change), 2 a file or folder could not be
/// read or written, or the output could not be written.
pub(crate) fn run(
    paths: &[PathBuf],
    options: &CheckOptions,
    out: &mut impl Write,
    err: &mut impl Write,
) -> u8 {
    let (inputs, notices) = walk::inputs(paths, options.walk);
    let mut report = Report::new(options.format, options.fail_on, options.fix, out, err);
    for notice in &notices {
        report.notice(notice);
    }
    for input in &inputs {
        check_input(input, options, &mut report);
    }
    report.finish()
}

fn check_input<O: Write, E: Write>(
    input: &Input,
    options: &CheckOptions,
    report: &mut Report<O, E>,
) {
    let decoded = match read::read_limited(&input.path).and_then(|bytes| read::decode(&bytes)) {
        Ok(decoded) => decoded,
        Err(error) => return report.unreadable(&input.path, &error.to_string()),
    };
    let path = input.path.to_string_lossy();
    let policy_type = options
        .policy_type
        .as_ref()
        .or_else(|| options.config.declared_type(&path));
    let analysis_options = Options {
        selection: input.selection,
        config: options.config.clone(),
        policy_type: policy_type.cloned(),
        host: Host::from_path(&path).unwrap_or_default(),
    };
    let mut file = analyse(&input.path, decoded, &analysis_options);
    if options.fix != FixMode::Off
        && file.kind == FileKind::Policy
        && file.decoded.invalid.is_none()
    {
        if let Some((fixed, count)) = fix::fix_text(&file.decoded.text, &analysis_options) {
            match options.fix {
                FixMode::Diff => {
                    let diff = fix::unified_diff(&input.path, &file.decoded.text, &fixed);
                    report.diff(&diff, count);
                }
                _ => {
                    let bytes = read::encode(&fixed, file.decoded.encoding);
                    if let Err(error) = fix::write_atomically(&input.path, &bytes) {
                        report.unwritable(&input.path, &error.to_string());
                        report.file(&file);
                        return;
                    }
                    report.fixed(count);
                    let decoded = Decoded {
                        text: fixed,
                        ..file.decoded
                    };
                    file = analyse(&input.path, decoded, &analysis_options);
                }
            }
        }
    }
    report.file(&file);
}

/// What a file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FileKind {
    /// It holds a policy (or was named: then it is one, whatever it holds).
    Policy,
    /// Found in a folder, and not JSON at all: its syntax errors are reported.
    NotJson,
    /// Found in a folder: well-formed JSON that is not a policy (package.json), or a YAML or
    /// Terraform file without policies. Skipped.
    OtherJson,
}

/// One file, analysed.
pub(super) struct CheckedFile<'a> {
    pub(super) path: &'a Path,
    pub(super) decoded: Decoded,
    /// Sorted by position; undecodable text first.
    pub(super) findings: Vec<Finding>,
    pub(super) kind: FileKind,
}

fn analyse<'a>(path: &'a Path, decoded: Decoded, options: &Options) -> CheckedFile<'a> {
    let analysis = analyze(&decoded.text, options);
    let mut findings = analysis.findings;
    // (YAML and Terraform syntax is not ours to judge: such a file without policies is skipped.)
    let not_json = analysis.host == Host::Json
        && (analysis.parse.root.is_none() || !analysis.parse.errors.is_empty());
    let kind = if !analysis.policies.is_empty() || options.selection == Selection::Always {
        FileKind::Policy
    } else if not_json || decoded.invalid.is_some() {
        // A `.json` file that cannot be parsed may be a policy someone broke: a corrupted
        // policy must not pass CI as "not a policy".
        findings = analysis
            .parse
            .errors
            .iter()
            .map(|e| {
                Finding::new(
                    Code::JsonSyntax,
                    e.range,
                    format!("JSON syntax: {}", e.message),
                )
            })
            .collect();
        options.config.apply(&mut findings);
        FileKind::NotJson
    } else {
        FileKind::OtherJson
    };
    if let Some((at, message)) = &decoded.invalid
        && options.config.enabled_codes().contains(Code::JsonSyntax)
    {
        let mut finding = vec![Finding::new(
            Code::JsonSyntax,
            TextRange::from_usize(*at..*at),
            message.clone(),
        )];
        options.config.apply(&mut finding);
        findings.splice(0..0, finding);
    }
    CheckedFile {
        path,
        decoded,
        findings,
        kind,
    }
}
