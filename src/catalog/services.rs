//! Services: their prefixes, names, actions, condition keys and resource types; and the hash
//! tables that find a service or an action by name.

use std::fmt;

use catalog_format::image::{ImageError, ServiceRow, Tables};

use super::Catalog;
use super::actions::{ActionRef, Actions};
use super::ascii;
use super::condition_keys::ConditionKeyRef;
use super::resource_types::ResourceTypeRef;

/// A service of a catalogue (a cheap, copyable handle).
#[derive(Clone, Copy)]
pub struct ServiceRef {
    catalog: &'static Catalog,
    index: u16,
}

impl ServiceRef {
    pub(super) fn new(catalog: &'static Catalog, index: usize) -> ServiceRef {
        ServiceRef {
            catalog,
            index: index as u16,
        }
    }

    pub(super) fn index(self) -> usize {
        self.index as usize
    }

    fn row(self) -> &'static ServiceRow {
        &self.catalog.services[self.index()]
    }

    /// The service prefix, as AWS writes it (e.g. `support-console`).
    pub(crate) fn prefix(self) -> &'static str {
        self.catalog.text(self.row().prefix)
    }

    /// The service's name (e.g. `AWS Support`), when the data has one.
    pub(crate) fn name(self) -> Option<&'static str> {
        Some(self.catalog.text(self.row().name)).filter(|n| !n.is_empty())
    }

    /// Its actions, sorted case-insensitively by name.
    pub fn actions(self) -> Actions {
        let (start, end) = self.row().actions;
        Actions::new(self.catalog, start..end)
    }

    /// How many actions it has.
    pub(crate) fn action_count(self) -> usize {
        let (start, end) = self.row().actions;
        (end - start) as usize
    }

    /// The action called `name`, compared case-insensitively.
    pub(crate) fn action(self, name: &str) -> Option<ActionRef> {
        let (start, end) = self.row().actions;
        let table = &self.catalog.lookup.actions;
        let mask = table.len() - 1;
        let mut slot = hash(self.index(), name) as usize & mask;
        loop {
            let index = u32::from(*table.get(slot)?);
            if index == u32::from(EMPTY) {
                return None;
            }
            if (start..end).contains(&index) {
                let action = ActionRef::new(self.catalog, index as usize);
                if ascii::eq_ci(action.name(), name) {
                    return Some(action);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// [`ServiceRef::action`] by binary search (the definition the table must agree with).
    #[cfg(test)]
    fn action_by_search(self, name: &str) -> Option<ActionRef> {
        let (start, end) = self.row().actions;
        ascii::find((end - start) as usize, name, self.action_names())
            .map(|i| ActionRef::new(self.catalog, start as usize + i))
    }

    /// The name of its `i`-th action, for the binary searches over its sorted names.
    fn action_names(self) -> impl Fn(usize) -> &'static str {
        let (start, end) = self.row().actions;
        let rows = self.catalog.actions.get(start as usize..end as usize);
        let strings = self.catalog.strings;
        move |i| {
            rows.and_then(|rows| rows.get(i))
                .map_or("", |row| row.name.text(strings))
        }
    }

    /// Its actions whose names start with `prefix` (case-insensitively): a binary search, for
    /// completion.
    pub(crate) fn actions_starting_with(self, prefix: &str) -> Actions {
        let (start, end) = self.row().actions;
        let range = ascii::prefix_range((end - start) as usize, prefix, self.action_names());
        Actions::new(
            self.catalog,
            start + range.start as u32..start + range.end as u32,
        )
    }

    /// Its actions from the first whose name starts with `prefix` (case-insensitively), while
    /// they do: one binary search, where [`ServiceRef::actions_starting_with`] also searches
    /// for the end.
    pub(crate) fn actions_from(self, prefix: &str) -> impl Iterator<Item = ActionRef> + use<'_> {
        let (start, end) = self.row().actions;
        // `service:*` starts at the first action: no search.
        let first = if prefix.is_empty() {
            0
        } else {
            ascii::lower_bound((end - start) as usize, prefix, self.action_names())
        };
        (start as usize + first..end as usize)
            .map(move |index| ActionRef::new(self.catalog, index))
            .take_while(move |action| ascii::starts_with_ci(action.name(), prefix))
    }

    /// The condition keys the service defines (including the `aws:` keys it lists), sorted
    /// case-insensitively.
    pub(crate) fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKeyRef> + use<> {
        let (start, end) = self.row().keys;
        let catalog = self.catalog;
        (start..end).map(move |row| ConditionKeyRef::new(catalog, row))
    }

    /// The resource types the service defines, sorted case-insensitively.
    pub(crate) fn resource_types(self) -> impl ExactSizeIterator<Item = ResourceTypeRef> + use<> {
        let (start, end) = self.row().resource_types;
        let catalog = self.catalog;
        (start..end).map(move |row| ResourceTypeRef::new(catalog, row))
    }

    /// The resource type `name`, case-insensitively.
    pub(crate) fn resource_type(self, name: &str) -> Option<ResourceTypeRef> {
        self.resource_types()
            .find(|r| r.name().eq_ignore_ascii_case(name))
    }
}

handle_identity!(ServiceRef, index);

impl fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

impl fmt::Debug for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServiceRef({})", self.prefix())
    }
}

