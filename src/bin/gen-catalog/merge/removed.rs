//! The removed actions and services: from the curated data, from earlier runs, and from what
//! the snapshots and earlier iam-data versions had that the new data lacks; with the
//! successors we know of.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use catalog_format::{Model, Removed, RemovedService, Result, lower};

use super::normalize_level;
use crate::sources::curated::read_curated;
use crate::sources::history::History;
use crate::sources::npm::NpmData;
use crate::sources::shared::{SharedService, Snapshot, WorkflowsFile};

/// What earlier data had: the shared snapshot, the previous `data/`, earlier iam-data
/// versions.
pub(super) struct Earlier<'a> {
    pub(super) snapshot: &'a Snapshot,
    pub(super) previous: Option<&'a Model>,
    pub(super) history: Option<&'a History>,
}

pub(super) fn add_removed(
    m: &mut Model,
    trustedadvisor: &SharedService,
    workflows: &WorkflowsFile,
    earlier_data: &Earlier,
    npm: Option<&NpmData>,
    root: &Path,
) -> Result<()> {
    let Earlier {
        snapshot,
        previous,
        history,
    } = *earlier_data;
    let mut removed: Vec<Removed> = Vec::new();
    for a in &trustedadvisor.removed_actions {
        removed.push(Removed {
            prefix: "trustedadvisor".into(),
            name: a.name.clone(),
            level: normalize_level(&a.access_level)?,
            removed: a.removed.clone().unwrap_or_default(),
            last_seen: String::new(),
            successor: String::new(),
            replacement: String::new(),
            note: a.summary.clone(),
        });
    }
    for (prefix, ns) in &workflows.related_namespaces {
        let Some(status) = &ns.status else { continue };
        if !status.starts_with("removed") {
            continue;
        }
        // "removed from SAR in 2025 (...)" → "2025"
        let year: String = status
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| s.len() == 4)
            .unwrap_or_default()
            .to_string();
        for (name, level) in &ns.actions {
            removed.push(Removed {
                prefix: prefix.clone(),
                name: name.clone(),
                level: normalize_level(level)?,
                removed: year.clone(),
                last_seen: String::new(),
                successor: String::new(),
                replacement: String::new(),
                note: ns
                    .note
                    .clone()
                    .unwrap_or_else(|| format!("Listed in {}", ns.source)),
            });
        }
    }
    // Earlier findings stay. The first record of an action wins: shared/curated facts, then what
    // an earlier run recorded (so notes do not churn), then what this run detects.
    if let Some(prev) = previous {
        removed.extend(prev.removed.iter().cloned());
    }
    // Anything earlier snapshots had and the new data lacks. Only meaningful against iam-data.
    if let Some(npm) = npm {
        // Only snapshots older than the package count: going back to an older package
        // (--allow-older) must not turn newer actions into "removed" ones.
        let mut earlier: Vec<(String, String, String, String)> = Vec::new();
        if snapshot.date <= npm.updated {
            earlier.extend(
                snapshot
                    .rows
                    .iter()
                    .map(|(p, n, l)| (p.clone(), n.clone(), l.clone(), snapshot.date.clone())),
            );
        }
        if let Some(prev) = previous {
            if !prev.info.iam_data_updated.is_empty() && prev.info.iam_data_updated <= npm.updated {
                for a in &prev.actions {
                    earlier.push((
                        a.prefix.clone(),
                        a.name.clone(),
                        a.level.clone(),
                        prev.info.iam_data_updated.clone(),
                    ));
                }
            }
        }
        for version in history
            .iter()
            .flat_map(|h| &h.versions)
            .filter(|v| v.date <= npm.updated)
        {
            for (prefix, name, level) in version.actions.values() {
                earlier.push((
                    prefix.clone(),
                    name.clone(),
                    level.clone(),
                    version.date.clone(),
                ));
            }
        }
        let current: HashSet<String> = m
            .actions
            .iter()
            .map(|a| format!("{}:{}", lower(&a.prefix), lower(&a.name)))
            .collect();
        // Actions of a service that is gone are not listed one by one: the service is
        // (removed-services.tsv).
        let services: HashSet<String> = m.services.iter().map(|s| lower(&s.prefix)).collect();
        // Latest sighting per action.
        let mut latest: BTreeMap<String, (String, String, String, String)> = BTreeMap::new();
        for row in earlier {
            let key = format!("{}:{}", lower(&row.0), lower(&row.1));
            if current.contains(&key) || !services.contains(&lower(&row.0)) {
                continue;
            }
            match latest.get(&key) {
                Some(existing) if existing.3 >= row.3 => {}
                _ => {
                    latest.insert(key, row);
                }
            }
        }
        for (prefix, name, level, seen) in latest.into_values() {
            removed.push(Removed {
                prefix,
                name,
                level: normalize_level(&level)?,
                removed: format!("after {seen}"),
                last_seen: seen,
                successor: String::new(),
                replacement: String::new(),
                note: format!("Absent from iam-data {} ({}).", npm.version, npm.updated),
            });
        }
    }
    let mut seen = HashSet::new();
    removed.retain(|r| seen.insert(format!("{}:{}", lower(&r.prefix), lower(&r.name))));
    let current: HashSet<String> = m
        .actions
        .iter()
        .map(|a| format!("{}:{}", lower(&a.prefix), lower(&a.name)))
        .collect();
    removed.retain(|r| !current.contains(&format!("{}:{}", lower(&r.prefix), lower(&r.name))));

    // Successors we know of.
    let successors = read_curated(
        root,
        "removed-action-successors.tsv",
        &["action", "successor", "basis"],
    )?;
    for row in successors {
        let Some((prefix, name)) = row[0].split_once(':') else {
            return Err(format!(
                "removed-action-successors.tsv: `{}` is not prefix:name",
                row[0]
            ));
        };
        let Some(r) = removed
            .iter_mut()
            .find(|r| r.prefix == prefix && r.name == name)
        else {
            eprintln!(
                "note: removed-action-successors.tsv: {} is not a removed action",
                row[0]
            );
            continue;
        };
        r.successor = row[1].clone();
        r.replacement = m
            .actions
            .iter()
            .find(|a| a.prefix == row[1] && lower(&a.name) == lower(name))
            .map(|a| format!("{}:{}", a.prefix, a.name))
            .unwrap_or_default();
        if !r.note.contains(&row[2]) {
            r.note = if r.note.is_empty() {
                row[2].clone()
            } else {
                format!("{} {}", r.note, row[2])
            };
        }
    }
    m.removed = removed;
    Ok(())
}

