//! What a batch of reports adds up to: how many bundles passed and failed,
//! and which rules failed most often. Kept apart from timing so it is
//! deterministic.

use serde::Serialize;

use super::{Report, Severity, Verdict};
use crate::rules::RuleId;

/// One rule and how many bundles it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTally {
    /// The rule's id.
    pub rule: RuleId,
    /// How many bundles it failed.
    pub bundles: usize,
    /// Every one of its failures was a warning: an index lists it apart
    /// from the rules that fail bundles.
    #[serde(skip)]
    pub warning: bool,
}

/// The tally of a batch, built one report at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BatchSummary {
    /// Bundles in the batch.
    pub bundles: usize,
    /// Bundles that passed.
    pub passed: usize,
    /// Bundles that failed.
    pub failed: usize,
    /// Bundles where a rule could not be evaluated.
    pub rule_errors: usize,
    /// Bundles that fail at the user's threshold (`--fail-on`) on their
    /// own merits, rule errors aside: what makes the exit status 1.
    pub failed_at_threshold: usize,
    /// Failing rules (errors and warnings), most frequent first, then by id.
    pub failing_rules: Vec<RuleTally>,
}

/// What a batch keeps of one report once it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The bundle as the user named it.
    pub bundle: String,
    /// The operation the manifest names.
    pub operation: Option<String>,
    /// The name of the bundle's enterprise party.
    pub company: Option<String>,
    /// Its verdict (failing errors fail it).
    pub verdict: Verdict,
    /// Its failing rules, errors first, each once.
    pub failing_rules: Vec<RuleId>,
    /// The rules among `failing_rules` that failed only as warnings.
    pub warning_rules: Vec<RuleId>,
    /// Whether a rule could not be evaluated on it.
    pub rule_error: bool,
    /// Fails at the user's threshold (`--fail-on`) on the bundle's own merits.
    pub fails_at_threshold: bool,
}

impl Outcome {
    /// What a batch keeps of `report`, failing at `threshold`.
    pub fn of(report: &Report, threshold: Severity) -> Outcome {
        let mut failing_rules: Vec<RuleId> = report
            .failing_rules(Severity::Error)
            .into_iter()
            .map(RuleId::from)
            .collect();
        let mut warning_rules: Vec<RuleId> = Vec::new();
        for rule in report.failing_rules(Severity::Warning) {
            if !failing_rules.iter().any(|r| r == rule) {
                failing_rules.push(RuleId::from(rule));
                warning_rules.push(RuleId::from(rule));
            }
        }
        Outcome {
            bundle: report.bundle.clone(),
            operation: report.operation.clone(),
            company: report.company().map(str::to_string),
            verdict: report.verdict(),
            failing_rules,
            warning_rules,
            rule_error: report.findings.iter().any(|f| f.rule_error),
            fails_at_threshold: report
                .findings
                .iter()
                .any(|f| !f.rule_error && f.fails_at(threshold)),
        }
    }
}

impl BatchSummary {
    /// Counts one more bundle.
    pub fn add(&mut self, outcome: &Outcome) {
        self.bundles += 1;
        match outcome.verdict {
            Verdict::Pass => self.passed += 1,
            Verdict::Fail => self.failed += 1,
        }
        if outcome.rule_error {
            self.rule_errors += 1;
        }
        if outcome.fails_at_threshold {
            self.failed_at_threshold += 1;
        }
        for rule in &outcome.failing_rules {
            let warning = outcome.warning_rules.contains(rule);
            match self.failing_rules.iter_mut().find(|t| &t.rule == rule) {
                Some(tally) => {
                    tally.bundles += 1;
                    tally.warning &= warning;
                }
                None => self.failing_rules.push(RuleTally {
                    rule: rule.clone(),
                    bundles: 1,
                    warning,
                }),
            }
        }
        self.failing_rules
            .sort_by(|a, b| b.bundles.cmp(&a.bundles).then_with(|| a.rule.cmp(&b.rule)));
    }

    /// The `n` rules that failed most often.
    pub fn top(&self, n: usize) -> &[RuleTally] {
        &self.failing_rules[..self.failing_rules.len().min(n)]
    }
}
