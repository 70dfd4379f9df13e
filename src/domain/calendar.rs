//! The mainland working-day calendar: weekends, public holidays and 调休
//! (weekend days that are working days), loaded from a YAML data file such
//! as `rules/calendar/cn-mainland.yaml` so a rule author can add next year's
//! State Council notice without touching Rust.
//!
//! Outside the years the file covers, Monday–Friday are working days and
//! every answer says it was not covered, so a report can say so.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer};
use thiserror::Error;

use crate::lang::Localized;

/// A calendar loaded from YAML: every day the notices name, and the years
/// they cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDayCalendar {
    name: String,
    days: BTreeMap<NaiveDate, Special>,
    years: BTreeSet<i32>,
    sources: BTreeMap<i32, String>,
}

/// A day the notices name: off for a holiday, or a 调休 working weekend day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Special {
    working: bool,
    holiday: Localized,
}

/// What a day is on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayKind {
    pub working: bool,
    /// Whether the day's year is in the calendar; if not, `working` is the
    /// plain Monday–Friday rule.
    pub covered: bool,
    /// The holiday (Chinese name) a day off belongs to; `None` for working
    /// days and ordinary weekends.
    pub holiday: Option<String>,
}

/// The result of counting working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedDay {
    pub date: NaiveDate,
    /// False if any day examined lay outside the covered years, so the date
    /// may move when the next notice is entered.
    pub covered: bool,
}

/// Why a calendar file could not be loaded. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("calendar YAML{}: {message}", at(*line, *column))]
    Yaml {
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    #[error("calendar{}: year {year} is listed twice", at(*line, None))]
    DuplicateYear { year: i32, line: Option<usize> },
    #[error("calendar{}: {date} is listed under year {year}", at(*line, None))]
    DateOutsideYear {
        date: NaiveDate,
        year: i32,
        line: Option<usize>,
    },
    #[error("calendar{}: {date} is a {weekday}; only a Saturday or Sunday can be a 调休 working day", at(*line, None))]
    WorkNotWeekend {
        date: NaiveDate,
        weekday: Weekday,
        line: Option<usize>,
    },
    #[error("calendar{}: the off range {from} to {to} ends before it starts", at(*line, None))]
    RangeReversed {
        from: NaiveDate,
        to: NaiveDate,
        line: Option<usize>,
    },
    #[error("calendar{}: {date} is listed more than once (as a day off or a working day)", at(*line, None))]
    Conflict {
        date: NaiveDate,
        line: Option<usize>,
    },
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(" at line {line} column {column}"),
        (Some(line), None) => format!(" at line {line}"),
        _ => String::new(),
    }
}

fn at_zh(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("第 {line} 行第 {column} 列:"),
        (Some(line), None) => format!("第 {line} 行:"),
        _ => String::new(),
    }
}

impl CalendarError {
    /// What is wrong in the file and where, in Chinese and English.
    pub fn explain(&self) -> Localized {
        let en = self.to_string();
        let zh = match self {
            CalendarError::Yaml {
                message,
                line,
                column,
            } => {
                format!("工作日历文件{}格式错误:{message}", at_zh(*line, *column))
            }
            CalendarError::DuplicateYear { year, line } => {
                format!("工作日历文件{}年份 {year} 重复列出", at_zh(*line, None))
            }
            CalendarError::DateOutsideYear { date, year, line } => format!(
                "工作日历文件{}日期 {date} 不属于所在的 {year} 年条目",
                at_zh(*line, None)
            ),
            CalendarError::WorkNotWeekend {
                date,
                weekday,
                line,
            } => format!(
                "工作日历文件{}{date} 是{},只有周六、周日才能列为调休上班日",
                at_zh(*line, None),
                weekday_zh(*weekday)
            ),
            CalendarError::RangeReversed { from, to, line } => format!(
                "工作日历文件{}放假区间 {from} 至 {to} 的结束日早于开始日",
                at_zh(*line, None)
            ),
            CalendarError::Conflict { date, line } => format!(
                "工作日历文件{}日期 {date} 被重复列出(放假或调休上班)",
                at_zh(*line, None)
            ),
        };
        Localized::new(zh, en)
    }
}

fn weekday_zh(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    calendar: String,
    years: Vec<YearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    source: String,
    holidays: Vec<HolidayFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    off: (FileDate, FileDate),
    #[serde(default)]
    work: Vec<FileDate>,
}

