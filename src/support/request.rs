//! What a request to AWS Support (or Support Center's console, or Trusted Advisor) carries,
//! and therefore which conditions are certain for it.
//!
//! These services define no condition keys of their own and have no taggable resources, so a
//! Support request never carries another service's keys (`s3:prefix`), resource or request
//! tags (`aws:ResourceTag/…`, `aws:RequestTag/…`, `aws:TagKeys`), or keys without a
//! namespace. Every other global key may be present, and its value is unknown here.
//!
//! On an absent key IAM's rules are: a plain operator does not match; a negated operator
//! (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …) matches; `…IfExists` matches;
//! `Null: true` matches and `Null: false` does not; `ForAllValues:` matches (vacuously) and
//! `ForAnyValue:` does not.

use crate::catalog::{self, OperatorFamily, SetQualifier};
use crate::policy::{ConditionBlock, ConditionEntry};
use crate::syntax::ValueKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Support requests never carry this key.
    Absent,
    /// It may be present; its value is unknown.
    Unknown,
}

pub(crate) fn presence(key: &str) -> Presence {
    let lower = key.to_ascii_lowercase();
    let Some(name) = lower.strip_prefix("aws:") else {
        return Presence::Absent;
    };
    let tag_key =
        name.starts_with("resourcetag/") || name.starts_with("requesttag/") || name == "tagkeys";
    if tag_key {
        Presence::Absent
    } else {
        Presence::Unknown
    }
}

/// Whether a condition entry matches a Support request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Always,
    Never,
    Unknown,
}

/// The verdict of a statement's whole `Condition` for Support requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ConditionVerdict {
    /// No condition, or every condition certainly matches.
    Always,
    /// Some condition certainly fails: the statement never applies to Support requests.
    Never {
        /// The key whose condition can never match.
        key: String,
    },
    /// Depends on the request: these keys decide.
    Depends { keys: Vec<String> },
}

impl ConditionVerdict {
    pub(crate) fn of(blocks: &[ConditionBlock]) -> Self {
        let mut unknown: Vec<String> = Vec::new();
        for block in blocks {
            for entry in &block.entries {
                match entry_outcome(&block.operator.value, entry) {
                    Outcome::Always => {}
                    Outcome::Never => {
                        return ConditionVerdict::Never {
                            key: entry.key.value.to_string(),
                        };
                    }
                    Outcome::Unknown => {
                        if !unknown
                            .iter()
                            .any(|k| k.eq_ignore_ascii_case(&entry.key.value))
                        {
                            unknown.push(entry.key.value.to_string());
                        }
                    }
                }
            }
        }
        if unknown.is_empty() {
            ConditionVerdict::Always
        } else {
            ConditionVerdict::Depends { keys: unknown }
        }
    }

    pub(crate) fn is_never(&self) -> bool {
        matches!(self, ConditionVerdict::Never { .. })
    }

    pub(crate) fn is_conditional(&self) -> bool {
        matches!(self, ConditionVerdict::Depends { .. })
    }
}

/// One operator applied to one key, for a Support request.
pub(crate) fn entry_outcome(operator: &str, entry: &ConditionEntry) -> Outcome {
    if presence(&entry.key.value) == Presence::Unknown {
        return Outcome::Unknown;
    }
    let Ok(operator) = catalog::parse_operator(operator) else {
        return Outcome::Unknown;
    };
    if operator.if_exists {
        return Outcome::Always;
    }
    if operator.family() == OperatorFamily::Null {
        // `Null: true` asks for the key to be absent. Values are alternatives.
        let mut any_true = false;
        for value in &entry.values {
            match null_value(&value.kind) {
                Some(true) => any_true = true,
                Some(false) => {}
                None => return Outcome::Unknown,
            }
        }
        return if any_true {
            Outcome::Always
        } else {
            Outcome::Never
        };
    }
    match operator.qualifier {
        Some(SetQualifier::ForAllValues) => Outcome::Always,
        Some(SetQualifier::ForAnyValue) => Outcome::Never,
        None if operator.negated() => Outcome::Always,
        None => Outcome::Never,
    }
}

