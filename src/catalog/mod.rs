//! The IAM catalogue: services, actions, condition keys, operators, removed actions and
//! Support Center workflows.
//!
//! A [`Catalog`] is a value decoded from a catalogue image (see `docs/catalog.md`): the
//! service tables, checked when decoded, with the indexes lookups use. The binary embeds the
//! image `build.rs` writes from `data/*.tsv`; [`current`] is that catalogue unless another
//! was [`install`]ed. Handles ([`ServiceRef`], [`ActionRef`], …) carry their catalogue, so
//! two catalogues never mix. The curated tables (operators, global keys, removed actions,
//! workflows, action details) are compiled in and shared by every catalogue.
//!
//! Lookups are case-insensitive, as IAM is. The functions of the same names as the methods
//! ([`service`], [`action`], …) look up the [`current`] catalogue; code that makes several
//! lookups that must agree (an analysis) takes one catalogue and asks it.

/// Equality, hashing and order of a handle: its catalogue (by address), then its row; so
/// handles of two catalogues are never equal, and those of one sort in the catalogue's order.
macro_rules! handle_identity {
    ($handle:ty, $row:ident) => {
        impl PartialEq for $handle {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.catalog, other.catalog) && self.$row == other.$row
            }
        }

        impl Eq for $handle {}

        impl std::hash::Hash for $handle {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                std::ptr::hash(self.catalog, state);
                self.$row.hash(state);
            }
        }

        impl PartialOrd for $handle {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $handle {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                let address = |h: &Self| h.catalog as *const $crate::catalog::Catalog as usize;
                (address(self), self.$row).cmp(&(address(other), other.$row))
            }
        }
    };
}

mod access_level;
mod actions;
mod ascii;
pub(crate) mod cache;
mod condition_keys;
mod curated;
mod glob;
mod learned;
mod matching;
mod operators;
// AWS's regions by partition.
pub(crate) mod regions;
mod removed;
mod resolve;
mod resource_types;
mod services;
mod suggest;
#[cfg(test)]
mod tests;
mod undocumented;
pub(crate) mod update;
mod workflows;

use std::sync::{OnceLock, PoisonError, RwLock};

use catalog_format::image::{self, Lists, Tables};

pub use actions::{ActionRef, Actions};
pub use catalog_format::image::ImageError;
#[cfg(test)]
pub(crate) use condition_keys::global_condition_key;
pub use condition_keys::{ConditionKeyMatch, ConditionKeyRef, GlobalConditionKey};
pub(crate) use condition_keys::{ValueType, global_condition_keys, template_matches};
pub(crate) use glob::{glob_match, has_wildcard};
pub use matching::MatchingActions;
pub(crate) use operators::{
    ConditionOperator, IF_EXISTS_DESCRIPTION, OperatorFamily, SetQualifier, operator_names,
    operators, parse_operator,
};
pub use removed::{RemovedAction, RemovedService};
pub(crate) use removed::{removed_action, removed_matching, removed_service};
pub(crate) use resolve::Resolution;
pub(crate) use resource_types::ResourceTypeRef;
pub use services::ServiceRef;
pub(crate) use suggest::edit_distance_within;
pub use undocumented::{UndocumentedAction, UndocumentedKey};
pub(crate) use undocumented::{
    undocumented_action, undocumented_close_to, undocumented_key, undocumented_keys,
};
pub(crate) use workflows::{
    Channel, Evidence, Workflow, unintended_behaviour_if_denied, workflows,
};

