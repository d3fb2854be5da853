//! `check --fix` and `--diff`: every quick fix its rule marked safe (`Fix::safe`), applied
//! until none is left; the file written back atomically (a temporary file in the same folder,
//! its permissions, then a rename over the original), or shown as a unified diff.

use std::io::{self, Write};
use std::path::Path;

use crate::analysis::finding::apply_edits;
use crate::analysis::{Analysis, Edit, Options, analyze};

/// Rounds of fixing: a fix can make room for another (a list rewritten, then an element).
const MAX_ROUNDS: usize = 8;

/// The text with every safe fix applied, and how many were; `None` when nothing changed.
/// A document with syntax errors is left alone: its fixes would be guesses on a guess.
pub(super) fn fix_text(text: &str, options: &Options) -> Option<(String, usize)> {
    let analysis = &analyze(text, options);
    if !analysis.parse.errors.is_empty() || analysis.policies.is_empty() {
        return None;
    }
    let mut current = text.to_string();
    let mut applied = 0;
    let mut round_analysis = None;
    for _ in 0..MAX_ROUNDS {
        let analysis = round_analysis.as_ref().unwrap_or(analysis);
        let edits = safe_edits(analysis);
        if edits.is_empty() {
            break;
        }
        let (fixed, count) = (apply_edits(&current, &edits.concat()), edits.len());
        let next = analyze(&fixed, options);
        // A fix must leave a document that parses; else stop where we are.
        if !next.parse.errors.is_empty() || fixed == current {
            break;
        }
        applied += count;
        current = fixed;
        round_analysis = Some(next);
    }
    (applied > 0).then_some((current, applied))
}

/// One round: the first safe fix of each finding, left out where it overlaps one taken
/// before (the next round sees what is left).
fn safe_edits(analysis: &Analysis) -> Vec<Vec<Edit>> {
    let mut taken: Vec<Vec<Edit>> = Vec::new();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for finding in &analysis.findings {
        let Some(fix) = finding.fixes.iter().find(|f| f.safe) else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|e| {
            ranges.iter().any(|&(start, end)| {
                e.range.start < end && start < e.range.end
                    // Two insertions at one offset would land in either order.
                    || e.range.start == start
            })
        });
        if overlaps {
            continue;
        }
        ranges.extend(fix.edits.iter().map(|e| (e.range.start, e.range.end)));
        taken.push(fix.edits.clone());
    }
    taken
}

/// Writes `bytes` to `path` atomically: a temporary file beside it (same file system), the
/// original's permissions (and owner, when allowed), synced, renamed over it. On any error the
/// original is untouched and the temporary file removed. A symbolic link is followed: the
/// file it points to is replaced, the link stays.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".iam-policy-lsp-fix-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    let file = temporary.as_file();
    file.set_permissions(metadata.permissions())?;
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; others keep their own ownership, as editors do.
        let _ = std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid()));
    }
    file.sync_all()?;
    temporary.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of one file, `--- a/path` / `+++ b/path`, three lines of context.
pub(super) fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    let name = name.strip_prefix("./").unwrap_or(&name);
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .missing_newline_hint(true)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Selection;

    fn options() -> Options {
        Options {
            selection: Selection::Always,
            ..Options::default()
        }
    }

    fn fixed(text: &str) -> Option<(String, usize)> {
        let options = options();
        fix_text(text, &options)
    }

    #[test]
    fn safe_fixes_only() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": ["s3:getobject", "S3:PutObject"], "Resource": "*"}]}"#;
        let (out, count) = fixed(text).unwrap();
        assert_eq!(
            out,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}"#
        );
        assert_eq!(count, 3);
        // A guess is not safe: "Alow" could be either effect's typo to its author.
        assert!(fixed(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#).is_none());
        // Nor adding a Version (it changes what ${aws:username} means).
        assert!(
            fixed(
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
            )
            .is_none()
        );
        // Broken JSON is never touched.
        assert!(fixed(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}"#).is_none());
    }

    #[test]
    fn diffs_are_unified() {
        let diff = unified_diff(Path::new("p.json"), "a\nb\n", "a\nc\n");
        assert_eq!(
            diff,
            "--- a/p.json\n+++ b/p.json\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }
}