/// The services earlier data had and the new data lacks, each with the date of the last
/// data that still had it; earlier records are kept, and a service that comes back leaves
/// the list.
pub(super) fn add_removed_services(m: &mut Model, earlier: &Earlier, npm: Option<&NpmData>) {
    let mut removed: Vec<RemovedService> = earlier
        .previous
        .map(|p| p.removed_services.clone())
        .unwrap_or_default();
    if let Some(npm) = npm {
        // (prefix, name, date) of every sighting older than the package.
        let mut seen: Vec<(String, String, String)> = Vec::new();
        let snapshot = earlier.snapshot;
        if snapshot.date <= npm.updated {
            for (prefix, _, _) in &snapshot.rows {
                seen.push((prefix.clone(), String::new(), snapshot.date.clone()));
            }
        }
        if let Some(prev) = earlier.previous {
            if !prev.info.iam_data_updated.is_empty() && prev.info.iam_data_updated <= npm.updated {
                for s in &prev.services {
                    seen.push((
                        s.prefix.clone(),
                        s.name.clone(),
                        prev.info.iam_data_updated.clone(),
                    ));
                }
            }
        }
        for version in earlier
            .history
            .iter()
            .flat_map(|h| &h.versions)
            .filter(|v| v.date <= npm.updated)
        {
            for (prefix, name) in version.services.values() {
                seen.push((prefix.clone(), name.clone(), version.date.clone()));
            }
        }
        let mut latest: BTreeMap<String, (String, String, String)> = BTreeMap::new();
        for (prefix, name, date) in seen {
            let entry = latest
                .entry(lower(&prefix))
                .or_insert_with(|| (prefix.clone(), name.clone(), date.clone()));
            if date > entry.2 {
                entry.2 = date;
            }
            if entry.1.is_empty() {
                entry.1 = name;
            }
        }
        for (prefix, name, date) in latest.into_values() {
            removed.push(RemovedService {
                prefix,
                name,
                removed: format!("after {date}"),
                last_seen: date,
                successor: String::new(),
                note: format!("Absent from iam-data {} ({}).", npm.version, npm.updated),
            });
        }
    }
    let current: HashSet<String> = m.services.iter().map(|s| lower(&s.prefix)).collect();
    let mut seen = HashSet::new();
    removed.retain(|r| !current.contains(&lower(&r.prefix)) && seen.insert(lower(&r.prefix)));
    m.removed_services = removed;
}
