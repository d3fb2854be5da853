//! The checks every catalogue must pass before it is written as an image: the tables are
//! sorted and closed (every key, resource type and action they name exists), and every code
//! is one the image can carry.

use std::collections::HashSet;

use crate::model::*;
use crate::{Result, lower};

impl Model {
    /// Checks the consistency the image and the catalogue rely on; the error lists every
    /// problem found.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        self.service_table_problems(&mut problems);
        self.curated_table_problems(&mut problems);
        report(problems)
    }

    /// Checks what [`image::write`](crate::image::write) needs of the service tables alone
    /// (a catalogue fetched at run time has no curated tables): sorted and closed.
    pub fn validate_service_tables(&self) -> Result<()> {
        let mut problems = Vec::new();
        self.service_table_problems(&mut problems);
        report(problems)
    }

    fn service_table_problems(&self, problems: &mut Vec<String>) {
        let prefixes: HashSet<String> = self.services.iter().map(|s| lower(&s.prefix)).collect();
        if prefixes.len() != self.services.len() {
            problems.push("duplicate service prefixes".to_string());
        }
        let sorted = |a: &[String]| a.windows(2).all(|w| w[0] < w[1]);
        let services: Vec<String> = self.services.iter().map(|s| lower(&s.prefix)).collect();
        if !sorted(&services) {
            problems.push("services.tsv is not sorted".into());
        }
        let actions: Vec<String> = self
            .actions
            .iter()
            .map(|a| format!("{}\u{1}{}", lower(&a.prefix), lower(&a.name)))
            .collect();
        if !sorted(&actions) {
            problems.push("actions.tsv is not sorted or has duplicates".into());
        }
        let keys: HashSet<(String, String)> = self
            .condition_keys
            .iter()
            .map(|k| (lower(&k.prefix), lower(&k.key)))
            .collect();
        let rts: HashSet<(String, String)> = self
            .resource_types
            .iter()
            .map(|r| (lower(&r.prefix), lower(&r.name)))
            .collect();
        for a in &self.actions {
            if !prefixes.contains(&lower(&a.prefix)) {
                problems.push(format!(
                    "action {}:{} has an unknown service",
                    a.prefix, a.name
                ));
            }
            if !LEVELS.contains(&a.level.as_str()) {
                problems.push(format!(
                    "action {}:{}: unknown access level {}",
                    a.prefix, a.name, a.level
                ));
            }
            for k in &a.condition_keys {
                if !keys.contains(&(lower(&a.prefix), lower(k))) {
                    problems.push(format!(
                        "action {}:{}: key {k} not defined by its service",
                        a.prefix, a.name
                    ));
                }
            }
            for (rt, _) in &a.resource_types {
                if !rts.contains(&(lower(&a.prefix), lower(rt))) {
                    problems.push(format!(
                        "action {}:{}: resource type {rt} not defined",
                        a.prefix, a.name
                    ));
                }
            }
        }
        for r in &self.resource_types {
            for k in &r.condition_keys {
                if !keys.contains(&(lower(&r.prefix), lower(k))) {
                    problems.push(format!(
                        "resource type {}:{}: key {k} not defined",
                        r.prefix, r.name
                    ));
                }
            }
        }
        for k in &self.condition_keys {
            if !KEY_TYPES.contains(&split_base_type(&k.ty).0) {
                problems.push(format!("key {}: unknown type {}", k.key, k.ty));
            }
        }
    }

    fn curated_table_problems(&self, problems: &mut Vec<String>) {
        for g in &self.global_keys {
            if !KEY_TYPES.contains(&g.ty.as_str())
                || g.also_accepts
                    .iter()
                    .any(|t| !KEY_TYPES.contains(&t.as_str()))
            {
                problems.push(format!("global key {}: unknown type", g.key));
            }
            if !KEY_CATEGORIES.contains(&g.category.as_str()) {
                problems.push(format!(
                    "global key {}: unknown category {}",
                    g.key, g.category
                ));
            }
            if g.description.is_empty() {
                problems.push(format!("global key {}: no description", g.key));
            }
        }
        for o in &self.operators {
            if !OPERATOR_FAMILIES.contains(&o.family.as_str()) {
                problems.push(format!("operator {}: unknown family {}", o.name, o.family));
            }
        }
        let action_set: HashSet<String> = self
            .actions
            .iter()
            .map(|a| format!("{}:{}", lower(&a.prefix), lower(&a.name)))
            .collect();
        for prefix in DETAILED {
            let n_actions = self.actions.iter().filter(|a| a.prefix == prefix).count();
            let details: Vec<&Detail> =
                self.details.iter().filter(|d| d.prefix == prefix).collect();
            let names: Vec<&str> = self
                .actions
                .iter()
                .filter(|a| a.prefix == prefix)
                .map(|a| a.name.as_str())
                .collect();
            let detail_names: Vec<&str> = details.iter().map(|d| d.name.as_str()).collect();
            if n_actions == 0 || names != detail_names {
                problems.push(format!(
                    "detailed-actions.tsv must cover the {prefix} actions in actions.tsv order"
                ));
            }
        }
        for d in &self.details {
            if d.description.is_empty() {
                problems.push(format!("{}:{}: no description", d.prefix, d.name));
            }
        }
        for r in &self.removed {
            if action_set.contains(&format!("{}:{}", lower(&r.prefix), lower(&r.name))) {
                problems.push(format!(
                    "removed action {}:{} still exists",
                    r.prefix, r.name
                ));
            }
            if !r.replacement.is_empty() && !action_set.contains(&lower(&r.replacement)) {
                problems.push(format!("replacement {} does not exist", r.replacement));
            }
        }
        let workflows: HashSet<&str> = self.workflows.iter().map(|w| w.id.as_str()).collect();
        for w in &self.workflows {
            if !CHANNELS.contains(&w.channel.as_str()) {
                problems.push(format!("workflow {}: unknown channel {}", w.id, w.channel));
            }
        }
        for wa in &self.workflow_actions {
            if !workflows.contains(wa.workflow.as_str()) {
                problems.push(format!(
                    "workflow action for unknown workflow {}",
                    wa.workflow
                ));
            }
            if !EVIDENCE.contains(&wa.status.as_str()) {
                problems.push(format!(
                    "workflow {}: unknown status {}",
                    wa.workflow, wa.status
                ));
            }
            if !wa.action.contains(['*', '?']) && !action_set.contains(&lower(&wa.action)) {
                problems.push(format!(
                    "workflow {} names unknown action {}",
                    wa.workflow, wa.action
                ));
            }
        }
        for op in &self.api_operations {
            for action in op
                .authorizes
                .iter()
                .filter(|a| !action_set.contains(&lower(a)))
            {
                problems.push(format!(
                    "API operation {}.{} authorizes unknown action {action}",
                    op.api, op.operation
                ));
            }
        }
        for f in &self.facts {
            if !action_set.contains(&lower(&f.action)) {
                problems.push(format!("fact {} names unknown action {}", f.fact, f.action));
            }
        }
        self.retired_and_undocumented_problems(&action_set, problems);
        self.learned_problems(problems);
    }

    /// A learned resource type names a current action and a current resource type that the
    /// reference does not already list for it; the list is sorted.
    fn learned_problems(&self, problems: &mut Vec<String>) {
        let rows: Vec<String> = self
            .learned_resource_types
            .iter()
            .map(|l| {
                [&l.prefix, &l.name, &l.resource_prefix, &l.resource_type]
                    .map(|s| lower(s))
                    .join("\u{1}")
            })
            .collect();
        if !rows.windows(2).all(|w| w[0] < w[1]) {
            problems.push("learned-resource-types.tsv is not sorted or has duplicates".into());
        }
        let types: HashSet<(String, String)> = self
            .resource_types
            .iter()
            .map(|r| (lower(&r.prefix), lower(&r.name)))
            .collect();
        for l in &self.learned_resource_types {
            let pair = format!(
                "{}:{} on {}:{}",
                l.prefix, l.name, l.resource_prefix, l.resource_type
            );
            let action = self.actions.iter().find(|a| {
                a.prefix.eq_ignore_ascii_case(&l.prefix) && a.name.eq_ignore_ascii_case(&l.name)
            });
            match action {
                None => problems.push(format!("learned {pair}: no such action")),
                Some(a)
                    if lower(&l.prefix) == lower(&l.resource_prefix)
                        && a.resource_types
                            .iter()
                            .any(|(t, _)| t.eq_ignore_ascii_case(&l.resource_type)) =>
                {
                    problems.push(format!("learned {pair}: the reference lists it"))
                }
                Some(_) => {}
            }
            if !types.contains(&(lower(&l.resource_prefix), lower(&l.resource_type))) {
                problems.push(format!("learned {pair}: no such resource type"));
            }
            if l.policy.is_empty() || l.version.is_empty() {
                problems.push(format!("learned {pair}: no policy"));
            }
        }
    }

    /// Removed services are no current service; undocumented actions and keys are neither
    /// current nor removed; every list is sorted.
    fn retired_and_undocumented_problems(
        &self,
        action_set: &HashSet<String>,
        problems: &mut Vec<String>,
    ) {
        let sorted = |a: &[String]| a.windows(2).all(|w| w[0] < w[1]);
        let prefixes: HashSet<String> = self.services.iter().map(|s| lower(&s.prefix)).collect();
        let removed: Vec<String> = self
            .removed
            .iter()
            .map(|r| format!("{}\u{1}{}", lower(&r.prefix), lower(&r.name)))
            .collect();
        if !sorted(&removed) {
            problems.push("removed-actions.tsv is not sorted or has duplicates".into());
        }
        let retired: Vec<String> = self
            .removed_services
            .iter()
            .map(|r| lower(&r.prefix))
            .collect();
        if !sorted(&retired) {
            problems.push("removed-services.tsv is not sorted or has duplicates".into());
        }
        for r in &self.removed_services {
            if prefixes.contains(&lower(&r.prefix)) {
                problems.push(format!("removed service {} still exists", r.prefix));
            }
            if r.removed.is_empty() {
                problems.push(format!("removed service {}: no removal date", r.prefix));
            }
        }
        let retired: HashSet<String> = retired.into_iter().collect();
        let removed: HashSet<String> = self
            .removed
            .iter()
            .map(|r| format!("{}:{}", lower(&r.prefix), lower(&r.name)))
            .collect();
        let undocumented: Vec<String> = self
            .undocumented_actions
            .iter()
            .map(|u| format!("{}\u{1}{}", lower(&u.prefix), lower(&u.name)))
            .collect();
        if !sorted(&undocumented) {
            problems.push("undocumented-actions.tsv is not sorted or has duplicates".into());
        }
        for u in &self.undocumented_actions {
            let full = format!("{}:{}", lower(&u.prefix), lower(&u.name));
            if action_set.contains(&full) || removed.contains(&full) {
                problems.push(format!(
                    "undocumented action {}:{} is current or removed",
                    u.prefix, u.name
                ));
            }
            if retired.contains(&lower(&u.prefix)) {
                problems.push(format!(
                    "undocumented action {}:{} is of a removed service",
                    u.prefix, u.name
                ));
            }
            if u.policy.is_empty() || u.version.is_empty() {
                problems.push(format!(
                    "undocumented action {}:{}: no policy",
                    u.prefix, u.name
                ));
            }
        }
        let keys: Vec<String> = self
            .undocumented_keys
            .iter()
            .map(|k| lower(&k.key))
            .collect();
        if !sorted(&keys) {
            problems.push("undocumented-condition-keys.tsv is not sorted or has duplicates".into());
        }
        let service_keys: HashSet<String> = self
            .condition_keys
            .iter()
            .map(|k| lower(&k.key))
            .chain(self.global_keys.iter().map(|g| lower(&g.key)))
            .collect();
        for k in &self.undocumented_keys {
            if service_keys.contains(&lower(&k.key)) {
                problems.push(format!(
                    "undocumented condition key {} is documented",
                    k.key
                ));
            }
            if k.policy.is_empty() || k.version.is_empty() {
                problems.push(format!("undocumented condition key {}: no policy", k.key));
            }
        }
    }
}

