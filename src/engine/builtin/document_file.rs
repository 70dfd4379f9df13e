//! `document.file`: the attachment a document entry names, and what to do
//! when it does not work — the near match of a missing file, the new name of
//! a file whose extension lies about its content (and the `file:` line to
//! change), how to convert a format that is not accepted, and why a list of
//! files is not one document.

use super::rule::{BuiltinRule, Words};
use crate::bundle::{
    AttachmentCheck, AttachmentProblem, DocumentEntry, format_advice, near_match, renamed_for,
};
use crate::engine::state::{Judgement, plain, reasoned};
use crate::lang::Localized;
use crate::report::{Argument, Finding, Message, Severity, Status};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "document.file",
    severities: &[Severity::Error, Severity::Warning],
    title: Words {
        zh: "每份文件附有一个可用的附件",
        en: "Each document has one usable attachment",
    },
    checks: Words {
        zh: "文件条目的 `file` 是一个相对于材料包目录的路径,指向目录内的普通文件(不是链接,不在目录之外);文件不为空、不超过 20 MiB,按内容是完整的 PDF、JPEG 或 PNG;写了 `sha256` 时与文件内容一致。扩展名与内容不符(如 PNG 图片名为 .jpg)是警告。",
        en: "A document entry's `file` is a path relative to the bundle folder naming a regular file inside it (no link, nothing outside the folder); the file is not empty, at most 20 MiB, and by its content a complete PDF, JPEG or PNG; when `sha256` is given it matches the file. An extension that disagrees with the content (a PNG named .jpg) is a warning.",
    },
    why: Words {
        zh: "平台审核的是附件本身:缺失、损坏、格式不被接受或被替换过的文件,会让整份申请被退回。",
        en: "The platform reviews the attachments themselves: a missing, damaged, unaccepted or swapped file gets the whole application sent back.",
    },
    fix: Words {
        zh: "把文件放进材料包目录(通常是 files/)并改正 `file` 中的路径;把其他格式转换为 PDF、JPEG 或 PNG;正反面或多页合并为一个文件;按提示改正扩展名或 `sha256`。",
        en: "Put the file into the bundle folder (usually files/) and correct the path under `file`; convert other formats to PDF, JPEG or PNG; merge two sides or several pages into one file; correct the extension or `sha256` as the hint says.",
    },
    basis: super::rule::BUNDLE_FORMAT_BASIS,
};

