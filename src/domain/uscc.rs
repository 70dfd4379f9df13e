//! 统一社会信用代码 (Unified Social Credit Code, USCC), GB 32100-2015.
//!
//! Eighteen characters: registration authority (1), organisation category
//! (2), administrative division of the registering authority (3–8), the
//! GB 11714 organisation code (9–17, itself 8 characters plus a check
//! character) and the GB 32100 check character (18). Both check characters
//! are verified; neither python-stdnum nor hutool checks the inner one, so a
//! code they accept may be rejected here with [`UsccError::OrganizationCheck`].

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use super::normalize_identifier;
use crate::lang::Localized;

/// The 31 characters a USCC is written with (no I, O, Z, S, V); a
/// character's value in the GB 32100 check is its index here.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100 weights: 3^(i-1) mod 31 for positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// GB 11714-1997 weights for the 8-character organisation-code body.
const ORGANIZATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A USCC that passed every check, in normalised form (18 ASCII characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

impl Uscc {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理部门代码 (position 1), e.g. `9` for market regulation (工商).
    pub fn registration_authority(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }

    /// 机构类别代码 (position 2), e.g. `1` for an enterprise under authority 9.
    pub fn category(&self) -> char {
        char::from(self.0.as_bytes()[1])
    }

    /// Administrative division of the registering authority (positions 3–8);
    /// not necessarily where the organisation is, `100000` is national level.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// The GB 11714 organisation code with its check character (positions 9–17).
    pub fn organization_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uscc {
    type Err = UsccError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// Why a value is not a valid USCC. Positions count from 1 in the normalised
/// code (spaces and hyphens removed).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsccError {
    #[error("the unified social credit code is empty")]
    Empty,
    #[error("a unified social credit code has 18 characters, found {found}")]
    Length { found: usize },
    #[error(
        "character {character:?} at position {position} is not used in unified social credit codes"
    )]
    ForbiddenCharacter { position: usize, character: char },
    #[error("position {position} belongs to the 6-digit region code but is {character:?}")]
    RegionNotDigits { position: usize, character: char },
    #[error("organisation code check character (position 17) should be {expected} but is {found}")]
    OrganizationCheck { expected: char, found: char },
    /// The GB 32100 check character is wrong. Note: a few legal early-pilot
    /// Fujian codes (e.g. `91350100M0001TGQXM`) fail this check; a strict
    /// validator rejects them, so the explanation asks to verify against the
    /// national registry rather than calling the code forged.
    #[error("check character (position 18) should be {expected} but is {found}")]
    Check { expected: char, found: char },
}

impl UsccError {
    /// Which part of the code is wrong, in Chinese and English.
    pub fn explain(&self) -> Localized {
        match self {
            UsccError::Empty => Localized::new(
                "统一社会信用代码为空",
                "the unified social credit code is empty",
            ),
            UsccError::Length { found } => Localized::new(
                format!("统一社会信用代码应为 18 位,实为 {found} 位"),
                format!("a unified social credit code has 18 characters, this one has {found}"),
            ),
            UsccError::ForbiddenCharacter {
                position,
                character,
            } => Localized::new(
                format!(
                    "第 {position} 位的字符“{character}”不能出现在统一社会信用代码中(只使用数字和除 I、O、Z、S、V 以外的大写字母)"
                ),
                format!(
                    "character '{character}' at position {position} is not allowed (only digits and capital letters except I, O, Z, S, V are used)"
                ),
            ),
            UsccError::RegionNotDigits {
                position,
                character,
            } => Localized::new(
                format!(
                    "第 3–8 位是登记管理机关行政区划码,应为数字,第 {position} 位却是“{character}”"
                ),
                format!(
                    "positions 3–8 are the registering authority's region code and must be digits, but position {position} is '{character}'"
                ),
            ),
            UsccError::OrganizationCheck { expected, found } => Localized::new(
                format!(
                    "第 9–17 位组织机构代码的校验码(第 17 位)应为 {expected},实为 {found}(GB 11714),第 9–16 位可能有误"
                ),
                format!(
                    "the organisation code (positions 9–17) fails its GB 11714 check: position 17 should be {expected} but is {found}; positions 9–16 may be mistyped"
                ),
            ),
            UsccError::Check { expected, found } => Localized::new(
                format!(
                    "第 18 位校验码应为 {expected},实为 {found};请核对是否抄错。少数福建早期试点代码也不满足此校验,若与执照原件一致,请在国家企业信用信息公示系统核实"
                ),
                format!(
                    "check character (position 18) should be {expected} but is {found}; check for a typo. A few early pilot codes from Fujian also fail this check: if it matches the original licence, verify it in the national enterprise credit registry"
                ),
            ),
        }
    }
}

