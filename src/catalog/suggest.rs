//! Did-you-mean: the closest actions and services by edit distance.
//!
//! The distance is the optimal-string-alignment distance (Levenshtein plus adjacent
//! transpositions, so `Levle` → `Level` is one edit) over ASCII-lower-cased bytes. It is bounded:
//! candidates whose length differs too much are skipped outright, and a row whose minimum
//! exceeds the bound stops the computation. No allocation per candidate.

use super::Catalog;
use super::actions::ActionRef;
use super::services::ServiceRef;

/// Longest string the distance handles; longer ones are never "close" to a catalogue name.
const MAX_LEN: usize = 128;

/// The edit distance allowed for a word of `len` characters.
pub(super) fn allowed_distance(len: usize) -> usize {
    match len {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    }
}

/// The case-insensitive optimal-string-alignment distance between `a` and `b`, if it is at most
/// `bound`.
pub(crate) fn edit_distance_within(a: &str, b: &str, bound: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    if a.len() > MAX_LEN || b.len() > MAX_LEN {
        return a.eq_ignore_ascii_case(b).then_some(0);
    }
    if bag_distance(a, b) > bound {
        return None;
    }
    let n = b.len();
    // Row i lives in rows[i % 3]; rows i-1 and i-2 are kept for substitutions and transpositions.
    // Cells are bytes (distances stay below MAX_LEN + 2): every call zeroes the three rows,
    // once per candidate name.
    let mut rows = [[0u8; MAX_LEN + 1]; 3];
    for (j, cell) in rows[0][..=n].iter_mut().enumerate() {
        *cell = j as u8;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as u8;
        let mut row_min = i as u8;
        let ca = a[i - 1].to_ascii_lowercase();
        for j in 1..=n {
            let cb = b[j - 1].to_ascii_lowercase();
            let cost = u8::from(ca != cb);
            let mut d = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1
                && j > 1
                && ca == b[j - 2].to_ascii_lowercase()
                && a[i - 2].to_ascii_lowercase() == cb
            {
                d = d.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = d;
            row_min = row_min.min(d);
        }
        if usize::from(row_min) > bound {
            return None;
        }
    }
    let d = usize::from(rows[a.len() % 3][n]);
    (d <= bound).then_some(d)
}

/// A lower bound of the edit distance, far cheaper than the distance itself: every edit
/// changes the count of at most one character on each side, so the characters one string has
/// more of than the other cannot be fewer than the edits.
fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    Bag::of(a).distance(&Bag::of(b))
}

/// How many characters a string of at most `MAX_LEN` bytes has of each kind: its lower-cased
/// bytes in 32 buckets (sharing a bucket only lowers the bound).
#[derive(Clone, Copy)]
pub(super) struct Bag([i16; 32]);

impl Bag {
    pub(super) fn of(bytes: &[u8]) -> Self {
        let mut counts = [0i16; 32];
        for &c in bytes {
            counts[usize::from(c.to_ascii_lowercase() & 31)] += 1;
        }
        Bag(counts)
    }

    /// The larger of what one bag has more of and what the other has more of.
    fn distance(&self, other: &Bag) -> usize {
        // In 16 bits, which the compiler turns into a few vector operations: counts are at
        // most `MAX_LEN` (longer strings are never counted), so no sum overflows.
        let (mut surplus, mut deficit) = (0i16, 0i16);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            let n = a - b;
            surplus += n.max(0);
            deficit += (-n).max(0);
        }
        surplus.max(deficit) as usize
    }
}

