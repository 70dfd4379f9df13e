//! Property tests across the domain validators: numbers built by the
//! published algorithms always parse, every single-character typo is
//! caught, normalised forms are fixed points, and nothing panics on
//! arbitrary input.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::calendar::WorkingDayCalendar;
use super::{date, email, mask, mobile, name, normalize_identifier, ric, uscc};

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const PROVINCES: [&str; 35] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82", "83",
];

fn judged_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).expect("date")
}

fn uscc_char() -> impl Strategy<Value = char> {
    prop::sample::select(USCC_ALPHABET.chars().collect::<Vec<_>>())
}

/// A USCC built by the algorithms: random parts, both check characters computed.
fn valid_uscc() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(uscc_char(), 2),
        "[0-9]{6}",
        prop::collection::vec(uscc_char(), 8),
    )
        .prop_map(|(head, region, body)| {
            let body: String = body.into_iter().collect();
            let org = uscc::organization_check_character(&body).expect("alphabet body");
            let first17: String = head
                .into_iter()
                .chain(region.chars())
                .chain(body.chars())
                .chain([org])
                .collect();
            let check = uscc::check_character(&first17).expect("alphabet");
            format!("{first17}{check}")
        })
}

/// A resident ID built by the algorithm: any province, county, real birth
/// date up to the judging date, sequence; check character computed.
fn valid_ric() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PROVINCES.to_vec()),
        "[0-9]{4}",
        0u64..50_000,
        "[0-9]{3}",
        any::<bool>(),
    )
        .prop_map(|(province, county, days_back, sequence, foreign)| {
            let birth = judged_on() - Days::new(days_back);
            let address = if foreign {
                // 9 + accepting province + numeric nationality code.
                format!("9{}{}", &PROVINCES[(days_back % 31) as usize], &county[..3])
            } else {
                format!("{province}{county}")
            };
            let first17 = format!("{address}{}{sequence}", birth.format("%Y%m%d"));
            let check = ric::check_character(&first17).expect("digits");
            format!("{first17}{check}")
        })
}

/// Writes a normalised identifier the way people do: lowercase, full-width,
/// with spaces, ideographic spaces and hyphens.
fn respell(code: &str, choices: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        let choice = choices.get(i).copied().unwrap_or(0);
        match choice % 4 {
            1 => out.extend(c.to_lowercase()),
            2 => out.push(char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)),
            _ => out.push(c),
        }
        match choice / 4 % 5 {
            1 => out.push(' '),
            2 => out.push('-'),
            3 => out.push('\u{3000}'),
            _ => {}
        }
    }
    out
}

