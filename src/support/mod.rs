//! Support Center impact: what a policy's statements do to the actions AWS Support Center,
//! the Support API and Trusted Advisor need, and which workflows that breaks or grants.

pub(crate) mod conditions;
pub(crate) mod evaluator;
pub(crate) mod explain;
pub(crate) mod impact;
pub(crate) mod index;
pub(crate) mod request;
pub(crate) mod universe;
