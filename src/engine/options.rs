//! How a bundle is judged: the options every stage of the engine may read.

use chrono::NaiveDate;

/// How a bundle is judged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckOptions {
    /// Judge as if submitted on this date (`--as-of`), instead of `submitted_on`.
    pub as_of: Option<NaiveDate>,
    /// The day the check runs (the command line passes the clock's date;
    /// the engine never reads the clock): a `submitted_on` after it, or
    /// after `as_of`, is most likely a typo in the year, and a warning.
    pub today: Option<NaiveDate>,
}

/// Reads a judging date (`--as-of`) in the spellings a manifest accepts
/// for dates; the error says what was expected.
pub fn parse_judging_date(text: &str) -> Result<NaiveDate, String> {
    crate::domain::date::parse_date(text).map_err(|error| error.to_string())
}

impl CheckOptions {
    /// Judges as if every bundle were submitted on `day` (`--as-of`);
    /// `None` judges each bundle on its own `submitted_on`.
    pub fn as_of(day: Option<NaiveDate>) -> CheckOptions {
        CheckOptions {
            as_of: day,
            today: None,
        }
    }

    /// With the day the check runs, so that a `submitted_on` in the future
    /// is warned about; `None` leaves that check out.
    pub fn with_today(mut self, today: Option<NaiveDate>) -> CheckOptions {
        self.today = today;
        self
    }
}
