//! Values of the wrong shape: `wrong-type` (another JSON type than the element takes) and
//! `empty-array` (no value where IAM needs one).

use super::super::Sink;
use crate::analysis::{Code, Finding, Severity};
use crate::policy::is_intrinsic;
use crate::syntax::{Array, Member, Value, ValueKind};

pub(super) fn expect_string(member: &Member, name: &str, sink: &mut Sink) {
    if let Some(value) = &member.value
        && value.as_str().is_none()
    {
        push_wrong_type(sink, value, name, "a string");
    }
}

/// Reports a value of the wrong type. Values that are not JSON at all are left to
/// `json-syntax`, which already flags them.
pub(super) fn push_wrong_type(sink: &mut Sink, value: &Value, what: &str, expected: &str) {
    if sink.wants(Code::WrongType)
        && !matches!(value.kind, ValueKind::Invalid)
        && !is_intrinsic(value)
    {
        sink.push(wrong_type(value, what, expected));
    }
}

/// Reports an empty array where IAM needs a value; an array still being typed (not yet
/// closed) is not empty yet. The message is built only when the finding is wanted.
pub(super) fn push_empty_array(
    sink: &mut Sink,
    value: &Value,
    array: &Array,
    severity: Severity,
    message: impl FnOnce() -> String,
) {
    if array.elements.is_empty() && array.closed && sink.wants(Code::EmptyArray) {
        sink.push(Finding::new(Code::EmptyArray, value.range, message()).severity(severity));
    }
}

fn wrong_type(value: &Value, what: &str, expected: &str) -> Finding {
    let what = capitalize_first(what);
    Finding::new(
        Code::WrongType,
        value.range,
        format!("{what} must be {expected}, not {}", value.type_name()),
    )
}

fn capitalize_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
