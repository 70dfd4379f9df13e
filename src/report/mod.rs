//! The report: every finding for one bundle, and its verdict.
//!
//! A [`Report`] is a plain value; renderers (in `render`) are pure functions
//! of it. Messages keep their arguments apart from their templates so a
//! renderer can choose the language and whether personal numbers are masked.

mod finding;
mod message;
mod summary;

pub use finding::{Finding, RuleOrigin, Severity, Status, WaiverNote};
pub use message::{Argument, ArgumentKind, Message, MessageText};
pub use summary::{BatchSummary, Outcome, RuleTally};

use chrono::NaiveDate;
use serde::Serialize;

use crate::lang::Localized;

/// `pass` or `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No failing error (at the threshold asked).
    Pass,
    /// Some finding fails at the threshold.
    Fail,
}

impl Verdict {
    /// The verdict's name in reports (`pass`, `fail`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
        }
    }
}

/// How many findings of each outcome a report holds (spec §4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// Findings that passed.
    pub pass: usize,
    /// Findings that failed with severity error.
    pub fail: usize,
    /// Findings that failed with severity warning or info.
    pub warn: usize,
    /// Findings whose rule did not apply or could not be judged yet.
    pub skip: usize,
    /// Failures a reviewer's waiver excepted; they no longer fail the bundle.
    pub waived: usize,
}

/// The expected decision dates of an operation with a review window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReviewWindow {
    /// Earliest decision, in working days after submission.
    pub from_working_days: u32,
    /// Latest decision, in working days after submission.
    pub to_working_days: u32,
    /// The earliest decision date.
    pub earliest: NaiveDate,
    /// The latest decision date.
    pub latest: NaiveDate,
    /// False when the count ran past the years the calendar covers.
    pub calendar_covered: bool,
}

/// A party of the bundle as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartySummary {
    /// The party's key in the manifest.
    pub key: String,
    /// The role it plays (`enterprise`, `employee`), when given.
    pub role: Option<String>,
    /// Its name, when given.
    pub name: Option<String>,
    /// Its role's name is typed `company_name` in the catalog: the party is
    /// an enterprise, not a person (batch indexes name the bundle by it).
    pub is_company: bool,
}

/// Every finding for one bundle.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Report {
    /// The bundle as the user named it.
    pub bundle: String,
    /// The manifest file read, when one was found.
    pub manifest: Option<String>,
    /// The operation the manifest names.
    pub operation: Option<String>,
    /// The operation's title, when the rule set knows it.
    pub operation_title: Option<Localized>,
    /// The version of the operation's rules that judged the bundle.
    pub operation_version: Option<String>,
    /// The sha256 of the rule set's files: with the version, the exact
    /// rules a decision can be traced to.
    pub rules_digest: Option<String>,
    /// The day the bundle is judged as of (`--as-of`, else its submission date).
    pub judged_on: Option<NaiveDate>,
    /// The parties in manifest order, for grouping findings by party.
    pub parties: Vec<PartySummary>,
    /// Every finding, in a stable order: built-in rules, then the operation's in file order.
    pub findings: Vec<Finding>,
    /// The expected decision dates, for operations with a review window.
    pub review_window: Option<ReviewWindow>,
}

impl Report {
    /// A report on `bundle` with nothing judged yet.
    pub fn empty(bundle: &str) -> Report {
        Report {
            bundle: bundle.to_string(),
            manifest: None,
            operation: None,
            operation_title: None,
            operation_version: None,
            rules_digest: None,
            judged_on: None,
            parties: Vec::new(),
            findings: Vec::new(),
            review_window: None,
        }
    }

    /// `fail` exactly when some finding fails with severity error (spec §4).
    pub fn verdict(&self) -> Verdict {
        self.verdict_at(Severity::Error)
    }

    /// The verdict when failures of `threshold` or worse fail the bundle
    /// (`--fail-on warning` makes failing warnings count too).
    pub fn verdict_at(&self, threshold: Severity) -> Verdict {
        let fails = self
            .findings
            .iter()
            .any(|f| f.status == Status::Fail && f.severity.at_least(threshold));
        if fails { Verdict::Fail } else { Verdict::Pass }
    }

    /// The rules that judged the bundle, for a report's footer:
    /// `规则:<operation> 版本 <version>,规则集 sha256 <digest>`.
    pub fn rules_line(&self, lang: crate::lang::Lang) -> Option<String> {
        let digest = self.rules_digest.as_deref()?;
        let zh = lang == crate::lang::Lang::Zh;
        let version = match (&self.operation, &self.operation_version) {
            (Some(operation), Some(version)) if zh => format!("{operation} 版本 {version},"),
            (Some(operation), Some(version)) => format!("{operation} version {version}, "),
            _ => String::new(),
        };
        Some(if zh {
            format!("规则:{version}规则集 sha256 {digest}")
        } else {
            format!("rules: {version}rule set sha256 {digest}")
        })
    }

    /// The name of the bundle's first enterprise party, if it has one.
    pub fn company(&self) -> Option<&str> {
        self.parties
            .iter()
            .find(|p| p.is_company)
            .and_then(|p| p.name.as_deref())
    }

    /// How findings name a party: its name and key, or the key alone.
    pub fn party_label(&self, key: &str) -> String {
        match self
            .parties
            .iter()
            .find(|p| p.key == key)
            .and_then(|p| p.name.as_deref())
        {
            Some(name) if name != key => format!("{name} ({key})"),
            _ => key.to_string(),
        }
    }

    /// How many findings of each outcome the report holds.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for finding in &self.findings {
            match (finding.status, finding.severity) {
                (Status::Pass, _) => counts.pass += 1,
                (Status::Skip, _) => counts.skip += 1,
                (Status::Waived, _) => counts.waived += 1,
                (Status::Fail, Severity::Error) => counts.fail += 1,
                (Status::Fail, _) => counts.warn += 1,
            }
        }
        counts
    }

    /// Rule ids of failing findings at `severity`, in report order, each once.
    pub fn failing_rules(&self, severity: Severity) -> Vec<&str> {
        let mut rules: Vec<&str> = Vec::new();
        for finding in &self.findings {
            if finding.status == Status::Fail
                && finding.severity == severity
                && !rules.contains(&finding.rule.as_str())
            {
                rules.push(&finding.rule);
            }
        }
        rules
    }
}
