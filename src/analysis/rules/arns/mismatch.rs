//! `resource-type-mismatch`: a statement whose `Resource` gives an action it names nothing to
//! act on, because its ARNs are of other resource types (`s3:GetObject` on the bucket
//! `arn:aws:s3:::b`, whose objects are `arn:aws:s3:::b/*`).
//!
//! An action applies to an ARN when one of its resource types has a template with the ARN's
//! service and a resource part the ARN's can match (regions and accounts are `arn-region`'s
//! and `arn-account`'s business). A finding needs two facts:
//!
//! - an action written without wildcards gets no resource of the statement (so the statement
//!   does not grant it: the mistake has an effect). Wildcards (`s3:Get*`) are written knowing
//!   that part of what they match needs other resources;
//! - and an ARN of the statement that no action of it applies to, while the statement grants
//!   none of its explicit actions (`lambda:InvokeFunction` on an S3 ARN), or that is the
//!   parent of what a starved action needs (`s3:GetObject` on `arn:aws:s3:::b`: the fix is
//!   `arn:aws:s3:::b/*`, or adding it when `s3:ListBucket` uses the bucket).
//!
//! Nothing is said when a resource could be anything (`*`, a wildcard service, a placeholder,
//! not an ARN), when some action could apply to anything (`*`, a wildcard service, an action
//! the catalogue does not have), about actions without resource types (they need
//! `"Resource": "*"`, yet AWS's own policies give them ARNs), nor about an ARN that fits no
//! template of its service (`arn-resource-format`). The catalogue lists for many actions only
//! some of the resource types they accept, which is why a surplus ARN alone (the statement's
//! other ARNs feed its actions) is not a finding: AWS's own policies are full of them.
//!
//! An action's types are the reference's and those learned from AWS's managed policies
//! (`data/learned-resource-types.tsv`: `ssm:DeregisterManagedInstance` on EKS clusters), so a
//! statement AWS itself deploys has no finding.

use super::super::Sink;
use crate::analysis::{Code, Finding, Fix, json_edit};
use crate::catalog::{Catalog, Resolution, ResourceTypeRef};
use crate::policy::arn::templates::{ArnIndex, arn_index};
use crate::policy::arn::{ArnText, parse_arn};
use crate::policy::{Statement, StringList};
use crate::syntax::{Member, Str};

/// Statements whose wildcards match more actions than this are not checked (everything, or
/// nearly, applies to them).
const MAX_ACTIONS: usize = 3_000;

/// Prefixes whose actions the catalogue lists with only part of the service's resource types:
/// `apigateway` is two pages of the Service Authorization Reference (API Gateway V1 and V2),
/// and `apigateway:GET` lists only V1's types.
const PARTIAL_PREFIXES: &[&str] = &["apigateway"];

/// One entry of `Action`, and the resource types of what it matches.
struct ActionEntry<'s> {
    string: &'s Str,
    /// Written without wildcards.
    explicit: bool,
    types: Vec<ResourceTypeRef>,
}

/// One ARN of `Resource`, with the resource types of its service it can be.
struct ArnEntry<'s> {
    string: &'s Str,
    /// The types of the ARN's own service it fits (for messages, and to know it).
    arn_types: Vec<ResourceTypeRef>,
    /// Every type it fits, sorted: those and the types of templates of any service.
    fit_types: Vec<ResourceTypeRef>,
}

/// The types whose templates `resource` fits, sorted: of the ARN's own service, and all.
fn fitting_types(
    index: &ArnIndex,
    service: &str,
    resource: &str,
) -> (Vec<ResourceTypeRef>, Vec<ResourceTypeRef>) {
    let (mut own, mut all) = (Vec::new(), Vec::new());
    for &number in index.fitting(service, resource).iter() {
        let template = index.template(number);
        all.push(template.resource_type);
        if !template_service(template.text).contains("${") {
            own.push(template.resource_type);
        }
    }
    for types in [&mut own, &mut all] {
        types.sort();
        types.dedup();
    }
    (own, all)
}

/// The ARNs of `Resource` as (string, service, resource part), read without matching them
/// against templates; `None` when the statement cannot have a finding: no `Action` or
/// `Resource`, no ARN, or a resource that could be anything (`*`, a wildcard service, a
/// placeholder, not an ARN) and so could be what any action needs. Cheap: the caller asks it
/// before remembering statements by their source text, which for the `"Resource": ["*"]`
/// statements of generated policies is long to hash.
pub(super) fn concrete_arns<'a>(
    statement: &Statement<'a>,
) -> Option<Vec<(&'a Str, &'a str, &'a str)>> {
    statement.action?;
    let resources = StringList::new(statement.resource?, false);
    let mut parsed: Vec<(&Str, &str, &str)> = Vec::new();
    for string in resources.items.iter().copied().filter(|s| s.terminated) {
        match parse_arn(string.as_str()) {
            ArnText::Arn(arn) if !arn.service().is_pattern() && !arn.service().text.is_empty() => {
                parsed.push((string, arn.service().text, arn.resource().text));
            }
            // Anything else could be what an action needs.
            _ => return None,
        }
    }
    (!parsed.is_empty()).then_some(parsed)
}

