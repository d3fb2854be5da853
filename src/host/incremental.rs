//! A YAML document's tree-sitter tree kept across edits: the edit between two versions of the
//! text (found by comparing them, so that any sequence of versions, skipped ones included,
//! reparses correctly), the incremental reparse, and the template's top-level entries, which
//! `analysis::incremental` reads and checks one at a time.
//!
//! tree-sitter reparses only around an edit when it is given the previous tree told of the
//! edit (`Tree::edit`); a full parse of a 1 MB template costs ~200 ms (docs/PERFORMANCE.md).

use std::ops::Range;

use tree_sitter::{InputEdit, Node, Point, Tree};

use super::HostParse;
use super::yaml;
use crate::syntax::Member;

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
    /// Where the YAML reader stands when it reads the entry's pair (see `yaml::read_pair`).
    pub(crate) depth: usize,
}

impl Entry<'_> {
    pub(crate) fn range(&self) -> Range<usize> {
        self.node.byte_range()
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

    /// The tree of `text`, reparsed incrementally from this one, and the edit between the two
    /// texts (`None`: the same text).
    pub(crate) fn reparse(mut self, text: String) -> Result<(YamlTree, Option<TextEdit>), String> {
        let Some(edit) = diff(&self.text, &text) else {
            return Ok((self, None));
        };
        self.tree.edit(&InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.old_end,
            new_end_byte: edit.new_end,
            start_position: point(&self.text, edit.start),
            old_end_position: point(&self.text, edit.old_end),
            new_end_position: point(&text, edit.new_end),
        });
        match yaml::parse_tree(&text, Some(&self.tree)) {
            Some(tree) => Ok((YamlTree { text, tree }, Some(edit))),
            None => Err(text),
        }
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
                entries.push(Entry {
                    node: pair,
                    depth: 1,
                });
                continue;
            };
            for resource in pairs(resources)? {
                let key = yaml::read_key(&self.text, resource);
                if matches!(key.as_ref().map(|k| &*k.value), Some("Statement" | "Type")) {
                    return None;
                }
                entries.push(Entry {
                    node: resource,
                    depth: 3,
                });
            }
        }
        Some(entries)
    }

    /// An entry read as `yaml::parse` reads it in the whole document.
    pub(crate) fn read(&self, entry: Entry) -> (Option<Member>, HostParse) {
        yaml::read_pair(&self.text, entry.node, entry.depth)
    }
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

/// tree-sitter's point (row, byte column) of a byte offset.
fn point(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point::new(row, offset - line_start)
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
    fn points_count_rows_and_byte_columns() {
        let text = "ab\ncé\nx";
        assert_eq!(point(text, 0), Point::new(0, 0));
        assert_eq!(point(text, 3), Point::new(1, 0));
        assert_eq!(point(text, 6), Point::new(1, 3));
        assert_eq!(point(text, 7), Point::new(2, 0));
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
}
