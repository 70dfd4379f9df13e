//! Which version of the bundle's operation judges it: the one in force on
//! the judging date (`submitted_on`, or `--as-of`).

use chrono::NaiveDate;

use super::builtin::bundle_readable;
use crate::report::Finding;
use crate::rules::{Operation, RuleSet};

/// The version in force on `judged_on`. Without a judging date the latest
/// version is used: the bundle already fails `bundle.submitted_on`. A date
/// no version covers is a failing `bundle.readable` finding, and nothing
/// more is judged.
pub fn version_in_force<'r>(
    rules: &'r RuleSet,
    latest: &'r Operation,
    judged_on: Option<NaiveDate>,
    findings: &mut Vec<Finding>,
) -> Option<&'r Operation> {
    let Some(day) = judged_on else {
        return Some(latest);
    };
    if let Some(version) = rules.operation_on(&latest.id, day) {
        return Some(version);
    }
    let finding = bundle_readable::no_version_in_force(rules, latest, day);
    findings.push(finding);
    None
}
