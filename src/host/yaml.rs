//! CloudFormation and SAM templates in YAML, read with tree-sitter-yaml: the only parser that
//! keeps the rest of a half-typed file after a syntax error (docs/ARCHITECTURE.md). The
//! template becomes the tree a JSON template gives, so that the CloudFormation locator and its
//! type table serve both; YAML syntax errors are the editor's YAML server's business, not ours.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use super::{HostParse, Scalar, ScalarStyle, scalars};
use crate::syntax::{Member, Object, Parse, Str, SyntaxError, TextRange, Value, ValueKind};

/// Deeper nesting is one opaque value: no template nests this deep, and the conversion
/// recurses.
const MAX_DEPTH: usize = 128;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

pub(super) fn parse(text: &str) -> HostParse {
    let tree = parse_tree(text, None);
    let mut reader = Reader {
        text,
        scalars: Vec::new(),
        json_regions: Vec::new(),
        errors: Vec::new(),
    };
    let root = tree.as_ref().and_then(|tree| {
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
    reader.scalars.sort_by_key(|s| s.range.start);
    HostParse {
        parse: Parse {
            root,
            errors: reader.errors,
            recovered: Vec::new(),
        },
        scalars: reader.scalars,
        json_regions: reader.json_regions,
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
        errors: Vec::new(),
    };
    let member = reader.pair(pair, depth);
    reader.scalars.sort_by_key(|s| s.range.start);
    let parse = HostParse {
        parse: Parse {
            root: None,
            errors: reader.errors,
            recovered: Vec::new(),
        },
        scalars: reader.scalars,
        json_regions: reader.json_regions,
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
        errors: Vec::new(),
    };
    reader.key(pair.child_by_field_name("key")?)
}

struct Reader<'t> {
    text: &'t str,
    scalars: Vec<Scalar>,
    json_regions: Vec<TextRange>,
    errors: Vec<SyntaxError>,
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
            "single_quote_scalar" => {
                let value = scalars::single_quoted(self.raw(node));
                Some(self.string(node, value, ScalarStyle::SingleQuoted, true))
            }
            "double_quote_scalar" => {
                let value = scalars::double_quoted(self.raw(node));
                Some(self.string(node, value, ScalarStyle::DoubleQuoted, true))
            }
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
        // `!Sub |` over a JSON policy: the policy, with `${…}` values unknown.
        if name == "Sub"
            && inner.is_some_and(|n| n.kind() == "block_scalar")
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
            let body = &raw[newline..];
            let offset = node_range.start + newline as u32;
            let parse = crate::syntax::parse(body);
            if let Some(mut root) = parse.root
                && let ValueKind::Object(object) = &root.kind
            {
                let is_policy = object.has_key("Statement") || object.has_key("Version");
                shift(&mut root, offset);
                self.json_regions
                    .push(TextRange::new(offset, node_range.end));
                if is_policy {
                    self.errors.extend(parse.errors.iter().map(|e| SyntaxError {
                        range: TextRange::new(e.range.start + offset, e.range.end + offset),
                        message: e.message,
                    }));
                }
                return root;
            }
        }
        let value = scalars::block(raw);
        self.string(node, value, ScalarStyle::Frozen, false)
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
        let value = pair
            .child_by_field_name("value")
            .and_then(|v| self.value(v, depth + 1));
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
        for child in named_children(node) {
            let element = match child.kind() {
                "block_sequence_item" => named_children(child)
                    .into_iter()
                    .find(|n| n.kind() != "comment")
                    .and_then(|n| self.value(n, depth + 1)),
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
            kind: ValueKind::Array(crate::syntax::Array {
                elements,
                closed: true,
            }),
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
    let at = |r: &mut TextRange| *r = TextRange::new(r.start + by, r.end + by);
    at(&mut value.range);
    match &mut value.kind {
        ValueKind::Object(object) => {
            for member in &mut object.members {
                at(&mut member.range);
                at(&mut member.key.range);
                if let Some(colon) = &mut member.colon {
                    at(colon);
                }
                if let Some(value) = &mut member.value {
                    shift(value, by);
                }
            }
        }
        ValueKind::Array(array) => array.elements.iter_mut().for_each(|e| shift(e, by)),
        ValueKind::String(s) => at(&mut s.range),
        _ => {}
    }
}
