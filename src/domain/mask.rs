//! Masking of personal numbers (resident ID numbers, mobile numbers) in
//! everything dossier outputs. Every renderer and explanation masks through
//! these functions so there is one policy to review.
//!
//! A number is found however it is written: ASCII, full-width or other
//! decimal digits (`１１０１…`), grouped with spaces, hyphens, dots,
//! underscores, slashes or invisible characters (`186 1501 2247`), and glued
//! to letters (`tel18615012247`, `id330106199603170078.jpg`). A valid
//! unified social credit code (18 digits possible) and a 64-character
//! hexadecimal token (a SHA-256 digest) are left alone on purpose.
//!
//! A 15-digit run that reads as a first-generation ID number (a plausible
//! birth month and day at digits 9–12) is masked even when its last digit
//! is also a right business registration number (注册号) check: one old ID
//! number in ten passes that check, and free text cannot tell which it is,
//! so the privacy-safe reading wins. A registration number quoted from a
//! field typed as an organisation's code is shown
//! ([`crate::report::ArgumentKind::Registration`]). Everything here runs in
//! time linear in the text.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::normalize::{is_bidi_control, is_dash, is_invisible};

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

/// Masks every number in `text` that looks like a resident ID number or a
/// mobile number, however it is written (see the module's notes): 18
/// characters (17 digits and a digit or X) with a plausible birth date, a
/// 15-digit first-generation number, 11 digits `1[3-9]…`, or those 11 after
/// `86`. Digits keep their place and their script; separators stay as they
/// are, so `186 1501 2247` becomes `186 **** 2247`.
pub fn mask_personal_numbers(text: &str) -> String {
    masked(text).into_owned()
}

/// [`mask_personal_numbers`] that borrows `text` when nothing in it is masked.
pub fn masked(text: &str) -> Cow<'_, str> {
    if !may_hold_a_number(text) {
        return Cow::Borrowed(text);
    }
    let found = find(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for number in found {
        out.push_str(&text[last..number.start]);
        let mut index = 0;
        for c in text[number.start..number.end].chars() {
            if matches!(class(c), Class::Separator | Class::Other) {
                out.push(c);
                continue;
            }
            let shown = index < number.front || index + number.back >= number.count;
            out.push(if shown { c } else { '*' });
            index += 1;
        }
        last = number.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The fewest digits a personal number has (a mobile number).
const SHORTEST: usize = 11;

/// Whether `text` holds at least [`SHORTEST`] digits of any script, without
/// which [`find`] finds nothing: most texts a report quotes (names, dates,
/// paths, rule ids) are let through here without being scanned a character
/// at a time. A byte count first (ASCII digits and every non-ASCII
/// character, which may be a digit, but for the Chinese characters of
/// [`NO_DIGITS`]) settles most texts; only those left over have their
/// non-ASCII characters looked up.
fn may_hold_a_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let candidates = bytes
        .iter()
        .filter(|&&b| b.is_ascii_digit() || (b >= 0xC0 && !NO_DIGIT_LEADS.contains(&b)))
        .count();
    if candidates < SHORTEST {
        return false;
    }
    text.chars()
        .filter(|&c| digit_value(c).is_some())
        .take(SHORTEST)
        .count()
        == SHORTEST
}

/// A personal number found in a text: its byte range, how many digits it
/// has (with the check `X`) and how many of them are shown at each end.
struct Found {
    start: usize,
    end: usize,
    count: usize,
    front: usize,
    back: usize,
}

/// One run of digits, possibly ending in a check `X`.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    digits: [u8; 18],
    /// Digits in the run; past 18 it can be part of no personal number.
    len: usize,
    check_x: bool,
}

enum Class {
    Digit(u8),
    CheckX,
    Separator,
    Other,
}

/// At most this many separators between two groups of one number.
const MAX_GAP: usize = 3;
/// The longest personal number, in digits (and check character).
const LONGEST: usize = 18;

