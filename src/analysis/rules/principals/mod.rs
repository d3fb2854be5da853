//! The values of `Principal` and `NotPrincipal`: their format by principal type
//! (`invalid-principal`, `invalid-service-principal`, `invalid-federated-principal`), partial
//! wildcards (`principal-wildcard`), unique IDs of deleted roles and users
//! (`principal-unique-id`), `Allow` with `NotPrincipal` (`allow-with-notprincipal`), and the
//! trust of OIDC providers without a condition on their claims (`oidc-missing-condition`,
//! `github-oidc-sub`, in `oidc`); who may assume a role and with which call (`trust`), a
//! session listed next to its role (`redundant`), service principals without their source
//! (`service_source`).

mod format;
mod oidc;
mod redundant;
mod service_source;
#[cfg(test)]
mod tests;
mod trust;
#[cfg(test)]
mod trust_tests;

use format::Verdict;

use super::Sink;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::policy::{Effect, Policy, Statement};
use crate::syntax::{Member, Str, Value, ValueKind};

pub(crate) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    for statement in &policy.statements {
        for member in [statement.principal, statement.not_principal]
            .into_iter()
            .flatten()
        {
            check_principal(member, sink);
        }
        if statement.effect() == Some(Effect::Allow)
            && let Some(member) = statement.not_principal
            && sink.wants(Code::AllowWithNotPrincipal)
        {
            sink.push(Finding::new(
                Code::AllowWithNotPrincipal,
                member.key.range,
                "\"Allow\" with \"NotPrincipal\" grants access to everyone not listed, anonymous users included; AWS supports NotPrincipal only with \"Deny\": use \"Principal\" with the principals to allow",
            ));
        }
        oidc::check_statement(statement, sink);
        if sink.wants(Code::RedundantPrincipal) {
            redundant::check(statement, text, sink);
        }
    }
    trust::check(policy, text, sink);
    if sink.wants(Code::ServicePrincipalNoSource) {
        service_source::check(policy, sink);
    }
}

/// The strings of a principal type's value (a string or an array of strings).
pub(super) fn strings(value: Option<&Value>) -> Vec<&Str> {
    match value.map(|v| &v.kind) {
        Some(ValueKind::String(s)) => vec![s],
        Some(ValueKind::Array(array)) => array.elements.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The members of a `Principal` object (a string `Principal` is `"*"` or `wrong-type`'s).
pub(super) fn principal_types(member: &Member) -> &[Member] {
    member
        .value
        .as_ref()
        .and_then(Value::as_object)
        .map_or(&[], |object| object.members.as_slice())
}

fn check_principal(member: &Member, sink: &mut Sink) {
    for principal_type in principal_types(member) {
        let check: fn(&str) -> Verdict = match &*principal_type.key.value {
            "AWS" => format::aws,
            "Service" => format::service,
            "Federated" => |text| format::federated(text).0,
            "CanonicalUser" => format::canonical_user,
            // `unknown-element`'s.
            _ => continue,
        };
        let invalid_code = match &*principal_type.key.value {
            "Service" => Code::InvalidServicePrincipal,
            "Federated" => Code::InvalidFederatedPrincipal,
            _ => Code::InvalidPrincipal,
        };
        for string in strings(principal_type.value.as_ref()) {
            if !string.terminated {
                continue;
            }
            match check(string.as_str()) {
                Verdict::Valid | Verdict::Unknown => {}
                Verdict::Wildcard if sink.wants(Code::PrincipalWildcard) => {
                    sink.push(Finding::new(
                        Code::PrincipalWildcard,
                        string.range,
                        "a principal cannot hold a wildcard other than the whole \"*\" of \"AWS\": the service rejects it (\"Invalid principal in policy\"); use \"*\" with a condition such as ArnLike on aws:PrincipalArn",
                    ));
                }
                Verdict::UniqueId { access_key } if sink.wants(Code::PrincipalUniqueId) => {
                    let message = if access_key {
                        "this is an access key ID, not a principal: name the user or role it belongs to by its ARN (and keep access keys out of policies)"
                    } else {
                        "a unique ID in place of an ARN: IAM shows one when the role or user it named was deleted, so this principal is probably gone; name the principal by its ARN"
                    };
                    sink.push(Finding::new(Code::PrincipalUniqueId, string.range, message));
                }
                Verdict::Invalid { why, fix } if sink.wants(invalid_code) => {
                    let mut finding = Finding::new(
                        invalid_code,
                        string.range,
                        format!("`{}` is not a valid principal: {why}", string.as_str()),
                    );
                    if invalid_code == Code::InvalidFederatedPrincipal
                        && !string.as_str().starts_with("arn:")
                    {
                        // A domain IAM may know that we do not.
                        finding = finding.severity(Severity::Warning);
                    }
                    if let Some(fix) = fix {
                        finding = finding.fix(
                            Fix::replace(
                                format!("Change to \"{fix}\""),
                                string.content_range(),
                                fix.clone(),
                            )
                            .preferred(),
                        );
                    }
                    sink.push(finding);
                }
                _ => {}
            }
        }
    }
}

/// Whether a statement's condition restricts `key` (case-insensitively) with a positive
/// operator: not a negated one (`StringNotEquals`), nor `Null`.
pub(super) fn restricting_values<'s>(
    statement: &Statement<'s>,
    key: &str,
) -> Option<Vec<&'s Value>> {
    let mut found: Option<Vec<&Value>> = None;
    for block in statement.conditions() {
        let operator = block.operator.as_str();
        if operator.contains("Not") || operator.starts_with("Null") {
            continue;
        }
        for entry in &block.entries {
            if entry.key.as_str().eq_ignore_ascii_case(key) {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(entry.values.iter().copied());
            }
        }
    }
    found
}
