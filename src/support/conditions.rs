//! What a statement's conditions mean for a Support request, in words: "only in regions other
//! than eu-west-1", "for every principal except those whose aws:PrincipalArn is like …". Only
//! the conditions whose outcome depends on the request are described (those certain to match
//! are no restriction; one certain to fail makes the statement inert, see `request`).
//!
//! A negated operator is worded as what it means — the statement applies to everything *but*
//! the values — since "when aws:PrincipalArn matches" reads as the opposite of
//! `StringNotLike`. The diagnostics, the hover on `Statement` and `explain` use these words.

use super::request::{Outcome, entry_outcome};
use crate::catalog::{self, OperatorFamily, SetQualifier};
use crate::policy::{ConditionBlock, ConditionEntry};
use crate::syntax::{Value, ValueKind};

/// How many values a phrase names; `None`: all of them (`explain`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shown(pub(crate) Option<usize>);

/// One phrase per condition entry that depends on the request, in document order. `text` is
/// the document (for numbers written as JSON numbers); without it they read "a number".
pub(crate) fn describe(blocks: &[ConditionBlock], text: Option<&str>, shown: Shown) -> Vec<String> {
    let mut phrases = Vec::new();
    for block in blocks {
        for entry in &block.entries {
            if entry_outcome(&block.operator.value, entry) == Outcome::Unknown {
                let phrase = entry_phrase(&block.operator.value, entry, text, shown);
                if !phrases.contains(&phrase) {
                    phrases.push(phrase);
                }
            }
        }
    }
    phrases
}

/// The phrases joined as one clause: every condition must hold.
pub(crate) fn join(phrases: &[String]) -> String {
    phrases.join(", and ")
}

/// Who or what a condition key restricts, for the wording.
enum Subject {
    /// `aws:RequestedRegion`: "only in eu-west-1", "only in regions other than eu-west-1".
    Region,
    /// Keys about the caller: "only for principals whose …", "for every principal except …".
    Principal,
    /// `aws:SourceIp`: "only for requests from …", "only for requests from outside …".
    SourceIp,
    Other,
}

fn subject(key: &str) -> Subject {
    let lower = key.to_ascii_lowercase();
    if lower == "aws:requestedregion" {
        Subject::Region
    } else if lower == "aws:sourceip" {
        Subject::SourceIp
    } else if lower.starts_with("aws:principal") || lower == "aws:userid" || lower == "aws:username"
    {
        Subject::Principal
    } else {
        Subject::Other
    }
}

fn entry_phrase(
    operator: &str,
    entry: &ConditionEntry,
    text: Option<&str>,
    shown: Shown,
) -> String {
    let key = &*entry.key.value;
    let Ok(operator) = catalog::parse_operator(operator) else {
        return format!("only when its condition on {key} matches");
    };
    let values: Vec<String> = entry.values.iter().map(|v| value_text(v, text)).collect();
    if operator.family() == OperatorFamily::Null {
        return match values.as_slice() {
            [v] if v.eq_ignore_ascii_case("true") => format!("only when {key} is absent"),
            [v] if v.eq_ignore_ascii_case("false") => format!("only when {key} is present"),
            _ => format!("only when its Null condition on {key} matches"),
        };
    }
    let base = operator.base.name;
    let negated = operator.negated();
    let relation = relation(base, operator.family());
    let ignoring_case = if base.ends_with("IgnoreCase") {
        " (ignoring case)"
    } else {
        ""
    };
    let absent = if operator.if_exists && !negated {
        format!(", or when {key} is absent")
    } else {
        String::new()
    };
    if let Some(qualifier) = operator.qualifier {
        let is = verb(relation, negated);
        let list = list(&values, if negated { "and" } else { "or" }, shown);
        return match qualifier {
            SetQualifier::ForAnyValue => {
                format!("only when some value of {key} {is}{list}{ignoring_case}")
            }
            SetQualifier::ForAllValues => format!(
                "only when every value of {key} {is}{list}{ignoring_case} (or {key} has none)"
            ),
        };
    }
    let is = verb(relation, false);
    let is_not = verb(relation, true);
    match (subject(key), negated) {
        (Subject::Region, false) if relation == "is" => {
            format!(
                "only in {}{ignoring_case}{absent}",
                list(&values, "or", shown)
            )
        }
        (Subject::Region, true) if relation == "is" => format!(
            "only in regions other than {}{ignoring_case}",
            list(&values, "and", shown)
        ),
        (Subject::SourceIp, false) => {
            format!(
                "only for requests from {}{absent}",
                list(&values, "or", shown)
            )
        }
        (Subject::SourceIp, true) => format!(
            "only for requests from outside {}",
            list(&values, "and", shown)
        ),
        (Subject::Principal, false) => format!(
            "only for principals whose {key} {is}{}{ignoring_case}{absent}",
            list(&values, "or", shown)
        ),
        (Subject::Principal, true) => format!(
            "for every principal except those whose {key} {is}{}{ignoring_case}",
            list(&values, "or", shown)
        ),
        (_, false) => format!(
            "only when {key} {is}{}{ignoring_case}{absent}",
            list(&values, "or", shown)
        ),
        (_, true) => format!(
            "only when {key} {is_not}{}{ignoring_case}",
            list(&values, "or", shown)
        ),
    }
}

