//! The textual forms IAM accepts for condition values of each operator family (IAM User
//! Guide, condition operators).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An integer or decimal, with an optional sign: `10`, `-2`, `2.5`.
pub(super) fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && all_digits(whole) && all_digits(fraction)
}

/// Epoch seconds: digits only.
pub(super) fn is_epoch(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A date in the W3C profile of ISO 8601 (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
/// `YYYY-MM-DDThh:mm[:ss[.s…]][TZD]`, TZD `Z` or `±hh:mm`), with real months, days and
/// times; or epoch seconds. A missing time zone is accepted (ISO 8601 allows it).
pub(super) fn is_date(s: &str) -> bool {
    if is_epoch(s) && s.len() != 4 {
        return true;
    }
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let Some(year) = num(0, 4) else { return false };
    if b.len() == 4 {
        return true;
    }
    if b.get(4) != Some(&b'-') {
        return false;
    }
    let Some(month) = num(5, 2).filter(|m| (1..=12).contains(m)) else {
        return false;
    };
    if b.len() == 7 {
        return true;
    }
    if b.get(7) != Some(&b'-') {
        return false;
    }
    if !num(8, 2).is_some_and(|d| d >= 1 && d <= days_in_month(year, month)) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !matches!(b.get(10), Some(b'T' | b't')) {
        return false;
    }
    let time_ok = num(11, 2).is_some_and(|h| h <= 23)
        && b.get(13) == Some(&b':')
        && num(14, 2).is_some_and(|m| m <= 59);
    if !time_ok {
        return false;
    }
    let mut rest = &s[16..];
    if let Some(seconds) = rest.strip_prefix(':') {
        let ok = seconds
            .get(..2)
            .is_some_and(|p| p.bytes().all(|c| c.is_ascii_digit()) && p <= "60");
        if !ok {
            return false;
        }
        rest = &seconds[2..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            rest = &fraction[n..];
        }
    }
    is_time_zone(rest)
}

fn is_time_zone(s: &str) -> bool {
    if s.is_empty() || s == "Z" || s == "z" {
        return true;
    }
    let Some(offset) = s.strip_prefix(['+', '-']) else {
        return false;
    };
    let (h, m) = match offset.split_once(':') {
        Some(parts) => parts,
        None if offset.len() == 4 => offset.split_at(2),
        None => (offset, ""),
    };
    let two = |p: &str, max: u32| {
        p.len() == 2
            && p.bytes().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|v| v <= max)
    };
    two(h, 23) && (m.is_empty() || two(m, 59))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An IPv4 or IPv6 address or CIDR block, parsed: the address and the prefix length (the
/// whole address when there is none).
pub(super) fn ip_range(s: &str) -> Option<(IpAddr, u8)> {
    let (address, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let address: IpAddr = address.parse().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse::<u8>().ok().filter(|&n| n <= max)?
        }
        Some(_) => return None,
    };
    Some((address, prefix))
}

/// Whether the whole range lies in a private block that never appears in `aws:SourceIp`:
/// RFC 1918 and IPv6 unique local addresses (the blocks AWS's guide and IAM Access Analyzer
/// agree on; loopback and link-local are left out until verified).
pub(super) fn is_private(address: IpAddr, prefix: u8) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let blocks = [
                (Ipv4Addr::new(10, 0, 0, 0), 8),
                (Ipv4Addr::new(172, 16, 0, 0), 12),
                (Ipv4Addr::new(192, 168, 0, 0), 16),
            ];
            blocks.iter().any(|&(net, len)| {
                prefix >= len && u32::from(v4) >> (32 - len) == u32::from(net) >> (32 - len)
            })
        }
        IpAddr::V6(v6) => {
            let unique_local = Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0);
            prefix >= 7 && u128::from(v6) >> 121 == u128::from(unique_local) >> 121
        }
    }
}

/// Base64 (standard alphabet, padding optional).
pub(super) fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    let padding = s.len() - body.len();
    !s.is_empty()
        && padding <= 2
        && body.len() % 4 != 1
        && (padding == 0 || s.len().is_multiple_of(4))
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// `true` or `false`, in any case.
pub(super) fn is_bool(s: &str) -> bool {
    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in [
            "2020",
            "2020-12",
            "2020-12-01",
            "2020-02-29",
            "2020-12-01T10:00Z",
            "2020-12-01T10:00:00Z",
            "2020-12-01T10:00:00.123Z",
            "2020-12-01T10:00:00+01:00",
            "2020-12-01T10:00:00",
            "1735689600",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "not-a-date",
            "2020-13-01",
            "2021-02-29",
            "2020-12-32",
            "2020-12-01T24:00:00Z",
            "2020-12-01 10:00:00Z",
            "2020-12-01T10:00:00.Z",
            "2020-12-01T10:00:00+25:00",
            "2020-*",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_and_booleans() {
        for ok in ["10", "-2", "+3", "2.5", ".5", "5."] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", ".", "one hour", "1e3", "1,000", "0x10"] {
            assert!(!is_number(bad), "{bad}");
        }
        assert!(is_bool("True") && is_bool("false") && !is_bool("yes"));
    }

    #[test]
    fn ip_ranges() {
        assert_eq!(ip_range("203.0.113.0/24").map(|r| r.1), Some(24));
        assert_eq!(ip_range("203.0.113.7").map(|r| r.1), Some(32));
        assert_eq!(ip_range("2001:DB8:1234:5678::/64").map(|r| r.1), Some(64));
        for bad in [
            "300.1.2.3/99",
            "203.0.113.0/33",
            "10.0.0.0/",
            "10.0.0/8",
            "::/129",
            "x",
        ] {
            assert_eq!(ip_range(bad), None, "{bad}");
        }
        let private = |s: &str| {
            let (a, p) = ip_range(s).unwrap();
            is_private(a, p)
        };
        assert!(private("10.0.0.0/8") && private("172.31.2.0/24") && private("192.168.1.1"));
        assert!(private("fd00::/8"));
        assert!(!private("0.0.0.0/0") && !private("172.32.0.0/16") && !private("10.0.0.0/7"));
        assert!(!private("203.0.113.0/24") && !private("2001:db8::/32"));
    }

    #[test]
    fn base64() {
        assert!(is_base64("QmluYXJ5") && is_base64("QmluYXJ5IQ==") && is_base64("QmluYXJ5IQ"));
        assert!(!is_base64("not base64!") && !is_base64("") && !is_base64("Q"));
    }
}
