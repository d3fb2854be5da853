//! The actions the Support Center analysis reasons about — every action of `support`,
//! `support-console` and `trustedadvisor`, and any other action a workflow names — as a
//! small indexed set, so that "what does this statement cover" is a bitset.

use crate::catalog::{self, ActionRef, Catalog};

pub(crate) const SUPPORT: &str = "support";
pub(crate) const SUPPORT_CONSOLE: &str = "support-console";
pub(crate) const TRUSTED_ADVISOR: &str = "trustedadvisor";

/// The namespaces of the Support family.
pub(crate) const NAMESPACES: [&str; 3] = [SUPPORT, SUPPORT_CONSOLE, TRUSTED_ADVISOR];

pub(crate) struct Universe {
    catalog: &'static Catalog,
    actions: Vec<Entry>,
    /// The distinct prefixes of the universe's actions, each with its actions (kept out of
    /// the way of the reject test).
    namespaces: Box<[(&'static str, ActionSet)]>,
    /// The first two bytes of each prefix, lower-cased (`:` after a one-letter prefix).
    starts: Vec<[u8; 2]>,
    /// Each action's index in `actions`, sorted by action: a binary search, not a scan of
    /// the hundred entries, per Support action token.
    by_action: Vec<(ActionRef, usize)>,
}

pub(crate) struct Entry {
    pub(crate) action: ActionRef,
    /// `support:DescribeSupportLevel`.
    pub(crate) full_name: &'static str,
    pub(crate) prefix: &'static str,
    /// Called by the console on the user's behalf (console-only, internally managed, or in
    /// AWS's list of actions whose denial makes Support Center misbehave): denying it breaks
    /// workflows the user did not mean to touch.
    pub(crate) internal: bool,
    /// The action can be scoped to a resource (Trusted Advisor `checks`); all others are
    /// requested on the resource `*`.
    pub(crate) has_resource_type: bool,
}

/// How many actions the universe can hold: a fixed-size bitset costs no allocation, and the
/// analysis builds one per action token of every policy. The Support family has about 100
/// actions; a test fails long before a catalogue refresh could reach the limit.
pub(crate) const CAPACITY: usize = 256;

/// A set of universe actions.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ActionSet {
    words: [u64; CAPACITY / 64],
}

impl Universe {
    /// The universe of `catalog` (see [`SupportIndex`](super::index::SupportIndex), which
    /// builds it once per catalogue).
    pub(super) fn build(catalog: &'static Catalog) -> Self {
        let documented: Vec<String> = catalog::unintended_behaviour_if_denied()
            .iter()
            .map(|a| a.to_ascii_lowercase())
            .collect();
        let mut actions: Vec<ActionRef> = NAMESPACES
            .iter()
            .filter_map(|prefix| catalog.service(prefix))
            .flat_map(|service| service.actions())
            .collect();
        for workflow in catalog::workflows() {
            for needed in workflow.actions {
                for action in needed.catalogue_actions(catalog) {
                    if !actions.contains(&action) {
                        actions.push(action);
                    }
                }
            }
        }
        let actions = actions
            .into_iter()
            .map(|action| {
                let full_name = action.full_name();
                let detail = action.detail();
                let internal = action.prefix() == SUPPORT_CONSOLE
                    || (action.prefix() == SUPPORT
                        && (detail.is_some_and(|d| d.console_only || d.internally_managed)
                            || documented.contains(&full_name.to_ascii_lowercase())));
                Entry {
                    action,
                    prefix: action.prefix(),
                    internal,
                    has_resource_type: action.resource_types().len() > 0,
                    full_name,
                }
            })
            .take(CAPACITY)
            .collect::<Vec<Entry>>();
        let mut prefixes: Vec<&'static str> = actions.iter().map(|e| e.prefix).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        let mut starts: Vec<[u8; 2]> = prefixes.iter().map(|p| start_of(p.as_bytes())).collect();
        starts.dedup();
        let namespaces = prefixes
            .into_iter()
            .map(|prefix| {
                let mut set = ActionSet::default();
                for (index, entry) in actions.iter().enumerate() {
                    if entry.prefix == prefix {
                        set.insert(index);
                    }
                }
                (prefix, set)
            })
            .collect();
        let mut by_action: Vec<(ActionRef, usize)> = actions
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.action, index))
            .collect();
        by_action.sort_unstable();
        Self {
            catalog,
            actions,
            namespaces,
            starts,
            by_action,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.actions.len()
    }

