//! "Did you mean …?": the known name nearest to a misspelt one.

/// The candidate closest to `name` by edit distance, when it is close
/// enough to be a likely misspelling (at most a third of the name differs).
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn close_names_are_suggested_and_far_ones_not() {
        let known = ["valid_until", "name", "number"];
        assert_eq!(nearest("valid_untill", known), Some("valid_until"));
        assert_eq!(nearest("vaild_until", known), Some("valid_until"));
        assert_eq!(nearest("nmae", known), Some("name"));
        assert_eq!(nearest("employer", known), None);
    }
}
