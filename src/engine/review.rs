//! The review window: when the decision is expected, counted in working days
//! on the rule set's calendar.

use chrono::NaiveDate;

use super::state::{Judgement, plain};
use crate::domain::date::DateValue;
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, ReviewWindow, Severity, Status};
use crate::rules::{FieldType, FieldValue};
use crate::yaml::escape_pointer_token;

pub fn review_window(judgement: &mut Judgement<'_>) -> Option<ReviewWindow> {
    let rule = judgement.operation.review_window.as_ref()?;
    let calendar = judgement.rules.calendar.as_ref()?;
    let finding = |status, message| {
        let mut finding = Finding::new(rule.id.clone(), status, Severity::Info, message)
            .with_basis(rule.basis.as_ref());
        finding.origin = Some(rule.origin.clone());
        finding
    };
    let Some(submitted) = judgement.judged_on else {
        let skipped = finding(
            Status::Skip,
            Message::of(
                "未计算:没有有效的提交日期",
                "not computed: there is no valid submission date",
                vec![],
            ),
        );
        judgement.push(skipped);
        return None;
    };
    let earliest = calendar.nth_working_day_after(submitted, rule.from);
    let latest = calendar.nth_working_day_after(submitted, rule.to);
    let covered = earliest.covered && latest.covered;
    let date = |name: &str, day: chrono::NaiveDate| {
        Argument::new(name, day.to_string(), ArgumentKind::Date)
    };
    let (zh_note, en_note) = if covered {
        ("", "")
    } else {
        (
            "(工作日历未覆盖这些年份,按周一至周五计算,放假安排公布后日期可能变化)",
            " (the calendar does not cover these years, so Monday to Friday were counted; the dates may move once the holiday notice is out)",
        )
    };
    let message = Message::new(
        Localized::new(
            format!(
                "预计在提交后第 {{from}} 至第 {{to}} 个工作日之间收到审核结果,即 {{earliest}} 至 {{latest}}{zh_note}"
            ),
            format!(
                "expect the decision between working day {{from}} and {{to}} after submission: {{earliest}} to {{latest}}{en_note}"
            ),
        ),
        vec![
            Argument::text("from", rule.from.to_string()),
            Argument::text("to", rule.to.to_string()),
            date("earliest", earliest.date),
            date("latest", latest.date),
        ],
    );
    let computed = finding(Status::Pass, message);
    judgement.push(computed);
    for warning in expiring_in_window(judgement, submitted, latest.date) {
        let mut warning = warning.with_basis(rule.basis.as_ref());
        warning.rule = rule.id.clone();
        warning.origin = Some(rule.origin.clone());
        judgement.push(warning);
    }
    Some(ReviewWindow {
        from_working_days: rule.from,
        to_working_days: rule.to,
        earliest: earliest.date,
        latest: latest.date,
        calendar_covered: covered,
    })
}

/// Documents whose validity (a `date_or_long_term` field: valid until, end
/// date) is still running on the judging date but ends before the last
/// expected decision date: the reviewer will look at an expired document.
fn expiring_in_window(
    judgement: &Judgement<'_>,
    judged_on: NaiveDate,
    latest: NaiveDate,
) -> Vec<Finding> {
    let mut warnings = Vec::new();
    for document in &judgement.documents {
        for field in &document.fields {
            let Some(FieldValue::Date(DateValue::Day(end))) = field.value else {
                continue;
            };
            let Some(definition) = document.material.field(field.name) else {
                continue;
            };
            if definition.field_type != FieldType::DateOrLongTerm
                || end < judged_on
                || end >= latest
            {
                continue;
            }
            let message = Message::of(
                "{material}[{index}] 的{field} {end},早于预计审核结束日 {latest},审核时可能已过期",
                "{material} [{index}]: {field} is {end}, before the last expected decision date {latest}; it may have expired when it is reviewed",
                vec![
                    Argument::localized("material", &document.material.title),
                    Argument::text("index", document.entry.number().to_string()),
                    Argument::localized("field", &definition.title),
                    Argument::new("end", end.to_string(), ArgumentKind::Date),
                    Argument::new("latest", latest.to_string(), ArgumentKind::Date),
                ],
            );
            let hint = plain(
                "请先办理新证件(或续签)后再提交,或在审核期内留意补交",
                "renew the document before submitting, or be ready to send the renewed one during the review",
            );
            let holder = document.holder.map(|i| judgement.parties[i].entry.key);
            let path = format!(
                "{}/fields/{}",
                document.entry.path,
                escape_pointer_token(field.written_as.unwrap_or(field.name))
            );
            let warning = Finding::new("", Status::Fail, Severity::Warning, message)
                .with_hint(hint)
                .with_holder(holder)
                .with_material(Some(&document.material.name));
            warnings.push(judgement.at(warning, &path));
        }
    }
    warnings
}
