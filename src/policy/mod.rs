//! The policy model: which parts of a document are policies, and a typed view of each.

pub(crate) mod action;
pub(crate) mod elements;
mod locate;
mod model;

pub use locate::Selection;
pub(crate) use locate::{find_policies, looks_like_statement};
pub(crate) use model::{
    ConditionBlock, ConditionEntry, Effect, Policy, Statement, StringList, is_intrinsic,
};
