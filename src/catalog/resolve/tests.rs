//! The resolver against its definition: the string's syntax, then plain searches of the
//! catalogue, whatever came before it.

use super::*;
use crate::catalog::embedded;

/// What a string means, by definition: no fast path, no memory of earlier strings, linear
/// searches and glob matching over the catalogue and the curated tables.
fn resolve_by_definition<'t>(catalog: &'static Catalog, text: &'t str) -> Resolution<'t> {
    use crate::catalog::curated::{REMOVED, REMOVED_SERVICES, UNDOCUMENTED_ACTIONS};
    let (prefix, name, wildcard) = match well_formed(text) {
        Ok(parts) => parts,
        Err(resolution) => return resolution,
    };
    let service = catalog
        .services()
        .find(|s| s.prefix().eq_ignore_ascii_case(prefix));
    let removed = REMOVED
        .iter()
        .find(|r| r.prefix.eq_ignore_ascii_case(prefix) && r.name.eq_ignore_ascii_case(name));
    let retired = REMOVED_SERVICES
        .iter()
        .find(|r| r.prefix.eq_ignore_ascii_case(prefix));
    let of_prefix = || {
        UNDOCUMENTED_ACTIONS
            .iter()
            .filter(|u| u.prefix.eq_ignore_ascii_case(prefix))
    };
    let undocumented_exact = of_prefix().find(|u| u.name.eq_ignore_ascii_case(name));
    let undocumented_match = undocumented_exact.or_else(|| {
        of_prefix()
            .filter(|u| !has_wildcard(u.name))
            .find(|u| glob_match(text, &u.full_name()))
    });
    if wildcard && (has_wildcard(prefix) || service.is_some()) {
        let candidates = match service {
            Some(service) if !has_wildcard(prefix) => service.actions(),
            _ => catalog.all_actions(),
        };
        let mut candidates = candidates;
        if candidates.any(|a| glob_match(text, a.full_name())) {
            return Resolution::Wildcard;
        }
        let explained_by_removal = REMOVED.iter().any(|r| glob_match(text, &r.full_name()));
        return match undocumented_match {
            Some(u) if !has_wildcard(prefix) && !explained_by_removal => {
                Resolution::Undocumented(u)
            }
            _ => Resolution::MatchesNothing,
        };
    }
    let Some(service) = service else {
        if let Some(retired) = retired {
            return match removed {
                Some(removed) if !wildcard => Resolution::Removed(removed),
                _ => Resolution::RemovedService {
                    prefix,
                    service: retired,
                },
            };
        }
        let undocumented = if wildcard {
            undocumented_match
        } else {
            undocumented_exact
        };
        return match undocumented {
            Some(u) => Resolution::Undocumented(u),
            None => Resolution::UnknownService { prefix, name },
        };
    };
    match service
        .actions()
        .find(|a| a.name().eq_ignore_ascii_case(name))
    {
        Some(action) => Resolution::Action {
            action,
            exact: format!("{}:{}", service.prefix(), action.name()) == text,
        },
        None => match (removed, undocumented_exact) {
            (Some(removed), _) => Resolution::Removed(removed),
            (None, Some(u)) => Resolution::Undocumented(u),
            (None, None) => Resolution::UnknownAction { service, name },
        },
    }
}

