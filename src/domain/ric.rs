//! 公民身份号码 (resident identity number), GB 11643-1999, including the
//! numbers on Hong Kong/Macao/Taiwan residents' residence permits
//! (810000/820000/830000) and on the 2023 Foreign Permanent Resident ID card
//! (first digit 9).
//!
//! Checked: shape (17 digits + digit or X), province code, a real birth date
//! not after the judging date, and the ISO 7064 MOD 11-2 check character.
//! Deliberately not checked: the county part of the address code. It is the
//! code of the permanent residence when the number was assigned, numbers never
//! change, and county tables by year reject real numbers (and the standard's
//! own example `440524188001010014`).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use super::mask::mask_ric;
use super::normalize_identifier;
use crate::lang::Localized;

/// Left-to-right weights 2^(18-i) mod 11 for digits 1–17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Mainland provinces, autonomous regions and municipalities (GB/T 2260).
const MAINLAND_PROVINCES: [&str; 31] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
];

/// First two digits outside the mainland list that a citizen number (or a
/// residence-permit number) can start with: 71 Taiwan, 81 Hong Kong,
/// 82 Macao, 83 Taiwan residents' residence permits.
const OTHER_PROVINCES: [&str; 4] = ["71", "81", "82", "83"];

/// Address codes of the Hong Kong, Macao and Taiwan residents' residence permits.
const RESIDENCE_PERMIT_CODES: [&str; 3] = ["810000", "820000", "830000"];

/// Whose number this is; the layout and check are the same for all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// A citizen's resident identity card.
    Citizen,
    /// 港澳台居民居住证, address code 810000, 820000 or 830000.
    ResidencePermit,
    /// 外国人永久居留身份证 (2023 version): digit 1 is 9, digits 2–3 the
    /// accepting province, digits 4–6 a numeric nationality code.
    ForeignPermanentResident,
}

/// Sex encoded in the parity of digit 17 (odd = male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

/// A valid 18-character number in normalised form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId {
    number: String,
    birth: NaiveDate,
    kind: IdKind,
}

impl ResidentId {
    pub fn as_str(&self) -> &str {
        &self.number
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth
    }

    pub fn sex(&self) -> Sex {
        let digit = self.number.as_bytes().get(16).copied().unwrap_or(b'0');
        // ASCII '0' is even, so the byte has the digit's parity.
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Age in full years on `date` (0 before birth). Someone born on 02-29
    /// becomes a year older on 03-01 in non-leap years: the day after 02-28,
    /// because the birthday has not yet come on 02-28. This is the plain
    /// calendar reading used for 周岁 in civil and labour matters; criminal
    /// law counts 已满 N 周岁 from the day after the birthday, which is a
    /// different question.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        if date < self.birth {
            return 0;
        }
        let mut years = date.year() - self.birth.year();
        if (date.month(), date.day()) < (self.birth.month(), self.birth.day()) {
            years -= 1;
        }
        u32::try_from(years).unwrap_or(0)
    }

    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// The 6-digit address code (digits 1–6).
    pub fn address_code(&self) -> &str {
        &self.number[..6]
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.number)
    }
}

/// Why a value is not a valid resident identity number. Positions count from
/// 1 in the normalised number. Neither `Display` nor [`RicError::explain`]
/// ever contains a whole number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RicError {
    #[error("the ID number is empty")]
    Empty,
    #[error("an ID number has 18 characters, found {found}")]
    Length { found: usize },
    #[error(
        "character at position {position} is not allowed (digits only, X only as the last character)"
    )]
    InvalidCharacter { position: usize },
    #[error(
        "a first-generation 15-digit number, no longer valid since 2013-01-01; the 18-digit form is {}",
        mask_ric(upgraded)
    )]
    FirstGeneration { upgraded: String },
    #[error("province code {code} does not exist")]
    Province { code: String },
    #[error("birth date {text} (positions 7–14) is not a real date")]
    BirthDate { text: String },
    #[error("birth date {birth} is after the judging date {judged_on}")]
    BornAfter {
        birth: NaiveDate,
        judged_on: NaiveDate,
    },
    #[error("check character (position 18) should be {expected} but is {found}")]
    Check { expected: char, found: char },
}

