//! Services: their prefixes, names, actions, condition keys and resource types.

use std::fmt;

use super::actions::{ActionRef, Actions};
use super::ascii;
use super::condition_keys::{self, ConditionKeyRef};
use super::generated::{ACTIONS, SERVICES};
use super::resource_types::ResourceTypeRef;
use super::tables::{ServiceRow, text};

/// A service of the catalogue (a cheap, copyable handle).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceRef(u16);

impl ServiceRef {
    pub(super) fn from_index(index: usize) -> ServiceRef {
        ServiceRef(index as u16)
    }

    pub(super) fn index(self) -> usize {
        self.0 as usize
    }

    fn row(self) -> &'static ServiceRow {
        &SERVICES[self.index()]
    }

    /// The service prefix, as AWS writes it (e.g. `support-console`).
    pub fn prefix(self) -> &'static str {
        text(self.row().p)
    }

    /// The service's name (e.g. `AWS Support`), when the data has one.
    pub fn name(self) -> Option<&'static str> {
        Some(text(self.row().n)).filter(|n| !n.is_empty())
    }

    /// Its actions, sorted case-insensitively by name.
    pub fn actions(self) -> Actions {
        let row = self.row();
        Actions::new(row.a..row.ae)
    }

    /// How many actions it has.
    pub fn action_count(self) -> usize {
        let row = self.row();
        (row.ae - row.a) as usize
    }

    /// The action called `name`, compared case-insensitively (the first such action, as a
    /// binary search over the sorted names would find).
    pub fn action(self, name: &str) -> Option<ActionRef> {
        let row = self.row();
        let table = action_table();
        let mask = table.len() - 1;
        let mut slot = action_hash(self.index(), name) as usize & mask;
        loop {
            let index = u32::from(*table.get(slot)?);
            if index == u32::from(EMPTY_ACTION) {
                return None;
            }
            if (row.a..row.ae).contains(&index) {
                let action = ActionRef::from_index(index as usize);
                if ascii::eq_ci(action.name(), name) {
                    return Some(action);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// [`ServiceRef::action`], looking first at the few actions from `hint` on. Policies list
    /// their actions in order, so the next one is usually among the names just after the
    /// previous one found, where a length comparison rejects most: cheaper than hashing.
    /// Any hint gives the same answer as [`ServiceRef::action`].
    pub fn action_near(self, name: &str, hint: Option<ActionRef>) -> Option<ActionRef> {
        /// How many actions from the hint are compared before the hash lookup.
        const NEAR: u32 = 5;
        let row = self.row();
        if let Some(hint) = hint.map(|a| a.index() as u32)
            && (row.a..row.ae).contains(&hint)
        {
            // The lengths first: they tell most neighbours apart without reading the names.
            let same = |index: u32| {
                ACTIONS.get(index as usize).is_some_and(|action| {
                    usize::from(action.n.1) == name.len() && ascii::eq_ci(text(action.n), name)
                })
            };
            let near = hint..(hint + NEAR).min(row.ae);
            if let Some(found) = near.into_iter().find(|&index| same(index)) {
                // The first of names equal but for case, as `action` finds it (the search
                // itself has compared the names after the hint).
                if found > hint || found == row.a || !same(found - 1) {
                    return Some(ActionRef::from_index(found as usize));
                }
            }
        }
        self.action(name)
    }

    /// [`ServiceRef::action`] by binary search (the definition the table must agree with).
    #[cfg(test)]
    fn action_by_search(self, name: &str) -> Option<ActionRef> {
        let row = self.row();
        let base = row.a as usize;
        let item = |i: usize| ActionRef::from_index(base + i).name();
        ascii::find((row.ae - row.a) as usize, name, item).map(|i| ActionRef::from_index(base + i))
    }

    /// Its actions whose names start with `prefix` (case-insensitively): a binary search, for
    /// completion.
    pub fn actions_starting_with(self, prefix: &str) -> Actions {
        let row = self.row();
        let base = row.a as usize;
        let item = |i: usize| ActionRef::from_index(base + i).name();
        let range = ascii::prefix_range((row.ae - row.a) as usize, prefix, item);
        Actions::new((base + range.start) as u32..(base + range.end) as u32)
    }

    /// Its actions from the first whose name starts with `prefix` (case-insensitively), while
    /// they do: one binary search, where [`ServiceRef::actions_starting_with`] also searches
    /// for the end (the analysis only asks whether some action matches a wildcard).
    pub fn actions_from(self, prefix: &str) -> impl Iterator<Item = ActionRef> + use<'_> {
        let row = self.row();
        let base = row.a as usize;
        let item = |i: usize| ActionRef::from_index(base + i).name();
        // `service:*` starts at the first action: no search.
        let start = if prefix.is_empty() {
            0
        } else {
            ascii::lower_bound((row.ae - row.a) as usize, prefix, item)
        };
        (base + start..row.ae as usize)
            .map(ActionRef::from_index)
            .take_while(move |action| ascii::starts_with_ci(action.name(), prefix))
    }

    /// The condition keys the service defines (including the `aws:` keys it lists), sorted
    /// case-insensitively.
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKeyRef> + use<> {
        let row = self.row();
        (row.k..row.ke).map(ConditionKeyRef::from_row)
    }

    /// The service's condition key `name`, case-insensitively; a concrete key such as
    /// `s3:ExistingObjectTag/Owner` resolves to its template `s3:ExistingObjectTag/<key>`.
    pub fn condition_key(self, name: &str) -> Option<ConditionKeyRef> {
        let row = self.row();
        let (k, ke) = (row.k as usize, row.ke as usize);
        let item = |i: usize| ConditionKeyRef::from_row((k + i) as u16).name();
        if let Some(i) = ascii::find(ke - k, name, item) {
            return Some(ConditionKeyRef::from_row((k + i) as u16));
        }
        self.condition_keys()
            .filter(|key| key.is_template())
            .find(|key| condition_keys::template_matches(key.name(), name))
    }

    /// The resource types the service defines, sorted case-insensitively.
    pub fn resource_types(self) -> impl ExactSizeIterator<Item = ResourceTypeRef> + use<> {
        let row = self.row();
        (row.r..row.re).map(ResourceTypeRef::from_row)
    }

    /// The resource type `name`, case-insensitively.
    pub fn resource_type(self, name: &str) -> Option<ResourceTypeRef> {
        self.resource_types()
            .find(|r| r.name().eq_ignore_ascii_case(name))
    }

    /// Whether the catalogue has detailed records (descriptions, links, console-only flags) for
    /// this service's actions: `support`, `trustedadvisor` and `support-console`.
    pub fn has_details(self) -> bool {
        self.row().d != u16::MAX
    }

    pub(super) fn detail_start(self) -> Option<usize> {
        let d = self.row().d;
        (d != u16::MAX).then_some(d as usize)
    }
}

const EMPTY: u32 = u32::MAX;

/// An empty slot of the action table, whose slots are 16-bit action indices.
const EMPTY_ACTION: u16 = u16::MAX;
const _: () = assert!(
    ACTIONS.len() < EMPTY_ACTION as usize,
    "the action table's slots are 16 bits: widen them"
);

/// Every action by (service, name ignoring ASCII case): an open-addressing table of action
/// indices, built on first use (128 KB: 16-bit slots, half what 32-bit ones took, as every
/// lookup touches a random slot). Looking actions up by binary search was the largest cost
/// of analysing a large policy (some 2,000 instructions per action; this is a tenth of
/// that). Actions are inserted in index order, so among names equal but for case the first
/// comes first on its probe sequence, as the binary search would find it.
fn action_table() -> &'static [u16] {
    static TABLE: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let count: usize = SERVICES.iter().map(|row| (row.ae - row.a) as usize).sum();
        let size = (count * 2).next_power_of_two().max(2);
        let mut table = vec![EMPTY_ACTION; size];
        for (service, row) in SERVICES.iter().enumerate() {
            for index in row.a..row.ae {
                let name = ActionRef::from_index(index as usize).name();
                let mut slot = action_hash(service, name) as usize & (size - 1);
                while table[slot] != EMPTY_ACTION {
                    slot = (slot + 1) & (size - 1);
                }
                // Below EMPTY_ACTION: every index is below ACTIONS.len() (asserted above).
                table[slot] = index as u16;
            }
        }
        table
    })
}

