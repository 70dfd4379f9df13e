//! The API (v1) and the layers around it, outermost first:
//! access log and metrics (every request) → token → declared body length
//! → requests in flight (503 when full) → time limit → handler.
//!
//! Probes, metrics and the API document need no token and never count
//! against the in-flight limit, so a load balancer can always reach them.

use std::sync::Arc;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower::timeout::TimeoutLayer;

use super::problem::Problem;
use super::{AppState, access_log, auth, check, fields, limits, metrics, openapi, operations, web};

const CHECK: &str = "/v1/check";
const OPERATIONS: &str = "/v1/operations";
const OPERATION: &str = "/v1/operations/{id}";
const TEMPLATE: &str = "/v1/operations/{id}/template";
const BUNDLE_SCHEMA: &str = "/v1/schema/bundle";
const VALIDATE_FIELD: &str = "/v1/fields/{type}/validate";
const HEALTH: &str = "/healthz";
const READY: &str = "/readyz";
const METRICS: &str = "/metrics";
const OPENAPI: &str = "/openapi.json";

/// Every path served; `/openapi.json` documents exactly these.
#[cfg(test)]
pub const PATHS: [&str; 10] = [
    CHECK,
    OPERATIONS,
    OPERATION,
    TEMPLATE,
    BUNDLE_SCHEMA,
    VALIDATE_FIELD,
    HEALTH,
    READY,
    METRICS,
    OPENAPI,
];

/// The whole service.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route(CHECK, post(check::check))
        .route(OPERATIONS, get(operations::list))
        .route(OPERATION, get(operations::show))
        .route(TEMPLATE, get(operations::template))
        .route(BUNDLE_SCHEMA, get(operations::bundle_schema))
        .route(VALIDATE_FIELD, post(fields::validate))
        // Pages for people (issue 13): under the same bounds as the API.
        .merge(web::routes())
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(limits::limit_error))
                // Full means 503 at once: a queue would only move the wait
                // into the client's timeout.
                .layer(LoadShedLayer::new())
                .layer(GlobalConcurrencyLimitLayer::new(state.limits.max_in_flight))
                .layer(TimeoutLayer::new(state.limits.request_timeout)),
        )
        .layer(from_fn_with_state(
            state.limits.max_body,
            limits::declared_length,
        ))
        .layer(from_fn_with_state(state.token.clone(), auth::require_token));
    let operations_routes = Router::new()
        .route(HEALTH, get(healthz))
        .route(READY, get(readyz))
        .route(METRICS, get(metrics::metrics))
        .route(OPENAPI, get(openapi::document));
    Router::new()
        .merge(api)
        .merge(operations_routes)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), access_log::observe))
        .with_state(state)
}

async fn not_found() -> Response {
    Problem::not_found("no such path; see /openapi.json").into_response()
}

async fn method_not_allowed() -> Response {
    Problem::method_not_allowed().into_response()
}

/// `GET /healthz`: the process answers.
async fn healthz() -> Response {
    axum::Json(json!({ "status": "ok" })).into_response()
}

/// `GET /readyz`: a rule set is loaded; which one.
async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let loaded = state.rules.current();
    let operations: Vec<_> = loaded
        .rules
        .operations
        .iter()
        .map(|o| json!({ "id": o.id, "version": o.version }))
        .collect();
    axum::Json(json!({
        "status": "ready",
        "rules": {
            "origin": loaded.rules.origin,
            "content_hash": loaded.content_hash,
            "loaded_at": loaded.loaded_at,
            "operations": operations,
        },
    }))
    .into_response()
}