/// An action row (the rows ascend) and the full names of the actions it depends on.
type DependentActions = (u32, Box<[&'static str]>);

/// A catalogue: the service tables of one image, and the indexes built from them.
pub struct Catalog {
    /// Where the data comes from, one line for `--version` and hovers, e.g.
    /// `iam-data 0.21.202609261 (2026-09-26); support/trustedadvisor SAR 2026-09-01`.
    version: &'static str,
    strings: &'static str,
    /// The image's `key`/`value` lines (where the data comes from, its date).
    info: Box<[(image::Str, image::Str)]>,
    services: Box<[image::ServiceRow]>,
    actions: Box<[image::ActionRow]>,
    resource_types: Box<[image::ResourceTypeRow]>,
    condition_keys: Box<[image::KeyRow]>,
    key_lists: Lists,
    resource_type_lists: Lists,
    /// Rows of `condition_keys` with distinct names, sorted case-insensitively.
    key_index: Box<[u16]>,
    /// Rows of `key_index` whose names have placeholders.
    template_keys: Box<[u16]>,
    dependent_actions: Box<[DependentActions]>,
    lookup: services::Lookup,
    service_bags: Box<[suggest::Bag]>,
    /// What the Support Center analysis derives from this catalogue
    /// ([`crate::support::index`]), built at first use.
    pub(crate) support: OnceLock<crate::support::index::SupportIndex>,
    /// What the embedded catalogue has and this one lacks, found at first need.
    gone: OnceLock<removed::Gone>,
    /// The ARN templates by service field and resource type ([`crate::policy::arn`]), built
    /// at first use.
    pub(crate) arn_index: crate::policy::arn::templates::ArnIndexCell,
}

impl Catalog {
    /// Decodes a catalogue image, checking all of it: a truncated, corrupted or inconsistent
    /// image is an error.
    pub fn from_image(bytes: &'static [u8]) -> Result<Catalog, ImageError> {
        let tables = image::read(bytes)?;
        image::verify(&tables)?;
        Catalog::from_tables(tables)
    }

    /// The catalogue of tables [`image::read`] checked (every access lands inside them,
    /// whatever their content), or of a trusted image.
    fn from_tables(tables: Tables<'static>) -> Result<Catalog, ImageError> {
        let lookup = services::Lookup::build(&tables)?;
        let strings = tables.strings;
        let version = tables
            .info
            .iter()
            .find(|(key, _)| key.text(strings) == "data_version")
            .map_or("", |(_, value)| value.text(strings));
        let service_bags = tables
            .services
            .iter()
            .map(|s| suggest::Bag::of(s.prefix.text(strings).as_bytes()))
            .collect();
        let dependent_actions = tables
            .dependent_actions
            .into_iter()
            .map(|(action, names)| (action, names.iter().map(|n| n.text(strings)).collect()))
            .collect();
        Ok(Catalog {
            version,
            strings,
            info: tables.info.into(),
            services: tables.services.into(),
            actions: tables.actions.into(),
            resource_types: tables.resource_types.into(),
            condition_keys: tables.condition_keys.into(),
            key_lists: tables.key_lists,
            resource_type_lists: tables.resource_type_lists,
            key_index: tables.key_index.into(),
            template_keys: tables.template_keys.into(),
            dependent_actions,
            lookup,
            service_bags,
            support: OnceLock::new(),
            gone: OnceLock::new(),
            arn_index: OnceLock::new(),
        })
    }

    /// Where the catalogue's data comes from, e.g.
    /// `iam-data 0.21.202609261 (2026-09-26); support/trustedadvisor SAR 2026-09-01`.
    pub fn data_version(&self) -> &'static str {
        self.version
    }

    /// The text of a string of the image.
    fn text(&self, s: image::Str) -> &'static str {
        s.text(self.strings)
    }
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Catalog({})", self.version)
    }
}

/// The image `build.rs` wrote from `data/*.tsv`.
static EMBEDDED_IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.image"));

/// The catalogue compiled into the binary, decoded at first use. build.rs verified the image
/// when it wrote it (and a test verifies it again), and it is part of the program like its
/// code: it is decoded without the checks [`Catalog::from_image`] makes, which would cost
/// every run more than the decoding itself.
pub(crate) fn embedded() -> &'static Catalog {
    static EMBEDDED: OnceLock<Catalog> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        image::read_trusted(EMBEDDED_IMAGE)
            .and_then(Catalog::from_tables)
            .expect("the embedded catalogue image is valid")
    })
}

static INSTALLED: RwLock<Option<&'static Catalog>> = RwLock::new(None);

fn installed() -> Option<&'static Catalog> {
    *INSTALLED.read().unwrap_or_else(PoisonError::into_inner)
}

