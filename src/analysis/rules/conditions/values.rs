//! The values of one condition key: `condition-value-type` (a value that cannot be of the
//! operator's or the key's type), `private-source-ip` and `wildcard-without-like`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::formats::{ip_range, is_base64, is_bool, is_date, is_number, is_private};
use super::{rename_operator, sub_range};
use crate::analysis::json_edit::replace_string;
use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding, Fix, Severity};
use crate::catalog::{ConditionKeyMatch, ConditionOperator, OperatorFamily, ValueType};
use crate::policy::{ConditionBlock, ConditionEntry};
use crate::syntax::{Str, Value, ValueKind};

/// What a value must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expected {
    Number,
    Date,
    Bool,
    IpRange,
    Base64,
    Arn,
}

impl Expected {
    fn describe(self) -> &'static str {
        match self {
            Expected::Number => "a number (an integer or a decimal)",
            Expected::Date => "a date (ISO 8601, e.g. 2025-01-01T00:00:00Z) or epoch seconds",
            Expected::Bool => "true or false",
            Expected::IpRange => "an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24)",
            Expected::Base64 => "a base64 string",
            Expected::Arn => "an ARN (arn:partition:service:region:account:resource)",
        }
    }

    fn accepts(self, text: &str) -> bool {
        match self {
            Expected::Number => is_number(text),
            Expected::Date => is_date(text),
            Expected::Bool => is_bool(text),
            Expected::IpRange => ip_range(text).is_some(),
            Expected::Base64 => is_base64(text),
            Expected::Arn => text.starts_with("arn:") || text.starts_with('*'),
        }
    }
}

pub(super) fn check(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    operator: ConditionOperator,
    entry: &ConditionEntry,
    key: Option<ConditionKeyMatch>,
    sink: &mut Sink,
) {
    if sink.wants(Code::ConditionValueType) {
        check_types(text, operator, entry, key, sink);
    }
    if sink.wants(Code::PrivateSourceIp)
        && operator.family() == OperatorFamily::IpAddress
        && entry.key.value.eq_ignore_ascii_case("aws:SourceIp")
    {
        check_private(text, blocks, index, entry, sink);
    }
    if sink.wants(Code::MultipleBoolValues)
        && operator.family() == OperatorFamily::Bool
        && entry.values.len() > 1
    {
        sink.push(Finding::new(
            Code::MultipleBoolValues,
            entry.key.range,
            format!(
                "\"{}\" has {} values: a Boolean key has one, true or false (with both, the condition always matches); keep the one you mean",
                entry.key.value,
                entry.values.len()
            ),
        ));
    }
    if sink.wants(Code::InvalidVpcId) {
        check_vpc_ids(entry, sink);
    }
    if sink.wants(Code::IpHostBits) && operator.family() == OperatorFamily::IpAddress {
        check_host_bits(text, entry, sink);
    }
    if sink.wants(Code::WildcardWithoutLike) && operator.family() == OperatorFamily::String {
        check_wildcards(text, blocks, index, operator, entry, sink);
    }
}

/// A value's text: a string's value, a number's or boolean's JSON text.
fn value_text<'t>(text: &'t str, value: &'t Value) -> Option<&'t str> {
    match &value.kind {
        ValueKind::String(s) => Some(&s.value),
        ValueKind::Number | ValueKind::Bool(_) => text.get(value.range.as_usize()),
        _ => None,
    }
}

