//! A bundle template for an operation (`dossier init`): every party and
//! document the operation asks for, each field with a comment saying what
//! to enter and in which format.

use std::fmt::Write;

use crate::lang::Lang;
use crate::rules::{FieldDef, Operation, RuleSet, Subject};

fn comment(field: &FieldDef, lang: Lang) -> String {
    let mut text = format!(
        "{} — {}",
        field.title.get(lang),
        field.field_type.describe().get(lang)
    );
    if let Some(help) = &field.help {
        text.push_str(&format!("; {}", help.get(lang)));
    }
    text
}

fn placeholder(field: &FieldDef) -> &'static str {
    use crate::rules::FieldType as T;
    match field.field_type {
        T::Bool => "false",
        T::Date => "\"YYYY-MM-DD\"",
        T::DateOrLongTerm => "\"YYYY-MM-DD\"",
        _ => "\"\"",
    }
}

/// The template manifest, in the language of its comments.
pub fn bundle_template(rules: &RuleSet, operation: &Operation, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})", operation.title.get(lang), operation.id);
    let _ = writeln!(
        out,
        "# {}",
        if zh {
            "按注释填写每个字段;身份证号和手机号请加引号。检查:dossier check <本目录>"
        } else {
            "Fill in every field as its comment says; quote ID and phone numbers. Check with: dossier check <this folder>"
        }
    );
    let _ = writeln!(out, "format: dossier.bundle/v1");
    let _ = writeln!(out, "operation: {}", operation.id);
    let _ = writeln!(
        out,
        "submitted_on: \"YYYY-MM-DD\"  # {}",
        if zh {
            "提交日期,所有日期规则以此为准"
        } else {
            "submission date; every date rule is judged on it"
        }
    );
    let _ = writeln!(out, "\nparties:");
    for role_use in &operation.roles {
        let Some(role) = rules.catalog.role(&role_use.role) else {
            continue;
        };
        let optional = matches!(
            role_use.count,
            crate::rules::Count::Optional | crate::rules::Count::Any
        );
        let prefix = if optional { "# " } else { "" };
        let _ = writeln!(
            out,
            "  {prefix}{}:  # {} — {}",
            role.name,
            role.title.get(lang),
            role_use.count.describe().get(lang)
        );
        let _ = writeln!(out, "  {prefix}  role: {}", role.name);
        for field in &role.fields {
            let _ = writeln!(
                out,
                "  {prefix}  {}: {}  # {}",
                field.name,
                placeholder(field),
                comment(field, lang)
            );
        }
    }
    let _ = writeln!(out, "\ndocuments:");
    for rule in &operation.rules {
        let (Subject::Role(role), Some(requirement)) = (&rule.subject, &rule.require) else {
            continue;
        };
        let Some(material) = requirement
            .materials
            .first()
            .and_then(|m| rules.catalog.material(m))
        else {
            continue;
        };
        let alternatives: Vec<&str> = requirement
            .materials
            .iter()
            .filter_map(|m| rules.catalog.material(m))
            .map(|m| m.title.get(lang))
            .collect();
        let _ = writeln!(
            out,
            "  # {} [{}]",
            alternatives.join(if zh { " 或 " } else { " or " }),
            rule.id
        );
        if requirement.materials.len() > 1 {
            let names = requirement.materials.join(", ");
            let _ = writeln!(
                out,
                "  # {}: {names}",
                if zh {
                    "type 可选"
                } else {
                    "type may be one of"
                }
            );
        }
        let _ = writeln!(out, "  - type: {}", material.name);
        let _ = writeln!(
            out,
            "    holder: {role}  # {}",
            if zh {
                "持有人:当事方的键名"
            } else {
                "the key of the party holding it"
            }
        );
        let _ = writeln!(
            out,
            "    file: files/{role}_{}.pdf  # {}",
            material.name,
            if zh {
                "PDF、JPEG 或 PNG,不超过 20 MiB"
            } else {
                "a PDF, JPEG or PNG of at most 20 MiB"
            }
        );
        let _ = writeln!(out, "    fields:");
        for field in &material.fields {
            let _ = writeln!(
                out,
                "      {}: {}  # {}",
                field.name,
                placeholder(field),
                comment(field, lang)
            );
        }
    }
    out
}
