//! Parties and documents against the catalog: `party.role`, `document.type`,
//! `document.holder`, `document.file`, `document.duplicate`, `field.type`
//! and `field.known`. Typed values are kept for the scripts.

use chrono::NaiveDate;

use super::judgement::{
    Judgement, TypedDocument, TypedField, TypedParty, plain, reasoned, rule_ids, writes_field,
};
use crate::bundle::{Envelope, FieldEntry};
use crate::domain::normalize_identifier;
use crate::domain::spelling::nearest;
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
use crate::rules::{FieldDef, FieldType};
use crate::yaml::escape_pointer_token;

fn finding(rule: &str, status: Status, severity: Severity, message: Message) -> Finding {
    Finding::new(rule, status, severity, message).based_on_reviewer_practice()
}

/// Findings of each envelope rule, kept apart so the report lists them rule by rule.
#[derive(Default)]
struct ByRule {
    role: Vec<Finding>,
    kind: Vec<Finding>,
    holder: Vec<Finding>,
    file: Vec<Finding>,
    duplicate: Vec<Finding>,
    field_type: Vec<Finding>,
    field_known: Vec<Finding>,
    typed_fields: usize,
}

pub fn judge_parties_and_documents<'a>(judgement: &mut Judgement<'a>, envelope: &'a Envelope<'a>) {
    let mut out = ByRule::default();
    // Typing ID numbers needs a date; without one, no birth date is "after" it.
    let judged_on = judgement.judged_on.unwrap_or(NaiveDate::MAX);
    judge_parties(judgement, envelope, judged_on, &mut out);
    judge_role_counts(judgement, &mut out);
    judge_documents(judgement, envelope, judged_on, &mut out);
    judge_duplicates(judgement, &mut out);
    if out.field_type.is_empty() {
        let message = Message::of(
            "全部 {count} 个类型字段均有效(统一社会信用代码、身份证号校验码、日期、手机号、邮箱)",
            "all {count} typed fields are valid (USCC and ID checksums, dates, mobiles, emails)",
            vec![Argument::text("count", out.typed_fields.to_string())],
        );
        out.field_type.push(finding(
            rule_ids::FIELD_TYPE,
            Status::Pass,
            Severity::Error,
            message,
        ));
    }
    for group in [
        out.role,
        out.kind,
        out.holder,
        out.file,
        out.duplicate,
        out.field_type,
        out.field_known,
    ] {
        judgement.findings.extend(group);
    }
}

