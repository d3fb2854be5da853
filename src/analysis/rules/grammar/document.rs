//! The policy's own elements: `Version` (missing, old, invalid) and `Statement` (missing,
//! empty, not statements).

use super::super::Sink;
use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::policy::Policy;
use crate::policy::elements::VERSIONS;
use crate::syntax::{TextRange, ValueKind};

use super::types::{push_empty_array, push_wrong_type};

pub(super) fn check_version(policy: &Policy, text: &str, sink: &mut Sink) {
    let Some(member) = policy.version else {
        // A policy still being typed (or part of which is) is not yet missing anything.
        if !policy.object.closed || !sink.wants(Code::MissingVersion) {
            return;
        }
        let mut finding = Finding::new(
            Code::MissingVersion,
            TextRange::new(policy.value.range.start, policy.value.range.start + 1),
            "the policy has no \"Version\": IAM then uses 2008-10-17, where policy variables such as ${aws:username} are plain text; add \"Version\": \"2012-10-17\"",
        );
        if let Some(first) = policy.object.members.first() {
            let separator = separator_before(text, policy.value.range.start, first.key.range.start);
            finding = finding.fix(
                Fix::quick(
                    "Add \"Version\": \"2012-10-17\"",
                    vec![Edit {
                        range: TextRange::empty(first.key.range.start),
                        new_text: format!("\"Version\": \"2012-10-17\",{separator}"),
                    }],
                )
                .preferred(),
            );
        }
        sink.push(finding);
        return;
    };
    let Some(value) = &member.value else { return };
    let Some(version) = value.as_str() else {
        push_wrong_type(sink, value, "Version", "a string such as \"2012-10-17\"");
        return;
    };
    match &*version.value {
        "2012-10-17" => {}
        "2008-10-17" if sink.wants(Code::OldVersion) => sink.push(
            Finding::new(
                Code::OldVersion,
                version.range,
                "Version 2008-10-17 is the old policy language: policy variables such as ${aws:username} are not substituted; use 2012-10-17",
            )
            .fix(Fix::replace("Change to \"2012-10-17\"", version.content_range(), "2012-10-17").preferred()),
        ),
        // (Not an invalid version, only one whose rule is off.)
        "2008-10-17" => {}
        other if version.terminated && sink.wants(Code::InvalidVersion) => sink.push(
            Finding::new(
                Code::InvalidVersion,
                version.range,
                format!("Version must be \"2012-10-17\" (or the old \"2008-10-17\"), not \"{other}\""),
            )
            .fix(Fix::replace("Change to \"2012-10-17\"", version.content_range(), VERSIONS[0]).preferred()),
        ),
        _ => {}
    }
}

/// The whitespace between a container's opening brace and its first member: what a fix
/// that inserts a member before it repeats, to keep the document's style.
pub(super) fn separator_before(text: &str, open: u32, first_key: u32) -> &str {
    match text.get(open as usize + 1..first_key as usize) {
        Some(gap) if !gap.is_empty() && gap.trim().is_empty() => gap,
        _ => " ",
    }
}

pub(super) fn check_statement_element(policy: &Policy, sink: &mut Sink) {
    let Some(member) = policy.statement else {
        if policy.object.closed && sink.wants(Code::MissingStatement) {
            sink.push(Finding::new(
                Code::MissingStatement,
                policy.anchor(),
                "the policy has no \"Statement\": IAM rejects a policy without statements",
            ));
        }
        return;
    };
    let Some(value) = &member.value else { return };
    match &value.kind {
        ValueKind::Object(_) => {}
        ValueKind::Array(array) => {
            push_empty_array(sink, value, array, Severity::Error, || {
                "\"Statement\" is empty: IAM rejects a policy without statements".into()
            });
            for element in &array.elements {
                if element.as_object().is_none() {
                    push_wrong_type(sink, element, "each statement", "an object");
                }
            }
        }
        _ => push_wrong_type(sink, value, "Statement", "an object or an array of objects"),
    }
}
