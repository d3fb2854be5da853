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

use super::Sink;
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

pub(super) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    if policy.statements.len() < 2 {
        return;
    }
    // First the shape of each statement, which reads no string's bytes; only statements that
    // share theirs with another get a fingerprint.
    let shapes: Vec<u64> = policy.statements.iter().map(shape).collect();
    let mut sorted = shapes.clone();
    sorted.sort_unstable();
    let shared = |shape: u64| {
        let at = sorted.partition_point(|&s| s < shape);
        sorted.get(at + 1) == Some(&shape)
    };
    // By fingerprint, the first statements of each normal form (computed when first needed):
    // a generated policy may repeat one statement 100,000 times.
    let mut firsts: HashMap<u64, Vec<(usize, Option<String>)>> = HashMap::new();
    for (index, statement) in policy.statements.iter().enumerate() {
        if !shared(shapes[index]) {
            continue;
        }
        let print = fingerprint(statement, text);
        let candidates = firsts.entry(print).or_default();
        let mut duplicate_of = None;
        if !candidates.is_empty() {
            let normal = normal_form(statement, text);
            for (first, first_normal) in candidates.iter_mut() {
                let first_normal = first_normal
                    .get_or_insert_with(|| normal_form(&policy.statements[*first], text));
                if *first_normal == normal {
                    duplicate_of = Some(*first);
                    break;
                }
            }
        }
        match duplicate_of {
            // Ask before building: past the findings limit it would not be kept.
            Some(original) => {
                if sink.admits(
                    Code::RedundantStatement,
                    Severity::Hint,
                    statement.value.range,
                ) {
                    sink.push(redundant(policy, index, original));
                }
            }
            None => candidates.push((index, None)),
        }
    }
}

fn redundant(policy: &Policy, index: usize, original: usize) -> Finding {
    let statement = &policy.statements[index];
    let first = &policy.statements[original];
    // By number: two statements may share a Sid.
    let label = |i: usize, s: &Statement| match s.sid() {
        Some(sid) if !sid.is_empty() => format!("statement {} (\"{sid}\")", i + 1),
        _ => format!("statement {}", i + 1),
    };
    let mut finding = Finding::new(
        Code::RedundantStatement,
        statement.value.range,
        format!(
            "{} is the same as {}{}: it grants or denies nothing more; remove it, so that an edit to one cannot leave the other behind",
            label(index, statement),
            label(original, first),
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
            .fix(Fix::quick(format!("Remove statement {}", index + 1), vec![edit]).preferred());
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

const SEED: u64 = 0xcbf2_9ce4_8422_2325;
const K: u64 = 0x517c_c1b7_2722_0a95;

/// A strong mix, so that sums of fingerprints of different sets rarely collide.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// ASCII upper-case letters of `word` to lower case, eight bytes at once (words with a byte
/// over 0x7F, where the carries would spill, a byte at a time).
fn lower_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if word & HIGH != 0 {
        return u64::from_le_bytes(word.to_le_bytes().map(|b| b.to_ascii_lowercase()));
    }
    // A byte's high bit: at least `A` and not over `Z`.
    let upper = word.wrapping_add(ONES * (0x80 - b'A' as u64))
        & !word.wrapping_add(ONES * (0x80 - b'Z' as u64 - 1))
        & HIGH;
    word | (upper >> 2)
}

/// A string's print, eight bytes at a time (the statements of AWS's largest policies hold
/// 200 KB of actions: a byte at a time costs a tenth of a millisecond).
fn string_print(s: &str, case: Case) -> u64 {
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let mut h = SEED ^ bytes.len() as u64;
    let mut add = |word: u64| {
        let word = match case {
            Case::Exact => word,
            Case::Insensitive => lower_word(word),
        };
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    };
    for chunk in &mut chunks {
        add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        add(u64::from_le_bytes(last));
    }
    mix(h)
}

/// What equal statements share, whatever the order, repeats and case of their entries: their
/// members' names and, for each value, its kind and the shortest and longest string in it.
fn shape(statement: &Statement) -> u64 {
    members(statement).fold(0u64, |sum, (key, value, _)| {
        sum.wrapping_add(mix(
            string_print(key, Case::Exact) ^ value_shape(value).rotate_left(7)
        ))
    })
}

fn value_shape(value: &Value) -> u64 {
    let lengths = |strings: &mut dyn Iterator<Item = usize>| {
        strings.fold((usize::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)))
    };
    match &value.kind {
        ValueKind::String(s) => {
            let (lo, hi) = lengths(&mut std::iter::once(s.value.len()));
            mix(1 ^ ((lo as u64) << 8) ^ ((hi as u64) << 36))
        }
        ValueKind::Array(array) if array.elements.iter().all(|e| e.as_str().is_some()) => {
            let (lo, hi) = lengths(
                &mut array
                    .elements
                    .iter()
                    .filter_map(|e| e.as_str())
                    .map(|s| s.value.len()),
            );
            mix(1 ^ ((lo as u64) << 8) ^ ((hi as u64) << 36))
        }
        ValueKind::Array(_) => 2,
        ValueKind::Object(object) => object.members.iter().fold(3u64, |sum, m| {
            sum.wrapping_add(mix(
                m.key.value.len() as u64 ^ m.value.as_ref().map_or(0, value_shape).rotate_left(11)
            ))
        }),
        _ => 4,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_lower_case_as_bytes_do() {
        for text in [
            "ABCDEFGH",
            "@[`{azAZ",
            "s3:GetOb",
            "Zz09-_:*",
            "\u{e9}A\u{c9}xyzw",
        ] {
            let mut bytes = [0u8; 8];
            bytes[..text.len().min(8)].copy_from_slice(&text.as_bytes()[..text.len().min(8)]);
            let word = u64::from_le_bytes(bytes);
            let expected = u64::from_le_bytes(bytes.map(|b| b.to_ascii_lowercase()));
            assert_eq!(lower_word(word), expected, "{text}");
        }
        assert_eq!(
            string_print("S3:GetObjectAcl", Case::Insensitive),
            string_print("s3:getobjectacl", Case::Insensitive)
        );
        assert_ne!(
            string_print("S3:GetObjectAcl", Case::Exact),
            string_print("s3:getobjectacl", Case::Exact)
        );
    }
}
