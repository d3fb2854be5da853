//! Security warnings of identity policies: an `Allow` that reaches every role with
//! `iam:PassRole` (`pass-role-star`: whoever holds the policy can hand any role, an
//! administrator's included, to a service and act with its permissions) or with
//! `iam:CreateServiceLinkedRole` (`create-slr-star`: service-linked roles for every service).
//!
//! Each is a warning when the action is written out, and information when the grant comes from
//! a wildcard (`iam:*`, `*`) or `NotAction`, where it is part of an administrator-style grant
//! that is most often intended. Not reported with a positive condition on the key that limits
//! the grant (`iam:PassedToService`, `iam:AWSServiceName`), nor for role-name prefixes
//! (`role/app-*`), nor where no principal can hold the policy's grants (resource-based
//! policies, SCPs). A permissions boundary only caps what is granted elsewhere: information.

#[cfg(test)]
mod tests;

use super::Sink;
use crate::analysis::{Code, Finding, Severity};
use crate::catalog::glob_match;
use crate::policy::arn::{ArnText, parse_arn};
use crate::policy::{Effect, Policy, PolicyType, Statement, StringList};
use crate::syntax::TextRange;

/// An action whose grant on every role is worth a warning.
struct Sensitive {
    code: Code,
    action: &'static str,
    /// The condition key that limits the grant to some services.
    limiting_key: &'static str,
    /// Resource parts (after the fifth colon of an `iam` ARN) that reach every role.
    all_roles: &'static [&'static str],
    risk: &'static str,
}

const SENSITIVE: [Sensitive; 2] = [
    Sensitive {
        code: Code::PassRoleStar,
        action: "iam:PassRole",
        limiting_key: "iam:PassedToService",
        all_roles: &["*", "role/*", "role*"],
        risk: "whoever holds this policy can pass any role, an administrator's included, to a service and act with its permissions; name the roles (arn:aws:iam::ACCOUNT:role/app-*) or add a condition on iam:PassedToService",
    },
    Sensitive {
        code: Code::CreateSlrStar,
        action: "iam:CreateServiceLinkedRole",
        limiting_key: "iam:AWSServiceName",
        all_roles: &["*", "role/*", "role*", "role/aws-service-role/*"],
        risk: "whoever holds this policy can create the service-linked role of any service; name the service (role/aws-service-role/SERVICE.amazonaws.com/*) or add a condition on iam:AWSServiceName",
    },
];

pub(crate) fn check(policy: &Policy, sink: &mut Sink) {
    let kind = &policy.kind;
    if !kind.may_be(|t| matches!(t, PolicyType::Identity(_) | PolicyType::Boundary)) {
        return;
    }
    let boundary = kind.must_be(|t| t == PolicyType::Boundary);
    for statement in &policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(actions) = statement.actions() else {
            continue;
        };
        for sensitive in &SENSITIVE {
            if sink.wants(sensitive.code) {
                check_statement(statement, &actions, sensitive, boundary, sink);
            }
        }
    }
}

/// How a statement grants an action.
enum Grant {
    /// Written out (its string's range).
    Explicit(TextRange),
    /// Through a wildcard action (its string's range, and the string).
    Wildcard(TextRange, String),
    /// Through a `NotAction` that does not list it (the key's range).
    NotAction(TextRange),
}

fn check_statement(
    statement: &Statement,
    actions: &StringList,
    sensitive: &Sensitive,
    boundary: bool,
    sink: &mut Sink,
) {
    let Some(grant) = grant(actions, sensitive.action) else {
        return;
    };
    let Some(reach) = every_role(statement, sensitive) else {
        return;
    };
    if limited(statement, sensitive.limiting_key) {
        return;
    }
    let (range, how, severity) = match grant {
        Grant::Explicit(range) => (range, format!("`{}`", sensitive.action), Severity::Warning),
        Grant::Wildcard(range, text) => (
            range,
            format!("`{text}` grants `{}`", sensitive.action),
            Severity::Information,
        ),
        Grant::NotAction(range) => (
            range,
            format!(
                "this NotAction does not exclude `{}`, so it is granted",
                sensitive.action
            ),
            Severity::Information,
        ),
    };
    let severity = if boundary {
        Severity::Information
    } else {
        severity
    };
    sink.push(
        Finding::new(
            sensitive.code,
            range,
            format!("{how} {reach}: {}", sensitive.risk),
        )
        .severity(severity),
    );
}

/// How the statement grants `action`, if it does.
fn grant(actions: &StringList, action: &str) -> Option<Grant> {
    if actions.negated {
        let excluded = actions.items.iter().any(|s| glob_match(s.as_str(), action));
        return (!excluded).then_some(Grant::NotAction(actions.member.key.range));
    }
    let mut wildcard = None;
    for string in &actions.items {
        let text = string.as_str();
        // Only `iam:…` and patterns that start with a wildcard can be `iam:…`.
        if !matches!(text.as_bytes().first(), Some(b'i' | b'I' | b'*' | b'?')) {
            continue;
        }
        if text.eq_ignore_ascii_case(action) {
            return Some(Grant::Explicit(string.range));
        }
        if wildcard.is_none() && text.contains(['*', '?']) && glob_match(text, action) {
            wildcard = Some(Grant::Wildcard(string.range, text.to_string()));
        }
    }
    wildcard
}

/// How the statement's resources reach every role, if they do.
fn every_role(statement: &Statement, sensitive: &Sensitive) -> Option<&'static str> {
    if let Some(member) = statement.not_resource {
        // A NotResource that excludes every role excludes what matters.
        let list = StringList::new(member, true);
        if list
            .items
            .iter()
            .any(|s| reaches_every_role(s.as_str(), sensitive))
        {
            return None;
        }
        return Some("on every resource but those of its NotResource");
    }
    let list = StringList::new(statement.resource?, false);
    list.items
        .iter()
        .any(|s| reaches_every_role(s.as_str(), sensitive))
        .then_some("on every role")
}

fn reaches_every_role(text: &str, sensitive: &Sensitive) -> bool {
    if text == "*" {
        return true;
    }
    let ArnText::Arn(arn) = parse_arn(text) else {
        return false;
    };
    matches!(arn.service().text, "iam" | "*") && sensitive.all_roles.contains(&arn.resource().text)
}

/// Whether a positive condition (not a negated operator, not `Null`) names `key`.
fn limited(statement: &Statement, key: &str) -> bool {
    statement.conditions().iter().any(|block| {
        let operator = block.operator.as_str();
        !operator.contains("Not")
            && !operator.starts_with("Null")
            && block
                .entries
                .iter()
                .any(|entry| entry.key.as_str().eq_ignore_ascii_case(key))
    })
}
