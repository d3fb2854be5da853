//! Suggestions: entries of `Action`, `NotAction`, `Resource` and `NotResource` that another
//! entry of the same list already covers (`redundant-action`, `redundant-resource`), and empty
//! `Condition`, operator and `Principal` objects (`empty-object`). Removing a covered entry
//! changes nothing, so each comes with that fix.

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use super::Sink;
use crate::analysis::json_edit::{remove_member, replace_string};
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::policy::{Policy, StringList, is_intrinsic};
use crate::syntax::{Member, Object, Str, TextRange, ValueKind};

pub(crate) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    for statement in &policy.statements {
        if sink.wants(Code::RedundantAction)
            && let Some(actions) = statement.actions()
        {
            check_list(text, &actions, Code::RedundantAction, sink);
        }
        if sink.wants(Code::RedundantResource)
            && let Some(resources) = statement.resources()
        {
            check_list(text, &resources, Code::RedundantResource, sink);
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
fn check_list(text: &str, list: &StringList, code: Code, sink: &mut Sink) {
    let items = &list.items;
    if items.len() < 2 {
        return;
    }
    let case_sensitive = code == Code::RedundantResource;
    let same = |a: &str, b: &str| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    // Only a wildcard or an equal entry can cover an entry: lists of thousands of actions have
    // a few wildcards, each compared only with the entries that start with its literal prefix.
    let wildcards: Vec<(usize, &str)> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| usable(item) && item.value.contains(['*', '?']))
        .map(|(j, item)| (j, &item.value[..item.value.find(['*', '?']).unwrap_or(0)]))
        .collect();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if !usable(item) {
            continue;
        }
        let name = &*item.value;
        let folded = if case_sensitive {
            name.to_string()
        } else {
            name.to_ascii_lowercase()
        };
        let first = *first_of.entry(folded).or_insert(i);
        let witness = if first != i {
            Some(first)
        } else {
            wildcards.iter().find_map(|&(j, prefix)| {
                let other = &*items[j].value;
                let candidate = j != i
                    && name.len() >= prefix.len()
                    && name.is_char_boundary(prefix.len())
                    && same(&name[..prefix.len()], prefix)
                    && covers(other, name, case_sensitive)
                    && (j < i || !covers(name, other, case_sensitive));
                candidate.then_some(j)
            })
        };
        let Some(j) = witness else { continue };
        sink.push(redundant(text, list, item, items[j], code));
    }
}

/// Entries whose meaning is known here: no policy variable or template placeholder.
fn usable(item: &Str) -> bool {
    item.terminated && !item.value.is_empty() && !item.value.contains("${")
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

/// Whether every string the pattern `inner` matches is matched by `outer` (`*`: any run of
/// characters, `?`: one character). Sufficient, not necessary: `outer`'s `*` may stand for any
/// part of `inner`, its `?` for one character or `?` of `inner`, its literals only for the same
/// literal. Actions compare ignoring case, resources with it.
pub(crate) fn covers(outer: &str, inner: &str, case_sensitive: bool) -> bool {
    let (o, n) = (outer.as_bytes(), inner.as_bytes());
    // reach[j]: outer[..i] can stand for inner[..j].
    let mut reach = vec![false; n.len() + 1];
    reach[0] = true;
    for &oc in o {
        let mut next = vec![false; n.len() + 1];
        match oc {
            b'*' => {
                let mut any = false;
                for j in 0..=n.len() {
                    any |= reach[j];
                    next[j] = any;
                }
            }
            b'?' => {
                for j in 0..n.len() {
                    next[j + 1] = reach[j] && n[j] != b'*';
                }
            }
            _ => {
                for j in 0..n.len() {
                    let same = if case_sensitive {
                        n[j] == oc
                    } else {
                        n[j].eq_ignore_ascii_case(&oc)
                    };
                    next[j + 1] = reach[j] && same && n[j] != b'*' && n[j] != b'?';
                }
            }
        }
        reach = next;
    }
    reach[n.len()]
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

fn empty_object(member: &Member) -> bool {
    member.value.as_ref().is_some_and(|value| {
        !is_intrinsic(value)
            && matches!(&value.kind, ValueKind::Object(object) if object.members.is_empty())
    })
}
