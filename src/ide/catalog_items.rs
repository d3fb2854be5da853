//! Completion items from the catalogue: services, actions and wildcards in `Action` /
//! `NotAction`, condition keys in an operator block, resource ARN templates in `Resource`.
//!
//! Everything works from the syntax tree of the cached analysis: binary searches over the
//! catalogue, one scan of a service's actions at most, no parsing.

use super::completion::{
    Capabilities, CompletionItem, Completions, ItemKind, key_edit, needs_value, quoted, target,
};
use super::docs;
use super::fuzzy::{abbreviation_match, abbreviation_rank};
use crate::analysis::Analysis;
use crate::catalog::{
    self, ActionRef, ConditionKeyMatch, ConditionKeyRef, ResourceTypeRef, ServiceRef,
};
use crate::policy::action::{ActionSyntax, parse_action_syntax};
use crate::policy::{Statement, StringList};
use crate::syntax::{Object, Str};

/// At most this many items; a longer list is cut and marked incomplete.
const MAX_ITEMS: usize = 500;
/// At most this many items when the typed prefix names several services.
const AMBIGUOUS_ITEMS: usize = 200;
/// At most this many services when the typed prefix names none exactly (`sup:`).
const MAX_SERVICES: usize = 8;
/// Above this many action strings in a statement, condition keys and resource types come from
/// the services of its actions rather than from each action.
const PER_ACTION_LIMIT: usize = 200;

/// The services the Support Center work is about: first where the typed prefix is ambiguous.
const PREFERRED: &[&str] = &["support", "trustedadvisor", "support-console"];

fn preferred_rank(service: ServiceRef) -> usize {
    PREFERRED
        .iter()
        .position(|p| *p == service.prefix())
        .unwrap_or(PREFERRED.len())
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The statement around `offset`, if any.
pub(super) fn statement_at(analysis: &Analysis, offset: u32) -> Option<Statement<'_>> {
    analysis
        .policies()
        .into_iter()
        .flat_map(|p| p.statements)
        .find(|s| s.value.range.touches(offset))
}

/// The part of the string token before the cursor (the whole value when escapes make raw and
/// decoded text differ).
fn typed_before(string: Option<&Str>, offset: u32) -> &str {
    let Some(s) = string else { return "" };
    let content = s.content_range();
    let value = s.as_str();
    if value.len() != content.len() as usize {
        return value;
    }
    let end = offset.saturating_sub(content.start) as usize;
    value.get(..end.min(value.len())).unwrap_or(value)
}

fn item(
    label: String,
    kind: ItemKind,
    new_text: String,
    range_from: &super::completion::Target,
) -> CompletionItem {
    CompletionItem {
        label,
        kind,
        detail: None,
        documentation: None,
        range: range_from.range,
        new_text,
        snippet: false,
        filter_text: None,
        sort_text: None,
        deprecated: false,
    }
}

/// Numbers the items in order and says whether client-side filtering can follow them.
fn finish(mut items: Vec<CompletionItem>, typed: &str, mut incomplete: bool) -> Completions {
    if items.len() > MAX_ITEMS {
        items.truncate(MAX_ITEMS);
        incomplete = true;
    }
    for (i, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{i:04}"));
        // A client filters by the text typed so far: keep items the server found by
        // abbreviation (`sup:desclev`) by filtering them on exactly that text.
        if !starts_with_ci(&item.label, typed) {
            item.filter_text = Some(typed.to_string());
            incomplete = true;
        }
    }
    Completions { items, incomplete }
}

/// Items in an `Action` / `NotAction` value.
pub(super) fn actions(string: Option<&Str>, offset: u32, caps: Capabilities) -> Completions {
    let typed = typed_before(string, offset);
    let target = target(string, offset);
    match typed.split_once(':') {
        None => service_items(typed, &target, caps),
        Some((service, name)) if !name.contains(':') => action_items(typed, service, name, &target),
        Some(_) => Completions::default(),
    }
}

/// Services whose prefix starts with `typed`, else those it abbreviates; the Support ones first.
fn matching_services(typed: &str) -> Vec<ServiceRef> {
    let mut found: Vec<ServiceRef> = catalog::services_starting_with(typed).collect();
    if found.is_empty() {
        found = catalog::services()
            .filter(|s| abbreviation_match(typed, s.prefix()))
            .collect();
    }
    found.sort_by_key(|s| (preferred_rank(*s), s.prefix()));
    found
}

