//! Edit distance, for did-you-mean suggestions.

/// Edit distance, ignoring ASCII case (adjacent transpositions count as one edit).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    crate::catalog::edit_distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The candidates closest to `word`, at most `max_distance` edits away, best first.
pub(crate) fn closest<'c>(word: &str, candidates: &[&'c str], max_distance: usize) -> Vec<&'c str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= max_distance)
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    let best = scored.first().map(|(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| Some(*d) == best)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("Alow", "Allow"), 1);
        assert_eq!(edit_distance("allow", "Allow"), 0);
        assert_eq!(edit_distance("Actions", "Action"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("Actions", &["Action", "NotAction", "Resource"], 2),
            vec!["Action"]
        );
        assert!(closest("zzz", &["Action"], 2).is_empty());
    }
}
