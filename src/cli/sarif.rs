//! `check --format sarif`: SARIF 2.1.0 (OASIS), as GitHub code scanning and other viewers read
//! it. Every rule with its help (the rule's section of docs/rules.md) and a link; one result
//! per finding with its exact region; related locations; the quick fixes as SARIF fixes.
//!
//! Regions: lines and columns are 1-based, and columns count UTF-16 code units
//! (`run.columnKind` is `utf16CodeUnits`, what GitHub's web pages count in); `charOffset` and
//! `charLength` count the same units from the start of the text (a byte order mark is not
//! text). Line breaks are LF, CRLF and a lone CR, as `run.newLineSequences` says.

use serde_json::{Value, json};

use crate::analysis::{ALL_CODES, Code, Finding, Severity};
use crate::syntax::TextRange;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const RULES_MD: &str = include_str!("../../docs/rules.md");
/// Where docs/rules.md is published, when the package says (Cargo.toml's `repository`).
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Offsets of a text as SARIF counts them.
pub(super) struct Positions<'t> {
    text: &'t str,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
}

impl<'t> Positions<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        Self { text, line_starts }
    }

    /// A byte offset on a character boundary at or before `offset`.
    fn boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    fn utf16_len(&self, from: usize, to: usize) -> usize {
        self.text[from..to].chars().map(char::len_utf16).sum()
    }

    /// 1-based line and column (UTF-16 code units) of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.boundary(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let column = self.utf16_len(self.line_starts[line], offset);
        (line + 1, column + 1)
    }

    pub(super) fn region(&self, range: TextRange) -> Value {
        let (start, end) = (
            self.boundary(range.start as usize),
            self.boundary(range.end as usize),
        );
        let end = end.max(start);
        let (start_line, start_column) = self.line_column(start);
        let (end_line, end_column) = self.line_column(end);
        json!({
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
            "charOffset": self.utf16_len(0, start),
            "charLength": self.utf16_len(start, end),
        })
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A path as a URI reference: relative ones (to the folder `check` ran in, usually the
/// repository's root: what code scanning resolves against) percent-encoded with `/`; absolute
/// ones as `file://` URIs.
pub(super) fn uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    let text = text.strip_prefix("./").unwrap_or(&text);
    let mut out = String::with_capacity(text.len());
    if text.starts_with('/') {
        out.push_str("file://");
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn location(uri: &str, positions: &Positions, range: TextRange) -> Value {
    let mut artifact = json!({ "uri": uri });
    if !uri.starts_with("file://") {
        artifact["uriBaseId"] = json!("%SRCROOT%");
    }
    json!({
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": positions.region(range),
        }
    })
}

/// One result.
pub(super) fn result(uri: &str, positions: &Positions, finding: &Finding) -> Value {
    let rule_index = ALL_CODES
        .iter()
        .position(|c| *c == finding.code)
        .unwrap_or(0);
    let mut result = json!({
        "ruleId": finding.code.as_str(),
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [location(uri, positions, finding.range)],
    });
    if !finding.related.is_empty() {
        result["relatedLocations"] = finding
            .related
            .iter()
            .enumerate()
            .map(|(i, related)| {
                let mut location = location(uri, positions, related.range);
                location["id"] = json!(i + 1);
                location["message"] = json!({ "text": related.message });
                location
            })
            .collect();
    }
    if !finding.fixes.is_empty() {
        result["fixes"] = finding
            .fixes
            .iter()
            .map(|fix| {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|edit| {
                        json!({
                            "deletedRegion": positions.region(edit.range),
                            "insertedContent": { "text": edit.new_text },
                        })
                    })
                    .collect();
                let mut artifact = json!({ "uri": uri });
                if !uri.starts_with("file://") {
                    artifact["uriBaseId"] = json!("%SRCROOT%");
                }
                json!({
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": artifact,
                        "replacements": replacements,
                    }],
                    "properties": { "safe": fix.safe, "preferred": fix.preferred },
                })
            })
            .collect();
    }
    if let Some(data) = &finding.data {
        result["properties"] = json!({ "data": data });
    }
    result
}

