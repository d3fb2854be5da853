//! Where the rules put their findings: the codes that are on, the settings' severities, and
//! the limits, applied as findings are produced.

use std::collections::BinaryHeap;

use super::Family;
use crate::analysis::config::Limits;
use crate::analysis::{Code, CodeSet, Config, Finding, Severity};
use crate::syntax::TextRange;

/// Where rules put their findings, with the codes that are on and the settings' severities
/// and limits.
///
/// The limits apply here, as findings are produced: the sink keeps at most `max_findings`
/// of them — the most severe, then the first in the document — in a heap whose top is the
/// least important kept, so that a document with a million findings costs the memory of the
/// cap, not of the million; and no finding keeps more than `max_related` related locations.
pub(crate) struct Sink<'c> {
    enabled: CodeSet,
    config: &'c Config,
    limits: Limits,
    kept: BinaryHeap<Ranked>,
    /// Findings pushed so far: the tie-breaker that keeps the rules' order at one position.
    pushed: u64,
    left_out: usize,
}

/// A kept finding, ordered from the most to the least important.
struct Ranked {
    key: Rank,
    finding: Finding,
}

/// Severity first (errors before warnings, information and hints), then position, then the
/// order the rules produced it in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    severity: Severity,
    start: u32,
    end: u32,
    pushed: u64,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

impl<'c> Sink<'c> {
    pub(crate) fn new(config: &'c Config) -> Self {
        Self {
            enabled: config.enabled_codes(),
            config,
            limits: config.limits,
            kept: BinaryHeap::new(),
            pushed: 0,
            left_out: 0,
        }
    }

    pub(super) fn enabled(&self) -> CodeSet {
        self.enabled
    }

    /// Whether findings of `code` are wanted: ask before computing one.
    pub(crate) fn wants(&self, code: Code) -> bool {
        self.enabled.contains(code)
    }

    /// Whether a finding of `code`, produced with `severity` at `range`, is to be computed:
    /// ask before an expensive one (related locations, fixes). When the limit is reached and
    /// it would not be kept, it is counted as left out, and the rule must not push it.
    pub(crate) fn admits(&mut self, code: Code, severity: Severity, range: TextRange) -> bool {
        if !self.wants(code) {
            return false;
        }
        if self.kept.len() < self.limits.max_findings {
            return true;
        }
        let key = Rank {
            severity: self.config.severity_of(code).unwrap_or(severity),
            start: range.start,
            end: range.end,
            pushed: self.pushed,
        };
        let kept = self.kept.peek().is_some_and(|least| key < least.key);
        if !kept {
            self.pushed += 1;
            self.left_out += 1;
        }
        kept
    }

    /// How many findings were produced so far (a rule can tell whether a check found any).
    pub(crate) fn count(&self) -> u64 {
        self.pushed
    }

    /// The most related locations a finding may have.
    pub(crate) fn max_related(&self) -> usize {
        self.limits.max_related
    }

    /// For a rule whose code is only known once its finding is built.
    pub(crate) fn push_if_wanted(&mut self, finding: Finding) {
        if self.wants(finding.code) {
            self.keep(finding);
        }
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        debug_assert!(
            self.wants(finding.code),
            "a {} finding was computed while the rule is off",
            finding.code.as_str()
        );
        if self.wants(finding.code) {
            self.keep(finding);
        }
    }

    fn keep(&mut self, mut finding: Finding) {
        if let Some(severity) = self.config.severity_of(finding.code) {
            finding.severity = severity;
        }
        debug_assert!(
            finding.related.len() <= self.limits.max_related,
            "a {} finding has {} related locations",
            finding.code.as_str(),
            finding.related.len()
        );
        finding.related.truncate(self.limits.max_related);
        let key = Rank {
            severity: finding.severity,
            start: finding.range.start,
            end: finding.range.end,
            pushed: self.pushed,
        };
        self.pushed += 1;
        if self.kept.len() < self.limits.max_findings {
            self.kept.push(Ranked { key, finding });
            return;
        }
        self.left_out += 1;
        let mut least = self.kept.peek_mut().expect("the limit is at least 1");
        if key < least.key {
            *least = Ranked { key, finding };
        }
    }

