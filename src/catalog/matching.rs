//! Expanding action wildcards over the catalogue, fast.
//!
//! Every action string has exactly one `:`. A pattern with one `:` therefore splits into a
//! service part and a name part that match independently (a pattern `:` can only match the
//! text's `:`), so the service part is tested once per service, and a literal service part
//! selects its service by binary search. A pattern with no `:` is matched against the whole
//! `prefix:Name`; one with two or more matches nothing. In every case only the services whose
//! prefix can start like the pattern's literal beginning are visited.

use std::ops::Range;

use super::Catalog;
use super::actions::ActionRef;
use super::ascii;
use super::glob::{glob_match, has_wildcard};
use super::services::ServiceRef;

/// The actions matching an IAM wildcard pattern (see [`matching_actions`]).
#[derive(Clone, Debug)]
pub struct MatchingActions<'p> {
    catalog: &'static Catalog,
    mode: Mode<'p>,
    services: Range<usize>,
    actions: Range<u32>,
}

#[derive(Clone, Copy, Debug)]
enum Mode<'p> {
    /// Nothing can match.
    Nothing,
    /// The pattern is only `*`s: everything matches.
    Everything,
    /// `service_part:name_part`; `all_names` when the name part is only `*`s.
    Split {
        service_part: &'p str,
        name_part: &'p str,
        all_names: bool,
    },
    /// No `:` in the pattern: match `prefix:Name` as a whole.
    Whole { pattern: &'p str },
}

impl Catalog {
    /// The actions matching `pattern` exactly as IAM matches an `Action` element: ASCII
    /// case-insensitive, `*` = any run of characters (including none and `:`), `?` = one
    /// character; `*` alone matches everything. Yields actions in catalogue order (by
    /// prefix, then name). No allocation; a pattern with a literal service part only scans
    /// that service.
    pub(crate) fn matching_actions<'p>(&'static self, pattern: &'p str) -> MatchingActions<'p> {
        matching_actions(self, pattern)
    }

    /// How many actions `pattern` matches.
    pub(crate) fn count_matching(&'static self, pattern: &str) -> usize {
        self.matching_actions(pattern).count()
    }
}

fn matching_actions<'p>(catalog: &'static Catalog, pattern: &'p str) -> MatchingActions<'p> {
    let iter = |mode, services| MatchingActions {
        catalog,
        mode,
        services,
        actions: 0..0,
    };
    let colons = pattern.bytes().filter(|&b| b == b':').count();
    match colons {
        0 if pattern.bytes().all(|b| b == b'*') && !pattern.is_empty() => {
            iter(Mode::Everything, 0..catalog.services.len())
        }
        0 if has_wildcard(pattern) => iter(Mode::Whole { pattern }, candidates(catalog, pattern)),
        // At most one action, which the hash tables find.
        1 if !has_wildcard(pattern) => {
            let found = catalog.parse_action(pattern).map(|a| a.index() as u32);
            MatchingActions {
                actions: found.map_or(0..0, |index| index..index + 1),
                ..iter(Mode::Everything, 0..0)
            }
        }
        1 => {
            let (service_part, name_part) = pattern.split_once(':').unwrap_or((pattern, ""));
            let all_names = !name_part.is_empty() && name_part.bytes().all(|b| b == b'*');
            let services = if has_wildcard(service_part) {
                candidates(catalog, service_part)
            } else {
                match catalog.service(service_part) {
                    Some(s) => s.index()..s.index() + 1,
                    None => 0..0,
                }
            };
            let mode = Mode::Split {
                service_part,
                name_part,
                all_names,
            };
            iter(mode, services)
        }
        // No `:` and no wildcard (the text always has a `:`), or several `:`.
        _ => iter(Mode::Nothing, 0..0),
    }
}