    pub(crate) fn entry(&self, index: usize) -> &Entry {
        &self.actions[index]
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.actions.iter().enumerate()
    }

    pub(crate) fn index_of(&self, action: ActionRef) -> Option<usize> {
        self.by_action
            .binary_search_by_key(&action, |(a, _)| *a)
            .ok()
            .map(|found| self.by_action[found].1)
    }

    pub(crate) fn empty_set(&self) -> ActionSet {
        ActionSet::default()
    }

    pub(crate) fn full_set(&self) -> ActionSet {
        let mut set = self.empty_set();
        for index in 0..self.len() {
            set.insert(index);
        }
        set
    }

    /// The actions of one namespace.
    pub(crate) fn namespace(&self, prefix: &str) -> ActionSet {
        self.filter(|e| e.prefix == prefix)
    }

    pub(crate) fn filter(&self, keep: impl Fn(&Entry) -> bool) -> ActionSet {
        let mut set = self.empty_set();
        for (index, entry) in self.entries() {
            if keep(entry) {
                set.insert(index);
            }
        }
        set
    }

    /// The universe actions an IAM action pattern (case-insensitive, `*` and `?`) matches.
    #[inline]
    pub(crate) fn matching(&self, pattern: &str) -> ActionSet {
        // Most patterns name another service, and few services start with the same two
        // letters as one of the universe's (`su`, `tr`): a few comparisons, inlined into the
        // caller, settle them; the rest is out of line.
        let bytes = pattern.as_bytes();
        let wild = |b: Option<&u8>| matches!(b, Some(b'*' | b'?'));
        if !wild(bytes.first()) && !wild(bytes.get(1)) && !self.starts.contains(&start_of(bytes)) {
            return self.empty_set();
        }
        self.matching_candidate(pattern)
    }

    #[inline(never)]
    fn matching_candidate(&self, pattern: &str) -> ActionSet {
        let mut set = self.empty_set();
        let (service, name) = pattern.split_once(':').unwrap_or((pattern, ""));
        if !catalog::has_wildcard(service) {
            // Most patterns name another service: a few comparisons settle it.
            let Some((_, namespace)) = self
                .namespaces
                .iter()
                .find(|(p, _)| p.eq_ignore_ascii_case(service))
            else {
                return set;
            };
            if name == "*" {
                return *namespace;
            }
            if !catalog::has_wildcard(name) {
                // One action at most: the catalogue's hash lookup finds it.
                if let Some(index) = self
                    .catalog
                    .action(service, name)
                    .and_then(|action| self.index_of(action))
                {
                    set.insert(index);
                }
                return set;
            }
            for index in namespace.iter() {
                if catalog::glob_match(name, self.entry(index).action.name()) {
                    set.insert(index);
                }
            }
            return set;
        }
        for (index, entry) in self.entries() {
            if catalog::glob_match(pattern, entry.full_name) {
                set.insert(index);
            }
        }
        set
    }
}

/// The first two bytes of a prefix or pattern, lower-cased; `:` stands in for a missing one.
fn start_of(bytes: &[u8]) -> [u8; 2] {
    let byte = |i: usize| bytes.get(i).map_or(b':', u8::to_ascii_lowercase);
    [byte(0), byte(1)]
}

impl ActionSet {
    pub(crate) fn insert(&mut self, index: usize) {
        if let Some(word) = self.words.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    pub(crate) fn contains(&self, index: usize) -> bool {
        self.words
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub(crate) fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub(crate) fn intersect(&self, other: &ActionSet) -> ActionSet {
        ActionSet {
            words: std::array::from_fn(|i| self.words[i] & other.words[i]),
        }
    }

    pub(crate) fn minus(&self, other: &ActionSet) -> ActionSet {
        ActionSet {
            words: std::array::from_fn(|i| self.words[i] & !other.words[i]),
        }
    }

    pub(crate) fn is_superset_of(&self, other: &ActionSet) -> bool {
        other.minus(self).is_empty()
    }

    /// The members, in index order; a step per member, not per bit.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + bit
                })
            })
        })
    }
}

