//! The ARNs of `Resource` and `NotResource`: their format (`invalid-arn`, `arn-partition`,
//! `arn-service-case`, `arn-region`, `arn-account`), whether their resource part fits a
//! resource type of their service (`arn-resource-format`, over the catalogue's ARN templates),
//! and whether an action of their statement applies to them (`resource-type-mismatch`,
//! `mismatch`). IAM accepts most of these strings; they only never match a request, so all but
//! a malformed ARN are warnings.

mod mismatch;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use super::Sink;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::Catalog;
use crate::policy::arn::templates::{ArnIndex, Shape, Template, arn_index};
use crate::policy::arn::{Arn, ArnText, Field, PARTITIONS, is_account_id, is_region, parse_arn};
use crate::policy::{Enforcement, Policy, PolicyKind, StringList};
use crate::syntax::{Member, Str, TextRange};

const TEMPLATE_CODES: [Code; 3] = [Code::ArnRegion, Code::ArnAccount, Code::ArnResourceFormat];

pub(crate) fn check(catalog: &'static Catalog, policy: &Policy, text: &str, sink: &mut Sink) {
    let wants_templates = TEMPLATE_CODES.iter().any(|&c| sink.wants(c));
    // Built at the first ARN that needs it.
    let mut index: Option<&ArnIndex> = None;
    // Generated policies repeat ARNs and whole statements thousands of times: what was found
    // right once is not checked again.
    let mut clean_arns: HashSet<&str> = HashSet::new();
    let mut clean_statements: HashSet<(&str, &str)> = HashSet::new();
    for statement in &policy.statements {
        for (member, negated) in [(statement.resource, false), (statement.not_resource, true)] {
            let Some(member) = member else { continue };
            for string in StringList::new(member, negated).items {
                if !string.terminated || clean_arns.contains(string.as_str()) {
                    continue;
                }
                let before = sink.count();
                if let Some(arn) = check_format(string, &policy.kind, sink)
                    && wants_templates
                    && !arn.service().text.is_empty()
                    && !arn.service().is_pattern()
                {
                    let index = *index.get_or_insert_with(|| arn_index(catalog));
                    check_against_templates(string, &arn, index, sink);
                }
                if sink.count() == before {
                    clean_arns.insert(string.as_str());
                }
            }
        }
        let resource_is_star = statement
            .resource
            .and_then(|m| m.value.as_ref())
            .and_then(|v| v.as_str())
            .is_some_and(|s| s.as_str() == "*");
        if sink.wants(Code::ResourceTypeMismatch)
            && !resource_is_star
            && let Some(parsed) = mismatch::concrete_arns(statement)
        {
            let source = |member: Option<&Member>| {
                member
                    .and_then(|m| m.value.as_ref())
                    .map(|v| &text[v.range.as_usize()])
            };
            let key = source(statement.action).zip(source(statement.resource));
            if key.is_some_and(|key| clean_statements.contains(&key)) {
                continue;
            }
            let before = sink.count();
            mismatch::check_statement(catalog, statement, &parsed, text, sink);
            if let Some(key) = key
                && sink.count() == before
            {
                clean_statements.insert(key);
            }
        }
    }
}

/// The range of an ARN field in the document: the field's own when the string has no escapes
/// (its text is then the document's), else the whole string.
fn field_range(string: &Str, field: Field) -> TextRange {
    let content = string.content_range();
    if content.len() as usize == string.value.len() && !field.text.is_empty() {
        let start = content.start + field.offset as u32;
        TextRange::new(start, start + field.text.len() as u32)
    } else {
        string.range
    }
}

