//! CloudFormation and SAM templates in YAML, read with tree-sitter-yaml: the only parser that
//! keeps the rest of a half-typed file after a syntax error (docs/ARCHITECTURE.md). The
//! template becomes the tree a JSON template gives, so that the CloudFormation locator and its
//! type table serve both; YAML syntax errors are the editor's YAML server's business, not ours.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use super::bare_keys::{Repair, repair};
use super::embedded_json::Embedded;
use super::terraform::{map_ranges, original};
use super::{HostParse, Scalar, ScalarStyle, scalars};
use crate::syntax::{Member, Object, Parse, Str, SyntaxError, TextRange, Value, ValueKind};

/// Deeper nesting is one opaque value: no template nests this deep, and the conversion
/// recurses.
const MAX_DEPTH: usize = 128;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

pub(super) fn parse(text: &str) -> HostParse {
    let mut tree = parse_tree(text, None);
    // A key being typed before its `:` can cost the whole document: read it as a key.
    let repaired = tree
        .as_ref()
        .is_some_and(|t| t.root_node().has_error())
        .then(|| repair(text))
        .flatten();
    if let Some(repair) = &repaired {
        tree = parse_tree(&repair.text, None);
    }
    let source = repaired.as_ref().map_or(text, |r| r.text.as_str());
    let mut reader = Reader {
        text: source,
        scalars: Vec::new(),
        json_regions: Vec::new(),
        quoted_json: Vec::new(),
        errors: Vec::new(),
        recovered: Vec::new(),
        opening_lines: Vec::new(),
        in_condition: false,
    };
    let mut root = tree.as_ref().and_then(|tree| {
        let stream = tree.root_node();
        let mut cursor = stream.walk();
        let documents: Vec<Node> = stream
            .named_children(&mut cursor)
            .filter(|n| n.kind() == "document")
            .collect();
        documents.into_iter().find_map(|document| {
            let mut cursor = document.walk();
            let children: Vec<Node> = document.named_children(&mut cursor).collect();
            children
                .into_iter()
                .filter(|n| matches!(n.kind(), "block_node" | "flow_node"))
                .find_map(|n| reader.value(n, 0))
        })
    });
    if let Some(repair) = &repaired {
        // Back to the user's offsets; the added colons become no colon at all, the added
        // quotes no closing quote, and what they end is being typed.
        let added = &repair.added;
        let back = |r: TextRange| TextRange::new(original(r.start, added), original(r.end, added));
        if let Some(root) = &mut root {
            map_ranges(root, &back);
            undo_repairs(root, repair, &mut reader.recovered);
        }
        for scalar in reader.scalars.iter_mut().chain(&mut reader.quoted_json) {
            scalar.range = back(scalar.range);
        }
        reader.json_regions.iter_mut().for_each(|r| *r = back(*r));
        reader
            .errors
            .iter_mut()
            .for_each(|e| e.range = back(e.range));
        reader.recovered.iter_mut().for_each(|r| *r = back(*r));
        reader.opening_lines.iter_mut().for_each(|r| *r = back(*r));
        reader
            .scalars
            .retain(|s| !repair.colons.contains(&s.range.end));
        reader.recovered.extend(repair.colons.iter().map(|&at| {
            let line_start = text[..at as usize].rfind('\n').map_or(0, |i| i + 1);
            let line = &text[line_start..at as usize];
            let word = line.trim_start_matches([' ', '-']);
            TextRange::new(at - word.len() as u32, at)
        }));
    }
    reader.scalars.sort_by_key(|s| s.range.start);
    reader.recovered.sort_by_key(|r| r.start);
    HostParse {
        parse: Parse {
            root,
            errors: reader.errors,
            recovered: super::outermost(reader.recovered),
        },
        scalars: reader.scalars,
        json_regions: reader.json_regions,
        quoted_json: reader.quoted_json,
        opening_lines: reader.opening_lines,
        documents: Vec::new(),
        document_names: Vec::new(),
        policies: None,
    }
}