fn service_items(
    typed: &str,
    target: &super::completion::Target,
    caps: Capabilities,
) -> Completions {
    let mut items = Vec::new();
    if typed.bytes().all(|b| b == b'*') {
        let mut all = item(
            "*".to_string(),
            ItemKind::Wildcard,
            quoted(target, "*"),
            target,
        );
        all.detail = Some(format!(
            "matches every action ({})",
            catalog::action_count()
        ));
        all.documentation = Some(format!(
            "**`*`** matches every action of every service ({} actions of {} services).\n\n{}",
            catalog::action_count(),
            catalog::service_count(),
            docs::data_line()
        ));
        items.push(all);
    }
    for service in matching_services(typed) {
        let prefix = service.prefix();
        // The string stays open for the action name: no closing quote. Outside a string, a
        // snippet puts the cursor between the quotes.
        let (new_text, snippet) = if target.quote_open {
            if caps.snippets {
                (format!("\"{prefix}:$0\""), true)
            } else {
                (format!("\"{prefix}:"), false)
            }
        } else {
            (format!("{prefix}:"), false)
        };
        let mut it = item(prefix.to_string(), ItemKind::Service, new_text, target);
        it.snippet = snippet;
        it.detail = Some(match service.name() {
            Some(name) => format!("{name} · {} actions", service.action_count()),
            None => format!("{} actions", service.action_count()),
        });
        it.documentation = Some(docs::service_markdown(service));
        items.push(it);
    }
    finish(items, typed, false)
}

/// The leading word of an action name (`Describe` of `DescribeCases`), if a second word
/// follows.
fn verb(name: &str) -> Option<&str> {
    let bytes = name.as_bytes();
    (1..bytes.len())
        .find(|&i| bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase())
        .map(|i| &name[..i])
}

/// `service:Verb*` items for the verbs that start two or more of the service's actions and
/// start like `name` (`support:` → `Describe*`, `Create*`, …; `support:Desc` → `Describe*`).
fn verb_wildcards(service: ServiceRef, name: &str) -> Vec<(String, usize)> {
    let mut verbs: Vec<(&'static str, usize)> = Vec::new();
    for action in service.actions() {
        let Some(verb) = verb(action.name()) else {
            continue;
        };
        if !starts_with_ci(verb, name) {
            continue;
        }
        match verbs.iter_mut().find(|(v, _)| v.eq_ignore_ascii_case(verb)) {
            Some(entry) => entry.1 += 1,
            None => verbs.push((verb, 1)),
        }
    }
    verbs
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(verb, _)| {
            // `Verb*` matches every name that starts with the verb, not only those whose
            // first word it is.
            let count = service.actions_starting_with(verb).len();
            (format!("{}:{verb}*", service.prefix()), count)
        })
        .collect()
}

fn wildcard_item(
    pattern: String,
    count: usize,
    target: &super::completion::Target,
) -> CompletionItem {
    let mut it = item(
        pattern.clone(),
        ItemKind::Wildcard,
        quoted(target, &pattern),
        target,
    );
    it.detail = Some(match count {
        1 => "matches 1 action".to_string(),
        n => format!("matches {n} actions"),
    });
    it.documentation = Some(docs::wildcard_markdown(&pattern));
    it
}

fn action_item(action: ActionRef, target: &super::completion::Target) -> CompletionItem {
    let full = action.to_string();
    let new_text = quoted(target, &full);
    let mut it = item(full, ItemKind::Action, new_text, target);
    it.detail = Some(action.access_level().to_string());
    it.documentation = Some(docs::action_markdown(action));
    it
}

