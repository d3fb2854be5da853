//! `redundant-statement`: a statement that grants or denies exactly what an earlier one does
//! (IAM Access Analyzer's "Redundant statement"). Two statements are equal when they are
//! after normalising what IAM does not distinguish: the `Sid` is left out, the order of
//! members and of list entries does not count, nor a single value against a one-element list,
//! nor repeated entries, nor the case of actions and condition keys. Everything else compares
//! as written (resources and condition values are case-sensitive).
//!
//! Each statement gets a fingerprint in one pass, without allocating, that neither order nor
//! repeats change; only statements with equal fingerprints are compared in their normal form.

use std::collections::HashMap;

use crate::analysis::json_edit::remove_element;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::policy::{Policy, Statement};
use crate::syntax::{Value, ValueKind};

/// How strings compare at a place of a statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Exact,
    /// Actions.
    Insensitive,
}

pub(super) fn check(policy: &Policy, text: &str, push: &mut dyn FnMut(Finding)) {
    if policy.statements.len() < 2 {
        return;
    }
    let mut first_by_print: HashMap<u64, Vec<usize>> = HashMap::new();
    for (index, statement) in policy.statements.iter().enumerate() {
        let print = fingerprint(statement, text);
        let earlier = first_by_print.entry(print).or_default();
        let duplicate_of = match earlier.as_slice() {
            [] => None,
            candidates => {
                let normal = normal_form(statement, text);
                candidates
                    .iter()
                    .copied()
                    .find(|&e| normal_form(&policy.statements[e], text) == normal)
            }
        };
        match duplicate_of {
            Some(original) => push(redundant(policy, index, original)),
            None => earlier.push(index),
        }
    }
}

fn redundant(policy: &Policy, index: usize, original: usize) -> Finding {
    let statement = &policy.statements[index];
    let first = &policy.statements[original];
    let mut finding = Finding::new(
        Code::RedundantStatement,
        statement.value.range,
        format!(
            "{} is the same as {}{}: it grants or denies nothing more; remove it, so that an edit to one cannot leave the other behind",
            statement.label(index),
            first.label(original),
            if statement.sid() != first.sid() {
                " but for its Sid"
            } else {
                ""
            }
        ),
    )
    .severity(Severity::Hint)
    .related(first.value.range, "the same statement, first");
    let array = policy
        .statement
        .and_then(|m| m.value.as_ref())
        .and_then(|v| match &v.kind {
            ValueKind::Array(array) => Some(array),
            _ => None,
        });
    if let Some(edit) = array.and_then(|a| remove_element(a, statement.value.range)) {
        finding = finding
            .fix(Fix::quick(format!("Remove {}", statement.label(index)), vec![edit]).preferred());
    }
    finding
}

/// Which members of a statement count, and how their strings compare.
fn members<'s>(statement: &Statement<'s>) -> impl Iterator<Item = (&'s str, &'s Value, Case)> {
    statement
        .object
        .members
        .iter()
        .filter(|m| &*m.key.value != "Sid")
        .filter_map(|m| {
            let key = &*m.key.value;
            let case = match key {
                "Action" | "NotAction" => Case::Insensitive,
                _ => Case::Exact,
            };
            m.value.as_ref().map(|v| (key, v, case))
        })
}

// ---- The fingerprint: equal for statements equal in normal form. ----

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(bytes: impl Iterator<Item = u8>, seed: u64) -> u64 {
    bytes.fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// A strong mix, so that sums of fingerprints of different sets rarely collide.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn string_print(s: &str, case: Case) -> u64 {
    let bytes = s.bytes();
    mix(match case {
        Case::Exact => fnv(bytes, FNV_OFFSET),
        Case::Insensitive => fnv(bytes.map(|b| b.to_ascii_lowercase()), FNV_OFFSET),
    })
}

