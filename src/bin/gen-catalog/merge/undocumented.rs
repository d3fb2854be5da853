//! What AWS's own managed policies use that the Service Authorization Reference does not
//! document: actions (and wildcards) and condition keys. A user who copies such a string
//! from an AWS policy should hear that it is AWS's own usage, not that it is a typo.

use std::collections::{HashMap, HashSet};

use catalog_format::{Model, Result, UndocumentedAction, UndocumentedKey, lower};

use crate::sources::curated::curated_map;
use crate::sources::managed::{ManagedPolicies, Sighting};

pub(super) fn add_undocumented(
    m: &mut Model,
    managed: &ManagedPolicies,
    root: &std::path::Path,
) -> Result<()> {
    let mut by_service: HashMap<String, Vec<String>> = HashMap::new();
    for a in &m.actions {
        by_service
            .entry(lower(&a.prefix))
            .or_default()
            .push(lower(&a.name));
    }
    let removed: HashSet<String> = m
        .removed
        .iter()
        .map(|r| format!("{}:{}", lower(&r.prefix), lower(&r.name)))
        .collect();
    let retired: HashSet<String> = m
        .removed_services
        .iter()
        .map(|r| lower(&r.prefix))
        .collect();
    let mut actions = Vec::new();
    for (text, sighting) in &managed.actions {
        let Some((prefix, name)) = well_formed(text) else {
            continue;
        };
        if retired.contains(prefix) {
            continue;
        }
        let names = by_service.get(prefix).map(Vec::as_slice).unwrap_or(&[]);
        let wildcard = name.contains(['*', '?']);
        let known = if wildcard {
            names.iter().any(|n| glob(name, n))
                || removed.iter().any(|r| {
                    r.split_once(':')
                        .is_some_and(|(p, n)| p == prefix && glob(name, n))
                })
        } else {
            names.iter().any(|n| n == name) || removed.contains(text)
        };
        if known {
            continue;
        }
        // AWS corrects its own typos in later versions: a string that only an earlier
        // version named, and that is a slip away from a current action, is left a typo.
        if !sighting.current && !wildcard && looks_like_a_typo(prefix, name, &by_service) {
            eprintln!(
                "note: {} (only in {} {}) looks like a typo; not recorded as undocumented",
                sighting.written, sighting.policy, sighting.version
            );
            continue;
        }
        let (written_prefix, written_name) = sighting
            .written
            .split_once(':')
            .expect("well-formed strings have a colon");
        actions.push(UndocumentedAction {
            prefix: written_prefix.to_string(),
            name: written_name.to_string(),
            policy: sighting.policy.clone(),
            version: sighting.version.clone(),
            current: sighting.current,
        });
    }
    actions.sort_by_key(|u| (lower(&u.prefix), lower(&u.name)));
    m.undocumented_actions = actions;

    let notes = curated_map(root, "undocumented-key-notes.tsv", &["key", "note"])?;
    let notes: HashMap<String, String> = notes.into_iter().map(|(k, v)| (lower(&k), v)).collect();
    let mut keys = Vec::new();
    let known = KnownKeys::of(m);
    for (text, sighting) in &managed.keys {
        let Some((prefix, _)) = text.split_once(':') else {
            continue;
        };
        let identity_provider = prefix.contains(['.', '/']) || prefix == "saml";
        if identity_provider
            || text.contains("${")
            || text.contains('<')
            || retired.contains(prefix)
            || known.contains(text)
        {
            continue;
        }
        keys.push(undocumented_key(sighting, notes.get(text)));
    }
    keys.sort_by_key(|k| lower(&k.key));
    m.undocumented_keys = keys;
    Ok(())
}

fn undocumented_key(sighting: &Sighting, note: Option<&String>) -> UndocumentedKey {
    UndocumentedKey {
        key: sighting.written.clone(),
        policy: sighting.policy.clone(),
        version: sighting.version.clone(),
        current: sighting.current,
        note: note.cloned().unwrap_or_default(),
    }
}