/// A date written strictly as `YYYY-MM-DD`, so the parser's error carries
/// the line and column of a mistyped date.
#[derive(Clone, Copy)]
struct FileDate(NaiveDate);

impl<'de> Deserialize<'de> for FileDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let strict = text.len() == 10 && text.as_bytes().get(4) == Some(&b'-');
        match super::date::parse_date(&text) {
            Ok(date) if strict => Ok(FileDate(date)),
            _ => Err(serde::de::Error::custom(format!(
                "{text:?} is not a real date written YYYY-MM-DD"
            ))),
        }
    }
}

/// The 1-based line of the `nth` (0-based) occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str, nth: usize) -> Option<usize> {
    let (index, _) = text.match_indices(needle).nth(nth)?;
    Some(text[..index].matches('\n').count() + 1)
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether a date may appear under `year`: in it, or in the December before
/// (the notice for 2012 made Saturday 2011-12-31 a working day).
fn belongs_to(date: NaiveDate, year: i32) -> bool {
    date.year() == year || (date.year() == year - 1 && date.month() == 12)
}

impl WorkingDayCalendar {
    /// Loads and checks a calendar file: unknown keys, dates not in their
    /// year, `work` days that are not weekend days, reversed ranges, years
    /// or dates given twice are errors with the line where they occur.
    pub fn from_yaml(text: &str) -> Result<WorkingDayCalendar, CalendarError> {
        let file: CalendarFile = serde_yaml::from_str(text).map_err(|e| {
            let location = e.location();
            CalendarError::Yaml {
                message: e.to_string(),
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
            }
        })?;
        let mut days = BTreeMap::new();
        let mut years = BTreeSet::new();
        let mut sources = BTreeMap::new();
        let date_line = |date: NaiveDate| line_of(text, &date.to_string(), 0);
        for entry in &file.years {
            let year = entry.year;
            if !years.insert(year) {
                let line = line_of(text, &format!("year: {year}"), 1);
                return Err(CalendarError::DuplicateYear { year, line });
            }
            sources.insert(year, entry.source.clone());
            for holiday in &entry.holidays {
                let name = Localized::new(
                    holiday.name.clone(),
                    holiday
                        .name_en
                        .clone()
                        .unwrap_or_else(|| holiday.name.clone()),
                );
                let (FileDate(from), FileDate(to)) = holiday.off;
                for date in [from, to] {
                    if !belongs_to(date, year) {
                        return Err(CalendarError::DateOutsideYear {
                            date,
                            year,
                            line: date_line(date),
                        });
                    }
                }
                if from > to {
                    return Err(CalendarError::RangeReversed {
                        from,
                        to,
                        line: date_line(from),
                    });
                }
                let mut off: Vec<NaiveDate> = Vec::new();
                let mut date = from;
                while date <= to {
                    off.push(date);
                    match date.succ_opt() {
                        Some(next) => date = next,
                        None => break,
                    }
                }
                for date in off {
                    let special = Special {
                        working: false,
                        holiday: name.clone(),
                    };
                    if days.insert(date, special).is_some() {
                        return Err(CalendarError::Conflict {
                            date,
                            line: date_line(date),
                        });
                    }
                }
                for &FileDate(date) in &holiday.work {
                    let line = date_line(date);
                    if !belongs_to(date, year) {
                        return Err(CalendarError::DateOutsideYear { date, year, line });
                    }
                    if !is_weekend(date) {
                        return Err(CalendarError::WorkNotWeekend {
                            date,
                            weekday: date.weekday(),
                            line,
                        });
                    }
                    let special = Special {
                        working: true,
                        holiday: name.clone(),
                    };
                    if days.insert(date, special).is_some() {
                        return Err(CalendarError::Conflict { date, line });
                    }
                }
            }
        }
        Ok(WorkingDayCalendar {
            name: file.calendar,
            days,
            years,
            sources,
        })
    }

    /// The calendar's name as given in the file (`cn-mainland`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether `day` is a working day, whether the calendar covers its year,
    /// and the holiday it is a day off for.
    pub fn is_working_day(&self, day: NaiveDate) -> DayKind {
        let covered = self.years.contains(&day.year());
        match self.days.get(&day) {
            Some(special) if special.working => DayKind {
                working: true,
                covered,
                holiday: None,
            },
            Some(special) => DayKind {
                working: false,
                covered,
                holiday: Some(special.holiday.zh.clone()),
            },
            None => DayKind {
                working: !is_weekend(day),
                covered,
                holiday: None,
            },
        }
    }

