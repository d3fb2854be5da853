//! The elements a policy's type requires or forbids: `Principal` (required in resource-based,
//! trust and resource control policies; forbidden in identity policies, boundaries and SCPs;
//! `NotPrincipal` and `Federated` only where AWS supports them) and `Resource` (required but in
//! trust policies, which forbid it, and ECR repository policies). Each rule asks the policy's
//! kind, so that a finding holds for every type the policy may be.

use super::super::Sink;
use crate::analysis::json_edit::remove_member;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::policy::{Enforcement, PolicyKind, PolicyType, Presence, Statement, is_everyone};
use crate::syntax::{Member, Object, TextRange, Value};

use super::statement::neither;

/// What the statement's type says of its `Principal` and `Resource` elements.
pub(super) fn check_statement(
    statement: &Statement,
    label: &str,
    kind: &PolicyKind,
    text: &str,
    sink: &mut Sink,
) {
    let complete = statement.object.closed;
    if sink.wants(Code::PrincipalNotAllowed) {
        principal_not_allowed(statement, kind, text, sink);
    }
    if complete
        && statement.principal.is_none()
        && statement.not_principal.is_none()
        && sink.wants(Code::MissingPrincipal)
        && let Some(enforcement) = kind.mildest(PolicyType::missing_principal)
    {
        let anchor = TextRange::new(statement.value.range.start, statement.value.range.start + 1);
        let message = format!(
            "{label} has no \"Principal\": in {} each statement says whom it applies to{}",
            kind.summary(),
            rejected(enforcement)
        );
        sink.push(
            Finding::new(Code::MissingPrincipal, anchor, message)
                .severity(Severity::of(enforcement)),
        );
    }
    match statement.resource.or(statement.not_resource) {
        Some(member) if sink.wants(Code::ResourceNotAllowed) => {
            resource_not_allowed(statement, member, kind, text, sink);
        }
        Some(_) => {}
        None if complete && sink.wants(Code::MissingResource) => {
            missing_resource(statement, label, kind, sink);
        }
        None => {}
    }
}

/// `Resource` or `NotResource` where no type the policy may be allows it (a trust policy).
fn resource_not_allowed(
    statement: &Statement,
    member: &Member,
    kind: &PolicyKind,
    text: &str,
    sink: &mut Sink,
) {
    if !kind.must_be(|t| t.resource() == Presence::Forbidden) {
        return;
    }
    let message = format!(
        "a role trust policy cannot have \"{}\": the role is the resource; IAM rejects it (\"Has prohibited field Resource\")",
        member.key.value
    );
    sink.push(with_removal(
        Finding::new(Code::ResourceNotAllowed, member.key.range, message),
        text,
        statement.object,
        member,
    ));
}

/// A statement without `Resource` or `NotResource`, where every type the policy may be needs
/// one.
fn missing_resource(statement: &Statement, label: &str, kind: &PolicyKind, sink: &mut Sink) {
    let Some(enforcement) = kind.mildest(PolicyType::missing_resource) else {
        return;
    };
    let anchor = TextRange::new(statement.value.range.start, statement.value.range.start + 1);
    let message = match enforcement {
        Enforcement::Rejected => neither(
            statement,
            label,
            ["Resource", "NotResource"],
            " (use \"*\" for services without resource-level permissions)",
        ),
        _ => neither(
            statement,
            label,
            ["Resource", "NotResource"],
            " (use \"*\" for the resource the policy is attached to)",
        )
        .replace(
            ": IAM rejects it",
            ": the service may reject it, or the statement have no effect",
        ),
    };
    sink.push(
        Finding::new(Code::MissingResource, anchor, message).severity(Severity::of(enforcement)),
    );
}

/// `Principal` where the type has none, an RCP's Principal other than `"*"`, `NotPrincipal`
/// where the type does not support it, `Federated` outside trust policies.
fn principal_not_allowed(statement: &Statement, kind: &PolicyKind, text: &str, sink: &mut Sink) {
    let what = kind.summary();
    if let Some(member) = statement.principal {
        if kind.must_be(|t| t.principal() == Presence::Forbidden) {
            let advice = if kind.must_be(|t| t == PolicyType::Scp) {
                "AWS Organizations rejects it; to exempt or target principals, use a condition on aws:PrincipalArn"
            } else {
                "IAM rejects it (\"Policy document should not specify a principal\"): the policy applies to whoever it is attached to"
            };
            let message = format!("{what} cannot have \"Principal\": {advice}");
            sink.push(with_removal(
                Finding::new(Code::PrincipalNotAllowed, member.key.range, message),
                text,
                statement.object,
                member,
            ));
            return;
        }
        if let Some(value) = &member.value
            && !is_everyone(value)
            && !crate::policy::is_intrinsic(value)
            && kind.must_be(|t| t == PolicyType::Rcp)
        {
            sink.push(Finding::new(
                Code::PrincipalNotAllowed,
                value.range,
                "an RCP's \"Principal\" must be \"*\": AWS Organizations rejects others; restrict principals with conditions such as aws:PrincipalAccount or aws:PrincipalIsAWSService",
            ));
        }
        if let Some(object) = member.value.as_ref().and_then(Value::as_object)
            && let Some(federated) = object.get("Federated")
            && kind.must_be(|t| matches!(t, PolicyType::Resource(_) | PolicyType::Rcp))
        {
            sink.push(Finding::new(
                Code::PrincipalNotAllowed,
                federated.key.range,
                format!(
                    "{what} cannot name a \"Federated\" principal: only a role trust policy can (federated users act through the role they assume)"
                ),
            ));
        }
    }
    if let Some(member) = statement.not_principal
        && kind.must_be(|t| !matches!(t, PolicyType::Resource(_)))
    {
        let message = format!(
            "{what} cannot have \"NotPrincipal\": only resource-based policies support it (with Deny); use a condition on aws:PrincipalArn"
        );
        sink.push(with_removal(
            Finding::new(Code::PrincipalNotAllowed, member.key.range, message),
            text,
            statement.object,
            member,
        ));
    }
}

/// `; AWS rejects the policy` or what happens instead, for messages.
fn rejected(enforcement: Enforcement) -> &'static str {
    match enforcement {
        Enforcement::Rejected => "; AWS rejects the policy without one",
        _ => "; the service may reject the policy, or the statement apply to no one",
    }
}

/// The finding with a fix that removes `member` from `object`.
fn with_removal(finding: Finding, text: &str, object: &Object, member: &Member) -> Finding {
    let index = object.members.iter().position(|m| std::ptr::eq(m, member));
    match index.and_then(|i| remove_member(text, object, i)) {
        Some(edit) => finding.fix(Fix::quick(
            format!("Remove \"{}\"", member.key.value),
            vec![edit],
        )),
        None => finding,
    }
}

#[cfg(test)]
mod tests;
