//! `bundle.readable`, `bundle.keys` and `bundle.submitted_on`: the manifest's
//! own shape, its format and operation, and the date it is judged on.

use chrono::NaiveDate;

use super::judgement::{BUNDLE_FORMAT, plain, reasoned, rule_ids};
use crate::bundle::{DOCUMENT_KEYS, Envelope, EnvelopeProblem, TOP_LEVEL_KEYS};
use crate::domain::date::parse_date;
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
use crate::rules::{Operation, RuleSet};
use crate::yaml::Node;

fn located(root: &Node, finding: Finding, path: &str) -> Finding {
    let line = root.pointer(path).map(|n| n.position.line);
    Finding {
        path: Some(path.to_string()),
        line,
        ..finding
    }
}

fn fail(rule: &str, message: Message) -> Finding {
    Finding::new(rule, Status::Fail, Severity::Error, message).based_on_reviewer_practice()
}

/// Reports the envelope's problems, its format and its operation. Returns
/// the operation when the bundle can be judged against it.
pub fn judge_envelope<'r>(
    rules: &'r RuleSet,
    root: &Node,
    envelope: &Envelope<'_>,
    findings: &mut Vec<Finding>,
) -> Option<&'r Operation> {
    let mut readable = true;
    for problem in &envelope.problems {
        let finding = match problem {
            EnvelopeProblem::Shape {
                path,
                expected,
                found,
            } => {
                readable = false;
                let what = if path.is_empty() { "/" } else { path.as_str() };
                fail(
                    rule_ids::READABLE,
                    Message::of(
                        "{path} 应为 {expected},实为 {found}",
                        "{path} must be a {expected}, not a {found}",
                        vec![
                            Argument::text("path", what),
                            Argument::text("expected", *expected),
                            Argument::text("found", *found),
                        ],
                    ),
                )
                .with_hint(plain(
                    "请按 dossier.bundle/v1 的结构填写清单",
                    "follow the dossier.bundle/v1 layout",
                ))
            }
            EnvelopeProblem::TooMany { what, limit, .. } => {
                readable = false;
                fail(
                    rule_ids::READABLE,
                    Message::of(
                        "{what} 超过 {limit} 个的上限,未检查",
                        "more than {limit} {what}, the limit; not checked",
                        vec![
                            Argument::text("what", *what),
                            Argument::text("limit", limit.to_string()),
                        ],
                    ),
                )
            }
            EnvelopeProblem::UnknownKey { path, key } => {
                let allowed = if path.starts_with("/documents/") {
                    DOCUMENT_KEYS.join(", ")
                } else {
                    TOP_LEVEL_KEYS.join(", ")
                };
                fail(
                    rule_ids::KEYS,
                    Message::of(
                        "未知的键 `{key}`;此处允许的键:{allowed}",
                        "unknown key `{key}`; the keys allowed here are: {allowed}",
                        vec![
                            Argument::text("key", key.clone()),
                            Argument::text("allowed", allowed),
                        ],
                    ),
                )
                .with_hint(plain(
                    "请删除该键或更正拼写",
                    "remove the key or correct its spelling",
                ))
            }
            EnvelopeProblem::MisspeltKey { key, meant, .. } => fail(
                rule_ids::KEYS,
                Message::of(
                    "键 `{key}` 拼写有误,应为 `{meant}`;已按 `{meant}` 读取",
                    "key `{key}` is misspelt: it should be `{meant}`; read as `{meant}`",
                    vec![
                        Argument::text("key", key.clone()),
                        Argument::text("meant", *meant),
                    ],
                ),
            )
            .with_hint(Message::of(
                "把 `{key}` 改为 `{meant}`",
                "rename `{key}` to `{meant}`",
                vec![
                    Argument::text("key", key.clone()),
                    Argument::text("meant", *meant),
                ],
            )),
            EnvelopeProblem::EntryShape { path, found } => fail(
                rule_ids::KEYS,
                Message::of(
                    "{path} 应为映射(键: 值),实为 {found}",
                    "{path} must be a map of keys and values, not a {found}",
                    vec![
                        Argument::text("path", path.clone()),
                        Argument::text("found", *found),
                    ],
                ),
            ),
        };
        let path = match problem {
            EnvelopeProblem::Shape { path, .. }
            | EnvelopeProblem::UnknownKey { path, .. }
            | EnvelopeProblem::MisspeltKey { path, .. }
            | EnvelopeProblem::EntryShape { path, .. }
            | EnvelopeProblem::TooMany { path, .. } => path,
        };
        findings.push(located(root, finding, path));
    }
    if !readable {
        return None;
    }

    let format = envelope.format.and_then(Node::as_str);
    if format != Some(BUNDLE_FORMAT) {
        let message = match format {
            None => plain("清单缺少 `format`", "the manifest has no `format`"),
            Some(found) => Message::of(
                "不支持的清单格式 `{format}`",
                "unsupported manifest format `{format}`",
                vec![Argument::text("format", found)],
            ),
        };
        let hint = Message::of(
            "请写 `format: {expected}`",
            "write `format: {expected}`",
            vec![Argument::text("expected", BUNDLE_FORMAT)],
        );
        findings.push(located(
            root,
            fail(rule_ids::READABLE, message).with_hint(hint),
            "/format",
        ));
        return None;
    }

    let known_operations = || {
        Message::of(
            "可用的业务:{known}",
            "known operations: {known}",
            vec![Argument::text("known", rules.operation_ids().join(", "))],
        )
    };
    let Some(id) = envelope.operation.and_then(Node::as_str) else {
        let message = plain("清单缺少 `operation`", "the manifest has no `operation`");
        let finding = fail(rule_ids::READABLE, message).with_hint(known_operations());
        findings.push(located(root, finding, ""));
        return None;
    };
    let Some(operation) = rules.operation(id) else {
        let message = Message::of(
            "未知的业务 `{operation}`",
            "unknown operation `{operation}`",
            vec![Argument::text("operation", id)],
        );
        let finding = fail(rule_ids::READABLE, message).with_hint(known_operations());
        findings.push(located(root, finding, "/operation"));
        return None;
    };
    let message = Message::of(
        "清单可读,格式 {format},业务 {operation}",
        "manifest read; format {format}, operation {operation}",
        vec![
            Argument::text("format", BUNDLE_FORMAT),
            Argument::text("operation", id),
        ],
    );
    let pass = Finding::new(rule_ids::READABLE, Status::Pass, Severity::Error, message)
        .based_on_reviewer_practice();
    findings.push(located(root, pass, "/operation"));
    Some(operation)
}

