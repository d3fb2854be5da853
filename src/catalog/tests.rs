//! Whole-catalogue checks: the counts of the embedded data, its tables' consistency, and
//! images that must be refused.

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
        removed::removed_actions().len(),
        105,
        "11 trustedadvisor, 2 supportrecommendations, 5 quicksight, 87 from earlier iam-data"
    );
    assert_eq!(curated::REMOVED_SERVICES.len(), 10);
    assert_eq!(curated::UNDOCUMENTED_ACTIONS.len(), 185);
    assert_eq!(
        curated::UNDOCUMENTED_ACTIONS
            .iter()
            .filter(|u| u.current)
            .count(),
        55
    );
    assert_eq!(curated::UNDOCUMENTED_KEYS.len(), 5);
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
}

/// The curated facts the program does not embed, pinned in the data it is built from.
#[test]
fn counts_of_the_curated_data() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let model = catalog_format::Model::read(&data).expect("data/*.tsv");
    let info = &model.info;
    assert_eq!(info.iam_data_version, "0.21.202609261");
    assert_eq!(info.shared_snapshot, "2026-08-21");
    assert_eq!(info.data_version, data_version());
    let permission_only = model
        .details
        .iter()
        .filter(|d| d.prefix == "trustedadvisor" && d.permission_only)
        .count();
    assert_eq!(permission_only, 17);
    let minimum: Vec<&str> = model
        .facts
        .iter()
        .filter(|f| f.fact == "minimum-policy-support-interactions")
        .map(|f| f.action.as_str())
        .collect();
    assert_eq!(
        minimum.len(),
        33,
        "25 support and 8 support-console actions"
    );
    assert_eq!(
        minimum
            .iter()
            .filter(|a| a.starts_with("support-console:"))
            .count(),
        8
    );
    assert_eq!(model.api_operations.len(), 32);
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
    assert_eq!(embedded().data_version(), data_version());
    assert_eq!(curated::DATA_VERSION, embedded().data_version());
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
fn the_embedded_image_verifies() {
    let catalog = Catalog::from_image(EMBEDDED_IMAGE).expect("verifies");
    assert_eq!(catalog.action_count(), embedded().action_count());
}

#[test]
fn the_embedded_image_is_refused_when_cut_or_altered() {
    for len in [
        0,
        7,
        24,
        25,
        1_000,
        EMBEDDED_IMAGE.len() / 2,
        EMBEDDED_IMAGE.len() - 1,
    ] {
        assert!(
            Catalog::from_image(&EMBEDDED_IMAGE[..len]).is_err(),
            "{len} bytes"
        );
    }
    for at in [30, EMBEDDED_IMAGE.len() / 3, EMBEDDED_IMAGE.len() - 1] {
        let mut altered = EMBEDDED_IMAGE.to_vec();
        altered[at] ^= 0x20;
        let altered: &'static [u8] = altered.leak();
        assert_eq!(
            Catalog::from_image(altered).err(),
            Some(ImageError::Corrupted),
            "byte {at}"
        );
    }
}

#[test]
fn handles_of_two_catalogues_never_compare_equal() {
    let other: &'static Catalog = Box::leak(Box::new(
        Catalog::from_image(EMBEDDED_IMAGE).expect("decodes"),
    ));
    let (mine, theirs) = (embedded().service("s3"), other.service("s3"));
    assert!(mine.is_some() && theirs.is_some());
    assert_ne!(mine, theirs);
    assert_eq!(mine.map(|s| s.prefix()), theirs.map(|s| s.prefix()));
    assert_ne!(
        embedded().parse_action("s3:GetObject"),
        other.parse_action("s3:GetObject")
    );
}

#[test]
fn value_type_codes_are_the_image_s() {
    let key = |name: &str| embedded().service_condition_key(name).map(|k| k.sar_type());
    assert_eq!(key("s3:prefix"), Some("String"));
    assert_eq!(key("kms:EncryptionContextKeys"), Some("ArrayOfString"));
    for (code, name) in catalog_format::KEY_TYPES.iter().enumerate() {
        let ty = ValueType::from_code(code as u8);
        assert_eq!(ty.sar_name(false), *name);
    }
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
        let _ = embedded().service_condition_key(a);
        let _ = suggest_services(a, 3);
        let _ = condition_key(a);
        let _ = condition_keys::global_condition_key(a);
        let _ = parse_operator(a);
        for b in inputs {
            let _ = action(a, b);
            let _ = removed_action(a, b);
            let _ = suggest_actions(a, b, 3);
            let _ = glob_match(a, b);
            let _ = condition_keys::template_matches(a, b);
            let _ = edit_distance_within(a, b, 3);
        }
        if let Some(s3) = service("s3") {
            let _ = s3.action(a);
            let _ = s3.actions_starting_with(a).count();
            let _ = s3.resource_type(a);
        }
    }
}