fn value(c: char) -> Option<u32> {
    if !c.is_ascii() {
        return None;
    }
    ALPHABET
        .iter()
        .position(|&b| char::from(b) == c)
        .and_then(|i| u32::try_from(i).ok())
}

fn organization_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        _ => None,
    }
}

/// The GB 32100 check character for the first 17 characters of a USCC;
/// `None` unless given exactly 17 characters of the USCC alphabet.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for (i, c) in first17.chars().enumerate() {
        let weight = WEIGHTS.get(i)?;
        sum += value(c)? * weight;
        count += 1;
    }
    if count != 17 {
        return None;
    }
    let index = (31 - sum % 31) % 31;
    ALPHABET.get(index as usize).map(|&b| char::from(b))
}

/// The GB 11714-1997 check character for an 8-character organisation-code
/// body (digits and capital letters, A=10 … Z=35): `X` for 10, `0` for 11.
/// `None` for anything else than 8 such characters.
pub fn organization_check_character(body8: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for (i, c) in body8.chars().enumerate() {
        let weight = ORGANIZATION_WEIGHTS.get(i)?;
        sum += organization_value(c)? * weight;
        count += 1;
    }
    if count != 8 {
        return None;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        d => char::from_digit(d, 10),
    }
}

/// Parses a USCC as written (lowercase, full-width, spaces and hyphens are
/// normalised away) and checks length, alphabet, region digits, the GB 11714
/// organisation-code check and the GB 32100 check, in that order.
pub fn parse(input: &str) -> Result<Uscc, UsccError> {
    let code = normalize_identifier(input);
    if code.is_empty() {
        return Err(UsccError::Empty);
    }
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(UsccError::Length { found: chars.len() });
    }
    for (i, &character) in chars.iter().enumerate() {
        let position = i + 1;
        if value(character).is_none() {
            return Err(UsccError::ForbiddenCharacter {
                position,
                character,
            });
        }
        if (3..=8).contains(&position) && !character.is_ascii_digit() {
            return Err(UsccError::RegionNotDigits {
                position,
                character,
            });
        }
    }
    // Every character is now ASCII, so byte slicing is safe.
    if let Some(expected) = organization_check_character(&code[8..16]) {
        let found = chars[16];
        if expected != found {
            return Err(UsccError::OrganizationCheck { expected, found });
        }
    }
    if let Some(expected) = check_character(&code[..17]) {
        let found = chars[17];
        if expected != found {
            return Err(UsccError::Check { expected, found });
        }
    }
    Ok(Uscc(code))
}

