//! Abbreviation matching for completion: `desclev` finds `DescribeSupportLevel`, `supcon`
//! finds `support-console`. Each typed character either continues the previous match or
//! starts a word of the name (a capital after a lower-case letter or digit, the capital that
//! starts a word after an acronym, a digit run, or the character after `-`, `_`, `.`, `:`).
//! ASCII case is ignored. No allocation.
//!
//! Candidates are ranked by [`abbreviation_rank`]: the name whose words the query starts
//! most completely first (`desclev` starts two of `DescribeSupportLevel`'s three words and two
//! of `DescribeSeverityLevels`'s three), then the shorter name (`DescribeSupportLevel`, whose
//! initials `d…s…l` are all the query has), then the name.

/// Longest name and query handled; longer ones never match (no IAM name is that long).
const MAX_NAME: usize = 128;
const MAX_QUERY: usize = 64;

fn is_word_start(name: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let (prev, cur) = (name[i - 1], name[i]);
    let next = name.get(i + 1).copied();
    if matches!(prev, b'-' | b'_' | b'.' | b':' | b'/') {
        return cur.is_ascii_alphanumeric();
    }
    if cur.is_ascii_digit() {
        return !prev.is_ascii_digit();
    }
    if cur.is_ascii_uppercase() {
        return prev.is_ascii_lowercase()
            || prev.is_ascii_digit()
            || (prev.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()));
    }
    false
}

/// Whether every character of `query` matches `name` in order, each one either right after
/// the previous match or at the start of a word.
pub(crate) fn abbreviation_match(query: &str, name: &str) -> bool {
    let (q, n) = (query.as_bytes(), name.as_bytes());
    if q.is_empty() {
        return true;
    }
    if q.len() > MAX_QUERY || n.len() > MAX_NAME || q.len() > n.len() {
        return false;
    }
    let mut starts = 0u128;
    for i in 0..n.len() {
        if is_word_start(n, i) {
            starts |= 1 << i;
        }
    }
    // Bit `pos` of failed[qi]: matching q[qi..] after a match ending at `pos` is known to fail.
    let mut failed = [0u128; MAX_QUERY];
    search(q, n, starts, 0, 0, &mut failed)
}

/// How well `query` abbreviates `name`, lower first: the words of the name that no query
/// character starts (over the best alignment), then the name's length. `None` when it does not
/// match at all.
pub(crate) fn abbreviation_rank(query: &str, name: &str) -> Option<(usize, usize)> {
    let (q, n) = (query.as_bytes(), name.as_bytes());
    if q.len() > MAX_QUERY || n.len() > MAX_NAME || q.len() > n.len() {
        return None;
    }
    let words = (0..n.len()).filter(|&i| is_word_start(n, i)).count();
    let started = most_word_starts(q, n)?;
    Some((words - started, n.len()))
}

/// The largest number of query characters matched at word starts, over every alignment the
/// matching rule allows (dynamic programming over query index × name position).
fn most_word_starts(q: &[u8], n: &[u8]) -> Option<usize> {
    if q.is_empty() {
        return Some(0);
    }
    // best[qi][pos]: the most word starts matching q[qi..] with the previous character matched
    // at pos - 1 (so n[pos] may continue it); None when impossible. Filled from the end.
    let mut best = vec![vec![None::<usize>; n.len() + 1]; q.len() + 1];
    for row in best[q.len()].iter_mut() {
        *row = Some(0);
    }
    for qi in (0..q.len()).rev() {
        // The best word-start match of q[qi] at some j >= pos, computed right to left.
        let mut start_from: Option<usize> = None;
        for pos in (0..n.len()).rev() {
            if is_word_start(n, pos) && n[pos].eq_ignore_ascii_case(&q[qi]) {
                let here = best[qi + 1][pos + 1].map(|b| b + 1);
                start_from = start_from.max(here);
            }
            let continued = if qi > 0 && n[pos].eq_ignore_ascii_case(&q[qi]) {
                best[qi + 1][pos + 1]
            } else {
                None
            };
            best[qi][pos] = start_from.max(continued);
        }
    }
    best[0][0]
}

