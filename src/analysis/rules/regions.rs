//! `unknown-region`: a region that is not one of AWS's, in the region field of a `Resource` or
//! `NotResource` ARN (against the ARN's partition) or in a value of a region-valued condition
//! key (`aws:RequestedRegion`, `ec2:Region`, …). IAM accepts any text there; it only never
//! equals the region of a request. The region list (`catalog::regions`) is AWS's SDK data of a
//! given day, and AWS opens regions a few times a year: so a warning, whose message names the
//! data's version. A malformed region is `arn-region`'s; wildcards, policy variables and host
//! placeholders are not judged.

#[cfg(test)]
mod tests;

use super::Sink;
use crate::analysis::{Code, Finding};
use crate::catalog::{OperatorFamily, parse_operator, regions};
use crate::policy::arn::{ArnText, Field, is_region, parse_arn};
use crate::policy::{Policy, StringList};
use crate::syntax::{Str, TextRange};

/// Condition keys whose values are region names (the Service Authorization Reference's keys
/// named for a region that hold one; `kms:MultiRegion`, a Boolean, is not one).
const REGION_KEYS: &[&str] = &[
    "account:TargetRegion",
    "aws:RequestedRegion",
    "batch:AWSLogsRegion",
    "cloudformation:TargetRegion",
    "dsql:WitnessRegion",
    "ec2:Region",
    "ec2:VpceServiceRegion",
    "ec2:VpceSupportedRegion",
    "identitystore:PrimaryRegion",
    "kms:PrimaryRegion",
    "kms:ReplicaRegion",
    "observabilityadmin:CentralizationBackupRegion",
    "observabilityadmin:CentralizationDestinationRegion",
    "observabilityadmin:CentralizationSourceRegions",
    "observabilityadmin:TargetRegions",
    "secretsmanager:AddReplicaRegions",
    "secretsmanager:SecretPrimaryRegion",
    "ses:ReplicaRegion",
    "sso:PrimaryRegion",
];

pub(crate) fn check(policy: &Policy, sink: &mut Sink) {
    if !sink.wants(Code::UnknownRegion) {
        return;
    }
    for statement in &policy.statements {
        for (member, negated) in [(statement.resource, false), (statement.not_resource, true)] {
            let Some(member) = member else { continue };
            for string in StringList::new(member, negated).items {
                check_arn(string, sink);
            }
        }
        for block in statement.conditions() {
            let Ok(operator) = parse_operator(&block.operator.value) else {
                continue;
            };
            if operator.family() != OperatorFamily::String {
                continue;
            }
            for entry in &block.entries {
                let key = &*entry.key.value;
                if !REGION_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                    continue;
                }
                for value in &entry.values {
                    if let Some(s) = value.as_str() {
                        check_value(s, key, sink);
                    }
                }
            }
        }
    }
}

/// Whether `text` is a literal region name worth looking up: well formed (a malformed one is
/// `arn-region`'s, or not a region at all), without wildcards or variables.
fn judged(text: &str) -> bool {
    !text.contains(['*', '?', '$', '<']) && is_region(text)
}

fn check_arn(string: &Str, sink: &mut Sink) {
    if !string.terminated {
        return;
    }
    let ArnText::Arn(arn) = parse_arn(string.as_str()) else {
        return;
    };
    let region = arn.region();
    if !judged(region.text) {
        return;
    }
    let partition = arn.partition().text;
    let regions = regions::regions_of(partition);
    if regions.is_some_and(|r| r.contains(&region.text)) {
        return;
    }
    let message = match (regions, regions::partition_of(region.text)) {
        // An unknown partition is `arn-partition`'s: only the region's existence is said.
        (None, Some(_)) => return,
        (Some(_), Some(other)) => format!(
            "`{}` is a region of the {other} partition, not of {partition}: this ARN never matches; write arn:{other}:… or a region of {partition}",
            region.text
        ),
        (Some(_), None) => format!(
            "`{}` is not a region of the {partition} partition ({}): this ARN never matches{}",
            region.text,
            regions::SOURCE,
            closest_hint(region.text, partition)
        ),
        (None, None) => format!(
            "`{}` is not an AWS region ({}): this ARN never matches",
            region.text,
            regions::SOURCE
        ),
    };
    sink.push(Finding::new(
        Code::UnknownRegion,
        field_range(string, region),
        message,
    ));
}

fn check_value(s: &Str, key: &str, sink: &mut Sink) {
    let text = s.as_str();
    if !s.terminated || !judged(text) || regions::partition_of(text).is_some() {
        return;
    }
    sink.push(Finding::new(
        Code::UnknownRegion,
        s.range,
        format!(
            "\"{text}\" is not an AWS region ({}): {key} never has this value{}",
            regions::SOURCE,
            closest_hint(text, "")
        ),
    ));
}

/// `; did you mean us-east-1?` for the one near miss among the regions of `partition` (of every
/// partition when it is empty).
fn closest_hint(region: &str, partition: &str) -> String {
    let candidates: Vec<&str> = regions::REGIONS
        .iter()
        .filter(|(p, _)| partition.is_empty() || *p == partition)
        .flat_map(|(_, regions)| regions.iter().copied())
        .collect();
    match crate::suggest::closest(region, &candidates, 1)[..] {
        [closest] => format!("; did you mean {closest}?"),
        _ => String::new(),
    }
}

/// The range of an ARN field: the field's own when the string has no escapes, else the whole
/// string.
fn field_range(string: &Str, field: Field) -> TextRange {
    let content = string.content_range();
    if content.len() as usize == string.value.len() {
        let start = content.start + field.offset as u32;
        TextRange::new(start, start + field.text.len() as u32)
    } else {
        string.range
    }
}