/// `prefix` and `name` of a lower-case action string IAM can match: letters, digits, `-`
/// and `_` (and wildcards in the name), no whitespace.
fn well_formed(text: &str) -> Option<(&str, &str)> {
    let (prefix, name) = text.split_once(':')?;
    let prefix_ok = !prefix.is_empty()
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'*' | b'?'));
    (prefix_ok && name_ok).then_some((prefix, name))
}

/// IAM's wildcard match (`*` any run, `?` one character) over lower-case ASCII.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

/// Whether `prefix:name` is at most two edits away from a current action: in the same
/// service, or the same name in a service whose prefix is at most two edits away.
fn looks_like_a_typo(prefix: &str, name: &str, by_service: &HashMap<String, Vec<String>>) -> bool {
    if let Some(names) = by_service.get(prefix) {
        return names.iter().any(|n| distance(n, name) <= 2);
    }
    by_service
        .iter()
        .any(|(p, names)| distance(p, prefix) <= 2 && names.iter().any(|n| n == name))
}

/// Levenshtein distance over bytes.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The condition keys the catalogue knows, as the run-time lookup sees them: exact names
/// (global and service keys), templates whose placeholders (`${TagKey}`, `<key>`) stand
/// for any non-empty text, and `tag-key` placeholders written literally.
struct KnownKeys {
    exact: HashSet<String>,
    templates: Vec<String>,
}

impl KnownKeys {
    fn of(m: &Model) -> KnownKeys {
        let names = m
            .condition_keys
            .iter()
            .map(|k| lower(&k.key))
            .chain(m.global_keys.iter().map(|g| lower(&g.key)));
        let mut exact = HashSet::new();
        let mut templates = Vec::new();
        for name in names {
            if name.contains("${") || name.contains('<') || name.ends_with("/tag-key") {
                templates.push(name);
            } else {
                exact.insert(name);
            }
        }
        KnownKeys { exact, templates }
    }

    fn contains(&self, key: &str) -> bool {
        self.exact.contains(key) || self.templates.iter().any(|t| template_matches(t, key))
    }
}

/// Whether `key` matches `template`: each placeholder (`${…}`, `<…>`, a trailing
/// `tag-key`) stands for any non-empty text; both lower-case.
fn template_matches(template: &str, key: &str) -> bool {
    let mut pattern = String::new();
    let mut rest = template;
    while !rest.is_empty() {
        let (start, close) = match (rest.find("${"), rest.find('<')) {
            (Some(d), Some(a)) if a < d => (a, '>'),
            (Some(d), _) => (d, '}'),
            (None, Some(a)) => (a, '>'),
            (None, None) => break,
        };
        let Some(end) = rest[start..].find(close) else {
            break;
        };
        pattern.push_str(&rest[..start]);
        pattern.push('\u{0}');
        rest = &rest[start + end + 1..];
    }
    pattern.push_str(rest);
    if let Some(head) = pattern.strip_suffix("/tag-key") {
        pattern = format!("{head}/\u{0}");
    }
    matches_placeholders(pattern.as_bytes(), key.as_bytes())
}

/// `\0` in `pattern` stands for one or more bytes.
fn matches_placeholders(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((0, rest)) => (1..=text.len()).any(|i| matches_placeholders(rest, &text[i..])),
        Some((&c, rest)) => text.first() == Some(&c) && matches_placeholders(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_typos() {
        assert!(template_matches(
            "aws:resourcetag/${tagkey}",
            "aws:resourcetag/owner"
        ));
        assert!(!template_matches(
            "aws:resourcetag/${tagkey}",
            "aws:resourcetag/"
        ));
        assert!(template_matches(
            "s3:existingobjecttag/<key>",
            "s3:existingobjecttag/a"
        ));
        assert!(template_matches(
            "secretsmanager:resourcetag/tag-key",
            "secretsmanager:resourcetag/x"
        ));
        assert!(glob("describe*", "describebudget") && !glob("get*", "describe"));
        assert_eq!(distance("codedeploy", "codedpeloy"), 2);
        assert_eq!(well_formed("ec2: describevpcs"), None);
        assert_eq!(well_formed("s3:get*"), Some(("s3", "get*")));
    }
}
