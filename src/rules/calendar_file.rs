//! Reading the working-day calendar file (`calendar/cn-mainland.yaml`) from
//! the positioned YAML tree: every problem of the file, each at the value
//! it is about, in one run.
//!
//! ```yaml
//! calendar: cn-mainland
//! years:
//!   - year: 2024
//!     source: 国务院办公厅关于2024年部分节假日安排的通知(国办发明电〔2023〕7号)
//!     holidays:
//!       - name: 春节
//!         name_en: Spring Festival
//!         off: [2024-02-10, 2024-02-17]     # first and last day off, both included
//!         work: [2024-02-04, 2024-02-18]    # weekend days worked instead (调休)
//! ```

use chrono::NaiveDate;

use super::error::LoadErrorKind;
use super::reader::{FileErrors, MapReader};
use crate::domain::calendar::{CalendarBuilder, CalendarError, WorkingDayCalendar};
use crate::lang::Localized;
use crate::yaml::{Node, Position};

/// Reads a calendar file's tree. `None` when its top level is not usable;
/// otherwise the calendar of every entry that was accepted, the rest
/// reported to `errors`.
pub(super) fn read_calendar(
    errors: &mut FileErrors<'_>,
    root: &Node,
) -> Option<WorkingDayCalendar> {
    let mut map = MapReader::new(errors, root)?;
    let name = map
        .required(errors, "calendar")
        .and_then(|n| errors.text(n));
    let years = map.required(errors, "years");
    map.finish(errors);
    let mut builder = WorkingDayCalendar::builder(name.as_deref().unwrap_or_default());
    for entry in years.map(|n| list(errors, n)).unwrap_or_default() {
        read_year(errors, &mut builder, entry);
    }
    name.map(|_| builder.build())
}

/// Reads a calendar from its text, for callers without a rule set (tests,
/// the property tests of the calendar itself).
#[cfg(test)]
pub(crate) fn calendar_from_text(
    path: &str,
    text: &str,
) -> Result<WorkingDayCalendar, super::LoadErrors> {
    let limits = crate::limits::Limits::default();
    let mut errors = Vec::new();
    let calendar = match crate::yaml::parse(text, limits.rule_file_parse()) {
        Ok(root) => read_calendar(
            &mut FileErrors {
                file: path,
                errors: &mut errors,
            },
            &root,
        ),
        Err(error) => {
            errors.push(super::LoadError::from_yaml(path, &error));
            None
        }
    };
    match calendar {
        Some(calendar) if errors.is_empty() => Ok(calendar),
        _ => Err(super::LoadErrors(errors)),
    }
}

fn read_year(errors: &mut FileErrors<'_>, builder: &mut CalendarBuilder, entry: &Node) {
    let Some(mut map) = MapReader::new(errors, entry) else {
        return;
    };
    let year_node = map.required(errors, "year");
    let source = map.required(errors, "source").and_then(|n| errors.text(n));
    let holidays = map.required(errors, "holidays");
    map.finish(errors);
    let year = year_node.and_then(|node| {
        let year = node.as_str().and_then(|t| t.parse::<i32>().ok());
        if year.is_none_or(|y| !(1900..=9999).contains(&y)) {
            errors.wrong_type(node, "a year such as 2025");
            return None;
        }
        year
    });
    if let (Some(year), Some(node)) = (year, year_node) {
        refuse(
            errors,
            node.position,
            builder.year(year, &source.unwrap_or_default()),
        );
    }
    for holiday in holidays.map(|n| list(errors, n)).unwrap_or_default() {
        read_holiday(errors, builder, year, holiday);
    }
}

fn read_holiday(
    errors: &mut FileErrors<'_>,
    builder: &mut CalendarBuilder,
    year: Option<i32>,
    node: &Node,
) {
    let Some(mut map) = MapReader::new(errors, node) else {
        return;
    };
    let name = map
        .required(errors, "name")
        .and_then(|n| errors.shown_text(n));
    let name_en = map.optional("name_en").and_then(|n| errors.shown_text(n));
    let off = map.required(errors, "off");
    let work = map.optional("work");
    map.finish(errors);
    let holiday = name.map(|zh| {
        let en = name_en.unwrap_or_else(|| zh.clone());
        Localized::new(zh, en)
    });
    let off = off.and_then(|node| {
        let days = match node.as_sequence() {
            Some([from, to]) => [date(errors, year, from), date(errors, year, to)],
            _ => {
                errors.wrong_type(
                    node,
                    "a list of the first and last day off, [YYYY-MM-DD, YYYY-MM-DD]",
                );
                return None;
            }
        };
        Some((node.position, days))
    });
    let work: Vec<(Position, Option<NaiveDate>)> = work
        .map(|n| list(errors, n))
        .unwrap_or_default()
        .iter()
        .map(|day| (day.position, date(errors, year, day)))
        .collect();
    let Some(holiday) = holiday else {
        return;
    };
    if let Some((position, [Some(from), Some(to)])) = off {
        refuse(errors, position, builder.off(from, to, &holiday));
    }
    for (position, day) in work {
        if let Some(day) = day {
            refuse(errors, position, builder.work(day, &holiday));
        }
    }
}

