//! Parties and documents against the catalog: `party.role`, `document.type`,
//! `document.holder`, `document.file`, `document.duplicate`, `field.type`
//! and `field.known`. Typed values are kept for the scripts.

use chrono::NaiveDate;

use super::judgement::{
    Judgement, TypedDocument, TypedField, TypedParty, plain, reasoned, rule_ids,
};
use crate::bundle::{AttachmentCheck, Envelope, FieldEntry};
use crate::domain::normalize_identifier;
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
use crate::rules::{FieldDef, FieldType};
use crate::yaml::escape_pointer_token;

fn finding(rule: &str, status: Status, severity: Severity, message: Message) -> Finding {
    Finding::new(rule, status, severity, message).with_basis(Some("practice"))
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
        out.field_type.push(
            finding(rule_ids::FIELD_TYPE, Status::Pass, Severity::Error, message)
                .with_basis(Some("§二.3 真实、有效")),
        );
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
        let missing: Vec<&FieldDef> = role
            .fields
            .iter()
            .filter(|f| {
                f.required
                    && !entry
                        .fields
                        .iter()
                        .any(|e| e.name == f.name && !e.value.is_null())
            })
            .collect();
        let display = party.display_name();
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
        for field in &entry.fields {
            let path = format!("{}/{}", entry.path, escape_pointer_token(field.name));
            let typed = type_field(
                judgement,
                &role.fields,
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
                vec![Argument::text("index", entry.index.to_string())],
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
        judge_file(judgement, entry, material.name.as_str(), holder_key, out);
        let owner = format!("{}[{}]", material.title.zh, entry.index);
        let mut fields = Vec::new();
        for field in &entry.fields {
            let path = format!("{}/fields/{}", entry.path, escape_pointer_token(field.name));
            let owner = Localized::new(
                owner.clone(),
                format!("{} [{}]", material.title.en, entry.index),
            );
            let typed = type_field(
                judgement,
                &material.fields,
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
                    Argument::text("index", entry.index.to_string()),
                    Argument::text("found", node.kind_name()),
                ],
            ),
            None => Message::of(
                "{material}[{index}] 没有填写持有人 `holder`",
                "{material} [{index}] has no `holder`",
                vec![
                    Argument::localized("material", &material.title),
                    Argument::text("index", entry.index.to_string()),
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
            Argument::text("index", entry.index.to_string()),
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

fn judge_file(
    judgement: &Judgement<'_>,
    entry: &crate::bundle::DocumentEntry<'_>,
    material: &str,
    holder: Option<&str>,
    out: &mut ByRule,
) {
    let path = format!("{}/file", entry.path);
    let base = |status, severity, message| {
        finding(rule_ids::DOCUMENT_FILE, status, severity, message)
            .with_material(Some(material))
            .with_holder(holder)
    };
    let Some(reference) = entry.file.and_then(|n| n.as_str()) else {
        let message = Message::of(
            "第 {index} 份文件没有填写附件路径 `file`",
            "document {index} has no `file`",
            vec![Argument::text("index", entry.index.to_string())],
        );
        out.file.push(judgement.at(
            base(Status::Fail, Severity::Error, message).with_hint(plain(
                "请填写附件相对于材料包目录的路径",
                "give the attachment's path relative to the bundle folder",
            )),
            &entry.path,
        ));
        return;
    };
    if judgement.out_of_time() {
        let finding = judgement
            .out_of_time_finding(rule_ids::DOCUMENT_FILE)
            .with_material(Some(material))
            .with_holder(holder);
        out.file.push(judgement.at(finding, &path));
        return;
    }
    let declared = entry.sha256.and_then(|n| n.as_str());
    let check = judgement.bundle.files.check_attachment(
        reference,
        declared,
        judgement.rules.limits.attachment_bytes,
    );
    let file_argument = Argument::text("file", reference);
    match check {
        AttachmentCheck::Invalid(problem) => {
            let message = reasoned(
                "附件 {file} {reason}",
                "attachment {file} {reason}",
                &problem.explain(),
                vec![file_argument],
            );
            let hint = plain(
                "请在材料包目录内提供该文件:PDF、JPEG 或 PNG,不超过 20 MiB",
                "provide the file inside the bundle folder: a PDF, JPEG or PNG of at most 20 MiB",
            );
            let at = if matches!(
                problem,
                crate::bundle::AttachmentProblem::BadDigest
                    | crate::bundle::AttachmentProblem::DigestMismatch { .. }
            ) {
                format!("{}/sha256", entry.path)
            } else {
                path
            };
            out.file.push(judgement.at(
                base(Status::Fail, Severity::Error, message).with_hint(hint),
                &at,
            ));
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
            out.file
                .push(judgement.at(base(Status::Pass, Severity::Error, message), &path));
            if !extension_agrees {
                let message = Message::of(
                    "附件 {file} 的扩展名与内容({kind})不符",
                    "attachment {file} has an extension that does not match its content ({kind})",
                    vec![file_argument, Argument::text("kind", kind.name())],
                );
                let hint = plain(
                    "请把文件改为与内容相符的扩展名(.pdf、.jpg、.png)",
                    "rename the file with the extension of its content (.pdf, .jpg, .png)",
                );
                out.file.push(judgement.at(
                    base(Status::Fail, Severity::Warning, message).with_hint(hint),
                    &path,
                ));
            }
        }
    }
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
                Argument::text("first", earlier.entry.index.to_string()),
                Argument::text("second", document.entry.index.to_string()),
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

/// Types one field, reporting `field.type` or `field.known` as needed.
#[allow(clippy::too_many_arguments)]
fn type_field<'a>(
    judgement: &mut Judgement<'a>,
    declared: &[FieldDef],
    field: &FieldEntry<'a>,
    path: &str,
    judged_on: NaiveDate,
    holder: Option<&str>,
    material: Option<&str>,
    owner: &dyn OwnerName,
    out: &mut ByRule,
) -> TypedField<'a> {
    let Some(definition) = declared.iter().find(|d| d.name == field.name) else {
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
                Argument::text("field", field.name),
            ],
        );
        let hint = Message::of(
            "可用的字段:{known}",
            "known fields: {known}",
            vec![Argument::text("known", known)],
        );
        let warning = finding(
            rule_ids::FIELD_KNOWN,
            Status::Fail,
            Severity::Warning,
            message,
        )
        .with_hint(hint)
        .with_holder(holder)
        .with_material(material);
        out.field_known.push(judgement.at(warning, path));
        return TypedField {
            name: field.name,
            value: None,
        };
    };
    if field.value.is_null() {
        return TypedField {
            name: field.name,
            value: None,
        };
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
                name: field.name,
                value: Some(value),
            }
        }
        Err(reason) => {
            // A personal number written in the wrong field is still masked.
            let looks_personal = crate::domain::mask::mask_personal_numbers(&raw) != raw;
            let kind = match personal {
                Some(kind) => kind,
                None if looks_personal && raw.chars().count() >= 15 => ArgumentKind::ResidentId,
                None if looks_personal => ArgumentKind::Mobile,
                None => ArgumentKind::Text,
            };
            let value = Argument::new("value", raw, kind);
            let message = reasoned(
                "{owner} 的{field} {value} 无效:{reason}",
                "{owner}: {field} {value} is not valid: {reason}",
                &reason,
                vec![
                    Argument::localized("owner", &owner.localized()),
                    Argument::localized("field", &definition.title),
                    value,
                ],
            );
            let hint = Message::of(
                "应填写:{expected}",
                "expected: {expected}",
                vec![Argument::localized("expected", &definition.describe())],
            );
            let failure = finding(rule_ids::FIELD_TYPE, Status::Fail, Severity::Error, message)
                .with_basis(Some("§二.3 真实、有效"))
                .with_hint(hint)
                .with_holder(holder)
                .with_material(material);
            out.field_type.push(judgement.at(failure, path));
            TypedField {
                name: field.name,
                value: None,
            }
        }
    }
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