fn class(c: char) -> Class {
    if let Some(digit) = digit_value(c) {
        Class::Digit(digit)
    } else if matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ' | 'Ⅹ' | 'ⅹ') {
        Class::CheckX
    } else if is_separator(c) {
        Class::Separator
    } else {
        Class::Other
    }
}

/// What people put between the groups of a number they write out, and what
/// an attacker could slip between digits to hide them.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || is_dash(c)
        || is_invisible(c)
        || is_bidi_control(c)
        || matches!(
            c,
            '.' | '_'
                | '/'
                | '\\'
                | '('
                | ')'
                | '+'
                | '\u{FF0B}'
                | '\u{FF0D}'
                | '\u{FF0E}'
                | '\u{FF0F}'
                | '\u{FF3F}'
                | '\u{FF08}'
                | '\u{FF09}'
        )
}

/// The first code point of each block of ten decimal digits (Unicode
/// category Nd) outside ASCII that NFKC leaves alone; full-width digits are
/// the common case.
const DECIMAL_ZEROS: [u32; 24] = [
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0xA620, 0xFF10,
];

/// Code points that hold no digit of any script (CJK Unified Ideographs
/// and Extension A, the bulk of Chinese text): settled without a Unicode
/// table lookup. A test checks every one of them.
const NO_DIGITS: std::ops::RangeInclusive<u32> = 0x4000..=0x9FFF;

/// The UTF-8 lead bytes of exactly the characters of [`NO_DIGITS`] (three
/// bytes each, `E4`–`E9`).
const NO_DIGIT_LEADS: std::ops::RangeInclusive<u8> = 0xE4..=0xE9;

/// The value of a decimal digit in any script, or of a character NFKC
/// folds into one ASCII digit (mathematical, superscript, circled digits).
fn digit_value(c: char) -> Option<u8> {
    let code = c as u32;
    if c.is_ascii() || NO_DIGITS.contains(&code) || !c.is_numeric() {
        return c.is_ascii_digit().then(|| c as u8 - b'0');
    }
    if let Some(zero) = DECIMAL_ZEROS.iter().find(|&&z| (z..z + 10).contains(&code)) {
        return u8::try_from(code - zero).ok();
    }
    let mut folded = std::iter::once(c).nfkc();
    match (folded.next(), folded.next()) {
        (Some(d), None) if d.is_ascii_digit() => Some(d as u8 - b'0'),
        _ => None,
    }
}

/// Every personal number in `text`, in order.
fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut chain: Vec<Group> = Vec::new();
    let mut open: Option<Group> = None;
    let mut gap = 0;
    let mut pos = 0;
    let close = |open: &mut Option<Group>, chain: &mut Vec<Group>| {
        if let Some(group) = open.take() {
            chain.push(group);
        }
    };
    while let Some(c) = text[pos..].chars().next() {
        let word_start =
            c.is_ascii_alphanumeric() && (pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric());
        if word_start {
            let word = bytes[pos..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if word == 64 && bytes[pos..pos + word].iter().all(u8::is_ascii_hexdigit) {
                // A SHA-256 digest: not a number a person has.
                close(&mut open, &mut chain);
                numbers_in(&chain, &mut found);
                chain.clear();
                pos += word;
                continue;
            }
        }
        let next = pos + c.len_utf8();
        match class(c) {
            Class::Digit(digit) => {
                if open.is_none() && gap > MAX_GAP {
                    numbers_in(&chain, &mut found);
                    chain.clear();
                }
                let group = open.get_or_insert(Group {
                    start: pos,
                    end: pos,
                    digits: [0; LONGEST],
                    len: 0,
                    check_x: false,
                });
                if let Some(slot) = group.digits.get_mut(group.len) {
                    *slot = b'0' + digit;
                }
                group.len = (group.len + 1).min(LONGEST + 1);
                group.end = next;
                gap = 0;
            }
            Class::CheckX if open.is_some() => {
                if let Some(group) = open.as_mut() {
                    group.check_x = true;
                    group.end = next;
                }
                close(&mut open, &mut chain);
            }
            Class::Separator => {
                close(&mut open, &mut chain);
                gap += 1;
            }
            Class::CheckX | Class::Other => {
                close(&mut open, &mut chain);
                numbers_in(&chain, &mut found);
                chain.clear();
                gap = 0;
            }
        }
        pos = next;
    }
    close(&mut open, &mut chain);
    numbers_in(&chain, &mut found);
    found
}

