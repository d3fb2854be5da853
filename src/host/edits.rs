//! A fix's edits, written for JSON by the rules, made in the host's syntax — or the fix
//! dropped when that cannot be done soundly. Inside a string scalar, new text is written in
//! the scalar's style (a plain YAML scalar stays plain when it can, `"*"` becomes `"*"` since
//! a plain `*` would be an alias); inside JSON embedded verbatim (a block scalar, a heredoc),
//! edits stay JSON; inside JSON in a quoted string, they are JSON written in the string's
//! escapes (and dropped when decoding the result would not give the JSON edit). Edits between
//! tokens (adding a list element or a member, removing one) are written in the host's layout
//! by `layout`, or the fix is not offered rather than offered wrong.

use super::{Host, HostParse, Scalar, ScalarStyle, embedded_json, layout};
use crate::analysis::{Edit, Fix};
use crate::syntax::TextRange;
use crate::syntax::Value;

/// The fixes that can be made in the host's syntax, translated.
pub(crate) fn translate_fixes(
    host: Host,
    syntax: &HostSyntax,
    text: &str,
    root: Option<&Value>,
    fixes: Vec<Fix>,
) -> Vec<Fix> {
    if host == Host::Json {
        return fixes;
    }
    fixes
        .into_iter()
        .filter_map(|mut fix| {
            let merged = layout::merge_wrap(text, &fix.edits);
            let edits = merged.as_ref().map_or(&fix.edits[..], std::slice::from_ref);
            let edits: Option<Vec<Edit>> = edits
                .iter()
                .map(|edit| {
                    translate(host, syntax, text, edit).or_else(|| {
                        // Between tokens: the host's block layout, when the edit is one
                        // `layout` recognises.
                        layout::translate(host, text, root?, edit)
                    })
                })
                .collect();
            fix.edits = edits?;
            (!fix.edits.is_empty()).then_some(fix)
        })
        .collect()
}

/// What edits need to know of a host document: how its scalars are written and where JSON is
/// embedded verbatim.
#[derive(Debug, Default)]
pub(crate) struct HostSyntax {
    /// Sorted by start.
    pub(crate) scalars: Vec<Scalar>,
    pub(crate) json_regions: Vec<TextRange>,
    pub(crate) quoted_json: Vec<Scalar>,
    /// Sorted by start.
    pub(crate) opening_lines: Vec<TextRange>,
    pub(crate) documents: Vec<TextRange>,
    pub(crate) document_names: Vec<super::DocumentName>,
}

impl HostSyntax {
    pub(crate) fn of(parse: &HostParse) -> HostSyntax {
        HostSyntax {
            scalars: parse.scalars.clone(),
            json_regions: parse.json_regions.clone(),
            quoted_json: parse.quoted_json.clone(),
            opening_lines: parse.opening_lines.clone(),
            documents: parse.documents.clone(),
            document_names: parse.document_names.clone(),
        }
    }

    /// The document name the cursor at `offset` is in or right after.
    pub(crate) fn document_name_at(&self, offset: u32) -> Option<&super::DocumentName> {
        self.document_names
            .iter()
            .find(|n| n.range.start < offset && offset <= n.range.end)
    }

    /// Whether `offset` lies in a `data "aws_iam_policy_document"` block.
    pub(crate) fn in_document(&self, offset: u32) -> bool {
        self.documents
            .iter()
            .any(|r| r.start <= offset && offset <= r.end)
    }

    /// Whether the plain scalar at `range` opens its line.
    pub(crate) fn opens_line(&self, range: TextRange) -> bool {
        self.opening_lines
            .binary_search_by_key(&range.start, |r| r.start)
            .is_ok()
    }

    fn scalar_around(&self, range: TextRange) -> Option<&Scalar> {
        let after = self
            .scalars
            .partition_point(|s| s.range.start <= range.start);
        self.scalars[..after]
            .iter()
            .rev()
            .take(4)
            .find(|s| s.range.contains_range(range))
    }
}