/// `invalid-arn`, `arn-partition`, `arn-service-case`, and the formats of the region and the
/// account; the ARN, when the string is one worth comparing with the templates.
fn check_format<'s>(string: &'s Str, kind: &PolicyKind, sink: &mut Sink) -> Option<Arn<'s>> {
    let text = string.as_str();
    // `*`, and patterns that start with a wildcard, may match any ARN.
    if text.is_empty() || text.starts_with(['*', '?']) || text.starts_with("${") {
        return None;
    }
    let arn = match parse_arn(text) {
        ArnText::Template => return None,
        ArnText::Arn(arn) => arn,
        ArnText::NotArn => {
            not_an_arn(string, kind, sink);
            return None;
        }
        ArnText::TooFewFields(fields) => {
            if sink.wants(Code::InvalidArn) {
                let open_ended = text
                    .rsplit(':')
                    .next()
                    .is_some_and(|last| last.contains('*'));
                let message = format!(
                    "an ARN has six fields (arn:partition:service:region:account:resource), this one {fields}{}",
                    if open_ended {
                        "; the final `*` may stand for the rest, but IAM may reject it: write every field"
                    } else {
                        ": IAM rejects it"
                    }
                );
                let severity = if open_ended {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                sink.push(Finding::new(Code::InvalidArn, string.range, message).severity(severity));
            }
            return None;
        }
    };
    if sink.wants(Code::ArnPartition) {
        check_partition(string, arn.partition(), sink);
    }
    let service = arn.service();
    if service.text.bytes().any(|b| b.is_ascii_uppercase()) && sink.wants(Code::ArnServiceCase) {
        let lower = service.text.to_ascii_lowercase();
        let mut finding = Finding::new(
            Code::ArnServiceCase,
            field_range(string, service),
            format!(
                "the service in an ARN is lower case (`{lower}`): ARNs are compared case-sensitively, so this one never matches"
            ),
        );
        if field_range(string, service) != string.range {
            finding = finding.fix(
                Fix::replace(
                    format!("Change to \"{lower}\""),
                    field_range(string, service),
                    lower,
                )
                .preferred(),
            );
        }
        sink.push(finding);
    }
    let region = arn.region();
    if !region.text.is_empty()
        && !region.is_pattern()
        && !is_region(region.text)
        && sink.wants(Code::ArnRegion)
    {
        sink.push(Finding::new(
            Code::ArnRegion,
            field_range(string, region),
            format!(
                "`{}` is not a region name (such as us-east-1): this ARN never matches",
                region.text
            ),
        ));
    }
    let account = arn.account();
    if !account.text.is_empty()
        && !account.is_pattern()
        && !is_account_id(account.text)
        && account.text != "aws"
        && sink.wants(Code::ArnAccount)
    {
        sink.push(Finding::new(
            Code::ArnAccount,
            field_range(string, account),
            format!(
                "`{}` is not an account ID (12 digits) nor `aws` (AWS-owned resources): this ARN never matches",
                account.text
            ),
        ));
    }
    Some(arn)
}

/// `invalid-arn` for a string without `arn:`: an error unless the policy may be one that
/// accepts it (API Gateway's `execute-api:/…`).
fn not_an_arn(string: &Str, kind: &PolicyKind, sink: &mut Sink) {
    let text = string.as_str();
    if !sink.wants(Code::InvalidArn) {
        return;
    }
    if text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("arn:"))
    {
        let fixed = format!("arn:{}", &text[4..]);
        sink.push(
            Finding::new(
                Code::InvalidArn,
                string.range,
                "an ARN starts with `arn:` in lower case: ARNs are compared case-sensitively",
            )
            .severity(Severity::Warning)
            .fix(
                Fix::replace("Write `arn:` in lower case", string.content_range(), fixed)
                    .preferred(),
            ),
        );
        return;
    }
    let Some(enforcement) = kind.mildest(|t| t.non_arn_resource(text)) else {
        return;
    };
    let consequence = match enforcement {
        Enforcement::Rejected => "IAM rejects it",
        _ => "the service may reject it, and it never matches an ARN",
    };
    sink.push(
        Finding::new(
            Code::InvalidArn,
            string.range,
            format!("a resource is \"*\" or an ARN (arn:partition:service:region:account:resource): {consequence}"),
        )
        .severity(Severity::of(enforcement)),
    );
}

fn check_partition(string: &Str, partition: Field, sink: &mut Sink) {
    if partition.is_pattern() || PARTITIONS.contains(&partition.text) {
        return;
    }
    let range = field_range(string, partition);
    let lower = partition.text.to_ascii_lowercase();
    let mut finding = Finding::new(
        Code::ArnPartition,
        range,
        format!(
            "`{}` is not an AWS partition ({}): this ARN never matches",
            partition.text,
            PARTITIONS.join(", ")
        ),
    );
    if PARTITIONS.contains(&lower.as_str()) && range != string.range {
        finding =
            finding.fix(Fix::replace(format!("Change to \"{lower}\""), range, lower).preferred());
    }
    sink.push(finding);
}

