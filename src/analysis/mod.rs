//! Findings about a document: syntax errors, policy grammar, and (over the catalogue) what
//! the policy's actions mean. Pure functions of the text; no protocol types.

pub(crate) mod code;
pub(crate) mod config;
pub(crate) mod finding;
pub(crate) mod incremental;
pub(crate) mod json_edit;
mod rules;
mod type_settings;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod typing_tests;

pub(crate) use code::CodeSet;
pub use code::{ALL_CODES, Code};
pub use config::Config;
pub(crate) use finding::FixKind;
pub use finding::{Edit, Finding, Fix, Related, Severity};

use std::sync::Arc;

use crate::host::{self, Host, HostSyntax};
use crate::policy::{
    DeclaredType, Located, Policy, PolicyKind, Selection, TypeHint, find_policies,
};
use crate::syntax::{Parse, TextRange};
use rules::Sink;

/// Larger documents are refused: ranges are `u32`, and nothing this large is a policy.
pub(crate) const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    pub selection: Selection,
    pub config: Config,
    /// The type the user gave the document's policies (`--policy-type`, the `policyTypes`
    /// setting); `None`: where they sit and what they say tell.
    pub policy_type: Option<DeclaredType>,
    /// The file's format: where the policies are and how edits are written.
    pub host: Host,
}

impl Options {
    /// The options for the file at `path`: these, with the policy type the `policyTypes`
    /// setting gives it (shared when there is none).
    pub(crate) fn for_path(options: &Arc<Options>, path: &str) -> Arc<Options> {
        let host = Host::from_path(path).unwrap_or(options.host);
        match options.config.declared_type(path) {
            Some(declared) if options.policy_type.is_none() => Arc::new(Options {
                policy_type: Some(declared.clone()),
                host,
                ..Options::clone(options)
            }),
            _ if host != options.host => Arc::new(Options {
                host,
                ..Options::clone(options)
            }),
            _ => Arc::clone(options),
        }
    }
}

/// A parsed and analysed document.
#[derive(Debug)]
pub struct Analysis {
    pub parse: Parse,
    /// The ranges of the policy objects found in the document.
    pub policies: Vec<TextRange>,
    /// The kind of each policy (in the order of `policies`).
    pub(crate) kinds: Vec<PolicyKind>,
    /// Sorted by position.
    pub findings: Vec<Finding>,
    /// The document's format, and what edits in it must respect.
    pub(crate) host: Host,
    pub(crate) host_syntax: HostSyntax,
}

impl Analysis {
    /// No tree and no policy: only `findings` about the document as a whole.
    pub(crate) fn empty(findings: Vec<Finding>) -> Analysis {
        Analysis {
            parse: Parse::default(),
            policies: Vec::new(),
            kinds: Vec::new(),
            findings,
            host: Host::Json,
            host_syntax: HostSyntax::default(),
        }
    }

    /// The typed policies, read again from the tree (cheap; the tree is not re-parsed).
    pub(crate) fn policies(&self) -> Vec<Policy<'_>> {
        match &self.parse.root {
            Some(root) => self
                .policies
                .iter()
                .zip(&self.kinds)
                .filter_map(|(range, kind)| {
                    Policy::with_kind(host::value_at(root, *range)?, kind.clone())
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// `fixes` (made for JSON) as edits in this document's format; those that cannot be made
    /// there are dropped.
    pub(crate) fn in_host_syntax(&self, text: &str, fixes: Vec<Fix>) -> Vec<Fix> {
        host::translate_fixes(self.host, &self.host_syntax, text, fixes)
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
        return (Analysis::empty(sink.finish()), true);
    }
    let host = options.host.for_text(text);
    let host_parse = host::parse(host, text);
    let host_syntax = HostSyntax::of(&host_parse);
    let host_policies = host_parse.policies;
    let mut parse = host_parse.parse;
    // A YAML or Terraform file named on the command line is not a policy for that: only the
    // policies found in it are.
    let selection = match host {
        Host::Json => options.selection,
        _ => Selection::Auto,
    };
    let mut findings = Vec::new();
    // Findings are drawn from what is settled: a statement being typed, a string still open,
    // a list the parser had to close keep the meaning they had before (none), and the
    // statements around them theirs. The tree is settled in place for the rules, and put back
    // for the editor features.
    let settled = parse.settle();
    let checked = check(
        &parse,
        host_policies,
        selection,
        text,
        options,
        &mut findings,
        stop,
    );
    parse.unsettle(settled);
    let Checked {
        policies: policy_ranges,
        kinds,
        complete,
    } = checked;
    if !parse.recovered.is_empty() {
        findings.retain(|f| f.code == Code::JsonSyntax || !parse.is_recovered(f.range));
    }
    if host != Host::Json {
        for finding in &mut findings {
            // A rule's one-character anchor is a brace in JSON; in YAML it is a key's first
            // character, which may take several bytes.
            finding.range = on_char_boundaries(text, finding.range);
            for related in &mut finding.related {
                related.range = on_char_boundaries(text, related.range);
            }
            let fixes = std::mem::take(&mut finding.fixes);
            finding.fixes = host::translate_fixes(host, &host_syntax, text, fixes);
        }
    }
    findings.sort_by_key(|f| (f.range.start, f.range.end));
    options.config.apply(&mut findings);
    let analysis = Analysis {
        parse,
        policies: policy_ranges,
        kinds,
        findings,
        host,
        host_syntax,
    };
    (analysis, complete)
}

/// What the rules found besides their findings: the policies' ranges and kinds, and whether
/// the analysis is complete.
struct Checked {
    policies: Vec<TextRange>,
    kinds: Vec<PolicyKind>,
    complete: bool,
}

/// Runs the rules over the (settled) tree of `parse`.
#[allow(clippy::too_many_arguments)]
fn check(
    parse: &Parse,
    host_policies: Option<Vec<(TextRange, Option<TypeHint>)>>,
    selection: Selection,
    text: &str,
    options: &Options,
    findings: &mut Vec<Finding>,
    stop: &dyn Fn() -> bool,
) -> Checked {
    let located: Vec<Located> = match (&parse.root, host_policies) {
        // The host found them (Terraform): where, and the type their place gives.
        (Some(root), Some(found)) => found
            .into_iter()
            .filter_map(|(range, hint)| {
                Some(Located {
                    value: host::value_at(root, range)?,
                    hint,
                })
            })
            .collect(),
        (Some(root), None) => find_policies(root, selection),
        (None, _) => Vec::new(),
    };
    let policies: Vec<Policy> = match &parse.root {
        Some(_) => located
            .iter()
            .filter_map(|located| Policy::located(located, options.policy_type.as_ref()))
            .collect(),
        None => Vec::new(),
    };
    let mut sink = Sink::new(&options.config);
    if !policies.is_empty() || selection == Selection::Always {
        rules::check_document(parse, &mut sink);
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
    findings.extend(sink.finish());
    Checked {
        policies: policies.iter().map(|p| p.value.range).collect(),
        kinds: policies.iter().map(|p| p.kind.clone()).collect(),
        complete,
    }
}

/// `range`, widened to the characters it touches.
fn on_char_boundaries(text: &str, range: TextRange) -> TextRange {
    let mut start = (range.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (range.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    TextRange::from_usize(start..end)
}
