//! Actions AWS removed, so they can be reported as removed (and where they went), not merely
//! unknown.

use super::access_level::AccessLevel;
use super::ascii;
use super::curated::REMOVED;
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

/// Every removed action, sorted by prefix, then name (case-insensitively).
pub(crate) fn removed_actions() -> &'static [RemovedAction] {
    &REMOVED
}

/// The removed action `prefix:name`, case-insensitively.
pub(crate) fn removed_action(prefix: &str, name: &str) -> Option<&'static RemovedAction> {
    let start = ascii::lower_bound(REMOVED.len(), prefix, |i| REMOVED[i].prefix);
    REMOVED[start..]
        .iter()
        .take_while(|r| r.prefix.eq_ignore_ascii_case(prefix))
        .find(|r| r.name.eq_ignore_ascii_case(name))
}

/// The removed actions a wildcard pattern would have matched (IAM semantics).
pub(crate) fn removed_matching(pattern: &str) -> impl Iterator<Item = &'static RemovedAction> + '_ {
    REMOVED
        .iter()
        .filter(move |r| glob_match(pattern, &r.full_name()))
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
