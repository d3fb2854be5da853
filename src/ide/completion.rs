//! Completion: element names, values, condition operators, and (over the catalogue)
//! actions and condition keys. Every item carries the exact edit to make, so clients that
//! filter or replace differently still produce valid JSON.

use super::catalog_items;
use super::context::{Context, Mode, Slot, context_at};
use crate::analysis::Analysis;
use crate::catalog::{IF_EXISTS_DESCRIPTION, operators};
use crate::policy::elements::{Element, POLICY_ELEMENTS, STATEMENT_ELEMENTS, VERSIONS};
use crate::syntax::{Member, Object, Str, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Element,
    Value,
    Operator,
    ConditionKey,
    Service,
    Action,
    Wildcard,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompletionItem {
    pub(crate) label: String,
    pub(crate) kind: ItemKind,
    pub(crate) detail: Option<String>,
    /// Markdown.
    pub(crate) documentation: Option<String>,
    /// Replaces `range` with `new_text` (a snippet when `snippet` is true).
    pub range: TextRange,
    pub(crate) new_text: String,
    pub(crate) snippet: bool,
    pub(crate) filter_text: Option<String>,
    pub(crate) sort_text: Option<String>,
    pub(crate) deprecated: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Capabilities {
    /// The client accepts snippets (`$1`, `${1|a,b|}`) in insert texts.
    pub snippets: bool,
}

/// The items for a position, and whether the list is incomplete: the client must ask again as
/// the user types (the server narrowed the list in ways client-side filtering cannot follow,
/// or capped it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Completions {
    pub items: Vec<CompletionItem>,
    pub(crate) incomplete: bool,
}

impl From<Vec<CompletionItem>> for Completions {
    fn from(items: Vec<CompletionItem>) -> Self {
        Completions {
            items,
            incomplete: false,
        }
    }
}

pub fn complete(analysis: &Analysis, offset: u32, caps: Capabilities) -> Vec<CompletionItem> {
    complete_list(analysis, offset, caps).items
}

/// [`complete`], with whether the list is incomplete.
pub fn complete_list(analysis: &Analysis, offset: u32, caps: Capabilities) -> Completions {
    let Some(root) = &analysis.parse.root else {
        return Completions::default();
    };
    if analysis.host == crate::host::Host::Terraform
        && let Some(name) = analysis.host_syntax.document_name_at(offset)
    {
        return super::host_keys::document_names(name);
    }
    let Some(policy) = analysis
        .policies
        .iter()
        .find(|r| r.start < offset && offset <= r.end)
    else {
        return Completions::default();
    };
    let context = context_at(root, offset, Mode::Inside);
    // Only the part of the path inside the policy matters (in a template, the members on
    // the way to the policy start before it).
    let depth = context
        .path
        .iter()
        .take_while(|m| {
            m.value
                .as_ref()
                .is_some_and(|v| v.range.contains_range(*policy))
        })
        .count();
    let names: Vec<&str> = context.names()[depth..].to_vec();
    // In YAML and Terraform, keys are written in the host's syntax, without JSON's snippets.
    if analysis.host != crate::host::Host::Json {
        let plain = Capabilities { snippets: false };
        let keys = |object: &Object, key: Option<&Str>| {
            key_items(analysis, object, key, &names, offset, plain)
        };
        match &context.slot {
            Slot::Key { object, key } => {
                return super::host_keys::complete_key(analysis, object, *key, offset, keys);
            }
            Slot::Value { .. } => {
                if let Some(keys) =
                    super::host_keys::new_mapping_in_list(analysis, &context.slot, offset, keys)
                    && !keys.items.is_empty()
                {
                    return keys;
                }
            }
            _ => {}
        }
    }
    complete_in(analysis, &context, &names, offset, caps)
}

/// The keys offered in `object` (a policy, a statement, a condition block or an operator's
/// block, as `names` says), `key` being the one typed if any.
fn key_items(
    analysis: &Analysis,
    object: &Object,
    key: Option<&Str>,
    names: &[&str],
    offset: u32,
    caps: Capabilities,
) -> Completions {
    match names {
        ["Statement", "Condition", _] => catalog_items::condition_keys(
            object,
            key,
            offset,
            caps,
            catalog_items::statement_at(analysis, offset).as_ref(),
        ),
        [] => element_keys(object, key, POLICY_ELEMENTS, offset, caps).into(),
        ["Statement"] => element_keys(object, key, STATEMENT_ELEMENTS, offset, caps).into(),
        ["Statement", "Condition"] => operator_keys(object, key, offset, caps).into(),
        _ => Completions::default(),
    }
}

fn complete_in(
    analysis: &Analysis,
    context: &Context,
    names: &[&str],
    offset: u32,
    caps: Capabilities,
) -> Completions {
    let statement = || catalog_items::statement_at(analysis, offset);
    let items = match (&context.slot, names) {
        (Slot::Value { string, .. }, ["Statement", "Action" | "NotAction"]) => {
            return catalog_items::actions(*string, offset, caps);
        }
        (Slot::Value { string, .. }, ["Statement", "Resource" | "NotResource"]) => {
            return catalog_items::resources(*string, offset, caps, statement().as_ref());
        }
        (Slot::Key { object, key }, _) => {
            return key_items(analysis, object, *key, names, offset, caps);
        }
        (Slot::Value { string, .. }, ["Version"]) => {
            values(*string, offset, VERSIONS, "policy language version")
        }
        (Slot::Value { string, .. }, ["Statement", "Effect"]) => {
            values(*string, offset, &["Allow", "Deny"], "statement effect")
        }
        _ => Vec::new(),
    };
    items.into()
}

/// The range an item replaces and how the new text ends: inside a string, its contents
/// (closing an unterminated one); elsewhere, nothing (a fresh quoted token is inserted).
pub(super) struct Target {
    pub(super) range: TextRange,
    pub(super) quote_open: bool,
    pub(super) quote_close: bool,
}

pub(super) fn target(string: Option<&Str>, offset: u32) -> Target {
    match string {
        Some(s) if s.quoted => Target {
            range: s.content_range(),
            quote_open: false,
            quote_close: !s.terminated,
        },
        // An unquoted value (a YAML plain scalar): replaced as it is written.
        Some(s) if !s.range.is_empty() => Target {
            range: s.range,
            quote_open: false,
            quote_close: false,
        },
        _ => Target {
            range: TextRange::empty(offset),
            quote_open: true,
            quote_close: true,
        },
    }
}

pub(super) fn quoted(target: &Target, text: &str) -> String {
    let open = if target.quote_open { "\"" } else { "" };
    let close = if target.quote_close { "\"" } else { "" };
    format!("{open}{text}{close}")
}

pub(super) fn values(
    string: Option<&Str>,
    offset: u32,
    choices: &[&str],
    detail: &str,
) -> Vec<CompletionItem> {
    let target = target(string, offset);
    choices
        .iter()
        .enumerate()
        .map(|(i, choice)| CompletionItem {
            label: choice.to_string(),
            kind: ItemKind::Value,
            detail: Some(detail.to_string()),
            documentation: None,
            range: target.range,
            new_text: quoted(&target, choice),
            snippet: false,
            filter_text: None,
            sort_text: Some(format!("{i:02}")),
            deprecated: false,
        })
        .collect()
}

fn element_keys(
    object: &Object,
    key: Option<&Str>,
    elements: &[Element],
    offset: u32,
    caps: Capabilities,
) -> Vec<CompletionItem> {
    let needs_value = needs_value(object, key);
    elements
        .iter()
        .enumerate()
        .filter(|(_, e)| !object.has_key(e.name) || key.is_some_and(|k| &*k.value == e.name))
        .map(|(i, element)| {
            let (range, new_text, snippet) = key_edit(
                key,
                offset,
                element.name,
                needs_value,
                value_snippet(element.name),
                caps,
            );
            CompletionItem {
                label: element.name.to_string(),
                kind: ItemKind::Element,
                detail: Some("policy element".to_string()),
                documentation: Some(element.summary.to_string()),
                range,
                new_text,
                snippet,
                filter_text: None,
                sort_text: Some(format!("{i:02}")),
                deprecated: false,
            }
        })
        .collect()
}

/// The edit for a key: the name, and when the member has no colon yet, `": "` and a value
/// placeholder. Inside an existing key the edit runs to its closing quote, so the colon goes
/// after it.
pub(super) fn key_edit(
    key: Option<&Str>,
    offset: u32,
    name: &str,
    needs_value: bool,
    value: Option<&str>,
    caps: Capabilities,
) -> (TextRange, String, bool) {
    let (range, mut text) = match key {
        Some(k) if k.quoted && needs_value => (
            TextRange::new(k.content_range().start, k.range.end),
            format!("{name}\""),
        ),
        Some(k) if k.quoted => (k.content_range(), name.to_string()),
        _ => (TextRange::empty(offset), format!("\"{name}\"")),
    };
    if !needs_value {
        return (range, text, false);
    }
    match (caps.snippets, value) {
        (true, Some(snippet)) => {
            text.push_str(": ");
            text.push_str(snippet);
            (range, text, true)
        }
        _ => {
            text.push_str(": ");
            (range, text, false)
        }
    }
}

fn value_snippet(element: &str) -> Option<&'static str> {
    Some(match element {
        "Version" => "\"${1|2012-10-17,2008-10-17|}\"",
        "Id" | "Sid" => "\"$1\"",
        "Statement" => {
            "[\n\t{\n\t\t\"Effect\": \"${1|Allow,Deny|}\",\n\t\t\"Action\": [\"$2\"],\n\t\t\"Resource\": \"${3:*}\"\n\t}\n]"
        }
        "Effect" => "\"${1|Allow,Deny|}\"",
        "Action" | "NotAction" => "[\"$1\"]",
        "Resource" | "NotResource" => "\"${1:*}\"",
        "Principal" | "NotPrincipal" => "{\"${1|AWS,Service,Federated|}\": \"$2\"}",
        "Condition" => "{\"${1:StringEquals}\": {\"$2\": \"$3\"}}",
        _ => return None,
    })
}

