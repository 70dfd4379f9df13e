//! Which version of the bundle's operation judges it: the one in force on
//! the judging date (`submitted_on`, or `--as-of`).

use chrono::NaiveDate;

use super::judgement::{plain, rule_ids};
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
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
    let versions = rules.versions(&latest.id);
    let listed = |zh: bool| {
        versions
            .iter()
            .map(|v| {
                let period = v.period.describe();
                format!("{} ({})", v.version, if zh { period.zh } else { period.en })
            })
            .collect::<Vec<_>>()
            .join(if zh { ";" } else { "; " })
    };
    let message = Message::of(
        "业务 {operation} 在 {date} 没有有效的规则版本(现有版本:{versions})",
        "no version of the rules for {operation} is in force on {date} (versions: {versions})",
        vec![
            Argument::text("operation", latest.id.clone()),
            Argument::new("date", day.to_string(), ArgumentKind::Date),
            Argument::localized("versions", &Localized::new(listed(true), listed(false))),
        ],
    );
    let hint = plain(
        "请核对提交日期;如需按其他日期评判,请使用 --as-of",
        "check the submission date, or judge as of another date with --as-of",
    );
    let finding =
        Finding::new(rule_ids::READABLE, Status::Fail, Severity::Error, message).with_hint(hint);
    findings.push(finding);
    None
}