fn check_types(
    text: &str,
    operator: ConditionOperator,
    entry: &ConditionEntry,
    key: Option<ConditionKeyMatch>,
    sink: &mut Sink,
) {
    let from_operator = match operator.family() {
        OperatorFamily::Numeric => Some(Expected::Number),
        OperatorFamily::Date => Some(Expected::Date),
        OperatorFamily::Bool | OperatorFamily::Null => Some(Expected::Bool),
        OperatorFamily::IpAddress => Some(Expected::IpRange),
        OperatorFamily::Binary => Some(Expected::Base64),
        OperatorFamily::Arn => Some(Expected::Arn),
        OperatorFamily::String => None,
    };
    // String operators compare text: only a Bool or Numeric key's values have a form.
    let from_key = match key.map(|k| k.value_type()) {
        Some(ValueType::Bool) => Some(Expected::Bool),
        Some(ValueType::Numeric) => Some(Expected::Number),
        _ => None,
    };
    let expected = match (from_operator, from_key) {
        (Some(e), _) => e,
        (None, Some(e)) => e,
        (None, None) => return,
    };
    let by_key = from_operator.is_none();
    for &value in &entry.values {
        let Some(written) = value_text(text, value) else {
            continue;
        };
        // `<my-corporate-cidr>`: an example's placeholder, to be filled in.
        if written.starts_with('<') && written.ends_with('>') {
            continue;
        }
        let is_string = matches!(value.kind, ValueKind::String(_));
        let has_variable = written.contains("${");
        // Variables are substituted in String and ARN conditions (and, per the IAM guide, Bool).
        let variable_ok = matches!(expected, Expected::Arn | Expected::Bool) || by_key;
        if has_variable && variable_ok {
            continue;
        }
        if by_key && written.contains(['*', '?']) {
            continue;
        }
        let accepted = match (&value.kind, expected) {
            (ValueKind::Bool(_), Expected::Bool) => true,
            (ValueKind::Bool(_), _) => false,
            (ValueKind::Number, Expected::Number | Expected::Date) => true,
            (ValueKind::Number, _) => false,
            _ => !has_variable && expected.accepts(written),
        };
        if accepted {
            continue;
        }
        let shown = if is_string {
            format!("\"{written}\"")
        } else {
            written.to_string()
        };
        let message = if has_variable {
            format!(
                "{shown}: policy variables are not substituted in {} conditions, so the value stays literal; write {}",
                operator.base.name,
                expected.describe()
            )
        } else if by_key {
            format!(
                "{shown} can never equal a value of \"{}\", which is {}",
                entry.key.value,
                expected.describe()
            )
        } else {
            format!(
                "{shown} is not {}, as {} requires: the condition can never match it",
                expected.describe(),
                operator.base.name
            )
        };
        sink.push(Finding::new(Code::ConditionValueType, value.range, message));
    }
}

/// Private ranges in `aws:SourceIp`, which holds the caller's public address (and is absent
/// for calls through a VPC endpoint): they never match.
fn check_private(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    entry: &ConditionEntry,
    sink: &mut Sink,
) {
    let strings: Vec<&Str> = entry.values.iter().filter_map(|v| v.as_str()).collect();
    let private: Vec<&Str> = strings
        .iter()
        .copied()
        .filter(|s| ip_range(&s.value).is_some_and(|(a, p)| is_private(a, p)))
        .collect();
    if private.is_empty() {
        return;
    }
    let operator = &blocks[index].operator.value;
    if private.len() == strings.len() && strings.len() == entry.values.len() {
        let consequence = if operator.starts_with("Not") || operator.contains(":Not") {
            "NotIpAddress on it is always true and restricts nothing"
        } else {
            "the condition never matches"
        };
        sink.push(Finding::new(
            Code::PrivateSourceIp,
            entry.key.range,
            format!(
                "aws:SourceIp is the caller's public address, never a private one: {consequence}; for addresses inside a VPC use aws:VpcSourceIp"
            ),
        ));
        return;
    }
    let member = entry.member;
    for s in private {
        let edits = replace_string(text, member, s, &[] as &[&str]);
        let mut finding = Finding::new(
            Code::PrivateSourceIp,
            s.range,
            format!(
                "\"{}\" is a private range: aws:SourceIp never holds one, so this value never matches; for addresses inside a VPC use aws:VpcSourceIp",
                s.value
            ),
        )
        .severity(Severity::Information);
        if !edits.is_empty() {
            finding = finding.fix(Fix::quick("Remove the private range", edits));
        }
        sink.push(finding);
    }
}

