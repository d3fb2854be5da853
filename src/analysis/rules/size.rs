//! `policy-too-large`: AWS's size quotas, counted the way AWS counts them.
//!
//! A policy of a known type is measured against its type's quotas (`PolicyType::size_quotas`):
//! IAM counts characters without the whitespace between JSON tokens (customer managed policies
//! and boundaries 6,144; inline policies, per identity and in total, 2,048 for a user, 5,120 for
//! a group, 10,240 for a role; trust policies 2,048 by default, 8,192 at most); AWS
//! Organizations allows an SCP or RCP 5,120 characters, whitespace included when saved through
//! the API or CLI; resource-based policies have their service's quota.
//!
//! When the type is not known and may be an identity policy, the warning fires when the policy
//! is too large to be a managed policy, an SCP or a role's inline policy, and names every quota
//! exceeded; a policy that fits only once minified gets a hint. Otherwise (a policy with a
//! Principal) it fires only when every type it may be has a quota it exceeds.

use super::Sink;
use crate::analysis::{Code, Finding, Severity};
use crate::policy::{Counted, IdentityKind, Policy, PolicyKind, PolicyType, SizeQuota};
use crate::syntax::string::find_special;
use crate::syntax::{SyntaxError, Value, ValueKind};

struct Quota {
    name: &'static str,
    limit: usize,
    /// Exceeding only this quota is not worth a warning (most policies are not user inline).
    alone_warns: bool,
}

const SCP_LIMIT: usize = 5_120;

/// The quotas of a policy whose type is not known, that may be an identity policy.
const QUOTAS: &[Quota] = &[
    Quota {
        name: "customer managed policies (6,144)",
        limit: 6_144,
        alone_warns: true,
    },
    Quota {
        name: "SCPs and RCPs (5,120)",
        limit: SCP_LIMIT,
        alone_warns: true,
    },
    Quota {
        name: "a role's inline policies (10,240)",
        limit: 10_240,
        alone_warns: true,
    },
    Quota {
        name: "a group's inline policies (5,120)",
        limit: 5_120,
        alone_warns: false,
    },
    Quota {
        name: "a user's inline policies (2,048)",
        limit: 2_048,
        alone_warns: false,
    },
];

/// Below this many bytes no quota can be exceeded.
const SMALLEST_QUOTA: usize = 2_048;

pub(crate) fn check(policy: &Policy, text: &str, syntax_errors: &[SyntaxError], sink: &mut Sink) {
    let source = &text[policy.value.range.as_usize()];
    // Nothing can exceed a quota when even its byte length is below the smallest one.
    if source.len() <= SMALLEST_QUOTA {
        return;
    }
    let well_formed = !syntax_errors
        .iter()
        .any(|e| e.range.intersects(policy.value.range));
    let sizes = Sizes::of(policy.value, source, well_formed);
    let kind = &policy.kind;
    let finding = if kind.may_be(|t| t == PolicyType::Identity(IdentityKind::Unspecified)) {
        untyped(policy, &sizes)
    } else {
        typed(policy, kind, &sizes)
    };
    if let Some(finding) = finding {
        sink.push(finding.data(sizes.json()));
    }
}

/// The first quota of `policy_type` that `sizes` exceeds.
fn exceeded(policy_type: PolicyType, sizes: &Sizes) -> Option<&'static SizeQuota> {
    policy_type
        .size_quotas()
        .iter()
        .find(|q| sizes.counted(q.counted) > q.limit)
}

/// A policy that may be of several types: a finding only if it exceeds a quota of each (the
/// mildest), named after the quota of the first.
fn typed(policy: &Policy, kind: &PolicyKind, sizes: &Sizes) -> Option<Finding> {
    let enforcement = kind.mildest(|t| exceeded(t, sizes).map(|q| q.enforcement))?;
    let (policy_type, quota) = kind.types().find_map(|t| {
        exceeded(t, sizes)
            .filter(|q| q.enforcement == enforcement)
            .map(|q| (t, q))
    })?;
    let measure = match quota.counted {
        Counted::Compact => "characters without whitespace",
        Counted::Written => "characters as written",
    };
    Some(
        Finding::new(
            Code::PolicyTooLarge,
            policy.anchor(),
            format!(
                "this {} is {} {measure}: over the AWS size quota for {}",
                policy_type.name(),
                sizes.counted(quota.counted),
                quota.name
            ),
        )
        .severity(Severity::of(enforcement)),
    )
}

/// A policy whose type is not known and may be an identity policy.
fn untyped(policy: &Policy, sizes: &Sizes) -> Option<Finding> {
    let exceeded: Vec<&Quota> = QUOTAS.iter().filter(|q| sizes.compact > q.limit).collect();
    if exceeded.iter().any(|q| q.alone_warns) {
        let names: Vec<&str> = exceeded.iter().map(|q| q.name).collect();
        Some(Finding::new(
            Code::PolicyTooLarge,
            policy.anchor(),
            format!(
                "this policy is {} characters without whitespace: over the AWS size quota for {}",
                sizes.compact,
                names.join(", ")
            ),
        ))
    } else if sizes.written > SCP_LIMIT {
        Some(
            Finding::new(
                Code::PolicyTooLarge,
                policy.anchor(),
                format!(
                    "as written this policy is {} characters: as an SCP or RCP saved through the API or CLI (which keep whitespace) it exceeds the 5,120-character quota; minified it is {}",
                    sizes.written, sizes.compact
                ),
            )
            .severity(Severity::Hint),
        )
    } else {
        None
    }
}

