//! `redundant-principal`: an STS session `arn:…:sts::ACCOUNT:assumed-role/ROLE/SESSION` listed
//! in `Principal` next to its role `arn:…:iam::ACCOUNT:role/[PATH/]ROLE`. A role principal
//! already matches every session of the role, so the session adds nothing. Not in
//! `NotPrincipal`, where AWS asks for both to exempt a role's sessions.

use super::{principal_types, strings};
use crate::analysis::json_edit::replace_string;
use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding, Fix};
use crate::policy::Statement;
use crate::policy::arn::{ArnText, parse_arn};

/// `(partition, account, role name)` of a role ARN or of a session's role.
type RoleId<'t> = (&'t str, &'t str, &'t str);

fn role(text: &str) -> Option<RoleId<'_>> {
    let ArnText::Arn(arn) = parse_arn(text) else {
        return None;
    };
    let resource = arn.resource().text;
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    (arn.service().text == "iam" && !name.is_empty()).then_some((
        arn.partition().text,
        arn.account().text,
        name,
    ))
}

fn session_role(text: &str) -> Option<RoleId<'_>> {
    let ArnText::Arn(arn) = parse_arn(text) else {
        return None;
    };
    let (name, session) = arn
        .resource()
        .text
        .strip_prefix("assumed-role/")?
        .split_once('/')?;
    (arn.service().text == "sts" && !name.is_empty() && !session.is_empty()).then_some((
        arn.partition().text,
        arn.account().text,
        name,
    ))
}

pub(super) fn check(statement: &Statement, text: &str, sink: &mut Sink) {
    let Some(member) = statement.principal else {
        return;
    };
    for principal_type in principal_types(member) {
        if &*principal_type.key.value != "AWS" {
            continue;
        }
        let values = strings(principal_type.value.as_ref());
        let unknown = |s: &str| s.contains(['*', '?']) || s.contains("${");
        let roles: Vec<(RoleId, &str)> = values
            .iter()
            .filter(|s| !unknown(s.as_str()))
            .filter_map(|s| Some((role(s.as_str())?, s.as_str())))
            .collect();
        if roles.is_empty() {
            continue;
        }
        for session in &values {
            if unknown(session.as_str()) {
                continue;
            }
            let Some(id) = session_role(session.as_str()) else {
                continue;
            };
            let Some((_, parent)) = roles.iter().find(|(r, _)| *r == id) else {
                continue;
            };
            let mut finding = Finding::new(
                Code::RedundantPrincipal,
                session.range,
                format!(
                    "the role `{parent}` already matches every session of the role, this one included: the session principal adds nothing"
                ),
            );
            let edits = replace_string(text, principal_type, session, &[] as &[&str]);
            if !edits.is_empty() {
                finding = finding.fix(Fix::quick("Remove the session principal", edits).safe());
            }
            sink.push(finding);
        }
    }
}
