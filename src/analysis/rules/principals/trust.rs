//! Who can assume a role, and with which call: `"*"` in a trust policy's `Allow`
//! (`trust-principal-star`), an `AssumeRole…` action that none of the statement's principals
//! can call or a principal that none of its `AssumeRole…` actions serves
//! (`trust-action-mismatch`), and IAM Roles Anywhere without the three actions it needs to
//! vend credentials (`roles-anywhere-actions`).
//!
//! Each STS call is made by one kind of principal: `AssumeRole` with AWS credentials (an
//! account, a role or user, a service), `AssumeRoleWithSAML` with a SAML provider's assertion,
//! `AssumeRoleWithWebIdentity` with an OIDC token. IAM accepts a trust policy that pairs them
//! otherwise; the pair simply never matches, so these are warnings.

use super::format::{self, Federated};
use super::{principal_types, restricting_values, strings};
use crate::analysis::json_edit::{append_strings, replace_string};
use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::glob_match;
use crate::policy::{Effect, Policy, PolicyType, Statement, StringList, is_intrinsic};
use crate::syntax::{Str, Value, ValueKind};

pub(super) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    let kind = &policy.kind;
    if !kind.may_be(|t| t == PolicyType::Trust) {
        return;
    }
    let only_trust = kind.must_be(|t| t == PolicyType::Trust);
    for statement in &policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        if only_trust && sink.wants(Code::TrustPrincipalStar) {
            principal_star(statement, sink);
        }
        if sink.wants(Code::TrustActionMismatch) {
            mismatch(statement, text, sink);
        }
    }
    if sink.wants(Code::RolesAnywhereActions) {
        roles_anywhere(policy, text, sink);
    }
}

/// The keys whose positive condition names who may assume the role despite `"*"`.
const CALLER_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
];

/// `trust-principal-star`: `"Principal": "*"` or `{"AWS": "*"}`.
fn principal_star(statement: &Statement, sink: &mut Sink) {
    let Some(member) = statement.principal else {
        return;
    };
    let Some(value) = &member.value else {
        return;
    };
    let stars: Vec<&Str> = match &value.kind {
        ValueKind::String(s) if &*s.value == "*" => vec![s],
        ValueKind::Object(_) => principal_types(member)
            .iter()
            .filter(|t| &*t.key.value == "AWS")
            .flat_map(|t| strings(t.value.as_ref()))
            .filter(|s| &*s.value == "*")
            .collect(),
        _ => Vec::new(),
    };
    let restricted_by = CALLER_KEYS
        .iter()
        .find(|key| restricting_values(statement, key).is_some());
    for star in stars {
        let finding = match restricted_by {
            None => Finding::new(
                Code::TrustPrincipalStar,
                star.range,
                "anyone with AWS credentials, in any account, can assume this role: a trust policy's \"*\" is everyone; name the accounts, roles or services that may assume it (\"Principal\": {\"AWS\": \"arn:aws:iam::ACCOUNT:root\"})",
            ),
            Some(key) => Finding::new(
                Code::TrustPrincipalStar,
                star.range,
                format!(
                    "\"*\" lets every AWS principal call sts:AssumeRole on this role; only the condition on {key} limits who succeeds: naming the accounts or roles in \"Principal\" says it where reviewers and IAM Access Analyzer look"
                ),
            )
            .severity(Severity::Information),
        };
        sink.push(finding);
    }
}

/// Which principals can call an STS action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    /// An account, a role or user, a service: AWS credentials (`AssumeRole`).
    Credentials,
    Saml,
    Oidc,
}

impl Caller {
    const ALL: [Caller; 3] = [Caller::Credentials, Caller::Saml, Caller::Oidc];

