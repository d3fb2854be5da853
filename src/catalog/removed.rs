//! What AWS removed, so that it can be reported as removed (and where it went), not merely
//! unknown: actions and whole services, from the curated data (`data/removed-*.tsv`, derived
//! from earlier versions of the reference) and, for a catalogue fetched after the embedded
//! one, what the embedded catalogue has and it lacks ("removed after <embedded date>").

use super::Catalog;
use super::access_level::AccessLevel;
use super::ascii;
use super::curated::{REMOVED, REMOVED_SERVICES};
use super::glob::glob_match;

/// An action that no longer exists.
#[derive(Debug, PartialEq, Eq)]
pub struct RemovedAction {
    /// Service prefix, e.g. `trustedadvisor`.
    pub(crate) prefix: &'static str,
    /// Name as it was written, e.g. `CreateEngagement`.
    pub(crate) name: &'static str,
    /// Its access level when it existed.
    pub(crate) access_level: AccessLevel,
    /// When AWS removed it: a date (`2026-04-28`, `2025`), or `after YYYY-MM-DD` when only the
    /// last snapshot that still had it is known.
    pub(crate) removed: &'static str,
    /// The date of the last data snapshot that still had it, when that is how it was found.
    pub(crate) last_seen: Option<&'static str>,
    /// The service that took over its function, when known (e.g. `partnercentral`).
    pub(crate) successor: Option<&'static str>,
    /// An existing action of the successor with the same name, e.g.
    /// `partnercentral:CreateEngagement`.
    pub(crate) replacement: Option<&'static str>,
    /// Short remark.
    pub(crate) note: &'static str,
}

impl RemovedAction {
    /// `prefix:Name`.
    pub(crate) fn full_name(&self) -> String {
        format!("{}:{}", self.prefix, self.name)
    }
}

/// A service AWS retired: its prefix left the Service Authorization Reference.
#[derive(Debug, PartialEq, Eq)]
pub struct RemovedService {
    /// e.g. `deepracer`.
    pub(crate) prefix: &'static str,
    /// e.g. `AWS DeepRacer`.
    pub(crate) name: Option<&'static str>,
    /// `after YYYY-MM-DD` (the last data that still had it), or a date.
    pub(crate) removed: &'static str,
    /// The service that took over, when known.
    pub(crate) successor: Option<&'static str>,
    /// Short remark.
    pub(crate) note: &'static str,
}

impl RemovedService {
    /// `deepracer (AWS DeepRacer)`.
    pub(crate) fn label(&self) -> String {
        match self.name {
            Some(name) => format!("{} ({name})", self.prefix),
            None => self.prefix.to_string(),
        }
    }
}

/// Every curated removed action, sorted by prefix, then name (case-insensitively).
#[cfg(test)]
pub(crate) fn removed_actions() -> &'static [RemovedAction] {
    &REMOVED
}

/// What the embedded catalogue has and another catalogue lacks: removed since the embedded
/// data was made, as far as that catalogue's source knows. Sorted as the curated tables.
#[derive(Default)]
pub(super) struct Gone {
    actions: Box<[RemovedAction]>,
    services: Box<[RemovedService]>,
}

impl Gone {
    /// What `embedded` has and `catalog` lacks.
    fn between(embedded: &'static Catalog, catalog: &'static Catalog) -> Gone {
        if std::ptr::eq(embedded, catalog) {
            return Gone::default();
        }
        let date = embedded_date();
        let removed: &'static str = Box::leak(format!("after {date}").into_boxed_str());
        let note: &'static str = Box::leak(
            format!(
                "In the embedded catalogue ({}), not in the one in use ({}).",
                embedded.data_version(),
                catalog.data_version()
            )
            .into_boxed_str(),
        );
        let mut services = Vec::new();
        let mut actions = Vec::new();
        for service in embedded.services() {
            let Some(current) = catalog.service(service.prefix()) else {
                services.push(RemovedService {
                    prefix: service.prefix(),
                    name: service.name(),
                    removed,
                    successor: None,
                    note,
                });
                continue;
            };
            for action in service.actions() {
                if current.action(action.name()).is_none() {
                    actions.push(RemovedAction {
                        prefix: service.prefix(),
                        name: action.name(),
                        access_level: action.access_level(),
                        removed,
                        last_seen: Some(date),
                        successor: None,
                        replacement: None,
                        note,
                    });
                }
            }
        }
        Gone {
            actions: actions.into(),
            services: services.into(),
        }
    }
}

/// The embedded catalogue's date, `YYYY-MM-DD`.
fn embedded_date() -> &'static str {
    super::curated::DATA_DATE
}

/// The entry of `rows` (sorted by prefix, then name) for `prefix:name`, case-insensitively.
fn find_action<'r>(
    rows: &'r [RemovedAction],
    prefix: &str,
    name: &str,
) -> Option<&'r RemovedAction> {
    let start = ascii::lower_bound_in(rows, prefix, |r| r.prefix);
    rows[start..]
        .iter()
        .take_while(|r| r.prefix.eq_ignore_ascii_case(prefix))
        .find(|r| r.name.eq_ignore_ascii_case(name))
}

