//! Resource types: what an action's `Resource` ARNs may name.

use std::fmt;

use catalog_format::image::ResourceTypeRow;

use super::Catalog;
use super::condition_keys::ConditionKeyRef;
use super::services::ServiceRef;

/// A resource type of one service (a cheap, copyable handle).
#[derive(Clone, Copy)]
pub(crate) struct ResourceTypeRef {
    catalog: &'static Catalog,
    row: u16,
}

impl ResourceTypeRef {
    pub(super) fn new(catalog: &'static Catalog, row: u16) -> ResourceTypeRef {
        ResourceTypeRef { catalog, row }
    }

    fn row(self) -> &'static ResourceTypeRow {
        &self.catalog.resource_types[self.row as usize]
    }

    /// The service that defines it.
    pub(crate) fn service(self) -> ServiceRef {
        ServiceRef::new(self.catalog, self.row().service as usize)
    }

    /// Its name (e.g. `checks`, `object`).
    pub(crate) fn name(self) -> &'static str {
        self.catalog.text(self.row().name)
    }

    /// Its ARN template, e.g. `arn:${Partition}:trustedadvisor:${Region}:${Account}:checks/...`.
    pub(crate) fn arn(self) -> Option<&'static str> {
        Some(self.catalog.text(self.row().arn)).filter(|a| !a.is_empty())
    }

    /// The condition keys the SAR lists for the resource type (`aws:ResourceTag/${TagKey}`,
    /// …): they apply to every action that can act on it, though the action's own list may
    /// leave them out.
    pub(crate) fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKeyRef> + use<> {
        let catalog = self.catalog;
        catalog
            .key_lists
            .get(self.row().keys)
            .iter()
            .map(move |&row| ConditionKeyRef::new(catalog, row))
    }
}

handle_identity!(ResourceTypeRef, row);

impl fmt::Debug for ResourceTypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResourceTypeRef({}:{})",
            self.service().prefix(),
            self.name()
        )
    }
}
