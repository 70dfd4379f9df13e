//! Which bundles a waiver names: its `bundle` pattern against the bundle as
//! the user named it on the command line.
//!
//! `*` matches any run of characters within one folder name; it never
//! crosses `/`. A waiver turns failures into passes, so a pattern must not
//! reach bundles in folders the reviewer did not name: `submissions/*/acme`
//! matches `submissions/2025-06/acme`, not `submissions/2025/06/acme`, and
//! `*` alone matches only a bundle named without a folder. Everything else
//! matches literally; a leading `./` and trailing slashes are ignored on
//! both sides.
//!
//! Matching takes time linear in the lengths of the pattern and the name
//! (the old backtracking matcher took over 20 s on `*a*a*…*b`): both are
//! split at `/` and must have as many parts; within a part the literal
//! pieces between stars are found left to right, each at its first
//! occurrence, since a later one never leaves more room for the rest.

/// Whether the waiver pattern `pattern` names `bundle`.
pub fn bundle_matches(pattern: &str, bundle: &str) -> bool {
    fn clean(s: &str) -> &str {
        s.strip_prefix("./").unwrap_or(s).trim_end_matches('/')
    }
    let mut patterns = clean(pattern).split('/');
    let mut names = clean(bundle).split('/');
    loop {
        match (patterns.next(), names.next()) {
            (None, None) => return true,
            (Some(pattern), Some(name)) if part_matches(pattern, name) => {}
            _ => return false,
        }
    }
}

/// One folder name against one part of a pattern.
fn part_matches(pattern: &str, name: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        // No star: the whole name is the literal.
        return rest.is_empty();
    };
    for piece in middle {
        // `str::find` is linear (two-way search), and each search starts
        // where the previous piece ended.
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_names_and_stars_within_a_folder_name() {
        assert!(bundle_matches("bundles/a", "bundles/a/"));
        assert!(bundle_matches("./bundles/*", "bundles/a"));
        assert!(!bundle_matches("bundles/a", "bundles/ab"));
        assert!(!bundle_matches("bundles/ab", "bundles/a"));
        assert!(bundle_matches("*", "anything"));
        assert!(bundle_matches("*/fail-*", "x/fail-age"));
        assert!(bundle_matches("fail-*-age", "fail-employee-age"));
        assert!(bundle_matches("a*b*c", "abc"));
        assert!(bundle_matches("a*b*c", "a-b-b-c-c"));
        assert!(!bundle_matches("ab*ba", "aba"));
        assert!(!bundle_matches("a*b*c", "acb"));
        assert!(bundle_matches("张三*/材料", "张三_2024/材料"));
        assert!(bundle_matches("**", "a"));
    }

    #[test]
    fn a_star_never_crosses_a_slash() {
        assert!(!bundle_matches("*", "bundles/a"));
        assert!(!bundle_matches("*/fail-*", "x/y/fail-age"));
        assert!(bundle_matches("*/*/fail-*", "x/y/fail-age"));
        assert!(!bundle_matches(
            "submissions/*/acme",
            "submissions/2025/06/acme"
        ));
        assert!(!bundle_matches("bundles/a*", "bundles/a/b"));
    }

    #[test]
    fn many_stars_cost_linear_time() {
        // `*a*a*…*b` against `aaa…a` backtracked exponentially before.
        let pattern = format!("{}b", "*a".repeat(5_000));
        let name = "a".repeat(20_000);
        assert!(!bundle_matches(&pattern, &name));
        assert!(bundle_matches(&pattern, &format!("{name}b")));
    }
}