fn action_items(
    typed: &str,
    service_part: &str,
    name: &str,
    target: &super::completion::Target,
) -> Completions {
    let mut items = Vec::new();
    if catalog::has_wildcard(typed) {
        // The user is writing a wildcard: offer it as typed, with what it matches.
        let count = catalog::count_matching(typed);
        if count > 0 {
            items.push(wildcard_item(typed.to_string(), count, target));
        }
        return finish(items, typed, true);
    }
    let (services, mut incomplete) = match catalog::service(service_part) {
        Some(service) => (vec![service], false),
        None => {
            let mut found = matching_services(service_part);
            let capped = found.len() > MAX_SERVICES;
            found.truncate(MAX_SERVICES);
            (found, capped)
        }
    };
    // Several services (`s:`): enough to choose from; typing narrows it.
    let limit = if services.len() > 1 {
        AMBIGUOUS_ITEMS
    } else {
        MAX_ITEMS
    };
    for &service in &services {
        if items.len() >= limit {
            incomplete = true;
            break;
        }
        let mut hits: Vec<ActionRef> = service.actions_starting_with(name).collect();
        if hits.is_empty() {
            let mut ranked: Vec<_> = service
                .actions()
                .filter_map(|a| Some((abbreviation_rank(name, a.name())?, a)))
                .collect();
            ranked.sort_by_key(|(rank, a)| (*rank, a.name()));
            hits = ranked.into_iter().map(|(_, a)| a).collect();
            incomplete = true;
        }
        let room = limit.saturating_sub(items.len());
        incomplete |= hits.len() > room;
        items.extend(hits.into_iter().take(room).map(|a| action_item(a, target)));
    }
    if let [service] = services[..] {
        if name.is_empty() {
            items.push(wildcard_item(
                format!("{}:*", service.prefix()),
                service.action_count(),
                target,
            ));
        }
        for (pattern, count) in verb_wildcards(service, name) {
            items.push(wildcard_item(pattern, count, target));
        }
    } else {
        // The server chose the services: as the user types, the choice may change.
        incomplete = true;
    }
    finish(items, typed, incomplete)
}

/// The catalogue actions a statement's `Action` strings name (literal ones, and wildcards with
/// a literal service). With very many strings, `None`: use [`statement_services`].
fn statement_actions(list: &StringList) -> Option<Vec<ActionRef>> {
    if list.items.len() > PER_ACTION_LIMIT {
        return None;
    }
    let mut found = Vec::new();
    for s in &list.items {
        let text = s.as_str();
        let ActionSyntax::Action { service, name, .. } = parse_action_syntax(text) else {
            continue;
        };
        if catalog::has_wildcard(service) {
            continue;
        }
        if catalog::has_wildcard(name) {
            found.extend(catalog::matching_actions(text));
        } else if let Some(action) = catalog::action(service, name) {
            found.push(action);
        }
    }
    found.sort();
    found.dedup();
    Some(found)
}

