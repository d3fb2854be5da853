//! Element names (`unknown-element`) and keys repeated in one object (`duplicate-key`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::super::Sink;
use crate::analysis::{Code, Finding, Fix};
use crate::policy::elements::{POLICY_ELEMENTS, STATEMENT_ELEMENTS};
use crate::suggest::closest;
use crate::syntax::{Member, Object, Str};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Policy,
    Statement,
}

/// Unknown element names and duplicate keys of a policy or statement object.
pub(super) fn check_keys(object: &Object, place: Place, sink: &mut Sink) {
    if sink.wants(Code::UnknownElement) {
        unknown_elements(object, place, sink);
    }
    check_duplicate_keys(object, "key", sink);
}

fn unknown_elements(object: &Object, place: Place, sink: &mut Sink) {
    let (known, other, here, elsewhere) = match place {
        Place::Policy => (
            POLICY_ELEMENTS,
            STATEMENT_ELEMENTS,
            "at the top of a policy",
            "inside a statement",
        ),
        Place::Statement => (
            STATEMENT_ELEMENTS,
            POLICY_ELEMENTS,
            "in a statement",
            "at the top of the policy",
        ),
    };
    for member in &object.members {
        let key = &member.key;
        if !key.terminated || known.iter().any(|e| e.name == &*key.value) {
            continue;
        }
        let names: Vec<&str> = known.iter().map(|e| e.name).collect();
        let message = if other.iter().any(|e| e.name == &*key.value) {
            format!(
                "\"{}\" is not allowed {here}; it belongs {elsewhere}",
                key.value
            )
        } else {
            format!("\"{}\" is not a policy element {here}", key.value)
        };
        let mut finding = Finding::new(Code::UnknownElement, key.range, message);
        let suggestions = closest(
            &key.value,
            &names,
            3.min(key.value.len().saturating_sub(1)).max(1),
        );
        if let [only] = suggestions.as_slice() {
            finding
                .message
                .push_str(&format!("; did you mean \"{only}\"?"));
        }
        for (i, suggestion) in suggestions.iter().enumerate() {
            let fix = Fix::replace(
                format!("Rename to \"{suggestion}\""),
                key.content_range(),
                *suggestion,
            )
            // Safe for `effect` → `Effect`: the element the key can only mean.
            .safe_if_case_only(&key.value, suggestion);
            finding = finding.fix(if i == 0 && suggestions.len() == 1 {
                fix.preferred()
            } else {
                fix
            });
        }
        sink.push(finding);
    }
}

/// Keys that repeat in one object, comparing case-insensitively (IAM reads element names
/// exactly, so two spellings of one name are at best confusing and at worst ignored).
pub(super) fn check_duplicate_keys(object: &Object, what: &str, sink: &mut Sink) {
    if !sink.wants(Code::DuplicateKey) {
        return;
    }
    for (key, first) in repeated_keys(&object.members) {
        let message = if first.value == key.value {
            format!(
                "duplicate {what} \"{}\": JSON readers keep only one of them",
                key.value
            )
        } else {
            format!(
                "{what} \"{}\" differs only in case from an earlier {what} of this object",
                key.value
            )
        };
        sink.push(
            Finding::new(Code::DuplicateKey, key.range, message)
                .related(first.range, "first occurrence"),
        );
    }
}

/// Objects up to this size are searched pairwise: policy objects are small, and hashing a
/// lower-cased copy of every key cost more than the rest of the grammar rules.
const PAIRWISE_UP_TO: usize = 16;

/// Each complete key equal but for case to an earlier one, with the first of them.
fn repeated_keys(members: &[Member]) -> Vec<(&Str, &Str)> {
    let keys = || members.iter().map(|m| &m.key).filter(|k| k.terminated);
    let mut repeated = Vec::new();
    if members.len() <= PAIRWISE_UP_TO {
        for (i, key) in keys().enumerate() {
            if let Some(first) = keys()
                .take(i)
                .find(|k| k.value.eq_ignore_ascii_case(&key.value))
            {
                repeated.push((key, first));
            }
        }
        return repeated;
    }
    let mut seen: HashMap<String, &Str> = HashMap::with_capacity(members.len());
    for key in keys() {
        match seen.entry(key.value.to_ascii_lowercase()) {
            Entry::Occupied(first) => repeated.push((key, *first.get())),
            Entry::Vacant(slot) => {
                slot.insert(key);
            }
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{TextRange, Value};

    /// The definition: each key against every earlier one, lower-cased as ASCII (IAM element
    /// names are ASCII; `Ünï` and `ünï` are different keys).
    fn repeated_by_definition(members: &[Member]) -> Vec<(TextRange, TextRange)> {
        let keys: Vec<&Str> = members
            .iter()
            .map(|m| &m.key)
            .filter(|k| k.terminated)
            .collect();
        (0..keys.len())
            .filter_map(|i| {
                let first = keys[..i]
                    .iter()
                    .find(|k| k.value.to_ascii_lowercase() == keys[i].value.to_ascii_lowercase())?;
                Some((keys[i].range, first.range))
            })
            .collect()
    }

    #[test]
    fn repeated_keys_agree_with_their_definition_small_and_large() {
        let names = [
            "Effect", "effect", "EFFECT", "Action", "Sid", "sid", "Ünï", "ünï",
        ];
        // Deterministic pseudo-random objects of 2 to 40 members (both sides of the
        // pairwise limit), drawing keys from a few names so that they repeat.
        let mut state = 0x2545_f491_u32;
        for size in 2..=40 {
            for _ in 0..20 {
                let keys: Vec<String> = (0..size)
                    .map(|i| {
                        state ^= state << 13;
                        state ^= state >> 17;
                        state ^= state << 5;
                        let name = names[state as usize % names.len()];
                        // Mostly distinct keys, some repeats.
                        if state.is_multiple_of(3) {
                            name.to_string()
                        } else {
                            format!("{name}{i}")
                        }
                    })
                    .collect();
                let text = format!(
                    "{{{}}}",
                    keys.iter()
                        .map(|k| format!("\"{k}\": 1"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let parse = crate::syntax::parse(&text);
                let object = parse.root.as_ref().and_then(Value::as_object).unwrap();
                let fast: Vec<(TextRange, TextRange)> = repeated_keys(&object.members)
                    .into_iter()
                    .map(|(key, first)| (key.range, first.range))
                    .collect();
                assert_eq!(fast, repeated_by_definition(&object.members), "{text}");
            }
        }
    }
}