/// The catalogue lookups use: the [`embedded`] one, unless another was [`install`]ed. Take it
/// once per piece of work whose lookups must agree.
pub fn current() -> &'static Catalog {
    installed().unwrap_or_else(embedded)
}

/// Makes `catalog` the [`current`] one. It lives as long as the process (installs are rare
/// and explicit; work that took the previous one keeps it).
pub fn install(catalog: Catalog) -> &'static Catalog {
    let catalog: &'static Catalog = Box::leak(Box::new(catalog));
    install_static(catalog);
    catalog
}

/// Makes a catalogue that lives as long as the process the [`current`] one.
pub(crate) fn install_static(catalog: &'static Catalog) {
    *INSTALLED.write().unwrap_or_else(PoisonError::into_inner) = Some(catalog);
}

/// The [`current`] catalogue's data version line; the embedded one's without decoding it
/// (`--version` and `initialize` answer before any lookup).
pub fn data_version() -> &'static str {
    installed().map_or(curated::DATA_VERSION, Catalog::data_version)
}

/// The embedded catalogue's date, `YYYY-MM-DD`, without decoding it.
pub(crate) fn embedded_date() -> &'static str {
    curated::DATA_DATE
}

/// The sizes of the lists compiled in with every catalogue: removed actions and services,
/// undocumented actions and condition keys.
pub(crate) fn curated_counts() -> serde_json::Value {
    serde_json::json!({
        "removed_actions": curated::REMOVED.len(),
        "removed_services": curated::REMOVED_SERVICES.len(),
        "undocumented_actions": curated::UNDOCUMENTED_ACTIONS.len(),
        "undocumented_condition_keys": curated::UNDOCUMENTED_KEYS.len(),
    })
}

/// [`Catalog::service`] of the [`current`] catalogue.
pub fn service(prefix: &str) -> Option<ServiceRef> {
    current().service(prefix)
}

/// [`Catalog::services`] of the [`current`] catalogue.
pub(crate) fn services() -> impl ExactSizeIterator<Item = ServiceRef> + DoubleEndedIterator {
    current().services()
}

/// [`Catalog::service_count`] of the [`current`] catalogue.
pub(crate) fn service_count() -> usize {
    current().service_count()
}

/// [`Catalog::services_starting_with`] of the [`current`] catalogue.
pub(crate) fn services_starting_with(
    prefix: &str,
) -> impl ExactSizeIterator<Item = ServiceRef> + use<> {
    current().services_starting_with(prefix)
}

/// [`Catalog::action`] of the [`current`] catalogue.
pub fn action(prefix: &str, name: &str) -> Option<ActionRef> {
    current().action(prefix, name)
}

/// [`Catalog::parse_action`] of the [`current`] catalogue (for tests).
#[cfg(test)]
pub(crate) fn parse_action(full_name: &str) -> Option<ActionRef> {
    current().parse_action(full_name)
}

/// [`Catalog::all_actions`] of the [`current`] catalogue.
pub fn all_actions() -> Actions {
    current().all_actions()
}

/// [`Catalog::action_count`] of the [`current`] catalogue.
pub(crate) fn action_count() -> usize {
    current().action_count()
}

/// [`Catalog::matching_actions`] of the [`current`] catalogue.
pub fn matching_actions(pattern: &str) -> MatchingActions<'_> {
    current().matching_actions(pattern)
}

/// [`Catalog::count_matching`] of the [`current`] catalogue.
pub fn count_matching(pattern: &str) -> usize {
    current().count_matching(pattern)
}

/// [`Catalog::suggest_actions`] of the [`current`] catalogue.
pub fn suggest_actions(prefix: &str, name: &str, max: usize) -> Vec<ActionRef> {
    current().suggest_actions(prefix, name, max)
}

/// [`Catalog::suggest_services`] of the [`current`] catalogue.
pub fn suggest_services(prefix: &str, max: usize) -> Vec<ServiceRef> {
    current().suggest_services(prefix, max)
}

/// [`Catalog::condition_key`] of the [`current`] catalogue.
pub fn condition_key(name: &str) -> Option<ConditionKeyMatch> {
    current().condition_key(name)
}
