//! What is at a cursor: which policy, which element, a key or a value, and the string token
//! under the cursor if any. Works on half-typed documents (unterminated strings, unclosed
//! containers, members without values).

use crate::syntax::{Member, Object, Str, TextRange, Value, ValueKind};

/// Where the cursor is, syntactically.
#[derive(Debug)]
pub(crate) enum Slot<'a> {
    /// A place for a key of `object`; `key` is the key being typed or hovered, if any.
    Key {
        object: &'a Object,
        key: Option<&'a Str>,
    },
    /// The value of the path's last member (itself, or an element when the value is an
    /// array). `string` is the string token under the cursor, if any.
    Value {
        string: Option<&'a Str>,
    },
    Nothing,
}

/// The members passed on the way from the root to the cursor, outermost first.
type Path<'a> = Vec<&'a Member>;

/// The cursor's slot and the members passed on the way from the root (outermost first).
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub(crate) path: Path<'a>,
    pub(crate) slot: Slot<'a>,
}

impl<'a> Context<'a> {
    /// The names of the members on the path, e.g. `["Statement", "Condition", "StringEquals"]`.
    pub(crate) fn names(&self) -> Vec<&'a str> {
        self.path.iter().map(|m| &*m.key.value).collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The cursor must be strictly inside a token (completion: between the quotes).
    Inside,
    /// The cursor may touch a token's edges (hover: on the first or last character).
    Touching,
}

fn covers(range: TextRange, open_ended: bool, offset: u32, mode: Mode) -> bool {
    match mode {
        Mode::Inside => {
            range.start < offset && (offset < range.end || (open_ended && offset == range.end))
        }
        Mode::Touching => range.start <= offset && offset <= range.end,
    }
}

fn open_ended(value: &Value) -> bool {
    match &value.kind {
        // An unquoted value (a YAML plain scalar) goes on as long as the user types.
        ValueKind::String(s) => !s.terminated || !s.quoted,
        // A container is also open when its last value is: a YAML mapping ends where its last
        // plain scalar does, which the user may still be typing.
        ValueKind::Object(o) => {
            !o.closed
                || o.members.last().is_some_and(|m| match &m.value {
                    Some(v) => v.range.end == value.range.end && open_ended(v),
                    // A key being typed without its colon (`    Act` in YAML).
                    None => {
                        m.colon.is_none()
                            && m.key.range.end == value.range.end
                            && (!m.key.terminated || !m.key.quoted)
                    }
                })
        }
        ValueKind::Array(a) => {
            !a.closed
                || a.elements
                    .last()
                    .is_some_and(|v| v.range.end == value.range.end && open_ended(v))
        }
        _ => false,
    }
}

pub(crate) fn context_at(root: &Value, offset: u32, mode: Mode) -> Context<'_> {
    let mut path = Vec::new();
    let slot = walk(root, offset, mode, &mut path);
    Context { path, slot }
}

fn walk<'a>(value: &'a Value, offset: u32, mode: Mode, path: &mut Path<'a>) -> Slot<'a> {
    let Some(object) = value.as_object() else {
        return Slot::Nothing;
    };
    if !covers(value.range, open_ended(value), offset, Mode::Inside) {
        return Slot::Nothing;
    }
    walk_object(object, offset, mode, path)
}

fn walk_object<'a>(object: &'a Object, offset: u32, mode: Mode, path: &mut Path<'a>) -> Slot<'a> {
    for (index, member) in object.members.iter().enumerate() {
        let key = &member.key;
        // An unquoted key (YAML, HCL) goes on as long as the user types, like a string left
        // open.
        if covers(key.range, !key.terminated || !key.quoted, offset, mode) {
            return Slot::Key {
                object,
                key: Some(key),
            };
        }
        match &member.value {
            Some(value) if covers(value.range, open_ended(value), offset, mode) => {
                path.push(member);
                return walk_value(value, offset, mode, path);
            }
            None => {
                // `"Effect": |` — after the colon, before whatever comes next.
                let next_start = object
                    .members
                    .get(index + 1)
                    .map_or(u32::MAX, |next| next.range.start);
                if member.colon.is_some_and(|colon| offset >= colon.end) && offset < next_start {
                    path.push(member);
                    return Slot::Value { string: None };
                }
            }
            _ => {}
        }
    }
    Slot::Key { object, key: None }
}

