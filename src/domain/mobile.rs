//! Mainland China mobile numbers (11 digits starting 13–19), as people write
//! them: with `+86`, `0086`, `(+86)` or `86` in front, grouped with spaces,
//! hyphens, dots or parentheses, in full-width digits.

use std::fmt;

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use super::normalize::{is_dash, is_invisible};
use crate::lang::Localized;

/// A mobile number in national form: 11 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mobile(String);

impl Mobile {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the number's segment is in libphonenumber's CN mobile table
    /// (`phonenumbers` 9.0.43). Segment tables go stale and numbers are
    /// ported between carriers, so a `false` is a hint to look again, never
    /// a reason to reject.
    pub fn segment_allocated(&self) -> bool {
        let d = self.0.as_bytes();
        let digit = |i: usize| d.get(i).map(|b| b.wrapping_sub(b'0')).unwrap_or(255);
        let (second, third) = (digit(1), digit(2));
        match second {
            3 | 8 => true,
            4 => matches!(third, 5 | 7),
            5 | 9 => matches!(third, 0..=3 | 5..=9),
            6 => matches!(third, 2 | 5..=7) || (third == 1 && digit(3) == 0),
            7 => matches!(third, 0..=3 | 5..=8) || (third == 4 && digit(3) == 0 && digit(4) <= 5),
            _ => false,
        }
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a value is not a mainland mobile number. No variant carries or shows
/// the number itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MobileError {
    #[error("the mobile number is empty")]
    Empty,
    #[error("the mobile number contains a character other than digits and separators")]
    InvalidCharacter,
    #[error("a mainland mobile number has 11 digits, found {found}")]
    Length { found: usize },
    #[error("not a mainland mobile number (must start with 13–19, without a foreign country code)")]
    NotMobile,
}

impl MobileError {
    /// Which part is wrong, in Chinese and English, without the number.
    pub fn explain(&self) -> Localized {
        match self {
            MobileError::Empty => Localized::new("手机号码为空", "the mobile number is empty"),
            MobileError::InvalidCharacter => Localized::new(
                "手机号码含有数字和分隔符(空格、-、括号、点)以外的字符",
                "the mobile number contains characters other than digits and separators (spaces, hyphens, parentheses, dots)",
            ),
            MobileError::Length { found } => Localized::new(
                format!("大陆手机号码应为 11 位数字(不含 +86),实为 {found} 位"),
                format!(
                    "a mainland mobile number has 11 digits (without +86), this one has {found}"
                ),
            ),
            MobileError::NotMobile => Localized::new(
                "不是中国大陆手机号码:应以 13–19 开头,且不带其他国家或地区区号",
                "not a mainland China mobile number: it must start with 13–19 and carry no other country code",
            ),
        }
    }
}

/// Parses a mobile number as written and returns its 11-digit national form.
/// Separators (whitespace, dashes, parentheses, dots) are dropped after NFKC;
/// then `+86`, `0086`, a `tel:` scheme, or a bare `86` leaving 13 digits, is
/// stripped.
pub fn parse(input: &str) -> Result<Mobile, MobileError> {
    let mut text: String = input
        .nfkc()
        .filter(|&c| {
            !c.is_whitespace() && !is_dash(c) && !is_invisible(c) && !matches!(c, '(' | ')' | '.')
        })
        .collect();
    if text.is_empty() {
        return Err(MobileError::Empty);
    }
    if text
        .get(..4)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("tel:"))
    {
        text.drain(..4);
    }
    let national = if let Some(rest) = text.strip_prefix("+86") {
        rest
    } else if let Some(rest) = text.strip_prefix("0086") {
        rest
    } else if text.starts_with('+') || text.starts_with("00") {
        // Another country's number (or a malformed prefix).
        return if text[1..].bytes().all(|b| b.is_ascii_digit()) {
            Err(MobileError::NotMobile)
        } else {
            Err(MobileError::InvalidCharacter)
        };
    } else if text.len() == 13 && text.starts_with("86") {
        &text[2..]
    } else {
        &text
    };
    if national.is_empty() {
        return Err(MobileError::Length { found: 0 });
    }
    if !national.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MobileError::InvalidCharacter);
    }
    if national.len() != 11 {
        return Err(MobileError::Length {
            found: national.len(),
        });
    }
    let bytes = national.as_bytes();
    if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
        return Err(MobileError::NotMobile);
    }
    Ok(Mobile(national.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_spellings_are_equal() {
        for spelling in [
            "13800138000",
            "+86 138 0013 8000",
            "+8613800138000",
            "138-0013-8000",
            "138 0013 8000",
            "0086 138 0013 8000",
            "(+86)138 0013 8000",
            "（＋８６）１３８００１３８０００",
            "8613800138000",
            "tel:+86-138-0013-8000",
            "138.0013.8000",
            "\u{3000}138\u{3000}0013\u{3000}8000\u{3000}",
        ] {
            assert_eq!(
                parse(spelling).map(|m| m.0),
                Ok("13800138000".to_string()),
                "{spelling}"
            );
        }
    }

    #[test]
    fn errors() {
        assert_eq!(parse(""), Err(MobileError::Empty));
        assert_eq!(parse(" - () "), Err(MobileError::Empty));
        assert_eq!(parse("+86"), Err(MobileError::Length { found: 0 }));
        assert_eq!(parse("1380013800"), Err(MobileError::Length { found: 10 }));
        assert_eq!(
            parse("013800138000"),
            Err(MobileError::Length { found: 12 })
        );
        assert_eq!(parse("1380013800O"), Err(MobileError::InvalidCharacter));
        assert_eq!(parse("12800138000"), Err(MobileError::NotMobile));
        assert_eq!(parse("23800138000"), Err(MobileError::NotMobile));
        assert_eq!(parse("+852 6123 4567"), Err(MobileError::NotMobile));
        assert_eq!(parse("+1 (555) 010-9999"), Err(MobileError::NotMobile));
        // 86 is only a country code when 13 digits remain.
        assert_eq!(
            parse("861380013800"),
            Err(MobileError::Length { found: 12 })
        );
        for error in [MobileError::Length { found: 10 }, MobileError::NotMobile] {
            assert!(!error.explain().zh.contains("1380013800"));
        }
    }

    #[test]
    fn segment_table() {
        let allocated = |n: &str| parse(n).map(|m| m.segment_allocated()).ok();
        assert_eq!(allocated("13800138000"), Some(true));
        assert_eq!(allocated("14512345678"), Some(true));
        assert_eq!(allocated("14012345678"), Some(false));
        assert_eq!(allocated("15412345678"), Some(false));
        assert_eq!(allocated("16101234567"), Some(true));
        assert_eq!(allocated("16111234567"), Some(false));
        assert_eq!(allocated("17405123456"), Some(true));
        assert_eq!(allocated("17406123456"), Some(false));
        assert_eq!(allocated("17912345678"), Some(false));
        assert_eq!(allocated("19212345678"), Some(true));
        assert_eq!(allocated("19412345678"), Some(false));
        assert_eq!(allocated("16612345678"), Some(true));
        assert_eq!(allocated("16812345678"), Some(false));
    }

    #[test]
    fn explanations_snapshot() {
        let text: Vec<String> = ["", "1380013800O", "1380013800", "12800138000"]
            .iter()
            .filter_map(|number| parse(number).err())
            .map(|e| format!("{e}\n  zh: {}\n  en: {}", e.explain().zh, e.explain().en))
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }
}
