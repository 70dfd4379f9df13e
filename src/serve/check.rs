//! `POST /v1/check`: one uploaded bundle in, its report out, in the bytes
//! `dossier check` writes for the same bundle (apart from the `bundle`
//! name). An unreadable bundle is a report too: 200 with verdict `fail`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dossier::engine::CheckOptions;
use dossier::render::RenderOptions;
use dossier::report::Severity;
use serde::Deserialize;

use super::AppState;
use super::fields::parse_day;
use super::judge::judge;
use super::negotiate::{language, media_type, report_format};
use super::problem::Problem;
use super::upload;

/// `pass` or `fail`, so a client can branch without parsing the report.
pub const VERDICT_HEADER: HeaderName = HeaderName::from_static("dossier-verdict");
/// The content hash of the rule set that judged the bundle.
pub const RULES_HASH_HEADER: HeaderName = HeaderName::from_static("dossier-rules-hash");

/// The options `dossier check` has that make sense over HTTP. Personal
/// numbers are always masked: a service has no `--show-personal-data`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckQuery {
    format: Option<String>,
    lang: Option<String>,
    as_of: Option<String>,
    fail_on: Option<String>,
}

/// `POST /v1/check`.
pub async fn check(
    State(state): State<Arc<AppState>>,
    query: Result<Query<CheckQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let query = query.map_err(|rejection| Problem::bad_request(rejection.body_text()))?;
    let format = report_format(query.format.as_deref(), &headers)?;
    let lang = language(query.lang.as_deref(), &headers)?;
    let as_of = query.as_of.as_deref().map(parse_day).transpose()?;
    let fail_on = match query.fail_on.as_deref() {
        None | Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some(other) => {
            return Err(Problem::bad_request(format!(
                "unknown fail_on `{other}`; known: error, warning"
            )));
        }
    };
    // The media type is judged before a byte of the body is read.
    let kind = upload::body_kind(&headers)?;
    let bytes = upload::collect(body, state.limits.max_body).await?;
    let upload = upload::read(kind, bytes).await?;
    let loaded = state.rules.current();
    let mut settings = RenderOptions::in_language(lang);
    settings.fail_on = fail_on;
    let options = CheckOptions::as_of(as_of).with_today(Some(chrono::Local::now().date_naive()));
    let judging = loaded.clone();
    let judged =
        tokio::task::spawn_blocking(move || judge(&judging, upload, &options, format, &settings))
            .await
            .map_err(|_| {
                // The panic hook has said where; the bundle is not logged.
                tracing::error!("judging a bundle failed unexpectedly");
                Problem::internal()
            })?;
    state.metrics.record_bundle(
        judged.passed,
        judged.failing_rules.iter().map(String::as_str),
    );
    let mut response = judged.text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type(format)),
    );
    headers.insert(
        VERDICT_HEADER,
        HeaderValue::from_static(if judged.passed { "pass" } else { "fail" }),
    );
    if let Ok(hash) = HeaderValue::from_str(&loaded.content_hash) {
        headers.insert(RULES_HASH_HEADER, hash);
    }
    Ok(response)
}
