//! The curated tables, compiled in and shared by every catalogue: `build.rs` writes them
//! from `data/*.tsv` as Rust statics (details of the Support family's actions, removed
//! actions, global condition keys, operators, workflows, facts, API operations).

use super::access_level::AccessLevel;
use super::actions::ActionDetail;
use super::api_operations::ApiOperation;
use super::condition_keys::{GlobalConditionKey, KeyCategory, ValueType};
use super::operators::{ConditionOperatorInfo, OperatorFamily};
use super::removed::RemovedAction;
use super::workflows::{Channel, Evidence, SupportCenterFact, Workflow, WorkflowAction};

include!(concat!(env!("OUT_DIR"), "/curated.rs"));
