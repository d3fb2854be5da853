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

use tree_sitter::Tree;

use super::rules::{self, Sink};
use super::{Analysis, Finding, MAX_DOCUMENT_BYTES, Options, analyze_until, on_char_boundaries};
use crate::catalog::Catalog;
use crate::host::{self, Host, HostSyntax, ReadEntry, Span, TextEdit, YamlTree};
use crate::policy::{Policy, find_policies_in_member};
use crate::syntax::{Member, Object, Parse, TextRange, Value, ValueKind};

/// One open document's text and per-entry findings.
#[derive(Default)]
pub(crate) struct IncrementalAnalysis {
    kept: Option<Kept>,
    /// What the last update did (tests, benches, the server's debug log).
    last: Update,
}

struct Kept {
    text: String,
    /// Whether the whole document was read by entries without a syntax error: only then may
    /// an edit's lines be read on their own (`host::reread`).
    clean: bool,
    /// What `entries` were checked with: other options, or another catalogue, check again.
    options: Options,
    catalog: &'static Catalog,
    /// The template's entries in document order (none when it is not read by entries).
    entries: Vec<KeptEntry>,
}

struct KeptEntry {
    span: Span,
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
    /// The whole document was parsed (not only the lines the edit touched).
    pub(crate) parsed: bool,
    /// Entries whose findings were kept, and entries read and checked.
    pub(crate) kept: usize,
    pub(crate) checked: usize,
}

/// An update's answer.
pub(crate) enum Outcome {
    /// The findings, as `analyze` gives them.
    Findings(Vec<Finding>),
    /// The whole analysis was needed: here it is.
    Analysis(Box<Analysis>),
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
        let previous = self
            .kept
            .take()
            .filter(|kept| kept.options == *options && std::ptr::eq(kept.catalog, catalog));
        let read = match previous {
            Some(kept) => match host::diff(&kept.text, &text) {
                // A document kept without entries was not read by them (not a template, a
                // syntax error): its findings are the whole analysis', computed again.
                None if !kept.entries.is_empty()
                    && kept.entries.iter().all(|e| e.checked.is_some()) =>
                {
                    self.last.kept = kept.entries.len();
                    Ok((kept.entries, kept.text, kept.clean))
                }
                // The same text, with entries an update gave up on, or none.
                None => self.parse(
                    kept.text,
                    Some((None, kept.entries)),
                    options,
                    catalog,
                    stop,
                ),
                Some(edit) => {
                    let Kept {
                        text: old,
                        clean,
                        entries,
                        ..
                    } = kept;
                    let local = if clean {
                        self.reread(&old, &text, edit, entries, options, catalog, stop)
                    } else {
                        Err(entries)
                    };
                    match local {
                        Ok(entries) => Ok((entries, text, true)),
                        // The old text's entries, for those the edit did not touch.
                        Err(entries) => {
                            self.parse(text, Some((Some(edit), entries)), options, catalog, stop)
                        }
                    }
                }
            },
            None => self.parse(text, None, options, catalog, stop),
        };
        let (entries, text, clean) = match read {
            Ok(read) => read,
            Err(text) => {
                // Not read by entries: kept without, so that the next update parses it.
                let outcome = self.whole(&text, options, stop);
                self.kept = Some(Kept {
                    text,
                    clean: false,
                    options: options.clone(),
                    catalog,
                    entries: Vec::new(),
                });
                return outcome;
            }
        };
        let complete = entries.iter().all(|e| e.checked.is_some());
        let findings = complete.then(|| assemble(&entries, options));
        let outcome = match findings {
            None => None,
            Some(Some(findings)) => Some(Outcome::Findings(findings)),
            // Over the findings limit: which are kept is the whole document's business.
            Some(None) => self.whole(&text, options, stop),
        };
        self.kept = Some(Kept {
            text,
            clean,
            options: options.clone(),
            catalog,
            entries,
        });
        outcome
    }

    /// The entries after an edit read from the lines it touched alone: those it replaced are
    /// read and checked, the others move; `Err(entries)` (given back) when those lines cannot
    /// be read alone, or an entry the edit did not touch is yet to be checked.
    #[allow(clippy::too_many_arguments)]
    fn reread(
        &mut self,
        old: &str,
        new: &str,
        edit: TextEdit,
        entries: Vec<KeptEntry>,
        options: &Options,
        catalog: &'static Catalog,
        stop: &dyn Fn() -> bool,
    ) -> Result<Vec<KeptEntry>, Vec<KeptEntry>> {
        let spans: Vec<Span> = entries.iter().map(|e| e.span.clone()).collect();
        let Some(reread) = host::reread(old, new, edit, &spans) else {
            return Err(entries);
        };
        let replaced = reread.replaced.clone();
        let untouched = || {
            entries[..replaced.start]
                .iter()
                .chain(&entries[replaced.end..])
        };
        if untouched().any(|e| e.checked.is_none()) {
            return Err(entries);
        }
        let mut result = Vec::with_capacity(entries.len() + reread.entries.len());
        let mut entries = entries.into_iter();
        result.extend(entries.by_ref().take(replaced.start));
        let mut complete = true;
        for entry in reread.entries {
            let span = entry.span.clone();
            let checked = if complete && !stop() {
                check_entry(new, entry, options, catalog, stop)
            } else {
                None
            };
            complete = checked.is_some();
            self.last.checked += usize::from(complete);
            result.push(KeptEntry { span, checked });
        }
        let by = reread.delta;
        result.extend(entries.skip(replaced.len()).map(|mut entry| {
            if by != 0 {
                entry.shift(by);
            }
            entry
        }));
        self.last.kept = result.len() - self.last.checked;
        Ok(result)
    }

    /// The whole text parsed, its entries read; with `previous` (the edit from the previous
    /// text, and its entries), those the edit did not touch keep their findings. `Err(text)`
    /// when the document is not read by entries.
    fn parse(
        &mut self,
        text: String,
        previous: Option<(Option<TextEdit>, Vec<KeptEntry>)>,
        options: &Options,
        catalog: &'static Catalog,
        stop: &dyn Fn() -> bool,
    ) -> Result<(Vec<KeptEntry>, String, bool), String> {
        self.last.parsed = true;
        let tree = YamlTree::parse(text)?;
        // A template with a syntax error is read whole: `host::parse` repairs what is being
        // typed (a key before its colon, an open quote) before reading it, which the entries
        // of the unrepaired tree cannot stand for.
        let found = if tree.has_error() {
            None
        } else {
            tree.entries()
        };
        let Some(found) = found else {
            let (text, tree) = tree.into_parts();
            free_elsewhere(tree);
            return Err(text);
        };
        let (edit, mut previous) = match previous {
            Some((edit, entries)) => (edit, entries),
            None => (None, Vec::new()),
        };
        let mut entries = Vec::with_capacity(found.len());
        let mut complete = true;
        for entry in found {
            let checked = match take_reusable(edit, &mut previous, &entry.span()) {
                Some(checked) => {
                    self.last.kept += 1;
                    Some(checked)
                }
                None if complete && !stop() => {
                    let checked =
                        check_entry(tree.text(), tree.read(entry), options, catalog, stop);
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
                span: entry.span(),
                checked,
            });
        }
        let clean = !tree.has_error();
        let (text, tree) = tree.into_parts();
        free_elsewhere(tree);
        Ok((entries, text, clean))
    }

    /// Frees the text and the findings (the next update starts from scratch).
    pub(crate) fn forget(&mut self) {
        self.kept = None;
    }

    pub(crate) fn last_update(&self) -> Update {
        self.last
    }

    fn whole(&mut self, text: &str, options: &Options, stop: &dyn Fn() -> bool) -> Option<Outcome> {
        self.last.whole = true;
        let (analysis, complete) = analyze_until(text, options, stop);
        complete.then(|| Outcome::Analysis(Box::new(analysis)))
    }
}

