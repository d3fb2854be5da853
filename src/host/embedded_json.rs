//! JSON written inside a string of the host: a YAML block scalar or a Terraform heredoc (the
//! JSON stands in the file as it is: its ranges are shifted), a YAML or HCL quoted string (the
//! JSON is the decoded string: its ranges are mapped back through the escapes and folded
//! lines). Either way the policy's tree, its syntax errors and the ranges its parser recovered
//! through come back with ranges in the host file, so that a half-typed policy in a string is
//! as quiet as a half-typed `.json` file.

use super::ScalarStyle;
use crate::syntax::{Parse, SyntaxError, TextRange, Value, ValueKind};

/// JSON parsed from a string of the host, with host ranges.
pub(super) struct Embedded {
    pub(super) root: Value,
    pub(super) errors: Vec<SyntaxError>,
    pub(super) recovered: Vec<TextRange>,
}

impl Embedded {
    /// JSON that stands in the file verbatim at `offset`.
    pub(super) fn shifted(body: &str, offset: u32) -> Option<Embedded> {
        let parse = crate::syntax::parse(body);
        Embedded::mapped(parse, |r| TextRange::new(r.start + offset, r.end + offset))
    }

    /// JSON decoded from a quoted string: `map` gives each decoded byte's offset in the file
    /// (and the end's).
    pub(super) fn decoded(decoded: &str, map: &[u32]) -> Option<Embedded> {
        let parse = crate::syntax::parse(decoded);
        Embedded::mapped(parse, |r| map_range(map, r))
    }

    fn mapped(parse: Parse, to_host: impl Fn(TextRange) -> TextRange) -> Option<Embedded> {
        let mut root = parse.root?;
        map_value(&mut root, &to_host);
        Some(Embedded {
            root,
            errors: parse
                .errors
                .iter()
                .map(|e| SyntaxError {
                    range: to_host(e.range),
                    message: e.message,
                })
                .collect(),
            recovered: parse.recovered.iter().map(|r| to_host(*r)).collect(),
        })
    }

    /// Whether the JSON is a policy (what the host adapters parse strings for).
    pub(super) fn is_policy(&self) -> bool {
        self.root
            .as_object()
            .is_some_and(|o| o.has_key("Statement") || o.has_key("Version"))
    }
}

/// A decoded range as a range of the file.
fn map_range(map: &[u32], range: TextRange) -> TextRange {
    let end = map.last().copied().unwrap_or(0);
    TextRange::new(
        map.get(range.start as usize).copied().unwrap_or(end),
        map.get(range.end as usize).copied().unwrap_or(end),
    )
}

/// The decoded text of a quoted scalar `raw` starting at `start` in the file, with each
/// decoded byte's offset in the file (and the end's); `None` for a style that is no quoted
/// string.
pub(super) fn decode(style: ScalarStyle, raw: &str, start: u32) -> Option<(String, Vec<u32>)> {
    match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            Some(super::scalars::quoted_with_map(raw, start))
        }
        ScalarStyle::HclQuoted => Some(super::terraform::decode_quoted_with_map(raw, start)),
        _ => None,
    }
}

/// Applies `to_host` to every range of a tree.
fn map_value(value: &mut Value, to_host: &impl Fn(TextRange) -> TextRange) {
    value.range = to_host(value.range);
    match &mut value.kind {
        ValueKind::Object(object) => {
            for member in &mut object.members {
                member.range = to_host(member.range);
                member.key.range = to_host(member.key.range);
                if let Some(colon) = &mut member.colon {
                    *colon = to_host(*colon);
                }
                if let Some(value) = &mut member.value {
                    map_value(value, to_host);
                }
            }
        }
        ValueKind::Array(array) => array
            .elements
            .iter_mut()
            .for_each(|e| map_value(e, to_host)),
        ValueKind::String(s) => s.range = to_host(s.range),
        _ => {}
    }
}
