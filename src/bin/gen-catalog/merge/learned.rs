//! Resource types that AWS's managed policies give an action although the Service
//! Authorization Reference does not list them for it (`data/learned-resource-types.tsv`).
//!
//! The reference lists, per action, the resource types it acts on, and some actions also act
//! on a type of another service (`ssm:DeregisterManagedInstance` on EKS clusters, for EKS
//! Connector) that the reference leaves out. `resource-type-mismatch` must not call a statement
//! AWS itself deploys a mistake, so the pairs AWS's own policies show are learned here — only
//! those, and only where the statement leaves no doubt which action the resource is for:
//!
//! - an `Allow` statement of a policy's default version (earlier versions may be the mistakes
//!   AWS corrected), whose `Action` names at most [`MAX_ACTIONS`] actions, all without
//!   wildcards and all in the catalogue;
//! - whose `Resource` is only ARNs of a literal service (`*` feeds every action already);
//! - whose actions that list resource types all get none of them from the statement (as
//!   `resource-type-mismatch` would say; when one is fed, the others may be the reference's
//!   omissions or AWS's slips, and the rule says nothing either);
//! - and an ARN of it that fits none of the types its actions list, and fits templates of its
//!   own service that all read alike (`cluster/${ClusterName}` of `eks`, `eks-auth` and
//!   `aps`): it names one kind of resource, not a service's every kind (`*/*`). Each of those
//!   actions is learned to take those types.
//!
//! ARNs are matched against templates as the rule matches them (the same `Pattern` code).

use std::collections::{BTreeMap, HashMap, HashSet};

use catalog_format::{LearnedResourceType, Model, lower};

use crate::arn_pattern::Pattern;
use crate::sources::managed::AllowStatement;

/// A statement naming more actions than this is a bundle: which of them an ARN is for is
/// guesswork.
pub(super) const MAX_ACTIONS: usize = 4;

/// A resource type as (lower-case prefix, lower-case name).
type TypeKey = (String, String);

struct Template {
    resource_type: TypeKey,
    /// The resource part, lower-case.
    text: String,
    pattern: Pattern,
}

/// The types a policy ARN fits.
struct Fit {
    /// Of templates of the ARN's own service.
    own: HashSet<TypeKey>,
    /// Of any template (own ones, and those whose service is a placeholder).
    all: HashSet<TypeKey>,
    /// The distinct resource parts of the own templates it fits.
    own_texts: HashSet<String>,
}

/// Every template of the model, by the lower-case service field of its ARN; templates whose
/// service field is a placeholder under `""`.
struct Templates {
    by_service: HashMap<String, Vec<Template>>,
    written: HashMap<TypeKey, (String, String)>,
}

impl Templates {
    fn of(m: &Model) -> Templates {
        let mut by_service: HashMap<String, Vec<Template>> = HashMap::new();
        let mut written = HashMap::new();
        for r in &m.resource_types {
            let key = (lower(&r.prefix), lower(&r.name));
            written.insert(key.clone(), (r.prefix.clone(), r.name.clone()));
            for text in r.arn.split(", ").filter(|t| !t.is_empty()) {
                let Some((service, resource)) = fields(text) else {
                    continue;
                };
                let service = if service.contains("${") {
                    String::new()
                } else {
                    lower(service)
                };
                by_service.entry(service).or_default().push(Template {
                    resource_type: key.clone(),
                    text: lower(resource),
                    pattern: Pattern::template(resource),
                });
            }
        }
        Templates {
            by_service,
            written,
        }
    }

    /// The types whose templates a policy ARN's resource part can match.
    fn fitting(&self, service: &str, resource: &str) -> Fit {
        let pattern = Pattern::policy(resource);
        let mut fit = Fit {
            own: HashSet::new(),
            all: HashSet::new(),
            own_texts: HashSet::new(),
        };
        let none = Vec::new();
        let own_templates = self.by_service.get(&lower(service)).unwrap_or(&none);
        for template in own_templates {
            if template.pattern.intersects(&pattern) {
                fit.own.insert(template.resource_type.clone());
                fit.own_texts.insert(template.text.clone());
            }
        }
        let any_templates = self.by_service.get("").unwrap_or(&none);
        for template in own_templates.iter().chain(any_templates) {
            if template.pattern.intersects(&pattern) {
                fit.all.insert(template.resource_type.clone());
            }
        }
        fit
    }
}

