//! The findings of a CloudFormation YAML template as it is edited, without reading and
//! checking the whole template again on each keystroke: the same findings `analyze` gives
//! (the property tests compare the two on random edit sequences), at the cost of what the
//! edit touched.
//!
//! A template is read entry by entry — the keys of its top-level mapping, and those of its
//! `Resources` in place of that key (`host::YamlTree::entries`) — and an entry's findings
//! depend only on its text, its column and its depth (the policies a resource holds, their
//! types from the resource's own `Type`, their findings and fixes all lie inside it). So for a
//! new version of the text the kept tree-sitter tree is reparsed incrementally, and an entry
//! whose text did not change (compared byte for byte where it stood, shifted by the edit)
//! keeps its findings, moved by what the edit added or removed before it; the others are read
//! and checked again. What is document-wide is done over the entries' findings: the syntax
//! errors of embedded JSON count only when the document holds a policy, the findings are
//! ordered as the analysis orders them, and the settings re-grade them. A document the
//! entries cannot stand for (not a template, over `limits.maxFindings`, not YAML) gets the
//! whole analysis, `analyze_until`.

use std::ops::Range;

use super::rules::{self, Sink};
use super::{Analysis, Finding, MAX_DOCUMENT_BYTES, Options, analyze_until, on_char_boundaries};
use crate::catalog::Catalog;
use crate::host::{self, Entry, Host, HostSyntax, TextEdit, YamlTree};
use crate::policy::{Policy, find_policies_in_member};
use crate::syntax::{Parse, TextRange};

/// One open document's kept tree and per-entry findings.
#[derive(Default)]
pub(crate) struct IncrementalAnalysis {
    kept: Option<Kept>,
    /// What the last update did (tests, benches).
    last: Update,
}

struct Kept {
    tree: YamlTree,
    /// What `entries` were checked with: other options, or another catalogue, check again.
    options: Options,
    catalog: &'static Catalog,
    /// The template's entries in document order (none when it is not read by entries).
    entries: Vec<KeptEntry>,
}

struct KeptEntry {
    range: Range<usize>,
    column: usize,
    depth: usize,
    /// `None`: not checked yet (an update that gave up).
    checked: Option<Checked>,
}

/// One entry's findings, with ranges in the text of the last update.
struct Checked {
    policies: usize,
    /// `json-syntax` findings of JSON embedded in the entry: the analysis reports them when
    /// the document holds a policy.
    syntax: Vec<Keyed>,
    findings: Vec<Keyed>,
    /// How many findings the rules produced (the analysis' limit counts them all).
    produced: u64,
    syntax_produced: u64,
}

/// A finding, with the range the rule gave it (before it is widened to whole characters):
/// the analysis orders findings by that range first.
struct Keyed {
    key: TextRange,
    finding: Finding,
}

/// What an update did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Update {
    /// The whole analysis ran (the document is not a template read by entries, or over the
    /// findings limit).
    pub(crate) whole: bool,
    /// Entries whose findings were kept, and entries read and checked.
    pub(crate) kept: usize,
    pub(crate) checked: usize,
}

/// An update's answer.
pub(crate) enum Outcome {
    /// The findings, as `analyze` gives them.
    Findings(Vec<Finding>),
    /// The whole analysis was needed: here it is.
    Analysis(Analysis),
}

impl IncrementalAnalysis {
    /// The findings of `text`, reusing what the previous update kept; `None` when `stop` said
    /// to give up (what was done is kept for the next update).
    pub(crate) fn update(
        &mut self,
        text: String,
        options: &Options,
        stop: &dyn Fn() -> bool,
    ) -> Option<Outcome> {
        self.last = Update::default();
        if options.host.for_text(&text) != Host::Yaml || text.len() > MAX_DOCUMENT_BYTES {
            self.kept = None;
            return self.whole(&text, options, stop);
        }
        let catalog = crate::catalog::current();
        let (parsed, mut previous) = match self.kept.take() {
            Some(kept) => {
                let same_checks = kept.options == *options && std::ptr::eq(kept.catalog, catalog);
                let previous = if same_checks {
                    kept.entries
                } else {
                    Vec::new()
                };
                (kept.tree.reparse(text), previous)
            }
            None => (YamlTree::parse(text).map(|tree| (tree, None)), Vec::new()),
        };
        let (tree, edit) = match parsed {
            Ok(parsed) => parsed,
            Err(text) => return self.whole(&text, options, stop),
        };
        let Some(found) = tree.entries() else {
            let outcome = self.whole(tree.text(), options, stop);
            self.keep(tree, options, catalog, Vec::new());
            return outcome;
        };
        let mut entries = Vec::with_capacity(found.len());
        let mut complete = true;
        for entry in found {
            let checked = match take_reusable(edit, &mut previous, &entry) {
                Some(checked) => {
                    self.last.kept += 1;
                    Some(checked)
                }
                None if complete && !stop() => {
                    let checked = check_entry(&tree, entry, options, catalog, stop);
                    self.last.checked += usize::from(checked.is_some());
                    complete = checked.is_some();
                    checked
                }
                None => {
                    complete = false;
                    None
                }
            };
            entries.push(KeptEntry {
                range: entry.range(),
                column: entry.column(),
                depth: entry.depth,
                checked,
            });
        }
        drop(previous);
        let outcome = match complete.then(|| assemble(&entries, options)) {
            None => None,
            Some(Some(findings)) => Some(Outcome::Findings(findings)),
            // Over the findings limit: which are kept is the whole document's business.
            Some(None) => self.whole(tree.text(), options, stop),
        };
        self.keep(tree, options, catalog, entries);
        outcome
    }

