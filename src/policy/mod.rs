//! The policy model: which parts of a document are policies, and a typed view of each.

pub(crate) mod action;
pub(crate) mod arn;
mod cloudformation;
pub(crate) mod elements;
mod kind;
mod locate;
mod model;
mod policy_type;

pub(crate) use kind::PolicyKind;
pub use kind::{DeclaredType, TypeHint};
pub use locate::Selection;
pub(crate) use locate::{Located, find_policies, find_policies_in_member, looks_like_statement};
pub(crate) use model::{
    ConditionBlock, ConditionEntry, Effect, Policy, Statement, StringList, if_branches,
    is_everyone, is_intrinsic,
};
pub(crate) use policy_type::{Counted, Enforcement, Presence, SidCharacters, SizeQuota};
pub use policy_type::{IdentityKind, ParsedType, PolicyType, ResourceService};