/// `arn:partition:service:region:account:resource` → (service, resource), without a look
/// at the fields' values (a template's are placeholders).
fn fields(text: &str) -> Option<(&str, &str)> {
    let mut fields = text.splitn(6, ':');
    let [arn, _, service, _, _, resource] = std::array::from_fn(|_| fields.next());
    (arn? == "arn").then_some((service?, resource?))
}

/// A policy's ARN as (service, resource part), when its service is a literal; `None` for
/// what could be anything (`*`, a wildcard service) or is not plainly an ARN (a policy
/// variable before the resource part, whose colons hide the fields).
fn policy_arn(text: &str) -> Option<(&str, &str)> {
    let (service, resource) = fields(text)?;
    let head = &text[..text.len() - resource.len()];
    let literal = !service.is_empty() && !service.contains(['*', '?']) && !head.contains("${");
    literal.then_some((service, resource))
}

/// The pairs `statements` show, first policy by name kept, sorted.
pub(super) fn learn(m: &Model, statements: &[AllowStatement]) -> Vec<LearnedResourceType> {
    let templates = Templates::of(m);
    let listed: HashMap<String, (&str, &str, HashSet<TypeKey>)> = m
        .actions
        .iter()
        .map(|a| {
            let types = a
                .resource_types
                .iter()
                .map(|(t, _)| (lower(&a.prefix), lower(t)))
                .collect();
            (
                format!("{}:{}", lower(&a.prefix), lower(&a.name)),
                (a.prefix.as_str(), a.name.as_str(), types),
            )
        })
        .collect();
    let mut found: BTreeMap<(String, String, String, String), LearnedResourceType> =
        BTreeMap::new();
    for statement in statements {
        if statement.actions.len() > MAX_ACTIONS
            || statement.actions.iter().any(|a| a.contains(['*', '?']))
        {
            continue;
        }
        let Some(actions) = statement
            .actions
            .iter()
            .map(|a| listed.get(&lower(a)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some(arns) = statement
            .resources
            .iter()
            .map(|r| policy_arn(r).map(|(service, resource)| templates.fitting(service, resource)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let listing: Vec<_> = actions.iter().filter(|(_, _, t)| !t.is_empty()).collect();
        let all_starved = !listing.is_empty()
            && listing.iter().all(|(_, _, types)| {
                !arns
                    .iter()
                    .any(|fit| fit.all.iter().any(|t| types.contains(t)))
            });
        if !all_starved {
            continue;
        }
        // Every ARN fits none of the listed types: the statement's actions all starve.
        for fit in arns.iter().filter(|fit| fit.own_texts.len() == 1) {
            for (prefix, name, _) in &listing {
                for key in &fit.own {
                    let (resource_prefix, resource_type) = &templates.written[key];
                    let sort_key = (lower(prefix), lower(name), key.0.clone(), key.1.clone());
                    found
                        .entry(sort_key)
                        .or_insert_with(|| LearnedResourceType {
                            prefix: prefix.to_string(),
                            name: name.to_string(),
                            resource_prefix: resource_prefix.clone(),
                            resource_type: resource_type.clone(),
                            policy: statement.policy.clone(),
                            version: statement.version.clone(),
                        });
                }
            }
        }
    }
    found.into_values().collect()
}

/// Without the managed policies: the previous run's pairs that still hold (the action and the
/// type exist, and the reference does not list the type for the action now).
pub(super) fn keep_learned(
    m: &Model,
    previous: &[LearnedResourceType],
) -> Vec<LearnedResourceType> {
    let types: HashSet<TypeKey> = m
        .resource_types
        .iter()
        .map(|r| (lower(&r.prefix), lower(&r.name)))
        .collect();
    previous
        .iter()
        .filter(|l| {
            let action = m.actions.iter().find(|a| {
                a.prefix.eq_ignore_ascii_case(&l.prefix) && a.name.eq_ignore_ascii_case(&l.name)
            });
            let listed = action.is_some_and(|a| {
                l.prefix.eq_ignore_ascii_case(&l.resource_prefix)
                    && a.resource_types
                        .iter()
                        .any(|(t, _)| t.eq_ignore_ascii_case(&l.resource_type))
            });
            action.is_some()
                && !listed
                && types.contains(&(lower(&l.resource_prefix), lower(&l.resource_type)))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use catalog_format::{Action, ResourceType};

    use super::*;
    use crate::sources::managed::load_managed_policies;

    fn action(prefix: &str, name: &str, types: &[&str]) -> Action {
        Action {
            prefix: prefix.into(),
            name: name.into(),
            level: "Write".into(),
            resource_types: types.iter().map(|t| (t.to_string(), true)).collect(),
            condition_keys: Vec::new(),
            dependent_actions: Vec::new(),
        }
    }

    fn resource_type(prefix: &str, name: &str, arn: &str) -> ResourceType {
        ResourceType {
            prefix: prefix.into(),
            name: name.into(),
            arn: arn.into(),
            condition_keys: Vec::new(),
        }
    }

    /// A catalogue of two services: `ssm`'s actions list only `ssm` types, `eks` has
    /// clusters and node groups.
    fn model() -> Model {
        Model {
            actions: vec![
                action("ssm", "DeregisterManagedInstance", &["managed-instance"]),
                action("ssm", "DescribeSessions", &[]),
                action("ssm", "GetDocument", &["document"]),
                action("ssm", "SendCommand", &["document", "managed-instance"]),
                action("ssm", "StartSession", &["document", "managed-instance"]),
            ],
            resource_types: vec![
                resource_type(
                    "eks",
                    "cluster",
                    "arn:${Partition}:eks:${Region}:${Account}:cluster/${ClusterName}",
                ),
                resource_type(
                    "eks",
                    "nodegroup",
                    "arn:${Partition}:eks:${Region}:${Account}:nodegroup/${ClusterName}/${NodegroupName}/${UUID}",
                ),
                resource_type(
                    "ssm",
                    "document",
                    "arn:${Partition}:ssm:${Region}:${Account}:document/${DocumentName}",
                ),
                resource_type(
                    "ssm",
                    "managed-instance",
                    "arn:${Partition}:ssm:${Region}:${Account}:managed-instance/${InstanceId}",
                ),
            ],
            ..Model::default()
        }
    }

    /// A managedPolicies.json with one policy per statement (current version v2), and one
    /// whose earlier version v1 has the statement.
    fn managed(statements: &[(&str, &str)]) -> String {
        let mut policies = serde_json::Map::new();
        for (name, statement) in statements {
            let statement: serde_json::Value = serde_json::from_str(statement).expect("JSON");
            let document = |s: serde_json::Value| serde_json::json!({"createdDate": "", "document": {"Version": "2012-10-17", "Statement": [s]}});
            let (v1, v2) = if name.starts_with("Old") {
                (
                    document(statement),
                    document(
                        serde_json::json!({"Effect": "Allow", "Action": "ssm:DescribeSessions", "Resource": "*"}),
                    ),
                )
            } else {
                (
                    document(
                        serde_json::json!({"Effect": "Allow", "Action": "ssm:DescribeSessions", "Resource": "*"}),
                    ),
                    document(statement),
                )
            };
            policies.insert(
                name.to_string(),
                serde_json::json!({"latestVersionId": "v2", "versions": {"v1": v1, "v2": v2}}),
            );
        }
        serde_json::Value::Object(policies).to_string()
    }

    fn learned(statements: &[(&str, &str)]) -> Vec<String> {
        let file = tempfile::NamedTempFile::new().expect("temporary file");
        std::fs::write(file.path(), managed(statements)).expect("written");
        let policies = load_managed_policies(file.path()).expect("loads");
        learn(&model(), &policies.statements)
            .iter()
            .map(|l| {
                format!(
                    "{}:{} on {}:{} ({} {})",
                    l.prefix, l.name, l.resource_prefix, l.resource_type, l.policy, l.version
                )
            })
            .collect()
    }

    #[test]
    fn learns_the_cross_service_type_of_a_starved_exact_action() {
        let deregister = r#"{"Effect": "Allow", "Action": ["ssm:DeregisterManagedInstance"],
                             "Resource": ["arn:aws:eks:*:*:cluster/*"]}"#;
        assert_eq!(
            learned(&[("EksConnector", deregister), ("Later", deregister)]),
            ["ssm:DeregisterManagedInstance on eks:cluster (EksConnector v2)"]
        );
    }

    #[test]
    fn learns_for_each_action_of_a_small_list_that_all_starve() {
        let pair = r#"{"Effect": "Allow", "Action": ["ssm:SendCommand", "ssm:DescribeSessions", "ssm:GetDocument"],
                       "Resource": ["arn:aws:eks:*:*:cluster/*", "arn:aws:eks:*:*:*"]}"#;
        assert_eq!(
            learned(&[("Pair", pair)]),
            [
                "ssm:GetDocument on eks:cluster (Pair v2)",
                "ssm:SendCommand on eks:cluster (Pair v2)"
            ]
        );
    }

    #[test]
    fn learns_nothing_where_the_statement_leaves_a_doubt() {
        let cases = [
            // Only an earlier version of the policy had it.
            (
                "OldVersion",
                r#"{"Effect": "Allow", "Action": "ssm:DeregisterManagedInstance", "Resource": "arn:aws:eks:*:*:cluster/*"}"#,
            ),
            // A Deny grants nothing.
            (
                "Deny",
                r#"{"Effect": "Deny", "Action": "ssm:DeregisterManagedInstance", "Resource": "arn:aws:eks:*:*:cluster/*"}"#,
            ),
            // A wildcard action is written knowing part of it needs other resources.
            (
                "Wildcard",
                r#"{"Effect": "Allow", "Action": "ssm:Deregister*", "Resource": "arn:aws:eks:*:*:cluster/*"}"#,
            ),
            // `*` feeds every action.
            (
                "Star",
                r#"{"Effect": "Allow", "Action": "ssm:DeregisterManagedInstance", "Resource": ["arn:aws:eks:*:*:cluster/*", "*"]}"#,
            ),
            // StartSession gets its document: the cluster may be the reference's omission
            // or a slip, and the rule says nothing either.
            (
                "Fed",
                r#"{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["arn:aws:eks:*:*:cluster/*", "arn:aws:ssm:*:*:document/D"]}"#,
            ),
            // The ARN could be any kind of EKS resource.
            (
                "AnyKind",
                r#"{"Effect": "Allow", "Action": "ssm:DeregisterManagedInstance", "Resource": "arn:aws:eks:*:*:*"}"#,
            ),
            // A bundle of actions: which one the ARN is for is guesswork.
            (
                "Bundle",
                r#"{"Effect": "Allow", "Action": ["ssm:DeregisterManagedInstance", "ssm:StartSession", "ssm:DescribeSessions", "ssm:GetDocument", "ssm:SendCommand"], "Resource": "arn:aws:eks:*:*:cluster/*"}"#,
            ),
            // An action the catalogue does not have.
            (
                "Unknown",
                r#"{"Effect": "Allow", "Action": ["ssm:DeregisterManagedInstance", "ssm:Undocumented"], "Resource": "arn:aws:eks:*:*:cluster/*"}"#,
            ),
            // NotResource is not what the action is given.
            (
                "NotResource",
                r#"{"Effect": "Allow", "Action": "ssm:DeregisterManagedInstance", "NotResource": "arn:aws:eks:*:*:cluster/*"}"#,
            ),
        ];
        for (name, statement) in cases {
            assert_eq!(
                learned(&[(name, statement)]),
                Vec::<String>::new(),
                "{name}"
            );
        }
    }

    #[test]
    fn keeps_only_what_still_holds_without_the_policies() {
        let m = model();
        let row = |action: &str, prefix: &str, ty: &str| LearnedResourceType {
            prefix: "ssm".into(),
            name: action.into(),
            resource_prefix: prefix.into(),
            resource_type: ty.into(),
            policy: "P".into(),
            version: "v1".into(),
        };
        let previous = [
            row("DeregisterManagedInstance", "eks", "cluster"),
            row("Gone", "eks", "cluster"),
            row("DeregisterManagedInstance", "eks", "gone"),
            row("StartSession", "ssm", "document"),
        ];
        assert_eq!(keep_learned(&m, &previous), [previous[0].clone()]);
    }
}
