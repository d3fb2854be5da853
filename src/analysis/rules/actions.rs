//! What the actions of `Action` / `NotAction` mean, over the catalogue: unknown services and
//! actions (with did-you-mean), wildcards that match nothing, removed actions, casing, and
//! malformed action strings.
//!
//! Cost: per action string, a hash lookup for the service (cached between consecutive
//! strings) and one for the action, unless it is among the few actions after the previous
//! one found (policies list actions in order); only strings that are not a catalogue action are
//! classified and, for a wildcard, matched against the service's actions that share its
//! literal start. Suggestions are computed only for the few strings that are unknown.

use crate::analysis::{Code, Edit, Finding, Fix, Severity};
use crate::catalog::{self, ActionRef, RemovedAction, ServiceRef, has_wildcard};
use crate::policy::action::{ActionSyntax, parse_action_syntax};
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

pub fn check(policy: &Policy, text: &str, findings: &mut Vec<Finding>) {
    let mut services = ServiceCache::default();
    for statement in &policy.statements {
        for (member, negated) in [(statement.action, false), (statement.not_action, true)] {
            let Some(member) = member else { continue };
            let list = StringList::new(member, negated);
            let place = Place {
                negated,
                effect: statement.effect(),
            };
            let mut cases = Vec::new();
            for string in &list.items {
                check_action(string, place, &mut services, findings, &mut cases);
            }
            case_findings(text, member, cases, findings);
        }
        check_statement_keys(statement, findings);
    }
}

/// More `action-case` hints than this in one list become one hint on the list's key: a policy
/// written in another case style throughout (AWS's own `AWSSupportServiceRolePolicy` has
/// 4,500 `service:describeX` actions) gets one finding with one fix, not thousands.
const MAX_CASE_HINTS: usize = 20;

/// An action written in other case than AWS's: collected per list first, because a list of
/// thousands of them (AWS's own `AWSSupportServiceRolePolicy`) gets one finding, and building
/// thousands of findings only to merge them cost more than the rest of the analysis.
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

fn case_findings(text: &str, member: &Member, cases: Vec<CaseHint>, findings: &mut Vec<Finding>) {
    let count = cases.len();
    if count <= MAX_CASE_HINTS {
        findings.extend(cases.iter().map(case_finding));
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
            Fix::quick(format!("Write the {count} actions as AWS does"), vec![edit]).preferred(),
        );
    }
    findings.push(finding);
}

/// One edit from the first action to the last, each written as AWS does: one allocation,
/// where an edit per action cost one each (and editors apply one edit at once).
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
        .preferred(),
    )
    .data(serde_json::json!({ "canonical": canonical }))
}

/// The last service and action looked up: consecutive actions mostly share their service,
/// and come in the catalogue's order.
#[derive(Default)]
struct ServiceCache<'t> {
    /// Borrowed from the policy's tree: an owned copy per new prefix cost an allocation for
    /// every token of a list such as `["a4b:*", "acm:*", …]`.
    last: Option<(&'t str, Option<ServiceRef>)>,
    /// The last prefix is written exactly as the catalogue writes its service's.
    last_exact: bool,
    /// Services close to each unknown prefix met: an unknown service usually comes with
    /// several actions (`a4b:Get*`, `a4b:List*`, …), and the edit distances to every
    /// service cost more than the rest of the analysis of a large policy.
    close: Vec<(String, Vec<ServiceRef>)>,
    /// The last action found, where the next lookup starts (policies list actions in order).
    last_action: Option<ActionRef>,
}

impl<'t> ServiceCache<'t> {
    fn action(&mut self, service: &'t str, name: &str) -> Option<ActionRef> {
        let found = self.get(service)?.action_near(name, self.last_action);
        if found.is_some() {
            self.last_action = found;
        }
        found
    }

    fn get(&mut self, prefix: &'t str) -> Option<ServiceRef> {
        match self.last {
            Some((p, found)) if p == prefix => found,
            _ => {
                let found = catalog::service(prefix);
                self.last = Some((prefix, found));
                self.last_exact = found.is_some_and(|service| service.prefix() == prefix);
                found
            }
        }
    }