/// The services named by a statement's `Action` strings (literal service parts).
fn statement_services(list: &StringList) -> Vec<ServiceRef> {
    let mut found: Vec<ServiceRef> = Vec::new();
    let mut last: Option<&str> = None;
    for s in &list.items {
        let Some((service, _)) = s.as_str().split_once(':') else {
            continue;
        };
        if last.is_some_and(|l| l.eq_ignore_ascii_case(service)) || catalog::has_wildcard(service) {
            continue;
        }
        last = Some(service);
        if let Some(svc) = catalog::service(service) {
            found.push(svc);
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Only `Action` counts: `NotAction` names what the statement does not cover.
fn action_list<'a>(statement: Option<&Statement<'a>>) -> Option<StringList<'a>> {
    statement?
        .action
        .map(|member| StringList::new(member, false))
}

/// `aws:RequestTag/…`, `aws:ResourceTag/…`, `aws:TagKeys`: global, but only in the requests of
/// actions that take or act on tags.
fn is_tag_key(name: &str) -> bool {
    starts_with_ci(name, "aws:RequestTag/")
        || starts_with_ci(name, "aws:ResourceTag/")
        || name.eq_ignore_ascii_case("aws:TagKeys")
}

/// Condition keys in an operator block: the service keys of the statement's actions (and of
/// their resource types), then the global keys, each with its type; when the actions are
/// known, only the tag keys they carry.
pub(super) fn condition_keys(
    object: &Object,
    key: Option<&Str>,
    offset: u32,
    caps: Capabilities,
    statement: Option<&Statement>,
) -> Completions {
    let mut service_keys: Vec<ConditionKeyRef> = Vec::new();
    // Whether the statement's actions are known: then only the tag keys they carry are
    // offered (`condition-key-not-applicable` reports the others).
    let mut actions_known = false;
    if let Some(list) = action_list(statement) {
        match statement_actions(&list) {
            Some(actions) => {
                actions_known = !actions.is_empty();
                for action in actions {
                    service_keys.extend(action.condition_keys());
                    // The SAR's action rows leave out some of their resource types' keys.
                    for resource_type in action.resource_types() {
                        service_keys.extend(resource_type.resource_type.condition_keys());
                    }
                }
            }
            None => {
                for service in statement_services(&list) {
                    service_keys.extend(service.condition_keys());
                }
            }
        }
    }
    // Tag keys (global, but only in some requests) that an action of the statement carries.
    let carried_tag_keys: Vec<&'static str> = service_keys
        .iter()
        .map(|k| k.name())
        .filter(|name| is_tag_key(name))
        .collect();
    let offered_global = |g: &catalog::GlobalConditionKey| {
        !g.legacy
            && (!actions_known
                || !is_tag_key(g.name)
                || carried_tag_keys
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(g.name)))
    };
    // `aws:` keys that the SAR repeats per service are offered once, as global keys.
    service_keys.retain(|k| !starts_with_ci(k.name(), "aws:"));
    service_keys.sort_by_cached_key(|k| k.name().to_ascii_lowercase());
    service_keys.dedup_by(|a, b| a.name().eq_ignore_ascii_case(b.name()));

    let present = |name: &str| {
        object.members.iter().any(|m| {
            m.key.as_str().eq_ignore_ascii_case(name)
                && !key.is_some_and(|k| std::ptr::eq(k, &m.key))
        })
    };
    let needs_value = needs_value(object, key);
    let mut items = Vec::new();
    let keys = service_keys
        .into_iter()
        .map(ConditionKeyMatch::Service)
        .chain(
            catalog::global_condition_keys()
                .iter()
                .filter(|g| offered_global(g))
                .map(ConditionKeyMatch::Global),
        );
    for (i, k) in keys.enumerate() {
        if present(k.name()) {
            continue;
        }
        let (name, name_stops) = key_name_text(k.name(), caps.snippets);
        let value = if k.value_type() == catalog::ValueType::Bool && !k.multivalued() {
            format!("\"${{{}|true,false|}}\"", name_stops + 1)
        } else if k.multivalued() {
            format!("[\"${}\"]", name_stops + 1)
        } else {
            format!("\"${}\"", name_stops + 1)
        };
        let (range, new_text, snippet) =
            key_edit(key, offset, &name, needs_value, Some(&value), caps);
        let detail = match k {
            ConditionKeyMatch::Global(_) => {
                format!("{} · global", k.value_type().sar_name(k.multivalued()))
            }
            ConditionKeyMatch::Service(s) => {
                format!("{} · {}", s.sar_type(), s.service().prefix())
            }
        };
        items.push(CompletionItem {
            label: k.name().to_string(),
            kind: ItemKind::ConditionKey,
            detail: Some(detail),
            documentation: Some(docs::condition_key_markdown(k)),
            range,
            new_text,
            snippet: snippet || name_stops > 0,
            filter_text: None,
            sort_text: Some(format!("{i:04}")),
            deprecated: false,
        });
    }
    items.into()
}

/// A key name for insertion: placeholders (`${TagKey}`, `<key>`) become tab stops in a
/// snippet, or are left out (the user types there). Returns the text and its tab-stop count.
fn key_name_text(name: &str, snippets: bool) -> (String, usize) {
    let mut out = String::new();
    let mut stops = 0;
    let mut rest = name;
    while !rest.is_empty() {
        let (open, close) = match (rest.find("${"), rest.find('<')) {
            (Some(a), Some(b)) if b < a => (b, '>'),
            (Some(a), _) => (a, '}'),
            (None, Some(b)) => (b, '>'),
            (None, None) => break,
        };
        let body_start = if close == '}' { open + 2 } else { open + 1 };
        let Some(len) = rest[body_start..].find(close) else {
            break;
        };
        out.push_str(&rest[..open]);
        if snippets {
            stops += 1;
            out.push_str(&format!(
                "${{{stops}:{}}}",
                &rest[body_start..body_start + len]
            ));
        }
        rest = &rest[body_start + len + 1..];
    }
    out.push_str(rest);
    (out, stops)
}