/// The rule's section of docs/rules.md (its `### \`code\`` heading to the next heading).
fn rule_help(code: Code) -> String {
    let heading = format!("### `{}`", code.as_str());
    let Some(start) = RULES_MD.find(&heading) else {
        return code.summary().to_string();
    };
    let body = &RULES_MD[start + heading.len()..];
    let end = body.find("\n#").unwrap_or(body.len());
    body[..end].trim().to_string()
}

fn help_uri(code: Code) -> String {
    let repository = REPOSITORY.trim_end_matches('/');
    if repository.is_empty() {
        code.url().to_string()
    } else {
        format!("{repository}/blob/HEAD/docs/rules.md#{}", code.as_str())
    }
}

fn rule(code: Code) -> Value {
    let help = rule_help(code);
    let family = format!("{:?}", code.family()).to_ascii_lowercase();
    json!({
        "id": code.as_str(),
        "shortDescription": { "text": code.summary() },
        "fullDescription": { "text": code.summary() },
        "help": {
            "text": format!("{help}\n\nAWS documentation: {}", code.url()),
            "markdown": format!("{help}\n\n[AWS documentation]({})", code.url()),
        },
        "helpUri": help_uri(code),
        "defaultConfiguration": { "level": level(code.default_severity()) },
        "properties": { "tags": ["iam", family], "precision": "very-high" },
    })
}

/// A file that could not be read or written: a notification of the run.
pub(super) fn notification(uri: &str, message: &str) -> Value {
    let mut artifact = json!({ "uri": uri });
    if !uri.starts_with("file://") {
        artifact["uriBaseId"] = json!("%SRCROOT%");
    }
    json!({
        "level": "error",
        "message": { "text": message },
        "locations": [{ "physicalLocation": { "artifactLocation": artifact } }],
    })
}

/// The whole log: one run.
pub(super) fn log(results: Vec<Value>, notifications: Vec<Value>) -> Value {
    let mut driver = json!({
        "name": "iam-policy-lsp",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": ALL_CODES.iter().map(|c| rule(*c)).collect::<Vec<_>>(),
    });
    if !REPOSITORY.is_empty() {
        driver["informationUri"] = json!(REPOSITORY);
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "utf16CodeUnits",
            "newlineSequences": ["\r\n", "\n", "\r"],
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_count_utf16_code_units_from_1() {
        // "😀" is two UTF-16 code units; "é" one; CRLF and a lone CR end lines.
        let text = "{\"😀é\": 1,\r\n \"a\": 2,\r\"b\": 3}";
        let positions = Positions::new(text);
        let at = |needle: &str| text.find(needle).unwrap() as u32;
        let one = positions.region(TextRange::new(at("1"), at("1") + 1));
        assert_eq!(
            one,
            json!({"startLine": 1, "startColumn": 9, "endLine": 1, "endColumn": 10, "charOffset": 8, "charLength": 1})
        );
        let a = positions.region(TextRange::new(at("\"a\""), at("\"a\"") + 3));
        assert_eq!(
            a,
            json!({"startLine": 2, "startColumn": 2, "endLine": 2, "endColumn": 5, "charOffset": 13, "charLength": 3})
        );
        let b = positions.region(TextRange::new(at("\"b\""), at("\"b\"") + 3));
        assert_eq!(
            (b["startLine"].clone(), b["startColumn"].clone()),
            (json!(3), json!(1))
        );
        // An empty range is a point; one past the end is clamped.
        let end = positions.region(TextRange::new(900, 900));
        assert_eq!(end["charLength"], 0);
        assert_eq!(end["startLine"], 3);
    }

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        use std::path::Path;
        assert_eq!(uri(Path::new("./policies/a b.json")), "policies/a%20b.json");
        assert_eq!(uri(Path::new("scp/é.json")), "scp/%C3%A9.json");
        assert_eq!(uri(Path::new("/abs/p.json")), "file:///abs/p.json");
    }

    #[test]
    fn every_rule_has_its_help() {
        for code in ALL_CODES {
            let help = rule_help(*code);
            assert!(
                !help.is_empty() && !help.contains("### "),
                "{code:?}: {help}"
            );
        }
        assert!(rule_help(Code::InvalidEffect).contains("Allow"));
    }
}
