//! Stage 1: the sources merged into the model that `data/*.tsv` holds.
//!
//! Every service but `support`/`trustedadvisor` comes from iam-data (or, without it, from the
//! shared snapshot); those two come from the curated shared files, which win. Then the
//! detailed records, the removed actions, the workflows, the global keys and operators, and
//! the API operations are added; definitions an action names but its service lacks are
//! filled in; every table is sorted.

mod details;
mod globals;
mod learned;
mod removed;
mod undocumented;
mod workflows;

use std::collections::{BTreeMap, HashMap, HashSet};

use catalog_format::{
    Action, ApiOperation, ConditionKey, Info, LEVELS, Model, ResourceType, Result, Service, lower,
};

use crate::Options;
use crate::sources::history::load_history;
use crate::sources::managed::load_managed_policies;
use crate::sources::npm::{NpmAction, NpmService, load_npm};
use crate::sources::read_json;
use crate::sources::shared::{
    GlobalKeysFile, SharedAction, SharedService, WorkflowsFile, load_snapshot,
};
use details::add_details;
use globals::add_globals;
use removed::{Earlier, add_removed, add_removed_services};
use undocumented::add_undocumented;
use workflows::add_workflows;

pub(super) fn build(options: &Options, previous: Option<&Model>) -> Result<Model> {
    let shared = &options.shared_data;
    let support: SharedService = read_json(&shared.join("support.json"))?;
    let trustedadvisor: SharedService = read_json(&shared.join("trustedadvisor.json"))?;
    let workflows: WorkflowsFile = read_json(&shared.join("support-center-workflows.json"))?;
    let globals: GlobalKeysFile = read_json(&shared.join("global-condition-keys.json"))?;
    let snapshot = load_snapshot(&shared.join("all-actions.tsv"))?;
    let npm = options.iam_data.as_deref().map(load_npm).transpose()?;

    if let (Some(npm), Some(prev)) = (&npm, previous) {
        if !prev.info.iam_data_updated.is_empty()
            && npm.updated < prev.info.iam_data_updated
            && !options.allow_older
        {
            return Err(format!(
                "iam-data {} ({}) is older than the catalogue's {} ({}); pass --allow-older to use it",
                npm.version, npm.updated, prev.info.iam_data_version, prev.info.iam_data_updated
            ));
        }
    }
    if let (None, Some(prev)) = (&npm, previous) {
        if !prev.info.iam_data_version.is_empty() && !options.allow_older {
            return Err(format!(
                "data/ was built from iam-data {}; without --iam-data it would fall back to the older \
                 shared snapshot ({}). Run data/refresh.sh, or --tsv-only to check and rewrite data/*.tsv only, \
                 or pass --allow-older",
                prev.info.iam_data_version, snapshot.date
            ));
        }
    }
    if npm.is_none() {
        eprintln!(
            "warning: no --iam-data: actions of services other than support/trustedadvisor come from \
             the {} snapshot, without condition keys or resource types",
            snapshot.date
        );
    }

    let mut m = Model::default();
    let sar_as_of = if support.data_as_of == trustedadvisor.data_as_of {
        support.data_as_of.clone()
    } else {
        format!("{}/{}", support.data_as_of, trustedadvisor.data_as_of)
    };
    m.info = match &npm {
        Some(npm) => Info {
            data_version: format!(
                "iam-data {} ({}); support/trustedadvisor SAR {sar_as_of}",
                npm.version, npm.updated
            ),
            iam_data_version: npm.version.clone(),
            iam_data_updated: npm.updated.clone(),
            sar_as_of: sar_as_of.clone(),
            shared_snapshot: snapshot.date.clone(),
            extra: Vec::new(),
        },
        None => Info {
            data_version: format!(
                "shared snapshot {}; support/trustedadvisor SAR {sar_as_of}",
                snapshot.date
            ),
            iam_data_version: String::new(),
            iam_data_updated: String::new(),
            sar_as_of: sar_as_of.clone(),
            shared_snapshot: snapshot.date.clone(),
            extra: Vec::new(),
        },
    };

    // Services, actions, keys, resource types of everything but the curated namespaces.
    let curated: [(&str, &SharedService); 2] =
        [("support", &support), ("trustedadvisor", &trustedadvisor)];
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    match &npm {
        Some(npm) => {
            for (prefix, service) in &npm.services {
                names.insert(
                    prefix.clone(),
                    npm.names.get(prefix).cloned().unwrap_or_default(),
                );
                if curated.iter().any(|(p, _)| p == prefix) {
                    continue;
                }
                add_npm_service(&mut m, prefix, service)?;
            }
        }
        None => {
            for (prefix, name, level) in &snapshot.rows {
                names.entry(prefix.clone()).or_default();
                if curated.iter().any(|(p, _)| p == prefix) {
                    continue;
                }
                m.actions.push(Action {
                    prefix: prefix.clone(),
                    name: name.clone(),
                    level: normalize_level(level)?,
                    resource_types: Vec::new(),
                    condition_keys: Vec::new(),
                    dependent_actions: Vec::new(),
                });
            }
        }
    }

    // support and trustedadvisor: the curated shared files win.
    let mut in_sdk: HashMap<String, bool> = HashMap::new();
    for (prefix, service) in curated {
        names.insert(prefix.to_string(), service.name.clone());
        for op in &service.api_operations {
            in_sdk.insert(op.qualified.clone(), op.in_sdk_model_snapshot);
        }
        for a in &service.actions {
            m.actions.push(Action {
                prefix: prefix.to_string(),
                name: a.name.clone(),
                level: normalize_level(&a.access_level)?,
                resource_types: a
                    .resource_types
                    .iter()
                    .map(|r| (r.name.clone(), r.required))
                    .collect(),
                condition_keys: sort_dedup_keys(a.condition_keys.clone()),
                dependent_actions: a.dependent_actions.clone(),
            });
        }
        for r in &service.resource_types {
            m.resource_types
                .push(resource_type(prefix, &r.name, &r.arn, &r.condition_keys));
        }
        for k in &service.condition_keys {
            m.condition_keys.push(condition_key(prefix, &k.name, &k.ty));
        }
        if let Some(npm) = &npm {
            compare_with_npm(prefix, service, npm.services.get(prefix), &mut m)?;
        }
    }
    m.services = names
        .into_iter()
        .map(|(prefix, name)| Service { prefix, name })
        .collect();

    add_details(
        &mut m,
        &support,
        &trustedadvisor,
        &workflows,
        &in_sdk,
        &options.root,
    )?;
    let history = options
        .iam_data_history
        .as_deref()
        .map(load_history)
        .transpose()?;
    let earlier = Earlier {
        snapshot: &snapshot,
        previous,
        history: history.as_ref(),
    };
    add_removed_services(&mut m, &earlier, npm.as_ref());
    add_removed(
        &mut m,
        &trustedadvisor,
        &workflows,
        &earlier,
        npm.as_ref(),
        &options.root,
    )?;
    add_workflows(&mut m, &workflows, &options.root)?;
    add_globals(&mut m, &globals, &options.root)?;
    for service in [&support, &trustedadvisor] {
        for op in &service.api_operations {
            let api = op
                .qualified
                .split_once('.')
                .map(|(api, _)| api)
                .unwrap_or_default();
            m.api_operations.push(ApiOperation {
                api: api.to_string(),
                operation: op.operation.clone(),
                in_sdk_snapshot: op.in_sdk_model_snapshot,
                authorizes: op.authorizes.clone(),
            });
        }
    }
    m.api_operations
        .sort_by(|a, b| (&a.api, &a.operation).cmp(&(&b.api, &b.operation)));
    m.api_operations
        .dedup_by(|a, b| a.api == b.api && a.operation == b.operation);

    sort_model(&mut m);
    match options.managed_policies.as_deref() {
        Some(path) => {
            let managed = load_managed_policies(path)?;
            eprintln!(
                "managed policies: {} policies, {} versions",
                managed.policies, managed.versions
            );
            add_undocumented(&mut m, &managed, &options.root)?;
            m.learned_resource_types = learned::learn(&m, &managed.statements);
        }
        // Without the policies, what an earlier run found stays, less what is now known.
        None => {
            keep_undocumented(&mut m, previous);
            if let Some(previous) = previous {
                m.learned_resource_types =
                    learned::keep_learned(&m, &previous.learned_resource_types);
            }
        }
    }
    Ok(m)
}