/// Whether an ARN template (its plain text, placeholders as `*`) can become what is typed: the
/// typed text follows the template, a `*` of the template standing for any run of text
/// without `:` (an ARN's fields never hold one, its resource IDs may hold `/`). So
/// `arn:aws:s3:::b` fits both S3 templates, `arn:aws:lambda:` no S3 one. Nothing typed fits
/// every template.
fn template_fits_typed(template: &str, typed: &str) -> bool {
    let t = template.as_bytes();
    // The template positions the typed text so far can have led to (a `*` may also stand
    // for nothing): one pass over the typed text, at most one flag per template byte.
    let mut at = vec![false; t.len() + 1];
    let close = |at: &mut Vec<bool>| {
        for i in 0..t.len() {
            if at[i] && t[i] == b'*' {
                at[i + 1] = true;
            }
        }
    };
    at[0] = true;
    close(&mut at);
    for &c in typed.as_bytes() {
        let mut next = vec![false; t.len() + 1];
        for i in 0..t.len() {
            if !at[i] {
                continue;
            }
            if t[i] == b'*' && c != b':' {
                next[i] = true;
            }
            if t[i] == c {
                next[i + 1] = true;
            }
        }
        close(&mut next);
        if !next.contains(&true) {
            return false;
        }
        at = next;
    }
    true
}

/// An ARN template as a snippet (`arn:${1:aws}:trustedadvisor:${2:*}:…`) or plain text
/// (`arn:aws:trustedadvisor:*:*:checks/*`).
fn arn_text(template: &str, snippets: bool) -> String {
    let mut out = String::new();
    let mut stops = 0;
    let mut rest = template;
    while let Some(open) = rest.find("${") {
        let Some(len) = rest[open + 2..].find('}') else {
            break;
        };
        let name = &rest[open + 2..open + 2 + len];
        let default = if name == "Partition" { "aws" } else { "*" };
        out.push_str(&rest[..open]);
        if snippets {
            stops += 1;
            out.push_str(&format!("${{{stops}:{default}}}"));
        } else {
            out.push_str(default);
        }
        rest = &rest[open + 2 + len + 1..];
    }
    out.push_str(rest);
    if !snippets {
        // `checks/*/*` and `checks/*` match the same ARNs: `*` spans `/`.
        while let Some(shorter) = out.strip_suffix("/*/*") {
            out = format!("{shorter}/*");
        }
    }
    out
}

/// How many ARN templates at most (those that fit what is typed).
const MAX_TEMPLATES: usize = 30;

/// `*`, then the ARN templates of the resource types of the statement's actions (none for
/// actions that only take `*`, such as Support's); when no action is known (`*`, `s3:Nope`,
/// a list too long to expand), the templates of the services the actions name; with no
/// `Action`, only `*`. Templates that cannot become what is typed are left out before the
/// cap.
pub(super) fn resources(
    string: Option<&Str>,
    offset: u32,
    caps: Capabilities,
    statement: Option<&Statement>,
) -> Completions {
    let mut items = super::completion::values(string, offset, &["*"], "every resource");
    let target = target(string, offset);
    let mut types: Vec<ResourceTypeRef> = Vec::new();
    let list = action_list(statement);
    match list.as_ref().and_then(statement_actions) {
        // Known actions: their types (none for actions that take `*`, such as Support's).
        Some(actions) if !actions.is_empty() => {
            for action in actions {
                types.extend(action.resource_types().map(|r| r.resource_type));
            }
        }
        // Too many to expand, or none known: the services they name.
        _ => {
            for service in list.iter().flat_map(statement_services) {
                types.extend(service.resource_types());
            }
        }
    }
    types.retain(|t| t.arn().is_some());
    types.sort();
    types.dedup();
    let typed = string.map_or("", |s| {
        let typed_end =
            (offset.saturating_sub(s.content_range().start) as usize).min(s.value.len());
        s.value.get(..typed_end).unwrap_or("")
    });
    let fitting = types.iter().filter(|t| {
        t.arn()
            .is_some_and(|arn| template_fits_typed(&arn_text(arn, false), typed))
    });
    for (i, rt) in fitting.take(MAX_TEMPLATES).enumerate() {
        let Some(arn) = rt.arn() else { continue };
        let plain = arn_text(arn, false);
        let text = arn_text(arn, caps.snippets);
        items.push(CompletionItem {
            label: arn.to_string(),
            kind: ItemKind::Value,
            detail: Some(format!("{} {} ARN", rt.service().prefix(), rt.name())),
            documentation: Some(format!(
                "ARN of a `{}` resource of {}:\n\n`{arn}`\n\n{}",
                rt.name(),
                rt.service().prefix(),
                docs::data_line()
            )),
            range: target.range,
            new_text: quoted(&target, &text),
            snippet: caps.snippets,
            filter_text: Some(plain),
            sort_text: Some(format!("1{i:03}")),
            deprecated: false,
        });
    }
    items.into()
}

#[cfg(test)]
mod tests;
