//! Comparison of person and company names as written on different
//! documents: `锤子科贸（上海）有限公司` on the licence and `锤子科贸(上海)有限公司`
//! on an employment certificate are the same company; `阿依古丽·买买提` is the
//! same person whichever middle dot a form used.
//!
//! Only differences of *writing* are folded: width (NFKC), middle-dot
//! variants, whitespace and invisible characters. Different characters stay
//! different: traditional and simplified forms (`華為` vs `华为`) are not
//! equal, and Latin letters keep their case (`ABC科技` vs `abc科技` are
//! treated as different names, as a registry would), since folding either
//! could make two different registered names look equal.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::normalize::is_invisible;

/// The one middle dot every variant is mapped to (U+00B7, the one GB
/// standards and the public-security registry use for transliterated names).
const MIDDLE_DOT: char = '\u{00B7}';

/// Characters used in place of the middle dot between the parts of a
/// transliterated name.
fn is_middle_dot_variant(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' // MIDDLE DOT
            | '\u{0387}' // GREEK ANO TELEIA
            | '\u{16EB}' // RUNIC SINGLE PUNCTUATION
            | '\u{2022}' // BULLET
            | '\u{2027}' // HYPHENATION POINT
            | '\u{2219}' // BULLET OPERATOR
            | '\u{22C5}' // DOT OPERATOR
            | '\u{2E31}' // WORD SEPARATOR MIDDLE DOT
            | '\u{30FB}' // KATAKANA MIDDLE DOT
            | '\u{318D}' // HANGUL LETTER ARAEA
            | '\u{A78F}' // LATIN LETTER SINOLOGICAL DOT
            | '\u{FF0E}' // FULLWIDTH FULL STOP
            | '\u{FF65}' // HALFWIDTH KATAKANA MIDDLE DOT
    )
}

/// The key two names are compared on: middle-dot variants unified, NFKC
/// (full-width letters, digits and parentheses become ASCII), all whitespace
/// (including U+3000) and zero-width characters removed. An ASCII `.`
/// between two non-ASCII characters (`阿依古丽.买买提`, what NFKC makes of a
/// full-width `．`) is also a middle dot; a `.` next to Latin text
/// (`Example.com`) is kept.
pub fn comparison_key(name: &str) -> String {
    let unified: String = name
        .chars()
        .map(|c| {
            if is_middle_dot_variant(c) {
                MIDDLE_DOT
            } else {
                c
            }
        })
        .collect();
    let kept = |c: &char| !c.is_whitespace() && !is_invisible(*c);
    // Text already in NFKC (most names are) is its own NFKC: the quick
    // check spares decomposing and recomposing every character.
    let compact: Vec<char> = match is_nfkc_quick(unified.chars()) {
        IsNormalized::Yes => unified.chars().filter(kept).collect(),
        _ => unified.nfkc().filter(kept).collect(),
    };
    compact
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_non_ascii = i > 0
                && compact.get(i - 1).is_some_and(|p| !p.is_ascii())
                && compact.get(i + 1).is_some_and(|n| !n.is_ascii());
            if c == '.' && between_non_ascii {
                MIDDLE_DOT
            } else {
                c
            }
        })
        .collect()
}

/// Whether two names are the same name written differently (see
/// [`comparison_key`] for what counts as writing).
pub fn same_name(a: &str, b: &str) -> bool {
    // The same text has the same key: no key is worked out for it.
    a == b || comparison_key(a) == comparison_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_half_width_parentheses() {
        assert!(same_name(
            "锤子科贸（上海）有限公司",
            "锤子科贸(上海)有限公司"
        ));
        assert!(same_name(
            "天津云上畅游科技合伙企业（有限合伙）",
            "天津云上畅游科技合伙企业(有限合伙)"
        ));
        assert_eq!(
            comparison_key("锤子科贸（上海）有限公司"),
            "锤子科贸(上海)有限公司"
        );
    }

    #[test]
    fn middle_dots() {
        let canonical = "阿依古丽·买买提";
        for variant in [
            "阿依古丽・买买提",
            "阿依古丽•买买提",
            "阿依古丽．买买提",
            "阿依古丽.买买提",
            "阿依古丽‧买买提",
            "阿依古丽･买买提",
            "阿依古丽ㆍ买买提",
            "阿依古丽·买买提",
            "阿依古丽∙买买提",
            "阿依古丽⋅买买提",
            "阿依古丽 · 买买提",
        ] {
            assert!(same_name(canonical, variant), "{variant}");
        }
        assert!(!same_name("阿依古丽买买提", canonical));
        assert_eq!(
            comparison_key("Example.com(北京)有限公司"),
            "Example.com(北京)有限公司"
        );
    }

    #[test]
    fn whitespace_is_ignored() {
        assert!(same_name("张\u{3000}三", "张三"));
        assert!(same_name(" 张 三 ", "张三"));
        assert!(same_name("张\u{200B}三", "张三"));
        assert!(same_name(
            "北京星河示例科技有限公司\n",
            "北京星河示例科技有限公司"
        ));
    }

    #[test]
    fn different_characters_stay_different() {
        assert!(!same_name("華為", "华为"));
        assert!(!same_name("张三", "张叁"));
        assert!(!same_name("ABC科技有限公司", "abc科技有限公司"));
        assert!(same_name("ＡＢＣ科技有限公司", "ABC科技有限公司"));
        assert!(!same_name("", "张三"));
        assert!(same_name("", " "));
    }
}
