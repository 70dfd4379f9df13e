//! `document.type`: each document entry names a material the operation
//! uses. An entry with no type is an error; a material the operation does
//! not use is ignored, with a warning.

use super::rule::{BUNDLE_FORMAT_BASIS, BuiltinRule, Words};
use crate::bundle::DocumentEntry;
use crate::engine::state::Judgement;
use crate::report::{Argument, Finding, Message, Severity, Status};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "document.type",
    severities: &[Severity::Error, Severity::Warning],
    title: Words {
        zh: "每份文件的类型是此业务使用的材料",
        en: "Each document's type is a material of the operation",
    },
    checks: Words {
        zh: "`documents` 中每个条目的 `type` 是此业务使用的材料(如 business_license、id_card)。没有填写类型是错误;此业务不使用的类型会被忽略,并给出警告。",
        en: "Each entry under `documents` has a `type` that is a material the operation uses (business_license, id_card…). An entry with no type is an error; a type the operation does not use is ignored, with a warning.",
    },
    why: Words {
        zh: "材料的类型决定了由谁持有、要填写哪些信息、适用哪些规则;类型不明的文件无法检查,也可能是放错了材料。",
        en: "A document's type decides who holds it, which details it shows and which rules judge it; a document of no known type cannot be checked, and may be the wrong material.",
    },
    fix: Words {
        zh: "按提示中列出的此业务材料填写 `type`,或删除不需要的文件条目。",
        en: "Write a `type` from the materials the hint lists, or remove the entry if it is not needed.",
    },
    basis: BUNDLE_FORMAT_BASIS,
};

fn materials_hint(used: &[&str]) -> Message {
    Message::of(
        "此业务使用的材料:{used}",
        "materials of this operation: {used}",
        vec![Argument::text("used", used.join(", "))],
    )
}

/// A document entry with no `type`.
pub fn untyped(judgement: &Judgement<'_>, entry: &DocumentEntry<'_>, used: &[&str]) -> Finding {
    let message = Message::of(
        "第 {index} 份文件没有填写类型 `type`",
        "document {index} has no `type`",
        vec![Argument::text("index", entry.number().to_string())],
    );
    let failure = RULE
        .finding(Status::Fail, Severity::Error, message)
        .based_on_reviewer_practice()
        .with_hint(materials_hint(used));
    judgement.at(failure, &entry.path)
}

/// A document of a type the operation does not use: ignored, with a warning.
pub fn unused(
    judgement: &Judgement<'_>,
    entry: &DocumentEntry<'_>,
    type_name: &str,
    used: &[&str],
) -> Finding {
    let message = Message::of(
        "此业务不使用 `{type}` 类型的文件,已忽略",
        "this operation does not use documents of type `{type}`; ignored",
        vec![Argument::text("type", type_name)],
    );
    let warning = RULE
        .finding(Status::Fail, Severity::Warning, message)
        .based_on_reviewer_practice()
        .with_hint(materials_hint(used))
        .with_material(Some(type_name));
    judgement.at(warning, format!("{}/type", entry.path))
}