fn search(
    q: &[u8],
    n: &[u8],
    starts: u128,
    qi: usize,
    pos: usize,
    failed: &mut [u128; MAX_QUERY],
) -> bool {
    if qi == q.len() {
        return true;
    }
    if pos >= n.len() || failed[qi] & (1 << pos) != 0 {
        return false;
    }
    let c = q[qi];
    // Continue the current word (not for the first character: that must start a word).
    if qi > 0 && n[pos].eq_ignore_ascii_case(&c) && search(q, n, starts, qi + 1, pos + 1, failed) {
        return true;
    }
    for j in pos..n.len() {
        if starts & (1 << j) != 0
            && n[j].eq_ignore_ascii_case(&c)
            && search(q, n, starts, qi + 1, j + 1, failed)
        {
            return true;
        }
    }
    failed[qi] |= 1 << pos;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations() {
        for (query, name) in [
            ("desclev", "DescribeSupportLevel"),
            ("DSL", "DescribeSupportLevel"),
            ("dsuplev", "DescribeSupportLevel"),
            ("describe", "DescribeCases"),
            ("", "Anything"),
            ("supcon", "support-console"),
            ("sc", "support-console"),
            ("getec2", "GetEC2InstanceRecommendations"),
            ("getinst", "GetEC2InstanceRecommendations"),
            ("ec2inst", "GetEC2InstanceRecommendations"),
            ("aws", "AssociateViaAWSService-EventsAndStates"),
            ("events", "AssociateViaAWSService-EventsAndStates"),
        ] {
            assert!(abbreviation_match(query, name), "{query} ~ {name}");
        }
        for (query, name) in [
            ("desc", "BatchUpdateRecommendationResourceExclusion"),
            ("escribe", "DescribeCases"),
            ("lve", "DescribeSupportLevel"),
            ("xyz", "DescribeCases"),
            ("describecasesx", "DescribeCases"),
            ("é", "DescribeCases"),
        ] {
            assert!(!abbreviation_match(query, name), "{query} !~ {name}");
        }
        let long = "a".repeat(200);
        assert!(!abbreviation_match("a", &long));
        assert!(!abbreviation_match(&long, "a"));
    }

    #[test]
    fn the_rank_agrees_with_the_match() {
        let names = [
            "DescribeSupportLevel",
            "DescribeSeverityLevels",
            "GetEC2InstanceRecommendations",
            "support-console",
            "AssociateViaAWSService-EventsAndStates",
            "aaa",
        ];
        for query in [
            "desclev", "dsl", "des", "ec2inst", "sc", "aws", "aa", "a", "x", "",
        ] {
            for name in names {
                assert_eq!(
                    abbreviation_rank(query, name).is_some(),
                    abbreviation_match(query, name),
                    "{query} ~ {name}"
                );
            }
        }
    }

    #[test]
    fn word_initials_rank_first() {
        // (query, candidates in the expected order)
        for (query, expected) in [
            (
                "desclev",
                &["DescribeSupportLevel", "DescribeSeverityLevels"][..],
            ),
            ("dsl", &["DescribeSupportLevel", "DescribeSeverityLevels"]),
            // Every word started beats a shorter name with a word left out.
            (
                "dc",
                &[
                    "DescribeCases",
                    "DescribeCommunications",
                    "DescribeSupportCase",
                ],
            ),
        ] {
            let mut got = expected.to_vec();
            got.reverse();
            got.sort_by_key(|name| (abbreviation_rank(query, name), *name));
            assert_eq!(got, expected, "{query}");
        }
        assert_eq!(
            abbreviation_rank("dsl", "DescribeSupportLevel"),
            Some((0, 20))
        );
        assert_eq!(
            abbreviation_rank("desclev", "DescribeSupportLevel"),
            Some((1, 20))
        );
        assert_eq!(abbreviation_rank("desclev", "DescribeCases"), None);
    }
}
