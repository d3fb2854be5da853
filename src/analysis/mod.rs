//! Findings about a document: syntax errors, policy grammar, and (over the catalogue) what
//! the policy's actions mean. Pure functions of the text; no protocol types.

pub mod code;
pub mod config;
pub mod finding;
pub mod json_edit;
mod rules;

#[cfg(test)]
mod tests;

pub use code::{ALL_CODES, Code};
pub use config::{Config, RuleLevel};
pub use finding::{Edit, Finding, Fix, FixKind, Related, Severity, apply_edits};

use crate::policy::{Policy, Selection, find_policies};
use crate::syntax::{Parse, TextRange, parse};

/// Larger documents are refused: ranges are `u32`, and nothing this large is a policy.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

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
    pub fn policies(&self) -> Vec<Policy<'_>> {
        match &self.parse.root {
            Some(root) => find_policies(root, Selection::Always)
                .into_iter()
                .filter(|v| self.policies.contains(&v.range))
                .filter_map(Policy::new)
                .collect(),
            None => Vec::new(),
        }
    }

    pub fn is_policy_document(&self) -> bool {
        !self.policies.is_empty()
    }
}

pub fn analyze(text: &str, options: &Options) -> Analysis {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Analysis {
            parse: Parse {
                root: None,
                errors: Vec::new(),
            },
            policies: Vec::new(),
            findings: vec![Finding::new(
                Code::JsonSyntax,
                TextRange::empty(0),
                format!(
                    "the document is {} bytes; documents over {MAX_DOCUMENT_BYTES} bytes are not analysed",
                    text.len()
                ),
            )],
        };
    }
    let parse = parse(text);
    let mut findings = Vec::new();
    let policies: Vec<Policy> = match &parse.root {
        Some(root) => find_policies(root, options.selection)
            .into_iter()
            .filter_map(Policy::new)
            .collect(),
        None => Vec::new(),
    };
    let is_policy_document = !policies.is_empty();
    if is_policy_document || options.selection == Selection::Always {
        rules::syntax::check(&parse, &mut findings);
    }
    // One catalogue for the whole analysis, whatever is installed meanwhile.
    let catalog = crate::catalog::current();
    for policy in &policies {
        rules::grammar::check(policy, text, &mut findings);
        rules::size::check(policy, text, &parse.errors, &mut findings);
        rules::actions::check(catalog, policy, text, &mut findings);
        rules::support_center::check(catalog, policy, text, &mut findings);
    }
    findings.sort_by_key(|f| (f.range.start, f.range.end));
    options.config.apply(&mut findings);
    let policy_ranges = policies.iter().map(|p| p.value.range).collect();
    Analysis {
        parse,
        policies: policy_ranges,
        findings,
    }
}
