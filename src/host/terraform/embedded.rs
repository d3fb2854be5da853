//! JSON inside Terraform strings: heredocs (parsed where they stand, interpolations unknown)
//! and quoted strings (parsed decoded, ranges mapped back through the escapes).

use super::Reader;
use crate::host::embedded_json::Embedded;
use crate::host::yaml::intrinsic;
use crate::host::{Scalar, ScalarStyle};
use crate::syntax::{TextRange, Value, ValueKind};
use tree_sitter::Node;

use super::{named_children, range};

impl Reader<'_> {
    /// JSON in a heredoc: parsed where it stands; interpolations are unknown values.
    pub(super) fn heredoc(&mut self, node: Node) -> Option<Value> {
        let children = named_children(node);
        if children.iter().any(|c| c.kind() == "template_directive") {
            return None; // `%{ for … }` builds the JSON: not readable before it runs
        }
        let opening = children.iter().find(|c| c.kind() == "heredoc_identifier")?;
        let closing = children
            .iter()
            .rev()
            .find(|c| c.kind() == "heredoc_identifier" && c.id() != opening.id())?;
        let body_start = self.text[opening.end_byte()..]
            .find('\n')
            .map(|i| opening.end_byte() + i + 1)?;
        let body_end = closing.start_byte().max(body_start);
        let interpolations: Vec<TextRange> = children
            .iter()
            .filter(|c| c.kind() == "template_interpolation")
            .map(|c| range(*c))
            .collect();
        self.embedded_json(body_start, body_end, &interpolations, true)
    }

    /// `policy = "{\"Version\": …}"`: the decoded string parsed, its ranges mapped back
    /// through the escapes.
    pub(super) fn json_string(&mut self, node: Node) -> Option<Value> {
        let raw = self.raw(node);
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        if !inner.trim_start().starts_with('{') {
            return None;
        }
        let (decoded, map) = decode_quoted_with_map(raw, node.start_byte() as u32);
        let embedded = Embedded::decoded(&decoded, &map)?;
        if embedded.root.as_object()?.has_key("Statement") {
            self.errors.extend(embedded.errors.iter().copied());
            self.quoted_json.push(Scalar {
                range: range(node),
                style: ScalarStyle::HclQuoted,
            });
        }
        self.recovered.extend(embedded.recovered.iter().copied());
        Some(embedded.root)
    }

    /// JSON between `start` and `end` of the text, with `interpolations` (`${…}`) in it.
    fn embedded_json(
        &mut self,
        start: usize,
        end: usize,
        interpolations: &[TextRange],
        heredoc: bool,
    ) -> Option<Value> {
        let body = &self.text[start..end];
        if !body.trim_start().starts_with('{') {
            return None;
        }
        // An interpolation outside a JSON string (`"Resource": ${jsonencode(var.arns)}`)
        // becomes a string of the same length, so that the JSON parses and keeps its offsets.
        let mut json = body.as_bytes().to_vec();
        let mut opaque = Vec::new();
        let mut in_string = false;
        let mut escaped = false;
        let mut i = 0;
        while i < json.len() {
            let at = (start + i) as u32;
            if let Some(interpolation) = interpolations.iter().find(|r| r.start == at) {
                let length = interpolation.len() as usize;
                if !in_string && length >= 2 && i + length <= json.len() {
                    json[i] = b'"';
                    json[i + 1..i + length - 1].fill(b'_');
                    json[i + length - 1] = b'"';
                    opaque.push(*interpolation);
                }
                i += length.max(1);
                continue;
            }
            match json[i] {
                b'\\' if in_string => escaped = !escaped,
                b'"' if !escaped => in_string = !in_string,
                _ => escaped = false,
            }
            if json[i] != b'\\' {
                escaped = false;
            }
            i += 1;
        }
        let json = String::from_utf8(json).ok()?;
        let embedded = Embedded::shifted(&json, start as u32)?;
        if !embedded.root.as_object()?.has_key("Statement") {
            return None;
        }
        self.errors.extend(embedded.errors.iter().copied());
        self.recovered.extend(embedded.recovered.iter().copied());
        if heredoc {
            self.json_regions
                .push(TextRange::new(start as u32, end as u32));
        }
        let mut root = embedded.root;
        unknown_values(&mut root, &opaque);
        Some(root)
    }
}

/// Strings that were interpolations, or that hold one, become intrinsics; `$${` is a literal
/// `${` (an IAM policy variable).
fn unknown_values(value: &mut Value, opaque: &[TextRange]) {
    match &mut value.kind {
        ValueKind::Object(object) => {
            for member in &mut object.members {
                if let Some(value) = &mut member.value {
                    unknown_values(value, opaque);
                }
            }
        }
        ValueKind::Array(array) => array
            .elements
            .iter_mut()
            .for_each(|e| unknown_values(e, opaque)),
        ValueKind::String(s) => {
            if opaque.contains(&s.range) || has_interpolation(&s.value) {
                let inner = value.clone();
                *value = intrinsic(inner.range, inner.range, "Fn::Sub", Some(inner));
            } else if s.value.contains("$${") || s.value.contains("%%{") {
                s.value = s.value.replace("$${", "${").replace("%%{", "%{").into();
            }
        }
        _ => {}
    }
}

/// `${` or `%{` not escaped by doubling.
fn has_interpolation(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(1)).any(|i| {
        matches!(bytes[i], b'$' | b'%')
            && bytes[i + 1] == b'{'
            && (i == 0 || bytes[i - 1] != bytes[i])
    })
}

/// An HCL quoted string's value: escapes decoded, `$${` and `%%{` as `${` and `%{`.
pub(super) fn decode_string(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    decode_with_map(inner, 0).0
}

/// An HCL quoted string (`raw`, quotes included, at `start` in the file) decoded, with each
/// decoded byte's offset in the file (and the end's).
pub(in crate::host) fn decode_quoted_with_map(raw: &str, start: u32) -> (String, Vec<u32>) {
    let opened = raw.starts_with('"');
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    decode_with_map(inner, start as usize + usize::from(opened))
}

/// The decoded text, and for each decoded byte (and the end) the offset in the source, which
/// starts at `start`.
fn decode_with_map(inner: &str, start: usize) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(inner.len());
    let mut map = Vec::with_capacity(inner.len() + 1);
    let mut chars = inner.char_indices().peekable();
    let push = |out: &mut String, map: &mut Vec<u32>, c: char, at: usize| {
        let before = out.len();
        out.push(c);
        map.extend(std::iter::repeat_n((start + at) as u32, out.len() - before));
    };
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, escape)) = chars.next() else {
                    push(&mut out, &mut map, c, at);
                    break;
                };
                let decoded = match escape {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' | 'U' => {
                        let n = if escape == 'u' { 4 } else { 8 };
                        let digits: String = (0..n)
                            .filter_map(|_| chars.next().map(|(_, d)| d))
                            .collect();
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .unwrap_or('\u{FFFD}')
                    }
                    other => other,
                };
                push(&mut out, &mut map, decoded, at);
            }
            '$' | '%' if inner[at + 1..].starts_with(&format!("{c}{{")) => {
                chars.next();
                push(&mut out, &mut map, c, at);
            }
            c => push(&mut out, &mut map, c, at),
        }
    }
    map.push((start + inner.len()) as u32);
    (out, map)
}