/// The personal numbers among consecutive groups of one chain: from each
/// group on, the longest run of groups that reads as one (at most 18
/// digits, so each start looks at a bounded number of groups).
fn numbers_in(chain: &[Group], found: &mut Vec<Found>) {
    let mut i = 0;
    while i < chain.len() {
        let mut number = [0u8; LONGEST + 1];
        let mut len = 0;
        let mut best = None;
        for (j, group) in chain.iter().enumerate().skip(i) {
            if group.len > LONGEST || len + group.len > LONGEST {
                break;
            }
            number[len..len + group.len].copy_from_slice(&group.digits[..group.len]);
            len += group.len;
            if let Some(shape) = personal(&number[..len]) {
                best = Some((j, len, shape));
            }
            if group.check_x {
                number[len] = b'X';
                if let Some(shape) = personal(&number[..=len]) {
                    best = Some((j, len + 1, shape));
                }
                break;
            }
        }
        match best {
            Some((j, count, (front, back))) => {
                found.push(Found {
                    start: chain[i].start,
                    end: chain[j].end,
                    count,
                    front,
                    back,
                });
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// How many characters a personal number keeps at each end, when `number`
/// (ASCII digits, perhaps a final `X`) is one.
fn personal(number: &[u8]) -> Option<(usize, usize)> {
    let text = std::str::from_utf8(number).ok()?;
    match number.len() {
        18 if looks_like_ric(text) => Some((6, 4)),
        15 if !text.ends_with('X') && plausible_birth(&text[8..10], &text[10..12]) => Some((3, 3)),
        13 if !text.ends_with('X') && text.starts_with("86") && looks_like_mobile(&text[2..]) => {
            Some((5, 4))
        }
        11 if !text.ends_with('X') && looks_like_mobile(text) => Some((3, 4)),
        _ => None,
    }
}

/// 18 characters with a plausible birth date at positions 7–14, whose check
/// character is right or which is not a valid unified social credit code
/// either (a mistyped ID number is still one).
fn looks_like_ric(value: &str) -> bool {
    let dated = matches!(&value[6..8], "18" | "19" | "20")
        && plausible_birth(&value[10..12], &value[12..14]);
    dated
        && (super::ric::check_character(&value[..17]) == value[17..].chars().next()
            || super::uscc::parse(value).is_err())
}

fn plausible_birth(month: &str, day: &str) -> bool {
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
        // A SHA-256 digest is not a number of a person's.
        let digest = "sha256 ab13800138000cd1101051949123100210000000000000000000000000000000";
        assert_eq!(digest.len() - 7, 64);
        assert_eq!(mask_personal_numbers(digest), digest);
    }

    #[test]
    fn numbers_are_found_however_they_are_written() {
        for (written, shown) in [
            (
                "１１０１０５１９４９１２３１００２Ｘ",
                "１１０１０５********００２Ｘ",
            ),
            ("186 1501 2247", "186 **** 2247"),
            ("186-1501-2247", "186-****-2247"),
            ("+86 186 1501 2247", "+86 186 **** 2247"),
            ("(+86)18615012247", "(+86)186****2247"),
            ("tel18615012247", "tel186****2247"),
            ("id330106199603170078.jpg", "id330106********0078.jpg"),
            ("张三_11010519491231002X/", "张三_110105********002X/"),
            ("110105 19491231 002x", "110105 ******** 002x"),
            ("186\u{200B}1501\u{202E}2247", "186\u{200B}****\u{202E}2247"),
            ("١٨٦١٥٠١٢٢٤٧", "١٨٦****٢٢٤٧"),
            ("𝟏𝟖𝟔𝟏𝟓𝟎𝟏𝟐𝟐𝟒𝟕", "𝟏𝟖𝟔****𝟐𝟐𝟒𝟕"),
            ("18615012247x", "186****2247x"),
            ("2024-08-28 18615012247", "2024-08-28 186****2247"),
        ] {
            assert_eq!(mask_personal_numbers(written), shown, "{written}");
        }
    }

    /// A registration number with a right ISO 7064 MOD 11,10 check digit.
    fn registration_number(first14: &str) -> String {
        (0..10)
            .map(|check| format!("{first14}{check}"))
            .find(|n| super::super::uscc::is_registration_number(n))
            .unwrap()
    }

    #[test]
    fn registration_numbers_are_masked_in_free_text_only_when_they_read_as_old_id_numbers() {
        // Digits 9–12 read as a month and a day, as in an old ID number:
        // masked whether or not the registration check digit is right.
        for check in 0..10 {
            let number = format!("11010800010100{check}");
            assert_eq!(
                mask_personal_numbers(&format!("注册号 {number}")),
                format!("注册号 110*********{}", &number[12..]),
                "{number}"
            );
        }
        // Digits 9–12 that are no birth date (month 13): not an ID number,
        // shown whatever its check digit.
        let registration = registration_number("11010800130100");
        assert_eq!(mask_personal_numbers(&registration), registration);
        let text = format!("注册号{registration}.pdf");
        assert_eq!(mask_personal_numbers(&text), text);
    }

    #[test]
    fn credit_codes_are_not_id_numbers() {
        for code in [
            "914201068039957348",
            "91350100M000100Y43",
            "12100000400009880K",
        ] {
            assert_eq!(mask_personal_numbers(code), code);
            assert_eq!(
                mask_personal_numbers(&format!("code{code}")),
                format!("code{code}")
            );
        }
        // An ID number is masked even beside a credit code.
        assert_eq!(
            mask_personal_numbers("914201068039957348 11010519491231002X"),
            "914201068039957348 110105********002X"
        );
    }

    #[test]
    fn hostile_text_is_masked_in_one_pass() {
        let long = format!(
            "{}{}{}",
            "1 ".repeat(200_000),
            "9".repeat(200_000),
            "１-".repeat(100_000)
        );
        assert_eq!(masked(&long).chars().count(), long.chars().count());
        let numbers = "18615012247 ".repeat(10_000);
        assert!(!mask_personal_numbers(&numbers).contains("18615012247"));
    }

    #[test]
    fn texts_with_too_few_digits_are_let_through_unscanned() {
        for text in [
            "",
            "张三",
            "2024-08-28",
            "/parties/zhangsan/id_number",
            "1380013800",
            "１３８００１３８００",
        ] {
            assert!(!may_hold_a_number(text), "{text}");
            assert!(matches!(masked(text), Cow::Borrowed(_)), "{text}");
        }
        for text in ["13800138000", "１３８００１３８０００", "tel 138-0013-8000"] {
            assert!(may_hold_a_number(text), "{text}");
            assert!(matches!(masked(text), Cow::Owned(_)), "{text}");
        }
    }

    /// The characters let through without a lookup hold no digit, and
    /// are exactly those whose UTF-8 starts with a byte of `NO_DIGIT_LEADS`.
    #[test]
    fn chinese_characters_are_no_digits() {
        for code in 0..=0x10FFFF {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut utf8 = [0; 4];
            let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
            assert_eq!(
                NO_DIGITS.contains(&code),
                NO_DIGIT_LEADS.contains(&lead),
                "{c:?}"
            );
            if NO_DIGITS.contains(&code) {
                assert!(!c.is_numeric(), "{c:?}");
                let mut folded = std::iter::once(c).nfkc();
                assert!(!folded.any(|d| d.is_ascii_digit()), "{c:?}");
            }
        }
        assert!(!may_hold_a_number("一二三四五六七八九十百千万亿"));
        assert_eq!(
            masked("电话一三八〇〇一三八〇〇〇"),
            "电话一三八〇〇一三八〇〇〇"
        );
        assert_eq!(masked("电话13800138000号"), "电话138****8000号");
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