    /// The holiday a day belongs to in both languages: the holiday it is off
    /// for, or the one a 调休 working weekend day was moved for.
    pub fn holiday_name(&self, day: NaiveDate) -> Option<Localized> {
        self.days.get(&day).map(|special| special.holiday.clone())
    }

    /// The `n`-th working day after `day` (`day` itself is not counted;
    /// `n = 0` gives `day`). Saturates at the last date chrono represents.
    pub fn nth_working_day_after(&self, day: NaiveDate, n: u32) -> CountedDay {
        let mut covered = self.years.contains(&day.year());
        let mut current = day;
        let mut remaining = n;
        while remaining > 0 {
            // Far from any listed day, seven days always hold five working
            // days: skip whole weeks so huge counts stay fast.
            let weeks = (remaining.saturating_sub(1) / 5).min(self.plain_weeks_after(current));
            if weeks > 0 {
                match current.checked_add_days(Days::new(u64::from(weeks) * 7)) {
                    Some(later) => {
                        current = later;
                        remaining -= weeks * 5;
                        covered = false;
                    }
                    None => {
                        return CountedDay {
                            date: NaiveDate::MAX,
                            covered: false,
                        };
                    }
                }
            }
            let Some(next) = current.succ_opt() else {
                return CountedDay {
                    date: current,
                    covered: false,
                };
            };
            current = next;
            let kind = self.is_working_day(current);
            covered &= kind.covered;
            if kind.working {
                remaining -= 1;
            }
        }
        CountedDay {
            date: current,
            covered,
        }
    }

    /// How many whole weeks after `day` are sure to hold no listed day and
    /// no covered year (0 when `day`'s own year is covered).
    fn plain_weeks_after(&self, day: NaiveDate) -> u32 {
        if self.years.contains(&day.year()) {
            return 0;
        }
        let next_listed = self
            .days
            .range((Bound::Excluded(day), Bound::Unbounded))
            .next()
            .map(|(d, _)| *d);
        let next_year = self
            .years
            .range(day.year().saturating_add(1)..)
            .next()
            .and_then(|&y| NaiveDate::from_ymd_opt(y, 1, 1));
        let boundary = match (next_listed, next_year) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match boundary {
            Some(boundary) => {
                let plain_days = (boundary - day).num_days() - 1;
                u32::try_from(plain_days.max(0) / 7).unwrap_or(u32::MAX)
            }
            None => u32::MAX,
        }
    }

    /// The notice a covered year's entries come from, as the file cites it.
    pub fn source(&self, year: i32) -> Option<&str> {
        self.sources.get(&year).map(String::as_str)
    }

