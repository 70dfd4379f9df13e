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

/// Runs of ASCII digits, each with one trailing `X`/`x` if there is one.
fn digit_runs(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i < bytes.len() && matches!(bytes[i], b'X' | b'x') {
            i += 1;
        }
        Some(start..i)
    })
}

/// Masks every run in free text that looks like a resident ID number (17
/// digits and a digit or X, or a 15-digit first-generation number) or a
/// mobile number (11 digits starting with 1, optionally after +86). Used
/// where a value of unknown kind is quoted: a parser's reason, a script's
/// error, a value written in the wrong field.
pub fn mask_personal_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for run in digit_runs(text) {
        let value = &text[run.clone()];
        let alphanumeric_at =
            |index: Option<char>| index.is_some_and(|c| c.is_ascii_alphanumeric());
        if alphanumeric_at(text[..run.start].chars().next_back())
            || alphanumeric_at(text[run.end..].chars().next())
        {
            continue;
        }
        let digits = value.trim_end_matches(['X', 'x']);
        let masked = match (value.len(), digits.len()) {
            (18, 17) | (18, 18) if looks_like_ric(value) => Some(mask_ric(value)),
            (15, 15) if plausible_birth(&value[6..8], &value[8..10], &value[10..12]) => {
                Some(mask_ric(value))
            }
            (11, 11) if looks_like_mobile(value) => Some(mask_mobile(value)),
            (13, 13) if value.starts_with("86") && looks_like_mobile(&value[2..]) => {
                Some(mask_keeping(value, 13, 5, 4))
            }
            _ => None,
        };
        if let Some(masked) = masked {
            out.push_str(&text[last..run.start]);
            out.push_str(&masked);
            last = run.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// 18 characters with a plausible birth date at positions 7–14, and not a
/// valid unified social credit code (which may be 18 digits too).
fn looks_like_ric(value: &str) -> bool {
    matches!(&value[6..8], "18" | "19" | "20")
        && plausible_birth(&value[8..10], &value[10..12], &value[12..14])
        && super::uscc::parse(value).is_err()
}

fn plausible_birth(_year: &str, month: &str, day: &str) -> bool {
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    (1..=12).contains(&number(month)) && (1..=31).contains(&number(day))
}

fn looks_like_mobile(value: &str) -> bool {
    value.starts_with('1')
        && value
            .as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b))
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
    fn numbers_that_look_personal_are_masked_in_free_text() {
        assert_eq!(
            mask_personal_numbers(
                "“11010519491231002X” is not a date; call 13800138000 or +8613800138000"
            ),
            "“110105********002X” is not a date; call 138****8000 or +86138****8000"
        );
        assert_eq!(
            mask_personal_numbers("line 12, 2024-08-28, 20 MiB, 91110108MA01C8XW7T"),
            "line 12, 2024-08-28, 20 MiB, 91110108MA01C8XW7T"
        );
        // An all-digit credit code is not an ID number.
        let code = "a licence with code 914201068039957348";
        assert_eq!(mask_personal_numbers(code), code);
        // A mistyped ID number (wrong check digit) is still masked.
        assert_eq!(
            mask_personal_numbers("530102199110197814"),
            "530102********7814"
        );
        // Digits inside a longer token (a sha256) are not a number of their own.
        let digest = "ab13800138000cd110105194912310021ef";
        assert_eq!(mask_personal_numbers(digest), digest);
    }

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