impl RicError {
    /// Which part of the number is wrong, in Chinese and English.
    pub fn explain(&self) -> Localized {
        match self {
            RicError::Empty => Localized::new("身份证号码为空", "the ID number is empty"),
            RicError::Length { found } => Localized::new(
                format!("身份证号码应为 18 位,实为 {found} 位"),
                format!("an ID number has 18 characters, this one has {found}"),
            ),
            RicError::InvalidCharacter { position } => Localized::new(
                format!("第 {position} 位字符无效:前 17 位只能是数字,第 18 位只能是数字或 X"),
                format!(
                    "the character at position {position} is not allowed: positions 1–17 are digits, position 18 is a digit or X"
                ),
            ),
            RicError::FirstGeneration { upgraded } => Localized::new(
                format!(
                    "这是 15 位的第一代身份证号码,已于 2013-01-01 停止使用;对应的 18 位号码为 {},请提供第二代身份证号码",
                    mask_ric(upgraded)
                ),
                format!(
                    "this is a 15-digit first-generation number, no longer valid since 2013-01-01; its 18-digit form is {}; please give the second-generation number",
                    mask_ric(upgraded)
                ),
            ),
            RicError::Province { code } => Localized::new(
                format!("省级行政区划代码 {code} 不存在"),
                format!("province code {code} does not exist"),
            ),
            RicError::BirthDate { text } => Localized::new(
                format!("第 7–14 位出生日期 {text} 不是有效日期"),
                format!("the birth date {text} (positions 7–14) is not a real date"),
            ),
            RicError::BornAfter { birth, judged_on } => Localized::new(
                format!("出生日期 {birth} 晚于判定日期 {judged_on}"),
                format!("the birth date {birth} is after the judging date {judged_on}"),
            ),
            RicError::Check { expected, found } => Localized::new(
                format!("第 18 位校验码应为 {expected},实为 {found};号码中可能有数字抄错"),
                format!(
                    "check character (position 18) should be {expected} but is {found}; a digit may be mistyped"
                ),
            ),
        }
    }
}

/// The ISO 7064 MOD 11-2 check character for 17 digits; `None` unless given
/// exactly 17 ASCII digits.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for (i, c) in first17.chars().enumerate() {
        let weight = WEIGHTS.get(i)?;
        sum += c.to_digit(10)? * weight;
        count += 1;
    }
    if count != 17 || !first17.is_ascii() {
        return None;
    }
    match (12 - sum % 11) % 11 {
        10 => Some('X'),
        d => char::from_digit(d, 10),
    }
}

/// The 18-digit form of a 15-digit first-generation number: `19` inserted
/// before the 2-digit year, check character appended. `None` unless the
/// (normalised) input is 15 digits with a real 19YYMMDD date. The blind `19`
/// is what every converter does; GB 11643-1989 centenarian codes are lost.
pub fn upgrade_first_generation(fifteen: &str) -> Option<String> {
    let number = normalize_identifier(fifteen);
    if number.len() != 15 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first17 = format!("{}19{}", &number[..6], &number[6..]);
    date_from_digits(&first17[6..14])?;
    let check = check_character(&first17)?;
    Some(format!("{first17}{check}"))
}