    fn keep(
        &mut self,
        tree: YamlTree,
        options: &Options,
        catalog: &'static Catalog,
        entries: Vec<KeptEntry>,
    ) {
        self.kept = Some(Kept {
            tree,
            options: options.clone(),
            catalog,
            entries,
        });
    }

    /// Frees the tree and the findings (the next update starts from scratch).
    pub(crate) fn forget(&mut self) {
        self.kept = None;
    }

    pub(crate) fn last_update(&self) -> Update {
        self.last
    }

    fn whole(&mut self, text: &str, options: &Options, stop: &dyn Fn() -> bool) -> Option<Outcome> {
        self.last.whole = true;
        let (analysis, complete) = analyze_until(text, options, stop);
        complete.then_some(Outcome::Analysis(analysis))
    }
}

/// The findings of the previous entry that stood where `entry` stands, before the edit, with
/// the same column and depth, taken out of `previous` and moved to where `entry` stands. Its
/// text is the same: the edit (`host::TextEdit`) is where the two texts differ, and it did not
/// touch the entry.
fn take_reusable(
    edit: Option<TextEdit>,
    previous: &mut [KeptEntry],
    entry: &Entry,
) -> Option<Checked> {
    let range = entry.range();
    let old = match edit {
        None => range.clone(),
        Some(edit) => edit.old_range(range.clone())?,
    };
    let at = previous
        .binary_search_by_key(&old.start, |e| e.range.start)
        .ok()?;
    let candidate = &mut previous[at];
    if candidate.range != old
        || candidate.column != entry.column()
        || candidate.depth != entry.depth
    {
        return None;
    }
    let mut checked = candidate.checked.take()?;
    let by = range.start as i64 - old.start as i64;
    if by != 0 {
        checked.shift(by);
    }
    Some(checked)
}

/// One entry's findings, as `analyze_until` makes them for the policies inside it.
fn check_entry(
    tree: &YamlTree,
    entry: Entry,
    options: &Options,
    catalog: &'static Catalog,
    stop: &dyn Fn() -> bool,
) -> Option<Checked> {
    let text = tree.text();
    let (member, read) = tree.read(entry);
    let syntax = HostSyntax::of(&read);
    let errors = read.parse.errors;
    let located = member
        .as_ref()
        .map(find_policies_in_member)
        .unwrap_or_default();
    let policies: Vec<Policy> = located
        .iter()
        .filter_map(|located| Policy::located(located, options.policy_type.as_ref()))
        .collect();
    let mut sink = Sink::new(&options.config);
    for policy in &policies {
        if !rules::check_policy(catalog, policy, text, &errors, &mut sink, stop) {
            return None;
        }
    }
    let produced = sink.count();
    let findings = sink.finish();
    let parse = Parse {
        errors,
        ..Parse::default()
    };
    let mut syntax_sink = Sink::new(&options.config);
    rules::check_document(&parse, &mut syntax_sink);
    let syntax_produced = syntax_sink.count();
    let in_host = |findings: Vec<Finding>| -> Vec<Keyed> {
        findings
            .into_iter()
            .map(|mut finding| {
                let key = finding.range;
                finding.range = on_char_boundaries(text, finding.range);
                for related in &mut finding.related {
                    related.range = on_char_boundaries(text, related.range);
                }
                let fixes = std::mem::take(&mut finding.fixes);
                finding.fixes = host::translate_fixes(Host::Yaml, &syntax, text, fixes);
                Keyed { key, finding }
            })
            .collect()
    };
    Some(Checked {
        policies: policies.len(),
        syntax: in_host(syntax_sink.finish()),
        findings: in_host(findings),
        produced,
        syntax_produced,
    })
}

/// The document's findings from its entries', as `analyze_until` orders and grades them;
/// `None` when over the findings limit.
fn assemble(entries: &[KeptEntry], options: &Options) -> Option<Vec<Finding>> {
    let checked: Vec<&Checked> = entries.iter().filter_map(|e| e.checked.as_ref()).collect();
    let with_syntax = checked.iter().any(|c| c.policies > 0);
    let produced: u64 = checked
        .iter()
        .map(|c| c.produced + if with_syntax { c.syntax_produced } else { 0 })
        .sum();
    if produced > options.config.limits.max_findings as u64 {
        return None;
    }
    // The analysis' one sink gets the syntax errors first, then each policy's findings, and
    // orders them by the rules' ranges (then by when they came); then by the ranges widened
    // to whole characters.
    let syntax = checked
        .iter()
        .filter(|_| with_syntax)
        .flat_map(|c| &c.syntax);
    let mut keyed: Vec<&Keyed> = syntax
        .chain(checked.iter().flat_map(|c| &c.findings))
        .collect();
    keyed.sort_by_key(|k| (k.key.start, k.key.end));
    let mut findings: Vec<Finding> = keyed.into_iter().map(|k| k.finding.clone()).collect();
    findings.sort_by_key(|f| (f.range.start, f.range.end));
    options.config.apply(&mut findings);
    Some(findings)
}

impl Checked {
    /// Moves every range by `by` bytes (text was added or removed before the entry).
    fn shift(&mut self, by: i64) {
        let at = |range: &mut TextRange| {
            let moved = |offset: u32| (i64::from(offset) + by) as u32;
            *range = TextRange::new(moved(range.start), moved(range.end));
        };
        for keyed in self.syntax.iter_mut().chain(&mut self.findings) {
            at(&mut keyed.key);
            let finding = &mut keyed.finding;
            at(&mut finding.range);
            for related in &mut finding.related {
                at(&mut related.range);
            }
            for fix in &mut finding.fixes {
                for edit in &mut fix.edits {
                    at(&mut edit.range);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