/// The services whose prefix starts like the pattern's literal beginning (up to its first
/// wildcard or `:`).
fn candidates(catalog: &'static Catalog, pattern: &str) -> Range<usize> {
    let end = pattern.find(['*', '?', ':']).unwrap_or(pattern.len());
    ascii::prefix_range(catalog.services.len(), &pattern[..end], |i| {
        ServiceRef::new(catalog, i).prefix()
    })
}

impl Iterator for MatchingActions<'_> {
    type Item = ActionRef;

    fn next(&mut self) -> Option<ActionRef> {
        loop {
            if let Some(i) = self.actions.next() {
                let action = ActionRef::new(self.catalog, i as usize);
                let hit = match self.mode {
                    Mode::Nothing => false,
                    Mode::Everything
                    | Mode::Split {
                        all_names: true, ..
                    } => true,
                    Mode::Split { name_part, .. } => glob_match(name_part, action.name()),
                    Mode::Whole { pattern } => glob_match(pattern, action.full_name()),
                };
                if hit {
                    return Some(action);
                }
                continue;
            }
            let service = ServiceRef::new(self.catalog, self.services.next()?);
            let take = match self.mode {
                Mode::Nothing => false,
                Mode::Everything => true,
                Mode::Split { service_part, .. } => glob_match(service_part, service.prefix()),
                Mode::Whole { .. } => true,
            };
            if take {
                self.actions = service.actions().range();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;
    use crate::catalog::{all_actions, count_matching, matching_actions};

    fn names(pattern: &str) -> Vec<String> {
        matching_actions(pattern).map(|a| a.to_string()).collect()
    }

    /// The fast paths must agree with plain glob matching over every action.
    fn brute(pattern: &str) -> Vec<String> {
        all_actions()
            .map(|a| a.to_string())
            .filter(|full| glob_match(pattern, full))
            .collect()
    }

    #[test]
    fn agrees_with_brute_force() {
        for pattern in [
            "support:*ForCase",
            "SUPPORT:describe*",
            "s3:Get?bject",
            "*",
            "*:*",
            "support*",
            "a*b*c",
            "",
            ":",
            "*:",
            ":*",
            "support:",
            "support-console:*",
            "trustedadvisor:Desc*",
            "*:DescribeCases",
            "sup*:Describe*Level",
            "s?:GetObject",
            "?3:*",
            "*port:*",
            "*Engagement*",
            "support*Case",
            "support-*",
            "iam:*Policy*",
            "s3:*:*",
            "support:Describe?",
            "ec2:Describe*s",
            "日本:*",
            "*é*",
            "su?port:*",
        ] {
            assert_eq!(names(pattern), brute(pattern), "pattern {pattern:?}");
        }
    }

    #[test]
    fn tricky_patterns() {
        assert_eq!(
            names("support:*ForCase").len(),
            4,
            "{:?}",
            names("support:*ForCase")
        );
        assert!(names("support:*ForCase").contains(&"support:InitiateChatForCase".to_string()));
        let describe = names("SUPPORT:describe*");
        assert_eq!(describe.len(), 17);
        assert!(describe.iter().all(|n| n.starts_with("support:Describe")));
        assert_eq!(names("s3:Get?bject"), ["s3:GetObject"]);
        assert_eq!(count_matching("*"), crate::catalog::action_count());
        assert_eq!(count_matching("*:*"), crate::catalog::action_count());
        // support, support-console, supportapp, supportauthz, supportplans
        assert_eq!(count_matching("support*"), 90);
        assert_eq!(count_matching(""), 0);
        assert_eq!(count_matching(":"), 0);
        assert_eq!(count_matching("support:"), 0);
        assert_eq!(
            count_matching("support:DescribeCases"),
            1,
            "a literal matches itself"
        );
        assert_eq!(count_matching("nosuchservice:*"), 0);
        assert_eq!(count_matching("s3:*:*"), 0);
        assert_eq!(count_matching("trustedadvisor:*Engagement*"), 0, "removed");
        assert_eq!(count_matching("日本:*"), 0);
    }
}
