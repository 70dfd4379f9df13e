//! Parties and documents against the catalog: one walk over the manifest
//! that types every field for the scripts and gathers the findings of the
//! built-in rules about them (`party.role`, `document.type`,
//! `document.holder`, `document.file`, `document.duplicate`, `field.type`,
//! `field.known`), listed in the report rule by rule.

use chrono::NaiveDate;

use super::builtin::{
    document_duplicate, document_file, document_holder, document_type, field_known, field_type,
    party_role,
};
use super::state::{Judgement, TypedDocument, TypedField, TypedParty};
use crate::bundle::{Envelope, FieldEntry};
use crate::lang::Localized;
use crate::report::Finding;
use crate::rules::FieldDef;
use crate::yaml::push_pointer_token;

/// Findings of each built-in rule, kept apart so the report lists them rule by rule.
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

/// Types the envelope's parties and documents into `judgement`, adding the
/// findings of the built-in rules about them.
pub fn judge_parties_and_documents<'a>(judgement: &mut Judgement<'a>, envelope: &'a Envelope<'a>) {
    let mut out = ByRule::default();
    // Typing ID numbers needs a date; without one, no birth date is "after" it.
    let judged_on = judgement.judged_on.unwrap_or(NaiveDate::MAX);
    judge_parties(judgement, envelope, judged_on, &mut out);
    out.role.extend(party_role::judge_counts(judgement));
    judge_documents(judgement, envelope, judged_on, &mut out);
    out.duplicate.extend(document_duplicate::judge(judgement));
    if out.field_type.is_empty() {
        out.field_type.push(field_type::all_valid(out.typed_fields));
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
    for entry in &envelope.parties {
        let role = entry
            .role
            .and_then(|n| n.as_str())
            .filter(|r| operation.role(r).is_some())
            .and_then(|r| catalog.role(r));
        let mut party = TypedParty {
            entry,
            role,
            fields: Vec::new(),
        };
        let Some(role) = role else {
            out.role.push(party_role::without_role(judgement, entry));
            judgement.parties.push(party);
            continue;
        };
        let display = party.display_name();
        let owner = Localized::new(display.clone(), display);
        for field in &entry.fields {
            let path = pointer_below(&entry.path, "/", field.name);
            let typed = type_field(
                judgement,
                &role.fields,
                &entry.fields,
                field,
                &path,
                judged_on,
                Some(entry.key),
                None,
                &owner,
                out,
            );
            party.fields.push(typed);
        }
        out.role
            .push(party_role::required_details(judgement, &party, role));
        judgement.parties.push(party);
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
            out.kind
                .push(document_type::untyped(judgement, entry, &used));
            continue;
        };
        let material = catalog
            .material(type_name)
            .filter(|_| used.contains(&type_name));
        let Some(material) = material else {
            out.kind
                .push(document_type::unused(judgement, entry, type_name, &used));
            continue;
        };
        let (holder, holder_finding) = document_holder::judge(judgement, entry, material);
        out.holder.push(holder_finding);
        let holder_key = holder.map(|i| judgement.parties[i].entry.key);
        out.file.extend(document_file::judge_file(
            judgement,
            entry,
            material.name.as_str(),
            holder_key,
        ));
        let owner = Localized::new(
            format!("{}[{}]", material.title.zh, entry.number()),
            format!("{} [{}]", material.title.en, entry.number()),
        );
        let mut fields = Vec::new();
        for field in &entry.fields {
            let path = pointer_below(&entry.path, "/fields/", field.name);
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

/// Types one field of `owner` (whose fields are `siblings`), adding its
/// `field.known` and `field.type` findings at `path`.
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
    owner: &Localized,
    out: &mut ByRule,
) -> TypedField<'a> {
    let (definition, known) = field_known::judge(declared, siblings, field.name, owner);
    if let Some(finding) = known {
        let finding = finding.with_holder(holder).with_material(material);
        out.field_known.push(judgement.at(finding, path));
    }
    let Some(definition) = definition else {
        return TypedField::new(field.name, None);
    };
    let name = definition.name.as_str();
    let written_as = (name != field.name).then_some(field.name);
    if field.value.is_null() {
        return TypedField::new(name, None);
    }
    out.typed_fields += 1;
    let value = match field_type::judge(judgement, definition, field, judged_on, owner) {
        Ok(value) => Some(value),
        Err(failure) => {
            let failure = (*failure).with_holder(holder).with_material(material);
            out.field_type.push(judgement.at(failure, path));
            None
        }
    };
    TypedField {
        name,
        value,
        written_as,
    }
}

/// The JSON Pointer `base` + `between` + `token`, the token escaped, in one
/// allocation: every field of every party and document has one.
fn pointer_below(base: &str, between: &str, token: &str) -> String {
    let mut path = String::with_capacity(base.len() + between.len() + token.len() + 2);
    path.push_str(base);
    path.push_str(between);
    push_pointer_token(&mut path, token);
    path
}

#[cfg(test)]
mod pointer_tests {
    use super::pointer_below;

    /// RFC 6901: `~` is written `~0` and `/` is written `~1`, in that order
    /// (so a written `~1` stays a `~` followed by `1`).
    #[test]
    fn a_field_pointer_escapes_its_token_as_rfc_6901_says() {
        let cases = [
            ("name", "/parties/x/fields/name"),
            ("a/b", "/parties/x/fields/a~1b"),
            ("~1", "/parties/x/fields/~01"),
            ("~/~0/", "/parties/x/fields/~0~1~00~1"),
            ("名称/~", "/parties/x/fields/名称~1~0"),
            ("", "/parties/x/fields/"),
        ];
        for (token, pointer) in cases {
            assert_eq!(pointer_below("/parties/x", "/fields/", token), pointer);
        }
    }
}