fn null_value(kind: &ValueKind) -> Option<bool> {
    match kind {
        ValueKind::Bool(b) => Some(*b),
        ValueKind::String(s) if s.value.eq_ignore_ascii_case("true") => Some(true),
        ValueKind::String(s) if s.value.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Statement;
    use crate::syntax::parse;

    fn verdict(condition: &str) -> ConditionVerdict {
        let text = format!(
            r#"{{"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {condition}}}"#
        );
        let parse = parse(&text);
        let statement = Statement::new(parse.root.as_ref().unwrap()).unwrap();
        ConditionVerdict::of(&statement.conditions())
    }

    fn never(key: &str) -> ConditionVerdict {
        ConditionVerdict::Never { key: key.into() }
    }

    fn depends(keys: &[&str]) -> ConditionVerdict {
        ConditionVerdict::Depends {
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn presence_of_keys() {
        assert_eq!(presence("s3:prefix"), Presence::Absent);
        assert_eq!(presence("aws:ResourceTag/Owner"), Presence::Absent);
        assert_eq!(presence("AWS:requesttag/x"), Presence::Absent);
        assert_eq!(presence("aws:TagKeys"), Presence::Absent);
        assert_eq!(presence("nonamespace"), Presence::Absent);
        assert_eq!(presence("aws:RequestedRegion"), Presence::Unknown);
        assert_eq!(presence("aws:PrincipalTag/team"), Presence::Unknown);
    }

    #[test]
    fn every_branch_of_the_reasoning() {
        let cases: &[(&str, ConditionVerdict)] = &[
            // No condition at all, or an empty one.
            ("{}", ConditionVerdict::Always),
            // A plain operator on a key Support requests never carry never matches.
            (
                r#"{"StringEquals": {"aws:ResourceTag/env": "prod"}}"#,
                never("aws:ResourceTag/env"),
            ),
            (
                r#"{"StringLike": {"s3:prefix": "home/*"}}"#,
                never("s3:prefix"),
            ),
            (r#"{"ArnLike": {"ec2:Vpc": "arn:*"}}"#, never("ec2:Vpc")),
            (
                r#"{"NumericLessThan": {"s3:max-keys": 10}}"#,
                never("s3:max-keys"),
            ),
            (
                r#"{"Bool": {"ec2:Attribute": "true"}}"#,
                never("ec2:Attribute"),
            ),
            // A negated operator on an absent key always matches.
            (
                r#"{"StringNotEquals": {"aws:ResourceTag/env": "prod"}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"ArnNotLike": {"iam:PolicyARN": "arn:*"}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"NotIpAddress": {"ec2:SourceInstanceIp": "10.0.0.0/8"}}"#,
                ConditionVerdict::Always,
            ),
            // IfExists matches an absent key, negated or not.
            (
                r#"{"StringEqualsIfExists": {"aws:ResourceTag/env": "prod"}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"StringNotEqualsIfExists": {"s3:prefix": "x"}}"#,
                ConditionVerdict::Always,
            ),
            // Null: true means "absent" (matches); false means "present" (does not).
            (
                r#"{"Null": {"aws:ResourceTag/env": "true"}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"Null": {"aws:ResourceTag/env": true}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"Null": {"aws:ResourceTag/env": "false"}}"#,
                never("aws:ResourceTag/env"),
            ),
            (
                r#"{"Null": {"aws:ResourceTag/env": ["false", "true"]}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"Null": {"aws:ResourceTag/env": "maybe"}}"#,
                depends(&["aws:ResourceTag/env"]),
            ),
            // Set qualifiers on an absent key: ForAllValues is vacuously true, ForAnyValue false.
            (
                r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}"#,
                ConditionVerdict::Always,
            ),
            (
                r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}"#,
                never("aws:TagKeys"),
            ),
            (
                r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}"#,
                never("aws:TagKeys"),
            ),
            // Keys a Support request may carry: the statement depends on the request.
            (
                r#"{"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}"#,
                depends(&["aws:RequestedRegion"]),
            ),
            (
                r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#,
                depends(&["aws:MultiFactorAuthPresent"]),
            ),
            // An unknown operator cannot be reasoned about.
            (
                r#"{"StringEqual": {"s3:prefix": "x"}}"#,
                depends(&["s3:prefix"]),
            ),
            // All blocks must match: one certain failure decides; certain matches drop out.
            (
                r#"{"StringNotEquals": {"aws:ResourceTag/a": "x"}, "StringEquals": {"aws:PrincipalTag/team": "ops"}}"#,
                depends(&["aws:PrincipalTag/team"]),
            ),
            (
                r#"{"StringEquals": {"aws:PrincipalTag/team": "ops", "s3:prefix": "x"}}"#,
                never("s3:prefix"),
            ),
        ];
        for (condition, expected) in cases {
            assert_eq!(&verdict(condition), expected, "{condition}");
        }
    }
}
