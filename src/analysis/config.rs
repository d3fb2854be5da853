//! User settings for rules: turn a rule off or change its severity; say which files hold which
//! type of policy.
//!
//! The same shape comes from the editor (`initializationOptions.rules`,
//! `workspace/didChangeConfiguration`) and from a project's `.iam-policy-lsp.json`:
//! `{"rules": {"missing-version": "off", "action-case": "warning"}, "policyTypes":
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
    policy_types: TypeSettings,
}

impl Config {
    /// Reads `{"rules": {...}, "policyTypes": {...}}` (or the bare rules object). Returns the
    /// problems found so the caller can tell the user; unknown rules, levels, patterns and
    /// types are ignored, never fatal.
    pub(crate) fn from_json(value: &serde_json::Value) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        if let Some(types) = value.get("policyTypes") {
            config.policy_types = TypeSettings::from_json(types, &mut problems);
        }
        let rules = match value.get("rules") {
            Some(rules) => rules,
            None if value.get("policyTypes").is_some() => return (config, problems),
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

    /// Applies the settings to what the rules found: re-grades findings, and drops those of
    /// codes turned off that a rule family computed along with codes still on.
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
    use crate::syntax::TextRange;

    #[test]
    fn reads_rules_and_reports_problems() {
        let (config, problems) = Config::from_json(&serde_json::json!({
            "rules": {"missing-version": "off", "invalid-effect": "Warning", "nope": "off", "json-syntax": 3}
        }));
        assert_eq!(problems.len(), 2, "{problems:?}");
        let mut findings = vec![
            Finding::new(Code::MissingVersion, TextRange::empty(0), "a"),
            Finding::new(Code::InvalidEffect, TextRange::empty(0), "b"),
            Finding::new(Code::JsonSyntax, TextRange::empty(0), "c"),
        ];
        config.apply(&mut findings);
        let left: Vec<_> = findings.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            left,
            vec![
                (Code::InvalidEffect, Severity::Warning),
                (Code::JsonSyntax, Severity::Error)
            ]
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
