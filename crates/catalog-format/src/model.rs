//! The catalogue as plain values: exactly what `data/*.tsv` holds, one type per file.

use std::path::Path;

use crate::Result;
use crate::table;
use crate::tsv::{Table, read_table, write_table};

table! {
    /// One `key`/`value` line of `catalog-info.tsv` (see [`Info`]).
    InfoEntry in "catalog-info.tsv", "Catalogue version and the dates of its sources." {
        key: String = "key" as Plain,
        value: String = "value" as Plain,
    }
}

table! {
    Service in "services.tsv", "Every service prefix, with the service's name." {
        prefix: String = "prefix" as Plain,
        /// Empty when unknown.
        name: String = "name" as Plain,
    }
}

table! {
    Action in "actions.tsv",
        "Every action of every service. access_level follows the SAR tables.\n\
         resource_types: comma-separated, `*` marks a required one. condition_keys: keys the\n\
         action supports (action-level and per-resource-type keys together)." {
        prefix: String = "prefix" as Plain,
        name: String = "action" as Plain,
        /// One of [`LEVELS`].
        level: String = "access_level" as Plain,
        /// Name, and whether the SAR marks it required.
        resource_types: Vec<(String, bool)> = "resource_types" as ResourceRefs,
        condition_keys: Vec<String> = "condition_keys" as Ids,
        /// Full names.
        dependent_actions: Vec<String> = "dependent_actions" as Ids,
    }
}

table! {
    ResourceType in "resource-types.tsv",
        "Resource types per service, with ARN template and condition keys." {
        prefix: String = "prefix" as Plain,
        name: String = "resource_type" as Plain,
        /// Empty when unknown.
        arn: String = "arn" as Plain,
        condition_keys: Vec<String> = "condition_keys" as Ids,
    }
}

table! {
    ConditionKey in "condition-keys.tsv",
        "Condition keys per service, with SAR type (ArrayOf... = multivalued).\n\
         ${Name} and <name> parts are placeholders for any non-empty text." {
        prefix: String = "prefix" as Plain,
        key: String = "key" as Plain,
        /// One of [`KEY_TYPES`], with `ArrayOf` in front when multivalued.
        ty: String = "type" as Plain,
    }
}

table! {
    GlobalKey in "global-condition-keys.tsv",
        "Global condition keys. Descriptions are our own words." {
        key: String = "key" as Plain,
        ty: String = "type" as Plain,
        multivalued: bool = "multivalued" as YesNo,
        also_accepts: Vec<String> = "also_accepts" as Ids,
        /// One of [`KEY_CATEGORIES`].
        category: String = "category" as Plain,
        legacy: bool = "legacy" as YesNo,
        sensitive: bool = "sensitive" as YesNo,
        description: String = "description" as Plain,
    }
}

table! {
    Operator in "condition-operators.tsv",
        "Base condition operators. if_exists: whether an ...IfExists variant exists.\n\
         Descriptions are our own words." {
        name: String = "operator" as Plain,
        /// One of [`OPERATOR_FAMILIES`].
        family: String = "family" as Plain,
        negated: bool = "negated" as YesNo,
        if_exists: bool = "if_exists" as YesNo,
        description: String = "description" as Plain,
    }
}

table! {
    Detail in "detailed-actions.tsv",
        "Detailed records of the support, trustedadvisor and support-console actions.\n\
         Access level, resource types and condition keys are in actions.tsv." {
        prefix: String = "prefix" as Plain,
        name: String = "action" as Plain,
        console_only: bool = "console_only" as YesNo,
        permission_only: bool = "permission_only" as YesNo,
        internally_managed: bool = "internally_managed" as YesNo,
        api_operations: Vec<String> = "api_operations" as Ids,
        first_seen: String = "first_seen" as Plain,
        reference_url: String = "reference_url" as Plain,
        api_reference_url: String = "api_reference_url" as Plain,
        description: String = "description" as Plain,
        notes: Vec<String> = "notes" as Texts,
    }
}

