//! The policy model: which parts of a document are policies, and a typed view of each.

pub mod action;
pub mod elements;
mod locate;
mod model;

pub use locate::{Selection, find_policies, looks_like_policy, looks_like_statement};
pub use model::{
    ConditionBlock, ConditionEntry, Effect, Policy, Statement, StringList, is_intrinsic,
};
