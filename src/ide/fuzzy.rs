//! Abbreviation matching for completion: `desclev` finds `DescribeSupportLevel`, `supcon`
//! finds `support-console`. Each typed character either continues the previous match or
//! starts a word of the name (a capital after a lower-case letter or digit, the capital that
//! starts a word after an acronym, a digit run, or the character after `-`, `_`, `.`, `:`).
//! ASCII case is ignored. No allocation.

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
}
