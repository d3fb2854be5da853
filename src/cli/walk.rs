//! Which files `check` reads: the files named, and the policy files (`*.json`; templates and
//! configurations that may hold policies: `*.yaml`, `*.yml`, `*.template`) under the folders named,
//! walked with the `ignore` crate (ripgrep's walker) so that what a repository ignores is
//! skipped the way ripgrep, ruff and biome skip it.

use std::path::{Path, PathBuf};

use ignore::{DirEntry, WalkBuilder};

use crate::host::Host;
use crate::policy::Selection;

/// One file to check, and whether the user named it (then it is a policy even if it does not
/// look like one) or a folder walk found it.
pub(super) struct Input {
    pub(super) path: PathBuf,
    pub(super) selection: Selection,
}

/// What folder walks skip.
#[derive(Clone, Copy, Debug)]
pub(super) struct WalkOptions {
    /// Skip what `.gitignore`, `.ignore` and `.git/info/exclude` list (in and above the folder),
    /// and `node_modules/` and `target/` folders.
    pub(super) respect_ignores: bool,
    /// Look inside folders whose names start with a dot.
    pub(super) hidden: bool,
}

/// Folders never walked unless `--no-ignore`: they hold dependencies and build output,
/// whatever the ignore files say.
const SKIPPED_FOLDERS: &[&str] = &["node_modules", "target"];

/// A folder that could not be read (an I/O error, which fails the check), or an ignore file
/// that could not be understood (reported; the walk goes on without the line).
pub(super) struct WalkError {
    pub(super) path: PathBuf,
    pub(super) message: String,
    pub(super) unreadable: bool,
}

/// The files to check, in the order given, each folder's files sorted by path.
pub(super) fn inputs(paths: &[PathBuf], options: WalkOptions) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = policy_files(path, options, &mut errors);
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
    (inputs, errors)
}

fn policy_files(root: &Path, options: WalkOptions, errors: &mut Vec<WalkError>) -> Vec<PathBuf> {
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(options.respect_ignores)
        // A user's global gitignore would make results differ from one machine to the next
        // (a developer's and CI's); what the repository says is what counts.
        .git_global(false)
        // A `.gitignore` counts in a folder that is not (yet) a git checkout too.
        .require_git(false)
        // Hidden files are checked; hidden folders are skipped by `filter_entry`, as before.
        .hidden(false)
        .filter_entry(move |entry| walk_into(entry, options));
    let mut found = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && Host::from_path(&entry.file_name().to_string_lossy()).is_some() {
                    found.push(entry.into_path());
                }
            }
            Err(error) => errors.push(walk_error(root, error)),
        }
    }
    found
}

/// Whether the walk enters a folder (files are all kept here; only those of a format we read are checked).
fn walk_into(entry: &DirEntry, options: WalkOptions) -> bool {
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    if !is_dir || entry.depth() == 0 {
        return true;
    }
    let name = entry.file_name().to_string_lossy();
    let hidden = name.starts_with('.');
    let skipped = SKIPPED_FOLDERS.contains(&&*name);
    !(hidden && !options.hidden || skipped && options.respect_ignores)
}

fn walk_error(root: &Path, error: ignore::Error) -> WalkError {
    let path = error_path(&error).unwrap_or(root).to_path_buf();
    let (message, unreadable) = match error.io_error() {
        Some(io) => (io.to_string(), true),
        None => (error.to_string(), false),
    };
    WalkError {
        path,
        message,
        unreadable,
    }
}

/// The path an error is about, under the depth and line-number wrappers.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}