fn translate(host: Host, syntax: &HostSyntax, text: &str, edit: &Edit) -> Option<Edit> {
    // An edit that would split a character (a one-byte anchor on a key's first character).
    text.get(edit.range.as_usize())?;
    if syntax
        .json_regions
        .iter()
        .any(|r| r.contains_range(edit.range))
    {
        // A heredoc would read `${` and `%{` in the new text as interpolations.
        let interpolates = host == Host::Terraform && has_template_start(&edit.new_text);
        return (!interpolates).then(|| edit.clone());
    }
    if let Some(quoted) = syntax
        .quoted_json
        .iter()
        .find(|q| q.range.contains_range(edit.range))
    {
        return in_quoted_json(text, quoted, edit);
    }
    let scalar = syntax.scalar_around(edit.range)?;
    let written = text.get(scalar.range.as_usize())?;
    // The whole token replaced by a JSON string literal (`"*"`). (A plain scalar's contents
    // are the whole token too: new text that is no literal is its new contents.)
    if edit.range == scalar.range
        && let Ok(value) = serde_json::from_str::<String>(&edit.new_text)
    {
        return Some(Edit {
            range: edit.range,
            new_text: render(host, scalar.style, &value)?,
        });
    }
    // Inside the token: its contents, in the token's style.
    let content = match scalar.style {
        ScalarStyle::Plain => scalar.range,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted | ScalarStyle::HclQuoted => {
            TextRange::new(scalar.range.start + 1, scalar.range.end.saturating_sub(1))
        }
        ScalarStyle::Identifier => scalar.range,
        ScalarStyle::Frozen => return None,
    };
    if !content.contains_range(edit.range) {
        return None;
    }
    // An insertion at either edge of a plain scalar is an edit between tokens (a JSON list's
    // next element), not of the scalar.
    let at_edge = edit.range.is_empty()
        && (edit.range.start == content.start || edit.range.end == content.end);
    if matches!(scalar.style, ScalarStyle::Plain | ScalarStyle::Identifier) && at_edge {
        return None;
    }
    let fits = match scalar.style {
        ScalarStyle::Plain => {
            let start = (edit.range.start - scalar.range.start) as usize;
            let end = (edit.range.end - scalar.range.start) as usize;
            let new = format!("{}{}{}", &written[..start], edit.new_text, &written[end..]);
            plain_safe(&new)
        }
        ScalarStyle::SingleQuoted => !edit.new_text.contains(['\'', '\n']),
        ScalarStyle::HclQuoted => {
            !edit.new_text.contains(['"', '\\', '\n']) && !has_template_start(&edit.new_text)
        }
        ScalarStyle::Identifier => {
            let start = (edit.range.start - scalar.range.start) as usize;
            let end = (edit.range.end - scalar.range.start) as usize;
            let new = format!("{}{}{}", &written[..start], edit.new_text, &written[end..]);
            is_identifier(&new)
        }
        ScalarStyle::DoubleQuoted => !edit.new_text.contains(['"', '\\', '\n']),
        ScalarStyle::Frozen => false,
    };
    fits.then(|| edit.clone())
}

/// A JSON edit inside JSON held by a quoted string, written in the string's escapes: kept
/// only when the string, decoded after the edit, is the JSON with the edit made.
fn in_quoted_json(text: &str, quoted: &Scalar, edit: &Edit) -> Option<Edit> {
    let start = quoted.range.start;
    let raw = text.get(quoted.range.as_usize())?;
    let (decoded, map) = embedded_json::decode(quoted.style, raw, start)?;
    // The rules step over a JSON string's quote by one byte (its contents are `start + 1 ..
    // end - 1`); written `\"`, the quote takes two: an offset inside an escape means after it
    // at a range's start, before it at its end.
    let from = map.partition_point(|&m| m < edit.range.start);
    let last_at_or_before = map
        .partition_point(|&m| m <= edit.range.end)
        .checked_sub(1)?;
    let to = map.partition_point(|&m| m < map[last_at_or_before]);
    if from >= map.len() || from > to {
        return None;
    }
    let range = TextRange::new(map[from], map[to]);
    let new_text = escape_for(quoted.style, &edit.new_text)?;
    let mut edited = raw.to_string();
    let local = (range.start - start) as usize..(range.end - start) as usize;
    edited.get(local.clone())?;
    edited.replace_range(local, &new_text);
    let (after, _) = embedded_json::decode(quoted.style, &edited, start)?;
    let expected = format!(
        "{}{}{}",
        decoded.get(..from)?,
        edit.new_text,
        decoded.get(to..)?
    );
    (after == expected).then_some(Edit { range, new_text })
}

