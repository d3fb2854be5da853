//! JSON syntax: a lossless lexer and an error-recovering parser that never fails.

#[cfg(test)]
mod dump;
pub mod lexer;
mod parser;
mod recovery;
pub(crate) mod string;
mod text_range;
pub(crate) mod tree;

#[cfg(test)]
mod recovery_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

#[cfg(test)]
use dump::dump;
pub use parser::parse;
pub use text_range::TextRange;
pub use tree::{Array, Member, Object, Str, Value, ValueKind};

/// The result of parsing: the tree (absent only for an empty document), the syntax errors,
/// and what the parser recovered through.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parse {
    pub root: Option<Value>,
    pub errors: Vec<SyntaxError>,
    /// The ranges whose structure the parser had to guess: unterminated strings, containers
    /// it closed itself (not where the input ended), values that are not JSON. Each is
    /// reported by a syntax error already; no other finding is drawn from inside them. Only
    /// the outermost are kept: they are disjoint, sorted by start.
    pub recovered: Vec<TextRange>,
}

impl Parse {
    /// Whether `range` lies inside a range the parser recovered through.
    pub fn is_recovered(&self, range: TextRange) -> bool {
        let after = self.recovered.partition_point(|r| r.start <= range.start);
        after > 0 && self.recovered[after - 1].contains_range(range)
    }

    /// The tree without what the parser recovered through: what the document means as far
    /// as it is settled, and what findings are drawn from. A member whose key is still being
    /// typed (or has no colon) is left out, one whose value is recovered keeps its key without
    /// a value (it is there, not finished), a recovered element is left out. A container that
    /// loses a member or an element this way is not closed (its contents are not all known:
    /// nothing is missing from it yet). The tree itself when nothing was recovered.
    pub(crate) fn settled_root(&self) -> Option<Cow<'_, Value>> {
        let root = self.root.as_ref()?;
        if self.recovered.is_empty() {
            return Some(Cow::Borrowed(root));
        }
        self.settled(root).map(Cow::Owned)
    }

    fn settled(&self, value: &Value) -> Option<Value> {
        if self.is_recovered(value.range) {
            return None;
        }
        let kind = match &value.kind {
            ValueKind::Object(object) => {
                let members: Vec<Member> = object
                    .members
                    .iter()
                    .filter(|m| !self.is_recovered(m.key.range))
                    .map(|m| Member {
                        range: m.range,
                        key: m.key.clone(),
                        colon: m.colon,
                        value: m.value.as_ref().and_then(|v| self.settled(v)),
                    })
                    .collect();
                let closed = object.closed && members.len() == object.members.len();
                ValueKind::Object(Object { members, closed })
            }
            ValueKind::Array(array) => {
                let elements: Vec<Value> = array
                    .elements
                    .iter()
                    .filter_map(|e| self.settled(e))
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: &'static str,
}