/// A list, or a problem at the value.
fn list<'n>(errors: &mut FileErrors<'_>, node: &'n Node) -> Vec<&'n Node> {
    match node.as_sequence() {
        Some(items) => items.iter().collect(),
        None => {
            errors.wrong_type(node, "a list");
            Vec::new()
        }
    }
}

/// A real date written `YYYY-MM-DD` that belongs to `year` (when known).
fn date(errors: &mut FileErrors<'_>, year: Option<i32>, node: &Node) -> Option<NaiveDate> {
    let text = node.as_str().unwrap_or_default();
    let strict = text.len() == 10 && text.as_bytes().get(4) == Some(&b'-');
    let Some(day) = crate::domain::date::parse_date(text)
        .ok()
        .filter(|_| strict)
    else {
        let message = format!("`{text}` is not a real date written YYYY-MM-DD");
        errors.push(node.position, LoadErrorKind::Invalid(message));
        return None;
    };
    match year.map(|year| CalendarBuilder::in_year(day, year)) {
        Some(Err(error)) => {
            refuse(errors, node.position, Err(error));
            None
        }
        _ => Some(day),
    }
}

fn refuse(errors: &mut FileErrors<'_>, position: Position, result: Result<(), CalendarError>) {
    if let Err(error) = result {
        errors.push(position, LoadErrorKind::Invalid(error.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "calendar: test\nyears:\n  - year: 2024\n    source: test\n    holidays:\n";

    /// Every problem as `line:column: message`.
    fn problems(text: &str) -> Vec<String> {
        let errors = calendar_from_text("calendar.yaml", text).expect_err("must not load");
        errors
            .0
            .iter()
            .map(|e| {
                let p = e.position.unwrap_or_default();
                format!("{}:{}: {}", p.line, p.column, e.kind)
            })
            .collect()
    }

    #[test]
    fn the_shipped_calendar_loads() {
        let text = include_str!("../../rules/calendar/cn-mainland.yaml");
        let calendar = calendar_from_text("cn-mainland.yaml", text).unwrap();
        assert_eq!(calendar.name(), "cn-mainland");
        assert!(calendar.covered_years().contains(&2025));
    }

    #[test]
    fn every_problem_is_reported_at_its_value() {
        let text = format!(
            "{HEAD}      - name: 元旦\n        off: [2024-01-01, 2024-02-30]\n        extra: 1\n      - name: 春节\n        off: [2024-02-17, 2024-02-10]\n        work: [2024-01-02, 2025-02-08]\n      - name: 清明节\n        off: [2024-04-04, 2024-04-06]\n        work: [2024-04-06]\n  - year: 2024\n    source: again\n    holidays: []\n"
        );
        assert_eq!(
            problems(&text),
            [
                "8:9: unknown key `extra`; expected one of: name, name_en, off, work",
                "7:27: `2024-02-30` is not a real date written YYYY-MM-DD",
                "11:28: 2025-02-08 is not in 2024 (nor in the December before it), the year it is listed under",
                "10:14: the off range 2024-02-17 to 2024-02-10 ends before it starts",
                "11:16: 2024-01-02 is a Tuesday; only a Saturday or Sunday can be a working weekend day (调休)",
                "14:16: 2024-04-06 is listed more than once (as a day off or a working day)",
                "15:11: year 2024 is listed twice",
            ]
        );
    }

    #[test]
    fn shapes_and_syntax_are_reported_too() {
        assert_eq!(
            problems(
                "calendar: t\nyears:\n  - year: twenty\n    source: s\n    holidays:\n      - off: 2024-01-01\n"
            ),
            [
                "3:11: expected a year such as 2025, found scalar",
                "6:9: missing key `name`",
                "6:14: expected a list of the first and last day off, [YYYY-MM-DD, YYYY-MM-DD], found scalar",
            ]
        );
        assert_eq!(problems("years: []\n"), ["1:1: missing key `calendar`"]);
        assert_eq!(problems("[unclosed").len(), 1);
        assert_eq!(problems("").len(), 1);
    }

    #[test]
    fn the_december_before_belongs_to_the_new_year() {
        let text = "calendar: t\nyears:\n  - year: 2012\n    source: 国办发明电〔2011〕39号\n    holidays:\n      - name: 元旦\n        off: [2012-01-01, 2012-01-03]\n        work: [2011-12-31]\n";
        let calendar = calendar_from_text("t.yaml", text).unwrap();
        assert!(
            calendar
                .is_working_day(NaiveDate::from_ymd_opt(2011, 12, 31).unwrap())
                .working
        );
    }
}