/// `submitted_on`: present and a real date.
pub fn judge_submitted_on(
    root: &Node,
    envelope: &Envelope<'_>,
    options: &crate::engine::CheckOptions,
    findings: &mut Vec<Finding>,
) -> Option<NaiveDate> {
    let hint = plain(
        "请按 YYYY-MM-DD 填写提交日期",
        "give the submission date as YYYY-MM-DD",
    );
    let Some(node) = envelope.submitted_on else {
        let finding = fail(
            rule_ids::SUBMITTED_ON,
            plain(
                "清单缺少提交日期 `submitted_on`",
                "the manifest has no `submitted_on` date",
            ),
        )
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
            let pass = Finding::new(
                rule_ids::SUBMITTED_ON,
                Status::Pass,
                Severity::Error,
                message,
            )
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
                fail(rule_ids::SUBMITTED_ON, message).with_hint(hint),
                "/submitted_on",
            ));
            None
        }
    }
}

/// A submission date after the judging date (or today): most often a typo
/// in the year, which would make every date rule judge the wrong day.
fn future_submission(date: NaiveDate, options: &crate::engine::CheckOptions) -> Option<Finding> {
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
    let warning = Finding::new(
        rule_ids::SUBMITTED_ON,
        Status::Fail,
        Severity::Warning,
        message,
    )
    .with_hint(plain(
        "请填写实际提交(或计划提交)的日期",
        "write the date the bundle is (or will be) submitted",
    ))
    .based_on_reviewer_practice();
    Some(warning)
}