/// Ranks `candidates` by distance to `word`, keeping at most `max`.
fn closest<T: Copy>(
    word: &str,
    candidates: impl Iterator<Item = (T, &'static str)>,
    max: usize,
) -> Vec<T> {
    let bound = allowed_distance(word.len());
    let mut scored: Vec<(usize, usize, &'static str, T)> = candidates
        .filter_map(|(item, name)| {
            edit_distance_within(word, name, bound)
                .map(|d| (d, word.len().abs_diff(name.len()), name, item))
        })
        .collect();
    scored.sort_by(|x, y| (x.0, x.1, x.2).cmp(&(y.0, y.1, y.2)));
    scored
        .into_iter()
        .take(max)
        .map(|(.., item)| item)
        .collect()
}

impl Catalog {
    /// The actions of service `prefix` whose names are closest to `name` (best first, at
    /// most `max`), for did-you-mean. Empty when the service is unknown or nothing is close.
    pub(crate) fn suggest_actions(
        &'static self,
        prefix: &str,
        name: &str,
        max: usize,
    ) -> Vec<ActionRef> {
        match self.service(prefix) {
            Some(service) => closest(name, service.actions().map(|a| (a, a.name())), max),
            None => Vec::new(),
        }
    }

    /// The service prefixes closest to `prefix` (best first, at most `max`). The prefixes'
    /// bags are counted once, when the catalogue is decoded: an unknown service is compared
    /// with every one of them.
    pub(crate) fn suggest_services(&'static self, prefix: &str, max: usize) -> Vec<ServiceRef> {
        // Longer than any prefix can be close to (and than a bag counts).
        if prefix.len() > MAX_LEN {
            return Vec::new();
        }
        let (word, bound) = (Bag::of(prefix.as_bytes()), allowed_distance(prefix.len()));
        let candidates = self
            .services()
            .zip(self.service_bags.iter())
            .map(|(s, bag)| (s, s.prefix(), bag))
            .filter(|(_, p, bag)| {
                p.len().abs_diff(prefix.len()) <= bound && word.distance(bag) <= bound
            })
            .map(|(s, p, _)| (s, p));
        closest(prefix, candidates, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{services, suggest_actions, suggest_services};

    #[test]
    fn the_bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "cab",
            "GetObject",
            "getobjet",
            "s3",
            "sts",
            "sso",
            "ec2",
            "ecs",
            "support",
            "supprot",
            "trustedadvisor",
            "route53-recovery",
            "p0q1",
        ];
        for a in words {
            for b in words {
                let exact = edit_distance_within(a, b, usize::MAX).expect("unbounded");
                assert!(bag_distance(a.as_bytes(), b.as_bytes()) <= exact, "{a} {b}");
            }
        }
    }

    #[test]
    fn suggestions_for_any_length_of_prefix() {
        assert_eq!(
            suggest_services("supprot", 1).first().map(|s| s.prefix()),
            Some("support")
        );
        for len in [MAX_LEN, MAX_LEN + 1, 100_000] {
            let long = "a".repeat(len);
            assert!(suggest_services(&long, 3).is_empty());
            assert!(suggest_actions("s3", &long, 3).is_empty());
        }
    }

    #[test]
    fn services_suggested_with_counted_bags_are_those_of_the_plain_ranking() {
        let words = [
            "supprot",
            "trustedadviser",
            "ec",
            "s4",
            "lambdaa",
            "deepcomposer",
            "iot1click",
            "x",
            "",
        ];
        for word in words {
            let plain = closest(word, services().map(|s| (s, s.prefix())), 6);
            assert_eq!(suggest_services(word, 6), plain, "{word}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance_within("GetObject", "getobject", 3), Some(0));
        assert_eq!(edit_distance_within("GetObjet", "GetObject", 3), Some(1));
        assert_eq!(
            edit_distance_within("DescribeSupportLevle", "DescribeSupportLevel", 3),
            Some(1)
        );
        assert_eq!(edit_distance_within("kitten", "sitting", 3), Some(3));
        // The longest strings the byte-sized cells hold.
        let (a, b) = ("a".repeat(MAX_LEN), "b".repeat(MAX_LEN));
        assert_eq!(edit_distance_within(&a, &b, usize::MAX), Some(MAX_LEN));
        assert_eq!(edit_distance_within(&a, "", usize::MAX), Some(MAX_LEN));
        assert_eq!(edit_distance_within("kitten", "sitting", 2), None);
        assert_eq!(edit_distance_within("", "abc", 3), Some(3));
        assert_eq!(edit_distance_within("abc", "", 2), None);
        assert_eq!(
            edit_distance_within("ca", "abc", 3),
            Some(3),
            "OSA, not full Damerau"
        );
        assert_eq!(edit_distance_within("日本", "日本", 0), Some(0));
        let long = "x".repeat(500);
        assert_eq!(edit_distance_within(&long, &long, 1), Some(0));
        assert_eq!(edit_distance_within(&long, "x", 3), None);
    }

    #[test]
    fn suggests_actions() {
        let names = |p: &str, n: &str| -> Vec<String> {
            suggest_actions(p, n, 3)
                .iter()
                .map(|a| a.to_string())
                .collect()
        };
        assert_eq!(
            names("support", "DescribeSupportLevle")
                .first()
                .map(String::as_str),
            Some("support:DescribeSupportLevel")
        );
        assert_eq!(
            names("S3", "GetObjet").first().map(String::as_str),
            Some("s3:GetObject")
        );
        assert_eq!(
            names("trustedadvisor", "describechek")
                .first()
                .map(String::as_str),
            Some("trustedadvisor:DescribeChecks")
        );
        assert!(names("support", "CompletelyDifferent").is_empty());
        assert!(names("nosuchservice", "GetObject").is_empty());
        assert!(suggest_actions("s3", "GetObjet", 0).is_empty());
        assert!(suggest_actions("ec2", "DescribeInstance", 5).len() <= 5);
    }

    #[test]
    fn suggests_services() {
        let prefixes =
            |p: &str| -> Vec<&str> { suggest_services(p, 3).iter().map(|s| s.prefix()).collect() };
        assert_eq!(prefixes("supprot").first().copied(), Some("support"));
        assert_eq!(
            prefixes("trustedadvisr").first().copied(),
            Some("trustedadvisor")
        );
        assert_eq!(prefixes("S4").first().copied(), Some("s3"));
        assert_eq!(
            prefixes("support-consol").first().copied(),
            Some("support-console")
        );
        assert!(prefixes("qqqqqqqqqqqqqqq").is_empty());
    }
}
