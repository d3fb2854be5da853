//! Closing the service tables: definitions that an action or resource type names but its
//! service lacks are added (AWS's data has such gaps), and every table is sorted and
//! deduplicated as the image needs. Used by gen-catalog and by the catalogue fetched at run
//! time alike.

use std::collections::{HashMap, HashSet};

use crate::lower;
use crate::model::*;

impl Model {
    /// Adds stub definitions of the condition keys and resource types that actions and
    /// resource types name but their service does not define (a key takes its global key's
    /// type when it is one, else `String`; a resource type has no ARN), then sorts and
    /// deduplicates the service tables. Returns one note per definition added.
    pub fn close_service_tables(&mut self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut keys: HashSet<(String, String)> = self
            .condition_keys
            .iter()
            .map(|k| (lower(&k.prefix), lower(&k.key)))
            .collect();
        let global_types: HashMap<String, String> = self
            .global_keys
            .iter()
            .map(|g| {
                let ty = if g.multivalued {
                    format!("ArrayOf{}", g.ty)
                } else {
                    g.ty.clone()
                };
                (lower(&g.key), ty)
            })
            .collect();
        let mut rts: HashSet<(String, String)> = self
            .resource_types
            .iter()
            .map(|r| (lower(&r.prefix), lower(&r.name)))
            .collect();
        let mut new_keys = Vec::new();
        let wanted_keys = self
            .actions
            .iter()
            .flat_map(|a| a.condition_keys.iter().map(move |k| (&a.prefix, k)))
            .chain(
                self.resource_types
                    .iter()
                    .flat_map(|r| r.condition_keys.iter().map(move |k| (&r.prefix, k))),
            );
        for (prefix, key) in wanted_keys {
            if keys.insert((lower(prefix), lower(key))) {
                let ty = global_types
                    .get(&lower(key))
                    .cloned()
                    .unwrap_or_else(|| "String".into());
                notes.push(format!(
                    "{prefix} does not define condition key {key}; added as {ty}"
                ));
                new_keys.push(ConditionKey {
                    prefix: prefix.clone(),
                    key: key.clone(),
                    ty,
                });
            }
        }
        let mut new_rts = Vec::new();
        for a in &self.actions {
            for (rt, _) in &a.resource_types {
                if rts.insert((lower(&a.prefix), lower(rt))) {
                    notes.push(format!(
                        "{} does not define resource type {rt}; added without ARN",
                        a.prefix
                    ));
                    new_rts.push(ResourceType {
                        prefix: a.prefix.clone(),
                        name: rt.clone(),
                        arn: String::new(),
                        condition_keys: Vec::new(),
                    });
                }
            }
        }
        self.condition_keys.extend(new_keys);
        self.resource_types.extend(new_rts);
        self.sort_service_tables();
        notes
    }

    /// Sorts the service tables case-insensitively and drops rows that repeat a name (the
    /// first one stays).
    pub fn sort_service_tables(&mut self) {
        self.services.sort_by_key(|s| lower(&s.prefix));
        self.services
            .dedup_by(|a, b| lower(&a.prefix) == lower(&b.prefix));
        self.actions
            .sort_by_key(|a| (lower(&a.prefix), lower(&a.name)));
        self.actions.dedup_by(|a, b| {
            lower(&a.prefix) == lower(&b.prefix) && lower(&a.name) == lower(&b.name)
        });
        self.resource_types
            .sort_by_key(|r| (lower(&r.prefix), lower(&r.name)));
        self.resource_types.dedup_by(|a, b| {
            lower(&a.prefix) == lower(&b.prefix) && lower(&a.name) == lower(&b.name)
        });
        self.condition_keys
            .sort_by_key(|k| (lower(&k.prefix), lower(&k.key)));
        self.condition_keys.dedup_by(|a, b| {
            lower(&a.prefix) == lower(&b.prefix) && lower(&a.key) == lower(&b.key)
        });
    }
}