proptest! {
    #[test]
    fn built_usccs_parse(code in valid_uscc()) {
        let parsed = uscc::parse(&code);
        prop_assert_eq!(parsed.as_ref().map(|c| c.as_str()), Ok(code.as_str()));
    }

    #[test]
    fn uscc_single_substitutions_fail(code in valid_uscc(), position in 0usize..18, replacement in "[0-9A-Z]") {
        let replacement = replacement.chars().next().unwrap_or('0');
        let chars: Vec<char> = code.chars().collect();
        prop_assume!(chars[position] != replacement);
        let mut typo = chars.clone();
        typo[position] = replacement;
        let typo: String = typo.into_iter().collect();
        prop_assert!(uscc::parse(&typo).is_err(), "{} accepted", typo);
    }

    #[test]
    fn uscc_spellings_round_trip(code in valid_uscc(), choices in prop::collection::vec(any::<u8>(), 18)) {
        let spelled = respell(&code, &choices);
        let parsed = uscc::parse(&spelled).map(|c| c.as_str().to_string());
        prop_assert_eq!(parsed.as_deref(), Ok(code.as_str()));
        prop_assert_eq!(uscc::parse(&code).map(|c| c.as_str().to_string()), Ok(code.clone()));
    }

    #[test]
    fn built_rics_parse(number in valid_ric()) {
        let parsed = ric::parse(&number, judged_on());
        prop_assert_eq!(parsed.as_ref().map(|r| r.as_str()), Ok(number.as_str()));
    }

    #[test]
    fn ric_single_substitutions_fail(number in valid_ric(), position in 0usize..18, replacement in "[0-9X]") {
        let replacement = replacement.chars().next().unwrap_or('0');
        let chars: Vec<char> = number.chars().collect();
        prop_assume!(chars[position] != replacement);
        let mut typo = chars.clone();
        typo[position] = replacement;
        let typo: String = typo.into_iter().collect();
        prop_assert!(ric::parse(&typo, judged_on()).is_err(), "{} accepted", typo);
    }

    #[test]
    fn ric_spellings_round_trip(number in valid_ric(), choices in prop::collection::vec(any::<u8>(), 18)) {
        let spelled = respell(&number, &choices);
        let parsed = ric::parse(&spelled, judged_on()).map(|r| r.as_str().to_string());
        prop_assert_eq!(parsed.as_deref(), Ok(number.as_str()));
        let again = ric::parse(&number, judged_on()).map(|r| r.as_str().to_string());
        prop_assert_eq!(again, Ok(number.clone()));
    }

    #[test]
    fn mobile_spellings_are_equal(second in 3u8..=9, rest in "[0-9]{9}", style in 0usize..8) {
        let national = format!("1{second}{rest}");
        let (a, b, c) = (&national[..3], &national[3..7], &national[7..]);
        let spelled = match style {
            0 => national.clone(),
            1 => format!("+86 {a} {b} {c}"),
            2 => format!("+86{national}"),
            3 => format!("0086-{a}-{b}-{c}"),
            4 => format!("(+86){a} {b} {c}"),
            5 => format!("86{national}"),
            6 => national.chars().map(|d| char::from_u32(d as u32 + 0xFEE0).unwrap_or(d)).collect(),
            _ => format!("tel:+86-{a}-{b}-{c}"),
        };
        let parsed = mobile::parse(&spelled).map(|m| m.as_str().to_string());
        prop_assert_eq!(parsed, Ok(national.clone()));
    }

    #[test]
    fn nth_working_day_is_working_and_increasing(days in 0u64..(366 * 5), n in 1u32..60) {
        let calendar = shipped_calendar();
        let start = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + Days::new(days);
        let this = calendar.nth_working_day_after(start, n);
        let next = calendar.nth_working_day_after(start, n + 1);
        prop_assert!(calendar.is_working_day(this.date).working);
        prop_assert!(this.date > start);
        prop_assert!(next.date > this.date);
    }

    #[test]
    fn nothing_panics_on_arbitrary_text(text in any::<String>(), n in any::<u32>()) {
        let _ = normalize_identifier(&text);
        let _ = uscc::parse(&text);
        let _ = uscc::check_character(&text);
        let _ = uscc::organization_check_character(&text);
        let _ = ric::parse(&text, judged_on());
        let _ = ric::check_character(&text);
        let _ = ric::upgrade_first_generation(&text);
        let _ = mobile::parse(&text).map(|m| m.segment_allocated());
        let _ = email::parse(&text).map(|e| e.comparison_key());
        let _ = name::comparison_key(&text);
        let _ = date::parse_date_or_long_term(&text);
        let _ = mask::mask_ric(&text);
        let _ = mask::mask_mobile(&text);
        let _ = crate::rules::calendar_from_text("calendar.yaml", &text);
        if let Ok(date) = date::parse_date(&text) {
            let _ = shipped_calendar().nth_working_day_after(date, n % 10_000);
        }
        if let Err(error) = uscc::parse(&text) {
            prop_assert!(!error.explain().zh.is_empty());
        }
    }

    /// The NFKC quick check only ever skips work: the keys are those the
    /// full normalisation gives, on any text and on names as written.
    #[test]
    fn quick_checked_keys_are_the_normalised_ones(
        text in prop_oneof![any::<String>(), "[a-zA-Z0-9（）()·•．. 　\u{200B}张三锤子科贸ＡＢ１２]{0,16}"],
    ) {
        use unicode_normalization::UnicodeNormalization;
        let identifier: String = text
            .nfkc()
            .filter(|c| {
                !c.is_whitespace()
                    && !super::normalize::is_dash(*c)
                    && !super::normalize::is_invisible(*c)
            })
            .flat_map(char::to_uppercase)
            .collect();
        prop_assert_eq!(normalize_identifier(&text), identifier);
        // What NFKC leaves unchanged, the quick path and the full one agree on.
        let normalised: String = text.nfkc().collect();
        prop_assert_eq!(normalize_identifier(&normalised), normalize_identifier(&text));
        prop_assert!(name::same_name(&text, &text.clone()));
        prop_assert_eq!(
            name::same_name(&text, &normalised),
            name::comparison_key(&text) == name::comparison_key(&normalised)
        );
    }

    #[test]
    fn nothing_panics_on_identifier_like_text(text in "[0-9Xx０-９ \\-+()（）\u{3000}]{0,25}") {
        let _ = uscc::parse(&text).map_err(|e| e.explain());
        let _ = ric::parse(&text, judged_on()).map_err(|e| e.explain());
        let _ = mobile::parse(&text).map_err(|e| e.explain());
        let _ = date::parse_date(&text).map_err(|e| e.explain());
    }

    #[test]
    fn ric_explanations_never_show_the_number(number in valid_ric(), position in 0usize..18, replacement in "[0-9X]") {
        let mut chars: Vec<char> = number.chars().collect();
        chars[position] = replacement.chars().next().unwrap_or('0');
        let typo: String = chars.into_iter().collect();
        if let Err(error) = ric::parse(&typo, judged_on()) {
            let text = error.explain();
            for shown in [text.zh, text.en, error.to_string()] {
                prop_assert!(!shown.contains(&typo[..14]), "{}", shown);
            }
        }
    }
}

fn shipped_calendar() -> WorkingDayCalendar {
    crate::rules::calendar_from_text(
        "cn-mainland.yaml",
        include_str!("../../rules/calendar/cn-mainland.yaml"),
    )
    .expect("shipped calendar loads")
}
