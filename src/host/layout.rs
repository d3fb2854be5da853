//! Fixes that add or remove list elements and members between tokens, written in the host's
//! layout. The rules write them for JSON (`, "x"` after a list's last element, `"Version":
//! "2012-10-17", ` before an object's first key, a list element removed with its comma); here
//! each is recognised against the tree — it must sit at the boundary it is meant for — and
//! written as YAML writes it (a `- x` line at the list's indentation, a `Key: value` line at
//! the mapping's, JSON kept as is in flow collections since JSON is YAML's flow syntax) or as
//! HCL does (JSON's object and tuple syntax is HCL's, with `${` written `$${`). Anything else
//! is not offered.

use super::Host;
use super::edits::plain_safe;
use crate::analysis::Edit;
use crate::syntax::{TextRange, Value, ValueKind};

/// `edit`, a JSON edit between tokens, in the host's layout; `None` when it is not one this
/// module recognises.
pub(super) fn translate(host: Host, text: &str, root: &Value, edit: &Edit) -> Option<Edit> {
    if edit.new_text.is_empty() {
        return removal(host, text, root, edit.range).then(|| edit.clone());
    }
    if edit.range.is_empty() {
        let at = edit.range.start;
        if let Some(array) = find(root, at, &|v| last_element_end(v) == Some(at)) {
            return append(host, text, array, at, &edit.new_text);
        }
        if let Some(object) = find(root, at, &|v| first_key_start(v) == Some(at)) {
            return prepend_member(host, text, object, at, &edit.new_text);
        }
        return None;
    }
    // A string value becoming a list: `[<the string>, "x", …]`.
    let value = find(root, edit.range.start, &|v| {
        v.range == edit.range && matches!(v.kind, ValueKind::String(_))
    })?;
    wrap_in_list(host, text, value, &edit.new_text)
}

/// A fix that wraps a value in a list with two insertions (`[` before it, `, x]` after it),
/// as one replacement of the value.
pub(super) fn merge_wrap(text: &str, edits: &[Edit]) -> Option<Edit> {
    let [open, close] = edits else { return None };
    if open.new_text != "[" || !open.range.is_empty() || !close.range.is_empty() {
        return None;
    }
    let range = TextRange::new(open.range.start, close.range.start);
    let original = text.get(range.as_usize())?;
    Some(Edit {
        range,
        new_text: format!("[{original}{}", close.new_text),
    })
}

/// The innermost value around `at` satisfying `wanted` (only the values whose range holds `at`
/// are visited).
fn find<'a>(value: &'a Value, at: u32, wanted: &dyn Fn(&Value) -> bool) -> Option<&'a Value> {
    if value.range.start > at || at > value.range.end {
        return None;
    }
    let inner = match &value.kind {
        ValueKind::Object(object) => object
            .members
            .iter()
            .filter_map(|m| m.value.as_ref())
            .find_map(|v| find(v, at, wanted)),
        ValueKind::Array(array) => array.elements.iter().find_map(|v| find(v, at, wanted)),
        _ => None,
    };
    inner.or_else(|| wanted(value).then_some(value))
}

fn last_element_end(value: &Value) -> Option<u32> {
    value.as_array()?.elements.last().map(|e| e.range.end)
}

fn first_key_start(value: &Value) -> Option<u32> {
    value
        .as_object()?
        .members
        .first()
        .map(|m| m.key.range.start)
}

/// The JSON values of `new_text` (`, "a", "b"` or `,\n  {…}`): the separator and the values.
fn json_values(new_text: &str) -> Option<Vec<serde_json::Value>> {
    let trimmed = new_text.trim_start();
    let list = trimmed.strip_prefix(',')?;
    let values: Vec<serde_json::Value> = serde_json::from_str(&format!("[{list}]")).ok()?;
    (!values.is_empty()).then_some(values)
}