/// `arn-resource-format`, and the region and account where the resource has none.
fn check_against_templates(string: &Str, arn: &Arn, index: &ArnIndex, sink: &mut Sink) {
    let service = arn.service().text;
    if !index.knows_service(service) {
        return;
    }
    // The region and the account are judged against every template the ARN fits.
    let field_matters = |field: Field| !field.may_be_empty() && !field.text.contains("${");
    let fitting: Vec<&Template> = index
        .fitting(service, arn.resource().text)
        .iter()
        .map(|&i| index.template(i))
        .collect();
    if fitting.is_empty() {
        if sink.wants(Code::ArnResourceFormat) {
            resource_format(string, arn, index, sink);
        }
        return;
    }
    // a missing region where every resource of this shape has one
    // (an empty field matches only an empty region). Judged on the service's own templates:
    // those of any service (Backup's `arn:${Partition}:${Vendor}:${Region}:…`) say nothing
    // of it, and AWS's own policies name regionless WAF Classic ARNs that only they fit.
    let own_service = |t: &Template| {
        t.text
            .split(':')
            .nth(2)
            .is_some_and(|s| s.eq_ignore_ascii_case(service))
    };
    if arn.region().text.is_empty()
        && fitting.iter().any(|t| own_service(t))
        && fitting
            .iter()
            .filter(|t| own_service(t))
            .all(|t| t.region != Shape::Empty)
        && sink.wants(Code::ArnRegion)
    {
        sink.push(Finding::new(
            Code::ArnRegion,
            string.range,
            format!(
                "{service} ARNs of this shape have a region (`{}`), and this one has none, so it never matches; write the region, or * for every region",
                fitting
                    .iter()
                    .find(|t| own_service(t))
                    .map_or("", |t| t.text)
            ),
        ));
    }
    for (field, code, what) in [
        (arn.region(), Code::ArnRegion, "region"),
        (arn.account(), Code::ArnAccount, "account"),
    ] {
        let empty = |t: &Template| match code {
            Code::ArnRegion => t.region == Shape::Empty,
            _ => t.account == Shape::Empty,
        };
        if !field_matters(field) || !fitting.iter().all(|t| empty(t)) || !sink.wants(code) {
            continue;
        }
        let range = field_range(string, field);
        let mut finding = Finding::new(
            code,
            range,
            format!(
                "{} ARNs of this shape have no {what} (`{}`), so this one never matches; leave the {what} empty",
                service, fitting[0].text
            ),
        );
        if range != string.range {
            finding =
                finding.fix(Fix::replace(format!("Remove the {what}"), range, "").preferred());
        }
        sink.push(finding);
    }
}

/// `arn-resource-format` for an ARN that fits no template of its service, said only when it is
/// certainly a slip: the resource part is empty, or its resource type word (`tabel` of
/// `tabel/T`) is a near miss of one the service's templates start with (`table/`). The
/// catalogue lags behind the services (AWS's own policies name types it does not list yet), so
/// a word it does not know is no proof of a mistake.
fn resource_format(string: &Str, arn: &Arn, index: &ArnIndex, sink: &mut Sink) {
    let service = arn.service().text;
    let resource = arn.resource();
    if resource.text.is_empty() {
        sink.push(Finding::new(
            Code::ArnResourceFormat,
            string.range,
            format!("this {service} ARN has an empty resource part (after the fifth colon), so it never matches"),
        ));
        return;
    }
    let Some((word, _)) = type_word(resource.text) else {
        return;
    };
    let mut known: Vec<&str> = Vec::new();
    for template in index.of_own_service(service) {
        match type_word(template.text.splitn(6, ':').nth(5).unwrap_or_default()) {
            Some((known_word, _)) if known_word.eq_ignore_ascii_case(word) => return,
            Some((known_word, _)) => known.push(known_word),
            // A template that starts with a placeholder (`${BucketName}`) has no type word.
            None => return,
        }
    }
    known.sort_unstable();
    known.dedup();
    let Some(&closest) = crate::suggest::closest(word, &known, 2).first() else {
        return;
    };
    let resource_range = field_range(string, resource);
    let exact = resource_range != string.range;
    let range = if exact {
        TextRange::new(
            resource_range.start,
            resource_range.start + word.len() as u32,
        )
    } else {
        string.range
    };
    let mut finding = Finding::new(
        Code::ArnResourceFormat,
        range,
        format!(
            "{service} has no resource type `{word}`, so this ARN never matches; did you mean `{closest}`?"
        ),
    );
    if exact {
        finding = finding.fix(
            Fix::replace(
                format!("Change to \"{closest}\""),
                range,
                closest.to_string(),
            )
            .preferred(),
        );
    }
    sink.push(finding);
}

/// The resource type word a resource part starts with, and the separator after it (`table` and
/// `/` of `table/T`); `None` when it starts with a wildcard, a variable or a placeholder, or
/// has no separator.
fn type_word(resource: &str) -> Option<(&str, u8)> {
    let end = resource.find(['/', ':'])?;
    let word = &resource[..end];
    if word.is_empty() || word.contains(['*', '?', '$']) {
        return None;
    }
    Some((word, resource.as_bytes()[end]))
}
