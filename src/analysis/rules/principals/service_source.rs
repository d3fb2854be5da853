//! `service-principal-no-source`: a resource-based policy that allows an AWS service principal
//! without naming the source the service acts for (`aws:SourceArn`, `aws:SourceAccount`,
//! `aws:SourceOrgID`, `aws:SourceOrgPaths`). A service acts for every customer: without
//! them, any account can have the service use this resource on its behalf (the confused
//! deputy). Warning when nothing restricts the grant; information when other keys do
//! (`aws:Referer`, an encryption context, …), as Access Analyzer's "Recommended condition key
//! for service principal". Role trust policies are left alone: AWS's own service roles trust
//! their service without these keys.

use super::format::{self, Verdict};
use super::{principal_types, restricting_values, strings};
use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding, Severity};
use crate::policy::{Effect, Policy, PolicyType, is_intrinsic};

/// The keys that name the source (`aws:SourceOwner` is SNS's older name for the account).
const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
];

pub(super) fn check(policy: &Policy, sink: &mut Sink) {
    if !policy
        .kind
        .must_be(|t| matches!(t, PolicyType::Resource(_)))
    {
        return;
    }
    for statement in &policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(member) = statement.principal else {
            continue;
        };
        // A condition filled in when deployed may name the source.
        if statement
            .condition
            .and_then(|m| m.value.as_ref())
            .is_some_and(is_intrinsic)
        {
            continue;
        }
        let services: Vec<_> = principal_types(member)
            .iter()
            .filter(|t| &*t.key.value == "Service")
            .flat_map(|t| strings(t.value.as_ref()))
            .filter(|s| s.terminated && format::service(s.as_str()) == Verdict::Valid)
            .collect();
        if services.is_empty()
            || SOURCE_KEYS
                .iter()
                .any(|key| restricting_values(statement, key).is_some())
        {
            continue;
        }
        let keys: Vec<String> = statement
            .conditions()
            .iter()
            .flat_map(|block| block.entries.iter().map(|e| e.key.value.to_string()))
            .collect();
        let is_source = |key: &String| SOURCE_KEYS.iter().any(|s| s.eq_ignore_ascii_case(key));
        let other = keys.iter().find(|k| !is_source(k));
        let loose_source = keys.iter().find(|k| is_source(k));
        for service in services {
            let service_name = &service.value;
            let finding = match (other, loose_source) {
                (Some(key), _) => Finding::new(
                    Code::ServicePrincipalNoSource,
                    service.range,
                    format!(
                        "`{service_name}` is restricted by {key}, which does not say on whose behalf the service acts: aws:SourceArn or aws:SourceAccount (or aws:SourceOrgID, aws:SourceOrgPaths) does, against the confused deputy"
                    ),
                )
                .severity(Severity::Information),
                (None, Some(key)) => Finding::new(
                    Code::ServicePrincipalNoSource,
                    service.range,
                    format!(
                        "`{service_name}`: the condition on {key} is negated or a Null test, so it does not name the source the service acts for; compare it with StringEquals or ArnLike against the confused deputy"
                    ),
                )
                .severity(Severity::Information),
                (None, None) => Finding::new(
                    Code::ServicePrincipalNoSource,
                    service.range,
                    format!(
                        "`{service_name}` acts for every AWS customer: without aws:SourceArn or aws:SourceAccount (or aws:SourceOrgID, aws:SourceOrgPaths), any account can make it use this resource on its behalf (the confused deputy); add a condition naming your resource or account"
                    ),
                ),
            };
            sink.push(finding);
        }
    }
}