/// The findings of one document's attachment, at its `file` (or `sha256`).
pub fn judge_file(
    judgement: &Judgement<'_>,
    entry: &DocumentEntry<'_>,
    material: &str,
    holder: Option<&str>,
) -> Vec<Finding> {
    let path = format!("{}/file", entry.path);
    let base = |status, severity, message| {
        RULE.finding(status, severity, message)
            .based_on_reviewer_practice()
            .with_material(Some(material))
            .with_holder(holder)
    };
    if let Some(files) = entry.file.and_then(|n| n.as_sequence()) {
        let message = Message::of(
            "第 {index} 份文件的 `file` 是一个列表({count} 项);每份材料只能附一个文件",
            "document {index} has a list of {count} files under `file`; each material takes one file",
            vec![
                Argument::text("index", entry.number().to_string()),
                Argument::text("count", files.len().to_string()),
            ],
        );
        let hint = plain(
            "把正反面(或多页)合并为一个 PDF,或拼成一张图片,再写 `file: files/…`",
            "merge the front and back (or the pages) into one PDF or one picture, then write `file: files/…`",
        );
        let failure = base(Status::Fail, Severity::Error, message).with_hint(hint);
        return vec![judgement.at(failure, &path)];
    }
    let Some(reference) = entry.file.and_then(|n| n.as_str()) else {
        let message = Message::of(
            "第 {index} 份文件没有填写附件路径 `file`",
            "document {index} has no `file`",
            vec![Argument::text("index", entry.number().to_string())],
        );
        let hint = plain(
            "请填写附件相对于材料包目录的路径",
            "give the attachment's path relative to the bundle folder",
        );
        let failure = base(Status::Fail, Severity::Error, message).with_hint(hint);
        return vec![judgement.at(failure, &entry.path)];
    };
    if judgement.out_of_time() {
        let finding = judgement
            .out_of_time_finding(RULE.id)
            .with_material(Some(material))
            .with_holder(holder);
        return vec![judgement.at(finding, &path)];
    }
    let declared = entry.sha256.and_then(|n| n.as_str());
    let check = judgement.bundle.files.check_attachment(
        reference,
        declared,
        judgement.rules.limits.attachment_bytes,
    );
    let line = judgement
        .root
        .pointer(&path)
        .map_or(0, |node| node.position.line);
    let file_argument = Argument::text("file", reference);
    match check {
        AttachmentCheck::Invalid(problem) => {
            let message = reasoned(
                "附件 {file} {reason}",
                "attachment {file} {reason}",
                &problem.explain(),
                vec![file_argument],
            );
            let hint = problem_hint(judgement, &problem, reference, line);
            let at = match problem {
                AttachmentProblem::BadDigest | AttachmentProblem::DigestMismatch { .. } => {
                    format!("{}/sha256", entry.path)
                }
                _ => path,
            };
            let failure = base(Status::Fail, Severity::Error, message).with_hint(hint);
            vec![judgement.at(failure, &at)]
        }
        AttachmentCheck::Valid {
            kind,
            size,
            sha256_verified,
            extension_agrees,
        } => {
            let verified = if sha256_verified {
                Localized::new(",sha256 一致", ", sha256 verified")
            } else {
                Localized::default()
            };
            let message = Message::of(
                "附件 {file}:{kind},{size} 字节{verified}",
                "attachment {file}: {kind}, {size} bytes{verified}",
                vec![
                    file_argument.clone(),
                    Argument::text("kind", kind.name()),
                    Argument::text("size", size.to_string()),
                    Argument::localized("verified", &verified),
                ],
            );
            let mut findings =
                vec![judgement.at(base(Status::Pass, Severity::Error, message), &path)];
            if !extension_agrees {
                let renamed = renamed_for(reference, kind);
                let message = Message::of(
                    "附件 {file} 的内容是 {kind},扩展名却不是",
                    "attachment {file} holds a {kind}, but its extension says otherwise",
                    vec![file_argument, Argument::text("kind", kind.name())],
                );
                let hint = Message::of(
                    "把文件改名为 {renamed},并把第 {line} 行改为 `file: {renamed}`",
                    "rename the file to {renamed} and change line {line} to `file: {renamed}`",
                    vec![
                        Argument::text("renamed", renamed),
                        Argument::text("line", line.to_string()),
                    ],
                );
                let warning = base(Status::Fail, Severity::Warning, message).with_hint(hint);
                findings.push(judgement.at(warning, &path));
            }
            findings
        }
    }
}

/// The fix for an attachment that failed: its near match, how to convert
/// its format, or where and how to provide it.
fn problem_hint(
    judgement: &Judgement<'_>,
    problem: &AttachmentProblem,
    reference: &str,
    line: usize,
) -> Message {
    match problem {
        AttachmentProblem::Missing => {
            match near_match(reference, &judgement.bundle.files.names_beside(reference)) {
                Some(near) => Message::of(
                    "材料包中有相近的文件 {near};如果就是它,把第 {line} 行改为 `file: {near}`",
                    "the bundle has a file named {near}; if that is the one, change line {line} to `file: {near}`",
                    vec![
                        Argument::text("near", near),
                        Argument::text("line", line.to_string()),
                    ],
                ),
                None => plain(
                    "请把该文件放进材料包目录(通常是 files/),或改正 `file` 中的路径",
                    "put the file into the bundle folder (usually files/), or correct the path under `file`",
                ),
            }
        }
        AttachmentProblem::UnknownFormat => Message::new(format_advice(reference), vec![]),
        _ => plain(
            "请在材料包目录内提供该文件:PDF、JPEG 或 PNG,不超过 20 MiB",
            "provide the file inside the bundle folder: a PDF, JPEG or PNG of at most 20 MiB",
        ),
    }
}
