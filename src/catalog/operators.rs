//! Condition operators: the base operators, their `IfExists` variants, and the
//! `ForAllValues:`/`ForAnyValue:` set qualifiers.

use std::fmt;

use super::curated::{OPERATOR_NAMES, OPERATORS};

/// The kind of values an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    /// `Null`: tests whether a key is present; any key, values `true`/`false`.
    Null,
}

/// A base condition operator (without `IfExists` or a set qualifier).
#[derive(Debug)]
pub(crate) struct ConditionOperatorInfo {
    /// Canonical name, e.g. `StringNotLike`.
    pub(crate) name: &'static str,
    pub(crate) family: OperatorFamily,
    /// It matches when the comparison fails (`StringNotEquals`, `NotIpAddress`, ...).
    pub(crate) negated: bool,
    /// An `...IfExists` variant exists (every operator but `Null`).
    pub(crate) if_exists_allowed: bool,
    /// One line, in the project's own words.
    pub(crate) description: &'static str,
}

/// `ForAllValues:` or `ForAnyValue:`, for multivalued keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    /// The prefix as written in a policy, with its colon.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues:",
            SetQualifier::ForAnyValue => "ForAnyValue:",
        }
    }

    /// One line, in the project's own words.
    pub(crate) fn description(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => {
                "True when every value in the request matches (also true when the key is absent or empty)."
            }
            SetQualifier::ForAnyValue => "True when at least one value in the request matches.",
        }
    }
}

/// What `IfExists` adds, in our words.
pub(crate) const IF_EXISTS_DESCRIPTION: &str =
    "IfExists: also true when the key is absent from the request.";

/// A parsed operator such as `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ConditionOperator {
    pub(crate) base: &'static ConditionOperatorInfo,
    pub(crate) qualifier: Option<SetQualifier>,
    pub(crate) if_exists: bool,
    /// The text used AWS's capitalisation throughout.
    pub(crate) exact_case: bool,
}

impl ConditionOperator {
    pub(crate) fn negated(&self) -> bool {
        self.base.negated
    }

    pub(crate) fn family(&self) -> OperatorFamily {
        self.base.family
    }
}

impl fmt::Display for ConditionOperator {
    /// The canonical spelling, e.g. `ForAllValues:StringEqualsIfExists`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            f.write_str(q.as_str())?;
        }
        f.write_str(self.base.name)?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// Why an operator did not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OperatorError {
    Empty,
    /// Something before a `:` that is not `ForAllValues` or `ForAnyValue`.
    UnknownQualifier,
    /// Not a known operator (after removing the qualifier and `IfExists`).
    UnknownOperator,
    /// `NullIfExists`: AWS does not allow `IfExists` with `Null`.
    IfExistsOnNull,
}

impl fmt::Display for OperatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OperatorError::Empty => "empty condition operator",
            OperatorError::UnknownQualifier => {
                "unknown set qualifier (expected ForAllValues: or ForAnyValue:)"
            }
            OperatorError::UnknownOperator => "unknown condition operator",
            OperatorError::IfExistsOnNull => "Null cannot be combined with IfExists",
        })
    }
}

impl std::error::Error for OperatorError {}

/// Every base operator, grouped by family (string, numeric, date, bool, binary, IP, ARN, null).
pub(crate) fn operators() -> &'static [ConditionOperatorInfo] {
    &OPERATORS
}

/// Every operator name a policy may use without a set qualifier: the base operators, then the
/// `IfExists` variants (for completion).
pub(crate) fn operator_names() -> &'static [&'static str] {
    &OPERATOR_NAMES
}

