//! One finding: what a rule concluded about one subject, and why.

use serde::Serialize;

use super::message::Message;
use crate::yaml::Position;

/// The outcome of one rule on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// The rule's condition did not apply, or its inputs were already
    /// reported invalid; the message says which.
    Skip,
    /// Failed, but a reviewer's waiver grants an exception (`waiver` says why).
    Waived,
}

/// How much a failing finding matters. `--fail-on` takes `error` or
/// `warning` from this enum (failing on notes is not offered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[value(skip)]
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn at_least(self, threshold: Severity) -> bool {
        self >= threshold
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where the rule that produced a finding is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOrigin {
    /// The rule file, relative to the rule set's folder.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl RuleOrigin {
    pub fn new(file: &str, position: Position) -> RuleOrigin {
        RuleOrigin {
            file: file.to_string(),
            line: position.line,
            column: position.column,
        }
    }
}

/// What one rule concluded about one subject (a party, a document, a value).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub status: Status,
    pub severity: Severity,
    pub message: Message,
    pub hint: Option<Message>,
    pub basis: Option<String>,
    /// The party key the finding concerns.
    pub holder: Option<String>,
    /// The material the finding concerns.
    pub material: Option<String>,
    /// JSON Pointer into the manifest.
    pub path: Option<String>,
    /// Line of `path` in the manifest.
    pub line: Option<usize>,
    pub origin: Option<RuleOrigin>,
    /// The rule itself broke (script error, limit hit): not a judgement of the bundle.
    pub rule_error: bool,
    /// The reviewer's exception that waived this finding.
    pub waiver: Option<WaiverNote>,
}

/// Why a finding is waived: the reviewer's justification, kept with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverNote {
    pub reason: String,
    pub approved_by: String,
    pub expires: chrono::NaiveDate,
    /// The waiver file and line that granted it.
    pub source: String,
}

impl Finding {
    pub fn new(
        rule: impl Into<String>,
        status: Status,
        severity: Severity,
        message: Message,
    ) -> Finding {
        Finding {
            rule: rule.into(),
            status,
            severity,
            message,
            hint: None,
            basis: None,
            holder: None,
            material: None,
            path: None,
            line: None,
            origin: None,
            rule_error: false,
            waiver: None,
        }
    }

    pub fn with_hint(mut self, hint: Message) -> Finding {
        self.hint = Some(hint);
        self
    }

    pub fn with_holder(mut self, holder: Option<&str>) -> Finding {
        self.holder = holder.map(str::to_string);
        self
    }

    pub fn with_material(mut self, material: Option<&str>) -> Finding {
        self.material = material.map(str::to_string);
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Finding {
        self.path = Some(path.into());
        self
    }

    pub fn with_basis(mut self, basis: Option<&str>) -> Finding {
        self.basis = basis.map(str::to_string);
        self
    }

    /// Whether this finding fails its bundle at `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.status == Status::Fail && self.severity.at_least(threshold)
    }
}
