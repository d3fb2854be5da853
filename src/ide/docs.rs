//! Markdown about catalogue entries (actions, wildcards, services, condition keys), shared by
//! completion items and hovers.

use std::fmt::Write;

use crate::catalog::{
    self, ActionRef, ConditionKeyMatch, RemovedAction, RemovedService, ServiceRef,
    UndocumentedAction, ValueType, data_version,
};

/// The Service Authorization Reference's index of services, for services without a detailed
/// record (their SAR page names are not derivable from the prefix).
pub(crate) const SAR_INDEX_URL: &str = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html";

/// How many action names a wildcard hover (or completion item) lists at most.
pub(crate) const MAX_LISTED: usize = 50;

/// The closing line of every catalogue-based documentation: where the data comes from.
pub(crate) fn data_line() -> String {
    format!("_Catalogue data: {}_", data_version())
}

fn service_title(service: ServiceRef) -> String {
    match service.name() {
        Some(name) => format!("{name} (`{}`)", service.prefix()),
        None => format!("`{}`", service.prefix()),
    }
}

/// Everything the catalogue knows about an action.
pub(crate) fn action_markdown(action: ActionRef) -> String {
    let detail = action.detail();
    let mut out = format!("**{action}** — {}\n\n", action.access_level());
    match detail {
        Some(d) => {
            let _ = writeln!(out, "{}\n", d.description);
        }
        None => {
            let _ = writeln!(out, "An action of {}.\n", service_title(action.service()));
        }
    }
    let _ = writeln!(out, "- Access level: {}", action.access_level());
    let resource_types: Vec<String> = action
        .resource_types()
        .map(|r| {
            let mut text = format!("`{}`", r.resource_type.name());
            if r.required {
                text.push_str(" (required)");
            }
            if let Some(arn) = r.resource_type.arn() {
                let _ = write!(text, ": `{arn}`");
            }
            text
        })
        .collect();
    if resource_types.is_empty() {
        out.push_str("- Resource types: none (use `\"Resource\": \"*\"`)\n");
    } else {
        let _ = writeln!(out, "- Resource types: {}", resource_types.join("; "));
    }
    let keys: Vec<String> = action
        .condition_keys()
        .map(|k| format!("`{}` ({})", k.name(), k.sar_type()))
        .collect();
    if keys.is_empty() {
        out.push_str("- Condition keys: only the global keys\n");
    } else {
        let _ = writeln!(out, "- Condition keys: {}", keys.join(", "));
    }
    let dependent = action.dependent_actions();
    if !dependent.is_empty() {
        let _ = writeln!(out, "- Dependent actions: `{}`", dependent.join("`, `"));
    }
    if let Some(d) = detail {
        let _ = writeln!(
            out,
            "- Console only: {}",
            if d.console_only {
                "yes (no public API operation authorizes it)"
            } else {
                "no"
            }
        );
        if !d.api_operations.is_empty() {
            let _ = writeln!(out, "- API operations: `{}`", d.api_operations.join("`, `"));
        }
        if d.internally_managed {
            out.push_str("- AWS calls it an internally managed function\n");
        }
        for note in d.notes {
            let _ = writeln!(out, "- {note}");
        }
        let _ = write!(
            out,
            "\n[Service Authorization Reference]({})",
            d.reference_url
        );
        if let Some(api) = d.api_reference_url {
            let _ = write!(out, " · [API reference]({api})");
        }
        out.push('\n');
    } else {
        let _ = writeln!(out, "\n[Service Authorization Reference]({SAR_INDEX_URL})");
    }
    let _ = write!(out, "\n{}", data_line());
    out
}

/// An action AWS removed: when, and where it went.
pub(crate) fn removed_markdown(removed: &RemovedAction) -> String {
    let mut out = format!(
        "**{}** — removed ({}; was {})\n\n",
        removed.full_name(),
        removed.removed,
        removed.access_level
    );
    if !removed.note.is_empty() {
        let _ = writeln!(out, "{}\n", removed.note);
    }
    match (removed.replacement, removed.successor) {
        (Some(replacement), _) => {
            let _ = writeln!(
                out,
                "Its successor has the same-named action `{replacement}`.\n"
            );
        }
        (None, Some(successor)) => {
            let _ = writeln!(out, "Its function moved to the `{successor}` service.\n");
        }
        (None, None) => {}
    }
    out.push_str(&data_line());
    out
}

/// A service AWS retired: when it left the reference.
pub(crate) fn removed_service_markdown(service: &RemovedService) -> String {
    let mut out = format!(
        "**{}** — a retired service: it left the Service Authorization Reference {}, and its actions match nothing\n\n",
        service.label(),
        service.removed
    );
    if !service.note.is_empty() {
        let _ = writeln!(out, "{}\n", service.note);
    }
    if let Some(successor) = service.successor {
        let _ = writeln!(out, "Its function moved to the `{successor}` service.\n");
    }
    out.push_str(&data_line());
    out
}

/// An action AWS's managed policies use and the reference lacks.
pub(crate) fn undocumented_markdown(undocumented: &UndocumentedAction) -> String {
    format!(
        "**{}** — not in the Service Authorization Reference, but {}\n\nAWS uses it without documenting it; IAM accepts any action name, so it is not a typo. Its access level, resource types and condition keys are unknown.\n\n{}",
        undocumented.full_name(),
        undocumented.usage(),
        data_line()
    )
}

/// A service: its name and how many actions it has.
pub(crate) fn service_markdown(service: ServiceRef) -> String {
    format!(
        "**{}** — {} actions\n\n{}",
        service_title(service),
        service.action_count(),
        data_line()
    )
}