/// The previous run's undocumented actions and keys, less those the new data documents
/// (or records as removed).
fn keep_undocumented(m: &mut Model, previous: Option<&Model>) {
    let Some(previous) = previous else { return };
    let known: HashSet<String> = m
        .actions
        .iter()
        .map(|a| format!("{}:{}", lower(&a.prefix), lower(&a.name)))
        .chain(
            m.removed
                .iter()
                .map(|r| format!("{}:{}", lower(&r.prefix), lower(&r.name))),
        )
        .collect();
    let retired: HashSet<String> = m
        .removed_services
        .iter()
        .map(|r| lower(&r.prefix))
        .collect();
    m.undocumented_actions = previous
        .undocumented_actions
        .iter()
        .filter(|u| {
            !known.contains(&format!("{}:{}", lower(&u.prefix), lower(&u.name)))
                && !retired.contains(&lower(&u.prefix))
        })
        .cloned()
        .collect();
    let keys: HashSet<String> = m
        .condition_keys
        .iter()
        .map(|k| lower(&k.key))
        .chain(m.global_keys.iter().map(|g| lower(&g.key)))
        .collect();
    m.undocumented_keys = previous
        .undocumented_keys
        .iter()
        .filter(|k| !keys.contains(&lower(&k.key)))
        .cloned()
        .collect();
}

fn add_npm_service(m: &mut Model, prefix: &str, service: &NpmService) -> Result<()> {
    for a in &service.actions {
        m.actions.push(npm_action(prefix, service, a)?);
    }
    for k in &service.condition_keys {
        m.condition_keys.push(condition_key(prefix, &k.key, &k.ty));
    }
    for r in &service.resource_types {
        m.resource_types
            .push(resource_type(prefix, &r.key, &r.arn, &r.condition_keys));
    }
    Ok(())
}

