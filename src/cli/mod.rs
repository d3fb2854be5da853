//! The command line: `check`, `explain`, and their output formats.

pub mod args;
mod check;
mod explain;
mod line_index;

pub use check::{Report, run as check};
pub use explain::run as explain;
pub use line_index::LineIndex;