/// Whether `value` is a 15-digit business registration number (工商注册号,
/// the code before the credit code): its last digit is the ISO 7064
/// MOD 11,10 check of the first 14.
pub fn is_registration_number(value: &str) -> bool {
    let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 15 || value.chars().count() != 15 {
        return false;
    }
    let mut product = 10;
    for digit in &digits[..14] {
        let sum = match (product + digit) % 10 {
            0 => 10,
            s => s,
        };
        product = sum * 2 % 11;
    }
    (product + digits[14]) % 10 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_worked_example() {
        // GB 32100-2015's own example: the printed `Z` is wrong, 3 is right.
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(
            parse("91350100M000100Y4Z"),
            Err(UsccError::ForbiddenCharacter {
                position: 18,
                character: 'Z'
            })
        );
        let code = parse("91350100M000100Y43").expect("valid");
        assert_eq!(code.as_str(), "91350100M000100Y43");
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.category(), '1');
        assert_eq!(code.region_code(), "350100");
        assert_eq!(code.organization_code(), "M000100Y4");
    }

    #[test]
    fn real_codes_are_accepted() {
        for code in [
            "12100000400009880K", // national-level region 100000
            "91110108MA01C8XW7T", // the product spec's example company
            // Real codes listed in python-stdnum's test suite.
            "91110000600037341L",
            "121200004013590816",
            "9144030071526726XG",
            "91620105L015101280",
            "91340603MA2UJXXCXF",
            "91152201078371135X",
            "9115220107839138X8",
            "92340621MA2PBKRXXG",
            "92340603MA2UK2002C",
            "913101127033980359",
        ] {
            assert!(parse(code).is_ok(), "{code}: {:?}", parse(code));
        }
    }

    #[test]
    fn early_fujian_pilot_codes_fail_the_check() {
        for (code, expected) in [
            ("91350100M0001TGQXM", '1'),
            ("91350211M0000XUF46", 'R'),
            ("91350203M0001FUE2P", 'J'),
        ] {
            let found = code.chars().last().unwrap_or(' ');
            assert_eq!(
                parse(code),
                Err(UsccError::Check { expected, found }),
                "{code}"
            );
        }
        assert!(matches!(
            parse("91350211M00013FA1N"),
            Err(UsccError::Check { .. })
        ));
        // Their organisation-code part is fine.
        assert_eq!(organization_check_character("M0001TGQ"), Some('X'));
    }

    #[test]
    fn spellings_normalise_to_the_same_code() {
        for spelling in [
            "91350100m000100y43",
            "９１３５０１００Ｍ０００１００Ｙ４３",
            " 9135 0100 M000 100Y 43 ",
            "91350100-M000100Y4-3",
            "91350100\u{3000}M000100Y4\u{2014}3",
        ] {
            assert_eq!(
                parse(spelling).map(|c| c.0),
                Ok("91350100M000100Y43".to_string()),
                "{spelling}"
            );
        }
    }

    #[test]
    fn errors_name_the_part() {
        assert_eq!(parse(""), Err(UsccError::Empty));
        assert_eq!(parse(" - "), Err(UsccError::Empty));
        assert_eq!(
            parse("91350100M000100Y4"),
            Err(UsccError::Length { found: 17 })
        );
        assert_eq!(
            parse("91350100M000100I43"),
            Err(UsccError::ForbiddenCharacter {
                position: 16,
                character: 'I'
            })
        );
        assert_eq!(
            parse("913501A0M000100Y43"),
            Err(UsccError::RegionNotDigits {
                position: 7,
                character: 'A'
            })
        );
        assert_eq!(
            parse("91350100M000200Y43"),
            Err(UsccError::OrganizationCheck {
                expected: 'X',
                found: '4'
            })
        );
        assert_eq!(
            parse("91350100M000100Y44"),
            Err(UsccError::Check {
                expected: '3',
                found: '4'
            })
        );
        // python-stdnum's own negative cases.
        assert!(matches!(
            parse("91110000600037341N"),
            Err(UsccError::Check { .. })
        ));
        assert_eq!(
            parse("9111000060003IOZSV"),
            Err(UsccError::ForbiddenCharacter {
                position: 14,
                character: 'I'
            })
        );
        assert_eq!(parse("12345"), Err(UsccError::Length { found: 5 }));
        let text = UsccError::Check {
            expected: '3',
            found: 'Z',
        }
        .explain();
        assert!(text.zh.contains("第 18 位校验码应为 3,实为 Z"));
        assert!(
            text.en
                .contains("check character (position 18) should be 3 but is Z")
        );
    }

    #[test]
    fn letters_in_the_first_two_positions_are_legal() {
        let first17 = "N2110108MA01C8XW7";
        let check = check_character(first17).expect("alphabet");
        assert!(parse(&format!("{first17}{check}")).is_ok());
    }

    #[test]
    fn organization_check_x_and_zero() {
        // Σ ≡ 1 (mod 11) gives X, Σ ≡ 0 gives 0.
        assert_eq!(organization_check_character("00000000"), Some('0'));
        assert_eq!(organization_check_character("00000006"), Some('X'));
        assert_eq!(organization_check_character("00000003"), Some('5'));
        assert_eq!(organization_check_character("0000000"), None);
        assert_eq!(organization_check_character("0000000a"), None);
    }

    #[test]
    fn explanations_snapshot() {
        let text: Vec<String> = [
            "",
            "9135010",
            "91350100M000100I43",
            "913501A0M000100Y43",
            "91350100M000200Y43",
            "91350100M0001TGQXM",
        ]
        .iter()
        .filter_map(|code| parse(code).err())
        .map(|e| format!("{e}\n  zh: {}\n  en: {}", e.explain().zh, e.explain().en))
        .collect();
        insta::assert_snapshot!(text.join("\n"));
    }
}
