//! Edit distance, for did-you-mean suggestions.

/// Levenshtein distance over ASCII-case-folded characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().map(|c| c.to_ascii_lowercase()).enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidates closest to `word`, at most `max_distance` edits away, best first.
pub fn closest<'c>(word: &str, candidates: &[&'c str], max_distance: usize) -> Vec<&'c str> {
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
