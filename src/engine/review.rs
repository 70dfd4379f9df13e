//! The review window: when the decision is expected, counted in working days
//! on the rule set's calendar.

use super::judgement::Judgement;
use crate::report::{Argument, ArgumentKind, Finding, Message, ReviewWindow, Severity, Status};

pub fn review_window(judgement: &mut Judgement<'_>) -> Option<ReviewWindow> {
    let rule = judgement.operation.review_window.as_ref()?;
    let calendar = judgement.rules.calendar.as_ref()?;
    let finding = |status, message| {
        let mut finding = Finding::new(rule.id.clone(), status, Severity::Info, message)
            .with_basis(rule.basis.as_deref());
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
    let message = Message::of(
        &format!(
            "预计在提交后第 {{from}} 至第 {{to}} 个工作日之间收到审核结果,即 {{earliest}} 至 {{latest}}{zh_note}"
        ),
        &format!(
            "expect the decision between working day {{from}} and {{to}} after submission: {{earliest}} to {{latest}}{en_note}"
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
    Some(ReviewWindow {
        from_working_days: rule.from,
        to_working_days: rule.to,
        earliest: earliest.date,
        latest: latest.date,
        calendar_covered: covered,
    })
}
