//! Whole-catalogue checks: the counts of the current data, and a timing report.

use super::*;

/// The exact numbers of the committed data (iam-data 0.21.202609261, SAR 2026-09-01). A refresh
/// that changes them must update these on purpose.
#[test]
fn counts_of_the_current_data() {
    assert_eq!(service_count(), 456);
    assert_eq!(action_count(), 22_091);
    let count = |p: &str| service(p).map(|s| s.action_count());
    assert_eq!(count("support"), Some(39));
    assert_eq!(count("trustedadvisor"), Some(42));
    assert_eq!(count("support-console"), Some(13));
    assert_eq!(count("supportauthz"), Some(12));
    assert_eq!(count("partnercentral"), Some(134));
    assert_eq!(
        removed_actions().len(),
        18,
        "11 trustedadvisor, 2 supportrecommendations, 5 quicksight"
    );
    assert_eq!(global_condition_keys().len(), 62);
    assert_eq!(
        global_condition_keys().iter().filter(|g| !g.legacy).count(),
        61
    );
    assert_eq!(operators().len(), 27);
    assert_eq!(workflows().len(), 20);
    assert_eq!(all_services_sum(), action_count());
    let console_only = |p: &str| {
        service(p).map(|s| {
            s.actions()
                .filter(|a| a.detail().is_some_and(|d| d.console_only))
                .count()
        })
    };
    assert_eq!(console_only("support"), Some(21));
    assert_eq!(console_only("trustedadvisor"), Some(27));
    assert_eq!(console_only("support-console"), Some(13));
    let permission_only = service("trustedadvisor").map(|s| {
        s.actions()
            .filter(|a| a.detail().is_some_and(|d| d.permission_only))
            .count()
    });
    assert_eq!(permission_only, Some(17));
}

fn all_services_sum() -> usize {
    services().map(|s| s.action_count()).sum()
}

#[test]
fn data_version_names_its_sources() {
    assert_eq!(
        data_version(),
        "iam-data 0.21.202609261 (2026-09-26); support/trustedadvisor SAR 2026-09-01"
    );
    assert_eq!(data_info().iam_data_version, "0.21.202609261");
    assert_eq!(data_info().shared_snapshot, "2026-08-21");
    assert_eq!(catalog().data_version(), data_version());
}

#[test]
fn tables_are_consistent() {
    // Actions are grouped by service and sorted case-insensitively within it.
    for s in services() {
        let names: Vec<String> = s.actions().map(|a| a.name().to_ascii_lowercase()).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{s}");
        assert!(s.actions().all(|a| a.service() == s));
        assert!(s.condition_keys().all(|k| k.service() == s));
        assert!(s.resource_types().all(|r| r.service() == s));
    }
    // Every action's keys and resource types belong to its own service.
    for a in all_actions() {
        assert!(
            a.condition_keys().all(|k| k.service() == a.service()),
            "{a}"
        );
        assert!(
            a.resource_types()
                .all(|r| r.resource_type.service() == a.service()),
            "{a}"
        );
        assert!(
            !a.name().is_empty()
                && a.name()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        );
    }
}

#[test]
fn the_catalog_handle_forwards() {
    let c = catalog();
    assert_eq!(c.service("S3").map(|s| s.prefix()), Some("s3"));
    assert_eq!(
        c.action("s3", "getobject").map(|a| a.name()),
        Some("GetObject")
    );
    assert_eq!(c.parse_action("s3:GetObject"), action("s3", "GetObject"));
    assert_eq!(c.matching_actions("support-console:*").count(), 13);
    assert_eq!(c.suggest_actions("s3", "GetObjet", 1).len(), 1);
    assert_eq!(c.suggest_services("s4", 1).len(), 1);
    assert!(
        c.removed_action("trustedadvisor", "GetEngagement")
            .is_some()
    );
    assert!(c.condition_key("aws:SourceIp").is_some());
    assert_eq!(c.workflows().len(), 20);
    assert_eq!(c.services().len(), 456);
}

#[test]
fn odd_inputs_never_panic() {
    let long = "a*".repeat(300);
    let long_name = "x".repeat(1000);
    let inputs = [
        "",
        ":",
        "::",
        "*",
        "?",
        "**:**",
        "s3:",
        ":GetObject",
        "${",
        "<",
        "aws:ResourceTag/${",
        "aws:ResourceTag/",
        "é",
        "日本語:日本語",
        "support:\u{0}",
        "\t",
        "ForAllValues:",
        "IfExists",
        "s3:ExistingObjectTag/<",
        long.as_str(),
        long_name.as_str(),
    ];
    for a in inputs {
        let _ = service(a);
        let _ = services_starting_with(a).count();
        let _ = parse_action(a);
        let _ = matching_actions(a).count();
        let _ = removed_matching(a).count();
        let _ = is_removed_service(a);
        let _ = suggest_services(a, 3);
        let _ = condition_key(a);
        let _ = global_condition_key(a);
        let _ = service_condition_key(a);
        let _ = parse_operator(a);
        let _ = operations_authorizing(a).count();
        let _ = workflow(a);
        for b in inputs {
            let _ = action(a, b);
            let _ = removed_action(a, b);
            let _ = suggest_actions(a, b, 3);
            let _ = glob_match(a, b);
            let _ = template_matches(a, b);
            let _ = edit_distance_within(a, b, 3);
        }
        if let Some(s3) = service("s3") {
            let _ = s3.action(a);
            let _ = s3.actions_starting_with(a).count();
            let _ = s3.condition_key(a);
            let _ = s3.resource_type(a);
        }
    }
}