table! {
    Removed in "removed-actions.tsv",
        "Actions that AWS removed. removed: the date, or `after <date>` when only the last\n\
         snapshot that still had the action is known (last_seen). successor: a service prefix;\n\
         replacement: an existing action of that service with the same name." {
        prefix: String = "prefix" as Plain,
        name: String = "action" as Plain,
        level: String = "access_level" as Plain,
        removed: String = "removed" as Plain,
        last_seen: String = "last_seen" as Plain,
        successor: String = "successor" as Plain,
        replacement: String = "replacement" as Plain,
        note: String = "note" as Plain,
    }
}

table! {
    RemovedService in "removed-services.tsv",
        "Services that AWS retired: their prefix left the Service Authorization Reference.\n\
         removed: `after <date>`, the last snapshot that still had the service (last_seen),\n\
         or a date. successor: a service prefix that took over, when known." {
        prefix: String = "prefix" as Plain,
        /// Empty when unknown.
        name: String = "name" as Plain,
        removed: String = "removed" as Plain,
        last_seen: String = "last_seen" as Plain,
        successor: String = "successor" as Plain,
        note: String = "note" as Plain,
    }
}

table! {
    UndocumentedAction in "undocumented-actions.tsv",
        "Actions (or wildcards, as written) that AWS managed policies name but the Service\n\
         Authorization Reference does not list. policy: one managed policy that names it;\n\
         version: the policy version; current: whether that is the policy's default version." {
        prefix: String = "prefix" as Plain,
        name: String = "action" as Plain,
        policy: String = "policy" as Plain,
        version: String = "version" as Plain,
        current: bool = "current" as YesNo,
    }
}

table! {
    UndocumentedKey in "undocumented-condition-keys.tsv",
        "Condition keys that AWS managed policies use but neither the global-key list nor\n\
         any service documents. policy, version, current: as in undocumented-actions.tsv;\n\
         note: what we found about the key (data/curated/undocumented-key-notes.tsv)." {
        key: String = "key" as Plain,
        policy: String = "policy" as Plain,
        version: String = "version" as Plain,
        current: bool = "current" as YesNo,
        note: String = "note" as Plain,
    }
}

table! {
    LearnedResourceType in "learned-resource-types.tsv",
        "Resource types that AWS managed policies give an action although the Service\n\
         Authorization Reference does not list them for it: an Allow statement of a policy's\n\
         default version names the action without wildcards (with at most three others), none\n\
         of its ARNs is of a type the reference lists for any of them, and one ARN is of this\n\
         type alone (resource_prefix:resource_type, often another service's; types whose ARN\n\
         templates read alike count as one). policy, version: the first such policy by name.\n\
         resource-type-mismatch accepts these types for the action." {
        prefix: String = "prefix" as Plain,
        name: String = "action" as Plain,
        resource_prefix: String = "resource_prefix" as Plain,
        resource_type: String = "resource_type" as Plain,
        policy: String = "policy" as Plain,
        version: String = "version" as Plain,
    }
}

table! {
    Workflow in "workflows.tsv", "Support Center / Trusted Advisor workflows." {
        id: String = "workflow" as Plain,
        /// One of [`CHANNELS`].
        channel: String = "channel" as Plain,
        namespace: String = "namespace" as Plain,
        title: String = "title" as Plain,
        phrase: String = "phrase" as Plain,
        notes: Vec<String> = "notes" as Texts,
    }
}

table! {
    WorkflowAction in "workflow-actions.tsv",
        "The actions each workflow needs: documented or inferred." {
        workflow: String = "workflow" as Plain,
        action: String = "action" as Plain,
        /// One of [`EVIDENCE`].
        status: String = "status" as Plain,
        basis: String = "basis" as Plain,
    }
}

