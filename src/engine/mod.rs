//! Evaluation: a bundle and a rule set in, a [`Report`] out.
//!
//! The envelope rules every operation shares (`bundle.*`, `party.role`,
//! `document.*`, `field.*`) are built in; an operation's own rules come from
//! its rule file. Findings come out in a fixed order: envelope first, then
//! the operation's rules in file order, each over subjects in manifest order.

mod backing;
mod context;
mod correction;
mod document_file;
mod envelope;
mod evaluate;
mod judgement;
mod review;
mod typing;
mod version;

use std::path::Path;

use chrono::NaiveDate;

use crate::bundle::Bundle;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::BundleSource;

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

impl RuleSet {
    /// Checks the bundle at `path`: its folder, its manifest file or an archive.
    pub fn check_path(&self, path: &Path, options: &CheckOptions) -> Report {
        self.check_source(&BundleSource::from_path(path), options)
    }

    /// Checks the bundle `source` holds. Reading the source is guarded like
    /// judging: a bug on one bundle's bytes gives that bundle an
    /// internal-error report instead of ending a batch.
    pub fn check_source(&self, source: &BundleSource, options: &CheckOptions) -> Report {
        judgement::guarded(source.name(), || {
            let bundle = source.load(&self.limits);
            self.check_bundle(&bundle, options)
        })
    }

    /// Checks a bundle already located and parsed. A bug that panics while
    /// judging one bundle gives that bundle an internal-error report instead
    /// of ending a batch.
    pub fn check_bundle(&self, bundle: &Bundle, options: &CheckOptions) -> Report {
        judgement::judge(self, bundle, options)
    }
}
