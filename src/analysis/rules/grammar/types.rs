//! `wrong-type`: a value of another JSON type than the element takes.

use super::super::Sink;
use crate::analysis::{Code, Finding};
use crate::policy::is_intrinsic;
use crate::syntax::{Member, Value, ValueKind};

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