/// Whether the member whose key is being completed still lacks its colon (and value).
pub(super) fn needs_value(object: &Object, key: Option<&Str>) -> bool {
    let member: Option<&Member> =
        key.and_then(|k| object.members.iter().find(|m| std::ptr::eq(&m.key, k)));
    member.is_none_or(|m| m.colon.is_none())
}

fn operator_keys(
    object: &Object,
    key: Option<&Str>,
    offset: u32,
    caps: Capabilities,
) -> Vec<CompletionItem> {
    let needs_value = needs_value(object, key);
    let mut items = Vec::new();
    for (i, op) in operators().iter().enumerate() {
        let variants = [op.name.to_string(), format!("{}IfExists", op.name)];
        for (j, name) in variants.iter().enumerate() {
            if j == 1 && !op.if_exists_allowed {
                continue;
            }
            let (range, new_text, snippet) = key_edit(
                key,
                offset,
                name,
                needs_value,
                Some("{\"$1\": \"$2\"}"),
                caps,
            );
            let summary = if j == 1 {
                format!("{}\n\n{IF_EXISTS_DESCRIPTION}", op.description)
            } else {
                op.description.to_string()
            };
            items.push(CompletionItem {
                label: name.clone(),
                kind: ItemKind::Operator,
                detail: Some("condition operator".to_string()),
                documentation: Some(summary),
                range,
                new_text,
                snippet,
                filter_text: None,
                sort_text: Some(format!("{i:02}{j}")),
                deprecated: false,
            });
        }
    }
    items
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::analysis::{Options, analyze};

    pub(crate) fn complete_marked(
        marked: &str,
        caps: Capabilities,
    ) -> (String, Vec<CompletionItem>) {
        let offset = marked.find("$0").expect("cursor marker") as u32;
        let text = marked.replace("$0", "");
        let analysis = analyze(&text, &Options::default());
        (text, complete(&analysis, offset, caps))
    }

    fn labels(marked: &str) -> Vec<String> {
        complete_marked(marked, Capabilities::default())
            .1
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    /// `text` with the item accepted (the catalogue's completion tests use it too).
    pub(in crate::ide) fn apply(text: &str, item: &CompletionItem) -> String {
        let mut out = text.to_string();
        out.replace_range(item.range.as_usize(), &item.new_text);
        out
    }

    #[test]
    fn effect_values_in_every_typing_state() {
        for marked in [
            r#"{"Statement": [{"Effect": "$0"}]}"#,
            r#"{"Statement": [{"Effect": "Al$0"}]}"#,
            "{\"Statement\": [{\"Effect\": \"$0\n",
            r#"{"Statement": [{"Effect": $0}]}"#,
        ] {
            assert_eq!(labels(marked), vec!["Allow", "Deny"], "{marked}");
        }
        let (text, items) = complete_marked(
            "{\"Statement\": [{\"Effect\": \"Al$0\n",
            Capabilities::default(),
        );
        assert_eq!(
            apply(&text, &items[0]),
            "{\"Statement\": [{\"Effect\": \"Allow\"\n"
        );
        let (text, items) = complete_marked(
            r#"{"Statement": [{"Effect": $0}]}"#,
            Capabilities::default(),
        );
        assert_eq!(
            apply(&text, &items[1]),
            r#"{"Statement": [{"Effect": "Deny"}]}"#
        );
    }

    #[test]
    fn statement_keys_skip_present_elements() {
        let got = labels(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "$0"}]}"#);
        assert_eq!(
            got,
            vec![
                "Sid",
                "Principal",
                "NotPrincipal",
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Condition"
            ]
        );
        assert_eq!(
            labels(r#"{"Version": "2012-10-17", $0}"#),
            vec!["Id", "Statement"]
        );
    }

    #[test]
    fn key_completion_adds_the_value_when_missing() {
        let (text, items) = complete_marked(
            r#"{"Statement": [{"Effect": "Allow", "Act$0"}]}"#,
            Capabilities { snippets: true },
        );
        let action = items.iter().find(|i| i.label == "Action").unwrap();
        assert_eq!(
            apply(&text, action),
            r#"{"Statement": [{"Effect": "Allow", "Action": ["$1"]}]}"#
        );
        let (text, items) = complete_marked(
            r#"{"Statement": [{"Effect": "Allow", "Act$0": "s3:*"}]}"#,
            Capabilities { snippets: true },
        );
        let action = items.iter().find(|i| i.label == "Action").unwrap();
        assert_eq!(
            apply(&text, action),
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}"#
        );
    }

    #[test]
    fn condition_operators() {
        let got = labels(r#"{"Statement": [{"Condition": {"Str$0"}}]}"#);
        assert!(got.contains(&"StringEquals".to_string()));
        assert!(got.contains(&"StringNotLikeIfExists".to_string()));
        assert!(got.contains(&"Null".to_string()));
        assert!(!got.contains(&"NullIfExists".to_string()));
    }

    #[test]
    fn nothing_outside_policies() {
        assert!(labels(r#"{"name": "$0"}"#).is_empty());
    }

    #[test]
    fn inside_a_policy_embedded_in_a_template() {
        let got = labels(
            r#"{"Resources": {"R": {"Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "$0", "Action": "s3:*", "Resource": "*"}]}}}}}"#,
        );
        assert_eq!(got, ["Allow", "Deny"]);
        let got = labels(
            r#"{"Resources": {"R": {"Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "support:DescribeCa$0", "Resource": "*"}]}}}}}"#,
        );
        assert!(
            got.contains(&"support:DescribeCases".to_string()),
            "{got:?}"
        );
    }
}