/// `*` and `?` are literal in `StringEquals`-family values: IAM matches them as written.
fn check_wildcards(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    operator: ConditionOperator,
    entry: &ConditionEntry,
    sink: &mut Sink,
) {
    let base = operator.base.name;
    let like = match base {
        "StringEquals" => Some("StringLike"),
        "StringNotEquals" => Some("StringNotLike"),
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => None,
        _ => return,
    };
    for &value in &entry.values {
        let Some(s) = value.as_str() else { continue };
        let Some(at) = wildcard_position(&s.value) else {
            continue;
        };
        let mut finding = Finding::new(
            Code::WildcardWithoutLike,
            sub_range(text, s, at, at + 1),
            format!(
                "\"{}\" has a wildcard, but {base} compares it literally: only a value with this very character matches; use {} to match a pattern",
                s.value,
                like.unwrap_or("StringLike (which is case-sensitive)")
            ),
        );
        if let Some(like) = like {
            let written = &*blocks[index].operator.value;
            let renamed = written.replacen(base, like, 1);
            if renamed != written
                && let Some(edit) = rename_operator(text, blocks, index, &renamed)
            {
                finding = finding.fix(Fix::quick(format!("Change to \"{renamed}\""), vec![edit]));
            }
        }
        sink.push(finding);
    }
}

/// The first `*` or `?` outside `${…}`.
fn wildcard_position(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            match value[i..].find('}') {
                Some(close) => {
                    i += close + 1;
                    continue;
                }
                None => return None,
            }
        }
        if matches!(bytes[i], b'*' | b'?') {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `aws:SourceVpc` holds `vpc-` and `aws:SourceVpce` `vpce-`, then 8 or 17 letters and digits.
fn check_vpc_ids(entry: &ConditionEntry, sink: &mut Sink) {
    let key = &*entry.key.value;
    let prefix = if key.eq_ignore_ascii_case("aws:SourceVpc") {
        "vpc-"
    } else if key.eq_ignore_ascii_case("aws:SourceVpce") {
        "vpce-"
    } else {
        return;
    };
    for &value in &entry.values {
        let Some(s) = value.as_str() else { continue };
        let id = &*s.value;
        if id.contains(['*', '?', '<']) || id.contains("${") {
            continue;
        }
        let valid = id.strip_prefix(prefix).is_some_and(|rest| {
            matches!(rest.len(), 8 | 17) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if !valid {
            sink.push(Finding::new(
                Code::InvalidVpcId,
                s.range,
                format!(
                    "\"{id}\" is not a {} ID ({prefix} and 8 or 17 letters and digits): {key} never has this value",
                    if prefix == "vpc-" { "VPC" } else { "VPC endpoint" }
                ),
            ));
        }
    }
}

/// `203.0.113.5/24`: IAM ignores the bits after the prefix; write the network address.
fn check_host_bits(text: &str, entry: &ConditionEntry, sink: &mut Sink) {
    for &value in &entry.values {
        let Some(s) = value.as_str() else { continue };
        if !s.value.contains('/') {
            continue;
        }
        let Some((address, prefix)) = ip_range(&s.value) else {
            continue;
        };
        let network = network_address(address, prefix);
        if network == address {
            continue;
        }
        let written = format!("{network}/{prefix}");
        let mut finding = Finding::new(
            Code::IpHostBits,
            s.range,
            format!(
                "\"{}\" has host bits set: IAM reads it as {written}",
                s.value
            ),
        );
        let content = s.content_range();
        if text.get(content.as_usize()) == Some(&*s.value) {
            finding = finding.fix(
                Fix::replace(format!("Change to \"{written}\""), content, written).preferred(),
            );
        }
        sink.push(finding);
    }
}

fn network_address(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}
