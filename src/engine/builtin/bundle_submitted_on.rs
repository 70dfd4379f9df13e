//! `bundle.submitted_on`: the date the bundle is submitted on, which every
//! date rule is judged on (unless `--as-of` gives another).

use chrono::NaiveDate;

use super::rule::{BUNDLE_FORMAT_BASIS, BuiltinRule, Words};
use crate::bundle::Envelope;
use crate::domain::date::parse_date;
use crate::engine::options::CheckOptions;
use crate::engine::state::{located, plain, reasoned};
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
use crate::yaml::Node;

pub const RULE: BuiltinRule = BuiltinRule {
    id: "bundle.submitted_on",
    severities: &[Severity::Error, Severity::Warning],
    title: Words {
        zh: "清单写明提交日期",
        en: "The manifest gives the submission date",
    },
    checks: Words {
        zh: "清单的 `submitted_on` 存在且是真实的日期(YYYY-MM-DD,也接受 2024/08/28 与 2024年8月28日)。日期晚于 --as-of 日期或今天时给出警告:多半是年份写错了。",
        en: "The manifest's `submitted_on` is present and a real date (YYYY-MM-DD; 2024/08/28 and the Chinese way of writing a date are read as the same). A date after the --as-of date, or after today, is a warning: most likely a typo in the year.",
    },
    why: Words {
        zh: "证件是否在有效期内、是否年满某个年龄,都按提交日期判断;日期缺失或写错,所有与日期有关的规则都会按错误的日子评判。",
        en: "Whether a card is still valid or a person is of age is judged on the submission date; a missing or mistyped date makes every date rule judge the wrong day.",
    },
    fix: Words {
        zh: "按 YYYY-MM-DD 填写实际提交(或计划提交)的日期。",
        en: "Write the date the bundle is (or will be) submitted, as YYYY-MM-DD.",
    },
    basis: BUNDLE_FORMAT_BASIS,
};

fn fail(message: Message) -> Finding {
    RULE.finding(Status::Fail, Severity::Error, message)
        .based_on_reviewer_practice()
}

/// `submitted_on`: present and a real date, not after the judging date
/// or today. Returns the date when it is one.
pub fn judge(
    root: &Node,
    envelope: &Envelope<'_>,
    options: &CheckOptions,
    findings: &mut Vec<Finding>,
) -> Option<NaiveDate> {
    let hint = plain(
        "请按 YYYY-MM-DD 填写提交日期",
        "give the submission date as YYYY-MM-DD",
    );
    let Some(node) = envelope.submitted_on else {
        let finding = fail(plain(
            "清单缺少提交日期 `submitted_on`",
            "the manifest has no `submitted_on` date",
        ))
        .with_hint(hint);
        findings.push(finding);
        return None;
    };
    let text = node.as_str().unwrap_or_default();
    match parse_date(text) {
        Ok(date) => {
            let message = Message::of(
                "提交日期 {date}",
                "submitted on {date}",
                vec![Argument::new("date", date.to_string(), ArgumentKind::Date)],
            );
            let pass = RULE
                .finding(Status::Pass, Severity::Error, message)
                .based_on_reviewer_practice();
            findings.push(located(root, pass, "/submitted_on"));
            if let Some(warning) = future_submission(date, options) {
                findings.push(located(root, warning, "/submitted_on"));
            }
            Some(date)
        }
        Err(error) => {
            let message = reasoned(
                "提交日期无效:{reason}",
                "the submission date is not valid: {reason}",
                &error.explain(),
                vec![],
            );
            findings.push(located(
                root,
                fail(message).with_hint(hint),
                "/submitted_on",
            ));
            None
        }
    }
}

/// A submission date after the judging date (or today): most often a typo
/// in the year, which would make every date rule judge the wrong day.
fn future_submission(date: NaiveDate, options: &CheckOptions) -> Option<Finding> {
    let date_argument = Argument::new("date", date.to_string(), ArgumentKind::Date);
    let message = match (options.as_of, options.today) {
        (Some(as_of), _) if date > as_of => Message::of(
            "提交日期 {date} 晚于判定日期 {reference},请检查年份是否写错",
            "the submission date {date} is after the judging date {reference}; check the year",
            vec![
                date_argument,
                Argument::new("reference", as_of.to_string(), ArgumentKind::Date),
            ],
        ),
        (None, Some(today)) if date > today => Message::of(
            "提交日期 {date} 晚于今天 {reference},请检查年份是否写错",
            "the submission date {date} is after today, {reference}; check the year",
            vec![
                date_argument,
                Argument::new("reference", today.to_string(), ArgumentKind::Date),
            ],
        ),
        _ => return None,
    };
    let warning = RULE
        .finding(Status::Fail, Severity::Warning, message)
        .with_hint(plain(
            "请填写实际提交(或计划提交)的日期",
            "write the date the bundle is (or will be) submitted",
        ))
        .based_on_reviewer_practice();
    Some(warning)
}
