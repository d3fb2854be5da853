//! What the actions of `Action` / `NotAction` mean, over the catalogue: unknown services and
//! actions (with did-you-mean), wildcards that match nothing, removed actions and retired
//! services, actions and condition keys AWS uses without documenting them, casing, and
//! malformed action strings. What a string means is the catalogue's answer
//! ([`Resolver`](crate::catalog::Resolver)); this rule turns it into findings.

use super::Sink;
use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::catalog::{
    ActionRef, Catalog, RemovedAction, RemovedService, Resolution, ServiceRef, UndocumentedAction,
    UndocumentedKey, edit_distance_within, global_condition_keys, undocumented_close_to,
    undocumented_key, undocumented_keys,
};
use crate::policy::action::FormatProblem;
use crate::policy::{Effect, Policy, Statement, StringList};
use crate::syntax::{Member, Str, TextRange};

/// How many did-you-mean suggestions (and quick fixes) at most.
const MAX_SUGGESTIONS: usize = 3;

/// Prefixes people write that are not IAM service prefixes, and the prefix IAM uses.
const PREFIX_ALIASES: &[(&str, &str)] = &[
    ("alb", "elasticloadbalancing"),
    ("cloudwatchlogs", "logs"),
    ("cognito", "cognito-idp"),
    ("efs", "elasticfilesystem"),
    ("elb", "elasticloadbalancing"),
    ("emr", "elasticmapreduce"),
    ("eventbridge", "events"),
    ("nlb", "elasticloadbalancing"),
    ("sfn", "states"),
    ("stepfunctions", "states"),
];

/// The catalogue action each entry of the `Action` and `NotAction` lists resolved to, as the
/// actions rule found them, for the rules after it (which would otherwise resolve thousands
/// of entries again): per list, by its member, one number per entry of [`StringList::items`]
/// (`None` for an entry that is not a catalogue action or is still being typed).
#[derive(Default)]
pub(crate) struct ResolvedActions {
    /// By the list's member (a generated policy has 88,000 statements).
    lists: std::collections::HashMap<*const Member, Vec<Option<u32>>>,
}

impl ResolvedActions {
    /// The numbers of `list`'s entries, when the actions rule resolved that list.
    pub(crate) fn of(&self, list: &StringList) -> Option<&[Option<u32>]> {
        let member: *const Member = list.member;
        self.lists
            .get(&member)
            .filter(|numbers| numbers.len() == list.items.len())
            .map(|numbers| &numbers[..])
    }
}

