//! JSON syntax: a lossless lexer and an error-recovering parser that never fails.

#[cfg(test)]
mod dump;
pub mod lexer;
mod parser;
mod recovery;
mod settled;
pub(crate) mod string;
mod text_range;
pub(crate) mod tree;

#[cfg(test)]
mod recovery_tests;
#[cfg(test)]
mod tests;

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
    /// reported by a syntax error already; no other finding is drawn from inside them, and
    /// the rules read the tree without them (`settled`). Only the outermost are kept: they
    /// are disjoint, sorted by start.
    pub recovered: Vec<TextRange>,
}

impl Parse {
    /// Whether `range` lies inside a range the parser recovered through.
    pub fn is_recovered(&self, range: TextRange) -> bool {
        let after = self.recovered.partition_point(|r| r.start <= range.start);
        after > 0 && self.recovered[after - 1].contains_range(range)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: &'static str,
}
