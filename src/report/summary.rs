//! What a batch of reports adds up to: how many bundles passed and failed,
//! and which rules failed most often. Kept apart from timing so it is
//! deterministic.

use serde::Serialize;

use super::{Report, Severity, Verdict};

/// One rule and how many bundles it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTally {
    pub rule: String,
    pub bundles: usize,
    /// Every one of its failures was a warning: an index lists it apart
    /// from the rules that fail bundles.
    #[serde(skip)]
    pub warning: bool,
}

/// The tally of a batch, built one report at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchSummary {
    pub bundles: usize,
    pub passed: usize,
    pub failed: usize,
    /// Bundles where a rule could not be evaluated.
    pub rule_errors: usize,
    /// Failing rules (errors and warnings), most frequent first, then by id.
    pub failing_rules: Vec<RuleTally>,
}

/// What a batch keeps of one report once it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The bundle as the user named it.
    pub bundle: String,
    /// The operation the manifest names.
    pub operation: Option<String>,
    /// The name of the bundle's enterprise party.
    pub company: Option<String>,
    pub verdict: Verdict,
    pub failing_rules: Vec<String>,
    /// The rules among `failing_rules` that failed only as warnings.
    pub warning_rules: Vec<String>,
    pub rule_error: bool,
    /// Fails at the user's threshold (`--fail-on`) on the bundle's own merits.
    pub fails_at_threshold: bool,
}

impl Outcome {
    pub fn of(report: &Report, threshold: Severity) -> Outcome {
        let mut failing_rules: Vec<String> = report
            .failing_rules(Severity::Error)
            .into_iter()
            .map(String::from)
            .collect();
        let mut warning_rules: Vec<String> = Vec::new();
        for rule in report.failing_rules(Severity::Warning) {
            if !failing_rules.iter().any(|r| r == rule) {
                failing_rules.push(rule.to_string());
                warning_rules.push(rule.to_string());
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
    pub fn add(&mut self, outcome: &Outcome) {
        self.bundles += 1;
        match outcome.verdict {
            Verdict::Pass => self.passed += 1,
            Verdict::Fail => self.failed += 1,
        }
        if outcome.rule_error {
            self.rule_errors += 1;
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
