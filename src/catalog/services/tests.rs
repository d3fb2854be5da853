//! The lookup tables against binary search, and the services' own lookups.

use super::*;
use crate::catalog::{embedded, service, service_count, services, services_starting_with};

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
fn the_tables_spread_their_keys() {
    // Average probes to find every key: a weak hash makes this climb (linear probing at a
    // load of at most one half needs about 1.5).
    let table = &embedded().lookup.actions;
    let mask = table.len() - 1;
    let (mut probes, mut keys) = (0usize, 0usize);
    for (index, service) in services().enumerate() {
        for action in service.actions() {
            let mut slot = hash(index, action.name()) as usize & mask;
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
            assert_eq!(embedded().service(&variant), Some(service), "{variant}");
        }
    }
    for absent in ["", "s", "s4", "supportx", "SUPPOR", "a:b", "é"] {
        assert_eq!(
            embedded().service(absent),
            embedded().service_by_search(absent),
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
}