/// What a wildcard matches: the count, then the names grouped by service (at most
/// [`MAX_LISTED`] names), and the removed actions it would have matched.
pub(crate) fn wildcard_markdown(pattern: &str) -> String {
    let mut total = 0usize;
    let mut listed = 0usize;
    // (service, count, listed names)
    let mut groups: Vec<(ServiceRef, usize, Vec<&'static str>)> = Vec::new();
    for action in catalog::matching_actions(pattern) {
        total += 1;
        let service = action.service();
        if groups.last().is_none_or(|g| g.0 != service) {
            groups.push((service, 0, Vec::new()));
        }
        if let Some(group) = groups.last_mut() {
            group.1 += 1;
            if listed < MAX_LISTED {
                group.2.push(action.name());
                listed += 1;
            }
        }
    }
    let mut out = format!("**`{pattern}`** matches ");
    match total {
        0 => out.push_str("no action"),
        1 => out.push_str("1 action"),
        n => {
            let _ = write!(out, "{n} actions");
        }
    }
    if groups.len() > 1 {
        let _ = write!(out, " of {} services", groups.len());
    }
    out.push_str("\n\n");
    for (service, count, names) in &groups {
        if names.is_empty() {
            continue;
        }
        let _ = write!(out, "**{}** ({count}): ", service.prefix());
        let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        out.push_str(&shown.join(", "));
        if names.len() < *count {
            let _ = write!(out, ", … and {} more", count - names.len());
        }
        out.push_str("\n\n");
    }
    let shown_groups = groups.iter().filter(|g| !g.2.is_empty()).count();
    if shown_groups < groups.len() {
        let hidden: usize = groups.iter().filter(|g| g.2.is_empty()).map(|g| g.1).sum();
        let _ = write!(
            out,
            "… and {hidden} more in {} more services\n\n",
            groups.len() - shown_groups
        );
    }
    let removed: Vec<&RemovedAction> = catalog::removed_matching(pattern).collect();
    if !removed.is_empty() {
        let shown: Vec<String> = removed
            .iter()
            .take(10)
            .map(|r| format!("`{}`", r.full_name()))
            .collect();
        let more = match removed.len() - shown.len() {
            0 => String::new(),
            n => format!(", … and {n} more"),
        };
        let _ = write!(
            out,
            "It would also have matched actions AWS removed: {}{more}\n\n",
            shown.join(", ")
        );
    }
    out.push_str(&data_line());
    out
}

fn type_text(value_type: ValueType, multivalued: bool) -> String {
    if multivalued {
        format!(
            "{} (multivalued: use `ForAnyValue:` or `ForAllValues:`)",
            value_type
        )
    } else {
        value_type.to_string()
    }
}

/// A condition key: its type, whether it is multivalued, what it means.
pub(crate) fn condition_key_markdown(key: ConditionKeyMatch) -> String {
    let mut out = format!("**{}** — condition key\n\n", key.name());
    match key {
        ConditionKeyMatch::Global(g) => {
            let _ = writeln!(out, "{}\n", g.description);
            let _ = writeln!(out, "- Type: {}", type_text(g.value_type, g.multivalued));
            if !g.also_accepts.is_empty() {
                let others: Vec<&str> = g.also_accepts.iter().map(|t| t.as_str()).collect();
                let _ = writeln!(out, "- Also works with {} operators", others.join(", "));
            }
            out.push_str("- Global key: available wherever its request context applies\n");
            if g.sensitive {
                out.push_str("- Wildcards in its values have no valid use\n");
            }
            if g.legacy {
                out.push_str("- Legacy: no longer in the IAM global-key table\n");
            }
        }
        ConditionKeyMatch::Service(k) => {
            let _ = writeln!(
                out,
                "- Type: {}",
                type_text(k.value_type(), k.multivalued())
            );
            let _ = writeln!(out, "- Defined by {}", service_title(k.service()));
        }
    }
    let _ = write!(out, "\n{}", data_line());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_docs_carry_everything() {
        let a = catalog::parse_action("support:DescribeSupportLevel").expect("action");
        let text = action_markdown(a);
        assert!(
            text.starts_with("**support:DescribeSupportLevel** — Read"),
            "{text}"
        );
        assert!(text.contains("Console only: yes"), "{text}");
        assert!(text.contains("Resource types: none"), "{text}");
        assert!(text.contains("list_awssupport.html"), "{text}");
        assert!(text.contains(data_version()), "{text}");
        let refresh = catalog::parse_action("trustedadvisor:RefreshCheck").expect("action");
        let text = action_markdown(refresh);
        assert!(
            text.contains("`checks` (required): `arn:${Partition}:trustedadvisor:"),
            "{text}"
        );
        let s3 = catalog::parse_action("s3:GetObject").expect("action");
        let text = action_markdown(s3);
        assert!(
            text.contains("Amazon S3") || text.contains("(`s3`)"),
            "{text}"
        );
        assert!(text.contains(SAR_INDEX_URL), "{text}");
    }

    #[test]
    fn wildcard_docs_list_and_cap() {
        let text = wildcard_markdown("support:Describe*");
        assert!(
            text.starts_with("**`support:Describe*`** matches 17 actions\n"),
            "{text}"
        );
        assert!(text.contains("`DescribeSupportLevel`"), "{text}");
        let text = wildcard_markdown("*");
        let names = text.split("more services").next().unwrap_or("");
        let listed = names.matches('`').count() / 2;
        assert_eq!(listed, MAX_LISTED + 1, "the pattern and 50 names: {text}");
        assert!(text.contains("more services"), "{text}");
        let text = wildcard_markdown("trustedadvisor:*Engagement*");
        assert!(text.contains("matches no action"), "{text}");
        assert!(text.contains("`trustedadvisor:CreateEngagement`"), "{text}");
    }
}