/// A 1 MB template's tree takes ~50 ms to free: not on the way to the diagnostics.
fn free_elsewhere(tree: Tree) {
    let _ = std::thread::Builder::new()
        .name("free-tree".into())
        .spawn(move || drop(tree));
}

/// The findings of the previous entry that stood where `entry` stands, before the edit, with
/// the same column and depth, taken out of `previous` and moved to where `entry` stands. Its
/// text is the same: the edit (`host::TextEdit`) is where the two texts differ, and it did not
/// touch the entry.
fn take_reusable(
    edit: Option<TextEdit>,
    previous: &mut [KeptEntry],
    entry: &Span,
) -> Option<Checked> {
    let range = entry.range.clone();
    let old = match edit {
        None => range.clone(),
        Some(edit) => edit.old_range(range.clone())?,
    };
    let at = previous
        .binary_search_by_key(&old.start, |e| e.span.range.start)
        .ok()?;
    let candidate = &mut previous[at];
    if candidate.span.range != old
        || candidate.span.column != entry.column
        || candidate.span.depth != entry.depth
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
    text: &str,
    entry: ReadEntry,
    options: &Options,
    catalog: &'static Catalog,
    stop: &dyn Fn() -> bool,
) -> Option<Checked> {
    let syntax = HostSyntax::of(&entry.read);
    // As `analyze_until` does: the rules read the entry settled (what is being typed keeps
    // the meaning it had before), fixes are laid out in the entry's tree, and nothing is
    // reported inside what was recovered.
    let mut parse = Parse {
        root: entry.member.map(holder),
        errors: entry.read.parse.errors,
        recovered: entry.read.parse.recovered,
    };
    let settled = parse.settle();
    let located = parse
        .root
        .as_ref()
        .and_then(held_member)
        .map(find_policies_in_member)
        .unwrap_or_default();
    let policies: Vec<Policy> = located
        .iter()
        .filter_map(|located| Policy::located(located, options.policy_type.as_ref()))
        .collect();
    let mut sink = Sink::new(&options.config);
    for policy in &policies {
        if !rules::check_policy(catalog, policy, text, &parse.errors, &mut sink, stop) {
            return None;
        }
    }
    let produced = sink.count();
    let mut findings = sink.finish();
    let policy_count = policies.len();
    drop(policies);
    drop(located);
    parse.unsettle(settled);
    if !parse.recovered.is_empty() {
        findings.retain(|f| !parse.is_recovered(f.range));
    }
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
                finding.fixes =
                    host::translate_fixes(Host::Yaml, &syntax, text, parse.root.as_ref(), fixes);
                Keyed { key, finding }
            })
            .collect()
    };
    Some(Checked {
        policies: policy_count,
        syntax: in_host(syntax_sink.finish()),
        findings: in_host(findings),
        produced,
        syntax_produced,
    })
}

/// An entry's pair as the one member of an object, the shape `Parse` and the fixes' layout
/// read.
fn holder(member: Member) -> Value {
    Value {
        range: member.range,
        kind: ValueKind::Object(Object {
            members: vec![member],
            closed: true,
        }),
    }
}

fn held_member(root: &Value) -> Option<&Member> {
    match &root.kind {
        ValueKind::Object(object) => object.members.first(),
        _ => None,
    }
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

impl KeptEntry {
    fn shift(&mut self, by: i64) {
        let moved = |offset: usize| (offset as i64 + by) as usize;
        self.span.range = moved(self.span.range.start)..moved(self.span.range.end);
        if let Some(checked) = &mut self.checked {
            checked.shift(by);
        }
    }
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