/// A hash of the service index and the name that ignores ASCII case, eight bytes at a time
/// (a byte-wise FNV was a third of a lookup). Setting bit 5 of every byte folds `A`–`Z` onto
/// `a`–`z` and leaves digits, `-` and `.` as they are; that it also folds a few characters no
/// name has (`_` and DEL, `@` and `` ` ``) only adds a collision, which the comparison settles.
fn action_hash(service: usize, name: &str) -> u64 {
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

/// Every service, sorted by prefix.
pub fn services() -> impl ExactSizeIterator<Item = ServiceRef> + DoubleEndedIterator {
    (0..SERVICES.len()).map(ServiceRef::from_index)
}

/// How many services the catalogue has.
pub fn service_count() -> usize {
    SERVICES.len()
}

/// The service with this prefix, compared case-insensitively.
pub fn service(prefix: &str) -> Option<ServiceRef> {
    let table = service_table();
    let mask = table.len() - 1;
    let mut slot = prefix_hash(prefix) as usize & mask;
    loop {
        let index = *table.get(slot)?;
        if index == EMPTY {
            return None;
        }
        let service = ServiceRef::from_index(index as usize);
        if ascii::eq_ci(service.prefix(), prefix) {
            return Some(service);
        }
        slot = (slot + 1) & mask;
    }
}

/// [`service`] by binary search (the definition the table must agree with).
#[cfg(test)]
fn service_by_search(prefix: &str) -> Option<ServiceRef> {
    ascii::find(SERVICES.len(), prefix, |i| {
        ServiceRef::from_index(i).prefix()
    })
    .map(ServiceRef::from_index)
}

/// Every service by prefix ignoring ASCII case, like the action table: the analysis and the
/// Support Center evaluator look a service up per action string.
fn service_table() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let size = (SERVICES.len() * 4).next_power_of_two().max(2);
        let mut table = vec![EMPTY; size];
        for index in 0..SERVICES.len() {
            let prefix = ServiceRef::from_index(index).prefix();
            let mut slot = prefix_hash(prefix) as usize & (size - 1);
            while table[slot] != EMPTY {
                slot = (slot + 1) & (size - 1);
            }
            table[slot] = index as u32;
        }
        table
    })
}