impl Catalog {
    /// Every service, sorted by prefix.
    pub(crate) fn services(
        &'static self,
    ) -> impl ExactSizeIterator<Item = ServiceRef> + DoubleEndedIterator + use<> {
        (0..self.services.len()).map(move |index| ServiceRef::new(self, index))
    }

    /// How many services the catalogue has.
    pub(crate) fn service_count(&self) -> usize {
        self.services.len()
    }

    /// The service with this prefix, compared case-insensitively.
    pub fn service(&'static self, prefix: &str) -> Option<ServiceRef> {
        let table = &self.lookup.services;
        let mask = table.len() - 1;
        let mut slot = hash(usize::MAX, prefix) as usize & mask;
        loop {
            let index = *table.get(slot)?;
            if index == EMPTY {
                return None;
            }
            let service = ServiceRef::new(self, index as usize);
            if ascii::eq_ci(service.prefix(), prefix) {
                return Some(service);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// [`Catalog::service`] by binary search (the definition the table must agree with).
    #[cfg(test)]
    fn service_by_search(&'static self, prefix: &str) -> Option<ServiceRef> {
        ascii::find(self.services.len(), prefix, |i| {
            ServiceRef::new(self, i).prefix()
        })
        .map(|i| ServiceRef::new(self, i))
    }

    /// The services whose prefixes start with `prefix` (case-insensitively), sorted.
    pub(crate) fn services_starting_with(
        &'static self,
        prefix: &str,
    ) -> impl ExactSizeIterator<Item = ServiceRef> + use<> {
        ascii::prefix_range(self.services.len(), prefix, |i| {
            ServiceRef::new(self, i).prefix()
        })
        .map(move |i| ServiceRef::new(self, i))
    }
}

/// An empty slot of the lookup tables, whose slots are 16-bit rows.
const EMPTY: u16 = u16::MAX;

/// Every service by prefix, and every action by (service, name), ignoring ASCII case:
/// open-addressing tables of rows, at most half full. Actions are inserted in row order, so
/// among names equal but for case the first comes first on its probe sequence, as a binary
/// search over the sorted names would find it.
pub(super) struct Lookup {
    services: Box<[u16]>,
    actions: Box<[u16]>,
}

impl Lookup {
    pub(super) fn build(t: &Tables) -> Result<Lookup, ImageError> {
        if t.actions.len() >= EMPTY as usize {
            return Err(ImageError::Inconsistent(
                "actions",
                format!("{} are more than the lookup table holds", t.actions.len()),
            ));
        }
        let table = |len: usize| vec![EMPTY; (len * 2).next_power_of_two().max(2)];
        let insert = |table: &mut Vec<u16>, key: u64, row: usize| {
            let mask = table.len() - 1;
            let mut slot = key as usize & mask;
            while table[slot] != EMPTY {
                slot = (slot + 1) & mask;
            }
            table[slot] = row as u16;
        };
        let mut services = table(t.services.len());
        let mut actions = table(t.actions.len());
        for (index, service) in t.services.iter().enumerate() {
            insert(
                &mut services,
                hash(usize::MAX, service.prefix.text(t.strings)),
                index,
            );
            for row in service.actions.0..service.actions.1 {
                let name = t.actions[row as usize].name.text(t.strings);
                insert(&mut actions, hash(index, name), row as usize);
            }
        }
        Ok(Lookup {
            services: services.into(),
            actions: actions.into(),
        })
    }
}

/// A hash of the service row (`usize::MAX` for a service prefix) and a name, ignoring ASCII
/// case, eight bytes at a time. Setting bit 5 of every byte folds `A`–`Z` onto `a`–`z` and
/// leaves digits, `-` and `.` as they are; that it also folds a few characters no name has
/// (`_` and DEL, `@` and `` ` ``) only adds a collision, which the comparison settles.
fn hash(service: usize, name: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    const FOLD: u64 = 0x2020_2020_2020_2020;
    let mix = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let bytes = name.as_bytes();
    let len = bytes.len();
    let mut hash = mix(0, service as u64);
    let mut at = 0;
    while at + 8 <= len {
        hash = mix(hash, ascii::word(bytes, at) | FOLD);
        at += 8;
    }
    if at < len {
        // The rest: the last eight bytes again (overlapping the previous word), or, in a
        // name shorter than eight bytes, its bytes one by one.
        let last = if len >= 8 {
            ascii::word(bytes, len - 8)
        } else {
            bytes
                .iter()
                .rev()
                .fold(0u64, |word, &b| (word << 8) | u64::from(b))
        };
        hash = mix(hash, last | FOLD);
    }
    // The length keeps a name apart from the same name padded with NULs.
    let hash = mix(hash, len as u64);
    // A multiply carries entropy upwards only: fold the high half into the bits that pick
    // the slot.
    hash ^ (hash >> 32)
}

#[cfg(test)]
mod tests;