fn judge_parties<'a>(
    judgement: &mut Judgement<'a>,
    envelope: &'a Envelope<'a>,
    judged_on: NaiveDate,
    out: &mut ByRule,
) {
    let catalog = &judgement.rules.catalog;
    let operation = judgement.operation;
    let roles_of_operation = operation
        .roles
        .iter()
        .map(|r| r.role.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for entry in &envelope.parties {
        let role_name = entry.role.and_then(|n| n.as_str());
        let role = role_name
            .filter(|r| operation.role(r).is_some())
            .and_then(|r| catalog.role(r));
        let mut party = TypedParty {
            entry,
            role,
            fields: Vec::new(),
        };
        let hint = Message::of(
            "此业务的角色:{roles}",
            "roles of this operation: {roles}",
            vec![Argument::text("roles", roles_of_operation.clone())],
        );
        let Some(role) = role else {
            let message = match (role_name, entry.role) {
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
            out.role.push(
                judgement.at(
                    finding(rule_ids::PARTY_ROLE, Status::Fail, Severity::Error, message)
                        .with_hint(hint)
                        .with_holder(Some(entry.key)),
                    &path,
                ),
            );
            judgement.parties.push(party);
            continue;
        };
        let display = party.display_name();
        for field in &entry.fields {
            let path = format!("{}/{}", entry.path, escape_pointer_token(field.name));
            let typed = type_field(
                judgement,
                &role.fields,
                &entry.fields,
                field,
                &path,
                judged_on,
                Some(entry.key),
                None,
                &display,
                out,
            );
            party.fields.push(typed);
        }
        let missing: Vec<&FieldDef> = role
            .fields
            .iter()
            .filter(|f| f.required && !writes_field(&entry.fields, &party.fields, &f.name))
            .collect();
        if missing.is_empty() {
            let message = Message::of(
                "{party} 的角色为{role},必填信息齐全",
                "{party} is the {role}; required details present",
                vec![
                    Argument::text("party", display.clone()),
                    Argument::localized("role", &role.title),
                ],
            );
            out.role.push(
                judgement.at(
                    finding(rule_ids::PARTY_ROLE, Status::Pass, Severity::Error, message)
                        .with_holder(Some(entry.key)),
                    &entry.path,
                ),
            );
        } else {
            let message = Message::of(
                "{party}({role})缺少必填信息:{fields}",
                "{party} ({role}) lacks required details: {fields}",
                vec![
                    Argument::text("party", display.clone()),
                    Argument::localized("role", &role.title),
                    Argument::localized("fields", &field_titles(&missing)),
                ],
            );
            let hint = plain(
                "请在清单的当事方条目中补充这些字段",
                "add these fields to the party's entry in the manifest",
            );
            out.role.push(
                judgement.at(
                    finding(rule_ids::PARTY_ROLE, Status::Fail, Severity::Error, message)
                        .with_hint(hint)
                        .with_holder(Some(entry.key)),
                    &entry.path,
                ),
            );
        }
        judgement.parties.push(party);
    }
}

fn judge_role_counts(judgement: &mut Judgement<'_>, out: &mut ByRule) {
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
        out.role.push(judgement.at(
            finding(rule_ids::PARTY_ROLE, Status::Fail, Severity::Error, message).with_hint(hint),
            "/parties",
        ));
    }
}

fn judge_documents<'a>(
    judgement: &mut Judgement<'a>,
    envelope: &'a Envelope<'a>,
    judged_on: NaiveDate,
    out: &mut ByRule,
) {
    let catalog = &judgement.rules.catalog;
    let used = judgement.operation.materials_used();
    for entry in &envelope.documents {
        let Some(type_name) = entry.material.and_then(|n| n.as_str()) else {
            let message = Message::of(
                "第 {index} 份文件没有填写类型 `type`",
                "document {index} has no `type`",
                vec![Argument::text("index", entry.number().to_string())],
            );
            let hint = Message::of(
                "此业务使用的材料:{used}",
                "materials of this operation: {used}",
                vec![Argument::text("used", used.join(", "))],
            );
            out.kind.push(
                judgement.at(
                    finding(
                        rule_ids::DOCUMENT_TYPE,
                        Status::Fail,
                        Severity::Error,
                        message,
                    )
                    .with_hint(hint),
                    &entry.path,
                ),
            );
            continue;
        };
        let material = catalog
            .material(type_name)
            .filter(|_| used.contains(&type_name));
        let Some(material) = material else {
            let message = Message::of(
                "此业务不使用 `{type}` 类型的文件,已忽略",
                "this operation does not use documents of type `{type}`; ignored",
                vec![Argument::text("type", type_name)],
            );
            let hint = Message::of(
                "此业务使用的材料:{used}",
                "materials of this operation: {used}",
                vec![Argument::text("used", used.join(", "))],
            );
            let warning = finding(
                rule_ids::DOCUMENT_TYPE,
                Status::Fail,
                Severity::Warning,
                message,
            )
            .with_hint(hint)
            .with_material(Some(type_name));
            out.kind
                .push(judgement.at(warning, &format!("{}/type", entry.path)));
            continue;
        };
        let holder = judge_holder(judgement, entry, material, out);
        let holder_key = holder.map(|i| judgement.parties[i].entry.key);
        out.file.extend(super::document_file::judge_file(
            judgement,
            entry,
            material.name.as_str(),
            holder_key,
        ));
        let owner = format!("{}[{}]", material.title.zh, entry.number());
        let mut fields = Vec::new();
        for field in &entry.fields {
            let path = format!("{}/fields/{}", entry.path, escape_pointer_token(field.name));
            let owner = Localized::new(
                owner.clone(),
                format!("{} [{}]", material.title.en, entry.number()),
            );
            let typed = type_field(
                judgement,
                &material.fields,
                &entry.fields,
                field,
                &path,
                judged_on,
                holder_key,
                Some(&material.name),
                &owner,
                out,
            );
            fields.push(typed);
        }
        judgement.documents.push(TypedDocument {
            entry,
            material,
            holder,
            fields,
        });
    }
}

