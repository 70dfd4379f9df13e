//! One finding: what a rule concluded about one subject, and why.

use std::sync::Arc;

use serde::Serialize;

use super::message::Message;
use crate::lang::Localized;
use crate::rules::RuleId;
use crate::yaml::Position;

/// The outcome of one rule on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// The subject meets the rule.
    Pass,
    /// The subject does not meet the rule (its severity says how much that matters).
    Fail,
    /// The rule's condition did not apply, or its inputs were already
    /// reported invalid; the message says which.
    Skip,
    /// Failed, but a reviewer's waiver grants an exception (`waiver` says why).
    Waived,
}

impl Status {
    /// The status's name in reports (`pass`, `fail`, `skip`, `waived`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Waived => "waived",
        }
    }
}

/// How much a failing finding matters. `--fail-on` takes `error` or
/// `warning` from this enum (failing on notes is not offered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[value(skip)]
    /// Worth knowing; never fails a bundle.
    Info,
    /// Fails a bundle only with `--fail-on warning`.
    Warning,
    /// Fails the bundle.
    Error,
}

impl Severity {
    /// Whether this severity is `threshold` or worse.
    pub fn at_least(self, threshold: Severity) -> bool {
        self >= threshold
    }

    /// The severity's name in reports (`info`, `warning`, `error`).
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
    /// The rule file, relative to the rule set's folder (shared, not
    /// copied: every finding of the rule carries its origin).
    #[serde(serialize_with = "shared_text")]
    pub file: Arc<str>,
    /// 1-based line of the rule in its file.
    pub line: usize,
    /// 1-based column of the rule in its file.
    pub column: usize,
}

fn shared_text<S: serde::Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(text)
}

impl RuleOrigin {
    /// Where the rule is written in its file.
    pub fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    /// The rule written in `file` at `position`.
    pub fn new(file: &str, position: Position) -> RuleOrigin {
        RuleOrigin {
            file: Arc::from(file),
            line: position.line,
            column: position.column,
        }
    }
}

/// What one rule concluded about one subject (a party, a document, a value).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Finding {
    /// The rule's id, e.g. `employee.id_card` or `document.file`.
    pub rule: RuleId,
    /// Whether the subject passed, failed, was skipped or waived.
    pub status: Status,
    /// How much a failure matters.
    pub severity: Severity,
    /// What was concluded, with the values judged.
    pub message: Message,
    /// How to fix a failure.
    pub hint: Option<Message>,
    /// Where the requirement comes from (a platform's page, a law), in
    /// both languages.
    pub basis: Option<Localized>,
    /// The party key the finding concerns.
    pub holder: Option<String>,
    /// The material the finding concerns.
    pub material: Option<String>,
    /// JSON Pointer into the manifest.
    pub path: Option<String>,
    /// Line of `path` in the manifest.
    pub line: Option<usize>,
    /// The rule file and line that demanded this finding (none for built-in rules).
    pub origin: Option<RuleOrigin>,
    /// The rule itself broke (script error, limit hit): not a judgement of the bundle.
    pub rule_error: bool,
    /// The reviewer's exception that waived this finding.
    pub waiver: Option<WaiverNote>,
}

/// Why a finding is waived: the reviewer's justification, kept with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverNote {
    /// Why the exception is granted.
    pub reason: String,
    /// Who granted it.
    pub approved_by: String,
    /// The last day it applies.
    pub expires: chrono::NaiveDate,
    /// The waiver file and line that granted it.
    pub source: String,
}

impl Finding {
    /// A finding of `rule` about nothing in particular yet; the `with_` methods say what it concerns.
    pub fn new(
        rule: impl Into<RuleId>,
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

    /// With a hint on how to fix it.
    pub fn with_hint(mut self, hint: Message) -> Finding {
        self.hint = Some(hint);
        self
    }

    /// About the party with this key.
    pub fn with_holder(mut self, holder: Option<&str>) -> Finding {
        self.holder = holder.map(str::to_string);
        self
    }

    /// About this material.
    pub fn with_material(mut self, material: Option<&str>) -> Finding {
        self.material = material.map(str::to_string);
        self
    }

    /// At this JSON Pointer into the manifest.
    pub fn with_path(mut self, path: impl Into<String>) -> Finding {
        self.path = Some(path.into());
        self
    }

    /// With where the requirement comes from.
    pub fn with_basis(mut self, basis: Option<&Localized>) -> Finding {
        self.basis = basis.cloned();
        self
    }

    /// For the checks dossier applies itself: no written source demands
    /// them, a careful reviewer does.
    pub fn based_on_reviewer_practice(mut self) -> Finding {
        self.basis = Some(Localized::new("审核惯例", "reviewer practice"));
        self
    }

    /// The basis as a reader of `lang` sees it.
    pub fn basis_in(&self, lang: crate::lang::Lang) -> Option<&str> {
        self.basis.as_ref().map(|basis| basis.get(lang))
    }

    /// Whether this finding fails its bundle at `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.status == Status::Fail && self.severity.at_least(threshold)
    }
}
