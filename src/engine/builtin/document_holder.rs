//! `document.holder`: each document names, under `holder`, the party
//! holding it, and that party's role may hold the material.

use super::rule::{BUNDLE_FORMAT_BASIS, BuiltinRule, Words};
use crate::bundle::DocumentEntry;
use crate::engine::state::{Judgement, plain};
use crate::lang::Localized;
use crate::report::{Argument, Finding, Message, Severity, Status};
use crate::rules::MaterialDef;

pub const RULE: BuiltinRule = BuiltinRule {
    id: "document.holder",
    severities: &[Severity::Error],
    title: Words {
        zh: "每份文件由可以持有它的当事方持有",
        en: "Each document is held by a party that may hold it",
    },
    checks: Words {
        zh: "文件条目的 `holder` 是 `parties` 中某个当事方的键名,且该当事方的角色可以持有这种材料(例如营业执照由企业持有,身份证由个人持有)。",
        en: "A document entry's `holder` is the key of a party under `parties`, and that party's role may hold the material (a business licence is held by the enterprise, an ID card by a person).",
    },
    why: Words {
        zh: "规则按持有人核对文件与当事方的信息是否一致(如身份证上的姓名与号码);持有人不明或不对,这些核对就会张冠李戴。",
        en: "Rules match a document against its holder's details (the name and number on an ID card); with no holder, or the wrong one, they would compare the document with the wrong person.",
    },
    fix: Words {
        zh: "在 `holder` 中填写持有该文件的当事方键名;提示列出了可以持有此材料的角色。",
        en: "Write under `holder` the key of the party holding the document; the hint lists the roles that may hold the material.",
    },
    basis: BUNDLE_FORMAT_BASIS,
};

fn finding(status: Status, message: Message) -> Finding {
    RULE.finding(status, Severity::Error, message)
        .based_on_reviewer_practice()
}

/// Whether `entry`'s `holder` names a party whose role may hold
/// `material`: that party's index among the typed parties, and the finding.
pub fn judge(
    judgement: &Judgement<'_>,
    entry: &DocumentEntry<'_>,
    material: &MaterialDef,
) -> (Option<usize>, Finding) {
    let key = entry.holder.and_then(|n| n.as_str());
    let path = format!("{}/holder", entry.path);
    let material_name = Some(material.name.as_str());
    let holders = Localized::new(
        material
            .holders
            .iter()
            .filter_map(|h| judgement.rules.catalog.role(h))
            .map(|r| r.title.zh.clone())
            .collect::<Vec<_>>()
            .join("、"),
        material
            .holders
            .iter()
            .filter_map(|h| judgement.rules.catalog.role(h))
            .map(|r| r.title.en.clone())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let fail = |message: Message, hint: Message, path: &str| {
        judgement.at(
            finding(Status::Fail, message)
                .with_hint(hint)
                .with_material(material_name),
            path,
        )
    };
    let Some(key) = key else {
        let message = match entry.holder {
            Some(node) => Message::of(
                "{material}[{index}] 的持有人 `holder` 应为当事方的键名,实为{found}",
                "{material} [{index}] has a `holder` that is a {found}, not a party key",
                vec![
                    Argument::localized("material", &material.title),
                    Argument::text("index", entry.number().to_string()),
                    Argument::text("found", node.kind_name()),
                ],
            ),
            None => Message::of(
                "{material}[{index}] 没有填写持有人 `holder`",
                "{material} [{index}] has no `holder`",
                vec![
                    Argument::localized("material", &material.title),
                    Argument::text("index", entry.number().to_string()),
                ],
            ),
        };
        let failure = fail(
            message,
            plain(
                "请填写持有该文件的当事方键名",
                "give the key of the party holding the document",
            ),
            if entry.holder.is_some() {
                &path
            } else {
                &entry.path
            },
        );
        return (None, failure);
    };
    let Some(index) = judgement.parties.iter().position(|p| p.entry.key == key) else {
        let parties = judgement
            .parties
            .iter()
            .map(|p| p.entry.key)
            .collect::<Vec<_>>()
            .join(", ");
        let message = Message::of(
            "持有人 `{holder}` 不是清单中的当事方",
            "holder `{holder}` names no party of the manifest",
            vec![Argument::text("holder", key)],
        );
        let hint = Message::of(
            "当事方:{parties}",
            "parties: {parties}",
            vec![Argument::text("parties", parties)],
        );
        return (None, fail(message, hint, &path));
    };
    let party = &judgement.parties[index];
    let Some(role) = party.role.filter(|r| material.holders.contains(&r.name)) else {
        let role_title = party
            .role
            .map(|r| r.title.clone())
            .unwrap_or_else(|| Localized::new("未知角色", "unknown role"));
        let message = Message::of(
            "{material} 的持有人 {holder} 是{role},不能持有此材料",
            "{material} is held by {holder}, the {role}, who cannot hold it",
            vec![
                Argument::localized("material", &material.title),
                Argument::text("holder", party.display_name()),
                Argument::localized("role", &role_title),
            ],
        );
        let hint = Message::of(
            "此材料应由{holders}持有",
            "this material is held by: {holders}",
            vec![Argument::localized("holders", &holders)],
        );
        return (None, fail(message, hint, &path).with_holder(Some(key)));
    };
    let message = Message::of(
        "{material}[{index}] 由{role} {holder} 持有",
        "{material} [{index}] is held by {holder}, the {role}",
        vec![
            Argument::localized("material", &material.title),
            Argument::text("index", entry.number().to_string()),
            Argument::localized("role", &role.title),
            Argument::text("holder", party.display_name()),
        ],
    );
    let pass = finding(Status::Pass, message)
        .with_material(material_name)
        .with_holder(Some(key));
    (Some(index), judgement.at(pass, &path))
}
