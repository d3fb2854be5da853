//! What the IaC snippet tests share: `⟦…⟧` marks and the findings of a host file.

use iam_policy_lsp::analysis::{Options, analyze};
use iam_policy_lsp::host::Host;

/// The text without markers, and the marked ranges.
pub fn unmark(marked: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut open = None;
    for c in marked.chars() {
        match c {
            '⟦' => open = Some(text.len()),
            '⟧' => ranges.push((open.take().expect("⟧ without ⟦"), text.len())),
            c => text.push(c),
        }
    }
    (text, ranges)
}

pub fn findings(host: Host, text: &str) -> Vec<(String, usize, usize)> {
    let options = Options {
        host,
        ..Options::default()
    };
    analyze(text, &options)
        .findings
        .iter()
        .map(|f| {
            (
                f.code.as_str().to_string(),
                f.range.start as usize,
                f.range.end as usize,
            )
        })
        .collect()
}
