//! A CloudFormation YAML template read entry by entry — the keys of its top-level mapping,
//! and those of its `Resources` in place of that key — so that `analysis::incremental` reads
//! and checks again only the entries an edit touched.
//!
//! After an edit, the lines it touched (widened to the entries on them) are parsed on their
//! own, not the whole document: tree-sitter-yaml's incremental reparse re-reads everything
//! after an edit that adds a line, or that precedes a block scalar in its entry, which on a
//! 1 MB template costs about what a full parse does (docs/PERFORMANCE.md). The lines read on
//! their own stand for what the whole document would read there only when the document had
//! no syntax error, the lines hold no syntax error either and nothing but entries of the same
//! mapping at its column (and comments): then no construct crosses their borders. Otherwise
//! the caller parses the whole document.

use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::HostParse;
use super::yaml;
use crate::syntax::{Member, TextRange};

/// A YAML document's text and its tree.
pub(crate) struct YamlTree {
    text: String,
    tree: Tree,
}

/// Where two texts differ: `start..old_end` of the old text became `start..new_end` of the new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TextEdit {
    pub(crate) start: usize,
    pub(crate) old_end: usize,
    pub(crate) new_end: usize,
}

impl TextEdit {
    /// Where `range` of the new text was in the old one, if the edit did not touch it.
    pub(crate) fn old_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        if range.end <= self.start {
            Some(range)
        } else if range.start >= self.new_end {
            let back = |at: usize| at - self.new_end + self.old_end;
            Some(back(range.start)..back(range.end))
        } else {
            None
        }
    }
}

/// A top-level entry of a template: a key of its top-level mapping, or of its `Resources`.
#[derive(Clone, Copy)]
pub(crate) struct Entry<'t> {
    node: Node<'t>,
    /// The node's range without the line breaks and indentation tree-sitter may count in.
    end: usize,
    /// Where the YAML reader stands when it reads the entry's pair (see `yaml::read_pair`).
    pub(crate) depth: usize,
}

impl<'t> Entry<'t> {
    fn new(text: &str, node: Node<'t>, depth: usize) -> Self {
        Entry {
            node,
            end: trimmed_end(text, node.byte_range()),
            depth,
        }
    }

    pub(crate) fn span(&self) -> Span {
        Span {
            range: self.range(),
            column: self.column(),
            depth: self.depth,
            open_end: ends_with_block_scalar(self.node),
        }
    }

    pub(crate) fn range(&self) -> Range<usize> {
        self.node.start_byte()..self.end
    }

    /// The byte column of the entry's key: with its text, what its tree depends on (the
    /// indentation of its first line is not part of its text).
    pub(crate) fn column(&self) -> usize {
        self.node.start_position().column
    }
}

impl YamlTree {
    /// Parses `text` from scratch; `Err(text)` only if tree-sitter gives up (it does not on
    /// any input we know of).
    pub(crate) fn parse(text: String) -> Result<YamlTree, String> {
        match yaml::parse_tree(&text, None) {
            Some(tree) => Ok(YamlTree { text, tree }),
            None => Err(text),
        }
    }

    /// Whether tree-sitter found a syntax error anywhere.
    pub(crate) fn has_error(&self) -> bool {
        self.tree.root_node().has_error()
    }

    /// The tree, to be freed elsewhere (a 1 MB template's takes ~50 ms to free).
    pub(crate) fn into_parts(self) -> (String, Tree) {
        (self.text, self.tree)
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The template's entries in document order: the pairs of its top-level mapping, the
    /// pairs of its `Resources` mapping in place of that key. `None` when the document is not
    /// a template the entries stand for exactly, that is when reading it entry by entry could
    /// find other policies than reading it whole (`policy::find_policies`): a document that
    /// is not a plain block mapping, that may itself be a policy, a statement or a resource,
    /// or whose `Resources` may be.
    pub(crate) fn entries(&self) -> Option<Vec<Entry<'_>>> {
        let stream = self.tree.root_node();
        let document = named_children(stream)
            .into_iter()
            .find(|n| n.kind() == "document")?;
        // `yaml::parse`: the document's first node is the root when it is a mapping.
        let root = named_children(document)
            .into_iter()
            .find(|n| matches!(n.kind(), "block_node" | "flow_node"))?;
        let root = plain_block_mapping(root)?;
        let mut entries = Vec::new();
        for pair in pairs(root)? {
            let key = yaml::read_key(&self.text, pair);
            let key = key.as_ref().map(|k| &*k.value);
            if matches!(key, Some("Statement" | "Version" | "Effect" | "Type")) {
                return None;
            }
            let resources = (key == Some("Resources"))
                .then(|| pair.child_by_field_name("value"))
                .flatten()
                .and_then(plain_block_mapping);
            let Some(resources) = resources else {
                entries.push(Entry::new(&self.text, pair, 1));
                continue;
            };
            for resource in pairs(resources)? {
                let key = yaml::read_key(&self.text, resource);
                if matches!(key.as_ref().map(|k| &*k.value), Some("Statement" | "Type")) {
                    return None;
                }
                entries.push(Entry::new(&self.text, resource, 3));
            }
        }
        Some(entries)
    }