table! {
    FactAction in "support-center-facts.tsv",
        "Documented Support Center facts that name actions." {
        fact: String = "fact" as Plain,
        source: String = "source" as Plain,
        action: String = "action" as Plain,
    }
}

table! {
    ApiOperation in "api-operations.tsv",
        "Support API / Trusted Advisor API operations and the IAM actions each authorizes." {
        api: String = "api" as Plain,
        operation: String = "operation" as Plain,
        in_sdk_snapshot: bool = "in_sdk_snapshot" as YesNo,
        authorizes: Vec<String> = "authorizes" as Ids,
    }
}

/// Where the data comes from (`catalog-info.tsv`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Info {
    /// One line for `--version` and hovers.
    pub data_version: String,
    pub iam_data_version: String,
    pub iam_data_updated: String,
    pub sar_as_of: String,
    pub shared_snapshot: String,
    /// Further `key`/`value` lines, in their order (a cached catalogue's source and date).
    pub extra: Vec<InfoEntry>,
}

impl Info {
    const KEYS: [&'static str; 5] = [
        "data_version",
        "iam_data_version",
        "iam_data_updated",
        "sar_as_of",
        "shared_snapshot",
    ];

    fn values(&self) -> [&String; 5] {
        [
            &self.data_version,
            &self.iam_data_version,
            &self.iam_data_updated,
            &self.sar_as_of,
            &self.shared_snapshot,
        ]
    }

    /// The `key`/`value` lines, in the file's order.
    pub fn entries(&self) -> Vec<InfoEntry> {
        Self::KEYS
            .iter()
            .zip(self.values())
            .map(|(key, value)| InfoEntry {
                key: key.to_string(),
                value: value.clone(),
            })
            .chain(self.extra.iter().cloned())
            .collect()
    }

    pub fn from_entries(entries: &[InfoEntry]) -> Result<Info> {
        let field = |key: &str| {
            entries
                .iter()
                .find(|e| e.key == key)
                .map(|e| e.value.clone())
                .ok_or_else(|| format!("{}: no `{key}`", InfoEntry::FILE))
        };
        Ok(Info {
            data_version: field("data_version")?,
            iam_data_version: field("iam_data_version")?,
            iam_data_updated: field("iam_data_updated")?,
            sar_as_of: field("sar_as_of")?,
            shared_snapshot: field("shared_snapshot")?,
            extra: entries
                .iter()
                .filter(|e| !Self::KEYS.contains(&e.key.as_str()))
                .cloned()
                .collect(),
        })
    }
}

/// Every table of `data/`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub info: Info,
    pub services: Vec<Service>,
    pub actions: Vec<Action>,
    pub resource_types: Vec<ResourceType>,
    pub condition_keys: Vec<ConditionKey>,
    pub global_keys: Vec<GlobalKey>,
    pub operators: Vec<Operator>,
    pub details: Vec<Detail>,
    pub removed: Vec<Removed>,
    pub removed_services: Vec<RemovedService>,
    pub undocumented_actions: Vec<UndocumentedAction>,
    pub undocumented_keys: Vec<UndocumentedKey>,
    pub learned_resource_types: Vec<LearnedResourceType>,
    pub workflows: Vec<Workflow>,
    pub workflow_actions: Vec<WorkflowAction>,
    pub facts: Vec<FactAction>,
    pub api_operations: Vec<ApiOperation>,
}

/// The files of `data/`, in the order [`Model::to_files`] writes them.
pub const FILES: [&str; 17] = [
    InfoEntry::FILE,
    Service::FILE,
    Action::FILE,
    ResourceType::FILE,
    ConditionKey::FILE,
    GlobalKey::FILE,
    Operator::FILE,
    Detail::FILE,
    Removed::FILE,
    RemovedService::FILE,
    UndocumentedAction::FILE,
    UndocumentedKey::FILE,
    LearnedResourceType::FILE,
    Workflow::FILE,
    WorkflowAction::FILE,
    FactAction::FILE,
    ApiOperation::FILE,
];

