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

/// Why an entry of a calendar was refused. The file reader (see
/// `rules::calendar_file`) places each at the value it is about.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("year {year} is listed twice")]
    DuplicateYear { year: i32 },
    #[error("{date} is not in {year} (nor in the December before it), the year it is listed under")]
    DateOutsideYear { date: NaiveDate, year: i32 },
    #[error("{date} is a {}; only a Saturday or Sunday can be a working weekend day (调休)", weekday_name(*weekday))]
    WorkNotWeekend { date: NaiveDate, weekday: Weekday },
    #[error("the off range {from} to {to} ends before it starts")]
    RangeReversed { from: NaiveDate, to: NaiveDate },
    #[error("{date} is listed more than once (as a day off or a working day)")]
    Conflict { date: NaiveDate },
}

fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Builds a calendar entry by entry, each checked as the notices are
/// written: a refused entry leaves the others standing, so a reader can
/// report every mistake of a file in one run.
#[derive(Debug, Clone)]
pub struct CalendarBuilder {
    calendar: WorkingDayCalendar,
}

impl CalendarBuilder {
    /// Adds a year the notices cover, citing the notice.
    pub fn year(&mut self, year: i32, source: &str) -> Result<(), CalendarError> {
        if !self.calendar.years.insert(year) {
            return Err(CalendarError::DuplicateYear { year });
        }
        self.calendar.sources.insert(year, source.to_string());
        Ok(())
    }

    /// Whether a date may appear under `year`: in it, or in the December
    /// before (the notice for 2012 made Saturday 2011-12-31 a working day).
    pub fn in_year(date: NaiveDate, year: i32) -> Result<(), CalendarError> {
        if date.year() == year || (date.year() == year - 1 && date.month() == 12) {
            Ok(())
        } else {
            Err(CalendarError::DateOutsideYear { date, year })
        }
    }

    /// Makes `from` to `to` (both included) days off for `holiday`. The
    /// first day already listed is refused; the others are kept.
    pub fn off(
        &mut self,
        from: NaiveDate,
        to: NaiveDate,
        holiday: &Localized,
    ) -> Result<(), CalendarError> {
        if from > to {
            return Err(CalendarError::RangeReversed { from, to });
        }
        let mut conflict = None;
        for date in from.iter_days().take_while(|d| *d <= to) {
            if self.insert(date, false, holiday).is_err() {
                conflict.get_or_insert(CalendarError::Conflict { date });
            }
        }
        conflict.map_or(Ok(()), Err)
    }

    /// Makes a Saturday or Sunday a working day moved for `holiday` (调休).
    pub fn work(&mut self, date: NaiveDate, holiday: &Localized) -> Result<(), CalendarError> {
        if !is_weekend(date) {
            return Err(CalendarError::WorkNotWeekend {
                date,
                weekday: date.weekday(),
            });
        }
        self.insert(date, true, holiday)
    }

    fn insert(
        &mut self,
        date: NaiveDate,
        working: bool,
        holiday: &Localized,
    ) -> Result<(), CalendarError> {
        if self.calendar.days.contains_key(&date) {
            return Err(CalendarError::Conflict { date });
        }
        let special = Special {
            working,
            holiday: holiday.clone(),
        };
        self.calendar.days.insert(date, special);
        Ok(())
    }

    pub fn build(self) -> WorkingDayCalendar {
        self.calendar
    }
}

impl WorkingDayCalendar {
    /// An empty calendar named `name` (`cn-mainland`), to fill entry by entry.
    pub fn builder(name: &str) -> CalendarBuilder {
        CalendarBuilder {
            calendar: WorkingDayCalendar {
                name: name.to_string(),
                days: BTreeMap::new(),
                years: BTreeSet::new(),
                sources: BTreeMap::new(),
            },
        }
    }

    /// The calendar's name as given in the file (`cn-mainland`).
    #[cfg(test)]
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
    #[cfg(test)]
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
    #[cfg(test)]
    pub fn source(&self, year: i32) -> Option<&str> {
        self.sources.get(&year).map(String::as_str)
    }

    /// The years the calendar has notices for, ascending.
    #[cfg(test)]
    pub fn covered_years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    /// Every day the notices name (days off and 调休 working days), in date
    /// order, e.g. for printing the calendar in a checklist.
    #[cfg(test)]
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
        crate::rules::calendar_from_text("cn-mainland.yaml", SHIPPED)
            .unwrap_or_else(|e| panic!("{e}"))
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
}