    /// An entry read as `yaml::parse` reads it in the whole document.
    pub(crate) fn read(&self, entry: Entry) -> ReadEntry {
        let (member, read) = yaml::read_pair(&self.text, entry.node, entry.depth);
        ReadEntry {
            span: entry.span(),
            member,
            read,
        }
    }
}

/// Where an entry is: its range, the column of its key, the depth the reader reads it at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) range: Range<usize>,
    pub(crate) column: usize,
    pub(crate) depth: usize,
    /// The entry ends with a block scalar, which takes in the blank lines after it: where it
    /// ends depends on the lines that follow.
    pub(crate) open_end: bool,
}

/// An entry, read.
pub(crate) struct ReadEntry {
    pub(crate) span: Span,
    pub(crate) member: Option<Member>,
    pub(crate) read: HostParse,
}

/// What an edit changed of a document's entries: the entries at `replaced` (indices in the
/// old list) are now `entries`, read from the new text; those after them moved by `delta`.
pub(crate) struct Reread {
    pub(crate) replaced: Range<usize>,
    pub(crate) entries: Vec<ReadEntry>,
    pub(crate) delta: i64,
}

/// The entries `edit` replaced, read again from the lines it touched alone; `None` when those
/// lines cannot be read on their own (see the module's comment: the caller parses the whole
/// document). `old` had no syntax error, and `spans` are its entries.
pub(crate) fn reread(old: &str, new: &str, edit: TextEdit, spans: &[Span]) -> Option<Reread> {
    // The lines the edit touched, widened to the entries on them, and those entries.
    let (mut lo, mut hi) = (line_start(old, edit.start), line_after(old, edit.old_end));
    // A line typed right after an entry's last line may belong to it (a list item, a key).
    let before = spans.partition_point(|s| s.range.end <= lo);
    if before > 0 && line_after(old, spans[before - 1].range.end) == lo {
        lo = line_start(old, spans[before - 1].range.start);
    }
    let mut touched = 0..0;
    for _ in 0..4 {
        let first = spans.partition_point(|s| s.range.end <= lo);
        let last = spans.partition_point(|s| s.range.start < hi).max(first);
        touched = first..last;
        let (wider_lo, wider_hi) = match (spans[touched.clone()].first(), touched.clone().last()) {
            (Some(first), Some(last)) => (
                lo.min(line_start(old, first.range.start)),
                hi.max(line_after(old, spans[last].range.end)),
            ),
            _ => (lo, hi),
        };
        if (wider_lo, wider_hi) == (lo, hi) {
            break;
        }
        (lo, hi) = (wider_lo, wider_hi);
    }
    let Range {
        start: first,
        end: last,
    } = touched;
    // An entry just before the lines may end with what they hold.
    if first > 0 && spans[first - 1].open_end {
        return None;
    }
    if first < last && line_start(old, spans[first].range.start) != lo {
        return None; // still widening
    }
    // Which mapping the lines are in: that of the entries on them, or of the entries around.
    let (column, depth) = if first < last {
        let span = &spans[first];
        if spans[first..last]
            .iter()
            .any(|s| s.depth != span.depth || s.column != span.column)
        {
            return None;
        }
        (span.column, span.depth)
    } else {
        let (before, after) = (spans.get(first.checked_sub(1)?)?, spans.get(last)?);
        if before.depth != after.depth || before.column != after.column {
            return None;
        }
        (before.column, before.depth)
    };
    // Nothing else on the old lines (no key of the template itself, such as `Resources:`).
    let mut at = lo;
    for span in &spans[first..last] {
        if !blank_or_comments(&old[at..span.range.start]) {
            return None;
        }
        at = span.range.end;
    }
    if !blank_or_comments(&old[at..hi]) {
        return None;
    }
    let delta = edit.new_end as i64 - edit.old_end as i64;
    let new_hi = usize::try_from(hi as i64 + delta).ok()?;
    let lines = new.get(lo..new_hi)?;
    let entries = if blank_or_comments(lines) {
        Vec::new()
    } else {
        read_lines(lines, lo, column, depth)?
    };
    // The last entry read may have ended otherwise before the lines that follow.
    if entries.last().is_some_and(|e| e.span.open_end) {
        return None;
    }
    Some(Reread {
        replaced: first..last,
        entries,
        delta,
    })
}

