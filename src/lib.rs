//! iam-policy-lsp: analysis of AWS IAM policy documents.
//!
//! The analysis core (`syntax` → `policy` → `analysis`, over `catalog`) knows nothing of the
//! Language Server Protocol; `lsp` adapts it to the protocol and `cli` to the terminal.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod host;
pub mod ide;
pub mod lsp;
pub mod policy;
pub(crate) mod suggest;
pub(crate) mod support;
pub mod syntax;
pub(crate) mod version;
