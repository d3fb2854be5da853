//! A compact, stable text rendering of a parse, for snapshot tests and debugging.

use std::fmt::Write;

use super::{Parse, Value, ValueKind};

pub(crate) fn dump(parse: &Parse) -> String {
    let mut out = String::new();
    match &parse.root {
        Some(root) => dump_value(&mut out, root, 0),
        None => out.push_str("(no value)\n"),
    }
    for error in &parse.errors {
        let _ = writeln!(out, "error {:?}: {}", error.range, error.message);
    }
    for range in &parse.recovered {
        let _ = writeln!(out, "recovered {range:?}");
    }
    out
}

fn dump_value(out: &mut String, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = write!(out, "{indent}");
    match &value.kind {
        ValueKind::Object(object) => {
            let open = if object.closed { "" } else { " unclosed" };
            let _ = writeln!(out, "Object{open} {:?}", value.range);
            for member in &object.members {
                let colon = if member.colon.is_some() {
                    ""
                } else {
                    " no-colon"
                };
                let _ = writeln!(
                    out,
                    "{indent}  Member {:?} {:?}{colon} {:?}",
                    member.key.value, member.key.range, member.range
                );
                match &member.value {
                    Some(v) => dump_value(out, v, depth + 2),
                    None => {
                        let _ = writeln!(out, "{indent}    (missing value)");
                    }
                }
            }
        }
        ValueKind::Array(array) => {
            let open = if array.closed { "" } else { " unclosed" };
            let _ = writeln!(out, "Array{open} {:?}", value.range);
            for element in &array.elements {
                dump_value(out, element, depth + 1);
            }
        }
        ValueKind::String(s) => {
            let open = if s.terminated { "" } else { " unterminated" };
            let _ = writeln!(out, "String{open} {:?} {:?}", s.value, value.range);
        }
        ValueKind::Number => {
            let _ = writeln!(out, "Number {:?}", value.range);
        }
        ValueKind::Bool(b) => {
            let _ = writeln!(out, "Bool {b} {:?}", value.range);
        }
        ValueKind::Null => {
            let _ = writeln!(out, "Null {:?}", value.range);
        }
        ValueKind::Invalid => {
            let _ = writeln!(out, "Invalid {:?}", value.range);
        }
    }
}