pub(crate) fn check(
    catalog: &'static Catalog,
    policy: &Policy,
    text: &str,
    sink: &mut Sink,
    resolved: &mut ResolvedActions,
) {
    let mut resolver = catalog.resolver();
    let wants_case = sink.wants(Code::ActionCase);
    let wants_keys = sink.wants(Code::UnknownConditionKey)
        || sink.wants(Code::UndocumentedConditionKey)
        || sink.wants(Code::RemovedService);
    for statement in &policy.statements {
        for (member, negated) in [(statement.action, false), (statement.not_action, true)] {
            let Some(member) = member else { continue };
            let list = StringList::new(member, negated);
            let place = Place {
                negated,
                effect: statement.effect(),
            };
            let mut cases = Vec::new();
            let mut numbers: Vec<Option<u32>> = vec![None; list.items.len()];
            // A string being typed is left alone until its closing quote.
            let texts: Vec<Option<&str>> = list
                .items
                .iter()
                .map(|s| s.terminated.then(|| s.as_str()))
                .collect();
            let resolutions = resolver.resolve_all(&texts);
            for ((string, number), resolution) in
                list.items.iter().zip(&mut numbers).zip(resolutions)
            {
                let Some(resolution) = resolution else {
                    continue;
                };
                if let Resolution::Action { action, .. } = resolution {
                    *number = Some(action.number());
                }
                match resolution {
                    Resolution::Action {
                        action,
                        exact: false,
                    } if wants_case => {
                        // A list written in another case style has thousands: room for the
                        // rest of the list at once.
                        if cases.is_empty() {
                            cases.reserve(list.items.len());
                        }
                        cases.push(CaseHint::new(string, action))
                    }
                    Resolution::Unchecked | Resolution::Action { .. } | Resolution::Wildcard => {}
                    Resolution::Malformed(problem) => {
                        if sink.wants(Code::InvalidActionFormat) {
                            sink.push(malformed(catalog, string, problem, place));
                        }
                    }
                    Resolution::MatchesNothing => {
                        if sink.wants(Code::WildcardMatchesNothing)
                            || sink.wants(Code::RemovedAction)
                        {
                            sink.push_if_wanted(nothing_matches(catalog, string, place));
                        }
                    }
                    Resolution::Removed(removed) => {
                        if sink.wants(Code::RemovedAction) {
                            sink.push(removed_finding(catalog, string, removed, place));
                        }
                    }
                    Resolution::RemovedService { prefix, service } => {
                        if sink.wants(Code::RemovedService) {
                            sink.push(removed_service(string, prefix, service, place));
                        }
                    }
                    Resolution::Undocumented(undocumented) => {
                        if sink.wants(Code::UndocumentedAction) {
                            sink.push(undocumented_action(string, undocumented, place));
                        }
                    }
                    Resolution::UnknownAction { service, name } => {
                        if sink.wants(Code::UnknownAction) {
                            sink.push(unknown_action(catalog, string, service, name, place));
                        }
                    }
                    Resolution::UnknownService { prefix, name } => {
                        if sink.wants(Code::UnknownService) {
                            let close = resolver.services_close_to(prefix, 2 * MAX_SUGGESTIONS);
                            sink.push(unknown_service(catalog, string, prefix, name, close, place));
                        }
                    }
                }
            }
            case_findings(text, member, cases, sink);
            resolved.lists.insert(member, numbers);
        }
        if wants_keys {
            check_statement_keys(catalog, statement, sink);
        }
    }
    if sink.wants(Code::UnsupportedActionInResourcePolicy) {
        resource_policy::check(catalog, policy, sink);
    }
}

/// More `action-case` hints than this in one list become one hint on the list's key: a policy
/// written in another case style throughout (AWS's own `AWSSupportServiceRolePolicy` has
/// 4,500 `service:describeX` actions) gets one finding with one fix, not thousands.
const MAX_CASE_HINTS: usize = 20;

/// An action written in other case than AWS's, collected per list: a list of thousands of
/// them gets one finding.
struct CaseHint {
    range: TextRange,
    content_range: TextRange,
    canonical: ActionRef,
}

impl CaseHint {
    fn new(string: &Str, canonical: ActionRef) -> Self {
        Self {
            range: string.range,
            content_range: string.content_range(),
            canonical,
        }
    }
}

fn case_findings(text: &str, member: &Member, cases: Vec<CaseHint>, sink: &mut Sink) {
    let count = cases.len();
    if count == 0 {
        return;
    }
    if count <= MAX_CASE_HINTS {
        for case in &cases {
            sink.push(case_finding(case));
        }
        return;
    }
    let example = cases
        .first()
        .map(|c| format!(", such as \"{}\"", c.canonical))
        .unwrap_or_default();
    let mut finding = Finding::new(
        Code::ActionCase,
        member.key.range,
        format!(
            "{count} actions of this list are written in other case than AWS's canonical names{example} (IAM ignores case)"
        ),
    )
    .data(serde_json::json!({ "count": count }));
    if let Some(edit) = cases_rewritten(text, &cases) {
        finding = finding.fix(
            // Safe: IAM ignores the case of action names.
            Fix::quick(format!("Write the {count} actions as AWS does"), vec![edit])
                .preferred()
                .safe(),
        );
    }
    sink.push(finding);
}

/// One edit from the first action to the last, each written as AWS does (editors apply one
/// edit at once).
fn cases_rewritten(text: &str, cases: &[CaseHint]) -> Option<Edit> {
    let (first, last) = (cases.first()?, cases.last()?);
    let range = TextRange::new(first.content_range.start, last.content_range.end);
    let mut new_text = String::with_capacity(range.len() as usize);
    let mut at = range.start as usize;
    for case in cases {
        new_text.push_str(text.get(at..case.content_range.start as usize)?);
        new_text.push_str(case.canonical.full_name());
        at = case.content_range.end as usize;
    }
    Some(Edit { range, new_text })
}