/// Elements appended after the last one of `array` (the JSON edit inserts `, x, y` at `at`).
fn append(host: Host, text: &str, array: &Value, at: u32, new_text: &str) -> Option<Edit> {
    let values = json_values(new_text)?;
    let opening = text.as_bytes().get(array.range.start as usize).copied();
    let new_text = match (host, opening) {
        // A flow sequence, an HCL tuple: JSON's syntax.
        (Host::Yaml, Some(b'[')) => values
            .iter()
            .map(|v| format!(", {}", flow(v)))
            .collect::<String>(),
        (Host::Terraform, Some(b'[')) => hcl(new_text)?,
        (Host::Yaml, _) => {
            // A block sequence: each element on its own `- ` line, at the column of the last
            // one's dash.
            let last = array.as_array()?.elements.last()?;
            let (line_start, column) = line_and_column(text, last.range.start);
            let before = text.get(line_start..last.range.start as usize)?;
            let dash = before.rfind("- ")?;
            if !before[..dash].chars().all(|c| c == ' ' || c == '-') || !ends_line(text, at) {
                return None;
            }
            let indent = " ".repeat(column - (before.len() - dash));
            let lines: String = values
                .iter()
                .map(|v| format!("\n{indent}- {}", block_item(v, indent.len() + 2, new_text)))
                .collect();
            // A block mapping ends after its line break: the new lines go before it.
            let at = match text[..at as usize].strip_suffix('\n') {
                Some(before) => before.strip_suffix('\r').unwrap_or(before).len() as u32,
                None => at,
            };
            return Some(Edit {
                range: TextRange::empty(at),
                new_text: lines,
            });
        }
        _ => return None,
    };
    Some(Edit {
        range: TextRange::empty(at),
        new_text,
    })
}

/// A member added before the first of `object` (the JSON edit inserts `"Key": value,<sep>`).
fn prepend_member(host: Host, text: &str, object: &Value, at: u32, new_text: &str) -> Option<Edit> {
    let body = new_text.trim_end();
    let body = body.strip_suffix(',')?;
    let member: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&format!("{{{body}}}")).ok()?;
    let (name, value) = match member.iter().collect::<Vec<_>>().as_slice() {
        [(name, value)] => (name.as_str(), *value),
        _ => return None,
    };
    let opening = text.as_bytes().get(object.range.start as usize).copied();
    let new_text = match (host, opening) {
        (Host::Terraform, Some(b'{')) => hcl(new_text)?,
        (Host::Yaml, Some(b'{')) => format!("{}: {}, ", key(name), flow(value)),
        (Host::Yaml, _) => {
            let (_, column) = line_and_column(text, at);
            format!(
                "{}: {}\n{}",
                key(name),
                block_value(value),
                " ".repeat(column)
            )
        }
        _ => return None,
    };
    Some(Edit {
        range: TextRange::empty(at),
        new_text,
    })
}

/// A string value replaced by `[<the string>, x, …]`.
fn wrap_in_list(host: Host, text: &str, value: &Value, new_text: &str) -> Option<Edit> {
    let original = text.get(value.range.as_usize())?;
    let rest = new_text
        .strip_prefix('[')?
        .strip_suffix(']')?
        .strip_prefix(original)?;
    let values = json_values(rest)?;
    let new_text = match host {
        Host::Terraform => format!("[{original}{}]", hcl(rest)?),
        _ => {
            let first = flow(&serde_json::Value::String(
                value.as_str()?.value.to_string(),
            ));
            let items: String = values.iter().map(|v| format!(", {}", flow(v))).collect();
            format!("[{first}{items}]")
        }
    };
    Some(Edit {
        range: value.range,
        new_text,
    })
}

