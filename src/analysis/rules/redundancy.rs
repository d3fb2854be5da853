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
    let fold = |text: &str| {
        if case_sensitive {
            text.to_string()
        } else {
            text.to_ascii_lowercase()
        }
    };
    let same = |a: &str, b: &str| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    // Equal entries, without allocating: the indices sorted by a hash of their folded text
    // (FNV-1a), then compared within each run of equal hashes.
    let hash = |text: &str| {
        text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            let b = if case_sensitive {
                b
            } else {
                b.to_ascii_lowercase()
            };
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let order: Vec<usize> = (0..items.len()).filter(|&i| usable(items[i])).collect();
    let mut keyed: Vec<(u64, usize)> = order.iter().map(|&i| (hash(&items[i].value), i)).collect();
    keyed.sort_unstable();
    let mut first_of: Vec<usize> = (0..items.len()).collect();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        for (k, &(_, i)) in run.iter().enumerate() {
            if let Some(&(_, first)) = run[..k]
                .iter()
                .find(|(_, j)| same(&items[*j].value, &items[i].value))
            {
                first_of[i] = first;
            }
        }
    }
    // A wildcard covers only entries that start with its literal prefix: lists of thousands
    // of actions are looked up by prefix.
    let mut wildcards: HashMap<String, Vec<usize>> = HashMap::new();
    for &j in &order {
        if let Some(at) = items[j].value.find(['*', '?']) {
            wildcards
                .entry(fold(&items[j].value[..at]))
                .or_default()
                .push(j);
        }
    }
    for &i in &order {
        let item = items[i];
        let name = &*item.value;
        let witness = if first_of[i] != i {
            Some(first_of[i])
        } else if wildcards.is_empty() {
            None
        } else {
            let folded = fold(name);
            (0..=folded.len())
                .filter(|&k| folded.is_char_boundary(k))
                .filter_map(|k| wildcards.get(&folded[..k]))
                .flatten()
                .copied()
                .find(|&j| {
                    let other = &*items[j].value;
                    j != i
                        && covers(other, name, case_sensitive)
                        && (j < i || !covers(name, other, case_sensitive))
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
/// literal. Actions compare ignoring case, resources with it. Non-ASCII text is never said to
/// be covered (a `?` is one character, not one byte).
pub(crate) fn covers(outer: &str, inner: &str, case_sensitive: bool) -> bool {
    if !outer.is_ascii() || !inner.is_ascii() {
        return outer == inner;
    }
    let (o, n) = (outer.as_bytes(), inner.as_bytes());
    let one = |oc: u8, nc: u8| match oc {
        b'?' => nc != b'*',
        _ if nc == b'*' || nc == b'?' => false,
        _ if case_sensitive => oc == nc,
        _ => oc.eq_ignore_ascii_case(&nc),
    };
    // Greedy matching with a return to the last `*` (the classic glob matcher: `outer` is the
    // pattern, `inner`'s characters the text, of which only `*` can take an inner `*`).
    let (mut oi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if oi < o.len() && o[oi] == b'*' {
            star = Some((oi + 1, ni));
            oi += 1;
        } else if oi < o.len() && one(o[oi], n[ni]) {
            oi += 1;
            ni += 1;
        } else if let Some((after, from)) = star {
            oi = after;
            ni = from + 1;
            star = Some((after, from + 1));
        } else {
            return false;
        }
    }
    o[oi..].iter().all(|&c| c == b'*')
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