    /// The findings kept, sorted by position (in the order the rules produced those at one
    /// position), and after them, when some were left out, the finding that says how many.
    pub(crate) fn finish(self) -> Vec<Finding> {
        let mut kept = self.kept.into_vec();
        kept.sort_unstable_by_key(|r| (r.key.start, r.key.end, r.key.pushed));
        let mut findings: Vec<Finding> = kept.into_iter().map(|r| r.finding).collect();
        if Family::Limits.runs(self.enabled) && self.left_out > 0 {
            let total = findings.len() + self.left_out;
            let mut notice = Finding::new(
                Code::TooManyFindings,
                TextRange::empty(0),
                format!(
                    "{} more findings are not reported: this document has {} findings, over the limit of {} (the `limits.maxFindings` setting); the most severe are reported, then the first in the document",
                    self.left_out, total, self.limits.max_findings
                ),
            )
            .data(serde_json::json!({"reported": findings.len(), "leftOut": self.left_out}));
            if let Some(severity) = self.config.severity_of(Code::TooManyFindings) {
                notice.severity = severity;
            }
            findings.insert(0, notice);
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code, start: u32, message: &str) -> Finding {
        Finding::new(code, TextRange::new(start, start + 1), message)
    }

    fn config(settings: serde_json::Value) -> Config {
        let (config, problems) = Config::from_json(&settings);
        assert!(problems.is_empty(), "{problems:?}");
        config
    }

    /// `(code, start, message)` of what the sink gives back.
    fn summary(findings: &[Finding]) -> Vec<(&'static str, u32, String)> {
        findings
            .iter()
            .map(|f| (f.code.as_str(), f.range.start, f.message.clone()))
            .collect()
    }

    #[test]
    fn under_the_limit_findings_come_back_by_position_in_the_rules_order() {
        let config = Config::default();
        let mut sink = Sink::new(&config);
        sink.push(finding(Code::ActionCase, 30, "a"));
        sink.push(finding(Code::InvalidEffect, 10, "b"));
        sink.push(finding(Code::UnknownAction, 10, "c"));
        sink.push(finding(Code::JsonSyntax, 20, "d"));
        assert_eq!(
            summary(&sink.finish()),
            [
                ("invalid-effect", 10, "b".into()),
                ("unknown-action", 10, "c".into()),
                ("json-syntax", 20, "d".into()),
                ("action-case", 30, "a".into()),
            ]
        );
    }

    #[test]
    fn over_the_limit_the_most_severe_then_the_first_are_kept_and_the_rest_counted() {
        let config = config(serde_json::json!({"limits": {"maxFindings": 3}}));
        let mut sink = Sink::new(&config);
        sink.push(finding(Code::ActionCase, 1, "hint 1"));
        sink.push(finding(Code::UnknownAction, 50, "warning 50"));
        sink.push(finding(Code::UnknownAction, 40, "warning 40"));
        sink.push(finding(Code::ActionCase, 2, "hint 2"));
        sink.push(finding(Code::InvalidEffect, 90, "error 90"));
        sink.push(finding(Code::UnknownAction, 60, "warning 60"));
        assert_eq!(
            summary(&sink.finish()),
            [
                (
                    "too-many-findings",
                    0,
                    "3 more findings are not reported: this document has 6 findings, over the limit of 3 (the `limits.maxFindings` setting); the most severe are reported, then the first in the document".into()
                ),
                ("unknown-action", 40, "warning 40".into()),
                ("unknown-action", 50, "warning 50".into()),
                ("invalid-effect", 90, "error 90".into()),
            ]
        );
    }

    #[test]
    fn the_settings_severities_rank_the_findings() {
        // `action-case` raised to an error outranks the warnings.
        let config = config(serde_json::json!({
            "rules": {"action-case": "error", "too-many-findings": "information"},
            "limits": {"maxFindings": 1}
        }));
        let mut sink = Sink::new(&config);
        sink.push(finding(Code::UnknownAction, 1, "warning"));
        sink.push(finding(Code::ActionCase, 9, "raised"));
        let findings = sink.finish();
        let kept: Vec<_> = findings.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            kept,
            [
                (Code::TooManyFindings, Severity::Information),
                (Code::ActionCase, Severity::Error)
            ]
        );
    }

    #[test]
    fn findings_not_admitted_are_counted() {
        let config = config(serde_json::json!({"limits": {"maxFindings": 2}}));
        let mut sink = Sink::new(&config);
        assert!(sink.admits(Code::UnknownAction, Severity::Warning, TextRange::new(5, 6)));
        sink.push(finding(Code::UnknownAction, 5, "kept"));
        sink.push(finding(Code::UnknownAction, 7, "kept"));
        // A later warning would not be kept; an earlier one, or an error, would.
        assert!(!sink.admits(
            Code::UnknownAction,
            Severity::Warning,
            TextRange::new(9, 10)
        ));
        assert!(sink.admits(Code::UnknownAction, Severity::Warning, TextRange::new(1, 2)));
        assert!(sink.admits(Code::InvalidEffect, Severity::Error, TextRange::new(9, 10)));
        let findings = sink.finish();
        assert_eq!(findings.len(), 3);
        assert_eq!(
            findings[0].data,
            Some(serde_json::json!({"reported": 2, "leftOut": 1}))
        );
    }

    #[test]
    fn the_notice_is_a_rule_that_can_be_turned_off() {
        let config = config(serde_json::json!({
            "rules": {"too-many-findings": "off"},
            "limits": {"maxFindings": 1}
        }));
        let mut sink = Sink::new(&config);
        sink.push(finding(Code::UnknownAction, 1, "a"));
        sink.push(finding(Code::UnknownAction, 2, "b"));
        assert_eq!(summary(&sink.finish()), [("unknown-action", 1, "a".into())]);
    }

    #[test]
    fn a_million_findings_cost_the_limit() {
        let config = config(serde_json::json!({"limits": {"maxFindings": 100}}));
        let mut sink = Sink::new(&config);
        for start in (0..1_000_000).rev() {
            sink.push(finding(Code::JsonSyntax, start, "x"));
            assert!(sink.kept.len() <= 100);
        }
        let findings = sink.finish();
        assert_eq!(findings.len(), 101);
        let starts: Vec<u32> = findings[1..].iter().map(|f| f.range.start).collect();
        assert_eq!(starts, (0..100).collect::<Vec<_>>());
    }
}