    fn action(self) -> &'static str {
        match self {
            Caller::Credentials => "sts:AssumeRole",
            Caller::Saml => "sts:AssumeRoleWithSAML",
            Caller::Oidc => "sts:AssumeRoleWithWebIdentity",
        }
    }

    fn of_action(action: &str) -> Option<Caller> {
        Caller::ALL
            .into_iter()
            .find(|c| c.action().eq_ignore_ascii_case(action))
    }

    /// For messages: `a SAML provider`.
    fn describe(self) -> &'static str {
        match self {
            Caller::Credentials => "an AWS or service principal",
            Caller::Saml => "a SAML provider",
            Caller::Oidc => "an OIDC or web identity provider",
        }
    }
}

/// A principal of the statement, and who it is.
struct Principal<'a> {
    string: &'a Str,
    caller: Caller,
}

/// The statement's principals by caller, or `None` when one of them may be anyone (`"*"`, a
/// value filled in later, a federated principal of unknown kind): nothing can then be said.
fn callers<'a>(statement: &Statement<'a>) -> Option<Vec<Principal<'a>>> {
    let member = statement.principal?;
    let value = member.value.as_ref()?;
    if !matches!(value.kind, ValueKind::Object(_)) {
        return None;
    }
    let mut principals = Vec::new();
    for principal_type in principal_types(member) {
        let caller = match &*principal_type.key.value {
            "AWS" | "Service" => Some(Caller::Credentials),
            "Federated" => None,
            // `CanonicalUser` cannot assume roles; others are `unknown-element`'s.
            _ => continue,
        };
        let value = principal_type.value.as_ref()?;
        if !all_strings(value) {
            return None;
        }
        for string in strings(Some(value)) {
            if &*string.value == "*" || string.value.contains("${") {
                return None;
            }
            let caller = match caller {
                Some(caller) => caller,
                None => match format::federated(string.as_str()).1 {
                    Some(Federated::Saml) => Caller::Saml,
                    Some(Federated::Oidc { .. }) => Caller::Oidc,
                    None => return None,
                },
            };
            principals.push(Principal { string, caller });
        }
    }
    Some(principals)
}

/// A string, or an array of strings only (an intrinsic stands for values not known here).
fn all_strings(value: &Value) -> bool {
    match &value.kind {
        ValueKind::String(_) => true,
        ValueKind::Array(array) => array.elements.iter().all(|e| e.as_str().is_some()),
        _ => false,
    }
}

/// The statement's `Action` strings, when every entry is a string without a placeholder.
fn known_actions<'a>(statement: &Statement<'a>) -> Option<StringList<'a>> {
    let member = statement.action?;
    let value = member.value.as_ref()?;
    if is_intrinsic(value) || !all_strings(value) {
        return None;
    }
    let list = StringList::new(member, false);
    if list.items.iter().any(|s| s.value.contains("${")) {
        return None;
    }
    Some(list)
}

