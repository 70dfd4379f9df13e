//! Dates in scripts: the `Date` type (a day or long-term) with comparisons
//! and arithmetic, so rules compare validity ends without string tricks.

use chrono::{Datelike, Days, Months, NaiveDate};
use rhai::{Engine, EvalAltResult, ImmutableString};

use super::helpers::HelperDoc;
use crate::domain::date::{DateValue, parse_date_or_long_term};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

const MISSING: &str = "a date was compared with a missing value ()";

fn day_of(value: DateValue, what: &str) -> Fallible<NaiveDate> {
    match value {
        DateValue::Day(day) => Ok(day),
        DateValue::LongTerm => Err(format!("{what}: a long-term date has no day").into()),
    }
}

fn shift(
    value: DateValue,
    shift: impl FnOnce(NaiveDate) -> Option<NaiveDate>,
) -> Fallible<DateValue> {
    match value {
        DateValue::LongTerm => Ok(DateValue::LongTerm),
        DateValue::Day(day) => shift(day)
            .map(DateValue::Day)
            .ok_or_else(|| "date out of range".into()),
    }
}

fn add_days(value: DateValue, days: i64) -> Fallible<DateValue> {
    shift(value, |day| {
        if days >= 0 {
            day.checked_add_days(Days::new(days.unsigned_abs()))
        } else {
            day.checked_sub_days(Days::new(days.unsigned_abs()))
        }
    })
}

fn add_months(value: DateValue, months: i64) -> Fallible<DateValue> {
    let count = u32::try_from(months.unsigned_abs()).map_err(|_| "month count out of range")?;
    shift(value, |day| {
        if months >= 0 {
            day.checked_add_months(Months::new(count))
        } else {
            day.checked_sub_months(Months::new(count))
        }
    })
}

/// The date helpers, as the reference documents them; a test in
/// `helpers.rs` keeps the table complete.
pub const DATE_HELPERS: &[HelperDoc] = &[
    HelperDoc {
        name: "date",
        signature: "date(text: string) -> Date",
        semantics: "A date from `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY年M月D日`, or long-term (`long_term`, `长期`). Dates compare with `<`, `<=`, `>`, `>=`, `==`; a long-term date is later than every day; comparing with a missing value `()` is an error, so the rule is skipped rather than judged.",
    },
    HelperDoc {
        name: "on_or_before",
        signature: "on_or_before(a: Date, b: Date) -> bool",
        semantics: "`a` is the same day as `b` or earlier (long-term is after every day). Prefer it to `<=`: given a missing value `()` it is an error, so the rule is skipped, where rhai would compare two `()` as equal.",
    },
    HelperDoc {
        name: "on_or_after",
        signature: "on_or_after(a: Date, b: Date) -> bool",
        semantics: "`a` is the same day as `b` or later; a missing value is an error, as for `on_or_before`.",
    },
    HelperDoc {
        name: "is_long_term",
        signature: "is_long_term(d: Date) -> bool",
        semantics: "The date is long-term (no end).",
    },
    HelperDoc {
        name: "add_days",
        signature: "add_days(d: Date, n: int) -> Date",
        semantics: "`n` calendar days later (earlier when negative); long-term stays long-term.",
    },
    HelperDoc {
        name: "add_months",
        signature: "add_months(d: Date, n: int) -> Date",
        semantics: "`n` months later, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29).",
    },
    HelperDoc {
        name: "add_years",
        signature: "add_years(d: Date, n: int) -> Date",
        semantics: "`n` years later, as 12·n months.",
    },
    HelperDoc {
        name: "days_between",
        signature: "days_between(a: Date, b: Date) -> int",
        semantics: "Days from `a` to `b` (negative when `b` is earlier); an error for a long-term date.",
    },
    HelperDoc {
        name: "year",
        signature: "year(d: Date) -> int",
        semantics: "The year; an error for a long-term date.",
    },
    HelperDoc {
        name: "month",
        signature: "month(d: Date) -> int",
        semantics: "The month, 1–12; an error for a long-term date.",
    },
    HelperDoc {
        name: "day",
        signature: "day(d: Date) -> int",
        semantics: "The day of the month; an error for a long-term date.",
    },
    HelperDoc {
        name: "weekday",
        signature: "weekday(d: Date) -> int",
        semantics: "1 (Monday) to 7 (Sunday); an error for a long-term date.",
    },
];

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<DateValue>("Date");
    engine.register_fn("to_string", |d: &mut DateValue| d.to_string());
    engine.register_fn("to_debug", |d: &mut DateValue| d.to_string());
    engine.register_fn("date", |text: ImmutableString| -> Fallible<DateValue> {
        parse_date_or_long_term(&text).map_err(|e| e.to_string().into())
    });
    engine.register_fn("is_long_term", |d: DateValue| d == DateValue::LongTerm);
    engine.register_fn("==", |a: DateValue, b: DateValue| a == b);
    engine.register_fn("!=", |a: DateValue, b: DateValue| a != b);
    engine.register_fn("<", |a: DateValue, b: DateValue| a < b);
    engine.register_fn("<=", |a: DateValue, b: DateValue| a <= b);
    engine.register_fn(">", |a: DateValue, b: DateValue| a > b);
    engine.register_fn(">=", |a: DateValue, b: DateValue| a >= b);
    // rhai answers `false` when comparing values of different types; a date
    // compared with a missing value `()` must not look like a judgement.
    for operator in ["<", "<=", ">", ">="] {
        engine.register_fn(operator, |_: DateValue, _: ()| -> Fallible<bool> {
            Err(MISSING.into())
        });
        engine.register_fn(operator, |_: (), _: DateValue| -> Fallible<bool> {
            Err(MISSING.into())
        });
    }
    engine.register_fn("on_or_before", |a: DateValue, b: DateValue| a <= b);
    engine.register_fn("on_or_after", |a: DateValue, b: DateValue| a >= b);
    engine.register_fn("add_days", add_days);
    engine.register_fn("add_months", add_months);
    engine.register_fn("add_years", |d: DateValue, years: i64| {
        add_months(d, years.saturating_mul(12))
    });
    engine.register_fn(
        "days_between",
        |a: DateValue, b: DateValue| -> Fallible<i64> {
            Ok((day_of(b, "days_between")? - day_of(a, "days_between")?).num_days())
        },
    );
    engine.register_fn("year", |d: DateValue| -> Fallible<i64> {
        Ok(i64::from(day_of(d, "year")?.year()))
    });
    engine.register_fn("month", |d: DateValue| -> Fallible<i64> {
        Ok(i64::from(day_of(d, "month")?.month()))
    });
    engine.register_fn("day", |d: DateValue| -> Fallible<i64> {
        Ok(i64::from(day_of(d, "day")?.day()))
    });
    engine.register_fn("weekday", |d: DateValue| -> Fallible<i64> {
        Ok(i64::from(
            day_of(d, "weekday")?.weekday().number_from_monday(),
        ))
    });
}
