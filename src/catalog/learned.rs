//! Resource types learned from AWS's managed policies (`data/learned-resource-types.tsv`):
//! types that AWS's own policies give an action although the Service Authorization Reference
//! does not list them for it, often another service's (`connect:GetMetricDataV2` on Connect
//! campaigns). `gen-catalog` finds them; `resource-type-mismatch` accepts them, so a policy
//! AWS deploys is not called a mistake.

use super::actions::ActionRef;
use super::curated::LEARNED_RESOURCE_TYPES;
use super::resource_types::ResourceTypeRef;

/// An (action, resource type) pair an AWS managed policy shows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LearnedResourceType {
    pub(crate) prefix: &'static str,
    pub(crate) action: &'static str,
    /// The resource type's service, e.g. `connect-campaigns`.
    pub(crate) resource_prefix: &'static str,
    pub(crate) resource_type: &'static str,
    /// The AWS managed policy whose default version shows it, and that version.
    pub(crate) policy: &'static str,
    pub(crate) version: &'static str,
}

impl ActionRef {
    /// The resource types AWS's managed policies give this action beyond those the reference
    /// lists, as types of the action's catalogue (those it does not have are left out).
    pub(crate) fn learned_resource_types(self) -> impl Iterator<Item = ResourceTypeRef> {
        let catalog = self.catalog();
        learned_for(self.prefix(), self.name()).filter_map(move |l| {
            catalog
                .service(l.resource_prefix)?
                .resource_type(l.resource_type)
        })
    }
}

/// The learned rows of `prefix:name`, case-insensitively. The table has a handful of rows.
fn learned_for(prefix: &str, name: &str) -> impl Iterator<Item = &'static LearnedResourceType> {
    LEARNED_RESOURCE_TYPES.iter().filter(move |l| {
        l.prefix.eq_ignore_ascii_case(prefix) && l.action.eq_ignore_ascii_case(name)
    })
}