struct Sizes {
    /// Characters, without whitespace outside strings.
    compact: usize,
    /// Characters as written.
    written: usize,
}

impl Sizes {
    /// The sizes of a policy's text `source`, whose tree is `value`. Without syntax errors,
    /// what is not whitespace is exactly the tree's tokens, whose lengths the tree has: a step
    /// per node, where the scan reads every byte. With errors, the text is scanned.
    fn of(value: &Value, source: &str, well_formed: bool) -> Sizes {
        if !well_formed {
            return scan(source);
        }
        let written = characters(source);
        // Whitespace is ASCII: one character per byte.
        let whitespace = source.len().saturating_sub(token_bytes(value));
        Sizes {
            compact: written.saturating_sub(whitespace),
            written,
        }
    }

    fn counted(&self, counted: Counted) -> usize {
        match counted {
            Counted::Compact => self.compact,
            Counted::Written => self.written,
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({"compactCharacters": self.compact, "writtenCharacters": self.written})
    }
}

/// The bytes of a well-formed value's tokens: brackets, keys, colons, commas and leaves.
/// (The parser bounds the nesting, so the recursion is bounded too.)
fn token_bytes(value: &Value) -> usize {
    let separators = |items: usize| 2 + items.saturating_sub(1);
    match &value.kind {
        ValueKind::Object(object) => {
            separators(object.members.len())
                + object
                    .members
                    .iter()
                    .map(|m| {
                        m.key.range.len() as usize + 1 + m.value.as_ref().map_or(0, token_bytes)
                    })
                    .sum::<usize>()
        }
        ValueKind::Array(array) => {
            separators(array.elements.len()) + array.elements.iter().map(token_bytes).sum::<usize>()
        }
        _ => value.range.len() as usize,
    }
}

/// The characters of `source`: its bytes when it is ASCII, as policies mostly are.
fn characters(source: &str) -> usize {
    if source.is_ascii() {
        source.len()
    } else {
        source.chars().count()
    }
}

/// [`Sizes::of`] any text: whitespace is counted outside strings only; a string ends at its
/// closing quote or at a line break, and a backslash escapes the character after it. Strings
/// are skipped a run at a time.
fn scan(source: &str) -> Sizes {
    let bytes = source.as_bytes();
    let written = characters(source);
    let mut whitespace = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                // Indentation comes in runs: count the whole run at once.
                let run = bytes
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                    .count();
                whitespace += 1 + run;
                i += run;
            }
            b'"' => loop {
                let rest = bytes.get(i..).unwrap_or_default();
                let Some(at) = find_special(rest) else {
                    i = bytes.len();
                    break;
                };
                i += at + 1;
                match rest[at] {
                    b'"' | b'\n' => break,
                    // The escaped character (its first byte: the rest are never special).
                    b'\\' => i += 1,
                    // Another control character: still inside the string.
                    _ => {}
                }
            },
            _ => {}
        }
    }
    Sizes {
        compact: written - whitespace,
        written,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, a character at a time.
    fn measure_reference(source: &str) -> Sizes {
        let mut written = 0;
        let mut whitespace = 0;
        let mut in_string = false;
        let mut escaped = false;
        for &b in source.as_bytes() {
            if b & 0xC0 == 0x80 {
                continue;
            }
            written += 1;
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' | b'\n' => in_string = false,
                    _ => {}
                }
            } else if b == b'"' {
                in_string = true;
            } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                whitespace += 1;
            }
        }
        Sizes {
            compact: written - whitespace,
            written,
        }
    }

    proptest::proptest! {
        #[test]
        fn measure_agrees_with_its_definition(text in "[ \t\r\n\"\\\\a{}:,é😀]{0,40}") {
            let (fast, slow) = (scan(&text), measure_reference(&text));
            proptest::prop_assert_eq!((fast.compact, fast.written), (slow.compact, slow.written));
        }
    }

    #[test]
    fn the_tree_measures_well_formed_policies_by_the_definition() {
        let statement = |i: usize| {
            format!(
                "{{\"Sid\": \"S{i} é😀 \\\" \\u00e9\",\t\"Effect\":\"Allow\",\r\n  \"Action\": [ \"s3:Get*\" , \"ec2:Describe*\" ],\n\"Resource\": \"*\", \"Condition\": {{\"NumericLessThan\": {{\"aws:MultiFactorAuthAge\": 3600}}, \"Bool\": {{\"aws:SecureTransport\": true}}, \"Null\": {{\"x\": null}}}}, \"Empty\": [], \"None\": {{}}}}"
            )
        };
        let statements: Vec<String> = (0..40).map(statement).collect();
        for separator in [",", ",\n    ", " ,\t"] {
            let text = format!(
                "{{ \"Version\" : \"2012-10-17\",\n \"Statement\": [\n{}\n] }}\n",
                statements.join(separator)
            );
            let parse = crate::syntax::parse(&text);
            assert!(parse.errors.is_empty(), "{:?}", parse.errors);
            let root = parse.root.as_ref().expect("a document");
            let (tree, reference) = (Sizes::of(root, &text, true), measure_reference(&text));
            assert_eq!(
                (tree.compact, tree.written),
                (reference.compact, reference.written)
            );
        }
    }

    #[test]
    fn whitespace_inside_strings_counts() {
        let sizes = scan("{ \"a b\" : \"é\\\" x\" }");
        assert_eq!(sizes.written, 19);
        assert_eq!(sizes.compact, 15);
    }
}
