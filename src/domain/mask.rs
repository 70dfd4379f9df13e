//! Masking of personal numbers (resident ID numbers, mobile numbers) in
//! everything dossier outputs. Every renderer and explanation masks through
//! these functions so there is one policy to review.

/// Which kind of personal number a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonalKind {
    ResidentId,
    Mobile,
}

/// Masks a resident ID number: an 18-character value keeps its first 6
/// (address code) and last 4 characters, `110105********002X`, the usual
/// practice. Any other length keeps at most a quarter of the characters at
/// each end (so never more than half), and values shorter than 4 characters
/// are masked entirely.
pub fn mask_ric(s: &str) -> String {
    mask_keeping(s, 18, 6, 4)
}

/// Masks a mobile number: 11 characters keep the first 3 and last 4,
/// `138****8000`; other lengths follow the same quarter rule as [`mask_ric`].
pub fn mask_mobile(s: &str) -> String {
    mask_keeping(s, 11, 3, 4)
}

/// Masks `s` as the given kind of personal number.
pub fn mask(kind: PersonalKind, s: &str) -> String {
    match kind {
        PersonalKind::ResidentId => mask_ric(s),
        PersonalKind::Mobile => mask_mobile(s),
    }
}

/// Keeps `front` and `back` characters when `s` has exactly `canonical`
/// characters; otherwise keeps at most `len / 4` at each end.
fn mask_keeping(s: &str, canonical: usize, front: usize, back: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len();
    let (front, back) = if len == canonical {
        (front, back)
    } else {
        (front.min(len / 4), back.min(len / 4))
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < front || i + back >= len { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_lengths() {
        assert_eq!(mask_ric("11010519491231002X"), "110105********002X");
        assert_eq!(mask_mobile("13800138000"), "138****8000");
        assert_eq!(mask(PersonalKind::Mobile, "13800138000"), "138****8000");
        assert_eq!(
            mask(PersonalKind::ResidentId, "11010519491231002X"),
            "110105********002X"
        );
    }

    #[test]
    fn other_lengths_reveal_at_most_half() {
        assert_eq!(mask_ric(""), "");
        assert_eq!(mask_ric("123"), "***");
        assert_eq!(mask_ric("12345678"), "12****78");
        assert_eq!(mask_ric("110105491231002"), "110*********002");
        assert_eq!(mask_mobile("１３８００１３８０００"), "１３８****８０００");
        assert_eq!(mask_mobile("+8613800138000"), "+86********000");
        for text in [
            "",
            "a",
            "ab",
            "abc",
            "身份证号码",
            "1234567890123456789012345",
        ] {
            for masked in [mask_ric(text), mask_mobile(text)] {
                let shown = masked.chars().filter(|&c| c != '*').count();
                assert!(shown * 2 <= text.chars().count(), "{text} -> {masked}");
                assert_eq!(masked.chars().count(), text.chars().count());
            }
        }
    }
}
