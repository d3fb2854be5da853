//! What the analysis reports: findings with byte ranges, and the fixes that resolve them.

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
    pub fn as_str(self) -> &'static str {
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
    pub deprecated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    QuickFix,
    /// A rewrite offered on request, not a repair (e.g. "expand wildcard").
    Rewrite,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub kind: FixKind,
    pub edits: Vec<Edit>,
    /// The one fix an editor may apply without asking ("fix all", auto-fix).
    pub preferred: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Finding {
    pub fn new(code: Code, range: TextRange, message: impl Into<String>) -> Self {
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

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(data);
        self
    }

    pub fn related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

impl Fix {
    pub fn quick(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            kind: FixKind::QuickFix,
            edits,
            preferred: false,
        }
    }

    /// A quick fix that replaces one range.
    pub fn replace(
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

    pub fn preferred(mut self) -> Self {
        self.preferred = true;
        self
    }
}