fn fingerprint(statement: &Statement, text: &str) -> u64 {
    members(statement).fold(0u64, |sum, (key, value, case)| {
        let condition = key == "Condition";
        sum.wrapping_add(mix(
            string_print(key, Case::Exact) ^ value_print(value, text, case, condition, 0)
        ))
    })
}

/// The print of a set of prints: of its least and greatest, which neither order nor repeats
/// change (sets that share both are told apart by their normal forms).
fn set_print(prints: impl Iterator<Item = u64>) -> u64 {
    let (least, greatest) = prints.fold((u64::MAX, 0), |(lo, hi), p| (lo.min(p), hi.max(p)));
    mix(least ^ greatest.rotate_left(29))
}

/// Lists are sets (a single value is the list of it); objects are sets of members. Under
/// `Condition`, keys (depth 1) ignore case.
fn value_print(value: &Value, text: &str, case: Case, condition: bool, depth: u8) -> u64 {
    match &value.kind {
        ValueKind::String(s) => set_print(std::iter::once(string_print(&s.value, case))),
        ValueKind::Array(array) => set_print(
            array
                .elements
                .iter()
                .map(|e| element_print(e, text, case, condition, depth)),
        ),
        ValueKind::Object(object) => object.members.iter().fold(1u64, |sum, m| {
            let key_case = if condition && depth == 1 {
                Case::Insensitive
            } else {
                Case::Exact
            };
            let value = m.value.as_ref().map_or(0, |v| {
                value_print(v, text, case, condition, depth.saturating_add(1))
            });
            sum.wrapping_add(mix(
                string_print(&m.key.value, key_case).rotate_left(17) ^ value
            ))
        }),
        _ => string_print(text.get(value.range.as_usize()).unwrap_or(""), Case::Exact),
    }
}

/// An element of a list: a string is itself, not the list of it.
fn element_print(value: &Value, text: &str, case: Case, condition: bool, depth: u8) -> u64 {
    match &value.kind {
        ValueKind::String(s) => string_print(&s.value, case),
        _ => value_print(value, text, case, condition, depth),
    }
}

// ---- The normal form: compared only when fingerprints are equal. ----

fn normal_form(statement: &Statement, text: &str) -> String {
    let mut parts: Vec<String> = members(statement)
        .map(|(key, value, case)| {
            let condition = key == "Condition";
            format!("{key}={}", normal_value(value, text, case, condition, 0))
        })
        .collect();
    parts.sort_unstable();
    parts.join(";")
}

fn normal_value(value: &Value, text: &str, case: Case, condition: bool, depth: u8) -> String {
    let string = |s: &str, case: Case| match case {
        Case::Exact => format!("{s:?}"),
        Case::Insensitive => format!("{:?}", s.to_ascii_lowercase()),
    };
    match &value.kind {
        ValueKind::String(s) => format!("[{}]", string(&s.value, case)),
        ValueKind::Array(array) => {
            let mut elements: Vec<String> = array
                .elements
                .iter()
                .map(|e| {
                    let normal = normal_value(e, text, case, condition, depth);
                    // A string element is its own list: keep the inside.
                    match &e.kind {
                        ValueKind::String(_) => normal[1..normal.len() - 1].to_string(),
                        _ => normal,
                    }
                })
                .collect();
            elements.sort_unstable();
            elements.dedup();
            format!("[{}]", elements.join(","))
        }
        ValueKind::Object(object) => {
            let key_case = if condition && depth == 1 {
                Case::Insensitive
            } else {
                Case::Exact
            };
            let mut members: Vec<String> = object
                .members
                .iter()
                .map(|m| {
                    let value = m.value.as_ref().map_or(String::new(), |v| {
                        normal_value(v, text, case, condition, depth.saturating_add(1))
                    });
                    format!("{}:{value}", string(&m.key.value, key_case))
                })
                .collect();
            members.sort_unstable();
            format!("{{{}}}", members.join(","))
        }
        _ => text.get(value.range.as_usize()).unwrap_or("").to_string(),
    }
}