/// `parsed` is [`concrete_arns`] of the statement.
pub(super) fn check_statement(
    catalog: &'static Catalog,
    statement: &Statement,
    parsed: &[(&Str, &str, &str)],
    text: &str,
    sink: &mut Sink,
) {
    let (Some(action), Some(resource)) = (statement.action, statement.resource) else {
        return;
    };
    let index = arn_index(catalog);
    // The ARNs' types are found only when asked: most statements feed every action from
    // their first ARNs, and matching an ARN against its service's templates is the costly
    // part.
    let Some(actions) = action_entries(catalog, &StringList::new(action, false)) else {
        return;
    };
    let mut types_of: Vec<Option<(Vec<ResourceTypeRef>, Vec<ResourceTypeRef>)>> =
        vec![None; parsed.len()];
    let mut starved: Vec<&ActionEntry> = Vec::new();
    for action in actions.iter().filter(|a| a.explicit && !a.types.is_empty()) {
        let fed = (0..parsed.len()).any(|i| {
            let (_, service, pattern) = &parsed[i];
            let (_, fit_types) =
                types_of[i].get_or_insert_with(|| fitting_types(index, service, pattern));
            fits(&action.types, fit_types)
        });
        if !fed {
            starved.push(action);
        }
    }
    if starved.is_empty() {
        return;
    }
    let mut arns: Vec<ArnEntry> = Vec::with_capacity(parsed.len());
    for ((string, service, pattern), types) in parsed.iter().zip(types_of) {
        let (arn_types, fit_types) =
            types.unwrap_or_else(|| fitting_types(index, service, pattern));
        // An ARN that fits nothing the catalogue knows may be what a starved action needs
        // (the catalogue lags behind the services).
        if arn_types.is_empty() {
            return;
        }
        arns.push(ArnEntry {
            string,
            arn_types,
            fit_types,
        });
    }
    let all_starved = starved.len()
        == actions
            .iter()
            .filter(|a| a.explicit && !a.types.is_empty())
            .count();
    let mut all_types: Vec<ResourceTypeRef> = actions
        .iter()
        .flat_map(|a| a.types.iter().copied())
        .collect();
    all_types.sort();
    all_types.dedup();
    for arn in &arns {
        let used = fits(&all_types, &arn.fit_types);
        // The starved actions `ARN/*` would feed (a bucket's objects).
        let within = within(arn.string.as_str());
        let fed: Vec<&ActionEntry> = within.as_ref().map_or(Vec::new(), |(_, service, pattern)| {
            let within_types = fitting_types(index, service, pattern).1;
            starved
                .iter()
                .copied()
                .filter(|a| fits(&a.types, &within_types))
                .collect()
        });
        // An unused ARN beside actions that others feed is most often the catalogue listing
        // only part of what an action accepts: said only when the statement grants none of
        // its explicit actions, or when `ARN/*` is what they need.
        if !used && (all_starved || !fed.is_empty()) {
            sink.push(unused_arn(
                arn,
                &starved,
                &fed,
                within.as_ref().map(|w| &w.0),
            ));
        } else if !fed.is_empty() {
            let within = within.as_ref().map(|w| &w.0).expect("fed by something");
            sink.push(parent_arn(text, resource, arn, &fed, within));
        }
    }
}

/// `ARN/*`, its service and its resource part, when `ARN` may be a parent.
fn within(text: &str) -> Option<(String, String, String)> {
    if text.ends_with('*') || text.contains(['"', '\\']) {
        return None;
    }
    let within = format!("{text}/*");
    let ArnText::Arn(arn) = parse_arn(&within) else {
        return None;
    };
    let (service, resource) = (
        arn.service().text.to_string(),
        arn.resource().text.to_string(),
    );
    Some((within, service, resource))
}

