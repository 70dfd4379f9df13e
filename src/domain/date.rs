//! Dates as written on Chinese documents and manifests (`2024-08-28`,
//! `2024-8-28`, `2024/8/28`, `2024.08.28` as ID cards print them,
//! `2024年8月28日`), and validity ends that may be "long term" (`long_term`,
//! `长期`, `长期有效`, `无固定期限`). A validity period copied whole from a
//! card (`2015.03.01-2035.03.01`) is recognised, so the message can give the
//! one date to write.

use std::fmt;

use chrono::NaiveDate;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::lang::Localized;

/// A date, or "no end date" for validity periods and open-ended contracts.
/// `LongTerm` sorts after every day, so `valid_until >= judged_on` works for
/// both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DateValue {
    Day(NaiveDate),
    LongTerm,
}

impl fmt::Display for DateValue {
    /// ISO `YYYY-MM-DD`, or `long_term`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            DateValue::LongTerm => f.write_str("long_term"),
        }
    }
}

/// Why a value is not a date. Each variant quotes the value as given.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    #[error("the date is empty")]
    Empty,
    #[error("{text:?} is not written as YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日")]
    Format { text: String },
    #[error("{text:?} is not a real date")]
    NoSuchDay { text: String },
    #[error("{text:?}: the year must be between 1 and 9999")]
    Year { text: String },
    /// A period (start and end) where one date belongs; `end` is what a
    /// "valid until" field wants.
    #[error("{text:?} is a period, not one date")]
    Period { text: String, end: DateValue },
}

impl DateError {
    /// What is wrong with the value, in Chinese and English.
    pub fn explain(&self) -> Localized {
        match self {
            DateError::Empty => Localized::new("日期为空", "the date is empty"),
            DateError::Format { text } => Localized::new(
                format!(
                    "“{text}”不是可识别的日期,应写作 YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD 或 YYYY年M月D日"
                ),
                format!(
                    "\"{text}\" is not a recognised date; write YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日"
                ),
            ),
            DateError::Period { text, end } => {
                let (zh_end, en_end) = match end {
                    DateValue::Day(_) => (end.to_string(), end.to_string()),
                    DateValue::LongTerm => ("长期".to_string(), "long_term".to_string()),
                };
                Localized::new(
                    format!("“{text}”是一段期限,不是一个日期;有效期只填截止日期:{zh_end}"),
                    format!(
                        "\"{text}\" is a period, not one date; for a validity, write only its end date: {en_end}"
                    ),
                )
            }
            DateError::NoSuchDay { text } => Localized::new(
                format!("“{text}”不是真实存在的日期(月份或日期超出范围)"),
                format!("\"{text}\" is not a real date (month or day out of range)"),
            ),
            DateError::Year { text } => Localized::new(
                format!("“{text}”的年份应在 1 至 9999 之间"),
                format!("\"{text}\": the year must be between 1 and 9999"),
            ),
        }
    }
}

/// Parses `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (month and day of one
/// or two digits) or `YYYY年M月D日`, after NFKC (full-width digits and
/// separators) and trimming. Whitespace inside the Chinese form is ignored.
/// A period of two dates (`2015.03.01-2035.03.01`, `…至…`) is
/// [`DateError::Period`], naming its end.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let text: String = input.nfkc().collect::<String>().trim().to_string();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    parse_one_date(&text).map_err(|error| match period_end(&text) {
        Some(end) => DateError::Period { text, end },
        None => error,
    })
}

/// One date, no period; `text` is already normalised and trimmed.
fn parse_one_date(text: &str) -> Result<NaiveDate, DateError> {
    let format_error = || DateError::Format {
        text: text.to_string(),
    };
    let (year, month, day) = if let Some(rest) = text.strip_suffix('日') {
        // The Chinese form may carry spaces around its numbers.
        let (year, rest) = rest.split_once('年').ok_or_else(format_error)?;
        let (month, day) = rest.split_once('月').ok_or_else(format_error)?;
        (year.trim(), month.trim(), day.trim())
    } else {
        // One separator, the same twice: 2024-8-28, 2024/8/28, 2024.8.28.
        let separator = text
            .chars()
            .find(|c| matches!(c, '-' | '/' | '.'))
            .ok_or_else(format_error)?;
        let mut fields = text.splitn(3, separator);
        match (fields.next(), fields.next(), fields.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(format_error()),
        }
    };
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 4, 4) || !digits(month, 1, 2) || !digits(day, 1, 2) {
        return Err(format_error());
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        year.parse::<i32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return Err(format_error());
    };
    if y < 1 {
        return Err(DateError::Year {
            text: text.to_string(),
        });
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay {
        text: text.to_string(),
    })
}

/// The end of a period written as two dates with a separator between them
/// (`-`, `~`, `至`, a dash), the end possibly 长期: what a validity field
/// should hold.
fn period_end(text: &str) -> Option<DateValue> {
    text.char_indices()
        .filter(|(_, c)| matches!(c, '-' | '~' | '至' | '—' | '–' | '到'))
        .find_map(|(index, c)| {
            let start = text[..index].trim();
            let end = text[index + c.len_utf8()..].trim();
            parse_one_date(start).ok()?;
            match parse_one_date(end) {
                Ok(day) => Some(DateValue::Day(day)),
                Err(_) if is_long_term(end) => Some(DateValue::LongTerm),
                Err(_) => None,
            }
        })
}

