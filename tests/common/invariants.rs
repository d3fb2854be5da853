//! What must hold for any input, checked by the property tests (`tests/properties.rs`, in
//! `cargo test`) and by the fuzz targets (`fuzz/`, which include this file): the lexer is
//! lossless, every range the engine hands out lies in the text and on character boundaries,
//! valid JSON parses without errors, and nothing panics — parse, analysis, fixes,
//! completion and hover included.

use iam_policy_lsp::analysis::{Analysis, Options, analyze};
use iam_policy_lsp::ide::{completion, hover};
use iam_policy_lsp::policy::Selection;
use iam_policy_lsp::syntax::lexer::Lexer;
use iam_policy_lsp::syntax::{self, TextRange, Value, ValueKind};

fn check_range(text: &str, range: TextRange, what: &str) {
    assert!(
        range.start <= range.end && range.end as usize <= text.len(),
        "{what} {range:?} is out of bounds (text of {} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start as usize) && text.is_char_boundary(range.end as usize),
        "{what} {range:?} splits a character"
    );
}

/// The tokens are non-empty, contiguous, and concatenate to the input.
pub fn check_lexer(text: &str) {
    let mut end = 0usize;
    for token in Lexer::new(text) {
        check_range(text, token.range, "token");
        assert_eq!(token.range.start as usize, end, "tokens must be contiguous");
        assert!(!token.range.is_empty(), "empty token {token:?}");
        end = token.range.end as usize;
    }
    assert_eq!(end, text.len(), "the tokens must cover the whole input");
}

/// Every node and error in bounds and on character boundaries, children inside their
/// parents, and no error for what serde_json accepts.
pub fn check_parse(text: &str) -> syntax::Parse {
    let parse = syntax::parse(text);
    for error in &parse.errors {
        check_range(text, error.range, "syntax error");
    }
    // Iterative: the tree is at most 128 levels deep, but the check should not rely on it.
    let mut stack: Vec<&Value> = parse.root.iter().collect();
    while let Some(value) = stack.pop() {
        check_range(text, value.range, "value");
        match &value.kind {
            ValueKind::Object(object) => {
                for member in &object.members {
                    check_range(text, member.range, "member");
                    check_range(text, member.key.range, "key");
                    check_range(text, member.key.content_range(), "key content");
                    assert!(
                        value.range.contains_range(member.range),
                        "member outside its object"
                    );
                    assert!(
                        member.range.contains_range(member.key.range),
                        "key outside its member"
                    );
                    if let Some(colon) = member.colon {
                        check_range(text, colon, "colon");
                    }
                    if let Some(v) = &member.value {
                        assert!(
                            member.range.contains_range(v.range),
                            "value outside its member"
                        );
                        stack.push(v);
                    }
                }
            }
            ValueKind::Array(array) => {
                for element in &array.elements {
                    assert!(
                        value.range.contains_range(element.range),
                        "element outside its array"
                    );
                    stack.push(element);
                }
            }
            ValueKind::String(s) => check_range(text, s.content_range(), "string content"),
            _ => {}
        }
    }
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        assert!(
            parse.errors.is_empty(),
            "valid JSON got syntax errors: {:?}",
            parse.errors
        );
        assert!(parse.root.is_some(), "valid JSON has a root");
    }
    parse
}

/// Cursor offsets to try: the ends, past the end, and up to `n` character boundaries
/// spread over the text.
pub fn sample_offsets(text: &str, n: usize) -> Vec<u32> {
    let mut offsets = vec![0, text.len(), text.len() + 3];
    if !text.is_empty() {
        for i in 1..n {
            let mut at = text.len() * i / n;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            offsets.push(at);
        }
    }
    offsets
        .into_iter()
        .map(|o| u32::try_from(o).unwrap_or(u32::MAX))
        .collect()
}

/// Analysis (both selections), its fixes applied, and completion and hover at `offsets`.
pub fn check_analysis(text: &str, offsets: &[u32]) {
    for selection in [Selection::Auto, Selection::Always] {
        let options = Options {
            selection,
            ..Options::default()
        };
        let analysis = analyze(text, &options);
        check_findings(text, &analysis);
        for &offset in offsets {
            check_ide(text, &analysis, offset);
        }
    }
}

fn check_findings(text: &str, analysis: &Analysis) {
    for policy in &analysis.policies {
        check_range(text, *policy, "policy");
    }
    for finding in &analysis.findings {
        check_range(text, finding.range, "finding");
        for related in &finding.related {
            check_range(text, related.range, "related range");
        }
        for fix in &finding.fixes {
            let edits: Vec<(TextRange, &str)> = fix
                .edits
                .iter()
                .map(|e| {
                    check_range(text, e.range, "fix edit");
                    (e.range, e.new_text.as_str())
                })
                .collect();
            let mut sorted = edits.clone();
            sorted.sort_by_key(|(r, _)| (r.start, r.end));
            for pair in sorted.windows(2) {
                assert!(
                    pair[0].0.end <= pair[1].0.start,
                    "overlapping edits in fix {:?}",
                    fix.title
                );
            }
            fix.apply(text);
        }
    }
}

fn check_ide(text: &str, analysis: &Analysis, offset: u32) {
    for snippets in [false, true] {
        let caps = completion::Capabilities { snippets };
        // (A range in bounds and on character boundaries is all an edit needs to apply.)
        for item in completion::complete(analysis, offset, caps) {
            check_range(text, item.range, "completion range");
        }
    }
    if let Some(info) = hover::hover(analysis, offset) {
        check_range(text, info.range, "hover range");
        assert!(!info.markdown.is_empty(), "empty hover");
    }
}
