//! What a run changed, and what the catalogue now holds (on stderr).

use std::collections::BTreeSet;

use catalog_format::Model;

pub(crate) fn changes(previous: &Model, new: &Model) {
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

pub(crate) fn summary(m: &Model) {
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
