//! The `policyTypes` setting: which files hold which type of policy, by path glob.
//!
//! `{"policyTypes": {"scp/**": "scp", "**/trust-*.json": "trust", "buckets/*.json":
//! "resource:s3"}}`. A pattern without a leading `/` matches at any depth (`scp/**` matches
//! every file under any folder named `scp`); one with a leading `/` matches the whole path. `*`
//! and `?` stay within a path segment, `**` crosses them, `{a,b}` and `[ab]` are alternatives.
//! When several patterns match a file, the longest one (the most specific) wins.

use globset::{Glob, GlobBuilder, GlobMatcher};

use crate::policy::{DeclaredType, PolicyType};

#[derive(Clone, Debug, Default)]
pub(crate) struct TypeSettings {
    /// Longest pattern first.
    entries: Vec<Entry>,
}

#[derive(Clone, Debug)]
struct Entry {
    pattern: String,
    matcher: GlobMatcher,
    declared: DeclaredType,
}

impl PartialEq for TypeSettings {
    fn eq(&self, other: &Self) -> bool {
        let key = |s: &Self| -> Vec<(String, DeclaredType)> {
            s.entries
                .iter()
                .map(|e| (e.pattern.clone(), e.declared.clone()))
                .collect()
        };
        key(self) == key(other)
    }
}

impl TypeSettings {
    /// Reads the `policyTypes` object; the problems are for the user (a bad pattern or type
    /// is left out, never fatal).
    pub(crate) fn from_json(value: &serde_json::Value, problems: &mut Vec<String>) -> Self {
        let Some(object) = value.as_object() else {
            problems.push(
                "\"policyTypes\" must be an object of path pattern → policy type".to_string(),
            );
            return Self::default();
        };
        let mut entries = Vec::new();
        for (pattern, type_name) in object {
            let Some(type_name) = type_name.as_str() else {
                problems.push(format!(
                    "policyTypes \"{pattern}\": the type must be a string such as \"scp\""
                ));
                continue;
            };
            let types = match PolicyType::parse(type_name) {
                Ok(types) => types,
                Err(problem) => {
                    problems.push(format!("policyTypes \"{pattern}\": {problem}"));
                    continue;
                }
            };
            let matcher = match compile(pattern) {
                Ok(matcher) => matcher,
                Err(problem) => {
                    problems.push(format!("policyTypes \"{pattern}\": {problem}"));
                    continue;
                }
            };
            entries.push(Entry {
                pattern: pattern.clone(),
                matcher,
                declared: DeclaredType {
                    types,
                    reason: format!("the `policyTypes` setting `\"{pattern}\": \"{type_name}\"`"),
                },
            });
        }
        // Stable: among patterns of one length, the settings' (sorted) order.
        entries.sort_by_key(|e| std::cmp::Reverse(e.pattern.len()));
        Self { entries }
    }

    /// The type declared for the file at `path` (`/` or `\` separated), if a pattern matches.
    pub(crate) fn for_path(&self, path: &str) -> Option<&DeclaredType> {
        if self.entries.is_empty() {
            return None;
        }
        let path = path.replace('\\', "/");
        self.entries
            .iter()
            .find(|e| e.matcher.is_match(&path))
            .map(|e| &e.declared)
    }
}

fn compile(pattern: &str) -> Result<GlobMatcher, String> {
    let anchored = pattern.starts_with('/') || pattern.starts_with("**/");
    let full = if anchored {
        pattern.to_string()
    } else {
        format!("**/{pattern}")
    };
    let glob: Glob = GlobBuilder::new(&full)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("not a valid pattern: {}", e.kind()))?;
    Ok(glob.compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{ParsedType, ResourceService};

    #[test]
    fn patterns_match_at_any_depth_and_the_longest_wins() {
        let mut problems = Vec::new();
        let settings = TypeSettings::from_json(
            &serde_json::json!({
                "scp/**": "scp",
                "scp/legacy/*.json": "identity",
                "**/trust-*.json": "trust",
                "/srv/policies/*.json": "resource:s3",
                "bad/[": "scp",
                "x/**": "nonsense",
                "y/**": 3
            }),
            &mut problems,
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        let declared = |path: &str| {
            settings.for_path(path).map(|d| match d.types {
                ParsedType::One(t) => t.setting(),
                ParsedType::AnyResource => "resource".into(),
            })
        };
        assert_eq!(declared("scp/deny-regions.json").as_deref(), Some("scp"));
        assert_eq!(
            declared("/home/me/org/scp/a/b.json").as_deref(),
            Some("scp")
        );
        assert_eq!(declared("org\\scp\\b.json").as_deref(), Some("scp"));
        assert_eq!(declared("scp/legacy/old.json").as_deref(), Some("identity"));
        assert_eq!(declared("roles/trust-ci.json").as_deref(), Some("trust"));
        assert_eq!(declared("roles/ci/trust.json"), None);
        assert_eq!(
            declared("/srv/policies/bucket.json").as_deref(),
            Some(&*PolicyType::Resource(ResourceService::S3).setting())
        );
        assert_eq!(declared("/other/srv/policies/bucket.json"), None);
        assert_eq!(declared("notscp/a.json"), None);
        assert!(
            settings
                .for_path("scp/x.json")
                .is_some_and(|d| d.reason.contains("\"scp/**\": \"scp\"")),
        );
    }
}
