//! JSON syntax: a lossless lexer and an error-recovering parser that never fails.

#[cfg(test)]
mod dump;
pub mod lexer;
mod parser;
pub(crate) mod string;
mod text_range;
pub(crate) mod tree;

#[cfg(test)]
mod tests;

#[cfg(test)]
use dump::dump;
pub use parser::parse;
pub use text_range::TextRange;
pub use tree::{Array, Member, Object, Str, Value, ValueKind};

/// The result of parsing: the tree (absent only for an empty document) and the syntax errors.
#[derive(Clone, Debug, PartialEq)]
pub struct Parse {
    pub root: Option<Value>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: &'static str,
}