/// The base operator `name`, case-insensitively.
pub(crate) fn operator(name: &str) -> Option<&'static ConditionOperatorInfo> {
    OPERATORS.iter().find(|o| o.name.eq_ignore_ascii_case(name))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<(&'a str, bool)> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| (&s[prefix.len()..], head == prefix))
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<(&'a str, bool)> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| (&s[..cut], tail == suffix))
}

/// Parses a condition operator: an optional `ForAllValues:`/`ForAnyValue:` qualifier, a base
/// operator, an optional `IfExists`. Matching ignores ASCII case (`exact_case` tells whether
/// the capitalisation was AWS's).
pub(crate) fn parse_operator(text: &str) -> Result<ConditionOperator, OperatorError> {
    if text.is_empty() {
        return Err(OperatorError::Empty);
    }
    let mut exact_case = true;
    let mut rest = text;
    let mut qualifier = None;
    if let Some((head, _)) = text.split_once(':') {
        let found = [SetQualifier::ForAllValues, SetQualifier::ForAnyValue]
            .into_iter()
            .find_map(|q| strip_prefix_ci(text, q.as_str()).map(|(r, exact)| (q, r, exact)));
        match found {
            Some((q, r, exact)) if !head.is_empty() => {
                qualifier = Some(q);
                rest = r;
                exact_case &= exact;
            }
            _ => return Err(OperatorError::UnknownQualifier),
        }
    }
    if let Some(base) = operator(rest) {
        return Ok(ConditionOperator {
            base,
            qualifier,
            if_exists: false,
            exact_case: exact_case && base.name == rest,
        });
    }
    if let Some((stem, exact)) = strip_suffix_ci(rest, "IfExists") {
        if let Some(base) = operator(stem) {
            if !base.if_exists_allowed {
                return Err(OperatorError::IfExistsOnNull);
            }
            let exact_case = exact_case && exact && base.name == stem;
            return Ok(ConditionOperator {
                base,
                qualifier,
                if_exists: true,
                exact_case,
            });
        }
    }
    Err(OperatorError::UnknownOperator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_table() {
        assert_eq!(operators().len(), 27);
        assert_eq!(operator_names().len(), 27 + 26);
        assert!(operator_names().contains(&"StringEqualsIfExists"));
        assert!(!operator_names().contains(&"NullIfExists"));
        let negated: Vec<&str> = operators()
            .iter()
            .filter(|o| o.negated)
            .map(|o| o.name)
            .collect();
        assert_eq!(
            negated,
            [
                "StringNotEquals",
                "StringNotEqualsIgnoreCase",
                "StringNotLike",
                "NumericNotEquals",
                "DateNotEquals",
                "NotIpAddress",
                "ArnNotEquals",
                "ArnNotLike"
            ]
        );
        assert!(operators().iter().all(|o| !o.description.is_empty()));
        assert!(
            operators()
                .iter()
                .all(|o| o.if_exists_allowed == (o.name != "Null"))
        );
        assert_eq!(
            operator("bool").map(|o| o.family),
            Some(OperatorFamily::Bool)
        );
        assert_eq!(
            operator("BinaryNotEquals").map(|o| o.name),
            None,
            "undocumented"
        );
    }

    #[test]
    fn parses_qualifiers_and_if_exists() {
        let op = parse_operator("ForAllValues:StringLike").expect("parses");
        assert_eq!(op.base.name, "StringLike");
        assert_eq!(op.qualifier, Some(SetQualifier::ForAllValues));
        assert!(!op.if_exists && op.exact_case && !op.negated());

        let op = parse_operator("StringEqualsIfExists").expect("parses");
        assert_eq!(op.base.name, "StringEquals");
        assert!(op.if_exists && op.qualifier.is_none());
        assert_eq!(op.to_string(), "StringEqualsIfExists");

        let op = parse_operator("ForAnyValue:StringNotLikeIfExists").expect("parses");
        assert!(op.negated() && op.if_exists);
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.to_string(), "ForAnyValue:StringNotLikeIfExists");

        let op = parse_operator("stringequalsignorecaseifexists").expect("parses");
        assert_eq!(op.base.name, "StringEqualsIgnoreCase");
        assert!(!op.exact_case);
        assert!(
            !parse_operator("forallvalues:StringLike")
                .expect("parses")
                .exact_case
        );
        assert!(
            !parse_operator("StringLikeifexists")
                .expect("parses")
                .exact_case
        );

        assert_eq!(
            parse_operator("NotIpAddressIfExists").map(|o| o.negated()),
            Ok(true)
        );
        assert_eq!(
            parse_operator("DateGreaterThan").map(|o| o.family()),
            Ok(OperatorFamily::Date)
        );
        assert_eq!(
            parse_operator("Null").map(|o| o.family()),
            Ok(OperatorFamily::Null)
        );
    }

    #[test]
    fn rejects() {
        assert_eq!(parse_operator("").err(), Some(OperatorError::Empty));
        assert_eq!(
            parse_operator("NullIfExists").err(),
            Some(OperatorError::IfExistsOnNull)
        );
        assert_eq!(
            parse_operator("StringEqual").err(),
            Some(OperatorError::UnknownOperator)
        );
        assert_eq!(
            parse_operator("IfExists").err(),
            Some(OperatorError::UnknownOperator)
        );
        assert_eq!(
            parse_operator("ForAll:StringLike").err(),
            Some(OperatorError::UnknownQualifier)
        );
        assert_eq!(
            parse_operator(":StringLike").err(),
            Some(OperatorError::UnknownQualifier)
        );
        assert_eq!(
            parse_operator("ForAllValues:").err(),
            Some(OperatorError::UnknownOperator)
        );
        assert_eq!(
            parse_operator("ForAllValues:ForAnyValue:StringLike").err(),
            Some(OperatorError::UnknownOperator)
        );
        assert_eq!(
            parse_operator("StringLikeé").err(),
            Some(OperatorError::UnknownOperator)
        );
        assert_eq!(
            parse_operator("éééééééé").err(),
            Some(OperatorError::UnknownOperator)
        );
    }
}
