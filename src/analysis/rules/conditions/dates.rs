//! `ambiguous-date`: a Date condition value that IAM accepts but that may not mean what it
//! reads as (IAM Access Analyzer's "Invalid date value": "might not resolve as expected", use
//! the W3C date formats). Epoch seconds (`1735689600`), a bare four-digit number (`2021`: the
//! year, or 2021 seconds after 1970?) and a time without a time zone
//! (`2025-01-01T10:00:00`). Keys whose values are epoch seconds (`aws:EpochTime`, which also
//! takes Numeric operators) are left alone, and so are values `condition-value-type` reports.

use super::formats::{is_date, is_epoch};
use crate::analysis::{Code, Finding, Fix};
use crate::catalog::{ConditionKeyMatch, ConditionOperator, OperatorFamily, ValueType};
use crate::policy::ConditionEntry;
use crate::syntax::{Value, ValueKind};

pub(super) fn check(
    text: &str,
    operator: ConditionOperator,
    entry: &ConditionEntry,
    key: Option<ConditionKeyMatch>,
    push: &mut dyn FnMut(Finding),
) {
    if operator.family() != OperatorFamily::Date {
        return;
    }
    if let Some(ConditionKeyMatch::Global(g)) = key
        && g.also_accepts.contains(&ValueType::Numeric)
    {
        return;
    }
    for &value in &entry.values {
        if let Some(finding) = check_value(text, value) {
            push(finding);
        }
    }
}

fn check_value(text: &str, value: &Value) -> Option<Finding> {
    let written = match &value.kind {
        ValueKind::String(s) if s.terminated => &*s.value,
        ValueKind::Number => text.get(value.range.as_usize())?,
        _ => return None,
    };
    let (problem, rewritten) = if is_epoch(written) && written.len() == 4 {
        let rewritten = format!("{written}-01-01T00:00:00Z");
        (
            format!(
                "\"{written}\" may be read as the year {written} or as {written} seconds after 1970-01-01 (epoch time): write the date in full"
            ),
            rewritten,
        )
    } else if is_epoch(written) {
        let rewritten = epoch_to_iso(written)?;
        (
            format!(
                "{written} is epoch seconds, which may not resolve as expected: AWS recommends the W3C date format ({rewritten})"
            ),
            rewritten,
        )
    } else if let Some(local) = without_time_zone(written) {
        (
            format!(
                "\"{written}\" has a time but no time zone, so the instant it names is not certain: add Z (UTC) or an offset such as +01:00"
            ),
            format!("{local}Z"),
        )
    } else {
        return None;
    };
    let fix = Fix::replace(
        format!("Change to \"{rewritten}\""),
        value.range,
        format!("\"{rewritten}\""),
    );
    Some(Finding::new(Code::AmbiguousDate, value.range, problem).fix(fix))
}

/// A valid date with a time and no time zone (`2025-01-01T10:00:00`): the text itself.
fn without_time_zone(written: &str) -> Option<&str> {
    let time = written.get(11..)?;
    let zoned = time.ends_with(['Z', 'z']) || time.contains(['+', '-']);
    (!zoned && is_date(written)).then_some(written)
}

/// Epoch seconds as `YYYY-MM-DDThh:mm:ssZ` (proleptic Gregorian, UTC); `None` past year 9999.
fn epoch_to_iso(seconds: &str) -> Option<String> {
    let seconds: u64 = seconds.parse().ok()?;
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days)?;
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    ))
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`, for days ≥ 0).
fn civil_from_days(days: u64) -> Option<(u64, u64, u64)> {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year <= 9999).then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_in_w3c_form() {
        for (epoch, iso) in [
            ("0", "1970-01-01T00:00:00Z"),
            ("1735689600", "2025-01-01T00:00:00Z"),
            ("951782400", "2000-02-29T00:00:00Z"),
            ("1709251199", "2024-02-29T23:59:59Z"),
            ("253402300799", "9999-12-31T23:59:59Z"),
        ] {
            assert_eq!(epoch_to_iso(epoch).as_deref(), Some(iso), "{epoch}");
        }
        assert_eq!(epoch_to_iso("253402300800"), None);
        assert_eq!(epoch_to_iso("99999999999999999999999"), None);
    }

    #[test]
    fn times_without_a_time_zone() {
        assert!(without_time_zone("2025-01-01T10:00:00").is_some());
        assert!(without_time_zone("2025-01-01T10:00").is_some());
        for zoned in [
            "2025-01-01T10:00:00Z",
            "2025-01-01T10:00:00+01:00",
            "2025-01-01T10:00:00-0500",
            "2025-01-01",
            "2025",
            "not-a-dateTxx",
        ] {
            assert!(without_time_zone(zoned).is_none(), "{zoned}");
        }
    }
}
