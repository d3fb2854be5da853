//! Findings about a document: syntax errors, policy grammar, and (over the catalogue) what
//! the policy's actions mean. Pure functions of the text; no protocol types.

pub(crate) mod code;
pub(crate) mod config;
pub(crate) mod finding;
pub(crate) mod json_edit;
mod rules;

#[cfg(test)]
mod tests;

pub(crate) use code::CodeSet;
pub use code::{ALL_CODES, Code};
pub use config::Config;
pub(crate) use finding::FixKind;
pub use finding::{Edit, Finding, Fix, Related, Severity};

use crate::policy::{Policy, Selection, find_policies};
use crate::syntax::{Parse, TextRange, parse};
use rules::Sink;

/// Larger documents are refused: ranges are `u32`, and nothing this large is a policy.
pub(crate) const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub selection: Selection,
    pub config: Config,
}

/// A parsed and analysed document.
#[derive(Debug)]
pub struct Analysis {
    pub parse: Parse,
    /// The ranges of the policy objects found in the document.
    pub policies: Vec<TextRange>,
    /// Sorted by position.
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// The typed policies, read again from the tree (cheap; the tree is not re-parsed).
    pub(crate) fn policies(&self) -> Vec<Policy<'_>> {
        match &self.parse.root {
            Some(root) => find_policies(root, Selection::Always)
                .into_iter()
                .filter(|v| self.policies.contains(&v.range))
                .filter_map(Policy::new)
                .collect(),
            None => Vec::new(),
        }
    }
}

pub fn analyze(text: &str, options: &Options) -> Analysis {
    analyze_until(text, options, &|| false).0
}

/// [`analyze`], giving up as soon as `stop` returns true (it is asked before each rule family
/// of each policy, so first once the text is parsed); the flag says whether the analysis is
/// complete.
/// An incomplete one is to be thrown away: the server stops analysing a version of a document
/// that a newer version has replaced.
pub(crate) fn analyze_until(
    text: &str,
    options: &Options,
    stop: &dyn Fn() -> bool,
) -> (Analysis, bool) {
    if text.len() > MAX_DOCUMENT_BYTES {
        let mut sink = Sink::new(&options.config);
        if sink.wants(Code::JsonSyntax) {
            sink.push(Finding::new(
                Code::JsonSyntax,
                TextRange::empty(0),
                format!(
                    "the document is {} bytes; documents over {MAX_DOCUMENT_BYTES} bytes are not analysed",
                    text.len()
                ),
            ));
        }
        let analysis = Analysis {
            parse: Parse {
                root: None,
                errors: Vec::new(),
            },
            policies: Vec::new(),
            findings: sink.finish(),
        };
        return (analysis, true);
    }
    let parse = parse(text);
    let policies: Vec<Policy> = match &parse.root {
        Some(root) => find_policies(root, options.selection)
            .into_iter()
            .filter_map(Policy::new)
            .collect(),
        None => Vec::new(),
    };
    let mut sink = Sink::new(&options.config);
    if !policies.is_empty() || options.selection == Selection::Always {
        rules::check_document(&parse, &mut sink);
    }
    // One catalogue for the whole analysis, whatever is installed meanwhile.
    let catalog = crate::catalog::current();
    let mut complete = true;
    for policy in &policies {
        complete = rules::check_policy(catalog, policy, text, &parse.errors, &mut sink, stop);
        if !complete {
            break;
        }
    }
    // Sorted by position, re-graded as the settings say, at most `limits.max_findings`.
    let findings = sink.finish();
    let policy_ranges = policies.iter().map(|p| p.value.range).collect();
    let analysis = Analysis {
        parse,
        policies: policy_ranges,
        findings,
    };
    (analysis, complete)
}