/// The comparison an operator makes, in its positive form.
fn relation(base: &str, family: OperatorFamily) -> &'static str {
    let positive = base.replace("Not", "");
    match (family, positive.as_str()) {
        (OperatorFamily::IpAddress, _) => "is in",
        (_, name) if name.ends_with("Like") => "is like",
        (_, "NumericLessThan") => "is less than",
        (_, "NumericLessThanEquals") => "is at most",
        (_, "NumericGreaterThan") => "is greater than",
        (_, "NumericGreaterThanEquals") => "is at least",
        (_, "DateLessThan") => "is before",
        (_, "DateLessThanEquals") => "is at or before",
        (_, "DateGreaterThan") => "is after",
        (_, "DateGreaterThanEquals") => "is at or after",
        _ => "is",
    }
}

/// The relation followed by a space, negated after its "is": `is not like `.
fn verb(relation: &str, negated: bool) -> String {
    let rest = relation.strip_prefix("is").unwrap_or(relation);
    if negated {
        format!("is not{rest} ")
    } else {
        format!("is{rest} ")
    }
}

fn value_text(value: &Value, text: Option<&str>) -> String {
    match &value.kind {
        ValueKind::String(s) => s.value.to_string(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number => text
            .and_then(|t| t.get(value.range.as_usize()))
            .map_or_else(|| "a number".to_string(), str::to_string),
        ValueKind::Null => "null".to_string(),
        _ => "a value".to_string(),
    }
}

/// `a`, `a or b`, `a, b or c`; past `shown` values, `…, and N more`.
fn list(values: &[String], conjunction: &str, shown: Shown) -> String {
    if values.is_empty() {
        return "nothing".to_string();
    }
    let limit = shown.0.unwrap_or(usize::MAX).max(1);
    if values.len() > limit {
        let named = values[..limit].join(", ");
        return format!("{named}, {conjunction} {} more", values.len() - limit);
    }
    match values {
        [only] => only.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
        [] => unreachable!(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Statement;
    use crate::syntax::parse;

    fn phrases(condition: &str, shown: Shown) -> Vec<String> {
        let text = format!(
            r#"{{"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {condition}}}"#
        );
        let parse = parse(&text);
        let statement = Statement::new(parse.root.as_ref().unwrap()).unwrap();
        describe(&statement.conditions(), Some(&text), shown)
    }

    #[test]
    fn each_operator_in_words() {
        let all = Shown(None);
        for (condition, expected) in [
            (
                r#"{"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}}"#,
                "for every principal except those whose aws:PrincipalArn is like arn:aws:iam::*:role/OrgAdmin",
            ),
            (
                r#"{"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
                "only in regions other than eu-west-1",
            ),
            (
                r#"{"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}"#,
                "only in regions other than eu-west-1 and eu-central-1",
            ),
            (
                r#"{"StringEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}"#,
                "only in us-east-1 or us-west-2",
            ),
            (
                r#"{"StringNotLike": {"aws:RequestedRegion": "eu-*"}}"#,
                "only when aws:RequestedRegion is not like eu-*",
            ),
            (
                r#"{"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/A", "arn:aws:iam::*:role/B"]}}"#,
                "only for principals whose aws:PrincipalArn is like arn:aws:iam::*:role/A or arn:aws:iam::*:role/B",
            ),
            (
                r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}"#,
                "for every principal except those whose aws:PrincipalOrgID is o-abc",
            ),
            (
                r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#,
                "only when aws:MultiFactorAuthPresent is false",
            ),
            (
                r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}"#,
                "only when aws:MultiFactorAuthPresent is false, or when aws:MultiFactorAuthPresent is absent",
            ),
            (
                r#"{"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}"#,
                "only when aws:MultiFactorAuthAge is greater than 3600",
            ),
            (
                r#"{"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}}"#,
                "only for requests from outside 192.0.2.0/24 and 203.0.113.0/24",
            ),
            (
                r#"{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#,
                "only for requests from 192.0.2.0/24",
            ),
            (
                r#"{"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": "ops"}}"#,
                "for every principal except those whose aws:PrincipalTag/team is ops (ignoring case)",
            ),
            (
                r#"{"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}"#,
                "only when aws:CurrentTime is after 2026-01-01T00:00:00Z",
            ),
            (
                r#"{"StringNotEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}"#,
                "only when aws:CalledVia is not cloudformation.amazonaws.com",
            ),
            (
                r#"{"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}"#,
                "only when some value of aws:CalledVia is cloudformation.amazonaws.com",
            ),
            (
                r#"{"Null": {"aws:SourceVpc": "maybe"}}"#,
                "only when its Null condition on aws:SourceVpc matches",
            ),
            (
                r#"{"StringEqual": {"aws:SourceVpc": "vpc-1"}}"#,
                "only when its condition on aws:SourceVpc matches",
            ),
        ] {
            assert_eq!(
                phrases(condition, all),
                vec![expected.to_string()],
                "{condition}"
            );
        }
    }

    #[test]
    fn only_what_depends_on_the_request_and_short_lists_when_asked() {
        // The tag condition always matches a Support request (negated, absent key): left out.
        let condition = r#"{"StringNotEquals": {"aws:ResourceTag/env": "dev", "aws:RequestedRegion": ["a", "b", "c", "d", "e"]}, "ArnNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/Admin"}}"#;
        assert_eq!(
            join(&phrases(condition, Shown(Some(3)))),
            "only in regions other than a, b, c, and 2 more, and for every principal except those whose aws:PrincipalARN is like arn:aws:iam::*:role/Admin"
        );
        assert_eq!(
            phrases(condition, Shown(None))[0],
            "only in regions other than a, b, c, d and e"
        );
    }
}
