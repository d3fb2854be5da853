//! The curated tables, compiled in and shared by every catalogue: `build.rs` writes what the
//! program reads of them from `data/*.tsv` as Rust statics (details of the Support family's
//! actions, removed actions and services, undocumented actions and condition keys, learned
//! resource types, global condition keys, operators, workflows, the actions AWS says Support
//! Center needs).

use super::access_level::AccessLevel;
use super::actions::ActionDetail;
use super::condition_keys::{GlobalConditionKey, ValueType};
use super::learned::LearnedResourceType;
use super::operators::{ConditionOperatorInfo, OperatorFamily};
use super::removed::{RemovedAction, RemovedService};
use super::undocumented::{UndocumentedAction, UndocumentedKey};
use super::workflows::{Channel, Evidence, Workflow, WorkflowAction};

include!(concat!(env!("OUT_DIR"), "/curated.rs"));
