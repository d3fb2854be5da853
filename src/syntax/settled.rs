//! The settled tree: the tree without what the parser recovered through, which is what the
//! rules read (what the document means as far as it is settled).
//!
//! A member whose key is still being typed (or has no colon) is left out, one whose value is
//! recovered keeps its key without a value (it is there, not finished), a recovered element is
//! left out. A container that loses a member or an element this way is not closed (its
//! contents are not all known: nothing is missing from it yet).
//!
//! The editor features need the whole tree at the same time (completion inside the string
//! being typed), and copying a large tree for each keystroke cost a third of an analysis. So
//! the tree is settled in place: [`Parse::settle`] takes the recovered parts out and keeps
//! them, with what it changed, in a [`Stash`] that [`Parse::unsettle`] puts back. Both cost
//! what was recovered and the path to it, not the size of the document.

use super::tree::{Member, Value, ValueKind};
use super::{Parse, TextRange};

/// What [`Parse::settle`] took out of one container, and of the containers inside it.
#[derive(Debug)]
pub(crate) struct Stash {
    closed: bool,
    /// Members or elements taken out, with their index in the original list (ascending).
    removed: Vec<(usize, Removed)>,
    /// Values taken out of members that stay, by the member's index in the settled list.
    values: Vec<(usize, Value)>,
    /// The containers inside that changed, by their index in the settled list.
    inner: Vec<(usize, Stash)>,
}

#[derive(Debug)]
enum Removed {
    Member(Member),
    Element(Value),
}

impl Parse {
    /// Settles the tree in place (see the module's documentation); `None` when nothing was
    /// recovered, or when the whole document was (then there is no settled tree: the root is
    /// taken out, and put back by [`Parse::unsettle`]).
    pub(crate) fn settle(&mut self) -> Option<Settled> {
        if self.recovered.is_empty() {
            return None;
        }
        let mut root = self.root.take()?;
        if is_recovered(&self.recovered, root.range) {
            return Some(Settled::Root(root));
        }
        let stash = settle_value(&self.recovered, &mut root);
        self.root = Some(root);
        Some(Settled::Inside(stash))
    }

    /// Puts back what [`Parse::settle`] took out: the tree is as the parser made it.
    pub(crate) fn unsettle(&mut self, settled: Option<Settled>) {
        match settled {
            None => {}
            Some(Settled::Root(root)) => self.root = Some(root),
            Some(Settled::Inside(stash)) => {
                if let (Some(root), Some(stash)) = (self.root.as_mut(), stash) {
                    unsettle_value(root, stash);
                }
            }
        }
    }
}

/// What settling a tree changed.
#[derive(Debug)]
pub(crate) enum Settled {
    /// The whole document was recovered: it has no settled tree.
    Root(Value),
    /// What was taken out of the root container (`None`: nothing).
    Inside(Option<Stash>),
}

fn is_recovered(recovered: &[TextRange], range: TextRange) -> bool {
    let after = recovered.partition_point(|r| r.start <= range.start);
    after > 0 && recovered[after - 1].contains_range(range)
}

/// Whether any recovered range lies inside `range` (the ranges are disjoint and sorted).
fn holds_recovered(recovered: &[TextRange], range: TextRange) -> bool {
    let first = recovered.partition_point(|r| r.start < range.start);
    recovered
        .get(first)
        .is_some_and(|r| r.start < range.end || (r.start == range.end && r.end == range.end))
}

/// Settles the container `value` (itself not recovered); `None` when nothing in it changed.
fn settle_value(recovered: &[TextRange], value: &mut Value) -> Option<Stash> {
    if !holds_recovered(recovered, value.range) {
        return None;
    }
    let mut stash = Stash {
        closed: false,
        removed: Vec::new(),
        values: Vec::new(),
        inner: Vec::new(),
    };
    match &mut value.kind {
        ValueKind::Object(object) => {
            stash.closed = object.closed;
            let members = std::mem::take(&mut object.members);
            for (index, mut member) in members.into_iter().enumerate() {
                if is_recovered(recovered, member.key.range) {
                    stash.removed.push((index, Removed::Member(member)));
                    continue;
                }
                let at = object.members.len();
                match member.value.take() {
                    Some(v) if is_recovered(recovered, v.range) => stash.values.push((at, v)),
                    Some(mut v) => {
                        if let Some(inner) = settle_value(recovered, &mut v) {
                            stash.inner.push((at, inner));
                        }
                        member.value = Some(v);
                    }
                    None => {}
                }
                object.members.push(member);
            }
            object.closed = object.closed && stash.removed.is_empty();
        }
        ValueKind::Array(array) => {
            stash.closed = array.closed;
            let elements = std::mem::take(&mut array.elements);
            for (index, mut element) in elements.into_iter().enumerate() {
                if is_recovered(recovered, element.range) {
                    stash.removed.push((index, Removed::Element(element)));
                    continue;
                }
                if let Some(inner) = settle_value(recovered, &mut element) {
                    stash.inner.push((array.elements.len(), inner));
                }
                array.elements.push(element);
            }
            array.closed = array.closed && stash.removed.is_empty();
        }
        _ => return None,
    }
    Some(stash)
}

