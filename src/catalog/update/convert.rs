//! AWS's service reference JSON (one file per service) as rows of the catalogue's model.
//!
//! The format (AWS page "Simplified AWS service information for programmatic access"):
//! `{"Name": "s3", "Actions": [{"Name", "ActionConditionKeys", "Annotations": {"Properties":
//! {"IsList", "IsWrite", "IsPermissionManagement", "IsTaggingOnly"}}, "Resources": [{"Name"}]}],
//! "Resources": [{"Name", "ARNFormats", "ConditionKeys"}], "ConditionKeys": [{"Name",
//! "Types"}]}`. Fields this program does not use (operations, SDK methods, …) are ignored,
//! and absent or null lists are empty.

use catalog_format::{Action, ConditionKey, ResourceType};
use serde::Deserialize;

/// One service's rows.
pub(crate) struct ServiceRows {
    pub(crate) actions: Vec<Action>,
    pub(crate) resource_types: Vec<ResourceType>,
    pub(crate) condition_keys: Vec<ConditionKey>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ServiceFile {
    /// Required: a file without it (`{}`, `[]`, an error page in JSON) is not a service's.
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    actions: Option<Vec<ActionEntry>>,
    #[serde(default)]
    resources: Option<Vec<ResourceEntry>>,
    #[serde(default)]
    condition_keys: Option<Vec<KeyEntry>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ActionEntry {
    name: String,
    #[serde(default)]
    action_condition_keys: Option<Vec<String>>,
    #[serde(default)]
    annotations: Option<Annotations>,
    #[serde(default)]
    resources: Option<Vec<NamedEntry>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Annotations {
    #[serde(default)]
    properties: Option<Properties>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Properties {
    #[serde(default)]
    is_list: bool,
    #[serde(default)]
    is_write: bool,
    #[serde(default)]
    is_permission_management: bool,
    #[serde(default)]
    is_tagging_only: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NamedEntry {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResourceEntry {
    name: String,
    #[serde(default, rename = "ARNFormats")]
    arn_formats: Option<Vec<String>>,
    #[serde(default)]
    condition_keys: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeyEntry {
    name: String,
    #[serde(default)]
    types: Option<Vec<String>>,
}

/// The service list: `[{"service": "s3", "url": "…"}]`.
#[derive(Deserialize)]
struct ListEntry {
    service: String,
}

/// The service prefixes `service-list.json` names, checked to be names (so that no entry
/// can point outside the source).
pub(crate) fn service_list(bytes: &[u8]) -> Result<Vec<String>, String> {
    let entries: Vec<ListEntry> =
        serde_json::from_slice(bytes).map_err(|e| format!("not a service list: {e}"))?;
    if entries.is_empty() {
        return Err("the service list is empty".into());
    }
    let mut services = Vec::with_capacity(entries.len());
    for entry in entries {
        let name = entry.service;
        let plain = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !plain {
            return Err(format!("the service list names an odd service {name:?}"));
        }
        services.push(name);
    }
    services.sort_by_key(|s| s.to_ascii_lowercase());
    services.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    Ok(services)
}

/// The rows of the service `prefix` from its file.
pub(crate) fn service_rows(prefix: &str, bytes: &[u8]) -> Result<ServiceRows, String> {
    let file: ServiceFile =
        serde_json::from_slice(bytes).map_err(|e| format!("not a service reference file: {e}"))?;
    let actions = file
        .actions
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            let properties = a.annotations.and_then(|n| n.properties).unwrap_or_default();
            Action {
                prefix: prefix.to_string(),
                name: a.name,
                level: access_level(&properties).to_string(),
                resource_types: a
                    .resources
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| (r.name, false))
                    .collect(),
                condition_keys: dedup(a.action_condition_keys.unwrap_or_default()),
                dependent_actions: Vec::new(),
            }
        })
        .collect();
    let resource_types = file
        .resources
        .unwrap_or_default()
        .into_iter()
        .map(|r| ResourceType {
            prefix: prefix.to_string(),
            name: r.name,
            arn: r
                .arn_formats
                .unwrap_or_default()
                .into_iter()
                .next()
                .unwrap_or_default(),
            condition_keys: dedup(r.condition_keys.unwrap_or_default()),
        })
        .collect();
    let condition_keys = file
        .condition_keys
        .unwrap_or_default()
        .into_iter()
        .map(|k| ConditionKey {
            prefix: prefix.to_string(),
            ty: key_type(
                k.types
                    .as_deref()
                    .and_then(|t| t.first())
                    .map_or("", String::as_str),
            ),
            key: k.name,
        })
        .collect();
    Ok(ServiceRows {
        actions,
        resource_types,
        condition_keys,
    })
}

/// The access level the reference's tables show: the annotation flags, most specific first
/// (a tagging or permissions-management action is also flagged as a write).
fn access_level(p: &Properties) -> &'static str {
    if p.is_permission_management {
        "Permissions management"
    } else if p.is_tagging_only {
        "Tagging"
    } else if p.is_write {
        "Write"
    } else if p.is_list {
        "List"
    } else {
        "Read"
    }
}

/// A condition key's type as the catalogue writes it (`ArrayOf` = multivalued); a type this
/// program does not know is taken as a string.
fn key_type(ty: &str) -> String {
    let (array, base) = match ty.strip_prefix("ArrayOf") {
        Some(base) => ("ArrayOf", base),
        None => ("", ty),
    };
    let base = match base.to_ascii_lowercase().as_str() {
        "arn" => "ARN",
        "bool" | "boolean" => "Bool",
        "numeric" | "number" | "long" | "integer" => "Numeric",
        "date" => "Date",
        "ipaddress" => "IPAddress",
        "binary" => "Binary",
        _ => "String",
    };
    format!("{array}{base}")
}

fn dedup(mut names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_ascii_lowercase()));
    names.sort_by_key(|n| n.to_ascii_lowercase());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_file() {
        let rows = service_rows(
            "s3",
            br#"{"Name": "s3", "Version": "v1.3",
                "Actions": [
                  {"Name": "GetObject", "ActionConditionKeys": ["s3:authType", "aws:ResourceTag/${TagKey}", "s3:authType"],
                   "Annotations": {"Properties": {"IsList": false, "IsWrite": false, "IsPermissionManagement": false, "IsTaggingOnly": false}},
                   "Resources": [{"Name": "object"}], "SupportedBy": {"IAM Action Last Accessed": true}},
                  {"Name": "PutObjectTagging", "Annotations": {"Properties": {"IsWrite": true, "IsTaggingOnly": true}}},
                  {"Name": "PutBucketPolicy", "Annotations": {"Properties": {"IsWrite": true, "IsPermissionManagement": true}}},
                  {"Name": "ListBucket", "Annotations": {"Properties": {"IsList": true}}, "Resources": null},
                  {"Name": "PutObject", "Annotations": {"Properties": {"IsWrite": true}}}
                ],
                "Resources": [{"Name": "object", "ARNFormats": ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]}],
                "ConditionKeys": [{"Name": "s3:authType", "Types": ["String"]}, {"Name": "s3:x", "Types": ["ArrayOfBoolean"]}, {"Name": "s3:y"}],
                "Operations": [{"Name": "GetObject"}]}"#,
        )
        .expect("a valid file");
        let levels: Vec<(&str, &str)> = rows
            .actions
            .iter()
            .map(|a| (a.name.as_str(), a.level.as_str()))
            .collect();
        assert_eq!(
            levels,
            [
                ("GetObject", "Read"),
                ("PutObjectTagging", "Tagging"),
                ("PutBucketPolicy", "Permissions management"),
                ("ListBucket", "List"),
                ("PutObject", "Write")
            ]
        );
        assert_eq!(
            rows.actions[0].condition_keys,
            ["aws:ResourceTag/${TagKey}", "s3:authType"]
        );
        assert_eq!(
            rows.actions[0].resource_types,
            [("object".to_string(), false)]
        );
        assert_eq!(
            rows.resource_types[0].arn,
            "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
        );
        let types: Vec<&str> = rows.condition_keys.iter().map(|k| k.ty.as_str()).collect();
        assert_eq!(types, ["String", "ArrayOfBool", "String"]);
    }

    #[test]
    fn bad_files_say_why() {
        assert!(service_rows("s3", b"{\"Name\": \"s3\", \"Actions\": [").is_err());
        assert!(service_rows("s3", b"[]").is_err());
        assert!(service_list(b"[]").is_err());
        assert!(service_list(br#"[{"service": "../etc"}]"#).is_err());
        assert_eq!(
            service_list(br#"[{"service": "s3", "url": "x"}, {"service": "ec2"}]"#),
            Ok(vec!["ec2".to_string(), "s3".to_string()])
        );
    }
}
