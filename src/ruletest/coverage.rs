//! `dossier test --coverage`: for each rule of the tested operations, the
//! cases in which it fails. A rule no case fails has never been seen to
//! catch anything: it may be unreachable, or its test is missing.

use std::fmt::Write;

use super::case::TestFile;
use super::outcome::TestRun;
use crate::rules::{RuleId, RuleSet};

/// One rule and the cases that fail it (as an error or a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleCoverage {
    /// The operation's id.
    pub operation: String,
    /// The rule's id.
    pub rule: RuleId,
    /// The names of the cases whose report fails the rule; empty for a
    /// rule no case has seen catch anything.
    pub failed_by: Vec<String>,
}

/// Every scripted rule of every tested operation (all its versions), in file order.
pub fn coverage(rules: &RuleSet, files: &[TestFile], run: &TestRun) -> Vec<RuleCoverage> {
    let mut out: Vec<RuleCoverage> = Vec::new();
    for file in files {
        for operation in rules.versions(&file.operation) {
            // The review window is an info finding: it never fails.
            for rule in operation.rules.iter().map(|r| r.id.clone()) {
                if !out
                    .iter()
                    .any(|c| c.operation == operation.id && c.rule == rule)
                {
                    out.push(RuleCoverage {
                        operation: operation.id.clone(),
                        rule,
                        failed_by: Vec::new(),
                    });
                }
            }
        }
    }
    for outcome in &run.outcomes {
        let Some(file) = files.iter().find(|f| f.path == outcome.file) else {
            continue;
        };
        let failed = outcome.got.fail.iter().chain(&outcome.got.warn);
        for rule in failed {
            if let Some(entry) = out
                .iter_mut()
                .find(|c| c.operation == file.operation && c.rule == *rule)
                && !entry.failed_by.contains(&outcome.case.name)
            {
                entry.failed_by.push(outcome.case.name.clone());
            }
        }
    }
    out
}

/// The coverage as text: each rule with its cases, then a warning listing
/// the rules no case fails.
pub fn render_coverage(coverage: &[RuleCoverage]) -> String {
    let mut out = String::from("coverage: the cases in which each rule fails\n");
    for entry in coverage {
        let cases = if entry.failed_by.is_empty() {
            "—".to_string()
        } else {
            entry.failed_by.join(", ")
        };
        let _ = writeln!(out, "  {}: {}  {cases}", entry.operation, entry.rule);
    }
    let never: Vec<&RuleCoverage> = coverage.iter().filter(|c| c.failed_by.is_empty()).collect();
    if !never.is_empty() {
        let _ = writeln!(out, "warning: no case fails these rules:");
        for entry in never {
            let _ = writeln!(out, "  {}: {}", entry.operation, entry.rule);
        }
    }
    out
}
