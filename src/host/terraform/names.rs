//! The names written in a `data "aws_iam_policy_document"` block, read from its text: each
//! line's first word inside the data source, a `statement`, `principals` or `condition` block —
//! an attribute or block name, or a bare word being typed — with the block it is in, for
//! completing them (the policy tree holds the JSON keys they stand for, not the names).

use crate::syntax::TextRange;

/// A name in a policy document: where, in which block (`data`, `statement`, `principals`,
/// `not_principals`, `condition`; `dynamic` content reads as `statement`), and whether its
/// `=` or `{` is written after it on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DocumentName {
    pub(crate) range: TextRange,
    pub(crate) block: &'static str,
    pub(crate) followed: bool,
}

const BLOCKS: &[&str] = &[
    "data",
    "statement",
    "principals",
    "not_principals",
    "condition",
];

/// The names in the document block spanning `range` of `text`.
pub(super) fn document_names(text: &str, range: TextRange) -> Vec<DocumentName> {
    let Some(body) = text.get(range.as_usize()) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    // Per open bracket: the block it opens (`None`: an object, a tuple, a call, a block of
    // no interest).
    let mut stack: Vec<Option<&'static str>> = Vec::new();
    let mut offset = range.start as usize;
    for line in body.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let word_end = content[indent..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(content.len(), |i| indent + i);
        let word = &content[indent..word_end];
        if let Some(Some(block)) = stack.last()
            && !word.is_empty()
        {
            let rest = content[word_end..].trim_start();
            names.push(DocumentName {
                range: TextRange::from_usize(line_start + indent..line_start + word_end),
                block,
                followed: rest.starts_with('=') || rest.starts_with('{') || rest.starts_with('"'),
            });
        }
        let mut in_string = false;
        let mut escaped = false;
        for (i, b) in content.bytes().enumerate() {
            if in_string {
                match b {
                    b'\\' => escaped = !escaped,
                    b'"' if !escaped => in_string = false,
                    _ => escaped = false,
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'#' => break,
                b'/' if content[i..].starts_with("//") => break,
                b'{' => {
                    let before = content[..i].trim_end();
                    let opens_block = !before.is_empty()
                        && !before.ends_with(['=', '(', '[', ',', ':', '?', '{']);
                    let block = match word {
                        "content" => Some("statement"),
                        w if opens_block => BLOCKS.iter().find(|b| **b == w).copied(),
                        _ => None,
                    };
                    stack.push(block.filter(|_| opens_block));
                }
                b'[' | b'(' => stack.push(None),
                b'}' | b']' | b')' => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
    names
}

/// The attributes and blocks a document block takes: `(name, is a block)`.
pub(crate) fn offered(block: &str) -> &'static [(&'static str, bool)] {
    match block {
        "data" => &[
            ("statement", true),
            ("version", false),
            ("policy_id", false),
            ("source_policy_documents", false),
            ("override_policy_documents", false),
        ],
        "statement" => &[
            ("sid", false),
            ("effect", false),
            ("actions", false),
            ("not_actions", false),
            ("resources", false),
            ("not_resources", false),
            ("principals", true),
            ("not_principals", true),
            ("condition", true),
        ],
        "principals" | "not_principals" => &[("type", false), ("identifiers", false)],
        "condition" => &[("test", false), ("variable", false), ("values", false)],
        _ => &[],
    }
}
