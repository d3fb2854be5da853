//! Condition operators: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Numeric,
    Date,
    Boolean,
    Binary,
    IpAddress,
    Arn,
    /// `Null` compares presence, with `true`/`false`.
    Presence,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseOperator {
    pub name: &'static str,
    pub value_type: ValueType,
    /// True for operators that match when the key's value is NOT among the policy's values
    /// (and therefore also when the key is absent from the request).
    pub negated: bool,
    pub summary: &'static str,
}

const fn op(
    name: &'static str,
    value_type: ValueType,
    negated: bool,
    summary: &'static str,
) -> BaseOperator {
    BaseOperator {
        name,
        value_type,
        negated,
        summary,
    }
}

use ValueType::*;

pub const BASE_OPERATORS: &[BaseOperator] = &[
    op(
        "StringEquals",
        String,
        false,
        "Exact, case-sensitive string match.",
    ),
    op(
        "StringNotEquals",
        String,
        true,
        "Matches when the value differs from every listed string (case-sensitive), or the key is absent.",
    ),
    op(
        "StringEqualsIgnoreCase",
        String,
        false,
        "String match ignoring case.",
    ),
    op(
        "StringNotEqualsIgnoreCase",
        String,
        true,
        "Matches when the value differs from every listed string ignoring case, or the key is absent.",
    ),
    op(
        "StringLike",
        String,
        false,
        "Case-sensitive match with `*` and `?` wildcards.",
    ),
    op(
        "StringNotLike",
        String,
        true,
        "Matches when the value matches none of the wildcard patterns, or the key is absent.",
    ),
    op(
        "NumericEquals",
        Numeric,
        false,
        "Number equal to a listed value.",
    ),
    op(
        "NumericNotEquals",
        Numeric,
        true,
        "Number different from every listed value, or the key is absent.",
    ),
    op(
        "NumericLessThan",
        Numeric,
        false,
        "Number less than the value.",
    ),
    op(
        "NumericLessThanEquals",
        Numeric,
        false,
        "Number less than or equal to the value.",
    ),
    op(
        "NumericGreaterThan",
        Numeric,
        false,
        "Number greater than the value.",
    ),
    op(
        "NumericGreaterThanEquals",
        Numeric,
        false,
        "Number greater than or equal to the value.",
    ),
    op(
        "DateEquals",
        Date,
        false,
        "Date equal to the value (ISO 8601 or epoch seconds).",
    ),
    op(
        "DateNotEquals",
        Date,
        true,
        "Date different from every listed value, or the key is absent.",
    ),
    op("DateLessThan", Date, false, "Date before the value."),
    op(
        "DateLessThanEquals",
        Date,
        false,
        "Date at or before the value.",
    ),
    op("DateGreaterThan", Date, false, "Date after the value."),
    op(
        "DateGreaterThanEquals",
        Date,
        false,
        "Date at or after the value.",
    ),
    op(
        "Bool",
        Boolean,
        false,
        "Boolean match against `true` or `false`.",
    ),
    op(
        "BinaryEquals",
        Binary,
        false,
        "Byte-for-byte match of a base64-encoded value.",
    ),
    op(
        "IpAddress",
        IpAddress,
        false,
        "Source IP address within one of the listed CIDR ranges.",
    ),
    op(
        "NotIpAddress",
        IpAddress,
        true,
        "Source IP address outside every listed CIDR range, or the key is absent.",
    ),
    op(
        "ArnEquals",
        Arn,
        false,
        "Case-sensitive ARN match, each of the six ARN parts compared separately (wildcards allowed).",
    ),
    op(
        "ArnLike",
        Arn,
        false,
        "Case-sensitive ARN match with `*` and `?` wildcards in each ARN part.",
    ),
    op(
        "ArnNotEquals",
        Arn,
        true,
        "Matches when the ARN matches none of the listed ARNs, or the key is absent.",
    ),
    op(
        "ArnNotLike",
        Arn,
        true,
        "Matches when the ARN matches none of the wildcard ARNs, or the key is absent.",
    ),
    op(
        "Null",
        Presence,
        false,
        "`true`: the key is absent from the request; `false`: the key is present (any value).",
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetQualifier {
    /// Every value in the request must match (vacuously true when the key is absent).
    ForAllValues,
    /// At least one value in the request must match (false when the key is absent).
    ForAnyValue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    pub set: Option<SetQualifier>,
    pub base: &'static BaseOperator,
    /// `…IfExists`: the condition also matches when the key is absent.
    pub if_exists: bool,
}

/// Parses an operator name exactly as written (IAM's names are case-sensitive).
pub fn parse_operator(text: &str) -> Option<Operator> {
    let (set, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::ForAllValues), rest)
    } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::ForAnyValue), rest)
    } else {
        (None, text)
    };
    let (name, if_exists) = match rest.strip_suffix("IfExists") {
        Some(name) if name != "Null" => (name, true),
        _ => (rest, false),
    };
    let base = BASE_OPERATORS.iter().find(|op| op.name == name)?;
    Some(Operator {
        set,
        base,
        if_exists,
    })
}

/// Every operator name without a set qualifier: the bases and their `IfExists` forms.
pub fn all_operator_names() -> impl Iterator<Item = std::string::String> {
    BASE_OPERATORS.iter().flat_map(|op| {
        let if_exists = (op.name != "Null").then(|| format!("{}IfExists", op.name));
        std::iter::once(op.name.to_string()).chain(if_exists)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualified_operators() {
        let op = parse_operator("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert_eq!(op.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base.name, "StringNotLike");
        assert!(op.base.negated && op.if_exists);
        assert_eq!(parse_operator("Null").unwrap().base.value_type, Presence);
        assert!(parse_operator("NullIfExists").is_none());
        assert!(parse_operator("stringequals").is_none());
        assert!(parse_operator("StringEqual").is_none());
        assert!(parse_operator("ForAllValues:").is_none());
        assert_eq!(all_operator_names().count(), 27 + 26);
    }
}
