//! `policy-too-large`: AWS's size quotas, counted the way AWS counts them.
//!
//! IAM counts characters without the whitespace between JSON tokens (customer managed
//! policies 6,144; inline policies, per identity and in total, 2,048 for a user, 5,120 for a
//! group, 10,240 for a role). AWS Organizations counts an SCP as written, whitespace
//! included (5,120). A file does not say which kind of policy it is, so the warning fires when
//! the policy is too large to be a managed policy, an SCP or a role's inline policy, and the
//! message names every quota exceeded.

use crate::analysis::{Code, Finding};
use crate::policy::Policy;

struct Quota {
    name: &'static str,
    limit: usize,
    counts_whitespace: bool,
    /// Exceeding only this quota is not worth a warning (most policies are not user inline).
    alone_warns: bool,
}

const QUOTAS: &[Quota] = &[
    Quota {
        name: "customer managed policy (6,144 characters without whitespace)",
        limit: 6_144,
        counts_whitespace: false,
        alone_warns: true,
    },
    Quota {
        name: "SCP/RCP (5,120 characters, whitespace included)",
        limit: 5_120,
        counts_whitespace: true,
        alone_warns: true,
    },
    Quota {
        name: "role inline policies (10,240 characters without whitespace)",
        limit: 10_240,
        counts_whitespace: false,
        alone_warns: true,
    },
    Quota {
        name: "group inline policies (5,120 characters without whitespace)",
        limit: 5_120,
        counts_whitespace: false,
        alone_warns: false,
    },
    Quota {
        name: "user inline policies (2,048 characters without whitespace)",
        limit: 2_048,
        counts_whitespace: false,
        alone_warns: false,
    },
];

pub fn check(policy: &Policy, text: &str, findings: &mut Vec<Finding>) {
    let source = &text[policy.value.range.as_usize()];
    // Nothing can exceed a quota when even its byte length is below the smallest one.
    if source.len() <= 2_048 {
        return;
    }
    let sizes = measure(source);
    let exceeded: Vec<&Quota> = QUOTAS
        .iter()
        .filter(|q| sizes.count(q.counts_whitespace) > q.limit)
        .collect();
    if !exceeded.iter().any(|q| q.alone_warns) {
        return;
    }
    let names: Vec<&str> = exceeded.iter().map(|q| q.name).collect();
    findings.push(
        Finding::new(
            Code::PolicyTooLarge,
            policy.anchor(),
            format!(
                "this policy is {} characters without whitespace ({} as written): it exceeds the AWS size quota for {}",
                sizes.compact,
                sizes.written,
                names.join("; ")
            ),
        )
        .data(serde_json::json!({
            "compactCharacters": sizes.compact,
            "writtenCharacters": sizes.written,
        })),
    );
}

struct Sizes {
    /// Characters, without whitespace outside strings.
    compact: usize,
    /// Characters as written.
    written: usize,
}

impl Sizes {
    fn count(&self, with_whitespace: bool) -> usize {
        if with_whitespace {
            self.written
        } else {
            self.compact
        }
    }
}

/// One pass over the bytes: characters are the bytes that start a UTF-8 sequence.
fn measure(source: &str) -> Sizes {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_inside_strings_counts() {
        let sizes = measure("{ \"a b\" : \"é\\\" x\" }");
        assert_eq!(sizes.written, 19);
        assert_eq!(sizes.compact, 15);
    }
}
