//! What AWS's own managed policies use that the Service Authorization Reference does not
//! list: actions (and wildcards as AWS writes them) and condition keys
//! (`data/undocumented-*.tsv`). IAM accepts any action name, and AWS uses these; a user who
//! copies them from an AWS policy should be told so, not that they are typos. Only exact
//! names count (case-insensitively): a misspelling of one is still unknown.

use super::ascii;
use super::curated::{UNDOCUMENTED_ACTIONS, UNDOCUMENTED_KEYS};
use super::glob::{glob_match, has_wildcard};
use super::suggest::{allowed_distance, edit_distance_within};

/// An action (or a wildcard) that an AWS managed policy names and the reference lacks.
#[derive(Debug, PartialEq, Eq)]
pub struct UndocumentedAction {
    /// As the policy writes it, e.g. `payments`.
    pub(crate) prefix: &'static str,
    /// As the policy writes it, e.g. `GetPaymentPreferences` or `Describe*`.
    pub(crate) name: &'static str,
    /// One AWS managed policy that names it, e.g. `AWSManagedSettingsAdminAccess`.
    pub(crate) policy: &'static str,
    /// That policy's version, e.g. `v6`.
    pub(crate) version: &'static str,
    /// Whether that version is the policy's current (default) one.
    pub(crate) current: bool,
}

impl UndocumentedAction {
    /// `prefix:Name`.
    pub(crate) fn full_name(&self) -> String {
        format!("{}:{}", self.prefix, self.name)
    }

    /// Where AWS uses it, e.g. `the AWS managed policy X grants it` / `version v3 of …`.
    pub(crate) fn usage(&self) -> String {
        usage(self.policy, self.version, self.current)
    }
}

/// A condition key that an AWS managed policy uses and AWS does not document.
#[derive(Debug, PartialEq, Eq)]
pub struct UndocumentedKey {
    /// As the policy writes it, e.g. `aws:PrincipalOrgMasterAccountId`.
    pub(crate) name: &'static str,
    pub(crate) policy: &'static str,
    pub(crate) version: &'static str,
    pub(crate) current: bool,
    /// What we found about it (may be empty).
    pub(crate) note: &'static str,
}

impl UndocumentedKey {
    /// Where AWS uses it.
    pub(crate) fn usage(&self) -> String {
        usage(self.policy, self.version, self.current)
    }
}

fn usage(policy: &str, version: &str, current: bool) -> String {
    if current {
        format!("the AWS managed policy {policy} uses it")
    } else {
        format!(
            "version {version} of the AWS managed policy {policy} used it (its current version no longer does)"
        )
    }
}

/// The undocumented action written `prefix:name` (a wildcard only as AWS writes it),
/// case-insensitively.
pub(crate) fn undocumented_action(prefix: &str, name: &str) -> Option<&'static UndocumentedAction> {
    of_service(prefix)
        .iter()
        .find(|u| u.name.eq_ignore_ascii_case(name))
}

/// For a wildcard pattern: the undocumented entry written the same way, or the first
/// undocumented action (not itself a wildcard) it matches.
pub(crate) fn undocumented_matching(pattern: &str) -> Option<&'static UndocumentedAction> {
    let (prefix, name) = pattern.split_once(':')?;
    if has_wildcard(prefix) {
        return None;
    }
    let rows = of_service(prefix);
    rows.iter()
        .find(|u| u.name.eq_ignore_ascii_case(name))
        .or_else(|| {
            rows.iter()
                .filter(|u| !has_wildcard(u.name))
                .find(|u| glob_match(pattern, &u.full_name()))
        })
}

