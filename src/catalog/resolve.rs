//! What a written `Action` / `NotAction` string means to a catalogue: the one question the
//! action rules ask, answered in one place.
//!
//! Policies list thousands of actions, mostly actions of the catalogue in the catalogue's
//! order and wildcards such as `ec2:Describe*`: the [`Resolver`] settles those with a lookup
//! (the service met last, the few actions after the one found last, then the hash tables)
//! before any classification of the string; everything else is classified, then looked up. Its answer is the one of the definition
//! (`resolve_by_definition` in its tests) whatever the order of the strings.

use super::Catalog;
use super::actions::ActionRef;
use super::ascii;
use super::glob::{glob_match, has_wildcard};
use super::removed::{RemovedAction, RemovedService};
use super::services::ServiceRef;
use super::undocumented::{UndocumentedAction, undocumented_action, undocumented_matching};
use crate::policy::action::{ActionSyntax, FormatProblem, parse_action_syntax};

/// What an action string means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution<'t> {
    /// `*`, or a string with a template placeholder (`${…}`) something else fills in:
    /// nothing to say.
    Unchecked,
    /// An action of the catalogue; `exact` when written as AWS writes it (prefix and name).
    Action { action: ActionRef, exact: bool },
    /// A wildcard that matches some action.
    Wildcard,
    /// A well-formed wildcard that matches no action of the catalogue.
    MatchesNothing,
    /// An action AWS removed, of a current service or of a removed one.
    Removed(&'static RemovedAction),
    /// The prefix of a service AWS retired (and no removed action of it by that name).
    RemovedService {
        prefix: &'t str,
        service: &'static RemovedService,
    },
    /// An action (or a wildcard, as written) that AWS's own managed policies use and the
    /// reference lacks.
    Undocumented(&'static UndocumentedAction),
    /// A name the service does not have.
    UnknownAction { service: ServiceRef, name: &'t str },
    /// A prefix no service has.
    UnknownService { prefix: &'t str, name: &'t str },
    /// Not a well-formed action string.
    Malformed(FormatProblem),
}

/// Resolves the action strings of one piece of work (an analysis), in their order.
pub(crate) struct Resolver {
    catalog: &'static Catalog,
    /// The service found last and its prefix: consecutive strings mostly share their
    /// service, written as AWS writes it.
    last_service: Option<(ServiceRef, &'static str)>,
    /// The action found last: policies list actions in the catalogue's order, so the next
    /// one is usually among the few after it.
    last_action: Option<ActionRef>,
    /// The services close to each unknown prefix met.
    close: Vec<(String, Vec<ServiceRef>)>,
}

impl Catalog {
    /// A resolver of action strings over this catalogue.
    pub(crate) fn resolver(&'static self) -> Resolver {
        Resolver {
            catalog: self,
            last_service: None,
            last_action: None,
            close: Vec::new(),
        }
    }
}

impl Resolver {
    /// What `text` (an action string, decoded from JSON) means.
    #[inline]
    pub(crate) fn resolve<'t>(&mut self, text: &'t str) -> Resolution<'t> {
        // Most strings are an action of the catalogue (catalogue names are well-formed, so
        // nothing else needs checking), or a plain literal and a trailing `*` that some
        // action of a catalogue service matches (`service:*`, `ec2:Describe*`).
        // A byte loop: these strings are short, and memchr costs its set-up.
        if let Some(colon) = text.bytes().position(|b| b == b':') {
            let (prefix, name) = (&text[..colon], &text[colon + 1..]);
            match name.strip_suffix('*') {
                Some(literal) if literal.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                    let service = self.service(prefix);
                    if service.is_some_and(|(s, _)| s.actions_from(literal).next().is_some()) {
                        return Resolution::Wildcard;
                    }
                }
                Some(_) => {}
                None => {
                    if let Some(found) = self.action(prefix, name) {
                        return found;
                    }
                }
            }
        }
        self.classify(text)
    }

    /// Any string: its syntax first, then the catalogue.
    #[inline(never)]
    fn classify<'t>(&mut self, text: &'t str) -> Resolution<'t> {
        let (prefix, name, wildcard) = match well_formed(text) {
            Ok(parts) => parts,
            Err(resolution) => return resolution,
        };
        if wildcard && has_wildcard(prefix) {
            let hit = self.catalog.matching_actions(text).next().is_some();
            return if hit {
                Resolution::Wildcard
            } else {
                Resolution::MatchesNothing
            };
        }
        let Some((service, exact_prefix)) = self.service(prefix) else {
            return self.unknown_service(text, prefix, name, wildcard);
        };
        if wildcard {
            // Only names that start with the pattern's literal beginning can match.
            let literal = name.split(['*', '?']).next().unwrap_or("");
            let hit = service
                .actions_from(literal)
                .any(|action| glob_match(name, action.name()));
            return if hit {
                Resolution::Wildcard
            } else {
                self.matches_nothing(text)
            };
        }
        if let Some(action) = service.action(name) {
            return found(action, exact_prefix, name);
        }
        if let Some(removed) = self.catalog.removed_action(prefix, name) {
            return Resolution::Removed(removed);
        }
        match undocumented_action(prefix, name) {
            Some(undocumented) => Resolution::Undocumented(undocumented),
            None => Resolution::UnknownAction { service, name },
        }
    }

    /// A wildcard that matches no current action: undocumented when AWS's policies use what
    /// it matches (and no removed action explains it).
    fn matches_nothing<'t>(&self, text: &str) -> Resolution<'t> {
        if self.catalog.removed_matching(text).next().is_none()
            && let Some(undocumented) = undocumented_matching(text)
        {
            return Resolution::Undocumented(undocumented);
        }
        Resolution::MatchesNothing
    }

    /// A prefix no current service has: a service AWS retired, one AWS's policies use
    /// without documenting it, or none.
    fn unknown_service<'t>(
        &self,
        text: &str,
        prefix: &'t str,
        name: &'t str,
        wildcard: bool,
    ) -> Resolution<'t> {
        if let Some(service) = self.catalog.removed_service(prefix) {
            return match self.catalog.removed_action(prefix, name) {
                Some(removed) if !wildcard => Resolution::Removed(removed),
                _ => Resolution::RemovedService { prefix, service },
            };
        }
        let undocumented = if wildcard {
            undocumented_matching(text)
        } else {
            undocumented_action(prefix, name)
        };
        match undocumented {
            Some(undocumented) => Resolution::Undocumented(undocumented),
            None => Resolution::UnknownService { prefix, name },
        }
    }

    /// [`Catalog::suggest_services`], remembered for the run: an unknown service usually
    /// comes with several actions (`a4b:Get*`, `a4b:List*`, …).
    pub(crate) fn services_close_to(&mut self, prefix: &str, max: usize) -> Vec<ServiceRef> {
        if let Some((_, close)) = self.close.iter().find(|(p, _)| p == prefix) {
            return close.clone();
        }
        let close = self.catalog.suggest_services(prefix, max);
        self.close.push((prefix.to_string(), close.clone()));
        close
    }

    /// The service `prefix` names, and whether it is written as the catalogue writes it.
    #[inline]
    fn service(&mut self, prefix: &str) -> Option<(ServiceRef, bool)> {
        if let Some((last, canonical)) = self.last_service
            && canonical == prefix
        {
            return Some((last, true));
        }
        let found = self.catalog.service(prefix)?;
        self.last_service = Some((found, found.prefix()));
        Some((found, found.prefix() == prefix))
    }

    #[inline]
    fn action<'t>(&mut self, prefix: &str, name: &str) -> Option<Resolution<'t>> {
        let (service, exact_prefix) = self.service(prefix)?;
        let action = self.near(service, name).or_else(|| service.action(name))?;
        self.last_action = Some(action);
        Some(found(action, exact_prefix, name))
    }

    /// The action `name` if it is one of the few after the one found last, in `service`.
    fn near(&self, service: ServiceRef, name: &str) -> Option<ActionRef> {
        const NEAR: usize = 5;
        let range = service.actions().range();
        let from = self.last_action?.index();
        if !(range.start as usize..range.end as usize).contains(&from) {
            return None;
        }
        let to = (from + NEAR).min(range.end as usize);
        // The stored lengths first: they tell most neighbours apart without reading names.
        let rows = self.catalog.actions.get(from..to)?;
        let at = rows.iter().position(|row| {
            usize::from(row.name.len) == name.len()
                && ascii::eq_ci(row.name.text(self.catalog.strings), name)
        })?;
        Some(ActionRef::new(self.catalog, from + at))
    }
}

/// A well-formed `service:name` string's parts and whether it has a wildcard; or what any
/// other string means.
fn well_formed(text: &str) -> Result<(&str, &str, bool), Resolution<'_>> {
    match parse_action_syntax(text) {
        ActionSyntax::All | ActionSyntax::Template => Err(Resolution::Unchecked),
        ActionSyntax::Invalid(problem) => Err(Resolution::Malformed(problem)),
        ActionSyntax::Action {
            service,
            name,
            wildcard,
        } => Ok((service, name, wildcard)),
    }
}

/// An action found, with whether it is written as AWS writes it: prefix and name.
fn found<'t>(action: ActionRef, exact_prefix: bool, name: &str) -> Resolution<'t> {
    Resolution::Action {
        action,
        exact: exact_prefix && action.name() == name,
    }
}

mod lists;
#[cfg(test)]
mod tests;
