//! What the rule set offers, read-only: the operations, each one's
//! checklist (JSON, Markdown, HTML or text by `Accept`), the `init`
//! template and the bundle JSON Schema.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dossier::lang::Lang;
use dossier::render::{bundle_template, checklist};
use dossier::rules::{Operation, RuleSet, Subject};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::negotiate::{language, ranked};
use super::page::markdown_page;
use super::problem::Problem;

/// Query of the catalog routes: only the language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    lang: Option<String>,
}

/// `Query` whose rejection is a problem body.
pub type LangQueryResult = Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>;

fn lang_of(query: LangQueryResult, headers: &HeaderMap) -> Result<Lang, Problem> {
    let query = query.map_err(|rejection| Problem::bad_request(rejection.body_text()))?;
    language(query.lang.as_deref(), headers)
}

fn with_type(body: String, media_type: &'static str) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

fn find<'a>(rules: &'a RuleSet, id: &str) -> Result<&'a Operation, Problem> {
    rules.operation(id).ok_or_else(|| {
        Problem::not_found(format!(
            "unknown operation `{id}`; known: {}",
            rules.operation_ids().join(", ")
        ))
    })
}

/// `GET /v1/operations`.
pub async fn list(State(state): State<Arc<AppState>>) -> Response {
    let loaded = state.rules.current();
    let operations: Vec<Value> = loaded
        .rules
        .operations
        .iter()
        .map(|o| json!({ "id": o.id, "version": o.version, "title": o.title }))
        .collect();
    axum::Json(json!({
        "rules": { "content_hash": loaded.content_hash },
        "operations": operations,
    }))
    .into_response()
}

/// How a checklist is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChecklistShape {
    Json,
    Markdown,
    Html,
    Text,
}

fn checklist_shape(headers: &HeaderMap) -> ChecklistShape {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    ranked(accept)
        .iter()
        .find_map(|range| match range.as_str() {
            "application/json" | "application/*" | "*/*" => Some(ChecklistShape::Json),
            "text/markdown" | "text/x-markdown" => Some(ChecklistShape::Markdown),
            "text/html" => Some(ChecklistShape::Html),
            "text/plain" | "text/*" => Some(ChecklistShape::Text),
            _ => None,
        })
        .unwrap_or(ChecklistShape::Json)
}

/// `GET /v1/operations/{id}`: the checklist.
pub async fn show(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: LangQueryResult,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = lang_of(query, &headers)?;
    let loaded = state.rules.current();
    let operation = find(&loaded.rules, &id)?;
    Ok(match checklist_shape(&headers) {
        ChecklistShape::Json => {
            axum::Json(checklist_json(&loaded.rules, operation, lang)).into_response()
        }
        ChecklistShape::Markdown => with_type(
            checklist(&loaded.rules, operation, lang, true),
            "text/markdown; charset=utf-8",
        ),
        ChecklistShape::Text => with_type(
            checklist(&loaded.rules, operation, lang, false),
            "text/plain; charset=utf-8",
        ),
        ChecklistShape::Html => with_type(
            markdown_page(
                operation.title.get(lang),
                &checklist(&loaded.rules, operation, lang, true),
                lang,
            ),
            "text/html; charset=utf-8",
        ),
    })
}

/// The checklist as data: roles with how many, what each must hold, and
/// every rule that is checked.
fn checklist_json(rules: &RuleSet, operation: &Operation, lang: Lang) -> Value {
    let material = |name: &String| {
        let title = rules
            .catalog
            .material(name)
            .map_or(name.as_str(), |m| m.title.get(lang));
        json!({ "material": name, "title": title })
    };
    let roles: Vec<Value> = operation
        .roles
        .iter()
        .map(|role_use| {
            let role = rules.catalog.role(&role_use.role);
            let requirements: Vec<Value> = operation
                .rules
                .iter()
                .filter(|r| matches!(&r.subject, Subject::Role(s) if *s == role_use.role))
                .filter_map(|r| {
                    let require = r.require.as_ref()?;
                    Some(json!({
                        "rule": r.id.as_str(),
                        "title": r.title.get(lang),
                        "one_of": require.materials.iter().map(material).collect::<Vec<_>>(),
                        "fields": require.fields,
                        "basis": r.basis,
                    }))
                })
                .collect();
            json!({
                "role": role_use.role,
                "title": role.map(|r| r.title.get(lang)),
                "count": role_use.count.describe().get(lang),
                "fields": role.map(|r| r.fields.iter().map(|f| json!({
                    "field": f.name,
                    "title": f.title.get(lang),
                    "type": f.field_type.name(),
                    "required": f.required,
                })).collect::<Vec<_>>()),
                "requirements": requirements,
            })
        })
        .collect();
    let checks: Vec<Value> = operation
        .rules
        .iter()
        .map(|r| {
            json!({
                "rule": r.id.as_str(),
                "title": r.title.get(lang),
                "severity": r.severity.name(),
                "basis": r.basis,
            })
        })
        .collect();
    json!({
        "id": operation.id,
        "version": operation.version,
        "title": operation.title.get(lang),
        "description": operation.description.as_ref().map(|d| d.get(lang)),
        "lang": lang.code(),
        "roles": roles,
        "rules": checks,
        "review_window": operation.review_window.as_ref().map(|w| json!({
            "from_working_days": w.from,
            "to_working_days": w.to,
        })),
    })
}

/// `GET /v1/operations/{id}/template`: the commented manifest `init` writes.
pub async fn template(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: LangQueryResult,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = lang_of(query, &headers)?;
    let loaded = state.rules.current();
    let operation = find(&loaded.rules, &id)?;
    Ok(with_type(
        bundle_template(&loaded.rules, operation, lang),
        "application/yaml; charset=utf-8",
    ))
}

/// `GET /v1/schema/bundle`: the bundle JSON Schema of the loaded rule set.
pub async fn bundle_schema(State(state): State<Arc<AppState>>) -> Response {
    let loaded = state.rules.current();
    with_type(
        dossier::schema::to_text(&dossier::schema::bundle(&loaded.rules)),
        "application/schema+json",
    )
}
