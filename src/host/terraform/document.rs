//! `data "aws_iam_policy_document"`: the policy the data source renders, each element at the
//! attribute or block it comes from. Parts computed when applied (`var.x`, `dynamic` blocks) are
//! unknown: the statement is checked for what it holds, not for what it may lack.

use super::Reader;
use super::embedded::decode_string;
use crate::syntax::{Array, Member, Object, Str, TextRange, Value, ValueKind};
use tree_sitter::Node;

use super::{named_children, range};

/// An attribute of a block: its name, the range of its value, its value.
type Attribute = (String, TextRange, Value);
/// The `principals` (or `not_principals`) blocks of a statement: the first keyword, and each
/// block's type (with its range) and identifiers.
type Principals<'n> = (Node<'n>, Vec<Attribute>);
/// A `condition` block: its keyword, the range of `test`, the operator, `variable`, `values`.
type Condition<'n> = (Node<'n>, TextRange, String, Value, Value);

impl Reader<'_> {
    /// `data "aws_iam_policy_document"`: the policy it renders, each element at the attribute
    /// or block it comes from.
    pub(super) fn policy_document(&mut self, block: Node, body: Node) -> bool {
        let mut members = Vec::new();
        let mut statements = Vec::new();
        let mut version = None;
        for child in named_children(body) {
            match child.kind() {
                "attribute" => {
                    let parts = named_children(child);
                    if parts.first().map(|n| self.raw(*n)) == Some("version")
                        && let Some(value) = parts.get(1).and_then(|v| self.expression(*v, 0))
                    {
                        version = Some(self.member(parts[0], "Version", value));
                    }
                }
                "block" => {
                    let parts = named_children(child);
                    let keyword = parts.first().map(|n| self.raw(*n));
                    let inner = parts.iter().find(|n| n.kind() == "body");
                    if keyword == Some("statement")
                        && let Some(inner) = inner
                    {
                        statements.push(self.statement(child, parts[0], *inner));
                    }
                    // `dynamic "statement" { content { … } }`: as many statements as applied,
                    // each written as the content says; its literal values are checked.
                    let label = parts
                        .iter()
                        .find(|n| n.kind() == "string_lit")
                        .map(|n| decode_string(self.raw(*n)));
                    if keyword == Some("dynamic")
                        && label.as_deref() == Some("statement")
                        && let Some(inner) = inner
                        && let Some(content) = named_children(*inner).into_iter().find(|b| {
                            b.kind() == "block"
                                && named_children(*b).first().map(|n| self.raw(*n))
                                    == Some("content")
                        })
                        && let Some(body) = named_children(content)
                            .into_iter()
                            .find(|n| n.kind() == "body")
                    {
                        statements.push(self.statement(child, parts[0], body));
                    }
                }
                _ => {}
            }
        }
        if statements.is_empty() {
            return false; // only `source_policy_documents` and the like: nothing of its own
        }
        let block_range = range(block);
        let first = named_children(block);
        let anchor = first.first().map_or(block_range, |n| range(*n));
        // The data source writes `"Version": "2012-10-17"` unless told otherwise.
        members.push(version.unwrap_or_else(|| synthetic(anchor, "Version", "2012-10-17")));
        let statement_key = Str {
            range: anchor,
            value: "Statement".into(),
            terminated: true,
            quoted: false,
        };
        // The statements' span (not the block's, which is the policy's).
        let span = TextRange::new(
            statements
                .first()
                .map_or(block_range.start, |s| s.range.start),
            statements.last().map_or(block_range.end, |s| s.range.end),
        );
        members.push(Member {
            range: TextRange::new(anchor.start, span.end),
            key: statement_key,
            colon: None,
            value: Some(Value {
                range: span,
                kind: ValueKind::Array(Array {
                    elements: statements,
                    closed: true,
                }),
            }),
        });
        let policy = Value {
            range: block_range,
            kind: ValueKind::Object(Object {
                members,
                closed: true,
            }),
        };
        self.policies.push((policy.range, None));
        self.members.push(Member {
            range: block_range,
            key: Str {
                range: anchor,
                value: "aws_iam_policy_document".into(),
                terminated: true,
                quoted: false,
            },
            colon: None,
            value: Some(policy),
        });
        true
    }

    fn member(&self, key: Node, name: &str, value: Value) -> Member {
        let key_range = range(key);
        Member {
            range: TextRange::new(key_range.start, value.range.end),
            key: Str {
                range: key_range,
                value: name.into(),
                terminated: true,
                quoted: false,
            },
            colon: None,
            value: Some(value),
        }
    }

    /// A `statement { … }` block as a statement object.
    fn statement(&mut self, block: Node, keyword: Node, body: Node) -> Value {
        let mut members = Vec::new();
        let mut has_effect = false;
        let mut computed = false;
        let mut principals: Vec<Principals> = Vec::new();
        let mut conditions: Vec<Condition> = Vec::new();
        for child in named_children(body) {
            let parts = named_children(child);
            let Some(name_node) = parts.first().copied() else {
                continue;
            };
            let name = self.raw(name_node);
            match child.kind() {
                // HCL 0.11: `principals = { type = …, identifiers = […] }`.
                "attribute" if matches!(name, "principals" | "not_principals" | "condition") => {
                    let Some(Value {
                        kind: ValueKind::Object(object),
                        ..
                    }) = parts.get(1).and_then(|v| self.expression(*v, 0))
                    else {
                        continue;
                    };
                    let attributes: Vec<Attribute> = object
                        .members
                        .into_iter()
                        .filter_map(|m| {
                            let value = m.value?;
                            Some((m.key.value.to_string(), value.range, value))
                        })
                        .collect();
                    self.statement_block(
                        name_node,
                        name,
                        &attributes,
                        &mut principals,
                        &mut conditions,
                    );
                }
                "attribute" => {
                    let element = match name {
                        "sid" => "Sid",
                        "effect" => "Effect",
                        "actions" => "Action",
                        "not_actions" => "NotAction",
                        "resources" => "Resource",
                        "not_resources" => "NotResource",
                        _ => continue,
                    };
                    has_effect |= element == "Effect";
                    match parts.get(1).and_then(|v| self.expression(*v, 0)) {
                        // Computed: maybe null, which Terraform leaves out.
                        Some(value) if crate::policy::is_intrinsic(&value) => computed = true,
                        Some(value) => members.push(self.member(name_node, element, value)),
                        None => {}
                    }
                }
                // `dynamic "principals" { … }`: built when applied, an unknown value here.
                "block" if name == "dynamic" => {
                    let label = parts
                        .iter()
                        .find(|n| n.kind() == "string_lit")
                        .map(|n| decode_string(self.raw(*n)));
                    if matches!(
                        label.as_deref(),
                        Some("principals" | "not_principals" | "condition")
                    ) {
                        computed = true;
                    }
                }
                "block" => {
                    if !matches!(name, "principals" | "not_principals" | "condition") {
                        // A name being typed (made an empty block by the repair), or a block
                        // the data source has not: nothing is known to be missing.
                        computed = true;
                        continue;
                    }
                    let Some(inner) = parts.iter().find(|n| n.kind() == "body") else {
                        continue;
                    };
                    let attributes = self.block_attributes(*inner);
                    self.statement_block(
                        name_node,
                        name,
                        &attributes,
                        &mut principals,
                        &mut conditions,
                    );
                }
                _ => {}
            }
        }
        if !has_effect {
            members.push(synthetic(range(keyword), "Effect", "Allow"));
        }
        computed |= conditions.iter().any(|c| c.2.is_empty());
        conditions.retain(|c| !c.2.is_empty());
        self.principals_and_conditions(&mut members, principals, conditions);
        // A statement with computed parts is known only once applied: what it holds is
        // checked, not what it may lack (the object is left open, as one being typed).
        Value {
            range: range(block),
            kind: ValueKind::Object(Object {
                members,
                closed: !computed,
            }),
        }
    }

    /// A `principals`, `not_principals` or `condition` block of a statement, collected.
    fn statement_block<'n>(
        &self,
        name_node: Node<'n>,
        name: &str,
        attributes: &[Attribute],
        principals: &mut Vec<Principals<'n>>,
        conditions: &mut Vec<Condition<'n>>,
    ) {
        match name {
            "principals" | "not_principals" => {
                let kind = attributes.iter().find(|(n, ..)| n == "type");
                let ids = attributes.iter().find(|(n, ..)| n == "identifiers");
                if let (Some((_, type_range, type_value)), Some((_, _, ids))) = (kind, ids) {
                    let type_name = type_value
                        .as_str()
                        .map(|s| s.value.to_string())
                        .unwrap_or_default();
                    let entry = (type_name, *type_range, ids.clone());
                    match principals.iter_mut().find(|(n, _)| self.raw(*n) == name) {
                        Some((_, list)) => list.push(entry),
                        None => principals.push((name_node, vec![entry])),
                    }
                }
            }
            "condition" => {
                let get = |key: &str| {
                    attributes
                        .iter()
                        .find(|(n, ..)| n == key)
                        .map(|(_, r, v)| (*r, v.clone()))
                };
                if let (Some((test_range, test)), Some((_, variable)), Some((_, values))) =
                    (get("test"), get("variable"), get("values"))
                {
                    let test_name = test
                        .as_str()
                        .map(|s| s.value.to_string())
                        .unwrap_or_default();
                    conditions.push((name_node, test_range, test_name, variable, values));
                }
            }
            _ => {}
        }
    }

    /// The statement's `Principal`, `NotPrincipal` and `Condition` members.
    fn principals_and_conditions(
        &self,
        members: &mut Vec<Member>,
        principals: Vec<Principals>,
        conditions: Vec<Condition>,
    ) {
        for (keyword, entries) in principals {
            let element = if self.raw(keyword) == "principals" {
                "Principal"
            } else {
                "NotPrincipal"
            };
            let everyone = entries.iter().any(|(t, ..)| t == "*");
            let value = if everyone {
                let (_, _, ids) = &entries[0];
                Value {
                    range: ids.range,
                    kind: ValueKind::String(Str {
                        range: ids.range,
                        value: "*".into(),
                        terminated: true,
                        quoted: true,
                    }),
                }
            } else {
                let start = entries.first().map_or(0, |(_, r, _)| r.start);
                let end = entries.last().map_or(0, |(_, _, v)| v.range.end);
                Value {
                    range: TextRange::new(start, end),
                    kind: ValueKind::Object(Object {
                        members: entries
                            .into_iter()
                            .map(|(type_name, type_range, ids)| Member {
                                range: TextRange::new(type_range.start, ids.range.end),
                                key: Str {
                                    range: type_range,
                                    value: type_name.into(),
                                    terminated: true,
                                    quoted: true,
                                },
                                colon: None,
                                value: Some(ids),
                            })
                            .collect(),
                        closed: true,
                    }),
                }
            };
            members.push(self.member(keyword, element, value));
        }
        if let Some((keyword, ..)) = conditions.first() {
            let keyword = *keyword;
            let mut operators: Vec<Member> = Vec::new();
            for (_, test_range, test, variable, values) in conditions {
                let key = match &variable.kind {
                    ValueKind::String(s) => s.clone(),
                    _ => Str {
                        range: variable.range,
                        value: "${unknown}".into(),
                        terminated: false,
                        quoted: true,
                    },
                };
                let entry = Member {
                    range: TextRange::new(key.range.start, values.range.end),
                    key,
                    colon: None,
                    value: Some(values),
                };
                match operators.iter_mut().find(|m| *m.key.value == *test) {
                    Some(operator) => {
                        if let Some(Value {
                            kind: ValueKind::Object(object),
                            ..
                        }) = &mut operator.value
                        {
                            object.members.push(entry);
                        }
                    }
                    None => operators.push(Member {
                        range: TextRange::new(test_range.start, entry.range.end),
                        key: Str {
                            range: test_range,
                            value: test.into(),
                            terminated: true,
                            quoted: true,
                        },
                        colon: None,
                        value: Some(Value {
                            range: entry.range,
                            kind: ValueKind::Object(Object {
                                members: vec![entry],
                                closed: true,
                            }),
                        }),
                    }),
                }
            }
            let keyword_range = range(keyword);
            let end = operators.last().map_or(keyword_range.end, |m| m.range.end);
            members.push(Member {
                range: TextRange::new(keyword_range.start, end),
                key: Str {
                    range: keyword_range,
                    value: "Condition".into(),
                    terminated: true,
                    quoted: false,
                },
                colon: None,
                value: Some(Value {
                    range: TextRange::new(keyword_range.start, end),
                    kind: ValueKind::Object(Object {
                        members: operators,
                        closed: true,
                    }),
                }),
            });
        }
    }

    /// A block's attributes: name, the range of its value, its value.
    fn block_attributes(&mut self, body: Node) -> Vec<Attribute> {
        named_children(body)
            .into_iter()
            .filter(|n| n.kind() == "attribute")
            .filter_map(|a| {
                let parts = named_children(a);
                let name = self.raw(*parts.first()?).to_string();
                let value = self.expression(*parts.get(1)?, 0)?;
                Some((name, value.range, value))
            })
            .collect()
    }
}

/// A member the data source writes without the user writing it, anchored at `anchor`.
fn synthetic(anchor: TextRange, key: &str, value: &str) -> Member {
    Member {
        range: anchor,
        key: Str {
            range: anchor,
            value: key.into(),
            terminated: true,
            quoted: false,
        },
        colon: None,
        value: Some(Value {
            range: anchor,
            kind: ValueKind::String(Str {
                range: anchor,
                value: value.into(),
                terminated: true,
                quoted: false,
            }),
        }),
    }
}

/// `data.aws_iam_policy_document.NAME.json` (or `["${…}"]`, `[0]`) in an expression: NAME.
pub(super) fn document_reference(expression: &str) -> Option<&str> {
    let rest = expression.split("data.aws_iam_policy_document.").nth(1)?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}
