//! Editor features over the analysis: completion, hover and code actions. Pure functions of
//! an analysed document and a byte offset; the LSP layer converts positions and types.

mod catalog_items;
pub mod code_actions;
pub mod completion;
pub(crate) mod context;
pub(crate) mod docs;
pub(crate) mod fuzzy;
mod host_keys;
pub mod hover;

#[cfg(test)]
mod typing_tests;