/// `trust-action-mismatch`.
fn mismatch(statement: &Statement, text: &str, sink: &mut Sink) {
    let Some(principals) = callers(statement) else {
        return;
    };
    if principals.is_empty() {
        return;
    }
    let Some(actions) = known_actions(statement) else {
        return;
    };
    let present = |caller: Caller| principals.iter().any(|p| p.caller == caller);
    let mut dead_action = false;
    for action in &actions.items {
        let Some(needs) = Caller::of_action(action.as_str()) else {
            continue;
        };
        if present(needs) {
            continue;
        }
        dead_action = true;
        let kinds: Vec<Caller> = Caller::ALL.into_iter().filter(|c| present(*c)).collect();
        let who = kinds
            .iter()
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join(" and ");
        let advice = match kinds.as_slice() {
            [only] => format!("{} assumes a role with {}", only.describe(), only.action()),
            _ => format!(
                "they assume a role with {}",
                kinds
                    .iter()
                    .map(|c| c.action())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        };
        let mut finding = Finding::new(
            Code::TrustActionMismatch,
            action.range,
            format!(
                "{} is the call of {}, which this statement does not trust (it trusts {who}): the action grants nothing; {advice}",
                needs.action(),
                needs.describe()
            ),
        );
        if let [only] = kinds.as_slice() {
            let already = actions
                .items
                .iter()
                .any(|a| a.value.eq_ignore_ascii_case(only.action()));
            let edits = replace_string(text, actions.member, action, &[only.action()]);
            if !already && !edits.is_empty() {
                finding = finding
                    .fix(Fix::quick(format!("Change to \"{}\"", only.action()), edits).preferred());
            }
        }
        sink.push(finding);
    }
    if dead_action {
        return;
    }
    // A principal no `AssumeRole…` action of the statement serves, when it has some (a
    // statement of `sts:TagSession` alone serves the principals of another statement).
    let serves = |caller: Caller| {
        actions
            .items
            .iter()
            .any(|a| glob_match(a.as_str(), caller.action()))
    };
    if !Caller::ALL.into_iter().any(serves) {
        return;
    }
    for principal in &principals {
        if serves(principal.caller) {
            continue;
        }
        sink.push(Finding::new(
            Code::TrustActionMismatch,
            principal.string.range,
            format!(
                "{} can only assume a role with {}, which this statement does not allow: it grants this principal nothing",
                principal.caller.describe(),
                principal.caller.action()
            ),
        ));
    }
}

const ROLES_ANYWHERE: &str = "rolesanywhere.amazonaws.com";

/// What IAM Roles Anywhere calls to vend credentials (its trust model page).
const ROLES_ANYWHERE_ACTIONS: [&str; 3] =
    ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"];

/// `roles-anywhere-actions`: over every `Allow` that trusts Roles Anywhere, the three actions
/// it needs.
fn roles_anywhere(policy: &Policy, text: &str, sink: &mut Sink) {
    let mut trusting: Vec<(&Statement, &Str)> = Vec::new();
    for statement in &policy.statements {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(member) = statement.principal else {
            continue;
        };
        for principal_type in principal_types(member) {
            if &*principal_type.key.value != "Service" {
                continue;
            }
            for string in strings(principal_type.value.as_ref()) {
                if string.value.eq_ignore_ascii_case(ROLES_ANYWHERE) {
                    trusting.push((statement, string));
                }
            }
        }
    }
    if trusting.is_empty() {
        return;
    }
    let mut granted = [false; 3];
    for (statement, _) in &trusting {
        let lists = match (statement.action, statement.not_action) {
            (Some(_), _) => known_actions(statement).map(|list| (list, false)),
            (None, Some(member)) => {
                let list = StringList::new(member, true);
                let value = member.value.as_ref();
                (value.is_some_and(all_strings)
                    && !list.items.iter().any(|s| s.value.contains("${")))
                .then_some((list, true))
            }
            (None, None) => return,
        };
        // Actions not known here may grant what is missing.
        let Some((list, negated)) = lists else {
            return;
        };
        for (needed, granted) in ROLES_ANYWHERE_ACTIONS.iter().zip(granted.iter_mut()) {
            let listed = list.items.iter().any(|a| glob_match(a.as_str(), needed));
            *granted |= listed != negated;
        }
    }
    let missing: Vec<&str> = ROLES_ANYWHERE_ACTIONS
        .iter()
        .zip(granted)
        .filter(|(_, granted)| !granted)
        .map(|(action, _)| *action)
        .collect();
    if missing.is_empty() {
        return;
    }
    for (statement, string) in &trusting {
        let mut finding = Finding::new(
            Code::RolesAnywhereActions,
            string.range,
            format!(
                "IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession to vend credentials for this role, and the policy does not allow {}: its sessions fail",
                missing.join(", ")
            ),
        );
        if trusting.len() == 1
            && let Some(member) = statement.action
        {
            let edits = append_strings(text, member, &missing);
            if !edits.is_empty() {
                finding = finding
                    .fix(Fix::quick(format!("Add {}", missing.join(", ")), edits).preferred());
            }
        }
        sink.push(finding);
    }
}
