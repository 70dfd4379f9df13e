//! `document.duplicate`: one holder does not submit the same material twice.

use super::rule::{BuiltinRule, REVIEWER_PRACTICE, Words};
use crate::engine::state::{Judgement, plain};
use crate::report::{Argument, Finding, Message, Severity, Status};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "document.duplicate",
    severities: &[Severity::Warning],
    title: Words {
        zh: "同一当事方的同一种材料只提交一份",
        en: "A party submits each material once",
    },
    checks: Words {
        zh: "同一个持有人没有两份相同类型的文件(例如同一个人的两份身份证)。",
        en: "No holder has two documents of the same material (two ID cards of one person, for example).",
    },
    why: Words {
        zh: "重复的材料多半是把证件的正反面分成了两个文件,或多放了一份旧证件;审核人员不知道该以哪一份为准。",
        en: "A repeated material is most often the two sides of a card sent as two files, or an old card left in; a reviewer cannot tell which one counts.",
    },
    fix: Words {
        zh: "如为同一证件的正反面,合并为一个文件;否则删除多余的一份。",
        en: "If these are the two sides of one card, merge them into one file; otherwise remove the extra one.",
    },
    basis: REVIEWER_PRACTICE,
};

/// A warning for each document of the same material and holder as an
/// earlier one.
pub fn judge(judgement: &Judgement<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (position, document) in judgement.documents.iter().enumerate() {
        let Some(holder) = document.holder else {
            continue;
        };
        let earlier = judgement.documents[..position]
            .iter()
            .find(|d| d.holder == Some(holder) && d.material.name == document.material.name);
        let Some(earlier) = earlier else { continue };
        let party = &judgement.parties[holder];
        let message = Message::of(
            "{holder} 的{material}提交了不止一份(第 {first} 份与第 {second} 份)",
            "{holder} has more than one {material} (documents {first} and {second})",
            vec![
                Argument::text("holder", party.display_name()),
                Argument::localized("material", &document.material.title),
                Argument::text("first", earlier.entry.number().to_string()),
                Argument::text("second", document.entry.number().to_string()),
            ],
        );
        let hint = plain(
            "如为同一证件的正反面,请合并为一个文件;否则删除多余的一份",
            "if these are the two sides of one card, merge them into one file; otherwise remove the extra one",
        );
        let warning = RULE
            .finding(Status::Fail, Severity::Warning, message)
            .based_on_reviewer_practice()
            .with_hint(hint)
            .with_holder(Some(party.entry.key))
            .with_material(Some(&document.material.name));
        findings.push(judgement.at(warning, &document.entry.path));
    }
    findings
}
