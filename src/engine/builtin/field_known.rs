//! `field.known`: every field of a party or document is one its role or
//! material declares. A key one typo from a declared field the entry does
//! not write is read as that field, with one failure naming the fix, so the
//! typo is not also reported as the field missing.

use super::rule::{BuiltinRule, REVIEWER_PRACTICE, Words};
use crate::bundle::FieldEntry;
use crate::domain::spelling::nearest;
use crate::lang::Localized;
use crate::report::{Argument, Finding, Message, Severity, Status};
use crate::rules::FieldDef;

pub const RULE: BuiltinRule = BuiltinRule {
    id: "field.known",
    severities: &[Severity::Error, Severity::Warning],
    title: Words {
        zh: "每个字段都是角色或材料声明过的字段",
        en: "Every field is one its role or material declares",
    },
    checks: Words {
        zh: "当事方和文件 `fields` 中的每个字段,都是其角色或材料声明的字段。未声明的字段是警告;与某个未填写的已声明字段只差一个字的字段(如 `valid_untill`)按该字段检查,并报告一次拼写错误(错误)。",
        en: "Each field of a party, and under a document's `fields`, is one its role or material declares. An undeclared field is a warning; a field one typo from a declared field the entry does not write (`valid_untill`) is judged as that field, with one failure naming the fix (an error).",
    },
    why: Words {
        zh: "拼错的字段不会被任何规则读取:有效期写成 `valid_untill`,有效期检查就会当作没有填写。",
        en: "A misspelt field is read by no rule: a validity written as `valid_untill` is judged as if it were not given at all.",
    },
    fix: Words {
        zh: "按提示改正字段名;提示列出了此处可用的字段。",
        en: "Rename the field as the hint says; the hint lists the fields known here.",
    },
    basis: REVIEWER_PRACTICE,
};

/// The declared field a written key stands for, and the `field.known`
/// failure when it is not written as declared: the declared field itself;
/// the one it misspells (among those `siblings` do not write), with a
/// failure; or none, with a warning.
pub fn judge<'d>(
    declared: &'d [FieldDef],
    siblings: &[FieldEntry<'_>],
    name: &str,
    owner: &Localized,
) -> (Option<&'d FieldDef>, Option<Finding>) {
    if let Some(definition) = declared.iter().find(|d| d.name == name) {
        return (Some(definition), None);
    }
    let unwritten = declared
        .iter()
        .map(|d| d.name.as_str())
        .filter(|declared| !siblings.iter().any(|s| s.name == *declared));
    let meant =
        nearest(name, unwritten).and_then(|meant| declared.iter().find(|d| d.name == meant));
    match meant {
        Some(meant) => (Some(meant), Some(misspelt_field(name, meant, owner))),
        None => (None, Some(unknown_field(name, declared, owner))),
    }
}

/// A field no rule declares, and the fields that are declared.
fn unknown_field(name: &str, declared: &[FieldDef], owner: &Localized) -> Finding {
    let known = declared
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let message = Message::of(
        "{owner} 的字段 `{field}` 未被任何规则使用,请检查拼写",
        "{owner} has a field `{field}` no rule uses; check its spelling",
        vec![
            Argument::localized("owner", owner),
            Argument::text("field", name),
        ],
    );
    let hint = Message::of(
        "可用的字段:{known}",
        "known fields: {known}",
        vec![Argument::text("known", known)],
    );
    RULE.finding(Status::Fail, Severity::Warning, message)
        .based_on_reviewer_practice()
        .with_hint(hint)
}

/// A field key one typo away from the declared `meant`: the manifest must
/// be corrected, so it fails, once.
fn misspelt_field(name: &str, meant: &FieldDef, owner: &Localized) -> Finding {
    let message = Message::of(
        "{owner} 的字段 `{field}` 拼写有误,应为 `{meant}`({title});已按 `{meant}` 检查",
        "{owner}: field `{field}` is misspelt; it should be `{meant}` ({title}); judged as `{meant}`",
        vec![
            Argument::localized("owner", owner),
            Argument::text("field", name),
            Argument::text("meant", meant.name.as_str()),
            Argument::localized("title", &meant.title),
        ],
    );
    let hint = Message::of(
        "把 `{field}` 改为 `{meant}`",
        "rename `{field}` to `{meant}`",
        vec![
            Argument::text("field", name),
            Argument::text("meant", meant.name.as_str()),
        ],
    );
    RULE.finding(Status::Fail, Severity::Error, message)
        .based_on_reviewer_practice()
        .with_hint(hint)
}
