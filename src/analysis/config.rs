//! User settings: turn a rule off or change its severity, raise or lower the limits that
//! bound what one document can cost, and say which files hold which type of policy.
//!
//! The same shape comes from the editor (`initializationOptions`,
//! `workspace/didChangeConfiguration`), from `check --config FILE` and from a project's
//! `.iam-policy-lsp.json`:
//! `{"rules": {"missing-version": "off"}, "limits": {"maxFindings": 20000}, "policyTypes":
//! {"scp/**": "scp"}}`.

use std::collections::HashMap;

use super::code::{Code, CodeSet};
use super::finding::{Finding, Severity};
use super::type_settings::TypeSettings;
use crate::policy::DeclaredType;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleLevel {
    Off,
    On(Severity),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    rules: HashMap<Code, RuleLevel>,
    pub(crate) limits: Limits,
    policy_types: TypeSettings,
}

/// What one document's analysis may produce at most (docs: README, "Limits"). The defaults
/// are far above what real policies reach (the largest AWS managed policies have about 1,500
/// findings when mangled, and one related location per finding), so that they only ever
/// bound what a broken or hostile document costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Findings kept per document: the most severe, then the first in the document; one more
    /// finding (`too-many-findings`) says how many were left out.
    pub(crate) max_findings: usize,
    /// Related locations per finding; the last one says when there are more.
    pub(crate) max_related: usize,
    /// The largest message the server reads (a `Content-Length` over it is refused).
    pub(crate) max_message_bytes: usize,
}

impl Limits {
    pub(crate) const DEFAULT: Limits = Limits {
        max_findings: 10_000,
        max_related: 10,
        max_message_bytes: 64 * 1024 * 1024,
    };