/// The statement's actions with their resource types; `None` when some action could apply to
/// anything (`*`, a wildcard service, an action the catalogue does not have, a placeholder).
fn action_entries<'s>(
    catalog: &'static Catalog,
    actions: &StringList<'s>,
) -> Option<Vec<ActionEntry<'s>>> {
    let mut resolver = catalog.resolver();
    let mut entries = Vec::with_capacity(actions.items.len());
    let mut counted = 0;
    for &string in &actions.items {
        let text = string.as_str();
        let (matched, explicit): (Vec<_>, bool) = match resolver.resolve(text) {
            Resolution::Action { action, .. } => (vec![action], true),
            Resolution::Wildcard => {
                let service = text.split_once(':')?.0;
                if crate::catalog::has_wildcard(service) {
                    return None;
                }
                (catalog.matching_actions(text).collect(), false)
            }
            // Reported by the action rules; they grant nothing.
            Resolution::MatchesNothing
            | Resolution::Removed(_)
            | Resolution::RemovedService { .. } => continue,
            Resolution::Unchecked
            | Resolution::Undocumented(_)
            | Resolution::UnknownAction { .. }
            | Resolution::UnknownService { .. }
            | Resolution::Malformed(_) => return None,
        };
        counted += matched.len();
        if counted > MAX_ACTIONS {
            return None;
        }
        let mut types: Vec<ResourceTypeRef> = Vec::new();
        for action in matched {
            if PARTIAL_PREFIXES.contains(&action.prefix()) || acts_on_any_resource(action.name()) {
                types.extend(action.service().resource_types());
            } else {
                types.extend(action.resource_types().map(|r| r.resource_type));
            }
            // What AWS's own managed policies give the action beyond the reference's list
            // (data/learned-resource-types.tsv): a policy AWS deploys is not a mistake.
            types.extend(action.learned_resource_types());
        }
        types.sort();
        types.dedup();
        entries.push(ActionEntry {
            string,
            explicit,
            types,
        });
    }
    Some(entries)
}

/// Actions that act on whatever resource of their service they are given (tagging, resource
/// policies, `…ForResource`): the catalogue lists for them only some of the service's types
/// (`aws-marketplace:ListTagsForResource` only `DeploymentParameter`, `ec2:PutResourcePolicy`
/// not security groups), while AWS's own policies give them the others.
fn acts_on_any_resource(name: &str) -> bool {
    name.contains("Tag") || name.contains("ResourcePolic") || name.ends_with("ForResource")
}

/// Whether the two sorted sets of types share one.
fn fits(types: &[ResourceTypeRef], fit_types: &[ResourceTypeRef]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < types.len() && j < fit_types.len() {
        match types[i].cmp(&fit_types[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The service field of a template.
fn template_service(template: &str) -> &str {
    template.split(':').nth(2).unwrap_or_default()
}

fn type_names(types: &[ResourceTypeRef]) -> Vec<String> {
    let mut names: Vec<String> = types
        .iter()
        .map(|t| format!("{}:{}", t.service().prefix(), t.name()))
        .collect();
    names.dedup();
    names
}

/// Up to `max` names, then how many more.
fn listed(mut names: Vec<String>, max: usize) -> String {
    let more = names.len().saturating_sub(max);
    names.truncate(max);
    let mut text = names.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// An ARN no action of the statement applies to, while some action gets nothing.
fn unused_arn(
    arn: &ArnEntry,
    starved: &[&ActionEntry],
    fed: &[&ActionEntry],
    within: Option<&String>,
) -> Finding {
    let string = arn.string;
    let arn_names = type_names(&arn.arn_types);
    let starved_names: Vec<&str> = starved.iter().map(|a| a.string.as_str()).collect();
    let wanted: Vec<ResourceTypeRef> = starved.iter().flat_map(|a| a.types.clone()).collect();
    let mut finding = Finding::new(
        Code::ResourceTypeMismatch,
        string.range,
        format!(
            "no action of this statement applies to `{}` (a {} ARN), and {} {} no resource from this statement: {} to {}, according to the catalogue",
            string.as_str(),
            arn_names.join(" or "),
            listed(starved_names.iter().map(|n| format!("`{n}`")).collect(), 3),
            if starved.len() == 1 { "gets" } else { "get" },
            if starved.len() == 1 { "it applies" } else { "they apply" },
            listed(type_names(&wanted), 6),
        ),
    )
    .data(serde_json::json!({"arnTypes": arn_names, "starvedActions": starved_names}));
    // `arn:aws:s3:::b` → `arn:aws:s3:::b/*`, when that is what the starved actions apply to.
    if let Some(within) = within
        && fed.len() == starved.len()
    {
        finding = finding.fix(
            Fix::replace(
                format!("Change to \"{within}\""),
                string.content_range(),
                within.clone(),
            )
            .preferred(),
        );
    }
    finding
}

/// An ARN some action applies to, whose children (`ARN/*`) other actions need and do not get:
/// `s3:ListBucket` and `s3:GetObject` on `arn:aws:s3:::b` alone.
fn parent_arn(
    text: &str,
    resource: &Member,
    arn: &ArnEntry,
    fed: &[&ActionEntry],
    within: &str,
) -> Finding {
    let names: Vec<String> = fed
        .iter()
        .map(|a| format!("`{}`", a.string.as_str()))
        .collect();
    let mut finding = Finding::new(
        Code::ResourceTypeMismatch,
        arn.string.range,
        format!(
            "{} {} to what is within `{}` (`{within}`), not to it, and {} no other resource from this statement",
            listed(names, 3),
            if fed.len() == 1 { "applies" } else { "apply" },
            arn.string.as_str(),
            if fed.len() == 1 { "gets" } else { "get" },
        ),
    );
    let edits = json_edit::append_strings(text, resource, &[within]);
    if !edits.is_empty() {
        finding = finding.fix(Fix::quick(format!("Add \"{within}\""), edits).preferred());
    }
    finding
}
