//! `POST /v1/fields/{type}/validate`: one value judged by a field type of
//! the rule set (USCC, resident ID number, mobile, date…), the same
//! judgement a manifest value gets, for live hints while a form is filled.
//!
//! The answer never repeats the value: it may be a personal number.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dossier::rules::FieldType;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::negotiate::{essence, language};
use super::problem::Problem;
use super::upload::collect;

/// Longest value judged, in characters (as the API document's `maxLength`).
pub const MAX_VALUE_CHARS: usize = 16 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldQuery {
    lang: Option<String>,
    /// The day ID numbers are judged on (birth dates in the future…).
    as_of: Option<String>,
}

/// `POST /v1/fields/{type}/validate`.
pub async fn validate(
    State(state): State<Arc<AppState>>,
    Path(type_name): Path<String>,
    query: Result<Query<FieldQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let query = query.map_err(|rejection| Problem::bad_request(rejection.body_text()))?;
    let lang = language(query.lang.as_deref(), &headers)?;
    let judged_on = match &query.as_of {
        None => chrono::Local::now().date_naive(),
        Some(text) => parse_day(text)?,
    };
    let field_type = FieldType::from_name(&type_name).ok_or_else(|| {
        let known: Vec<&str> = FieldType::ALL.iter().map(|t| t.name()).collect();
        Problem::not_found(format!(
            "unknown field type `{type_name}`; known: {}",
            known.join(", ")
        ))
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(essence);
    if media_type.as_deref() != Some("application/json") {
        return Err(Problem::unsupported_media_type(
            "send the value as a JSON string (application/json)",
        ));
    }
    let bytes = collect(body, state.limits.max_field_body).await?;
    let value: String = serde_json::from_slice(&bytes).map_err(|_| {
        Problem::bad_request("the body must be one JSON string, e.g. \"13800138000\"")
    })?;
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(Problem::bad_request(format!(
            "the value is longer than {MAX_VALUE_CHARS} characters"
        )));
    }
    // A JSON string is quoted text: YAML's number rules do not apply.
    let expected = field_type.describe();
    let answer = match field_type.judge_text(&value, judged_on) {
        Ok(_) => json!({
            "type": field_type.name(),
            "valid": true,
            "expected": expected.get(lang),
        }),
        Err(explanation) => json!({
            "type": field_type.name(),
            "valid": false,
            "expected": expected.get(lang),
            "message": explanation.get(lang),
        }),
    };
    Ok(axum::Json(answer).into_response())
}

/// A `YYYY-MM-DD` query value (the spellings manifests accept).
pub fn parse_day(text: &str) -> Result<NaiveDate, Problem> {
    dossier::engine::parse_judging_date(text)
        .map_err(|_| Problem::bad_request(format!("`{text}` is not a date (YYYY-MM-DD)")))
}