/// A resource type of `prefix`, its keys sorted.
fn resource_type(prefix: &str, name: &str, arn: &str, keys: &[String]) -> ResourceType {
    ResourceType {
        prefix: prefix.to_string(),
        name: name.to_string(),
        arn: arn.to_string(),
        condition_keys: sort_dedup_keys(keys.to_vec()),
    }
}

fn condition_key(prefix: &str, key: &str, ty: &str) -> ConditionKey {
    ConditionKey {
        prefix: prefix.to_string(),
        key: key.to_string(),
        ty: ty.to_string(),
    }
}

/// An action as iam-data describes it: the keys and dependent actions of its resource types
/// are the action's too, and resource types are named as the service defines them.
fn npm_action(prefix: &str, service: &NpmService, a: &NpmAction) -> Result<Action> {
    let mut keys = a.condition_keys.clone();
    let mut dependent = a.dependent_actions.clone();
    let mut rts = Vec::new();
    for r in a.resource_types.iter().filter(|r| !r.name.is_empty()) {
        keys.extend(r.condition_keys.iter().cloned());
        dependent.extend(r.dependent_actions.iter().cloned());
        let name = service
            .resource_types
            .iter()
            .find(|defined| defined.key.eq_ignore_ascii_case(&r.name))
            .map_or_else(|| r.name.clone(), |defined| defined.key.clone());
        rts.push((name, r.required));
    }
    let mut seen = HashSet::new();
    dependent.retain(|d| seen.insert(lower(d)));
    Ok(Action {
        prefix: prefix.to_string(),
        name: a.name.clone(),
        level: normalize_level(&a.access_level).map_err(|e| format!("{prefix}:{}: {e}", a.name))?,
        resource_types: rts,
        condition_keys: sort_dedup_keys(keys),
        dependent_actions: dependent,
    })
}

/// The curated files win for support/trustedadvisor; report where the npm data differs, and
/// add actions only the (newer) npm data has, so a refresh never hides a new action.
fn compare_with_npm(
    prefix: &str,
    curated: &SharedService,
    npm: Option<&NpmService>,
    m: &mut Model,
) -> Result<()> {
    let Some(npm) = npm else {
        eprintln!("warning: iam-data has no `{prefix}` service");
        return Ok(());
    };
    let ours: HashMap<String, &SharedAction> = curated
        .actions
        .iter()
        .map(|a| (lower(&a.name), a))
        .collect();
    for a in &npm.actions {
        match ours.get(&lower(&a.name)) {
            None => {
                eprintln!(
                    "warning: {prefix}:{} is new in iam-data; added without a curated record",
                    a.name
                );
                m.actions.push(npm_action(prefix, npm, a)?);
            }
            Some(c) => {
                let level = normalize_level(&a.access_level)?;
                if level != normalize_level(&c.access_level)? {
                    eprintln!(
                        "note: {prefix}:{}: iam-data says {level}, curated data {} (kept)",
                        a.name, c.access_level
                    );
                }
            }
        }
    }
    let theirs: HashSet<String> = npm.actions.iter().map(|a| lower(&a.name)).collect();
    for a in &curated.actions {
        if !theirs.contains(&lower(&a.name)) {
            eprintln!(
                "note: {prefix}:{} is in the curated data but not in iam-data (kept)",
                a.name
            );
        }
    }
    Ok(())
}

fn sort_model(m: &mut Model) {
    for note in m.close_service_tables() {
        eprintln!("note: {note}");
    }
    m.global_keys.sort_by_key(|k| lower(&k.key));
    m.details
        .sort_by_key(|d| (lower(&d.prefix), lower(&d.name)));
    m.removed
        .sort_by_key(|r| (lower(&r.prefix), lower(&r.name)));
    m.removed_services.sort_by_key(|r| lower(&r.prefix));
    m.undocumented_actions
        .sort_by_key(|u| (lower(&u.prefix), lower(&u.name)));
    m.undocumented_keys.sort_by_key(|k| lower(&k.key));
}

/// `Tagging, Write` → `Tagging`: the programmatic SAR data also flags Tagging and
/// Permissions-management actions as Write; keep the SAR table's level.
pub(super) fn normalize_level(level: &str) -> Result<String> {
    let parts: Vec<&str> = level.split(',').map(str::trim).collect();
    let chosen = parts
        .iter()
        .find(|p| **p != "Write")
        .or(parts.first())
        .copied()
        .unwrap_or("");
    if LEVELS.contains(&chosen) {
        Ok(chosen.to_string())
    } else {
        Err(format!("unknown access level `{level}`"))
    }
}

fn sort_dedup_keys(keys: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out: Vec<String> = keys.into_iter().filter(|k| seen.insert(lower(k))).collect();
    out.sort_by_key(|k| lower(k));
    out
}