impl Catalog {
    fn gone(&'static self) -> &'static Gone {
        self.gone
            .get_or_init(|| Gone::between(super::embedded(), self))
    }

    /// The removed action `prefix:name`, case-insensitively: a curated one, or one of the
    /// embedded catalogue that this one lacks.
    pub(crate) fn removed_action(
        &'static self,
        prefix: &str,
        name: &str,
    ) -> Option<&'static RemovedAction> {
        find_action(&REMOVED, prefix, name)
            .or_else(|| find_action(&self.gone().actions, prefix, name))
    }

    /// The service AWS retired whose prefix is `prefix`, case-insensitively: a curated one,
    /// or one of the embedded catalogue that this one lacks. (A current service is never
    /// one: look it up first.)
    pub(crate) fn removed_service(&'static self, prefix: &str) -> Option<&'static RemovedService> {
        let find = |rows: &'static [RemovedService]| {
            let i = ascii::lower_bound_in(rows, prefix, |r| r.prefix);
            rows.get(i)
                .filter(|r| r.prefix.eq_ignore_ascii_case(prefix))
        };
        find(&REMOVED_SERVICES).or_else(|| find(&self.gone().services))
    }

    /// The removed actions a wildcard pattern would have matched (IAM semantics).
    pub(crate) fn removed_matching<'p>(
        &'static self,
        pattern: &'p str,
    ) -> impl Iterator<Item = &'static RemovedAction> + 'p {
        REMOVED
            .iter()
            .chain(self.gone().actions.iter())
            .filter(move |r| glob_match(pattern, &r.full_name()))
    }
}

/// [`Catalog::removed_action`] of the [`current`](super::current) catalogue.
pub(crate) fn removed_action(prefix: &str, name: &str) -> Option<&'static RemovedAction> {
    super::current().removed_action(prefix, name)
}

/// [`Catalog::removed_service`] of the [`current`](super::current) catalogue.
pub(crate) fn removed_service(prefix: &str) -> Option<&'static RemovedService> {
    super::current().removed_service(prefix)
}

/// [`Catalog::removed_matching`] of the [`current`](super::current) catalogue.
pub(crate) fn removed_matching(pattern: &str) -> impl Iterator<Item = &'static RemovedAction> + '_ {
    super::current().removed_matching(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{action, parse_action};

    #[test]
    fn engagement_actions_went_to_partnercentral() {
        let engagement: Vec<&RemovedAction> = removed_actions()
            .iter()
            .filter(|r| r.prefix == "trustedadvisor")
            .collect();
        assert_eq!(engagement.len(), 11);
        assert!(engagement.iter().all(|r| r.name.contains("Engagement")));
        assert!(engagement.iter().all(|r| r.removed == "2026-04-28"));
        assert!(
            engagement
                .iter()
                .all(|r| r.successor == Some("partnercentral"))
        );

        let create = removed_action("TrustedAdvisor", "createengagement").expect("removed");
        assert_eq!(create.full_name(), "trustedadvisor:CreateEngagement");
        assert_eq!(create.access_level, AccessLevel::Write);
        assert_eq!(create.replacement, Some("partnercentral:CreateEngagement"));
        assert_eq!(
            create
                .replacement
                .and_then(parse_action)
                .map(|a| a.to_string())
                .as_deref(),
            Some("partnercentral:CreateEngagement")
        );
        let status = removed_action("trustedadvisor", "UpdateEngagementStatus").expect("removed");
        assert_eq!(
            status.replacement, None,
            "no same-named partnercentral action"
        );
        assert!(
            removed_action("trustedadvisor", "DescribeChecks").is_none(),
            "current"
        );
        assert!(removed_action("trustedadvisor", "").is_none());
    }

    #[test]
    fn other_removals() {
        let r = removed_action("supportrecommendations", "StartSupportTroubleshooting")
            .expect("removed");
        assert_eq!(r.removed, "2025");
        let q = removed_action("quicksight", "DescribeAutomationGroup")
            .expect("removed after the snapshot");
        assert_eq!(q.last_seen, Some("2026-08-21"));
        assert_eq!(q.removed, "after 2026-08-21");
        // Removed actions never shadow current ones.
        for r in removed_actions() {
            assert!(action(r.prefix, r.name).is_none(), "{}", r.full_name());
        }
    }

    #[test]
    fn wildcards_over_removed_actions() {
        assert_eq!(removed_matching("trustedadvisor:*Engagement*").count(), 11);
        assert_eq!(removed_matching("TRUSTEDADVISOR:list*").count(), 3);
        assert_eq!(removed_matching("nothing:*").count(), 0);
    }
}