/// Lines parsed on their own: a block mapping at `column` with nothing but its pairs (and
/// comments) and no syntax error; its pairs read at `depth`, moved to `offset`.
fn read_lines(lines: &str, offset: usize, column: usize, depth: usize) -> Option<Vec<ReadEntry>> {
    let tree = yaml::parse_tree(lines, None)?;
    let stream = tree.root_node();
    if stream.has_error() {
        return None;
    }
    let mut documents = named_children(stream)
        .into_iter()
        .filter(|n| n.kind() != "comment");
    let document = documents.next().filter(|d| d.kind() == "document")?;
    if documents.next().is_some() {
        return None;
    }
    let mut nodes = named_children(document)
        .into_iter()
        .filter(|n| n.kind() != "comment");
    let mapping = plain_block_mapping(nodes.next()?)?;
    if nodes.next().is_some() {
        return None;
    }
    let by = u32::try_from(offset).ok()?;
    let mut entries = Vec::new();
    for pair in pairs(mapping)? {
        if pair.start_position().column != column {
            return None;
        }
        let key = yaml::read_key(lines, pair);
        let key = key.as_ref().map(|k| &*k.value);
        let forbidden = match depth {
            1 => matches!(
                key,
                Some("Statement" | "Version" | "Effect" | "Type" | "Resources")
            ),
            _ => matches!(key, Some("Statement" | "Type")),
        };
        if forbidden {
            return None;
        }
        let (member, mut read) = yaml::read_pair(lines, pair, depth);
        let member = member.map(|member| shift_member(member, by));
        let at = |r: &mut TextRange| *r = TextRange::new(r.start + by, r.end + by);
        read.scalars
            .iter_mut()
            .chain(&mut read.quoted_json)
            .for_each(|s| at(&mut s.range));
        read.json_regions.iter_mut().for_each(at);
        read.opening_lines.iter_mut().for_each(at);
        read.parse.recovered.iter_mut().for_each(at);
        read.parse.errors.iter_mut().for_each(|e| at(&mut e.range));
        let range = pair.start_byte()..trimmed_end(lines, pair.byte_range());
        entries.push(ReadEntry {
            span: Span {
                range: range.start + offset..range.end + offset,
                column,
                depth,
                open_end: ends_with_block_scalar(pair),
            },
            member,
            read,
        });
    }
    Some(entries)
}

fn shift_member(mut member: Member, by: u32) -> Member {
    let at = |r: &mut TextRange| *r = TextRange::new(r.start + by, r.end + by);
    at(&mut member.range);
    at(&mut member.key.range);
    if let Some(colon) = &mut member.colon {
        at(colon);
    }
    if let Some(value) = &mut member.value {
        yaml::shift(value, by);
    }
    member
}

fn ends_with_block_scalar(node: Node) -> bool {
    let mut node = node;
    loop {
        if node.kind() == "block_scalar" {
            return true;
        }
        let Some(last) = node
            .named_child_count()
            .checked_sub(1)
            .and_then(|i| node.named_child(u32::try_from(i).ok()?))
        else {
            return false;
        };
        node = last;
    }
}

fn trimmed_end(text: &str, range: Range<usize>) -> usize {
    range.start + text.get(range).map_or(0, |t| t.trim_end().len())
}

/// Whether `text` holds only whitespace and comments.
fn blank_or_comments(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start();
        line.is_empty() || line.starts_with('#')
    })
}