/// Whether removing `range` takes out whole elements or members of one list or mapping, with
/// only separators around them, and leaves it something.
fn removal(host: Host, text: &str, root: &Value, range: TextRange) -> bool {
    let Some(container) = find(root, range.start, &|v| {
        v.range.contains_range(range) && boundaries(v).any(|b| b == range.start)
    }) else {
        return false;
    };
    if !boundaries(container).any(|b| b == range.end) {
        return false;
    }
    let parts: Vec<TextRange> = match &container.kind {
        ValueKind::Array(array) => array.elements.iter().map(|e| e.range).collect(),
        ValueKind::Object(object) => object.members.iter().map(|m| m.range).collect(),
        _ => return false,
    };
    let removed: Vec<&TextRange> = parts.iter().filter(|p| range.contains_range(**p)).collect();
    if removed.is_empty() || removed.len() == parts.len() {
        return false;
    }
    // Between the removed parts: separators only (a YAML comment would go with them).
    let mut rest = String::new();
    let mut from = range.start;
    for part in &removed {
        rest.push_str(text.get(from as usize..part.start as usize).unwrap_or("#"));
        from = part.end;
    }
    rest.push_str(text.get(from as usize..range.end as usize).unwrap_or("#"));
    let separators: &[char] = match host {
        Host::Yaml => &[' ', '\n', '\r', ',', '-'],
        _ => &[' ', '\n', '\r', ','],
    };
    rest.chars().all(|c| separators.contains(&c))
}

/// Where the parts of a list or mapping start and end.
fn boundaries(value: &Value) -> Box<dyn Iterator<Item = u32> + '_> {
    match &value.kind {
        ValueKind::Array(array) => Box::new(
            array
                .elements
                .iter()
                .flat_map(|e| [e.range.start, e.range.end]),
        ),
        ValueKind::Object(object) => Box::new(
            object
                .members
                .iter()
                .flat_map(|m| [m.range.start, m.range.end]),
        ),
        _ => Box::new(std::iter::empty()),
    }
}

/// JSON text as HCL: JSON's objects and tuples are HCL's; a literal `${` or `%{` is written
/// doubled.
fn hcl(json: &str) -> Option<String> {
    (!json.contains("$${") && !json.contains("%%{"))
        .then(|| json.replace("${", "$${").replace("%{", "%%{"))
}

/// The start of `offset`'s line and its column (in bytes).
fn line_and_column(text: &str, offset: u32) -> (usize, usize) {
    let offset = (offset as usize).min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line_start, offset - line_start)
}

/// Whether only blanks (or a comment) follow `at` on its line.
fn ends_line(text: &str, at: u32) -> bool {
    let rest = text.get(at as usize..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    let line = line.trim_start_matches([' ', '\t', '\r']);
    line.is_empty() || line.starts_with('#')
}

/// A YAML key.
fn key(name: &str) -> String {
    if plain_safe(name) && !name.contains(['{', '}', '[', ']', ',']) {
        name.to_string()
    } else {
        serde_json::to_string(name).unwrap_or_default()
    }
}

/// A value in YAML flow syntax: a plain scalar when it reads back as the same string, JSON
/// otherwise (JSON is YAML's flow syntax).
fn flow(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) if plain_safe(s) && !s.contains(['{', '}', '[', ']', ',']) => {
            s.clone()
        }
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A member's value after `Key: ` in a block mapping.
fn block_value(value: &serde_json::Value) -> String {
    flow(value)
}

/// A block sequence's element after `- `, whose mapping keys go at `column`, in the order
/// the JSON text `written` has them.
fn block_item(value: &serde_json::Value, column: usize, written: &str) -> String {
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            let mut members: Vec<(&String, &serde_json::Value)> = map.iter().collect();
            members.sort_by_key(|(name, _)| {
                let quoted = serde_json::to_string(name).unwrap_or_default();
                written.find(&format!("{quoted}:")).unwrap_or(usize::MAX)
            });
            members
                .into_iter()
                .enumerate()
                .map(|(i, (name, v))| {
                    let line = format!("{}: {}", key(name), block_value(v));
                    if i == 0 {
                        line
                    } else {
                        format!("\n{}{line}", " ".repeat(column))
                    }
                })
                .collect()
        }
        other => flow(other),
    }
}
