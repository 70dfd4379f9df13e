//! A bundle template for an operation (`dossier init`): every party and
//! document the operation asks for, each field with a comment saying what
//! to enter and in which format.

use std::fmt::Write;

use crate::lang::Lang;
use crate::rules::{FieldDef, Operation, RuleSet, Subject};

fn comment(field: &FieldDef, lang: Lang) -> String {
    let mut text = format!("{} — {}", field.title.get(lang), field.describe().get(lang));
    if let Some(help) = &field.help {
        text.push_str(&format!("; {}", help.get(lang)));
    }
    text
}

/// The template manifest, in the language of its comments.
pub fn bundle_template(rules: &RuleSet, operation: &Operation, lang: Lang) -> String {
    bundle_template_with_schema(rules, operation, lang, None)
}

/// The template, its first line pointing editors at `schema` (a path or URL
/// of the bundle JSON Schema) so they complete and check it while typing.
pub fn bundle_template_with_schema(
    rules: &RuleSet,
    operation: &Operation,
    lang: Lang,
    schema: Option<&str>,
) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if let Some(schema) = schema {
        let _ = writeln!(out, "# yaml-language-server: $schema={schema}");
    }
    let _ = writeln!(out, "# {} ({})", operation.title.get(lang), operation.id);
    let _ = writeln!(
        out,
        "# {}",
        if zh {
            "在冒号后按注释填写每个字段(日期写 YYYY-MM-DD;身份证号和手机号请加引号),并把文件放进 files/。检查:dossier check <本目录>"
        } else {
            "Fill in every field after its colon as its comment says (dates as YYYY-MM-DD; quote ID and phone numbers) and put the files in files/. Check with: dossier check <this folder>"
        }
    );
    let _ = writeln!(out, "format: dossier.bundle/v1");
    let _ = writeln!(out, "operation: {}", operation.id);
    let _ = writeln!(
        out,
        "submitted_on:  # {}",
        if zh {
            "提交日期 YYYY-MM-DD,所有日期规则以此为准"
        } else {
            "submission date YYYY-MM-DD; every date rule is judged on it"
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
                "  {prefix}  {}:  # {}",
                field.name,
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
            let _ = writeln!(out, "      {}:  # {}", field.name, comment(field, lang));
        }
    }
    out
}