    fn close_to(&mut self, prefix: &str) -> Vec<ServiceRef> {
        if let Some((_, close)) = self.close.iter().find(|(p, _)| p == prefix) {
            return close.clone();
        }
        let close = catalog::suggest_services(prefix, 2 * MAX_SUGGESTIONS);
        self.close.push((prefix.to_string(), close.clone()));
        close
    }
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

fn check_action<'t>(
    string: &'t Str,
    place: Place,
    services: &mut ServiceCache<'t>,
    findings: &mut Vec<Finding>,
    cases: &mut Vec<CaseHint>,
) {
    if !string.terminated {
        return;
    }
    let text = string.as_str();
    // Most strings are an action of the catalogue, which needs no other check than its case
    // (catalogue names are well-formed): two lookups settle it before any classification.
    // So is a well-formed wildcard that some action of a catalogue service matches:
    // `service:*` (SCPs list dozens) and `service:Describe*` (read-only policies list
    // hundreds). A byte loop, not `split_once`: memchr costs more than it saves on strings
    // this short.
    if let Some(colon) = text.bytes().position(|b| b == b':') {
        let (service, name) = (&text[..colon], &text[colon + 1..]);
        match name.strip_suffix('*') {
            Some(literal) if literal.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                if services
                    .get(service)
                    .is_some_and(|service| service.actions_from(literal).next().is_some())
                {
                    return;
                }
            }
            Some(_) => {}
            None => {
                if let Some(action) = services.action(service, name) {
                    // Written as AWS writes it when both parts are: the prefix was compared
                    // once for its run of actions.
                    if !(services.last_exact && action.name() == name) {
                        cases.push(CaseHint::new(string, action));
                    }
                    return;
                }
            }
        }
    }
    match parse_action_syntax(text) {
        ActionSyntax::All | ActionSyntax::Template => {}
        ActionSyntax::Invalid(problem) => {
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
            if let Some(fixed) = repair_format(text) {
                finding = finding.fix(
                    Fix::replace(
                        format!("Change to \"{fixed}\""),
                        string.content_range(),
                        fixed,
                    )
                    .preferred(),
                );
            }
            findings.push(finding);
        }
        ActionSyntax::Action {
            service,
            name,
            wildcard,
        } => {
            if let Some(finding) =
                check_service_action(string, service, name, wildcard, place, services, cases)
            {
                findings.push(finding);
            }
        }
    }
}

/// An action of the catalogue written in other case than AWS's is noted for a hint.
/// (The string is `service:name` and was found as `action`: it is written as AWS writes it
/// exactly when it equals the full name.)
fn note_case(string: &Str, action: ActionRef, cases: &mut Vec<CaseHint>) {
    if action.full_name() != string.as_str() {
        cases.push(CaseHint::new(string, action));
    }
}

/// A malformed action string that means one obvious action: whitespace around or inside it
/// removed (`"s3: GetObject"`), when what is left is a current action.
fn repair_format(text: &str) -> Option<String> {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    catalog::parse_action(&squeezed).map(|a| a.to_string())
}

