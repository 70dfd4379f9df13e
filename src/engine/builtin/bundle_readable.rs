//! `bundle.readable`: the manifest can be read, has the bundle format's
//! layout, names the format and an operation of the rule set, and a version
//! of that operation is in force on the judging date. Nothing more is
//! judged when it fails.

use chrono::NaiveDate;

use super::bundle_keys;
use super::rule::{BUNDLE_FORMAT_BASIS, BuiltinRule, Words};
use crate::bundle::{Envelope, EnvelopeProblem, ManifestError};
use crate::engine::state::{located, plain, reasoned};
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
use crate::rules::{Operation, RuleSet};
use crate::source::SourceProblem;
use crate::yaml::Node;

/// The manifest format this version reads.
pub const BUNDLE_FORMAT: &str = "dossier.bundle/v1";

pub const RULE: BuiltinRule = BuiltinRule {
    id: "bundle.readable",
    severities: &[Severity::Error],
    title: Words {
        zh: "材料包清单可读,格式与业务可识别",
        en: "The bundle manifest can be read, with a known format and operation",
    },
    checks: Words {
        zh: "材料包(目录、zip、tar 或 tar.gz)能够打开;清单(bundle.yaml、bundle.yml 或 bundle.json)是有效的 YAML 或 JSON,结构符合 dossier.bundle/v1(parties 为映射、documents 为列表),且不超过大小与数量上限;`format` 为 `dossier.bundle/v1`;`operation` 是规则集中的业务;提交日期(或 --as-of 日期)当天有该业务有效的规则版本。全角冒号、全角空格或制表符缩进会指出所在的行与列。",
        en: "The bundle (a folder, zip, tar or tar.gz) can be opened; its manifest (bundle.yaml, bundle.yml or bundle.json) is valid YAML or JSON laid out as dossier.bundle/v1 describes (`parties` a map, `documents` a list) within the size and count limits; `format` is `dossier.bundle/v1`; `operation` is an operation of the rule set; and a version of that operation's rules is in force on the submission date (or the --as-of date). A full-width colon, a full-width space or tab indentation is named at its own line and column.",
    },
    why: Words {
        zh: "清单读不出来,就无法知道提交了哪些当事方和文件,也不知道该用哪套规则评判:此时任何结论都不可信,因此只报告这一项,其余一律不评判。",
        en: "A manifest that cannot be read says nothing about the parties and files submitted, nor which rules judge them: no conclusion could be trusted, so this is the only finding and nothing else is judged.",
    },
    fix: Words {
        zh: "按提示的行与列改正清单;写上 `format: dossier.bundle/v1` 和一个可用的业务;核对提交日期;压缩包请直接压缩材料包目录,不含链接、加密或目录外的路径。",
        en: "Correct the manifest at the line and column named; write `format: dossier.bundle/v1` and a known operation; check the submission date; pack an archive from the bundle folder as it is, without links, encryption or paths leading outside it.",
    },
    basis: BUNDLE_FORMAT_BASIS,
};

fn fail(message: Message) -> Finding {
    RULE.finding(Status::Fail, Severity::Error, message)
        .based_on_reviewer_practice()
}

/// A manifest that could not be read or parsed, at its line when known.
pub fn unreadable_manifest(error: &ManifestError) -> Finding {
    let mut finding = RULE
        .finding(
            Status::Fail,
            Severity::Error,
            Message::of(
                "无法读取材料包清单:{reason}",
                "the bundle manifest cannot be read: {reason}",
                vec![Argument::localized("reason", &error.explain())],
            ),
        )
        .with_hint(Message::new(error.fix(), vec![]));
    finding.line = error.position().map(|p| p.line);
    finding
}

/// The failing finding of a bundle whose source (an archive, an upload)
/// was refused before anything in it was judged.
pub fn source_refused(problem: &SourceProblem) -> Finding {
    RULE.finding(
        Status::Fail,
        Severity::Error,
        reasoned(
            "无法评判此材料包:{reason}",
            "the bundle cannot be judged: {reason}",
            &problem.explain(),
            vec![],
        ),
    )
    .with_hint(plain(
        "请直接压缩材料包目录(zip、tar 或 tar.gz),不含链接、加密或目录外的路径",
        "pack the bundle folder as it is (zip, tar or tar.gz), without links, encryption or paths leading outside it",
    ))
}

/// Reports the envelope's problems (its keys through `bundle.keys`), its
/// format and its operation. Returns the operation when the bundle can be
/// judged against it.
pub fn judge_envelope<'r>(
    rules: &'r RuleSet,
    root: &Node,
    envelope: &Envelope<'_>,
    findings: &mut Vec<Finding>,
) -> Option<&'r Operation> {
    let mut readable = true;
    for problem in &envelope.problems {
        let (finding, path) = match problem {
            EnvelopeProblem::Shape {
                path,
                expected,
                found,
            } => {
                readable = false;
                let what = if path.is_empty() { "/" } else { path.as_str() };
                let finding = fail(Message::of(
                    "{path} 应为 {expected},实为 {found}",
                    "{path} must be a {expected}, not a {found}",
                    vec![
                        Argument::text("path", what),
                        Argument::text("expected", *expected),
                        Argument::text("found", *found),
                    ],
                ))
                .with_hint(plain(
                    "请按 dossier.bundle/v1 的结构填写清单",
                    "follow the dossier.bundle/v1 layout",
                ));
                (finding, path)
            }
            EnvelopeProblem::TooMany { what, limit, path } => {
                readable = false;
                let finding = fail(Message::of(
                    "{what} 超过 {limit} 个的上限,未检查",
                    "more than {limit} {what}, the limit; not checked",
                    vec![
                        Argument::text("what", *what),
                        Argument::text("limit", limit.to_string()),
                    ],
                ));
                (finding, path)
            }
            EnvelopeProblem::UnknownKey { path, key } => (bundle_keys::unknown(path, key), path),
            EnvelopeProblem::MisspeltKey { path, key, meant } => {
                (bundle_keys::misspelt(key, meant), path)
            }
            EnvelopeProblem::EntryShape { path, found } => {
                (bundle_keys::not_a_map(path, found), path)
            }
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
        findings.push(located(root, fail(message).with_hint(hint), "/format"));
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
        let finding = fail(message).with_hint(known_operations());
        findings.push(located(root, finding, ""));
        return None;
    };
    let Some(operation) = rules.operation(id) else {
        let message = Message::of(
            "未知的业务 `{operation}`",
            "unknown operation `{operation}`",
            vec![Argument::text("operation", id)],
        );
        let finding = fail(message).with_hint(known_operations());
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
    let pass = RULE
        .finding(Status::Pass, Severity::Error, message)
        .based_on_reviewer_practice();
    findings.push(located(root, pass, "/operation"));
    Some(operation)
}

/// No version of `latest`'s operation is in force on `day`: the versions
/// there are, with their periods.
pub fn no_version_in_force(rules: &RuleSet, latest: &Operation, day: NaiveDate) -> Finding {
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
    RULE.finding(Status::Fail, Severity::Error, message)
        .with_hint(hint)
}
