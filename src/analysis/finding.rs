//! What the analysis reports: findings with byte ranges, and the fixes that resolve them.

use crate::policy::Enforcement;
use crate::syntax::TextRange;

use super::code::Code;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    /// What a rule reports of a policy that breaks a type's rule: an error where AWS rejects
    /// the policy, a warning where that is not verified, information where the account may
    /// have raised the quota.
    pub(crate) fn of(enforcement: Enforcement) -> Severity {
        match enforcement {
            Enforcement::Rejected => Severity::Error,
            Enforcement::Unverified => Severity::Warning,
            Enforcement::Adjustable => Severity::Information,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    /// Machine-readable details (the LSP diagnostic's `data`, the CLI's JSON output).
    pub data: Option<serde_json::Value>,
    /// Other places that explain the finding (LSP `relatedInformation`).
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
    /// The flagged text is obsolete (rendered struck through by editors).
    pub(crate) deprecated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FixKind {
    QuickFix,
    /// A rewrite offered on request, not a repair (e.g. "expand wildcard").
    Rewrite,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub(crate) kind: FixKind,
    pub edits: Vec<Edit>,
    /// The one fix an editor may apply without asking ("fix all", auto-fix).
    pub preferred: bool,
    /// `check --fix` applies it: the rule that owns it vouches that it cannot change what the
    /// policy means beyond the repair (a change of letter case IAM ignores or requires, the
    /// exemptions Support Center's console needs, the only Resource Support accepts). Not
    /// the same as `preferred`, which picks one fix among several.
    pub safe: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Finding {
    pub(crate) fn new(code: Code, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.default_severity(),
            range,
            message: message.into(),
            data: None,
            related: Vec::new(),
            fixes: Vec::new(),
            deprecated: false,
        }
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub(crate) fn data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(data);
        self
    }

    pub(crate) fn related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    pub(crate) fn fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

impl Fix {
    /// `text` with this fix's edits made (see [`apply_edits`]).
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, &self.edits)
    }

    pub(crate) fn quick(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            kind: FixKind::QuickFix,
            edits,
            preferred: false,
            safe: false,
        }
    }

    /// A quick fix that replaces one range.
    pub(crate) fn replace(
        title: impl Into<String>,
        range: TextRange,
        new_text: impl Into<String>,
    ) -> Self {
        Self::quick(
            title,
            vec![Edit {
                range,
                new_text: new_text.into(),
            }],
        )
    }

    pub(crate) fn preferred(mut self) -> Self {
        self.preferred = true;
        self
    }

    /// Marks it for `check --fix` (see [`Fix::safe`]).
    pub(crate) fn safe(mut self) -> Self {
        self.safe = true;
        self
    }

    /// [`Fix::safe`] when `new` differs from `old` in ASCII letter case only.
    pub(crate) fn safe_if_case_only(self, old: &str, new: &str) -> Self {
        if old != new && old.eq_ignore_ascii_case(new) {
            self.safe()
        } else {
            self
        }
    }
}

/// `text` with `edits` made, the last first so that the earlier ranges stay where they are
/// (the edits of one fix never overlap). An edit whose range does not fit `text` (the fix of
/// another text) is left out rather than panicking.
pub(crate) fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut ordered: Vec<&Edit> = edits.iter().collect();
    ordered.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for edit in ordered {
        let range = edit.range.as_usize();
        if out.get(range.clone()).is_some() {
            out.replace_range(range, &edit.new_text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: u32, end: u32, new_text: &str) -> Edit {
        Edit {
            range: TextRange::new(start, end),
            new_text: new_text.to_string(),
        }
    }

    #[test]
    fn edits_apply_last_first_and_misfits_are_left_out() {
        let text = r#"{"a": 1, "b": 2}"#;
        // Given in any order, each range refers to the original text.
        let edits = [edit(1, 4, "\"x\""), edit(14, 15, "3"), edit(9, 12, "\"y\"")];
        assert_eq!(apply_edits(text, &edits), r#"{"x": 1, "y": 3}"#);
        // Past the end, or inside a character: not applied.
        let edits = [edit(1, 2, "!"), edit(40, 41, "?")];
        assert_eq!(apply_edits("é", &edits), "é");
        assert_eq!(
            apply_edits("ab", &[edit(1, 1, "-"), edit(5, 9, "?")]),
            "a-b"
        );
    }
}
