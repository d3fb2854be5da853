//! Terraform configurations, read with tree-sitter-hcl. Policies are where Terraform users
//! write them: `jsonencode({ … })` in HCL object syntax, JSON in a heredoc or a quoted string,
//! under a policy attribute (`policy`, `assume_role_policy`, `content`, …), and
//! `data "aws_iam_policy_document"` blocks, read as the policy they render. Interpolations
//! (`${var.x}`), references and function calls are values the checker cannot know: they become
//! intrinsic objects, as in CloudFormation. The type comes from the resource
//! (`terraform_types`). HCL syntax errors are terraform-ls's business: none is reported.

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

mod document;
mod embedded;
mod names;
mod repair;
mod types;

use self::document::document_reference;
pub(super) use self::embedded::decode_quoted_with_map;
use self::embedded::decode_string;
pub(crate) use self::names::{DocumentName, offered};
use self::repair::{bare_words, close_open_quotes, insert};
pub(super) use self::repair::{map_ranges, original};
use self::types::POLICY_ATTRIBUTES;
use super::yaml::intrinsic;
use super::{HostParse, Scalar, ScalarStyle};
use crate::policy::TypeHint;
use crate::syntax::{Array, Member, Object, Parse, Str, SyntaxError, TextRange, Value, ValueKind};

const MAX_DEPTH: usize = 128;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn parse_tree(text: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|cell| {
        let mut cell = cell.borrow_mut();
        let parser = cell.get_or_insert_with(|| {
            let mut parser = Parser::new();
            let _ = parser.set_language(&tree_sitter_hcl::LANGUAGE.into());
            parser
        });
        parser.parse(text, None)
    })
}

pub(super) fn parse(text: &str) -> HostParse {
    // HCL forbids a line break in a quoted string: closing a quote left open at the end of its
    // line (a value being typed) keeps the rest of the file readable, at the same offsets.
    let mut insertions: Vec<(u32, char)> = close_open_quotes(text)
        .map(|(_, quotes)| quotes.iter().map(|&at| (at, '"')).collect())
        .unwrap_or_default();
    let mut repaired = (!insertions.is_empty()).then(|| insert(text, &insertions));
    let mut tree = parse_tree(repaired.as_ref().map_or(text, |(r, _)| r.as_str()));
    // A bare word in a block (an attribute or block name being typed) costs the whole file:
    // made an empty block, it costs nothing.
    let words = if tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
        bare_words(text)
    } else {
        Vec::new()
    };
    if !words.is_empty() {
        for &at in &words {
            insertions.extend([(at, ' '), (at, '{'), (at, '}')]);
        }
        // Stable: a word's three characters stay in order after a quote at its line's end.
        insertions.sort_by_key(|(at, _)| *at);
        repaired = Some(insert(text, &insertions));
        tree = parse_tree(repaired.as_ref().map_or(text, |(r, _)| r.as_str()));
    }
    let source = repaired.as_ref().map_or(text, |(r, _)| r.as_str());
    let mut reader = Reader {
        text: source,
        scalars: Vec::new(),
        json_regions: Vec::new(),
        quoted_json: Vec::new(),
        errors: Vec::new(),
        recovered: Vec::new(),
        members: Vec::new(),
        policies: Vec::new(),
        added_quotes: insertions
            .iter()
            .enumerate()
            .filter(|(_, (_, c))| *c == '"')
            .map(|(k, (at, _))| at + k as u32)
            .collect(),
        documents: Vec::new(),
        references: Vec::new(),
    };
    if let Some(tree) = &tree {
        let root = tree.root_node();
        for body in named_children(root)
            .into_iter()
            .filter(|n| n.kind() == "body")
        {
            for block in named_children(body) {
                if block.kind() == "block" {
                    reader.top_block(block);
                }
            }
        }
    }
    // A policy document takes the type of the place that uses it (`assume_role_policy =
    // data.aws_iam_policy_document.x.json` is a trust policy).
    for (name, index) in &reader.documents {
        if let Some((_, hint)) = reader.references.iter().find(|(n, _)| n == name) {
            reader.policies[*index].1 = Some(TypeHint {
                policy_type: hint.policy_type,
                reason: format!(
                    "`data.aws_iam_policy_document.{name}`, used as {}",
                    hint.reason
                ),
            });
        }
    }
    reader.scalars.sort_by_key(|s| s.range.start);
    let mut root = Value {
        range: TextRange::from_usize(0..source.len()),
        kind: ValueKind::Object(Object {
            members: reader.members,
            closed: true,
        }),
    };
    if let Some((_, added)) = &repaired {
        // Back to the user's offsets: a string closed by the repair ends at its line's end.
        let back = |r: TextRange| TextRange::new(original(r.start, added), original(r.end, added));
        map_ranges(&mut root, &back);
        reader
            .scalars
            .iter_mut()
            .for_each(|s| s.range = back(s.range));
        reader.json_regions.iter_mut().for_each(|r| *r = back(*r));
        reader
            .quoted_json
            .iter_mut()
            .for_each(|s| s.range = back(s.range));
        reader.recovered.iter_mut().for_each(|r| *r = back(*r));
        reader
            .errors
            .iter_mut()
            .for_each(|e| e.range = back(e.range));
        reader.policies.iter_mut().for_each(|(r, _)| *r = back(*r));
    }
    reader.recovered.sort_by_key(|r| r.start);
    // A bare word made a block is being typed.
    reader.recovered.extend(words.iter().map(|&at| {
        let line = &text[..at as usize];
        let word = line
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        TextRange::new(at - word.len() as u32, at)
    }));
    reader.recovered.sort_by_key(|r| r.start);
    let documents: Vec<TextRange> = reader
        .documents
        .iter()
        .filter_map(|(_, index)| reader.policies.get(*index).map(|(r, _)| *r))
        .collect();
    let document_names = documents
        .iter()
        .flat_map(|r| names::document_names(text, *r))
        .collect();
    HostParse {
        parse: Parse {
            root: Some(root),
            errors: reader.errors,
            recovered: super::outermost(reader.recovered),
        },
        scalars: reader.scalars,
        json_regions: reader.json_regions,
        quoted_json: reader.quoted_json,
        opening_lines: Vec::new(),
        documents,
        document_names,
        policies: Some(reader.policies),
    }
}