/// The access levels as the SAR tables write them; a level's image code is its position.
pub const LEVELS: [&str; 5] = ["List", "Read", "Write", "Permissions management", "Tagging"];

/// Condition-key types as the programmatic SAR writes them (an `ArrayOf` prefix =
/// multivalued); a type's image code is its position.
pub const KEY_TYPES: [&str; 7] = [
    "String",
    "ARN",
    "Bool",
    "Numeric",
    "Date",
    "IPAddress",
    "Binary",
];

pub const OPERATOR_FAMILIES: [&str; 8] = [
    "String",
    "Numeric",
    "Date",
    "Bool",
    "Binary",
    "IpAddress",
    "Arn",
    "Null",
];

pub const KEY_CATEGORIES: [&str; 5] = ["principal", "session", "network", "resource", "request"];
pub const CHANNELS: [&str; 4] = ["console", "api", "console+api", "internal"];
pub const EVIDENCE: [&str; 2] = ["documented", "inferred"];

/// The namespaces with detailed records.
pub const DETAILED: [&str; 3] = ["support", "support-console", "trustedadvisor"];

/// `ArrayOfString` → (`String`, multivalued).
pub fn split_base_type(ty: &str) -> (&str, bool) {
    match ty.strip_prefix("ArrayOf") {
        Some(base) => (base, true),
        None => (ty, false),
    }
}

/// Whether a key name has a placeholder (`${TagKey}`, `<key>`).
pub fn is_template(key: &str) -> bool {
    key.contains("${") || key.contains('<')
}

fn file<T: Table>(records: &[T]) -> Result<(String, String)> {
    Ok((T::FILE.to_string(), write_table(records)?))
}

fn records<T: Table>(files: &[(String, String)]) -> Result<Vec<T>> {
    let (_, text) = files
        .iter()
        .find(|(name, _)| name == T::FILE)
        .ok_or_else(|| format!("missing {}", T::FILE))?;
    read_table(text)
}

impl Model {
    /// Reads `data/*.tsv`.
    pub fn read(data_dir: &Path) -> Result<Model> {
        let mut files = Vec::new();
        for name in FILES {
            let path = data_dir.join(name);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("reading {}: {e}", path.display()))?;
            files.push((name.to_string(), text));
        }
        Model::from_files(&files)
    }

    /// The model of the files' texts (name, text).
    pub fn from_files(files: &[(String, String)]) -> Result<Model> {
        Ok(Model {
            info: Info::from_entries(&records(files)?)?,
            services: records(files)?,
            actions: records(files)?,
            resource_types: records(files)?,
            condition_keys: records(files)?,
            global_keys: records(files)?,
            operators: records(files)?,
            details: records(files)?,
            removed: records(files)?,
            removed_services: records(files)?,
            undocumented_actions: records(files)?,
            undocumented_keys: records(files)?,
            learned_resource_types: records(files)?,
            workflows: records(files)?,
            workflow_actions: records(files)?,
            facts: records(files)?,
            api_operations: records(files)?,
        })
    }

    /// The files' names and texts, in [`FILES`] order.
    pub fn to_files(&self) -> Result<Vec<(String, String)>> {
        Ok(vec![
            file(&self.info.entries())?,
            file(&self.services)?,
            file(&self.actions)?,
            file(&self.resource_types)?,
            file(&self.condition_keys)?,
            file(&self.global_keys)?,
            file(&self.operators)?,
            file(&self.details)?,
            file(&self.removed)?,
            file(&self.removed_services)?,
            file(&self.undocumented_actions)?,
            file(&self.undocumented_keys)?,
            file(&self.learned_resource_types)?,
            file(&self.workflows)?,
            file(&self.workflow_actions)?,
            file(&self.facts)?,
            file(&self.api_operations)?,
        ])
    }
}