fn walk_value<'a>(value: &'a Value, offset: u32, mode: Mode, path: &mut Path<'a>) -> Slot<'a> {
    match &value.kind {
        ValueKind::Object(object) => walk_object(object, offset, mode, path),
        ValueKind::Array(array) => {
            for element in &array.elements {
                if !covers(element.range, open_ended(element), offset, mode) {
                    continue;
                }
                return match &element.kind {
                    ValueKind::Object(object) => walk_object(object, offset, mode, path),
                    ValueKind::String(s) => Slot::Value { string: Some(s) },
                    _ => Slot::Value { string: None },
                };
            }
            Slot::Value { string: None }
        }
        ValueKind::String(s) => Slot::Value { string: Some(s) },
        _ => Slot::Value { string: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// Parses `text` with `$0` marking the cursor and describes the context.
    fn describe(marked: &str, mode: Mode) -> String {
        let offset = marked.find("$0").unwrap() as u32;
        let text = marked.replace("$0", "");
        let parse = parse(&text);
        let context = context_at(parse.root.as_ref().unwrap(), offset, mode);
        let slot = match &context.slot {
            Slot::Key { key, .. } => format!("key {:?}", key.map(|k| k.as_str())),
            Slot::Value { string } => format!(
                "value of {} {:?}",
                context.path.last().unwrap().key.value,
                string.map(|s| s.as_str())
            ),
            Slot::Nothing => "nothing".into(),
        };
        format!("{} / {slot}", context.names().join("."))
    }

    #[test]
    fn slots() {
        let cases = [
            (
                r#"{"Statement": [{"Effect": "$0"}]}"#,
                r#"Statement.Effect / value of Effect Some("")"#,
            ),
            (
                r#"{"Statement": [{"Effect": $0}]}"#,
                "Statement.Effect / value of Effect None",
            ),
            (
                r#"{"Statement": [{"Effect": $0"#,
                "Statement.Effect / value of Effect None",
            ),
            (
                "{\"Statement\": [{\"Action\": [\"support:$0\n",
                r#"Statement.Action / value of Action Some("support:")"#,
            ),
            (
                r#"{"Statement": [{"Action": ["s3:Get", $0]}]}"#,
                "Statement.Action / value of Action None",
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", $0}]}"#,
                "Statement / key None",
            ),
            (
                r#"{"Statement": [{"Eff$0"#,
                r#"Statement / key Some("Eff")"#,
            ),
            (r#"{"Ver$0": 1}"#, r#" / key Some("Ver")"#),
            (
                r#"{"Statement": {"Condition": {"StringEquals": {"aws:Sou$0"}}}}"#,
                r#"Statement.Condition.StringEquals / key Some("aws:Sou")"#,
            ),
            (
                r#"{"Statement": {"Condition": {"$0"}}}"#,
                r#"Statement.Condition / key Some("")"#,
            ),
        ];
        for (marked, expected) in cases {
            assert_eq!(describe(marked, Mode::Inside), expected, "{marked}");
        }
    }

    #[test]
    fn hover_touches_token_edges() {
        assert_eq!(
            describe(r#"{"Statement": [{$0"Effect": "Deny"}]}"#, Mode::Touching),
            r#"Statement / key Some("Effect")"#
        );
        assert_eq!(
            describe(r#"{"Statement": [{"Effect": "Deny"$0}]}"#, Mode::Touching),
            r#"Statement.Effect / value of Effect Some("Deny")"#
        );
        assert_eq!(
            describe(r#"{"Statement": [{$0"Effect": "Deny"}]}"#, Mode::Inside),
            "Statement / key None"
        );
    }
}
