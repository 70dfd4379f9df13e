//! The one normalisation every identifier (USCC, resident ID) goes through
//! before it is checked, so that what a person typed, scanned or pasted is
//! judged, not how it was typed.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalises an identifier as people write it into the form the standards
/// define: NFKC (full-width digits and letters become ASCII), every kind of
/// whitespace (ASCII space, tab, U+3000 ideographic space, NBSP…) removed
/// anywhere, every Unicode dash or hyphen removed (people group numbers with
/// them), invisible zero-width characters removed, then upper-cased (a
/// lowercase `x` check character is common).
///
/// Removing all whitespace rather than only ASCII space and U+3000 is
/// deliberate: NFKC already turns most exotic spaces into U+0020, and a tab
/// or newline inside a pasted number is no more meaningful than a space.
pub fn normalize_identifier(input: &str) -> String {
    let kept = |c: &char| !c.is_whitespace() && !is_dash(*c) && !is_invisible(*c);
    // Text already in NFKC (an ASCII number is) is its own NFKC: the quick
    // check spares decomposing and recomposing every character.
    match is_nfkc_quick(input.chars()) {
        IsNormalized::Yes => input
            .chars()
            .filter(kept)
            .flat_map(char::to_uppercase)
            .collect(),
        _ => input
            .nfkc()
            .filter(kept)
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// Unicode dashes and hyphens: general category Pd, plus the minus sign,
/// hyphen bullet and soft hyphen that look the same to a reader.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{002D}' | '\u{00AD}' | '\u{058A}' | '\u{05BE}' | '\u{1400}' | '\u{1806}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2043}'
                | '\u{2212}'
                | '\u{2E17}'
                | '\u{2E1A}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{2E40}'
                | '\u{2E5D}'
                | '\u{301C}'
                | '\u{3030}'
                | '\u{30A0}'
                | '\u{FE31}'
                | '\u{FE32}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{10EAD}'
    )
}

/// Zero-width characters that copy-and-paste leaves inside values; they are
/// not whitespace to Rust but are just as invisible to a reader.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Characters that reorder how text is displayed (bidirectional marks,
/// embeddings, overrides and isolates): invisible, and able to make a
/// terminal or a page show text other than what is there.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` would act on a display rather than be shown: control
/// characters (C0, DEL, C1, so also ESC sequences), bidirectional controls,
/// zero-width characters and line or paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{2060}' | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_spaces_dashes_and_upper_cases() {
        assert_eq!(
            normalize_identifier(" 110105 19491231 002x "),
            "11010519491231002X"
        );
        assert_eq!(
            normalize_identifier("1101-0519\u{2014}49\u{2212}12"),
            "110105194912"
        );
        assert_eq!(
            normalize_identifier("\u{3000}９１３５０１００Ｍ０００１００Ｙ４３\u{3000}"),
            "91350100M000100Y43"
        );
        assert_eq!(
            normalize_identifier("ab\u{200B}c\u{FF0D}d\u{00A0}e\t"),
            "ABCDE"
        );
    }

    #[test]
    fn empty_and_odd_inputs_do_not_panic() {
        assert_eq!(normalize_identifier(""), "");
        assert_eq!(normalize_identifier(" \u{3000}-"), "");
        assert_eq!(normalize_identifier("ß"), "SS");
    }
}