fn judge_holder(
    judgement: &Judgement<'_>,
    entry: &crate::bundle::DocumentEntry<'_>,
    material: &crate::rules::MaterialDef,
    out: &mut ByRule,
) -> Option<usize> {
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
            finding(
                rule_ids::DOCUMENT_HOLDER,
                Status::Fail,
                Severity::Error,
                message,
            )
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
        out.holder.push(fail(
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
        ));
        return None;
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
        out.holder.push(fail(message, hint, &path));
        return None;
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
        out.holder
            .push(fail(message, hint, &path).with_holder(Some(key)));
        return None;
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
    out.holder.push(
        judgement.at(
            finding(
                rule_ids::DOCUMENT_HOLDER,
                Status::Pass,
                Severity::Error,
                message,
            )
            .with_material(material_name)
            .with_holder(Some(key)),
            &path,
        ),
    );
    Some(index)
}

fn judge_duplicates(judgement: &Judgement<'_>, out: &mut ByRule) {
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
        let warning = finding(
            rule_ids::DOCUMENT_DUPLICATE,
            Status::Fail,
            Severity::Warning,
            message,
        )
        .with_hint(hint)
        .with_holder(Some(party.entry.key))
        .with_material(Some(&document.material.name));
        out.duplicate
            .push(judgement.at(warning, &document.entry.path));
    }
}

/// Types one field, reporting `field.type` or `field.known` as needed. A key
/// one typo away from a declared field that `siblings` do not write is read
/// as that field, with one failing `field.known` naming the fix, so the
/// typo is not also reported as the field missing.
#[allow(clippy::too_many_arguments)]
fn type_field<'a>(
    judgement: &mut Judgement<'a>,
    declared: &'a [FieldDef],
    siblings: &[FieldEntry<'a>],
    field: &FieldEntry<'a>,
    path: &str,
    judged_on: NaiveDate,
    holder: Option<&str>,
    material: Option<&str>,
    owner: &dyn OwnerName,
    out: &mut ByRule,
) -> TypedField<'a> {
    let (definition, written_as) = match declared.iter().find(|d| d.name == field.name) {
        Some(definition) => (definition, None),
        None => {
            let unwritten = declared
                .iter()
                .map(|d| d.name.as_str())
                .filter(|name| !siblings.iter().any(|s| s.name == *name));
            let meant = nearest(field.name, unwritten)
                .and_then(|name| declared.iter().find(|d| d.name == name));
            let finding = match meant {
                Some(meant) => misspelt_field(field.name, meant, owner),
                None => unknown_field(field.name, declared, owner),
            };
            let finding = finding.with_holder(holder).with_material(material);
            out.field_known.push(judgement.at(finding, path));
            match meant {
                Some(meant) => (meant, Some(field.name)),
                None => return TypedField::new(field.name, None),
            }
        }
    };
    let name = definition.name.as_str();
    if field.value.is_null() {
        return TypedField::new(name, None);
    }
    out.typed_fields += 1;
    let raw = field
        .value
        .as_scalar()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    let personal = match definition.field_type {
        FieldType::Ric => Some(ArgumentKind::ResidentId),
        FieldType::Mobile => Some(ArgumentKind::Mobile),
        _ => None,
    };
    if let Some(kind) = personal {
        for value in [raw.clone(), normalize_identifier(&raw)] {
            if !value.is_empty() && !judgement.personal_values.iter().any(|(v, _)| *v == value) {
                judgement.personal_values.push((value, kind));
            }
        }
    }
    match definition.judge(field.value, judged_on) {
        Ok(value) => {
            if let (Some(kind), crate::rules::FieldValue::Identifier(normalized)) =
                (personal, &value)
                && !judgement
                    .personal_values
                    .iter()
                    .any(|(v, _)| v == normalized)
            {
                judgement.personal_values.push((normalized.clone(), kind));
            }
            TypedField {
                name,
                value: Some(value),
                written_as,
            }
        }
        Err(reason) => {
            // A personal number written in the wrong field is still masked.
            let looks_personal = crate::domain::mask::mask_personal_numbers(&raw) != raw;
            let kind = match personal {
                Some(kind) => kind,
                // An organisation's old code in its own field is no ID number.
                None if definition.field_type == FieldType::Uscc
                    && crate::domain::uscc::is_registration_number(&raw) =>
                {
                    ArgumentKind::Registration
                }
                None if looks_personal && raw.chars().count() >= 15 => ArgumentKind::ResidentId,
                None if looks_personal => ArgumentKind::Mobile,
                None => ArgumentKind::Text,
            };
            let correction =
                super::correction::corrected_value(definition.field_type, &raw, judged_on);
            let value = Argument::new("value", raw, kind);
            let arguments = vec![
                Argument::localized("owner", &owner.localized()),
                Argument::localized("field", &definition.title),
                value,
            ];
            let message = match correction.as_ref().and_then(|c| c.reason.as_ref()) {
                // The reason quotes the corrected value as an argument, so
                // it is masked when rendered, not before.
                Some(own) => {
                    let mut arguments = arguments;
                    arguments.extend(correction.as_ref().map(|c| c.value.clone()));
                    Message::of(
                        &format!("{{owner}} 的{{field}} {{value}} 无效:{}", own.zh),
                        &format!("{{owner}}: {{field}} {{value}} is not valid: {}", own.en),
                        arguments,
                    )
                }
                None => reasoned(
                    "{owner} 的{field} {value} 无效:{reason}",
                    "{owner}: {field} {value} is not valid: {reason}",
                    &reason,
                    arguments,
                ),
            };
            let hint = match correction {
                Some(correction) => Message::of(
                    "把{field}改为 {corrected}",
                    "change {field} to {corrected}",
                    vec![
                        Argument::localized("field", &definition.title),
                        correction.value,
                    ],
                ),
                None => Message::of(
                    "应填写:{expected}",
                    "expected: {expected}",
                    vec![Argument::localized("expected", &definition.describe())],
                ),
            };
            let failure = finding(rule_ids::FIELD_TYPE, Status::Fail, Severity::Error, message)
                .with_hint(hint)
                .with_holder(holder)
                .with_material(material);
            out.field_type.push(judgement.at(failure, path));
            TypedField {
                name,
                value: None,
                written_as,
            }
        }
    }
}