    /// The setting names, under `limits`.
    const NAMES: [&'static str; 3] = ["maxFindings", "maxRelated", "maxMessageBytes"];

    fn setting(&mut self, name: &str) -> Option<&mut usize> {
        match name {
            "maxFindings" => Some(&mut self.max_findings),
            "maxRelated" => Some(&mut self.max_related),
            "maxMessageBytes" => Some(&mut self.max_message_bytes),
            _ => None,
        }
    }

    /// Reads `{"maxFindings": 20000, …}`: each a whole number of at least 1; the others keep
    /// their defaults.
    fn from_json(value: &serde_json::Value, problems: &mut Vec<String>) -> Limits {
        let mut limits = Limits::DEFAULT;
        let Some(object) = value.as_object() else {
            if !value.is_null() {
                problems.push(
                    "\"limits\" must be an object such as {\"maxFindings\": 20000}".to_string(),
                );
            }
            return limits;
        };
        for (name, value) in object {
            let Some(field) = limits.setting(name) else {
                problems.push(format!(
                    "unknown limit \"{name}\" (the limits are {})",
                    Limits::NAMES.join(", ")
                ));
                continue;
            };
            match value.as_u64().filter(|n| *n >= 1) {
                Some(n) => *field = usize::try_from(n).unwrap_or(usize::MAX),
                None => problems.push(format!(
                    "limit \"{name}\" must be a whole number of at least 1, not {value}"
                )),
            }
        }
        limits
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Config {
    /// Reads `{"rules": {...}, "limits": {...}, "policyTypes": {...}}` (or the bare rules
    /// object). Returns the problems found so the caller can tell the user; unknown rules,
    /// levels, limits, patterns and types are ignored, never fatal.
    pub(crate) fn from_json(value: &serde_json::Value) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        let settings = ["rules", "limits", "policyTypes"]
            .iter()
            .any(|key| value.get(key).is_some());
        if let Some(limits) = value.get("limits") {
            config.limits = Limits::from_json(limits, &mut problems);
        }
        if let Some(types) = value.get("policyTypes") {
            config.policy_types = TypeSettings::from_json(types, &mut problems);
        }
        let rules = match value.get("rules") {
            Some(rules) => rules,
            None if settings => return (config, problems),
            None => value,
        };
        let Some(rules) = rules.as_object() else {
            if !rules.is_null() {
                problems.push("\"rules\" must be an object of rule code → level".to_string());
            }
            return (config, problems);
        };
        for (name, level) in rules {
            let Some(code) = Code::from_name(name) else {
                problems.push(format!("unknown rule \"{name}\""));
                continue;
            };
            match level.as_str().and_then(parse_level) {
                Some(level) => {
                    config.rules.insert(code, level);
                }
                None => problems.push(format!(
                    "rule \"{name}\": level must be one of off, error, warning, information, hint"
                )),
            }
        }
        (config, problems)
    }

    /// The policy type the `policyTypes` setting gives the file at `path`, if any.
    pub(crate) fn declared_type(&self, path: &str) -> Option<&DeclaredType> {
        self.policy_types.for_path(path)
    }

    /// The codes whose rules run: every code but those turned off. The analysis computes no
    /// finding of the others.
    pub(crate) fn enabled_codes(&self) -> CodeSet {
        self.rules
            .iter()
            .filter(|(_, level)| **level == RuleLevel::Off)
            .fold(CodeSet::ALL, |set, (code, _)| set.without(*code))
    }

    /// Applies the settings to findings made outside the analysis (whose `Sink` applies them
    /// to the rules' findings): `check`'s findings on a file that is not JSON or not UTF-8.
    /// Re-grades them, and drops those of codes turned off.
    pub(crate) fn apply(&self, findings: &mut Vec<Finding>) {
        if self.rules.is_empty() {
            return;
        }
        findings.retain_mut(|f| match self.rules.get(&f.code) {
            Some(RuleLevel::Off) => false,
            Some(RuleLevel::On(severity)) => {
                f.severity = *severity;
                true
            }
            None => true,
        });
    }

    /// The severity findings of `code` are reported with, when the settings change it.
    pub(crate) fn severity_of(&self, code: Code) -> Option<Severity> {
        match self.rules.get(&code)? {
            RuleLevel::On(severity) => Some(*severity),
            RuleLevel::Off => None,
        }
    }
}

fn parse_level(text: &str) -> Option<RuleLevel> {
    Some(match text.to_ascii_lowercase().as_str() {
        "off" | "none" | "ignore" => RuleLevel::Off,
        "error" => RuleLevel::On(Severity::Error),
        "warning" | "warn" => RuleLevel::On(Severity::Warning),
        "information" | "info" => RuleLevel::On(Severity::Information),
        "hint" => RuleLevel::On(Severity::Hint),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_and_reports_problems() {
        let (config, problems) = Config::from_json(&serde_json::json!({
            "rules": {"missing-version": "off", "invalid-effect": "Warning", "nope": "off", "json-syntax": 3}
        }));
        assert_eq!(
            problems,
            [
                "rule \"json-syntax\": level must be one of off, error, warning, information, hint",
                "unknown rule \"nope\"",
            ]
        );
        assert!(!config.enabled_codes().contains(Code::MissingVersion));
        assert!(config.enabled_codes().contains(Code::InvalidEffect));
        assert_eq!(
            config.severity_of(Code::InvalidEffect),
            Some(Severity::Warning)
        );
        assert_eq!(config.severity_of(Code::JsonSyntax), None);
        assert_eq!(config.limits, Limits::DEFAULT);
    }

    #[test]
    fn reads_limits_and_reports_problems() {
        let (config, problems) = Config::from_json(&serde_json::json!({
            "limits": {"maxFindings": 20000, "maxRelated": 0, "maxFrobs": 3, "maxMessageBytes": "big"}
        }));
        assert_eq!(
            config.limits,
            Limits {
                max_findings: 20_000,
                ..Limits::DEFAULT
            }
        );
        assert_eq!(
            problems,
            [
                "unknown limit \"maxFrobs\" (the limits are maxFindings, maxRelated, maxMessageBytes)",
                "limit \"maxMessageBytes\" must be a whole number of at least 1, not \"big\"",
                "limit \"maxRelated\" must be a whole number of at least 1, not 0",
            ]
        );
        // Limits alone: no rule is read from the settings object itself.
        let (config, problems) =
            Config::from_json(&serde_json::json!({"limits": {"maxRelated": 3}}));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.limits.max_related, 3);
        let (_, problems) = Config::from_json(&serde_json::json!({"limits": [1]}));
        assert_eq!(
            problems,
            ["\"limits\" must be an object such as {\"maxFindings\": 20000}"]
        );
    }

    #[test]
    fn reads_policy_types_beside_or_without_rules() {
        let (config, problems) = Config::from_json(&serde_json::json!({
            "policyTypes": {"scp/**": "scp"}
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(config.declared_type("org/scp/a.json").is_some());
        assert!(config.declared_type("org/a.json").is_none());
        let (config, problems) = Config::from_json(&serde_json::json!({
            "rules": {"missing-version": "off"},
            "policyTypes": {"trust/*.json": "trust", "x/**": "bogus"}
        }));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(config.declared_type("trust/ci.json").is_some());
        assert!(!config.enabled_codes().contains(Code::MissingVersion));
    }
}