/// tree-sitter's tree of `text`; with `old` (the tree of the previous text, already told of
/// the edit with `Tree::edit`), parsed incrementally (`host::incremental`).
pub(super) fn parse_tree(text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut cell = cell.borrow_mut();
        let parser = cell.get_or_insert_with(|| {
            let mut parser = Parser::new();
            // The grammar is compiled in: setting it fails only on an ABI mismatch, which the
            // tests would show.
            let _ = parser.set_language(&tree_sitter_yaml::LANGUAGE.into());
            parser
        });
        parser.parse(text, old)
    })
}

/// One pair of a block mapping read as `parse` reads it at `depth` (1 for the template's
/// top-level keys), with what the reader collected on the way (`host::incremental` reads a
/// template one top-level entry at a time).
pub(super) fn read_pair(text: &str, pair: Node, depth: usize) -> (Option<Member>, HostParse) {
    let mut reader = Reader {
        text,
        scalars: Vec::new(),
        json_regions: Vec::new(),
        quoted_json: Vec::new(),
        errors: Vec::new(),
        recovered: Vec::new(),
        opening_lines: Vec::new(),
        in_condition: false,
    };
    let member = reader.pair(pair, depth);
    reader.scalars.sort_by_key(|s| s.range.start);
    reader.recovered.sort_by_key(|r| r.start);
    let parse = HostParse {
        parse: Parse {
            root: None,
            errors: reader.errors,
            recovered: super::outermost(reader.recovered),
        },
        scalars: reader.scalars,
        json_regions: reader.json_regions,
        quoted_json: reader.quoted_json,
        opening_lines: reader.opening_lines,
        documents: Vec::new(),
        document_names: Vec::new(),
        policies: None,
    };
    (member, parse)
}

/// The decoded key of a block mapping pair, as `parse` reads it.
pub(super) fn read_key(text: &str, pair: Node) -> Option<Str> {
    let mut reader = Reader {
        text,
        scalars: Vec::new(),
        json_regions: Vec::new(),
        quoted_json: Vec::new(),
        errors: Vec::new(),
        recovered: Vec::new(),
        opening_lines: Vec::new(),
        in_condition: false,
    };
    reader.key(pair.child_by_field_name("key")?)
}

/// Members whose colon the repair added have none, and strings it closed are not terminated
/// (and recovered). The mappings and lists around a repair are being typed: not closed, so
/// that nothing is missing from them yet (a JSON container left open is recovered whole).
/// Whether `value` holds a repair.
fn undo_repairs(value: &mut Value, repair: &Repair, recovered: &mut Vec<TextRange>) -> bool {
    match &mut value.kind {
        ValueKind::Object(object) => {
            let mut repaired = false;
            for member in &mut object.members {
                if member
                    .colon
                    .is_some_and(|c| c.is_empty() && repair.colons.contains(&c.start))
                {
                    member.colon = None;
                    member.range = member.key.range;
                    repaired = true;
                }
                if let Some(value) = &mut member.value {
                    repaired |= undo_repairs(value, repair, recovered);
                }
            }
            object.closed &= !repaired;
            repaired
        }
        ValueKind::Array(array) => {
            let mut repaired = false;
            for element in &mut array.elements {
                repaired |= undo_repairs(element, repair, recovered);
            }
            array.closed &= !repaired;
            repaired
        }
        ValueKind::String(s) if s.quoted && repair.quotes.contains(&s.range.end) => {
            s.terminated = false;
            recovered.push(s.range);
            true
        }
        _ => false,
    }
}

struct Reader<'t> {
    text: &'t str,
    scalars: Vec<Scalar>,
    json_regions: Vec<TextRange>,
    /// Quoted scalars holding a JSON policy (`'{"Version": …}'`).
    quoted_json: Vec<Scalar>,
    errors: Vec<SyntaxError>,
    /// What the parsers of embedded JSON recovered through (a policy being typed in a block
    /// scalar or a quoted string).
    recovered: Vec<TextRange>,
    /// Plain scalars that open their line (after indentation and `- `), in document order.
    opening_lines: Vec<TextRange>,
    /// Whether the pair being read is a member of a `Condition` block (an operator).
    in_condition: bool,
}

