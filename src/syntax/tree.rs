//! The syntax tree: JSON values with the exact byte range of every node.
//!
//! The tree is built for editing: containers remember whether they were closed, members
//! may lack a colon or a value, and strings may be unterminated. Duplicate keys are kept.

use super::TextRange;

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub range: TextRange,
    pub kind: ValueKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Object(Object),
    Array(Array),
    String(Str),
    Number,
    Bool(bool),
    Null,
    /// Something that is not a JSON value (a bare word, a stray character, a container
    /// nested too deeply to keep).
    Invalid,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub members: Vec<Member>,
    /// False when the input ended (or a mismatched bracket came) before the closing `}`.
    pub(crate) closed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// From the key's first byte to the end of the value (or of whatever was parsed).
    pub range: TextRange,
    pub key: Str,
    pub colon: Option<TextRange>,
    pub value: Option<Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    pub elements: Vec<Value>,
    pub(crate) closed: bool,
}

/// A string literal: `range` includes the quotes; `value` is the decoded text.
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub range: TextRange,
    pub value: Box<str>,
    pub(crate) terminated: bool,
    /// False for an unquoted key (`{Effect: "Allow"}`), kept so the structure survives.
    pub(crate) quoted: bool,
}

impl Str {
    /// The range between the quotes (what a completion should replace).
    pub fn content_range(&self) -> TextRange {
        if !self.quoted {
            return self.range;
        }
        let start = (self.range.start + 1).min(self.range.end);
        let end = if self.terminated && self.range.len() >= 2 {
            self.range.end - 1
        } else {
            self.range.end
        };
        TextRange::new(start, end.max(start))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.value
    }
}

impl Value {
    pub(crate) fn as_object(&self) -> Option<&Object> {
        match &self.kind {
            ValueKind::Object(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&Array> {
        match &self.kind {
            ValueKind::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&Str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's JSON type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.kind {
            ValueKind::Object(_) => "an object",
            ValueKind::Array(_) => "an array",
            ValueKind::String(_) => "a string",
            ValueKind::Number => "a number",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Null => "null",
            ValueKind::Invalid => "an invalid value",
        }
    }
}

impl Object {
    /// The first member whose key equals `key` exactly.
    pub(crate) fn get(&self, key: &str) -> Option<&Member> {
        self.members.iter().find(|m| &*m.key.value == key)
    }

    pub(crate) fn has_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}