fn check_service_action<'t>(
    string: &Str,
    service: &'t str,
    name: &str,
    wildcard: bool,
    place: Place,
    services: &mut ServiceCache<'t>,
    cases: &mut Vec<CaseHint>,
) -> Option<Finding> {
    let text = string.as_str();
    if wildcard && has_wildcard(service) {
        if catalog::matching_actions(text).next().is_some() {
            return None;
        }
        return Some(nothing_matches(string, place));
    }
    let Some(svc) = services.get(service) else {
        return Some(unknown_service(string, service, name, place, services));
    };
    if wildcard {
        // Only names that start with the pattern's literal beginning can match: a binary
        // search finds the first Describe action for `ec2:Describe*` before any glob runs.
        let literal = name.split(['*', '?']).next().unwrap_or("");
        if svc
            .actions_from(literal)
            .any(|a| catalog::glob_match(name, a.name()))
        {
            return None;
        }
        return Some(nothing_matches(string, place));
    }
    if let Some(action) = svc.action(name) {
        note_case(string, action, cases);
        return None;
    }
    if let Some(removed) = catalog::removed_action(service, name) {
        return Some(removed_finding(string, removed, place));
    }
    Some(unknown_action(string, svc, name, place))
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

fn unknown_action(string: &Str, service: ServiceRef, name: &str, place: Place) -> Finding {
    // The closest actions, ties only: a second, farther candidate is rarely what was meant.
    let close = catalog::suggest_actions(service.prefix(), name, MAX_SUGGESTIONS);
    let distance = |a: &ActionRef| catalog::edit_distance_within(name, a.name(), usize::MAX);
    let best = close.first().and_then(distance);
    let suggestions: Vec<String> = close
        .iter()
        .filter(|a| distance(a) == best)
        .map(|a| a.to_string())
        .collect();
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

fn unknown_service(
    string: &Str,
    service: &str,
    name: &str,
    place: Place,
    services: &mut ServiceCache<'_>,
) -> Finding {
    if catalog::is_removed_service(service)
        && let Some(removed) = catalog::removed_action(service, name)
    {
        return removed_finding(string, removed, place);
    }
    if catalog::is_removed_service(service) {
        let mut finding = Finding::new(
            Code::RemovedAction,
            string.range,
            format!(
                "the service prefix \"{service}\" was removed from AWS; \"{}\" matches nothing",
                string.as_str()
            ),
        );
        finding.deprecated = true;
        finding.message.push_str(place.consequence());
        return finding;
    }
    let mut prefixes: Vec<ServiceRef> = PREFIX_ALIASES
        .iter()
        .filter(|(alias, _)| alias.eq_ignore_ascii_case(service))
        .filter_map(|(_, target)| catalog::service(target))
        .collect();
    // A close prefix is a likely fix when that service has the action; a short prefix alone
    // (`a:b`) is too weak a clue.
    let close = services.close_to(service);
    let with_action: Vec<ServiceRef> = close
        .iter()
        .copied()
        .filter(|s| s.action(name).is_some())
        .collect();
    let chosen = if !with_action.is_empty() || service.len() < 4 {
        with_action
    } else {
        close
    };
    for s in chosen {
        if !prefixes.contains(&s) && prefixes.len() < MAX_SUGGESTIONS {
            prefixes.push(s);
        }
    }
    let suggestions: Vec<String> = prefixes
        .iter()
        .map(|s| match s.action(name) {
            Some(action) => action.to_string(),
            None => format!("{}:{name}", s.prefix()),
        })
        .collect();
    let finding = Finding::new(
        Code::UnknownService,
        string.range,
        format!(
            "unknown service prefix \"{service}\" in \"{}\"",
            string.as_str()
        ),
    );
    let mut finding = with_suggestions(finding, string, &suggestions);
    finding.message.push_str(place.consequence());
    finding
}

fn nothing_matches(string: &Str, place: Place) -> Finding {
    let text = string.as_str();
    let removed: Vec<&RemovedAction> = catalog::removed_matching(text).collect();
    let mut finding = if removed.is_empty() {
        Finding::new(
            Code::WildcardMatchesNothing,
            string.range,
            format!("\"{text}\" matches no action"),
        )
    } else {
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
        let mut finding = Finding::new(
            Code::RemovedAction,
            string.range,
            format!(
                "\"{text}\" matches only actions AWS removed ({}{more}){successor}",
                names.join(", ")
            ),
        );
        finding.deprecated = true;
        finding
    };
    finding.message.push_str(place.consequence());
    finding
}

fn removed_finding(string: &Str, removed: &RemovedAction, place: Place) -> Finding {
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
    let mut finding = Finding::new(
        Code::RemovedAction,
        string.range,
        format!(
            "\"{}\" no longer exists: AWS {when}{whereto}",
            string.as_str()
        ),
    );
    finding.deprecated = true;
    finding.message.push_str(place.consequence());
    if let Some(replacement) = removed.replacement.and_then(catalog::parse_action) {
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
fn check_statement_keys(statement: &Statement, findings: &mut Vec<Finding>) {
    for block in statement.conditions() {
        for entry in &block.entries {
            let key = entry.key;
            if key.terminated
                && let Some(finding) = check_condition_key(key)
            {
                findings.push(finding);
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

fn check_condition_key(key: &Str) -> Option<Finding> {
    let name = key.as_str();
    if name.is_empty() || catalog::condition_key(name).is_some() {
        return None;
    }
    // `${…}` is filled in by a template engine; `<…>` is a placeholder in an example.
    if name.contains("${") || name.contains('<') {
        return None;
    }
    if is_tag_key_instance(name) {
        return None;
    }
    let prefix = name.split_once(':').map_or(name, |(p, _)| p);
    if is_identity_provider_key(prefix) {
        return None;
    }
    let suggestions = suggest_condition_keys(name, prefix);
    let what = if prefix.eq_ignore_ascii_case("aws") {
        "global condition key".to_string()
    } else if let Some(service) = catalog::service(prefix) {
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

/// Whether `name` is `<service>:<Something>/<tag key>` for a key the SAR writes with a literal
/// `tag-key` placeholder (`secretsmanager:ResourceTag/tag-key`), which is no template.
fn is_tag_key_instance(name: &str) -> bool {
    let Some((head, tail)) = name.split_once('/') else {
        return false;
    };
    if tail.is_empty() {
        return false;
    }
    let prefix = head.split_once(':').map_or(head, |(p, _)| p);
    let Some(service) = catalog::service(prefix) else {
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
fn suggest_condition_keys(name: &str, prefix: &str) -> Vec<String> {
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
        if let Some(d) = catalog::edit_distance_within(name, candidate, bound)
            && !scored
                .iter()
                .any(|(_, c)| c.eq_ignore_ascii_case(candidate))
        {
            scored.push((d, candidate));
        }
    };
    for key in catalog::global_condition_keys() {
        if !key.legacy {
            consider(key.name);
        }
    }
    match catalog::service(prefix) {
        Some(service) => service.condition_keys().for_each(|k| consider(k.name())),
        None if !prefix.eq_ignore_ascii_case("aws") => {
            catalog::all_service_condition_keys().for_each(|k| consider(k.name()))
        }
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

#[cfg(test)]
mod tests;
