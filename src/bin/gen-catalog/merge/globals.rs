//! The global condition keys and the condition operators.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use catalog_format::{GlobalKey, Model, Operator, Result, lower};

use crate::sources::curated::curated_map;
use crate::sources::shared::GlobalKeysFile;

pub(super) fn add_globals(m: &mut Model, globals: &GlobalKeysFile, root: &Path) -> Result<()> {
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