/// A real Gregorian date from 8 ASCII digits; year 0 does not exist.
fn date_from_digits(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = text[..4].parse().ok()?;
    let month: u32 = text[4..6].parse().ok()?;
    let day: u32 = text[6..8].parse().ok()?;
    if year == 0 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Parses a resident identity number as written (spaces, hyphens, full-width
/// digits and a lowercase `x` are normalised) and judges its birth date
/// against `judged_on`. A 15-digit number is reported as
/// [`RicError::FirstGeneration`] with its 18-digit form.
pub fn parse(input: &str, judged_on: NaiveDate) -> Result<ResidentId, RicError> {
    let number = normalize_identifier(input);
    if number.is_empty() {
        return Err(RicError::Empty);
    }
    let chars: Vec<char> = number.chars().collect();
    if chars.len() == 15 {
        if let Some(i) = chars.iter().position(|c| !c.is_ascii_digit()) {
            return Err(RicError::InvalidCharacter { position: i + 1 });
        }
        return match upgrade_first_generation(&number) {
            Some(upgraded) => Err(RicError::FirstGeneration { upgraded }),
            None => Err(RicError::BirthDate {
                text: format!("19{}", &number[6..12]),
            }),
        };
    }
    if chars.len() != 18 {
        return Err(RicError::Length { found: chars.len() });
    }
    for (i, &c) in chars.iter().enumerate() {
        let allowed = c.is_ascii_digit() || (i == 17 && c == 'X');
        if !allowed {
            return Err(RicError::InvalidCharacter { position: i + 1 });
        }
    }
    // Every character is now ASCII, so byte slicing is safe.
    let kind = if number.starts_with('9') {
        let code = &number[1..3];
        if !MAINLAND_PROVINCES.contains(&code) {
            return Err(RicError::Province {
                code: code.to_string(),
            });
        }
        IdKind::ForeignPermanentResident
    } else {
        let code = &number[..2];
        if !MAINLAND_PROVINCES.contains(&code) && !OTHER_PROVINCES.contains(&code) {
            return Err(RicError::Province {
                code: code.to_string(),
            });
        }
        if RESIDENCE_PERMIT_CODES.contains(&&number[..6]) {
            IdKind::ResidencePermit
        } else {
            IdKind::Citizen
        }
    };
    let text = &number[6..14];
    let Some(birth) = date_from_digits(text) else {
        return Err(RicError::BirthDate {
            text: text.to_string(),
        });
    };
    if birth > judged_on {
        return Err(RicError::BornAfter { birth, judged_on });
    }
    if let Some(expected) = check_character(&number[..17]) {
        let found = chars[17];
        if expected != found {
            return Err(RicError::Check { expected, found });
        }
    }
    Ok(ResidentId {
        number,
        birth,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    fn today() -> NaiveDate {
        day(2024, 8, 28)
    }

    #[test]
    fn standard_and_published_examples() {
        let cases = [
            (
                "11010519491231002X",
                day(1949, 12, 31),
                Sex::Female,
                IdKind::Citizen,
            ),
            (
                "440524188001010014",
                day(1880, 1, 1),
                Sex::Male,
                IdKind::Citizen,
            ),
            (
                "81000019980902013X",
                day(1998, 9, 2),
                Sex::Male,
                IdKind::ResidencePermit,
            ),
            (
                "820000200009100032",
                day(2000, 9, 10),
                Sex::Male,
                IdKind::ResidencePermit,
            ),
            (
                "830000200209060065",
                day(2002, 9, 6),
                Sex::Female,
                IdKind::ResidencePermit,
            ),
            (
                "932682198501010017",
                day(1985, 1, 1),
                Sex::Male,
                IdKind::ForeignPermanentResident,
            ),
            (
                "360426199101010071",
                day(1991, 1, 1),
                Sex::Male,
                IdKind::Citizen,
            ),
            (
                "44011320141005001X",
                day(2014, 10, 5),
                Sex::Male,
                IdKind::Citizen,
            ),
        ];
        for (number, birth, sex, kind) in cases {
            let id = parse(number, today()).unwrap_or_else(|e| panic!("{number}: {e}"));
            assert_eq!(id.as_str(), number);
            assert_eq!(id.birth_date(), birth, "{number}");
            assert_eq!(id.sex(), sex, "{number}");
            assert_eq!(id.kind(), kind, "{number}");
        }
    }

    #[test]
    fn spellings_normalise() {
        for spelling in [
            "110105 19491231 002x",
            "11010519491231002x",
            "１１０１０５１９４９１２３１００２Ｘ",
            "110105-19491231-002X",
            "\u{3000}110105\u{3000}19491231002ｘ ",
        ] {
            let id = parse(spelling, today()).unwrap_or_else(|e| panic!("{spelling}: {e}"));
            assert_eq!(id.as_str(), "11010519491231002X");
        }
    }

    #[test]
    fn first_generation_numbers_are_upgraded() {
        for (old, new) in [
            ("150102880730303", "150102198807303035"),
            ("330102200403064", "33010219200403064X"),
            ("310112850409522", "310112198504095227"),
        ] {
            assert_eq!(upgrade_first_generation(old).as_deref(), Some(new));
            assert_eq!(
                parse(old, today()),
                Err(RicError::FirstGeneration {
                    upgraded: new.to_string()
                })
            );
        }
        assert_eq!(upgrade_first_generation("150102881330303"), None);
        assert!(matches!(
            parse("150102881330303", today()),
            Err(RicError::BirthDate { .. })
        ));
    }

    #[test]
    fn errors_name_the_part() {
        assert_eq!(parse("", today()), Err(RicError::Empty));
        assert_eq!(
            parse("1101051949123100", today()),
            Err(RicError::Length { found: 16 })
        );
        assert_eq!(
            parse("T60426199101010078", today()),
            Err(RicError::InvalidCharacter { position: 1 })
        );
        assert_eq!(
            parse("1101051949123100X2", today()),
            Err(RicError::InvalidCharacter { position: 17 })
        );
        assert_eq!(
            parse("910105194912310026", today()),
            Err(RicError::Province { code: "10".into() })
        );
        assert_eq!(
            parse("990426199112010074", today()),
            Err(RicError::Province { code: "90".into() })
        );
        assert_eq!(
            parse("010105194912310026", today()),
            Err(RicError::Province { code: "01".into() })
        );
        assert_eq!(
            parse("360426199113010079", today()),
            Err(RicError::BirthDate {
                text: "19911301".into()
            })
        );
        assert_eq!(
            parse("110105190002290026", today()),
            Err(RicError::BirthDate {
                text: "19000229".into()
            })
        );
        assert_eq!(
            parse("36042619910102009X", today()),
            Err(RicError::Check {
                expected: '3',
                found: 'X'
            })
        );
        assert_eq!(
            parse("11010519491231002X", day(1949, 12, 30)),
            Err(RicError::BornAfter {
                birth: day(1949, 12, 31),
                judged_on: day(1949, 12, 30)
            })
        );
        assert!(parse("11010519491231002X", day(1949, 12, 31)).is_ok());
    }

    #[test]
    fn leap_day_births_are_real_dates() {
        let first17 = "11010520000229002";
        let check = check_character(first17).expect("digits");
        let id = parse(&format!("{first17}{check}"), today()).expect("2000-02-29 exists");
        assert_eq!(id.birth_date(), day(2000, 2, 29));
        assert_eq!(id.age_on(day(2018, 2, 28)), 17);
        assert_eq!(id.age_on(day(2018, 3, 1)), 18);
        assert_eq!(id.age_on(day(2016, 2, 29)), 16);
        assert_eq!(id.age_on(day(1999, 1, 1)), 0);
    }

    #[test]
    fn hutool_vectors() {
        let on = day(2017, 4, 10);
        let id = parse("321083197812162119", today()).expect("valid");
        assert_eq!(
            (id.age_on(on), id.sex(), id.address_code()),
            (38, Sex::Male, "321083")
        );
        assert_eq!(
            parse("932682198501010017", today()).map(|id| id.age_on(on)),
            Ok(32)
        );
        assert_eq!(
            parse("201511221897205960", today()),
            Err(RicError::Province { code: "20".into() })
        );
        assert_eq!(
            parse("3301022011022000D6", today()),
            Err(RicError::InvalidCharacter { position: 17 })
        );
        assert!(matches!(
            parse("360198910283844", today()),
            Err(RicError::BirthDate { .. })
        ));
        assert!(matches!(
            parse("815727834224151", today()),
            Err(RicError::BirthDate { .. })
        ));
        assert!(matches!(
            parse("111111111111111", today()),
            Err(RicError::FirstGeneration { .. })
        ));
    }

    #[test]
    fn age_counts_full_years() {
        let id = parse("11010519491231002X", today()).expect("valid");
        assert_eq!(id.age_on(day(2024, 12, 30)), 74);
        assert_eq!(id.age_on(day(2024, 12, 31)), 75);
    }

    #[test]
    fn explanations_never_contain_the_number() {
        let number = "11010519491231002X";
        let errors = [
            parse("11010519491231002Y", today()).expect_err("bad"),
            parse("11010519491231001X", today()).expect_err("bad"),
            parse("110105491231002", today()).expect_err("bad"),
            parse(number, day(1900, 1, 1)).expect_err("bad"),
        ];
        for error in errors {
            let text = error.explain();
            for shown in [text.zh, text.en, error.to_string()] {
                assert!(!shown.contains("11010519491231"), "{shown}");
                assert!(!shown.contains("110105491231"), "{shown}");
            }
        }
        let text = RicError::Check {
            expected: '3',
            found: 'Z',
        }
        .explain();
        assert!(text.zh.contains("第 18 位校验码应为 3,实为 Z"));
    }

    #[test]
    fn check_character_rejects_non_digits() {
        assert_eq!(check_character("1101051949123100"), None);
        assert_eq!(check_character("1101051949123100A"), None);
        assert_eq!(check_character("11010519491231002"), Some('X'));
        assert_eq!(check_character("１１０１０５１９４９１２３１００２"), None);
    }

    #[test]
    fn explanations_snapshot() {
        let text: Vec<String> = [
            "",
            "1101051949123100",
            "T60426199101010078",
            "150102880730303",
            "010105194912310026",
            "360426199113010079",
            "11010520300101002X",
            "36042619910102009X",
        ]
        .iter()
        .filter_map(|number| parse(number, today()).err())
        .map(|e| format!("{e}\n  zh: {}\n  en: {}", e.explain().zh, e.explain().en))
        .collect();
        insta::assert_snapshot!(text.join("\n"));
    }
}
