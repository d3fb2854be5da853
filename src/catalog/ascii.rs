//! ASCII case-insensitive comparisons, without allocation. IAM names are ASCII; other bytes
//! compare exactly.

use std::cmp::Ordering;

/// Compares `a` and `b` as if both were ASCII-lower-cased.
pub(super) fn cmp_ci(a: &str, b: &str) -> Ordering {
    // A plain loop: the iterator-adaptor version dominated action lookups (binary searches
    // run it ~9 times per action of a policy).
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

    proptest::proptest! {
        #[test]
        fn cmp_ci_is_the_order_of_the_lower_cased_bytes(a in "[a-zA-Z:_-]{0,6}", b in "[a-zA-Z:_-]{0,6}") {
            let lower = |s: &str| s.bytes().map(|c| c.to_ascii_lowercase()).collect::<Vec<u8>>();
            proptest::prop_assert_eq!(cmp_ci(&a, &b), lower(&a).cmp(&lower(&b)));
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
