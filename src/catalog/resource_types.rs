//! Resource types: what an action's `Resource` ARNs may name.

use std::fmt;

use super::condition_keys::ConditionKeyRef;
use super::generated::RESOURCE_TYPES;
use super::services::ServiceRef;
use super::tables::{ResourceTypeRow, key_list, text};

/// A resource type of one service (a cheap, copyable handle).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceTypeRef(u16);

impl ResourceTypeRef {
    pub(super) fn from_row(row: u16) -> ResourceTypeRef {
        ResourceTypeRef(row)
    }

    fn row(self) -> &'static ResourceTypeRow {
        &RESOURCE_TYPES[self.0 as usize]
    }

    /// The service that defines it.
    pub fn service(self) -> ServiceRef {
        ServiceRef::from_index(self.row().s as usize)
    }

    /// Its name (e.g. `checks`, `object`).
    pub fn name(self) -> &'static str {
        text(self.row().n)
    }

    /// Its ARN template, e.g. `arn:${Partition}:trustedadvisor:${Region}:${Account}:checks/...`.
    pub fn arn(self) -> Option<&'static str> {
        Some(text(self.row().arn)).filter(|a| !a.is_empty())
    }

    /// Condition keys that apply to this resource type.
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKeyRef> + use<> {
        key_list(self.row().k)
            .iter()
            .map(|&row| ConditionKeyRef::from_row(row))
    }
}

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