fn unsettle_value(value: &mut Value, stash: Stash) {
    match &mut value.kind {
        ValueKind::Object(object) => {
            for (at, inner) in stash.inner {
                if let Some(v) = object.members[at].value.as_mut() {
                    unsettle_value(v, inner);
                }
            }
            for (at, v) in stash.values {
                object.members[at].value = Some(v);
            }
            for (index, removed) in stash.removed {
                if let Removed::Member(member) = removed {
                    object.members.insert(index, member);
                }
            }
            object.closed = stash.closed;
        }
        ValueKind::Array(array) => {
            for (at, inner) in stash.inner {
                unsettle_value(&mut array.elements[at], inner);
            }
            for (index, removed) in stash.removed {
                if let Removed::Element(element) = removed {
                    array.elements.insert(index, element);
                }
            }
            array.closed = stash.closed;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::tree::{Array, Object};
    use super::*;
    use crate::syntax::parse;

    /// The reference: the settled tree as a copy, built the simple way.
    fn settled_copy(parse: &Parse, value: &Value) -> Option<Value> {
        if is_recovered(&parse.recovered, value.range) {
            return None;
        }
        let kind = match &value.kind {
            ValueKind::Object(object) => {
                let members: Vec<Member> = object
                    .members
                    .iter()
                    .filter(|m| !is_recovered(&parse.recovered, m.key.range))
                    .map(|m| Member {
                        range: m.range,
                        key: m.key.clone(),
                        colon: m.colon,
                        value: m.value.as_ref().and_then(|v| settled_copy(parse, v)),
                    })
                    .collect();
                let closed = object.closed && members.len() == object.members.len();
                ValueKind::Object(Object { members, closed })
            }
            ValueKind::Array(array) => {
                let elements: Vec<Value> = array
                    .elements
                    .iter()
                    .filter_map(|e| settled_copy(parse, e))
                    .collect();
                let closed = array.closed && elements.len() == array.elements.len();
                ValueKind::Array(Array { elements, closed })
            }
            other => other.clone(),
        };
        Some(Value {
            range: value.range,
            kind,
        })
    }

    fn check(text: &str) {
        let original = parse(text);
        let mut parse = original.clone();
        let expected = original
            .root
            .as_ref()
            .and_then(|root| settled_copy(&original, root));
        let settled = parse.settle();
        assert_eq!(parse.root, expected, "settled tree of {text:?}");
        parse.unsettle(settled);
        assert_eq!(parse, original, "tree put back of {text:?}");
    }

    #[test]
    fn settles_the_typing_states_like_a_copy_and_puts_them_back() {
        for text in [
            r#"{"Action": ["support:desc"ec2:DescribeInstances", "a:b"], "Resource": "*"}"#,
            "{\"Statement\": [\n  {\"Effect\": \"Deny\", \"Ac\n  {\"Effect\": \"Allow\"}\n]}",
            r#"{"Effect": "Allow", "Act"Resource": "*"}"#,
            "{\"Action\": [\"a:B\"],\n \"c:D\",\n \"e:F\"\n}",
            r#"{"a": Allow, "b": [1, bad, {"c": "d}]}"#,
            "nope",
            "",
            r#"{"valid": [1, {"x": "y"}]}"#,
        ] {
            check(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn settles_any_text_like_a_copy_and_puts_it_back(
            text in "[{}\\[\\]\",: \nab1]{0,40}"
        ) {
            check(&text);
        }
    }
}