/// JSON text written inside a quoted string of the given style; `None` when it holds what
/// looks copied from the string as written (a backslash, a doubled single quote), which
/// escaping again would double.
fn escape_for(style: ScalarStyle, json: &str) -> Option<String> {
    match style {
        ScalarStyle::SingleQuoted if !json.contains("''") => Some(json.replace('\'', "''")),
        ScalarStyle::DoubleQuoted if !json.contains('\\') => Some(json.replace('"', "\\\"")),
        ScalarStyle::HclQuoted if !json.contains('\\') => Some(
            json.replace('"', "\\\"")
                .replace('\n', "\\n")
                .replace("${", "$${")
                .replace("%{", "%%{"),
        ),
        _ => None,
    }
}

/// `value` as a new token of the given style.
fn render(host: Host, style: ScalarStyle, value: &str) -> Option<String> {
    let json = || serde_json::to_string(value).ok();
    match (host, style) {
        (_, ScalarStyle::Frozen) => None,
        (Host::Yaml, ScalarStyle::Plain) if plain_safe(value) => Some(value.to_string()),
        (Host::Yaml, ScalarStyle::SingleQuoted) if !value.contains('\n') => {
            Some(format!("'{}'", value.replace('\'', "''")))
        }
        // A JSON string literal is a YAML double-quoted scalar.
        (Host::Yaml, _) => json(),
        (Host::Json, _) => json(),
        (Host::Terraform, ScalarStyle::Identifier) if is_identifier(value) => {
            Some(value.to_string())
        }
        // HCL's escapes are JSON's; a literal `${` or `%{` is written doubled.
        (Host::Terraform, _) => Some(json()?.replace("${", "$${").replace("%{", "%%{")),
    }
}

/// A key named `name` as the host writes it (`Action`, `"aws:SourceArn"` in HCL), followed by
/// the host's separator when `with_separator` (`: ` in YAML, ` = ` in HCL).
pub(crate) fn key_text(host: Host, name: &str, with_separator: bool) -> String {
    let key = match host {
        Host::Yaml if plain_safe(name) => name.to_string(),
        Host::Terraform if is_identifier(name) => name.to_string(),
        Host::Terraform => render(host, ScalarStyle::HclQuoted, name).unwrap_or_default(),
        _ => serde_json::to_string(name).unwrap_or_default(),
    };
    let separator = match (with_separator, host) {
        (false, _) => "",
        (true, Host::Terraform) => " = ",
        (true, _) => ": ",
    };
    format!("{key}{separator}")
}

/// `${` or `%{`: the start of an HCL template sequence.
fn has_template_start(text: &str) -> bool {
    text.contains("${") || text.contains("%{")
}

/// An HCL identifier (a bare object key).
fn is_identifier(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether `value` can be written as a YAML plain scalar and read back as the same string.
pub(super) fn plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let reserved_start = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let resolves_otherwise = matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) || value.parse::<f64>().is_ok();
    !reserved_start
        && !resolves_otherwise
        && value.trim() == value
        && !value.contains(['\n', '\t', '\r'])
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_that_read_back_as_written() {
        for ok in ["s3:GetObject", "arn:aws:s3:::b/*", "2012-10-17", "Allow"] {
            assert!(plain_safe(ok), "{ok}");
        }
        for quoted in ["*", "", " a", "a: b", "true", "12", "a #b", "{x}", "!Ref"] {
            assert!(!plain_safe(quoted), "{quoted}");
        }
    }
}
