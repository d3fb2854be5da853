//! The rules, one module per concern.

pub mod actions;
pub mod grammar;
pub mod size;
pub mod support_center;
pub mod syntax;