fn range(node: Node) -> TextRange {
    TextRange::from_usize(node.byte_range())
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

impl<'t> Reader<'t> {
    fn raw(&self, node: Node) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// The value of a YAML node, or `None` for nothing usable (an error, an empty node).
    fn value(&mut self, node: Node, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return Some(Value {
                range: range(node),
                kind: ValueKind::Invalid,
            });
        }
        if node.is_error() || node.is_missing() {
            return None;
        }
        match node.kind() {
            "flow_node" | "block_node" => self.node(node, depth),
            "plain_scalar" => Some(self.plain(node)),
            "single_quote_scalar" => Some(
                self.quoted_json(node, ScalarStyle::SingleQuoted)
                    .unwrap_or_else(|| {
                        let value = scalars::single_quoted(self.raw(node));
                        self.string(node, value, ScalarStyle::SingleQuoted, true)
                    }),
            ),
            "double_quote_scalar" => Some(
                self.quoted_json(node, ScalarStyle::DoubleQuoted)
                    .unwrap_or_else(|| {
                        let value = scalars::double_quoted(self.raw(node));
                        self.string(node, value, ScalarStyle::DoubleQuoted, true)
                    }),
            ),
            "block_scalar" => Some(self.block_scalar(node)),
            "block_mapping" | "flow_mapping" => Some(self.mapping(node, depth)),
            "block_sequence" | "flow_sequence" => Some(self.sequence(node, depth)),
            // `*anchor`: a value defined elsewhere; opaque, like an intrinsic.
            "alias" => Some(intrinsic(range(node), range(node), "Fn::Alias", None)),
            _ => None,
        }
    }

    /// A `flow_node`/`block_node`: an optional tag and anchor, then the value.
    fn node(&mut self, node: Node, depth: usize) -> Option<Value> {
        let mut tag = None;
        let mut inner = None;
        for child in named_children(node) {
            match child.kind() {
                "tag" => tag = Some(child),
                "anchor" | "comment" => {}
                _ if inner.is_none() => inner = Some(child),
                _ => {}
            }
        }
        let value = inner.and_then(|n| self.value(n, depth + 1));
        let Some(tag) = tag else { return value };
        let name = self.raw(tag);
        if name.starts_with("!!") {
            return value; // a standard YAML tag (`!!str`): the value as it is
        }
        let name = &name[1..];
        // `!Sub |` (or `!Sub '…'`) over a JSON policy: the policy, with `${…}` values unknown.
        if name == "Sub"
            && inner.is_some_and(|n| {
                matches!(
                    n.kind(),
                    "block_scalar" | "single_quote_scalar" | "double_quote_scalar"
                )
            })
            && let Some(mut policy) = value.clone().filter(|v| v.as_object().is_some())
        {
            wrap_interpolations(&mut policy);
            return Some(policy);
        }
        let key = match name {
            "Ref" | "Condition" => name.to_string(),
            other => format!("Fn::{other}"),
        };
        Some(intrinsic(range(node), range(tag), &key, value))
    }

    fn plain(&mut self, node: Node) -> Value {
        let is_null = named_children(node)
            .first()
            .is_some_and(|c| c.kind() == "null_scalar");
        if is_null {
            return Value {
                range: range(node),
                kind: ValueKind::Null,
            };
        }
        let value = scalars::plain(self.raw(node));
        let line_start = self.text[..node.start_byte()]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        if self.text[line_start..node.start_byte()]
            .chars()
            .all(|c| c == ' ' || c == '-')
        {
            self.opening_lines.push(range(node));
        }
        self.string(node, value, ScalarStyle::Plain, false)
    }

    fn string(&mut self, node: Node, value: String, style: ScalarStyle, quoted: bool) -> Value {
        let range = range(node);
        self.scalars.push(Scalar { range, style });
        Value {
            range,
            kind: ValueKind::String(Str {
                range,
                value: value.into(),
                terminated: true,
                quoted,
            }),
        }
    }

    /// A block scalar; one that holds a JSON object (`PolicyDocument: |` then a JSON policy) is
    /// that object, parsed where it stands.
    fn block_scalar(&mut self, node: Node) -> Value {
        let raw = self.raw(node);
        let node_range = range(node);
        if let Some(newline) = raw.find('\n')
            && raw[newline..].trim_start().starts_with('{')
        {
            let offset = node_range.start + newline as u32;
            if let Some(embedded) = Embedded::shifted(&raw[newline..], offset)
                && embedded.root.as_object().is_some()
            {
                self.json_regions
                    .push(TextRange::new(offset, node_range.end));
                return self.embedded(embedded);
            }
        }
        let value = scalars::block(raw);
        self.string(node, value, ScalarStyle::Frozen, false)
    }

    /// A quoted scalar holding a JSON policy (CloudFormation's Json-typed properties take a
    /// string: `PolicyDocument: '{"Version": …}'`): the policy, its ranges mapped back
    /// through the scalar's escapes and folded lines.
    fn quoted_json(&mut self, node: Node, style: ScalarStyle) -> Option<Value> {
        let raw = self.raw(node);
        if !raw.get(1..).unwrap_or("").trim_start().starts_with('{') {
            return None;
        }
        let (decoded, map) = scalars::quoted_with_map(raw, node.start_byte() as u32);
        let embedded = Embedded::decoded(&decoded, &map)?;
        if !embedded.is_policy() {
            return None;
        }
        self.quoted_json.push(Scalar {
            range: range(node),
            style,
        });
        Some(self.embedded(embedded))
    }

    /// Embedded JSON's tree; its syntax errors count when it is a policy (a JSON object in a
    /// block scalar may be anything), and what its parser recovered through is quiet.
    fn embedded(&mut self, embedded: Embedded) -> Value {
        if embedded.is_policy() {
            self.errors.extend(embedded.errors.iter().copied());
        }
        self.recovered.extend(embedded.recovered.iter().copied());
        embedded.root
    }

    fn mapping(&mut self, node: Node, depth: usize) -> Value {
        let mut members = Vec::new();
        for child in named_children(node) {
            match child.kind() {
                "block_mapping_pair" | "flow_pair" => {
                    if let Some(member) = self.pair(child, depth) {
                        members.push(member);
                    }
                }
                // `{a}` in a flow mapping: a key without a value.
                "flow_node" => {
                    if let Some(key) = self.key(child) {
                        members.push(Member {
                            range: key.range,
                            key,
                            colon: None,
                            value: None,
                        });
                    }
                }
                _ => {}
            }
        }
        Value {
            range: range(node),
            kind: ValueKind::Object(Object {
                members,
                closed: true,
            }),
        }
    }

    fn pair(&mut self, pair: Node, depth: usize) -> Option<Member> {
        let key = self.key(pair.child_by_field_name("key")?)?;
        let mut cursor = pair.walk();
        let colon = pair
            .children(&mut cursor)
            .find(|c| c.kind() == ":")
            .map(range);
        let in_condition = std::mem::replace(&mut self.in_condition, &*key.value == "Condition");
        let value = pair
            .child_by_field_name("value")
            .and_then(|v| self.value(v, depth + 1));
        self.in_condition = in_condition;
        match &value {
            Some(value) => self.keys_being_typed(&key.value, value),
            // `Key:` with nothing after it yet, as JSON's `"Key":` without its value: being
            // typed (a key typed up to a colon, `aws:` of `aws:SourceAccount`, is one too).
            None if colon.is_some() => self.recovered.push(key.range),
            None => {}
        }
        let end = value
            .as_ref()
            .map(|v| v.range.end)
            .or(colon.map(|c| c.end))
            .unwrap_or(key.range.end);
        Some(Member {
            range: TextRange::new(key.range.start, end),
            key,
            colon,
            value,
        })
    }

    /// Where a policy takes a mapping (a statement in `Statement`, the blocks of `Condition`),
    /// a one-word plain scalar opening its line is a key being typed before its `:` (`- Eff`,
    /// `StringEq` under `Condition:`): recovered, as JSON's unterminated key is, so that it is
    /// no `wrong-type` while typed.
    fn keys_being_typed(&mut self, key: &str, value: &Value) {
        let takes_mapping = key == "Statement" || key == "Condition" || self.in_condition;
        if !takes_mapping {
            return;
        }
        let candidates: Vec<&Value> = match &value.kind {
            ValueKind::Array(array) if key == "Statement" => array.elements.iter().collect(),
            ValueKind::String(_) => vec![value],
            _ => Vec::new(),
        };
        for candidate in candidates {
            if let ValueKind::String(s) = &candidate.kind
                && !s.quoted
                && !s.value.contains([' ', '\n'])
                && self
                    .opening_lines
                    .binary_search_by_key(&s.range.start, |r| r.start)
                    .is_ok()
            {
                self.recovered.push(s.range);
            }
        }
    }

    /// A key: a scalar's decoded text; anything else (a tagged or complex key) as written.
    fn key(&mut self, node: Node) -> Option<Str> {
        if node.is_error() || node.is_missing() {
            return None;
        }
        let value = match node.kind() {
            "flow_node" | "block_node" => {
                let children = named_children(node);
                match children.as_slice() {
                    [only] if only.kind().ends_with("scalar") => self.value(*only, MAX_DEPTH),
                    _ => None,
                }
            }
            _ => None,
        };
        match value {
            Some(Value {
                kind: ValueKind::String(s),
                ..
            }) => Some(s),
            _ => Some(Str {
                range: range(node),
                value: self.raw(node).into(),
                terminated: true,
                quoted: false,
            }),
        }
    }

    fn sequence(&mut self, node: Node, depth: usize) -> Value {
        let mut elements = Vec::new();
        // A `-` with nothing after it yet: an element being typed, so the list is not known
        // to be empty.
        let mut closed = true;
        for child in named_children(node) {
            let element = match child.kind() {
                "block_sequence_item" => {
                    let value = named_children(child)
                        .into_iter()
                        .find(|n| n.kind() != "comment")
                        .and_then(|n| self.value(n, depth + 1));
                    if value.is_none() {
                        closed = false;
                        self.recovered.push(range(child));
                    }
                    value
                }
                "flow_node" => self.value(child, depth + 1),
                // `[a: b]`: a one-pair mapping.
                "flow_pair" => self.pair(child, depth).map(|member| Value {
                    range: member.range,
                    kind: ValueKind::Object(Object {
                        members: vec![member],
                        closed: true,
                    }),
                }),
                _ => None,
            };
            elements.extend(element);
        }
        Value {
            range: range(node),
            kind: ValueKind::Array(crate::syntax::Array { elements, closed }),
        }
    }
}

