//! What the prepare form shows: one section per party, its typed fields
//! and, per material it must hold, a file picker and the document's fields,
//! with the values last posted put back. Names and ids follow one scheme:
//!
//! | input                    | `name`                   | `id`                    |
//! | ------------------------ | ------------------------ | ----------------------- |
//! | a party's field          | `p:<party>:<field>`      | `p-<party>-<field>`     |
//! | a document's field       | `d:<party>:<material>:<field>` | `d-<party>-<material>-<field>` |
//! | a document's file        | `f:<party>:<material>`   | `f-<party>-<material>`  |
//!
//! so a finding's manifest path (`/parties/<party>/<field>`, or
//! `/documents/<n>/…` through the built bundle's slots) names its input.

use dossier::lang::{Lang, Localized};
use dossier::rules::{FieldDef, FieldType};

use super::plan::{MaterialGroup, Plan, RolePlan};
use super::posted::Posted;
use super::words::{Words, pick};

pub struct FormView {
    pub operation: String,
    pub submitted_on: String,
    pub roles: Vec<RoleView>,
}

pub struct RoleView {
    pub role: String,
    pub title: String,
    pub count_note: String,
    pub count: usize,
    /// The label of the add button, when more parties may be added.
    pub add: Option<String>,
    pub parties: Vec<PartyView>,
}

pub struct PartyView {
    pub id: String,
    pub heading: String,
    /// The label of the remove button, when this party may be removed.
    pub remove: Option<String>,
    pub remove_value: String,
    pub fields: Vec<InputView>,
    pub groups: Vec<GroupView>,
}

pub struct GroupView {
    pub alternatives: bool,
    pub materials: Vec<MaterialView>,
}

pub struct MaterialView {
    pub id: String,
    pub title: String,
    pub file: FileView,
    pub fields: Vec<InputView>,
}

pub struct FileView {
    pub id: String,
    pub name: String,
    pub kept: Option<KeptView>,
}

pub struct KeptView {
    pub file_name: String,
    pub size: String,
    pub name: String,
    pub value: String,
    pub drop_name: String,
    pub drop_id: String,
}

pub struct InputView {
    pub id: String,
    pub name: String,
    pub label: String,
    pub help: String,
    pub value: String,
    pub field_type: &'static str,
    pub required: bool,
    pub is_bool: bool,
    /// `tel`, `email` or `text`: the keyboard a phone shows.
    pub input_mode: &'static str,
}

impl InputView {
    pub fn is_true(&self) -> bool {
        self.value == "true"
    }

    pub fn is_false(&self) -> bool {
        self.value == "false"
    }
}

/// The form of `plan` holding the values of `posted`.
pub fn view(plan: &Plan, posted: &Posted, lang: Lang, words: &Words, today: &str) -> FormView {
    FormView {
        operation: plan.operation.id.clone(),
        submitted_on: posted.value("submitted_on").unwrap_or(today).to_string(),
        roles: plan
            .roles
            .iter()
            .map(|role| role_view(role, posted, lang, words))
            .collect(),
    }
}

fn role_view(role: &RolePlan, posted: &Posted, lang: Lang, words: &Words) -> RoleView {
    let title = role.def.title.get(lang).to_string();
    let parties = role
        .keys
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let heading = role.heading(index, lang);
            PartyView {
                id: format!("p-{key}"),
                remove: role
                    .can_remove()
                    .then(|| format!("{} {heading}", words.remove)),
                remove_value: format!("remove:{}:{index}", role.def.name),
                heading,
                fields: role
                    .def
                    .fields
                    .iter()
                    .map(|field| {
                        input(
                            &format!("p:{key}:{}", field.name),
                            field,
                            field.required,
                            posted,
                            lang,
                        )
                    })
                    .collect(),
                groups: role
                    .groups
                    .iter()
                    .map(|group| group_view(key, group, posted, lang))
                    .collect(),
            }
        })
        .collect();
    RoleView {
        role: role.def.name.clone(),
        count_note: role.count.describe().get(lang).to_string(),
        count: role.keys.len(),
        add: role
            .can_add()
            .then(|| pick(lang, format!("添加{title}"), format!("Add another {title}"))),
        title,
        parties,
    }
}

fn group_view(key: &str, group: &MaterialGroup, posted: &Posted, lang: Lang) -> GroupView {
    GroupView {
        alternatives: group.materials.len() > 1,
        materials: group
            .materials
            .iter()
            .map(|material| {
                let slot = format!("{key}:{}", material.name);
                let kept = posted.files.get(&slot).map(|file| KeptView {
                    file_name: file.name.clone(),
                    size: size(file.bytes.len()),
                    name: format!("k:{slot}"),
                    value: file.kept_value(),
                    drop_name: format!("x:{slot}"),
                    drop_id: format!("x-{key}-{}", material.name),
                });
                MaterialView {
                    id: format!("m-{key}-{}", material.name),
                    title: material.title.get(lang).to_string(),
                    file: FileView {
                        id: format!("f-{key}-{}", material.name),
                        name: format!("f:{slot}"),
                        kept,
                    },
                    fields: material
                        .fields
                        .iter()
                        .map(|field| {
                            input(
                                &format!("d:{slot}:{}", field.name),
                                field,
                                group.demands(field),
                                posted,
                                lang,
                            )
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

fn input(name: &str, field: &FieldDef, required: bool, posted: &Posted, lang: Lang) -> InputView {
    // Numbers a manifest must quote carry help about quoting, which means
    // nothing in a form: their shape in a form is said instead.
    let quoted_in_yaml = matches!(field.field_type, FieldType::Ric | FieldType::Mobile);
    let help = match (&field.help, form_shape(field.field_type)) {
        (Some(help), _) if !quoted_in_yaml => help.clone(),
        (_, Some(shape)) if field.pattern.is_none() => shape,
        _ => field.describe(),
    };
    InputView {
        id: name.replace(':', "-"),
        name: name.to_string(),
        label: field.title.get(lang).to_string(),
        help: help.get(lang).to_string(),
        value: posted.values.get(name).cloned().unwrap_or_default(),
        field_type: field.field_type.name(),
        required,
        is_bool: field.field_type == FieldType::Bool,
        input_mode: match field.field_type {
            FieldType::Mobile => "tel",
            FieldType::Email => "email",
            _ => "text",
        },
    }
}

/// What a value of a type looks like when typed into a form (the type's
/// own description speaks of manifests: quoting, `long_term`).
fn form_shape(field_type: FieldType) -> Option<Localized> {
    let (zh, en) = match field_type {
        FieldType::Ric => (
            "18 位公民身份号码,最后一位可能是 X",
            "18-character resident ID number; the last may be X",
        ),
        FieldType::Mobile => (
            "11 位手机号码,可带空格或 +86",
            "11-digit mainland mobile number; spaces or +86 are fine",
        ),
        FieldType::Date => (
            "如 2024-08-28,也可写 2024年8月28日",
            "e.g. 2024-08-28 (2024年8月28日 works too)",
        ),
        FieldType::DateOrLongTerm => ("日期,或填 长期", "a date, or long_term for no end date"),
        FieldType::Bool => ("选择 是 或 否", "choose yes or no"),
        _ => return None,
    };
    Some(Localized::new(zh, en))
}

/// A file size in words a person reads.
fn size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.0} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}