fn case_finding(case: &CaseHint) -> Finding {
    let canonical = case.canonical.to_string();
    Finding::new(
        Code::ActionCase,
        case.range,
        format!("AWS writes this action \"{canonical}\" (IAM ignores case)"),
    )
    .fix(
        Fix::replace(
            format!("Change to \"{canonical}\""),
            case.content_range,
            canonical.clone(),
        )
        .preferred()
        // Safe: IAM ignores the case of action names.
        .safe(),
    )
    .data(serde_json::json!({ "canonical": canonical }))
}

/// Where an action string stands: `NotAction` makes a mistake silent.
#[derive(Clone, Copy)]
struct Place {
    negated: bool,
    effect: Option<Effect>,
}

impl Place {
    /// The sentence appended to findings about a `NotAction` entry.
    fn consequence(self) -> &'static str {
        match (self.negated, self.effect) {
            (false, _) => "",
            (true, Some(Effect::Deny)) => {
                " — in NotAction this matters more: IAM accepts it silently, so the exception you meant does not exist and this Deny also denies the action you meant to exempt"
            }
            (true, Some(Effect::Allow)) => {
                " — in NotAction this matters more: IAM accepts it silently, so nothing is excluded and this Allow also grants the action you meant to exclude"
            }
            (true, None) => {
                " — in NotAction this matters more: IAM accepts it silently, so the exception you meant does not exist"
            }
        }
    }
}

fn malformed(
    catalog: &'static Catalog,
    string: &Str,
    problem: FormatProblem,
    place: Place,
) -> Finding {
    let text = string.as_str();
    let mut finding = Finding::new(
        Code::InvalidActionFormat,
        string.range,
        format!(
            "the action \"{}\" {}{}",
            text.escape_debug(),
            problem.describe(),
            if problem.rejected_by_iam() {
                ": IAM rejects the policy"
            } else {
                ": it can never match an action"
            }
        ),
    );
    if !problem.rejected_by_iam() {
        finding = finding.severity(Severity::Warning);
    }
    finding.message.push_str(place.consequence());
    // A malformed string that means one obvious action: whitespace around or inside it
    // removed (`"s3: GetObject"`), when what is left is a current action.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(fixed) = catalog.parse_action(&squeezed).map(|a| a.to_string()) {
        finding = finding.fix(
            Fix::replace(
                format!("Change to \"{fixed}\""),
                string.content_range(),
                fixed,
            )
            .preferred(),
        );
    }
    finding
}

fn service_label(service: ServiceRef) -> String {
    match service.name() {
        Some(name) => format!("{} ({name})", service.prefix()),
        None => service.prefix().to_string(),
    }
}

