//! ASCII case-insensitive comparisons, without allocation. IAM names are ASCII; other bytes
//! compare exactly.

use std::cmp::Ordering;

/// Compares `a` and `b` as if both were ASCII-lower-cased.
pub(super) fn cmp_ci(a: &str, b: &str) -> Ordering {
    // A plain loop: in a binary search most names differ within their first bytes.
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `s` starts with `prefix`, ignoring ASCII case.
pub(super) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Eight bytes from `at` as a little-endian word (zero when fewer than eight remain: callers
/// read only whole words).
pub(super) fn word(bytes: &[u8], at: usize) -> u64 {
    let mut array = [0u8; 8];
    if let Some(chunk) = bytes.get(at..at + 8) {
        array.copy_from_slice(chunk);
    }
    u64::from_le_bytes(array)
}

/// The word with `A`–`Z` lower-cased and every other byte (non-ASCII included) kept: SWAR,
/// as in `u8::to_ascii_lowercase` for eight bytes at once.
fn lower8(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let seven = word & !HIGH;
    // Per byte, the high bit: at least `A`; above `Z`.
    let at_least_a = seven.wrapping_add(ONES * u64::from(0x80 - b'A'));
    let above_z = seven.wrapping_add(ONES * u64::from(0x80 - b'Z' - 1));
    let upper = at_least_a & !above_z & !word & HIGH;
    word | (upper >> 2)
}

/// `a.eq_ignore_ascii_case(b)`, eight bytes at a time for names of eight bytes or more:
/// every lookup of a service or an action by name ends with it.
pub(super) fn eq_ci(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if len < 8 {
        return a.eq_ignore_ascii_case(b);
    }
    let same = |at: usize| {
        let (x, y) = (word(a, at), word(b, at));
        // Most names are written as AWS writes them: equal words need no lower-casing.
        x == y || lower8(x) == lower8(y)
    };
    // Whole words, then the last eight bytes (overlapping the previous word).
    (0..len - 8).step_by(8).all(same) && same(len - 8)
}

/// The first index in `0..len` whose item is not less than `key` (case-insensitively), given
/// items sorted case-insensitively.
pub(super) fn lower_bound(len: usize, key: &str, item: impl Fn(usize) -> &'static str) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if cmp_ci(item(mid), key) == Ordering::Less {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// [`lower_bound`] over a slice sorted case-insensitively by `key_of`.
pub(super) fn lower_bound_in<T>(items: &[T], key: &str, key_of: impl Fn(&T) -> &str) -> usize {
    items.partition_point(|item| cmp_ci(key_of(item), key) == Ordering::Less)
}

/// The index of the item equal to `key` (case-insensitively), given sorted items.
pub(super) fn find(len: usize, key: &str, item: impl Fn(usize) -> &'static str) -> Option<usize> {
    let i = lower_bound(len, key, &item);
    (i < len && item(i).eq_ignore_ascii_case(key)).then_some(i)
}

/// The index range of the items that start with `prefix` (case-insensitively), given sorted
/// items.
pub(super) fn prefix_range(
    len: usize,
    prefix: &str,
    item: impl Fn(usize) -> &'static str,
) -> std::ops::Range<usize> {
    let start = lower_bound(len, prefix, &item);
    let mut end = start;
    // Items sharing a prefix are contiguous; gallop then binary-search the end.
    let (mut lo, mut hi) = (start, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if starts_with_ci(item(mid), prefix) {
            lo = mid + 1;
            end = lo;
        } else {
            hi = mid;
        }
    }
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_ignoring_ascii_case() {
        assert_eq!(cmp_ci("Support", "support"), Ordering::Equal);
        assert_eq!(cmp_ci("a", "B"), Ordering::Less);
        assert_eq!(cmp_ci("support", "support-console"), Ordering::Less);
        assert!(starts_with_ci("DescribeCases", "describe"));
        assert!(!starts_with_ci("Desc", "describe"));
        assert!(starts_with_ci("é", ""));
    }

    /// Calls `check(a, b, label)` for every pair of bytes `x`, `y` that leaves both strings
    /// UTF-8: `a` is `len_a` bytes `k` with `x` at `at`, `b` is `len_b` bytes `K` with `y`.
    fn for_every_byte_pair(shapes: &[(usize, usize, usize)], check: impl Fn(&str, &str, String)) {
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                for &(len_a, len_b, at) in shapes {
                    let mut a = vec![b'k'; len_a];
                    let mut b = vec![b'K'; len_b];
                    a[at] = x;
                    b[at] = y;
                    if let (Ok(a), Ok(b)) = (std::str::from_utf8(&a), std::str::from_utf8(&b)) {
                        check(a, b, format!("{x:#04x} {y:#04x} {len_a} {len_b} {at}"));
                    }
                }
            }
        }
    }

    #[test]
    fn eq_ci_is_eq_ignore_ascii_case_for_every_byte_pair() {
        // At the start, in the middle and at the end of names of eight bytes or more (the
        // word-wise path), and in a short name.
        let shapes = [
            (8, 8, 0),
            (8, 8, 7),
            (13, 13, 9),
            (16, 16, 8),
            (21, 21, 20),
            (5, 5, 2),
        ];
        for_every_byte_pair(&shapes, |a, b, label| {
            assert_eq!(eq_ci(a, b), a.eq_ignore_ascii_case(b), "{label}");
        });
        assert!(eq_ci("DescribeSupportLevel", "describesupportlevel"));
        assert!(!eq_ci("DescribeSupportLevel", "describesupportleve"));
        assert!(eq_ci("Ééééééééé", "Ééééééééé") && !eq_ci("Éééééééé", "éééééééé"));
    }

    fn cmp_by_definition(a: &str, b: &str) -> Ordering {
        let lower = |s: &str| {
            s.bytes()
                .map(|c| c.to_ascii_lowercase())
                .collect::<Vec<u8>>()
        };
        lower(a).cmp(&lower(b))
    }

    #[test]
    fn cmp_ci_is_the_order_of_the_lower_cased_bytes_for_every_byte_pair() {
        // At the start, in the middle and at the end, with equal and unequal lengths.
        let shapes = [
            (8, 8, 0),
            (8, 8, 7),
            (13, 13, 9),
            (16, 16, 15),
            (21, 19, 12),
            (5, 9, 2),
            (9, 5, 4),
            (1, 1, 0),
        ];
        for_every_byte_pair(&shapes, |a, b, label| {
            assert_eq!(cmp_ci(a, b), cmp_by_definition(a, b), "{label}");
        });
    }

    proptest::proptest! {
        #[test]
        fn cmp_ci_is_the_order_of_the_lower_cased_bytes(a in "[a-zA-Z:_\\-\\x00é]{0,24}", b in "[a-zA-Z:_\\-\\x00é]{0,24}") {
            proptest::prop_assert_eq!(cmp_ci(&a, &b), cmp_by_definition(&a, &b));
            // Long shared beginnings, as catalogue names have.
            let (a, b) = (format!("DescribeSomething{a}"), format!("describesomething{b}"));
            proptest::prop_assert_eq!(cmp_ci(&a, &b), cmp_by_definition(&a, &b));
        }
    }

    #[test]
    fn binary_searches() {
        static ITEMS: [&str; 5] = ["alpha", "Beta", "beta2", "gamma", "GammaRay"];
        let item = |i: usize| ITEMS[i];
        assert_eq!(find(5, "BETA", item), Some(1));
        assert_eq!(find(5, "delta", item), None);
        assert_eq!(prefix_range(5, "be", item), 1..3);
        assert_eq!(prefix_range(5, "GAMMA", item), 3..5);
        assert_eq!(prefix_range(5, "zeta", item), 5..5);
        assert_eq!(prefix_range(5, "", item), 0..5);
    }
}