struct Reader<'t> {
    text: &'t str,
    scalars: Vec<Scalar>,
    json_regions: Vec<TextRange>,
    /// Quoted strings holding a JSON policy.
    quoted_json: Vec<Scalar>,
    errors: Vec<SyntaxError>,
    /// What the host recovered through: strings the repair closed, and what the parsers of
    /// embedded JSON recovered through. No finding is drawn from there while it is typed.
    recovered: Vec<TextRange>,
    /// The policies, as members of the synthetic root (keyed by their attribute).
    members: Vec<Member>,
    policies: Vec<(TextRange, Option<TypeHint>)>,
    /// Where the repair closed a quote, in the repaired text: such a string is still typed.
    added_quotes: Vec<u32>,
    /// `data "aws_iam_policy_document" NAME`: the index of its policy in `policies`.
    documents: Vec<(String, usize)>,
    /// `data.aws_iam_policy_document.NAME.json` used where a type is known.
    references: Vec<(String, TypeHint)>,
}

fn range(node: Node) -> TextRange {
    TextRange::from_usize(node.byte_range())
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// The one meaningful child of an `expression` wrapper (and of parentheses).
fn unwrap(node: Node) -> Node {
    let mut node = node;
    loop {
        let children = named_children(node);
        match (node.kind(), children.as_slice()) {
            ("expression" | "literal_value" | "collection_value" | "template_expr", [only]) => {
                node = *only
            }
            _ => return node,
        }
    }
}

impl<'t> Reader<'t> {
    fn raw(&self, node: Node) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// `resource "TYPE" "NAME" { … }`, `data "TYPE" "NAME" { … }`, `module "NAME" { … }`.
    fn top_block(&mut self, block: Node) {
        let children = named_children(block);
        let Some(kind) = children.first().map(|n| self.raw(*n)) else {
            return;
        };
        let labels: Vec<String> = children
            .iter()
            .filter(|n| n.kind() == "string_lit")
            .map(|n| decode_string(self.raw(*n)))
            .collect();
        let resource_type = labels.first().map(String::as_str).unwrap_or("");
        let Some(body) = children.iter().find(|n| n.kind() == "body") else {
            return;
        };
        if kind == "data" && resource_type == "aws_iam_policy_document" {
            let name = labels.get(1).cloned().unwrap_or_default();
            if self.policy_document(block, *body) {
                self.documents.push((name, self.policies.len() - 1));
            }
            return;
        }
        if kind != "resource" && kind != "module" {
            return;
        }
        let resource_type = if kind == "module" { "" } else { resource_type };
        self.policy_attributes(resource_type, *body, &[], 0);
    }

    /// The policy attributes of a resource's body, and of its nested blocks
    /// (`inline_policy { policy = … }`).
    fn policy_attributes(
        &mut self,
        resource_type: &str,
        body: Node,
        path: &[String],
        depth: usize,
    ) {
        if depth > 4 {
            return;
        }
        let attributes: Vec<(String, Node)> = named_children(body)
            .into_iter()
            .filter(|n| n.kind() == "attribute")
            .filter_map(|a| {
                let name = named_children(a)
                    .first()
                    .map(|n| self.raw(*n).to_string())?;
                Some((name, a))
            })
            .collect();
        let organizations_type = attributes
            .iter()
            .find(|(n, _)| n == "type")
            .and_then(|(_, a)| named_children(*a).get(1).copied())
            .map(|e| decode_string(self.raw(unwrap(e))));
        for (name, attribute) in &attributes {
            if !POLICY_ATTRIBUTES.contains(&name.as_str()) {
                continue;
            }
            let hint = types::hint(resource_type, path, name, organizations_type.as_deref());
            if hint.is_none() && types::not_iam(resource_type, name, organizations_type.as_deref())
            {
                continue;
            }
            let children = named_children(*attribute);
            let (Some(key), Some(expression)) = (children.first(), children.get(1)) else {
                continue;
            };
            if let Some(hint) = &hint
                && let Some(name) = document_reference(self.raw(*expression))
            {
                self.references.push((name.to_string(), hint.clone()));
            }
            if let Some(policy) = self.policy_expression(*expression) {
                self.add_policy(*key, policy, hint);
            }
        }
        for block in named_children(body)
            .into_iter()
            .filter(|n| n.kind() == "block")
        {
            let children = named_children(block);
            let Some(name) = children.first().map(|n| self.raw(*n).to_string()) else {
                continue;
            };
            if let Some(inner) = children.iter().find(|n| n.kind() == "body") {
                let mut path = path.to_vec();
                path.push(name);
                self.policy_attributes(resource_type, *inner, &path, depth + 1);
            }
        }
    }

    fn add_policy(&mut self, key: Node, policy: Value, hint: Option<TypeHint>) {
        self.policies.push((policy.range, hint));
        let key_range = range(key);
        self.members.push(Member {
            range: TextRange::new(key_range.start, policy.range.end),
            key: Str {
                range: key_range,
                value: self.raw(key).into(),
                terminated: true,
                quoted: false,
            },
            colon: None,
            value: Some(policy),
        });
    }

    /// A policy attribute's value, when it is a policy we can read: `jsonencode({…})`, a
    /// heredoc or a quoted string of JSON.
    fn policy_expression(&mut self, expression: Node) -> Option<Value> {
        let node = unwrap(expression);
        let value = match node.kind() {
            "function_call" => {
                let children = named_children(node);
                let name = children.first().map(|n| self.raw(*n))?;
                if name != "jsonencode" {
                    return None;
                }
                let arguments = children.iter().find(|n| n.kind() == "function_arguments")?;
                let argument = named_children(*arguments).into_iter().next()?;
                self.expression(argument, 0)?
            }
            "heredoc_template" => self.heredoc(node)?,
            "string_lit" => self.json_string(node)?,
            _ => return None,
        };
        let object = value.as_object()?;
        (object.has_key("Statement")).then_some(value)
    }

    /// An HCL expression as a JSON value: objects, tuples and literals as they are; anything
    /// computed (references, calls, interpolated strings) an intrinsic; `c ? a : b` an `Fn::If`
    /// whose branches are each checked.
    fn expression(&mut self, node: Node, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH || node.is_missing() {
            return None;
        }
        if node.is_error() {
            return None;
        }
        let node = unwrap(node);
        let node_range = range(node);
        match node.kind() {
            "object" => {
                let mut members = Vec::new();
                for element in named_children(node) {
                    if element.kind() == "ERROR" {
                        // `{ Effect = "Allow", Act }`: a key being typed before its `=`.
                        if let Some(key) = self.key_being_typed(element) {
                            self.recovered.push(key.range);
                            members.push(Member {
                                range: key.range,
                                key,
                                colon: None,
                                value: None,
                            });
                        }
                        continue;
                    }
                    if element.kind() != "object_elem" {
                        continue;
                    }
                    let parts = named_children(element);
                    let Some(key) = parts.first().and_then(|k| self.key(*k)) else {
                        continue;
                    };
                    let value = parts.get(1).and_then(|v| self.expression(*v, depth + 1));
                    let end = value.as_ref().map_or(key.range.end, |v| v.range.end);
                    members.push(Member {
                        range: TextRange::new(key.range.start, end),
                        key,
                        colon: None,
                        value,
                    });
                }
                Some(Value {
                    range: node_range,
                    kind: ValueKind::Object(Object {
                        members,
                        closed: true,
                    }),
                })
            }
            "tuple" => {
                let elements = named_children(node)
                    .into_iter()
                    .filter(|n| n.kind() == "expression")
                    .filter_map(|n| self.expression(n, depth + 1))
                    .collect();
                Some(Value {
                    range: node_range,
                    kind: ValueKind::Array(Array {
                        elements,
                        closed: true,
                    }),
                })
            }
            "string_lit" => Some(self.string(node)),
            "quoted_template" => {
                let plain = named_children(node)
                    .iter()
                    .all(|c| !matches!(c.kind(), "template_interpolation" | "template_directive"));
                if plain {
                    Some(self.string(node))
                } else {
                    let inner = Value {
                        range: node_range,
                        kind: ValueKind::String(Str {
                            range: node_range,
                            value: self.raw(node).into(),
                            terminated: true,
                            quoted: true,
                        }),
                    };
                    Some(intrinsic(node_range, node_range, "Fn::Sub", Some(inner)))
                }
            }
            "numeric_lit" => Some(Value {
                range: node_range,
                kind: ValueKind::Number,
            }),
            "bool_lit" => Some(Value {
                range: node_range,
                kind: ValueKind::Bool(self.raw(node) == "true"),
            }),
            "null_lit" => Some(Value {
                range: node_range,
                kind: ValueKind::Null,
            }),
            "conditional" => {
                let parts = named_children(node);
                let branches: Vec<Value> = parts
                    .iter()
                    .skip(1)
                    .filter_map(|p| self.expression(*p, depth + 1))
                    .collect();
                let condition = Value {
                    range: parts.first().map_or(node_range, |p| range(*p)),
                    kind: ValueKind::Null,
                };
                let mut elements = vec![condition];
                elements.extend(branches);
                let array = Value {
                    range: node_range,
                    kind: ValueKind::Array(Array {
                        elements,
                        closed: true,
                    }),
                };
                Some(intrinsic(node_range, node_range, "Fn::If", Some(array)))
            }
            // A reference, a call, a `for` expression, arithmetic: known once applied.
            _ => Some(intrinsic(node_range, node_range, "Fn::Terraform", None)),
        }
    }

    /// The key of an object element typed up to its `=`: an `ERROR` holding one identifier or
    /// string.
    fn key_being_typed(&mut self, error: Node) -> Option<Str> {
        match named_children(error).as_slice() {
            [only] if matches!(unwrap(*only).kind(), "variable_expr" | "string_lit") => {
                self.key(*only)
            }
            _ => None,
        }
    }

    /// An object key: a bare identifier or a string.
    fn key(&mut self, node: Node) -> Option<Str> {
        let node = unwrap(node);
        match node.kind() {
            "variable_expr" => {
                let range = range(node);
                self.scalars.push(Scalar {
                    range,
                    style: ScalarStyle::Identifier,
                });
                Some(Str {
                    range,
                    value: self.raw(node).into(),
                    terminated: true,
                    quoted: false,
                })
            }
            "string_lit" => match self.string(node).kind {
                ValueKind::String(s) => Some(s),
                _ => None,
            },
            _ => Some(Str {
                range: range(node),
                value: self.raw(node).into(),
                terminated: true,
                quoted: false,
            }),
        }
    }

    /// A quoted string without interpolation.
    fn string(&mut self, node: Node) -> Value {
        let range = range(node);
        self.scalars.push(Scalar {
            range,
            style: ScalarStyle::HclQuoted,
        });
        let raw = self.raw(node);
        let closed_by_repair = self
            .added_quotes
            .binary_search(&(range.end.saturating_sub(1)))
            .is_ok();
        let terminated = raw.len() >= 2 && raw.ends_with('"') && !closed_by_repair;
        if !terminated {
            self.recovered.push(range);
        }
        Value {
            range,
            kind: ValueKind::String(Str {
                range,
                value: decode_string(raw).into(),
                terminated,
                quoted: true,
            }),
        }
    }
}
