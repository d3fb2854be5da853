//! Support Center impact: what a policy's statements do to the actions AWS Support Center,
//! the Support API and Trusted Advisor need, and which workflows that breaks or grants.

pub mod evaluator;
pub mod explain;
pub mod impact;
pub mod index;
pub mod request;
pub mod universe;