/// `{"<key>": value}`: the tree CloudFormation JSON has for an intrinsic function, which the
/// rules treat as a value they cannot know.
pub(super) fn intrinsic(
    range: TextRange,
    key_range: TextRange,
    key: &str,
    value: Option<Value>,
) -> Value {
    Value {
        range,
        kind: ValueKind::Object(Object {
            members: vec![Member {
                range,
                key: Str {
                    range: key_range,
                    value: key.into(),
                    terminated: true,
                    quoted: false,
                },
                colon: None,
                value,
            }],
            closed: true,
        }),
    }
}

/// Every string value holding a `${…}` substitution (not `${!…}`, a literal) becomes an
/// intrinsic: what it will be is known only once deployed.
pub(super) fn wrap_interpolations(value: &mut Value) {
    match &mut value.kind {
        ValueKind::Object(object) => {
            for member in &mut object.members {
                if let Some(value) = &mut member.value {
                    wrap_interpolations(value);
                }
            }
        }
        ValueKind::Array(array) => array.elements.iter_mut().for_each(wrap_interpolations),
        ValueKind::String(s) if has_substitution(&s.value) => {
            let inner = value.clone();
            *value = intrinsic(inner.range, inner.range, "Fn::Sub", Some(inner));
        }
        _ => {}
    }
}

fn has_substitution(text: &str) -> bool {
    text.match_indices("${")
        .any(|(i, _)| !text[i + 2..].starts_with('!'))
}

/// Moves every range of a tree parsed from a slice to where the slice stands.
pub(super) fn shift(value: &mut Value, by: u32) {
    map_ranges(value, &|r| TextRange::new(r.start + by, r.end + by));
}
