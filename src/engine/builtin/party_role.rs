//! `party.role`: every party has a role of the operation and the details
//! that role requires, and each role has as many parties as the operation
//! needs.

use super::rule::{BuiltinRule, REVIEWER_PRACTICE, Words};
use crate::bundle::PartyEntry;
use crate::engine::state::{Judgement, TypedParty, plain};
use crate::lang::Localized;
use crate::report::{Argument, Finding, Message, Severity, Status};
use crate::rules::{FieldDef, RoleDef};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "party.role",
    severities: &[Severity::Error],
    title: Words {
        zh: "每个当事方有此业务的角色和必填信息",
        en: "Every party has a role of the operation and its required details",
    },
    checks: Words {
        zh: "`parties` 中每个当事方的 `role` 是此业务使用的角色,并填写了该角色的全部必填字段;每个角色的当事方数量符合业务要求(例如恰好一个企业)。",
        en: "Each party under `parties` has a `role` the operation uses and gives every field that role requires; each role has as many parties as the operation needs (exactly one enterprise, for example).",
    },
    why: Words {
        zh: "角色决定了当事方要提交哪些材料、要满足哪些规则;角色不对或信息不全,后续的检查就无从进行。",
        en: "A party's role decides which documents it must submit and which rules apply to it; with a wrong role or missing details, the checks that follow cannot be made.",
    },
    fix: Words {
        zh: "为当事方填写此业务的角色(提示中列出了可用的角色),补齐必填字段,并按要求添加或删除当事方。",
        en: "Give the party a role of the operation (the hint lists them), add the required fields, and add or remove parties as the operation needs.",
    },
    basis: REVIEWER_PRACTICE,
};

fn finding(status: Status, message: Message) -> Finding {
    RULE.finding(status, Severity::Error, message)
        .based_on_reviewer_practice()
}

/// A party without a role of the operation: none, one that is not a name,
/// or a role the operation does not use.
pub fn without_role(judgement: &Judgement<'_>, entry: &PartyEntry<'_>) -> Finding {
    let roles_of_operation = judgement
        .operation
        .roles
        .iter()
        .map(|r| r.role.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let hint = Message::of(
        "此业务的角色:{roles}",
        "roles of this operation: {roles}",
        vec![Argument::text("roles", roles_of_operation)],
    );
    let message = match (entry.role.and_then(|n| n.as_str()), entry.role) {
        (None, Some(node)) => Message::of(
            "当事方 {party} 的角色 `role` 应为一个角色名,实为{found}",
            "party {party} has a `role` that is a {found}, not a role name",
            vec![
                Argument::text("party", entry.key),
                Argument::text("found", node.kind_name()),
            ],
        ),
        (None, None) => Message::of(
            "当事方 {party} 没有填写角色 `role`",
            "party {party} has no `role`",
            vec![Argument::text("party", entry.key)],
        ),
        (Some(name), _) => Message::of(
            "当事方 {party} 的角色 `{role}` 不属于此业务",
            "party {party} has role `{role}`, which this operation does not use",
            vec![
                Argument::text("party", entry.key),
                Argument::text("role", name),
            ],
        ),
    };
    let path = if entry.role.is_some() {
        format!("{}/role", entry.path)
    } else {
        entry.path.clone()
    };
    judgement.at(
        finding(Status::Fail, message)
            .with_hint(hint)
            .with_holder(Some(entry.key)),
        &path,
    )
}

/// Whether the typed `party` of `role` gives every field the role requires.
pub fn required_details(
    judgement: &Judgement<'_>,
    party: &TypedParty<'_>,
    role: &RoleDef,
) -> Finding {
    let entry = party.entry;
    let display = party.display_name();
    let missing: Vec<&FieldDef> = role
        .fields
        .iter()
        .filter(|f| f.required && !party.writes(&f.name))
        .collect();
    let finding = if missing.is_empty() {
        let message = Message::of(
            "{party} 的角色为{role},必填信息齐全",
            "{party} is the {role}; required details present",
            vec![
                Argument::text("party", display),
                Argument::localized("role", &role.title),
            ],
        );
        finding(Status::Pass, message)
    } else {
        let message = Message::of(
            "{party}({role})缺少必填信息:{fields}",
            "{party} ({role}) lacks required details: {fields}",
            vec![
                Argument::text("party", display),
                Argument::localized("role", &role.title),
                Argument::localized("fields", &field_titles(&missing)),
            ],
        );
        let hint = plain(
            "请在清单的当事方条目中补充这些字段",
            "add these fields to the party's entry in the manifest",
        );
        finding(Status::Fail, message).with_hint(hint)
    };
    judgement.at(finding.with_holder(Some(entry.key)), &entry.path)
}

/// A failure for each role with more or fewer parties than the operation
/// allows.
pub fn judge_counts(judgement: &Judgement<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for role_use in &judgement.operation.roles {
        let count = judgement
            .parties
            .iter()
            .filter(|p| p.role.is_some_and(|r| r.name == role_use.role))
            .count();
        if role_use.count.allows(count) {
            continue;
        }
        let title = judgement
            .rules
            .catalog
            .role(&role_use.role)
            .map(|r| r.title.clone())
            .unwrap_or_default();
        let message = Message::of(
            "此业务需要{expected}{role},清单中有 {count} 个",
            "this operation needs {expected} {role}, the manifest has {count}",
            vec![
                Argument::localized("expected", &role_use.count.describe()),
                Argument::localized("role", &title),
                Argument::text("count", count.to_string()),
            ],
        );
        let hint = Message::of(
            "请在 parties 中添加或删除{role}",
            "add or remove the {role} in `parties`",
            vec![Argument::localized("role", &title)],
        );
        findings.push(judgement.at(finding(Status::Fail, message).with_hint(hint), "/parties"));
    }
    findings
}

fn field_titles(fields: &[&FieldDef]) -> Localized {
    Localized::new(
        fields
            .iter()
            .map(|f| f.title.zh.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        fields
            .iter()
            .map(|f| f.title.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )
}