/// A field no rule declares, and the fields that are declared.
fn unknown_field(name: &str, declared: &[FieldDef], owner: &dyn OwnerName) -> Finding {
    let known = declared
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let message = Message::of(
        "{owner} 的字段 `{field}` 未被任何规则使用,请检查拼写",
        "{owner} has a field `{field}` no rule uses; check its spelling",
        vec![
            Argument::localized("owner", &owner.localized()),
            Argument::text("field", name),
        ],
    );
    let hint = Message::of(
        "可用的字段:{known}",
        "known fields: {known}",
        vec![Argument::text("known", known)],
    );
    finding(
        rule_ids::FIELD_KNOWN,
        Status::Fail,
        Severity::Warning,
        message,
    )
    .with_hint(hint)
}

/// A field key one typo away from the declared `meant`: the manifest must
/// be corrected, so it fails, once.
fn misspelt_field(name: &str, meant: &FieldDef, owner: &dyn OwnerName) -> Finding {
    let message = Message::of(
        "{owner} 的字段 `{field}` 拼写有误,应为 `{meant}`({title});已按 `{meant}` 检查",
        "{owner}: field `{field}` is misspelt; it should be `{meant}` ({title}); judged as `{meant}`",
        vec![
            Argument::localized("owner", &owner.localized()),
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
    finding(
        rule_ids::FIELD_KNOWN,
        Status::Fail,
        Severity::Error,
        message,
    )
    .with_hint(hint)
}

/// How a field's owner is named in messages.
trait OwnerName {
    fn localized(&self) -> Localized;
}

impl OwnerName for String {
    fn localized(&self) -> Localized {
        Localized::new(self.clone(), self.clone())
    }
}

impl OwnerName for Localized {
    fn localized(&self) -> Localized {
        self.clone()
    }
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
