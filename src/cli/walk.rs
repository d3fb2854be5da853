//! Which files `check` reads: the files named, and the policy files (`*.json`; templates and
//! configurations that may hold policies: `*.yaml`, `*.yml`, `*.template`) under the folders named,
//! walked with the `ignore` crate (ripgrep's walker) so that what a repository ignores is
//! skipped the way ripgrep, ruff and biome skip it.

use std::collections::HashSet;
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
    /// Follow symbolic links (else `*.json` links are reported and skipped).
    pub(super) follow: bool,
    /// Files named are policies only if they look like one (`--only-policies`).
    pub(super) only_policies: bool,
}

/// Folders never walked unless `--no-ignore`: they hold dependencies and build output,
/// whatever the ignore files say.
const SKIPPED_FOLDERS: &[&str] = &["node_modules", "target"];

/// Something a walk met that the user should hear about, each with its own path.
pub(super) struct WalkNotice {
    pub(super) path: PathBuf,
    pub(super) message: String,
    pub(super) kind: NoticeKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NoticeKind {
    /// A folder or file that could not be read: an I/O error, which fails the check.
    Unreadable,
    /// An ignore file that could not be understood, a link not followed, a file system loop,
    /// a `*.json` that is not a regular file: reported, the walk goes on.
    Skipped,
}

/// The files to check, in the order given, each folder's files sorted by path; a file reached
/// twice (named twice, in a folder named too, through a link) comes once, where first met.
pub(super) fn inputs(paths: &[PathBuf], options: WalkOptions) -> (Vec<Input>, Vec<WalkNotice>) {
    let mut inputs = Vec::new();
    let mut notices = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |path: PathBuf, selection: Selection, inputs: &mut Vec<Input>| {
        // A path that cannot be resolved is kept as written: reading it reports why.
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            inputs.push(Input { path, selection });
        }
    };
    for path in paths {
        if path.is_dir() {
            let mut found = policy_files(path, options, &mut notices);
            found.sort();
            for path in found {
                add(path, Selection::Auto, &mut inputs);
            }
        } else {
            let selection = if options.only_policies {
                Selection::Auto
            } else {
                Selection::Always
            };
            add(path.clone(), selection, &mut inputs);
        }
    }
    (inputs, notices)
}

fn policy_files(root: &Path, options: WalkOptions, notices: &mut Vec<WalkNotice>) -> Vec<PathBuf> {
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
        .follow_links(options.follow)
        .filter_entry(move |entry| walk_into(entry, options));
    let mut found = Vec::new();
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                if Host::from_path(&entry.file_name().to_string_lossy()).is_none() {
                    continue;
                }
                let Some(file_type) = entry.file_type() else {
                    continue;
                };
                if file_type.is_file() {
                    found.push(entry.into_path());
                } else if file_type.is_symlink() {
                    notices.push(WalkNotice {
                        path: entry.into_path(),
                        message:
                            "a symbolic link: not followed in folders (name it, or use --follow)"
                                .to_string(),
                        kind: NoticeKind::Skipped,
                    });
                } else if !file_type.is_dir() {
                    // A pipe or a device: reading it could block or never end.
                    notices.push(WalkNotice {
                        path: entry.into_path(),
                        message: "not a regular file: skipped (name it to read it)".to_string(),
                        kind: NoticeKind::Skipped,
                    });
                }
            }
            Err(error) => notices.push(walk_notice(root, error)),
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

fn walk_notice(root: &Path, error: ignore::Error) -> WalkNotice {
    let path = error_path(&error).unwrap_or(root).to_path_buf();
    if is_loop(&error) {
        return WalkNotice {
            path,
            message: "a symbolic link back to a folder above it: not followed again".to_string(),
            kind: NoticeKind::Skipped,
        };
    }
    match error.io_error() {
        Some(io) => WalkNotice {
            // The OS's words ("Permission denied (os error 13)"): the path is printed first.
            message: without_path(&io.to_string(), &path),
            path,
            kind: NoticeKind::Unreadable,
        },
        None => WalkNotice {
            path,
            message: innermost(&error).to_string(),
            kind: NoticeKind::Skipped,
        },
    }
}

/// `IO error for operation on PATH: why` (the walker's words) → `why`.
fn without_path(message: &str, path: &Path) -> String {
    let prefix = format!("IO error for operation on {}: ", path.display());
    message.strip_prefix(&prefix).unwrap_or(message).to_string()
}

/// The path an error is about, under the depth and line-number wrappers.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

/// The error without its path wrapper (the path is printed first anyway).
fn innermost(error: &ignore::Error) -> &ignore::Error {
    match error {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            innermost(err)
        }
        _ => error,
    }
}
