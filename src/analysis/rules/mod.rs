//! The rules, one module per concern.

pub(crate) mod actions;
pub(crate) mod grammar;
pub(crate) mod size;
pub(crate) mod support_center;
pub(crate) mod syntax;