/// For the did-you-mean of an unknown action: the undocumented action (not a wildcard) of
/// `prefix` closest to `name`, within the distance allowed for catalogue names; or, for an
/// unknown prefix, one of the same name whose prefix is that close.
pub(crate) fn undocumented_close_to(
    prefix: &str,
    name: &str,
) -> Option<&'static UndocumentedAction> {
    let close_name = of_service(prefix)
        .iter()
        .filter(|u| !has_wildcard(u.name))
        .filter_map(|u| {
            edit_distance_within(name, u.name, allowed_distance(name.len())).map(|d| (d, u))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, u)| u);
    close_name.or_else(|| {
        UNDOCUMENTED_ACTIONS.iter().find(|u| {
            u.name.eq_ignore_ascii_case(name)
                && edit_distance_within(prefix, u.prefix, allowed_distance(prefix.len())).is_some()
        })
    })
}

/// Every undocumented condition key.
pub(crate) fn undocumented_keys() -> &'static [UndocumentedKey] {
    &UNDOCUMENTED_KEYS
}

/// The rows of one service prefix.
fn of_service(prefix: &str) -> &'static [UndocumentedAction] {
    let rows: &'static [UndocumentedAction] = &UNDOCUMENTED_ACTIONS;
    let start = ascii::lower_bound_in(rows, prefix, |u| u.prefix);
    let len = rows[start..]
        .iter()
        .take_while(|u| u.prefix.eq_ignore_ascii_case(prefix))
        .count();
    &rows[start..start + len]
}

/// The undocumented condition key `name`, case-insensitively.
pub(crate) fn undocumented_key(name: &str) -> Option<&'static UndocumentedKey> {
    let rows: &'static [UndocumentedKey] = &UNDOCUMENTED_KEYS;
    let i = ascii::lower_bound_in(rows, name, |k| k.name);
    rows.get(i).filter(|k| k.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_only() {
        let u = undocumented_action("PAYMENTS", "getpaymentpreferences").expect("undocumented");
        assert_eq!(u.full_name(), "payments:GetPaymentPreferences");
        assert!(u.current);
        assert!(undocumented_action("payments", "GetPaymentPreference").is_none());
        assert!(undocumented_action("budgets", "UpdateBudget").is_some());
        assert!(undocumented_action("nothing", "UpdateBudget").is_none());
        // A wildcard as AWS writes it, and one that matches an undocumented action.
        assert_eq!(
            undocumented_matching("zocalo:Describe*").map(|u| u.full_name()),
            Some("zocalo:Describe*".to_string())
        );
        assert_eq!(
            undocumented_matching("payments:GetPayment*").map(|u| u.full_name()),
            Some("payments:GetPaymentAttempt".to_string())
        );
        assert!(undocumented_matching("payments:Nothing*").is_none());
        assert!(undocumented_matching("*:Get*").is_none());
        let close = |p, n| undocumented_close_to(p, n).map(|u| u.full_name());
        assert_eq!(
            close("payments", "GetPaymentPreference").as_deref(),
            Some("payments:GetPaymentPreferences")
        );
        assert_eq!(
            close("buildrid", "CreateInvitation").as_deref(),
            Some("builderid:CreateInvitation")
        );
        assert_eq!(close("payments", "Nothing"), None);
    }

    #[test]
    fn keys() {
        let k = undocumented_key("AWS:PrincipalOrgMasterAccountId").expect("undocumented");
        assert!(k.current && k.policy == "AWSSSOServiceRolePolicy");
        assert!(k.note.contains("neither"), "{}", k.note);
        assert!(undocumented_key("lakeformation:GlueARN").is_some());
        assert!(undocumented_key("aws:PrincipalOrgMasterAccount").is_none());
    }

    #[test]
    fn sorted_as_the_lookups_need() {
        let actions: Vec<(String, String)> = UNDOCUMENTED_ACTIONS
            .iter()
            .map(|u| (u.prefix.to_ascii_lowercase(), u.name.to_ascii_lowercase()))
            .collect();
        assert!(actions.windows(2).all(|w| w[0] < w[1]));
        let keys: Vec<String> = UNDOCUMENTED_KEYS
            .iter()
            .map(|k| k.name.to_ascii_lowercase())
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }
}