/// Resolves `strings` in order with one resolver (as an analysis does) and each with a new
/// one, and compares both with the definition.
fn agrees(strings: &[String]) {
    let catalog = embedded();
    let mut resolver = catalog.resolver();
    for text in strings {
        let expected = resolve_by_definition(catalog, text);
        assert_eq!(resolver.resolve(text), expected, "{text:?} in sequence");
        assert_eq!(catalog.resolver().resolve(text), expected, "{text:?} alone");
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_kind_of_string() {
    agrees(&strings(&[
        "*",
        "**",
        "",
        "s3:GetObject",
        "S3:getobject",
        "s3:GETOBJECT",
        "s3:GetObjet",
        "s3:Get*",
        "s3:get*",
        "s3:*",
        "s3:Nothing*",
        "s3:*Object",
        "s3:Get?bject",
        "s3:*:*",
        "s3:Get:Object",
        "s3: GetObject",
        "s3:GetObject ",
        "s3:Get/Object",
        "s3GetObject",
        ":GetObject",
        "s3:",
        "s4:GetObject",
        "s4:*",
        "*:GetObject",
        "*:NoSuchAction",
        "s?:GetObject",
        "*3:*",
        "support:*",
        "support-console:*",
        "trustedadvisor:CreateEngagement",
        "TrustedAdvisor:createengagement",
        "trustedadvisor:*Engagement*",
        "trustedadvisor:Describe*",
        "supportrecommendations:StartSupportTroubleshooting",
        "supportrecommendations:Anything",
        "supportrecommendations:*",
        "quicksight:DescribeAutomationGroup",
        "deepracer:ListModels",
        "DeepRacer:Get*",
        "deepracer:NoSuchAction",
        "payments:GetPaymentPreferences",
        "payments:getpaymentpreferences",
        "payments:GetPaymentPreference",
        "payments:GetPayment*",
        "payments:Nothing*",
        "budgets:UpdateBudget",
        "budgets:UpdateBudgets",
        "budgets:Update*",
        "zocalo:Describe*",
        "zocalo:Describe",
        "mobilehub:Get*",
        "cloud9:ValidateEnvironmentName",
        "builderid:CreateInvitation",
        "builderid:CreateInvitations",
        "${AWS::Partition}:*",
        "s3:${aws:username}",
        "s3:Get$Object",
        "日本:*",
        "s3:Gét",
        "s3:Get\u{a0}Object",
        "ec2:Describe*",
        "ec2:DescribeInstances",
        "ec2:describeinstances",
        "EC2:DescribeInstances",
    ]));
}

#[test]
fn whole_services_in_order_in_any_case() {
    let catalog = embedded();
    let mut texts = Vec::new();
    for prefix in [
        "ec2",
        "s3",
        "support",
        "trustedadvisor",
        "iam",
        "a4b",
        "quicksight",
    ] {
        let service = catalog.service(prefix).expect("in the catalogue");
        for (i, action) in service.actions().enumerate() {
            let full = action.full_name();
            texts.push(match i % 4 {
                0 => full.to_string(),
                1 => full.to_ascii_lowercase(),
                2 => format!("{}:{}", prefix.to_ascii_uppercase(), action.name()),
                _ => format!("{full}*"),
            });
            if i % 7 == 0 {
                texts.push(format!("{full}x"));
                texts.push(format!("{prefix}:{}", &action.name()[..3]));
            }
        }
    }
    // Backwards too: the hint must not lead the lookup astray.
    let backwards: Vec<String> = texts.iter().rev().cloned().collect();
    agrees(&texts);
    agrees(&backwards);
}

proptest::proptest! {
    #[test]
    fn strings_made_of_catalogue_pieces(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "s3", "S3", "support", "supportrecommendations", "trustedadvisor", "ec2", "s4",
                "a4b", ":", ":", "*", "?", "Get", "Object", "Describe", "Instances",
                "CreateEngagement", "GetObject", " ", "é", "$", "{", "-", ".", "_",
                "payments", "GetPaymentPreferences", "deepracer", "zocalo",
            ]),
            0..6,
        ),
    ) {
        agrees(&[pieces.concat()]);
    }
}

/// Every action string of the corpus policies, when the corpus is there.
#[test]
fn the_corpus_action_strings() {
    let dir = std::env::var_os("IAM_POLICY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies")
        });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("IAM_POLICY_CORPUS_REQUIRED").is_none_or(|v| v != "1"),
            "IAM_POLICY_CORPUS_REQUIRED=1 but there is no corpus at {}",
            dir.display()
        );
        // On the terminal, past cargo test's capture of `eprintln!`.
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!(
                "note: SKIPPED the_corpus_action_strings: no corpus at {}\n",
                dir.display()
            ),
        );
        return;
    };
    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(members) => {
                for (key, value) in members {
                    match (key.as_str(), value) {
                        ("Action" | "NotAction", serde_json::Value::String(s)) => {
                            out.push(s.clone())
                        }
                        ("Action" | "NotAction", serde_json::Value::Array(items)) => {
                            out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)))
                        }
                        _ => collect(value, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    let mut texts = Vec::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            collect(&value, &mut texts);
        }
    }
    assert!(texts.len() > 10_000, "{} strings", texts.len());
    agrees(&texts);
}

/// Whole lists against one string at a time: long lists of catalogue actions are answered
/// from memory the second time, anything else is resolved again.
#[test]
fn lists_resolve_as_their_strings() {
    let catalog = crate::catalog::current();
    let names: Vec<String> = catalog
        .service("ec2")
        .expect("ec2")
        .actions()
        .take(150)
        .enumerate()
        .map(|(i, a)| {
            let name = a.full_name();
            if i % 3 == 0 {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            }
        })
        .collect();
    let mut all_actions: Vec<Option<&str>> = names.iter().map(|n| Some(n.as_str())).collect();
    all_actions.push(Some("EC2:DescribeInstances"));
    let mut typed = all_actions.clone();
    typed[7] = None;
    let mut unknown = all_actions.clone();
    unknown[3] = Some("ec2:NoSuchAction");
    unknown.push(Some("ec2:Describe*"));
    let short: Vec<Option<&str>> = all_actions[..5].to_vec();
    for texts in [
        &all_actions,
        &typed,
        &unknown,
        &short,
        &all_actions,
        &all_actions,
    ] {
        let mut one_by_one = catalog.resolver();
        let expected: Vec<Option<Resolution>> = texts
            .iter()
            .map(|t| t.map(|t| one_by_one.resolve(t)))
            .collect();
        assert_eq!(catalog.resolver().resolve_all(texts), expected);
    }
}