fn prefix_hash(prefix: &str) -> u64 {
    action_hash(usize::MAX, prefix)
}

/// The services whose prefixes start with `prefix` (case-insensitively), sorted.
pub fn services_starting_with(prefix: &str) -> impl ExactSizeIterator<Item = ServiceRef> + use<> {
    ascii::prefix_range(SERVICES.len(), prefix, |i| {
        ServiceRef::from_index(i).prefix()
    })
    .map(ServiceRef::from_index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_action_table_agrees_with_binary_search() {
        for service in services() {
            for action in service.actions() {
                let name = action.name();
                for variant in [
                    name.to_string(),
                    name.to_ascii_lowercase(),
                    name.to_ascii_uppercase(),
                ] {
                    assert_eq!(
                        service.action(&variant),
                        service.action_by_search(&variant),
                        "{}:{variant}",
                        service.prefix()
                    );
                }
                assert_eq!(service.action(name), Some(action));
            }
            for absent in ["", "NoSuchAction", "Describe", "x"] {
                assert_eq!(service.action(absent), service.action_by_search(absent));
            }
        }
    }

    #[test]
    fn action_near_agrees_with_action_whatever_the_hint() {
        // Some services have names equal but for case: the first must win, as in `action`.
        let with_case_twins = services().filter(|s| {
            let names: Vec<&str> = s.actions().map(|a| a.name()).collect();
            names.windows(2).any(|w| w[0].eq_ignore_ascii_case(w[1]))
        });
        let common = ["ec2", "support", "s3", "iam"].map(|p| service(p).expect("in the catalogue"));
        for service in common.into_iter().chain(with_case_twins) {
            let actions: Vec<ActionRef> = service.actions().collect();
            let other = crate::catalog::action("sts", "AssumeRole").expect("in the catalogue");
            for (i, target) in actions.iter().enumerate() {
                let names = [
                    target.name().to_string(),
                    target.name().to_ascii_lowercase(),
                ];
                for name in &names {
                    let expected = service.action(name);
                    for hint in [i.checked_sub(1), Some(i), i.checked_sub(3), Some(i + 1)] {
                        let hint = hint.and_then(|h| actions.get(h).copied());
                        assert_eq!(service.action_near(name, hint), expected, "{name} {hint:?}");
                    }
                    assert_eq!(service.action_near(name, Some(other)), expected);
                    assert_eq!(service.action_near(name, None), expected);
                }
            }
            assert_eq!(
                service.action_near("NoSuchAction", actions.first().copied()),
                None
            );
        }
    }

    #[test]
    fn the_tables_spread_their_keys() {
        // Average probes to find every key: a weak hash makes this climb (linear probing at a
        // load of at most one half needs about 1.5).
        let table = action_table();
        let mask = table.len() - 1;
        let (mut probes, mut keys) = (0usize, 0usize);
        for (index, service) in services().enumerate() {
            for action in service.actions() {
                let mut slot = action_hash(index, action.name()) as usize & mask;
                probes += 1;
                while usize::from(table[slot]) != action.index() {
                    slot = (slot + 1) & mask;
                    probes += 1;
                }
                keys += 1;
            }
        }
        let average = probes as f64 / keys as f64;
        assert!(average < 2.0, "{average} probes per action");
    }

    #[test]
    fn the_service_table_agrees_with_binary_search() {
        for service in services() {
            let prefix = service.prefix();
            for variant in [prefix.to_string(), prefix.to_ascii_uppercase()] {
                assert_eq!(super::service(&variant), Some(service), "{variant}");
            }
        }
        for absent in ["", "s", "s4", "supportx", "SUPPOR", "a:b", "é"] {
            assert_eq!(
                super::service(absent),
                service_by_search(absent),
                "{absent}"
            );
        }
    }

    #[test]
    fn looks_up_case_insensitively() {
        let support = service("SUPPORT").expect("support");
        assert_eq!(support.prefix(), "support");
        assert_eq!(support.name(), Some("AWS Support"));
        assert_eq!(
            service("Support-Console").map(|s| s.prefix()),
            Some("support-console")
        );
        assert_eq!(
            service("trustedadvisor").and_then(|s| s.name()),
            Some("AWS Trusted Advisor")
        );
        assert!(service("support-").is_none());
        assert!(service("").is_none());
        assert!(
            service("supportrecommendations").is_none(),
            "removed namespace"
        );
    }

    #[test]
    fn prefixes_are_sorted_and_unique() {
        let prefixes: Vec<&str> = services().map(|s| s.prefix()).collect();
        assert!(prefixes.windows(2).all(|w| w[0] < w[1]));
        assert!(services().all(|s| service(s.prefix()) == Some(s)));
    }

    #[test]
    fn prefix_search() {
        let found: Vec<&str> = services_starting_with("SUPPORT")
            .map(|s| s.prefix())
            .collect();
        assert_eq!(
            found,
            [
                "support",
                "support-console",
                "supportapp",
                "supportauthz",
                "supportplans"
            ]
        );
        assert_eq!(services_starting_with("").len(), service_count());
        assert_eq!(services_starting_with("zzz").len(), 0);
    }

    #[test]
    fn actions_by_prefix() {
        let ta = service("trustedadvisor").expect("trustedadvisor");
        let describe: Vec<&str> = ta.actions_starting_with("desc").map(|a| a.name()).collect();
        assert_eq!(describe.len(), 16);
        assert!(describe.iter().all(|n| n.starts_with("Describe")));
        assert_eq!(ta.actions_starting_with("").len(), 42);
        assert_eq!(ta.actions_starting_with("X").len(), 0);
        for prefix in ["", "desc", "DESCRIBE", "X", "zzz", "a"] {
            let from: Vec<ActionRef> = ta.actions_from(prefix).collect();
            let range: Vec<ActionRef> = ta.actions_starting_with(prefix).collect();
            assert_eq!(from, range, "{prefix}");
        }
        assert_eq!(
            ta.action("refreshcheck").map(|a| a.name()),
            Some("RefreshCheck")
        );
    }

    #[test]
    fn resource_types_and_keys() {
        let ta = service("trustedadvisor").expect("trustedadvisor");
        let checks = ta.resource_type("CHECKS").expect("checks");
        assert_eq!(
            checks.arn(),
            Some(
                "arn:${Partition}:trustedadvisor:${Region}:${Account}:checks/${CategoryCode}/${CheckId}"
            )
        );
        assert_eq!(
            service("support").map(|s| s.condition_keys().len()),
            Some(0)
        );
        let s3 = service("s3").expect("s3");
        assert!(s3.condition_keys().len() > 50);
        assert_eq!(
            s3.condition_key("S3:PREFIX").map(|k| k.name()),
            Some("s3:prefix")
        );
        assert_eq!(
            s3.condition_key("s3:ExistingObjectTag/Owner")
                .map(|k| k.name()),
            Some("s3:ExistingObjectTag/<key>")
        );
        assert!(
            s3.condition_key("s3:ExistingObjectTag/").is_none(),
            "a placeholder needs text"
        );
        assert!(s3.condition_key("ec2:Region").is_none());
    }
}
