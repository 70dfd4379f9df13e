//! The checklist of an operation (要什么资料): what each party must provide
//! and what is checked, for operators to prepare a bundle. Text or Markdown.

use std::fmt::Write;

use crate::lang::{Lang, Localized};
use crate::rules::{Operation, RuleSet, Subject};

fn titles(rules: &RuleSet, materials: &[String], lang: Lang) -> String {
    let joiner = if lang == Lang::Zh { " 或 " } else { " or " };
    materials
        .iter()
        .map(|m| {
            rules
                .catalog
                .material(m)
                .map_or(m.clone(), |d| d.title.get(lang).to_string())
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// The checklist of `operation`, as plain text or Markdown.
pub fn checklist(rules: &RuleSet, operation: &Operation, lang: Lang, markdown: bool) -> String {
    let pick = |l: &Localized| l.get(lang).to_string();
    let word = |zh: &str, en: &str| {
        if lang == Lang::Zh {
            zh.to_string()
        } else {
            en.to_string()
        }
    };
    let mut out = String::new();
    let heading = |level: usize, text: &str| {
        if markdown {
            format!("{} {text}\n", "#".repeat(level))
        } else {
            format!("{text}\n")
        }
    };
    let item = |depth: usize, text: &str| {
        if markdown {
            format!("{}- {text}\n", "  ".repeat(depth))
        } else {
            format!("{}• {text}\n", "  ".repeat(depth + 1))
        }
    };

    let _ = write!(
        out,
        "{}",
        heading(
            1,
            &format!(
                "{} ({} v{})",
                pick(&operation.title),
                operation.id,
                operation.version
            )
        )
    );
    if let Some(description) = &operation.description {
        let _ = writeln!(out, "{}", pick(description));
    }
    out.push('\n');
    let _ = write!(
        out,
        "{}",
        heading(2, &word("需要准备的材料", "What to prepare"))
    );
    let _ = write!(
        out,
        "{}",
        item(
            0,
            &word(
                "每份材料附一个文件:PDF、JPEG 或 PNG,不超过 20 MiB;身份证正反面或多页文件请合并为一个文件",
                "one file per material: a PDF, JPEG or PNG of at most 20 MiB; put both sides of an ID card, or all pages, in that one file",
            )
        )
    );
    for role_use in &operation.roles {
        let Some(role) = rules.catalog.role(&role_use.role) else {
            continue;
        };
        let _ = write!(
            out,
            "\n{}",
            heading(
                3,
                &format!(
                    "{} — {}",
                    pick(&role.title),
                    pick(&role_use.count.describe())
                )
            )
        );
        let details: Vec<String> = role.fields.iter().map(|f| pick(&f.title)).collect();
        let _ = write!(
            out,
            "{}",
            item(
                0,
                &format!("{}: {}", word("填写信息", "details"), details.join(", "))
            )
        );
        for rule in &operation.rules {
            let (Subject::Role(subject), Some(requirement)) = (&rule.subject, &rule.require) else {
                continue;
            };
            if subject != &role_use.role {
                continue;
            }
            let _ = write!(
                out,
                "{}",
                item(
                    0,
                    &format!(
                        "{} — {} [{}]",
                        titles(rules, &requirement.materials, lang),
                        pick(&rule.title),
                        rule.id
                    )
                )
            );
            // What each material must show; with alternatives, each its own line.
            for material in requirement
                .materials
                .iter()
                .filter_map(|m| rules.catalog.material(m))
            {
                let fields: Vec<String> = requirement
                    .fields
                    .iter()
                    .filter_map(|f| material.field(f))
                    .map(|f| pick(&f.title))
                    .collect();
                if fields.is_empty() {
                    continue;
                }
                let label = match requirement.materials.len() {
                    1 => word("须写明", "must show"),
                    _ => format!("{}{}", pick(&material.title), word("须写明", " must show")),
                };
                let _ = write!(
                    out,
                    "{}",
                    item(1, &format!("{label}: {}", fields.join(", ")))
                );
            }
            if let Some(basis) = &rule.basis {
                let _ = write!(
                    out,
                    "{}",
                    item(1, &format!("{}: {}", word("依据", "basis"), pick(basis)))
                );
            }
        }
    }
    let _ = write!(
        out,
        "\n{}",
        heading(2, &word("审核要点", "What is checked"))
    );
    for rule in &operation.rules {
        let severity = match rule.severity {
            crate::report::Severity::Error => word("必须", "must"),
            crate::report::Severity::Warning => word("建议", "should"),
            crate::report::Severity::Info => word("提示", "note"),
        };
        let basis = rule
            .basis
            .as_ref()
            .map(|b| format!(" ({})", pick(b)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "{}",
            item(
                0,
                &format!("[{severity}] {} — {}{basis}", rule.id, pick(&rule.title))
            )
        );
    }
    if let Some(window) = &operation.review_window {
        let _ = write!(out, "\n{}", heading(2, &word("审核时间", "Review time")));
        let text = if lang == Lang::Zh {
            format!(
                "提交后第 {} 至第 {} 个工作日内出结果(按中国大陆工作日历,含调休)",
                window.from, window.to
            )
        } else {
            format!(
                "a decision between working day {} and {} after submission (mainland working-day calendar, 调休 included)",
                window.from, window.to
            )
        };
        let _ = write!(out, "{}", item(0, &text));
    }
    out
}
