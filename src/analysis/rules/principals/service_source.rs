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
        let other = statement
            .conditions()
            .iter()
            .flat_map(|block| block.entries.iter().map(|e| e.key.value.to_string()))
            .next();
        for service in services {
            let finding = match &other {
                None => Finding::new(
                    Code::ServicePrincipalNoSource,
                    service.range,
                    format!(
                        "`{}` acts for every AWS customer: without aws:SourceArn or aws:SourceAccount (or aws:SourceOrgID, aws:SourceOrgPaths), any account can make it use this resource on its behalf (the confused deputy); add a condition naming your resource or account",
                        service.value
                    ),
                ),
                Some(key) => Finding::new(
                    Code::ServicePrincipalNoSource,
                    service.range,
                    format!(
                        "`{}` is restricted by {key}, which does not say on whose behalf the service acts: aws:SourceArn or aws:SourceAccount (or aws:SourceOrgID, aws:SourceOrgPaths) does, against the confused deputy",
                        service.value
                    ),
                )
                .severity(Severity::Information),
            };
            sink.push(finding);
        }
    }
}
