//! The declared key a misspelt one most likely meant (`valid_untill` →
//! `valid_until`, `holdr` → `holder`), so a typo is answered with the fix
//! instead of a missing value.

/// The candidate closest to `word` by Damerau–Levenshtein distance, when it
/// is close enough to be a typo: one edit for words up to 4 characters,
/// two for longer ones. Ties go to the first candidate; an exact match is
/// not a misspelling and gives `None`.
pub fn nearest<'k>(word: &str, candidates: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let word = word.trim().to_lowercase();
    let allowed = if word.chars().count() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&word, &candidate.to_lowercase());
        let better = best.is_none_or(|(d, _)| distance < d);
        if distance <= allowed && better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 5] = ["type", "holder", "file", "sha256", "fields"];

    #[test]
    fn typos_find_their_key() {
        assert_eq!(nearest("holdr", KEYS), Some("holder"));
        assert_eq!(nearest("Holder", KEYS), Some("holder"));
        assert_eq!(nearest("feilds", KEYS), Some("fields"));
        assert_eq!(
            nearest("valid_untill", ["name", "number", "valid_until"]),
            Some("valid_until")
        );
        assert_eq!(nearest("nmae", ["name", "number"]), Some("name"));
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert_eq!(nearest("remarks", KEYS), None);
        assert_eq!(nearest("id", ["name", "number"]), None);
        assert_eq!(nearest("typo", ["type", "tips"]), Some("type"));
        assert_eq!(nearest("", KEYS), None);
    }
}