fn report(problems: Vec<String>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "data/ is inconsistent:\n  {}",
            problems.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Action, LearnedResourceType, Model, ResourceType};

    #[test]
    fn learned_resource_types_name_what_exists_and_is_not_listed() {
        let type_of = |prefix: &str, name: &str| ResourceType {
            prefix: prefix.into(),
            name: name.into(),
            arn: String::new(),
            condition_keys: Vec::new(),
        };
        let learned = |action: &str, prefix: &str, ty: &str, policy: &str| LearnedResourceType {
            prefix: "ssm".into(),
            name: action.into(),
            resource_prefix: prefix.into(),
            resource_type: ty.into(),
            policy: policy.into(),
            version: "v1".into(),
        };
        let model = Model {
            actions: vec![Action {
                prefix: "ssm".into(),
                name: "DeregisterManagedInstance".into(),
                level: "Write".into(),
                resource_types: vec![("managed-instance".into(), true)],
                condition_keys: Vec::new(),
                dependent_actions: Vec::new(),
            }],
            resource_types: vec![
                type_of("eks", "cluster"),
                type_of("ssm", "managed-instance"),
            ],
            learned_resource_types: vec![
                learned("DeregisterManagedInstance", "eks", "cluster", "P"),
                learned("DeregisterManagedInstance", "eks", "nodegroup", "P"),
                learned("DeregisterManagedInstance", "ssm", "managed-instance", ""),
                learned("Gone", "eks", "cluster", "P"),
            ],
            ..Model::default()
        };
        let mut problems = Vec::new();
        model.learned_problems(&mut problems);
        assert_eq!(
            problems,
            [
                "learned ssm:DeregisterManagedInstance on eks:nodegroup: no such resource type",
                "learned ssm:DeregisterManagedInstance on ssm:managed-instance: the reference lists it",
                "learned ssm:DeregisterManagedInstance on ssm:managed-instance: no policy",
                "learned ssm:Gone on eks:cluster: no such action",
            ]
        );
    }
}
