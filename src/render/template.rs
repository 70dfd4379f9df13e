//! A bundle template for an operation (`dossier init`): every party and
//! document the operation asks for, each field with a comment saying what
//! to enter and in which format.

use std::fmt::Write;

use crate::lang::Lang;
use crate::rules::{FieldDef, Operation, RuleSet, Subject};

/// A field's comment: its title, what its type accepts and the catalog's
/// note, each said once (a note that repeats the type's description
/// replaces it; a description that is the title is left out).
fn comment(field: &FieldDef, lang: Lang) -> String {
    let title = field.title.get(lang);
    let described = field.describe();
    let mut parts = vec![title];
    let description = Some(described.get(lang)).filter(|d| *d != title);
    match (description, field.help.as_ref().map(|h| h.get(lang))) {
        (Some(description), Some(help)) if says_nothing_new(help, description) => {
            parts.push(description)
        }
        (Some(description), Some(help)) if repeats(help, description) => parts.push(help),
        (Some(description), Some(help)) => {
            parts.push(description);
            parts.push(help);
        }
        (Some(only), None) | (None, Some(only)) => parts.push(only),
        (None, None) => {}
    }
    match parts.as_slice() {
        [title] => title.to_string(),
        [title, rest @ ..] => format!("{title} — {}", rest.join("; ")),
        [] => String::new(),
    }
}

/// The letters and digits of a text, without punctuation or spaces.
fn words(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Every letter of `note` is already in `description`.
fn says_nothing_new(note: &str, description: &str) -> bool {
    let description = words(description);
    words(note).chars().all(|c| description.contains(c))
}

/// The two say much the same: half their pairs of adjacent letters shared
/// (Sørensen–Dice over characters; strsim's counts bytes, which undercounts
/// Chinese three times).
fn repeats(note: &str, description: &str) -> bool {
    let pairs = |text: &str| {
        let letters: Vec<char> = words(text).chars().collect();
        letters.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
    };
    let (note, mut description) = (pairs(note), pairs(description));
    let total = note.len() + description.len();
    let shared = note
        .iter()
        .filter(|pair| match description.iter().position(|d| d == *pair) {
            Some(index) => {
                description.swap_remove(index);
                true
            }
            None => false,
        })
        .count();
    total > 0 && 2 * shared * 2 >= total
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
                "一个 PDF、JPEG 或 PNG 文件,不超过 20 MiB;正反面或多页合并为一个文件"
            } else {
                "one PDF, JPEG or PNG file of at most 20 MiB; front and back, or all pages, in that one file"
            }
        );
        let _ = writeln!(out, "    fields:");
        for field in &material.fields {
            let _ = writeln!(out, "      {}:  # {}", field.name, comment(field, lang));
        }
    }
    out
}

#[cfg(test)]
mod comment_tests {
    use super::*;

    #[test]
    fn a_note_that_repeats_the_description_replaces_it() {
        assert!(repeats("与营业执照上的名称一致", "企业名称,与营业执照一致"));
        assert!(repeats("11 位大陆手机号,加引号", "11 位手机号码(加引号)"));
        assert!(!repeats(
            "审核期间客服会拨打此号码",
            "11 位手机号码(加引号)"
        ));
        assert!(says_nothing_new(
            "日期,或 长期",
            "日期 YYYY-MM-DD,或 long_term / 长期"
        ));
        assert!(!says_nothing_new(
            "证件背面的有效期限截止日,或 长期",
            "日期 YYYY-MM-DD,或 long_term / 长期"
        ));
    }
}