fn is_long_term(text: &str) -> bool {
    text.eq_ignore_ascii_case("long_term") || matches!(text, "长期" | "长期有效" | "无固定期限")
}

/// Like [`parse_date`], and also accepts `long_term` (any case), `长期`,
/// `长期有效` and `无固定期限` as [`DateValue::LongTerm`].
pub fn parse_date_or_long_term(input: &str) -> Result<DateValue, DateError> {
    let text: String = input.nfkc().collect::<String>().trim().to_string();
    if is_long_term(&text) {
        return Ok(DateValue::LongTerm);
    }
    parse_date(&text).map(DateValue::Day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn accepted_forms() {
        for text in [
            "2024-08-28",
            " 2024-08-28 ",
            "2024/08/28",
            "2024/8/28",
            "2024年8月28日",
            "2024年08月28日",
            "2024 年 8 月 28 日",
            "２０２４年８月２８日",
            "２０２４－０８－２８",
            "\u{3000}2024/8/28\u{3000}",
            "2024-8-28",
            "2024.08.28",
            "2024.8.28",
        ] {
            assert_eq!(parse_date(text), Ok(day(2024, 8, 28)), "{text}");
        }
        assert_eq!(parse_date("2024-02-29"), Ok(day(2024, 2, 29)));
        assert_eq!(parse_date("0001-01-01"), Ok(day(1, 1, 1)));
        assert_eq!(parse_date("9999-12-31"), Ok(day(9999, 12, 31)));
    }

    #[test]
    fn rejected_values_are_quoted() {
        assert_eq!(parse_date(""), Err(DateError::Empty));
        assert_eq!(
            parse_date("0000-00-00"),
            Err(DateError::Year {
                text: "0000-00-00".into()
            })
        );
        assert_eq!(
            parse_date("2023-02-29"),
            Err(DateError::NoSuchDay {
                text: "2023-02-29".into()
            })
        );
        assert_eq!(
            parse_date("2024-13-01"),
            Err(DateError::NoSuchDay {
                text: "2024-13-01".into()
            })
        );
        assert_eq!(
            parse_date("1900年2月29日"),
            Err(DateError::NoSuchDay {
                text: "1900年2月29日".into()
            })
        );
        for text in [
            "24-08-28",
            "2024.08/28",
            "28/08/2024",
            "2024-08-28T00:00",
            "2024年8月",
            "2024-08",
            "+2024-08-28",
            "2024/-8/28",
            "20240828",
            "-2024-08-28",
        ] {
            assert_eq!(
                parse_date(text),
                Err(DateError::Format { text: text.into() }),
                "{text}"
            );
        }
        let text = parse_date("2023-02-29").expect_err("no such day").explain();
        assert!(text.zh.contains("2023-02-29") && text.en.contains("2023-02-29"));
    }

    #[test]
    fn long_term() {
        for text in [
            "long_term",
            "LONG_TERM",
            "Long_Term",
            " 长期 ",
            "长期有效",
            "无固定期限",
        ] {
            assert_eq!(
                parse_date_or_long_term(text),
                Ok(DateValue::LongTerm),
                "{text}"
            );
        }
        assert_eq!(
            parse_date_or_long_term("2031-05-20"),
            Ok(DateValue::Day(day(2031, 5, 20)))
        );
        assert!(parse_date_or_long_term("forever").is_err());
        assert_eq!(DateValue::LongTerm.to_string(), "long_term");
        assert_eq!(DateValue::Day(day(2024, 8, 5)).to_string(), "2024-08-05");
        assert_eq!(DateValue::Day(day(1, 1, 1)).to_string(), "0001-01-01");
    }

    #[test]
    fn a_period_names_its_end() {
        for (text, end) in [
            ("2015.03.01-2035.03.01", DateValue::Day(day(2035, 3, 1))),
            ("2015-03-01-2035-03-01", DateValue::Day(day(2035, 3, 1))),
            ("2015.03.01 至 2035.03.01", DateValue::Day(day(2035, 3, 1))),
            ("2015年3月1日~2035年3月1日", DateValue::Day(day(2035, 3, 1))),
            ("2020.06.01-长期", DateValue::LongTerm),
        ] {
            assert_eq!(
                parse_date_or_long_term(text),
                Err(DateError::Period {
                    text: text.nfkc().collect(),
                    end
                }),
                "{text}"
            );
        }
        let explained = parse_date("2015.03.01-2035.03.01").unwrap_err().explain();
        assert!(
            explained.zh.ends_with("只填截止日期:2035-03-01"),
            "{}",
            explained.zh
        );
        assert!(
            explained
                .en
                .ends_with("write only its end date: 2035-03-01")
        );
        // Not a period: one side is not a date.
        assert!(matches!(
            parse_date("2015.03.01-x"),
            Err(DateError::Format { .. })
        ));
    }

    #[test]
    fn long_term_sorts_last() {
        assert!(DateValue::LongTerm > DateValue::Day(day(9999, 12, 31)));
        assert!(DateValue::Day(day(2024, 1, 1)) < DateValue::Day(day(2024, 1, 2)));
    }

    #[test]
    fn explanations_snapshot() {
        let text: Vec<String> = ["", "2024.08.28", "2023-02-29", "0000-00-00"]
            .iter()
            .filter_map(|value| parse_date_or_long_term(value).err())
            .map(|e| format!("{e}\n  zh: {}\n  en: {}", e.explain().zh, e.explain().en))
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }
}
