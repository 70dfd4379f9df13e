//! `GET /checklist/{operation}`: the printable checklist (要什么资料) of an
//! operation: each role and how many, what to fill in, which materials
//! each must hold (alternatives together) and what they must show, every
//! rule that is checked with its basis, and the review window.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use dossier::lang::Lang;
use dossier::render::Frame;
use dossier::report::Severity;

use super::plan::Plan;
use super::words::pick;
use super::{Chrome, PageError, PageQuery, page};
use crate::serve::AppState;

struct RoleItem {
    title: String,
    count: String,
    fields: String,
    materials: Vec<MaterialItem>,
}

struct MaterialItem {
    /// "劳动合同 或 在职证明" for alternatives.
    title: String,
    /// What each alternative must show: (material, fields).
    must_show: Vec<(String, String)>,
    basis: Option<String>,
}

struct RuleItem {
    severity: &'static str,
    title: String,
    basis: Option<String>,
}

#[derive(Template)]
#[template(path = "web/checklist.html")]
struct ChecklistPage {
    frame: Frame,
    chrome: Chrome,
    title: String,
    description: Option<String>,
    version: String,
    prepare: String,
    roles: Vec<RoleItem>,
    rules: Vec<RuleItem>,
    review_window: Option<String>,
}

pub async fn show(
    State(state): State<Arc<AppState>>,
    Path(operation): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = query.lang();
    let loaded = state.rules.current();
    let operation = super::operation(&loaded, &operation, lang)?;
    let plan = Plan::new(&loaded.rules, operation, |_| None);
    let chrome = Chrome::new(lang, Some(&format!("/checklist/{}", operation.id)));
    let w = chrome.w;
    let list = |titles: Vec<&str>| titles.join(if lang == Lang::Zh { "、" } else { ", " });
    let roles = plan
        .roles
        .iter()
        .map(|role| RoleItem {
            title: role.def.title.get(lang).to_string(),
            count: role.count.describe().get(lang).to_string(),
            fields: list(role.def.fields.iter().map(|f| f.title.get(lang)).collect()),
            materials: role
                .groups
                .iter()
                .map(|group| MaterialItem {
                    title: group
                        .materials
                        .iter()
                        .map(|m| m.title.get(lang))
                        .collect::<Vec<_>>()
                        .join(if lang == Lang::Zh { " 或 " } else { " or " }),
                    must_show: group
                        .materials
                        .iter()
                        .map(|m| {
                            let shown = m
                                .fields
                                .iter()
                                .filter(|f| group.demands(f))
                                .map(|f| f.title.get(lang))
                                .collect();
                            (m.title.get(lang).to_string(), list(shown))
                        })
                        .filter(|(_, fields)| !fields.is_empty())
                        .collect(),
                    basis: group.rule.basis.as_ref().map(|b| b.get(lang).to_string()),
                })
                .collect(),
        })
        .collect();
    let rules = operation
        .rules
        .iter()
        .map(|rule| RuleItem {
            severity: match rule.severity {
                Severity::Error => w.severity_error,
                Severity::Warning => w.severity_warning,
                Severity::Info => w.severity_info,
            },
            title: rule.title.get(lang).to_string(),
            basis: rule.basis.as_ref().map(|b| b.get(lang).to_string()),
        })
        .collect();
    let review_window = operation.review_window.as_ref().map(|window| {
        pick(
            lang,
            format!(
                "提交后约 {}–{} 个工作日内给出审核结果。",
                window.from, window.to
            ),
            format!(
                "A decision usually comes {}–{} working days after submission.",
                window.from, window.to
            ),
        )
    });
    Ok(page(&ChecklistPage {
        frame: chrome.frame(&format!(
            "{}{}{}",
            w.checklist_title,
            w.colon,
            operation.title.get(lang)
        )),
        title: operation.title.get(lang).to_string(),
        description: operation
            .description
            .as_ref()
            .map(|d| d.get(lang).to_string()),
        version: operation.version.clone(),
        prepare: chrome.href(&format!("/prepare/{}", operation.id)),
        roles,
        rules,
        review_window,
        chrome,
    }))
}
