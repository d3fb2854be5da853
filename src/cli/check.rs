//! `iam-policy-lsp check`: the files to check (`walk`), each one analysed (here), the
//! findings written out (`report`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::args::CheckFormat;
use super::report::Report;
use super::walk::{self, Input, WalkOptions};
use crate::analysis::{Code, Config, Finding, Options, analyze};
use crate::host::Host;
use crate::policy::DeclaredType;
use crate::syntax::TextRange;

/// Runs the check and returns the exit status: 0 no errors, 1 error-severity findings, 2 a file
/// or folder could not be read.
pub(crate) fn run(
    paths: &[PathBuf],
    format: CheckFormat,
    config: &Config,
    policy_type: Option<&DeclaredType>,
    walk_options: WalkOptions,
    out: &mut impl Write,
    err: &mut impl Write,
) -> u8 {
    let (inputs, walk_errors) = walk::inputs(paths, walk_options);
    let mut report = Report::new(format, out, err);
    for error in &walk_errors {
        report.walk_error(error);
    }
    for input in &inputs {
        match check_file(input, config, policy_type) {
            Ok(file) => report.file(&file),
            Err(error) => report.read_error(&input.path, &error),
        }
    }
    report.finish(inputs.len())
}

/// One file, analysed.
pub(super) struct CheckedFile<'a> {
    pub(super) path: &'a Path,
    pub(super) text: String,
    /// Sorted by position; invalid UTF-8 first.
    pub(super) findings: Vec<Finding>,
    /// The file holds a policy (else, without findings, it is some other JSON, YAML or Terraform
    /// file).
    pub(super) has_policy: bool,
}

/// One file, of the type `--policy-type` gives every file, else the type the configuration
/// gives its path.
fn check_file<'a>(
    input: &'a Input,
    config: &Config,
    policy_type: Option<&DeclaredType>,
) -> io::Result<CheckedFile<'a>> {
    let bytes = std::fs::read(&input.path)?;
    let (text, invalid_utf8) = decode(&bytes);
    let policy_type = policy_type.or_else(|| config.declared_type(&input.path.to_string_lossy()));
    let options = Options {
        selection: input.selection,
        config: config.clone(),
        policy_type: policy_type.cloned(),
        host: Host::from_path(&input.path.to_string_lossy()).unwrap_or_default(),
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
    Ok(CheckedFile {
        path: &input.path,
        text,
        findings,
        has_policy: !analysis.policies.is_empty(),
    })
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