    /// The years the calendar has notices for, ascending.
    pub fn covered_years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    /// Every day the notices name (days off and 调休 working days), in date
    /// order, e.g. for printing the calendar in a checklist.
    pub fn listed_days(&self) -> Vec<(NaiveDate, DayKind)> {
        self.days
            .keys()
            .map(|&day| (day, self.is_working_day(day)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../rules/calendar/cn-mainland.yaml");

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    fn shipped() -> WorkingDayCalendar {
        WorkingDayCalendar::from_yaml(SHIPPED).unwrap_or_else(|e| panic!("{e}"))
    }

    /// cn-holidays.md transcribed independently of the YAML:
    /// (year, holiday, first off, last off, 调休 working days) as "MM-DD".
    const TABLE: &[(i32, &str, &str, &str, &[&str])] = &[
        (2024, "元旦", "01-01", "01-01", &[]),
        (2024, "春节", "02-10", "02-17", &["02-04", "02-18"]),
        (2024, "清明节", "04-04", "04-06", &["04-07"]),
        (2024, "劳动节", "05-01", "05-05", &["04-28", "05-11"]),
        (2024, "端午节", "06-10", "06-10", &[]),
        (2024, "中秋节", "09-15", "09-17", &["09-14"]),
        (2024, "国庆节", "10-01", "10-07", &["09-29", "10-12"]),
        (2025, "元旦", "01-01", "01-01", &[]),
        (2025, "春节", "01-28", "02-04", &["01-26", "02-08"]),
        (2025, "清明节", "04-04", "04-06", &[]),
        (2025, "劳动节", "05-01", "05-05", &["04-27"]),
        (2025, "端午节", "05-31", "06-02", &[]),
        (
            2025,
            "国庆节、中秋节",
            "10-01",
            "10-08",
            &["09-28", "10-11"],
        ),
        (2026, "元旦", "01-01", "01-03", &["01-04"]),
        (2026, "春节", "02-15", "02-23", &["02-14", "02-28"]),
        (2026, "清明节", "04-04", "04-06", &[]),
        (2026, "劳动节", "05-01", "05-05", &["05-09"]),
        (2026, "端午节", "06-19", "06-21", &[]),
        (2026, "中秋节", "09-25", "09-27", &[]),
        (2026, "国庆节", "10-01", "10-07", &["09-20", "10-10"]),
    ];

    fn month_day(year: i32, text: &str) -> NaiveDate {
        let (m, d) = text.split_once('-').expect("MM-DD");
        day(year, m.parse().expect("month"), d.parse().expect("day"))
    }

    #[test]
    fn shipped_file_matches_the_notices() {
        let calendar = shipped();
        assert_eq!(calendar.name(), "cn-mainland");
        assert_eq!(calendar.covered_years(), vec![2024, 2025, 2026]);
        assert!(
            calendar
                .source(2024)
                .is_some_and(|s| s.contains("国办发明电〔2023〕7号"))
        );
        assert!(
            calendar
                .source(2025)
                .is_some_and(|s| s.contains("国办发明电〔2024〕12号"))
        );
        assert_eq!(calendar.source(2027), None);
        let mut listed = 0;
        for &(year, name, from, to, work) in TABLE {
            let (from, to) = (month_day(year, from), month_day(year, to));
            let mut date = from;
            while date <= to {
                let kind = calendar.is_working_day(date);
                assert_eq!(
                    kind,
                    DayKind {
                        working: false,
                        covered: true,
                        holiday: Some(name.to_string())
                    },
                    "{date}"
                );
                listed += 1;
                date = date.succ_opt().expect("in range");
            }
            for text in work {
                let date = month_day(year, text);
                assert!(is_weekend(date), "{date} is a weekend day");
                assert_eq!(
                    calendar.is_working_day(date),
                    DayKind {
                        working: true,
                        covered: true,
                        holiday: None
                    }
                );
                assert_eq!(
                    calendar.holiday_name(date).map(|n| n.zh),
                    Some(name.to_string())
                );
                listed += 1;
            }
        }
        // Nothing in the file beyond the notices.
        assert_eq!(calendar.listed_days().len(), listed);
    }

    #[test]
    fn review_window_example() {
        let calendar = shipped();
        let submitted = day(2024, 9, 12);
        let expected = [
            (1, day(2024, 9, 13)),
            (2, day(2024, 9, 14)),
            (3, day(2024, 9, 18)),
            (4, day(2024, 9, 19)),
            (5, day(2024, 9, 20)),
        ];
        for (n, date) in expected {
            assert_eq!(
                calendar.nth_working_day_after(submitted, n),
                CountedDay {
                    date,
                    covered: true
                },
                "{n}"
            );
        }
        assert_eq!(
            calendar.nth_working_day_after(submitted, 0),
            CountedDay {
                date: submitted,
                covered: true
            }
        );
    }

    #[test]
    fn ordinary_days_and_uncovered_years() {
        let calendar = shipped();
        assert_eq!(
            calendar.is_working_day(day(2024, 9, 13)),
            DayKind {
                working: true,
                covered: true,
                holiday: None
            }
        );
        assert_eq!(
            calendar.is_working_day(day(2024, 9, 21)),
            DayKind {
                working: false,
                covered: true,
                holiday: None
            }
        );
        assert_eq!(
            calendar.is_working_day(day(2027, 1, 1)),
            DayKind {
                working: true,
                covered: false,
                holiday: None
            }
        );
        // From the last days of 2026 into 2027: counted Monday–Friday, flagged.
        let counted = calendar.nth_working_day_after(day(2026, 12, 30), 3);
        assert_eq!(
            counted,
            CountedDay {
                date: day(2027, 1, 4),
                covered: false
            }
        );
        let counted = calendar.nth_working_day_after(day(2023, 12, 28), 2);
        assert_eq!(
            counted,
            CountedDay {
                date: day(2024, 1, 2),
                covered: false
            }
        );
    }

    #[test]
    fn huge_counts_are_fast_and_do_not_panic() {
        let calendar = shipped();
        let far = calendar.nth_working_day_after(day(2027, 1, 1), 5_000);
        assert_eq!(far.date, day(2027, 1, 1) + Days::new(7_000));
        assert!(!far.covered);
        assert_eq!(
            calendar
                .nth_working_day_after(day(2024, 1, 1), u32::MAX)
                .date,
            NaiveDate::MAX
        );
        assert!(
            calendar
                .nth_working_day_after(NaiveDate::MIN, u32::MAX)
                .date
                <= NaiveDate::MAX
        );
        assert_eq!(
            calendar.nth_working_day_after(NaiveDate::MAX, 1).date,
            NaiveDate::MAX
        );
        // Skipping weeks before the covered years lands on the same day as counting one by one.
        let slow = {
            let mut date = day(2020, 3, 4);
            let mut left = 1_100;
            while left > 0 {
                date = date.succ_opt().expect("date");
                if calendar.is_working_day(date).working {
                    left -= 1;
                }
            }
            date
        };
        assert_eq!(
            calendar.nth_working_day_after(day(2020, 3, 4), 1_100).date,
            slow
        );
    }

    fn load_error(text: &str) -> CalendarError {
        WorkingDayCalendar::from_yaml(text).expect_err("should not load")
    }

    const HEAD: &str = "calendar: test\nyears:\n  - year: 2024\n    source: test\n    holidays:\n";

    #[test]
    fn load_errors_say_where() {
        let unknown = load_error(&format!(
            "{HEAD}      - name: 元旦\n        off: [2024-01-01, 2024-01-01]\n        extra: 1\n"
        ));
        assert!(
            matches!(unknown, CalendarError::Yaml { line: Some(8), .. }),
            "{unknown:?}"
        );
        let bad_date = load_error(&format!(
            "{HEAD}      - name: 元旦\n        off: [2024-01-01, 2024-02-30]\n"
        ));
        assert!(
            matches!(bad_date, CalendarError::Yaml { line: Some(7), .. }),
            "{bad_date:?}"
        );
        assert!(bad_date.to_string().contains("2024-02-30"));
        let outside = load_error(&format!(
            "{HEAD}      - name: 元旦\n        off: [2025-01-01, 2025-01-01]\n"
        ));
        assert_eq!(
            outside,
            CalendarError::DateOutsideYear {
                date: day(2025, 1, 1),
                year: 2024,
                line: Some(7)
            }
        );
        let weekday = load_error(&format!(
            "{HEAD}      - name: 元旦\n        off: [2024-01-01, 2024-01-01]\n        work: [2024-01-02]\n"
        ));
        assert_eq!(
            weekday,
            CalendarError::WorkNotWeekend {
                date: day(2024, 1, 2),
                weekday: Weekday::Tue,
                line: Some(8)
            }
        );
        assert!(weekday.explain().zh.contains("星期二"));
        let reversed = load_error(&format!(
            "{HEAD}      - name: 春节\n        off: [2024-02-17, 2024-02-10]\n"
        ));
        assert!(matches!(
            reversed,
            CalendarError::RangeReversed { line: Some(7), .. }
        ));
        let twice = load_error(&format!(
            "{HEAD}      - name: 春节\n        off: [2024-02-10, 2024-02-17]\n        work: [2024-02-17]\n"
        ));
        assert!(matches!(twice, CalendarError::Conflict { .. }));
        let duplicate = load_error(&format!(
            "{HEAD}      - name: 元旦\n        off: [2024-01-01, 2024-01-01]\n  - year: 2024\n    source: again\n    holidays: []\n"
        ));
        assert_eq!(
            duplicate,
            CalendarError::DuplicateYear {
                year: 2024,
                line: Some(8)
            }
        );
        assert!(matches!(
            load_error("[unclosed"),
            CalendarError::Yaml { .. }
        ));
        assert!(matches!(load_error(""), CalendarError::Yaml { .. }));
    }

    #[test]
    fn previous_december_is_allowed_for_new_year() {
        let text = "calendar: t\nyears:\n  - year: 2012\n    source: 国办发明电〔2011〕39号\n    holidays:\n      - name: 元旦\n        off: [2012-01-01, 2012-01-03]\n        work: [2011-12-31]\n";
        let calendar = WorkingDayCalendar::from_yaml(text).expect("loads");
        assert_eq!(
            calendar.is_working_day(day(2011, 12, 31)),
            DayKind {
                working: true,
                covered: false,
                holiday: None
            }
        );
        assert_eq!(
            calendar.nth_working_day_after(day(2011, 12, 30), 1).date,
            day(2011, 12, 31)
        );
    }
}