/// The universe indices (a set does not know its universe).
impl std::fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn universe() -> &'static Universe {
        &crate::support::index::index(catalog::embedded()).universe
    }

    fn names(set: &ActionSet) -> Vec<String> {
        set.iter()
            .map(|i| universe().entry(i).full_name.to_string())
            .collect()
    }

    #[test]
    fn the_universe_holds_the_support_family() {
        let u = universe();
        assert_eq!(u.namespace(SUPPORT).iter().count(), 39);
        assert_eq!(u.namespace(SUPPORT_CONSOLE).iter().count(), 13);
        assert_eq!(u.namespace(TRUSTED_ADVISOR).iter().count(), 42);
        assert!(u.entries().any(|(_, e)| e.full_name == "iam:PassRole"));
    }

    #[test]
    fn the_universe_fits_its_bitset_with_room_to_grow() {
        // A catalogue refresh that doubles the Support family needs a larger CAPACITY.
        assert!(universe().len() * 2 <= CAPACITY, "{}", universe().len());
    }

    #[test]
    fn internal_actions() {
        let internal = names(&universe().filter(|e| e.internal && e.prefix == SUPPORT));
        for documented in catalog::unintended_behaviour_if_denied() {
            assert!(internal.contains(&documented.to_string()), "{documented}");
        }
        for user_facing in [
            "support:ResolveCase",
            "support:CreateCase",
            "support:DescribeCases",
        ] {
            assert!(
                !internal.contains(&user_facing.to_string()),
                "{user_facing}"
            );
        }
    }

    /// `matching` by its definition: every entry globbed against the whole pattern.
    fn matching_by_definition(pattern: &str) -> ActionSet {
        universe().filter(|e| catalog::glob_match(pattern, e.full_name))
    }

    #[test]
    fn matching_agrees_with_its_definition() {
        let mut patterns: Vec<String> = universe()
            .entries()
            .flat_map(|(_, e)| {
                [
                    e.full_name.to_ascii_uppercase(),
                    e.full_name.to_ascii_lowercase(),
                ]
            })
            .collect();
        patterns.extend(
            [
                "support:Describe*",
                "SUPPORT:*",
                "support-console:*",
                "trustedadvisor:Describe?heck*",
                "*:Describe*",
                "iam:passrole",
                "iam:PassRol",
                "s3:GetObject",
                "support:",
                ":",
                "*",
                "support:DescribeSupportLevel2",
                "supportx:DescribeSupportLevel",
                "",
                "?upport:*",
                "S*:Describe*",
                "t*:*",
                "x*:*",
                "ec2:DescribeInstances",
                "\u{e9}:*",
                "s",
                "s*",
                "su",
                "sU*:*",
                "Tr*",
                "t?ustedadvisor:*",
                "supportplans:*",
            ]
            .map(String::from),
        );
        for pattern in &patterns {
            assert_eq!(
                universe().matching(pattern),
                matching_by_definition(pattern),
                "{pattern}"
            );
        }
    }

    #[test]
    fn index_of_finds_every_entry_and_nothing_else() {
        let u = universe();
        for (index, entry) in u.entries() {
            assert_eq!(u.index_of(entry.action), Some(index), "{}", entry.full_name);
        }
        let outside = catalog::parse_action("ec2:DescribeInstances").expect("in the catalogue");
        assert_eq!(u.index_of(outside), None);
    }

    #[test]
    fn sets_iterate_their_members_in_order() {
        let mut set = ActionSet::default();
        for index in [0, 1, 63, 64, 130, CAPACITY - 1] {
            set.insert(index);
        }
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![0, 1, 63, 64, 130, CAPACITY - 1]
        );
        assert_eq!(set.iter().count(), 6);
    }

    #[test]
    fn patterns() {
        let u = universe();
        assert_eq!(
            names(&u.matching("SUPPORT:*forcase")),
            vec![
                "support:DisconnectLiveContactForCase",
                "support:InitiateCallForCase",
                "support:InitiateChatForCase",
                "support:InitiateLiveContactForCase"
            ]
        );
        assert_eq!(u.matching("*").iter().count(), u.len());
        assert_eq!(u.matching("support*").iter().count(), 39 + 13);
        assert!(u.matching("supportplans:*").is_empty());
        assert!(u.matching("s3:GetObject").is_empty());
        assert_eq!(
            names(&u.matching("support:DescribeSupportLeve?")),
            vec!["support:DescribeSupportLevel"]
        );
    }
}
