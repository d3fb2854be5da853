//! Suggestions: entries of `Action`, `NotAction`, `Resource` and `NotResource` that another
//! entry of the same list already covers (`redundant-action`, `redundant-resource`), and empty
//! `Condition`, operator and `Principal` objects (`empty-object`). Removing a covered entry
//! changes nothing, so each comes with that fix.

mod coverage;
mod statements;
#[cfg(test)]
mod tests;

use super::Sink;
use super::actions::ResolvedActions;
use crate::analysis::json_edit::{remove_member, replace_string};
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::policy::{Policy, StringList, if_branches, is_intrinsic};
use crate::syntax::{Member, Object, Str, TextRange, Value, ValueKind};
use coverage::witnesses;

/// `resolved` is what the actions rule found of the action lists (empty when it did not run).
pub(crate) fn check(policy: &Policy, text: &str, sink: &mut Sink, resolved: &ResolvedActions) {
    if sink.wants(Code::RedundantStatement) {
        statements::check(policy, text, sink);
    }
    for statement in &policy.statements {
        if sink.wants(Code::RedundantAction)
            && let Some(actions) = statement.actions()
        {
            let numbers = resolved.of(&actions);
            check_list(text, &actions, Code::RedundantAction, sink, numbers);
        }
        if sink.wants(Code::RedundantResource)
            && let Some(resources) = statement.resources()
        {
            check_list(text, &resources, Code::RedundantResource, sink, None);
        }
        if sink.wants(Code::EmptySid)
            && let Some(sid) = statement.sid
            && statement.sid() == Some("")
            && let Some(index) = statement
                .object
                .members
                .iter()
                .position(|m| std::ptr::eq(m, sid))
        {
            let mut finding = Finding::new(
                Code::EmptySid,
                value_range(sid),
                "the Sid is empty: it names nothing, remove it or give the statement a name",
            )
            .severity(Severity::Hint);
            if let Some(edit) = remove_member(text, statement.object, index) {
                finding = finding.fix(Fix::quick("Remove the empty Sid", vec![edit]).preferred());
            }
            sink.push(finding);
        }
        if sink.wants(Code::EmptyObject) {
            check_empty_objects(text, statement.object, sink);
        }
    }
}

/// Each entry covered by another: by one that covers strictly more, or by an equal one
/// written before it. (Following "covered by" from any reported entry ends at an entry that
/// is not reported, so removing all of them keeps what the list means.)
fn check_list(
    text: &str,
    list: &StringList,
    code: Code,
    sink: &mut Sink,
    actions: Option<&[Option<u32>]>,
) {
    let items = &list.items;
    // The branches of a CloudFormation `Fn::If` are alternatives, not entries of one list.
    if items.len() < 2 || has_alternatives(list.member.value.as_ref()) {
        return;
    }
    // An unterminated string may still be typed; an empty one means nothing.
    let values: Vec<Option<&str>> = items
        .iter()
        .map(|item| (item.terminated && !item.value.is_empty()).then_some(&*item.value))
        .collect();
    let case_sensitive = code == Code::RedundantResource;
    for (i, witness) in witnesses(values, case_sensitive, actions)
        .into_iter()
        .enumerate()
    {
        // Ask before building: a finding's fix costs a pass over the list, and a list of
        // 200,000 equal entries has 199,999 findings, most of them over the cap.
        if let Some(j) = witness
            && sink.admits(code, Severity::Hint, items[i].range)
        {
            sink.push(redundant(text, list, items[i], items[j], code));
        }
    }
}

/// Whether a list (or the value standing for it) holds a `Fn::If`.
fn has_alternatives(value: Option<&Value>) -> bool {
    let Some(value) = value else { return false };
    if if_branches(value).is_some() {
        return true;
    }
    match &value.kind {
        ValueKind::Array(array) => array.elements.iter().any(|e| if_branches(e).is_some()),
        _ => false,
    }
}

fn redundant(text: &str, list: &StringList, item: &Str, other: &Str, code: Code) -> Finding {
    let element = list.member.key.value.as_ref();
    let how = if item.value.eq_ignore_ascii_case(&other.value) {
        "is listed twice".to_string()
    } else {
        format!("is already covered by \"{}\"", other.value)
    };
    let mut finding = Finding::new(
        code,
        item.range,
        format!(
            "\"{}\" {how} in this {element}: removing it changes nothing",
            item.value
        ),
    )
    .related(other.range, "the entry that covers it")
    .severity(Severity::Hint);
    let edits = replace_string(text, list.member, item, &[] as &[&str]);
    if !edits.is_empty() {
        finding = finding.fix(Fix::quick(format!("Remove \"{}\"", item.value), edits).preferred());
    }
    finding
}

/// `"Condition": {}`, `{"StringEquals": {}}` and `"Principal": {}`.
fn check_empty_objects(text: &str, statement: &Object, sink: &mut Sink) {
    for (index, member) in statement.members.iter().enumerate() {
        let empty = empty_object(member);
        match &*member.key.value {
            "Condition" if empty => {
                let mut finding = Finding::new(
                    Code::EmptyObject,
                    value_range(member),
                    "Condition is empty: it adds nothing, remove it",
                )
                .severity(Severity::Hint);
                if let Some(edit) = remove_member(text, statement, index) {
                    finding = finding
                        .fix(Fix::quick("Remove the empty Condition", vec![edit]).preferred());
                }
                sink.push(finding);
            }
            "Condition" => check_empty_operators(text, member, sink),
            "Principal" | "NotPrincipal" if empty => sink.push(
                Finding::new(
                    Code::EmptyObject,
                    value_range(member),
                    format!(
                        "{} is empty: the statement applies to no one; name a principal or \"*\"",
                        member.key.value
                    ),
                )
                .severity(Severity::Warning),
            ),
            _ => {}
        }
    }
}

fn value_range(member: &Member) -> TextRange {
    member.value.as_ref().map_or(member.key.range, |v| v.range)
}

fn check_empty_operators(text: &str, condition: &Member, sink: &mut Sink) {
    let Some(operators) = condition.value.as_ref().and_then(|v| v.as_object()) else {
        return;
    };
    for (index, operator) in operators.members.iter().enumerate() {
        if !empty_object(operator) {
            continue;
        }
        let mut finding = Finding::new(
            Code::EmptyObject,
            value_range(operator),
            format!(
                "{} has no condition keys: it adds nothing, remove it",
                operator.key.value
            ),
        )
        .severity(Severity::Hint);
        if let Some(edit) = remove_member(text, operators, index) {
            finding = finding.fix(
                Fix::quick(
                    format!("Remove the empty {}", operator.key.value),
                    vec![edit],
                )
                .preferred(),
            );
        }
        sink.push(finding);
    }
}

/// An empty object; one that is not closed (a member of it being typed, left out of the
/// settled tree) is not known to be empty, as for `empty-array`.
fn empty_object(member: &Member) -> bool {
    member.value.as_ref().is_some_and(|value| {
        !is_intrinsic(value)
            && matches!(&value.kind, ValueKind::Object(object) if object.members.is_empty() && object.closed)
    })
}
