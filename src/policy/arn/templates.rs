//! The catalogue's ARN templates, read once per catalogue: by the service field of the ARN
//! (which is not always the action's prefix: `vpce` templates are `ec2`'s, `sagemaker-mlflow`'s
//! are `sagemaker`'s).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::{ArnText, Pattern, split};
use crate::catalog::{Catalog, ResourceTypeRef};

/// What a template has in its region or account field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Nothing: such ARNs have no region (S3 buckets, IAM) or no account.
    Empty,
    /// A placeholder or `*`: any value.
    Any,
    /// A fixed value (`aws`, `us-west-2`).
    Literal(String),
}

impl Shape {
    fn of(field: &str) -> Shape {
        if field.is_empty() {
            Shape::Empty
        } else if field.contains("${") || field.contains('*') {
            Shape::Any
        } else {
            Shape::Literal(field.to_string())
        }
    }
}

/// One ARN template of a resource type.
#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) resource_type: ResourceTypeRef,
    /// The template as the catalogue writes it.
    pub(crate) text: &'static str,
    pub(crate) region: Shape,
    pub(crate) account: Shape,
    /// The part after the fifth colon.
    pub(crate) resource: Pattern,
}

/// Every template of a catalogue.
#[derive(Debug, Default)]
pub(crate) struct ArnIndex {
    templates: Vec<Template>,
    /// The templates each ARN fits, by `service:resource`, kept between analyses: the server
    /// analyses the same ARNs at every keystroke. Emptied when it grows past `MEMO_LIMIT`.
    memo: Mutex<Memo>,
    /// Template indexes by the lower-case service field of the template.
    by_service: HashMap<String, Vec<u32>>,
    /// Templates whose service field is a placeholder (`arn:${Partition}:${Vendor}:…` of Backup's
    /// recovery points): they may have any service.
    any_service: Vec<u32>,
}

/// The templates each ARN fits, by `service:resource`.
type Memo = HashMap<String, Arc<[u32]>>;

/// How many ARNs the memo keeps before starting afresh (a few MB at most).
const MEMO_LIMIT: usize = 20_000;

impl ArnIndex {
    fn build(catalog: &'static Catalog) -> ArnIndex {
        let mut index = ArnIndex::default();
        for service in catalog.services() {
            for resource_type in service.resource_types() {
                let Some(arns) = resource_type.arn() else {
                    continue;
                };
                // A few types have several templates, comma-separated.
                for text in arns.split(", ") {
                    let ArnText::Arn(arn) = split(text) else {
                        continue;
                    };
                    let number = index.templates.len() as u32;
                    let service_field = arn.service().text;
                    if service_field.contains("${") {
                        index.any_service.push(number);
                    } else {
                        index
                            .by_service
                            .entry(service_field.to_ascii_lowercase())
                            .or_default()
                            .push(number);
                    }
                    index.templates.push(Template {
                        resource_type,
                        text,
                        region: Shape::of(arn.region().text),
                        account: Shape::of(arn.account().text),
                        resource: Pattern::template(arn.resource().text),
                    });
                }
            }
        }
        index
    }

    /// The templates whose service field is `service` (case-insensitively), without those of
    /// any service.
    pub(crate) fn of_own_service(&self, service: &str) -> impl Iterator<Item = &Template> {
        let service = service.to_ascii_lowercase();
        self.by_service
            .get(&service)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.templates[i as usize])
    }

    /// The templates of `service` (or of any service) whose resource part `resource` (a
    /// policy's text) can match, remembered.
    pub(crate) fn fitting(&self, service: &str, resource: &str) -> Arc<[u32]> {
        let key = format!("{}:{resource}", service.to_ascii_lowercase());
        // A poisoned memo is only a cache: it is used as it is.
        let lock = || self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(&key) {
            return found.clone();
        }
        let pattern = Pattern::policy(resource);
        let lower = service.to_ascii_lowercase();
        let fitting: Arc<[u32]> = self
            .by_service
            .get(&lower)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .chain(&self.any_service)
            .copied()
            .filter(|&i| self.templates[i as usize].resource.intersects(&pattern))
            .collect();
        let mut memo = lock();
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(key, fitting.clone());
        drop(memo);
        fitting
    }

    /// A template by its number (from [`ArnIndex::fitting`]).
    pub(crate) fn template(&self, number: u32) -> &Template {
        &self.templates[number as usize]
    }

    /// Whether some template has this service field.
    pub(crate) fn knows_service(&self, service: &str) -> bool {
        self.by_service.contains_key(&service.to_ascii_lowercase())
    }
}

/// The index of `catalog`, built at first use.
pub(crate) fn arn_index(catalog: &'static Catalog) -> &'static ArnIndex {
    catalog.arn_index.get_or_init(|| ArnIndex::build(catalog))
}

/// The cell a catalogue keeps its index in.
pub(crate) type ArnIndexCell = OnceLock<ArnIndex>;