/// The did-you-mean tail of a message and the quick fixes, one per suggestion (the first
/// preferred).
fn with_suggestions(mut finding: Finding, string: &Str, suggestions: &[String]) -> Finding {
    match suggestions {
        [] => {}
        [only] => finding
            .message
            .push_str(&format!("; did you mean \"{only}\"?")),
        many => finding.message.push_str(&format!(
            "; did you mean {}?",
            many.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    for (i, suggestion) in suggestions.iter().enumerate() {
        let fix = Fix::replace(
            format!("Change to \"{suggestion}\""),
            string.content_range(),
            suggestion.clone(),
        );
        finding = finding.fix(if i == 0 { fix.preferred() } else { fix });
    }
    if !suggestions.is_empty() {
        finding = finding.data(serde_json::json!({ "suggestions": suggestions }));
    }
    finding
}

fn unknown_action(
    catalog: &'static Catalog,
    string: &Str,
    service: ServiceRef,
    name: &str,
    place: Place,
) -> Finding {
    // The closest actions, ties only: a second, farther candidate is rarely what was meant.
    let close = catalog.suggest_actions(service.prefix(), name, MAX_SUGGESTIONS);
    let distance = |a: &ActionRef| edit_distance_within(name, a.name(), usize::MAX);
    let best = close.first().and_then(distance);
    let mut suggestions: Vec<String> = close
        .iter()
        .filter(|a| distance(a) == best)
        .map(|a| a.to_string())
        .collect();
    // A slip away from an action AWS's policies use without documenting it.
    if suggestions.is_empty()
        && let Some(undocumented) = undocumented_close_to(service.prefix(), name)
    {
        suggestions.push(undocumented.full_name());
    }
    let finding = Finding::new(
        Code::UnknownAction,
        string.range,
        format!(
            "\"{}\" is not an action of {}",
            string.as_str(),
            service_label(service)
        ),
    );
    let mut finding = with_suggestions(finding, string, &suggestions);
    finding.message.push_str(place.consequence());
    finding
}

fn removed_service(string: &Str, prefix: &str, service: &RemovedService, place: Place) -> Finding {
    let mut message = format!(
        "\"{}\" matches nothing: AWS retired the service {} and its prefix \"{prefix}\" left the Service Authorization Reference {}",
        string.as_str(),
        service.label(),
        when(service.removed),
    );
    if let Some(successor) = service.successor {
        message.push_str(&format!("; its function moved to \"{successor}\""));
    }
    let mut finding = deprecated(Code::RemovedService, string, message, place);
    finding =
        finding.data(serde_json::json!({ "service": service.prefix, "removed": service.removed }));
    finding
}

/// `after 2025-02-13` as is; a date as `on 2026-04-28` (or `in 2025`).
fn when(removed: &str) -> String {
    if removed.starts_with("after") {
        removed.to_string()
    } else if removed.len() == 4 {
        format!("in {removed}")
    } else {
        format!("on {removed}")
    }
}

fn undocumented_action(string: &Str, undocumented: &UndocumentedAction, place: Place) -> Finding {
    let text = string.as_str();
    let what = if text.eq_ignore_ascii_case(&undocumented.full_name()) {
        format!("\"{text}\" is not in the Service Authorization Reference")
    } else {
        format!(
            "\"{text}\" matches no documented action, only \"{}\"",
            undocumented.full_name()
        )
    };
    let mut finding = Finding::new(
        Code::UndocumentedAction,
        string.range,
        format!(
            "{what}, but {}: AWS uses it without documenting it (IAM accepts any action name), so it is not a typo; check that it does what you expect",
            undocumented.usage()
        ),
    )
    .data(serde_json::json!({
        "policy": undocumented.policy,
        "version": undocumented.version,
        "current": undocumented.current,
    }));
    finding.message.push_str(place.consequence());
    finding
}

/// A finding about something AWS removed.
fn deprecated(code: Code, string: &Str, message: String, place: Place) -> Finding {
    let mut finding = Finding::new(code, string.range, message);
    finding.deprecated = true;
    finding.message.push_str(place.consequence());
    finding
}

fn unknown_service(
    catalog: &'static Catalog,
    string: &Str,
    prefix: &str,
    name: &str,
    close: Vec<ServiceRef>,
    place: Place,
) -> Finding {
    let mut prefixes: Vec<ServiceRef> = PREFIX_ALIASES
        .iter()
        .filter(|(alias, _)| alias.eq_ignore_ascii_case(prefix))
        .filter_map(|(_, target)| catalog.service(target))
        .collect();
    // A close prefix is a likely fix when that service has the action; a short prefix alone
    // (`a:b`) is too weak a clue.
    let with_action: Vec<ServiceRef> = close
        .iter()
        .copied()
        .filter(|s| s.action(name).is_some())
        .collect();
    let chosen = if !with_action.is_empty() || prefix.len() < 4 {
        with_action
    } else {
        close
    };
    for s in chosen {
        if !prefixes.contains(&s) && prefixes.len() < MAX_SUGGESTIONS {
            prefixes.push(s);
        }
    }
    let mut suggestions: Vec<String> = prefixes
        .iter()
        .map(|s| match s.action(name) {
            Some(action) => action.to_string(),
            None => format!("{}:{name}", s.prefix()),
        })
        .collect();
    // A slip away from an action AWS's policies use without documenting it.
    if suggestions.is_empty()
        && let Some(undocumented) = undocumented_close_to(prefix, name)
    {
        suggestions.push(undocumented.full_name());
    }
    let finding = Finding::new(
        Code::UnknownService,
        string.range,
        format!(
            "unknown service prefix \"{prefix}\" in \"{}\"",
            string.as_str()
        ),
    );
    let mut finding = with_suggestions(finding, string, &suggestions);
    finding.message.push_str(place.consequence());
    finding
}

fn nothing_matches(catalog: &'static Catalog, string: &Str, place: Place) -> Finding {
    let text = string.as_str();
    let removed: Vec<&RemovedAction> = catalog.removed_matching(text).collect();
    if removed.is_empty() {
        let mut finding = Finding::new(
            Code::WildcardMatchesNothing,
            string.range,
            format!("\"{text}\" matches no action"),
        );
        finding.message.push_str(place.consequence());
        return finding;
    }
    let names: Vec<String> = removed.iter().take(5).map(|r| r.full_name()).collect();
    let more = if removed.len() > names.len() {
        format!(" and {} more", removed.len() - names.len())
    } else {
        String::new()
    };
    let successor = removed
        .iter()
        .find_map(|r| r.successor)
        .map(|s| format!("; their functions moved to \"{s}\""))
        .unwrap_or_default();
    let message = format!(
        "\"{text}\" matches only actions AWS removed ({}{more}){successor}",
        names.join(", ")
    );
    deprecated(Code::RemovedAction, string, message, place)
}

fn removed_finding(
    catalog: &'static Catalog,
    string: &Str,
    removed: &RemovedAction,
    place: Place,
) -> Finding {
    let when = if removed.removed.starts_with("after") {
        format!("removed {}", removed.removed)
    } else {
        format!("removed on {}", removed.removed)
    };
    let whereto = match (removed.replacement, removed.successor) {
        (Some(replacement), Some(successor)) => {
            format!("; its function moved to \"{successor}\", which has \"{replacement}\"")
        }
        (Some(replacement), None) => format!("; see \"{replacement}\""),
        (None, Some(successor)) => format!("; its function moved to \"{successor}\""),
        (None, None) => String::new(),
    };
    let message = format!(
        "\"{}\" no longer exists: AWS {when}{whereto}",
        string.as_str()
    );
    let mut finding = deprecated(Code::RemovedAction, string, message, place);
    if let Some(replacement) = removed.replacement.and_then(|r| catalog.parse_action(r)) {
        let replacement = replacement.to_string();
        finding = finding.fix(
            Fix::replace(
                format!("Change to \"{replacement}\""),
                string.content_range(),
                replacement.clone(),
            )
            .preferred(),
        );
        finding = finding.data(serde_json::json!({ "replacement": replacement }));
    }
    finding
}

/// Condition keys that no service and no global key defines.
fn check_statement_keys(catalog: &'static Catalog, statement: &Statement, sink: &mut Sink) {
    for block in statement.conditions() {
        for entry in &block.entries {
            let key = entry.key;
            if key.terminated
                && let Some(finding) = check_condition_key(catalog, key)
            {
                sink.push_if_wanted(finding);
            }
        }
    }
}

/// Whether a key belongs to an identity provider rather than to a service: web identity and
/// OIDC providers are named by their host (and path), e.g. `accounts.google.com:aud`,
/// `token.actions.githubusercontent.com:sub`, `oidc.eks.eu-west-1.amazonaws.com/id/X:sub`;
/// SAML keys are `saml:…`. IAM accepts any claim of such a provider.
fn is_identity_provider_key(prefix: &str) -> bool {
    prefix.contains('.') || prefix.contains('/') || prefix.eq_ignore_ascii_case("saml")
}

fn check_condition_key(catalog: &'static Catalog, key: &Str) -> Option<Finding> {
    let name = key.as_str();
    if name.is_empty() || catalog.condition_key(name).is_some() {
        return None;
    }
    // Known, though AWS no longer documents it: `deprecated-condition-key` says so.
    if super::conditions::deprecated_key(name).is_some() {
        return None;
    }
    // `${…}` is filled in by a template engine; `<…>` is a placeholder in an example.
    if name.contains("${") || name.contains('<') {
        return None;
    }
    if is_tag_key_instance(catalog, name) {
        return None;
    }
    let prefix = name.split_once(':').map_or(name, |(p, _)| p);
    if is_identity_provider_key(prefix) {
        return None;
    }
    if name.contains(':')
        && let Some(service) = catalog.removed_service(prefix)
    {
        let message = format!(
            "\"{name}\" is a condition key of {}, a service AWS retired: it left the Service Authorization Reference {}, and no request carries this key",
            service.label(),
            when(service.removed)
        );
        let mut finding = Finding::new(Code::RemovedService, key.range, message);
        finding.deprecated = true;
        return Some(finding);
    }
    if let Some(undocumented) = undocumented_key(name) {
        return Some(undocumented_key_finding(key, undocumented));
    }
    let suggestions = suggest_condition_keys(catalog, name, prefix);
    let what = if prefix.eq_ignore_ascii_case("aws") {
        "global condition key".to_string()
    } else if let Some(service) = catalog.service(prefix) {
        format!("condition key of {}", service_label(service))
    } else if name.contains(':') {
        "condition key (no service has the prefix \"".to_string() + prefix + "\")"
    } else {
        "condition key (it has no service prefix)".to_string()
    };
    let finding = Finding::new(
        Code::UnknownConditionKey,
        key.range,
        format!(
            "\"{name}\" is not a known {what}: IAM accepts it, but a key absent from the request context never matches"
        ),
    );
    let finding = with_suggestions(finding, key, &suggestions);
    Some(finding)
}

fn undocumented_key_finding(key: &Str, undocumented: &UndocumentedKey) -> Finding {
    let name = key.as_str();
    let documented_by = if name
        .split_once(':')
        .is_some_and(|(p, _)| p.eq_ignore_ascii_case("aws"))
    {
        "AWS's list of global condition keys"
    } else {
        "the Service Authorization Reference"
    };
    Finding::new(
        Code::UndocumentedConditionKey,
        key.range,
        format!(
            "\"{name}\" is not in {documented_by}, but {}: AWS uses it without documenting it, and documents no replacement for it; a key absent from the request context never matches",
            undocumented.usage()
        ),
    )
    .data(serde_json::json!({
        "policy": undocumented.policy,
        "version": undocumented.version,
        "current": undocumented.current,
    }))
}

/// Whether `name` is `<service>:<Something>/<tag key>` for a key the SAR writes with a literal
/// `tag-key` placeholder (`secretsmanager:ResourceTag/tag-key`), which is no template.
fn is_tag_key_instance(catalog: &'static Catalog, name: &str) -> bool {
    let Some((head, tail)) = name.split_once('/') else {
        return false;
    };
    if tail.is_empty() {
        return false;
    }
    let prefix = head.split_once(':').map_or(head, |(p, _)| p);
    let Some(service) = catalog.service(prefix) else {
        return false;
    };
    service.condition_keys().any(|k| {
        k.name()
            .split_once('/')
            .is_some_and(|(h, t)| h.eq_ignore_ascii_case(head) && t.eq_ignore_ascii_case("tag-key"))
    })
}

/// The known keys closest to an unknown one: global keys, and the keys of the service its
/// prefix names (or of every service, when the prefix is unknown).
fn suggest_condition_keys(catalog: &'static Catalog, name: &str, prefix: &str) -> Vec<String> {
    let bound = match name.len() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let mut scored: Vec<(usize, &'static str)> = Vec::new();
    let mut consider = |candidate: &'static str| {
        if candidate.contains("${") || candidate.contains('<') {
            return;
        }
        if let Some(d) = edit_distance_within(name, candidate, bound)
            && !scored
                .iter()
                .any(|(_, c)| c.eq_ignore_ascii_case(candidate))
        {
            scored.push((d, candidate));
        }
    };
    for key in global_condition_keys() {
        if !key.legacy {
            consider(key.name);
        }
    }
    for key in undocumented_keys() {
        consider(key.name);
    }
    match catalog.service(prefix) {
        Some(service) => service.condition_keys().for_each(|k| consider(k.name())),
        None if !prefix.eq_ignore_ascii_case("aws") => catalog
            .all_service_condition_keys()
            .for_each(|k| consider(k.name())),
        None => {}
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let best = scored.first().map(|(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| Some(*d) == best)
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c.to_string())
        .collect()
}

mod resource_policy;

#[cfg(test)]
mod tests;