fn line_start(text: &str, at: usize) -> usize {
    memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |i| i + 1)
}

/// Where the line holding `at` ends, after its line break.
fn line_after(text: &str, at: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i + 1)
}

/// The mapping of a `block_node` with no tag (an anchor is ignored, as `yaml::parse` does).
fn plain_block_mapping(node: Node) -> Option<Node> {
    if node.kind() != "block_node" || node.is_error() || node.is_missing() {
        return None;
    }
    let mut inner = None;
    for child in named_children(node) {
        match child.kind() {
            "tag" => return None,
            "anchor" | "comment" => {}
            _ if inner.is_none() => inner = Some(child),
            _ => {}
        }
    }
    inner.filter(|n| n.kind() == "block_mapping" && !n.is_error() && !n.is_missing())
}

/// The pairs of a block mapping, or `None` if it holds a member `yaml::parse` would read
/// otherwise than as a pair.
fn pairs(mapping: Node) -> Option<Vec<Node>> {
    let children = named_children(mapping);
    if children.iter().any(|c| c.kind() == "flow_node") {
        return None;
    }
    Some(
        children
            .into_iter()
            .filter(|c| c.kind() == "block_mapping_pair")
            .collect(),
    )
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// The one edit that turns `old` into `new`: their common prefix and suffix are kept.
pub(crate) fn diff(old: &str, new: &str) -> Option<TextEdit> {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(a, b);
    if prefix == a.len() && prefix == b.len() {
        return None;
    }
    let most = a.len().min(b.len()) - prefix;
    let suffix = common_suffix(&a[a.len() - most..], &b[b.len() - most..]);
    Some(TextEdit {
        start: prefix,
        old_end: a.len() - suffix,
        new_end: b.len() - suffix,
    })
}

/// Compared by blocks (a 1 MB template's prefix in a few microseconds), then by bytes.
const BLOCK: usize = 64;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let blocks = a
        .chunks_exact(BLOCK)
        .zip(b.chunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = blocks * BLOCK;
    at + a[at..]
        .iter()
        .zip(&b[at..])
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let blocks = a
        .rchunks_exact(BLOCK)
        .zip(b.rchunks_exact(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let at = blocks * BLOCK;
    at + a[..a.len() - at]
        .iter()
        .rev()
        .zip(b[..b.len() - at].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(start, old_end, new_end)`.
    type Expected = Option<(usize, usize, usize)>;

    #[test]
    fn the_edit_between_two_texts() {
        let cases: &[(&str, &str, Expected)] = &[
            ("abc", "abc", None),
            ("abc", "abXc", Some((2, 2, 3))),
            ("abc", "ac", Some((1, 2, 1))),
            ("aaaa", "aaa", Some((3, 4, 3))),
            ("", "x", Some((0, 0, 1))),
            ("x", "", Some((0, 1, 0))),
            ("abcabc", "abc", Some((3, 6, 3))),
        ];
        for (old, new, expected) in cases {
            let edit = diff(old, new).map(|e| (e.start, e.old_end, e.new_end));
            assert_eq!(edit, *expected, "{old:?} → {new:?}");
        }
        // Beyond one block, on both sides.
        let old = format!("{}A{}", "x".repeat(200), "y".repeat(300));
        let new = format!("{}BC{}", "x".repeat(200), "y".repeat(300));
        assert_eq!(
            diff(&old, &new),
            Some(TextEdit {
                start: 200,
                old_end: 201,
                new_end: 202
            })
        );
    }

    #[test]
    fn ranges_the_edit_did_not_touch_map_back() {
        let edit = TextEdit {
            start: 10,
            old_end: 12,
            new_end: 15,
        };
        assert_eq!(edit.old_range(0..10), Some(0..10));
        assert_eq!(edit.old_range(15..20), Some(12..17));
        assert_eq!(edit.old_range(9..11), None);
        assert_eq!(edit.old_range(14..20), None);
    }

    fn entries(text: &str) -> Option<Vec<(String, usize)>> {
        let Ok(tree) = YamlTree::parse(text.to_string()) else {
            panic!("tree-sitter gave up on {text:?}")
        };
        let entries = tree.entries()?;
        Some(
            entries
                .iter()
                .map(|e| {
                    let first = text[e.range()].lines().next().unwrap_or("").to_string();
                    (first, e.depth)
                })
                .collect(),
        )
    }

    #[test]
    fn a_template_is_read_by_its_entries() {
        let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::IAM::Role\n  B:\n    Type: AWS::S3::Bucket\nOutputs:\n  X: 1\n";
        assert_eq!(
            entries(template),
            Some(vec![
                ("AWSTemplateFormatVersion: '2010-09-09'".into(), 1),
                ("A:".into(), 3),
                ("B:".into(), 3),
                ("Outputs:".into(), 1),
            ])
        );
        // Documents whose entries could hold other policies than the whole does.
        for text in [
            "Version: '2012-10-17'\nStatement: []\n",
            "Effect: Allow\nAction: s3:*\n",
            "Type: AWS::IAM::Role\nProperties: {}\n",
            "Resources:\n  Statement:\n    - Effect: Allow\n",
            "Resources:\n  Type: AWS::X::Y\n  Properties: {}\n",
            "!Tagged\nResources: {}\n",
            "{Resources: {}}\n",
            "- a\n- b\n",
        ] {
            assert_eq!(entries(text), None, "{text}");
        }
        // `Resources` that is no block mapping is an entry as it is.
        assert_eq!(
            entries("Resources: {A: 1}\n"),
            Some(vec![("Resources: {A: 1}".into(), 1)])
        );
    }

    /// `(replaced, new entries' first lines)` when the edit's lines are read alone.
    fn reread_of(old: &str, from: &str, to: &str) -> Option<(Range<usize>, Vec<String>)> {
        let at = old.find(from).expect(from);
        let new = format!("{}{to}{}", &old[..at], &old[at + from.len()..]);
        let Ok(tree) = YamlTree::parse(old.to_string()) else {
            panic!("tree-sitter gave up on {old:?}")
        };
        let spans: Vec<Span> = tree
            .entries()
            .expect("a template")
            .iter()
            .map(|e| e.span())
            .collect();
        let edit = diff(old, &new)?;
        let reread = reread(old, &new, edit, &spans)?;
        let firsts = reread
            .entries
            .iter()
            .map(|e| {
                new[e.span.range.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        Some((reread.replaced, firsts))
    }

    #[test]
    fn the_lines_an_edit_touched_are_read_alone_when_they_can_be() {
        let old = "Description: d\nResources:\n  A:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement: []\n\n  B:\n    Type: AWS::S3::Bucket\n  C:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code:\n        ZipFile: |\n          print(1)\n  D:\n    Type: AWS::SNS::Topic\nOutputs:\n  X: 1\n";
        /// The entries replaced, and the first lines of those read.
        type Read = Option<(Range<usize>, Vec<&'static str>)>;
        let cases: &[(&str, &str, Read)] = &[
            // A letter in a resource, a line in it: that resource.
            ("Statement: []", "Statement: [x]", Some((1..2, vec!["A:"]))),
            (
                "Statement: []",
                "Statement: []\n        Version: x",
                Some((1..2, vec!["A:"])),
            ),
            // A top-level key.
            (
                "Description: d",
                "Description: dd",
                Some((0..1, vec!["Description: dd"])),
            ),
            // A resource or a comment typed on the line after a resource: read with it (it
            // may continue its list or mapping).
            (
                "\n\n  B:",
                "\n  E:\n    Type: X\n  B:",
                Some((1..2, vec!["A:", "E:"])),
            ),
            ("\n\n  B:", "\n  # b\n  B:", Some((1..2, vec!["A:"]))),
            // After the last entry: read with it.
            (
                "\n  X: 1\n",
                "\n  X: 1\n\n# x\n",
                Some((5..6, vec!["Outputs:"])),
            ),
            // The template's own key, a syntax error, another column: the whole document.
            ("Resources:", "Resource:", None),
            ("Statement: []", "Statement: ['x", None),
            ("  B:", "B:", None),
            // Next to a block scalar, which takes in the lines after it: read with the
            // entry it ends, unless the lines end with it.
            ("  D:", "  DD:", Some((3..5, vec!["C:", "DD:"]))),
            ("print(1)", "print(2)", None),
        ];
        for (from, to, expected) in cases {
            let expected = expected
                .clone()
                .map(|(r, firsts)| (r, firsts.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
            assert_eq!(reread_of(old, from, to), expected, "{from:?} → {to:?}");
        }
    }
}
