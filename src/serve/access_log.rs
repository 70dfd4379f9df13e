//! Access logs: one JSON line on stderr per request, with its id, route
//! template, status, verdict, sizes and duration, and the matching metrics.
//!
//! Only those fields are logged: never a path as sent, a query, a header
//! value other than the request id, or anything from a bundle, so no
//! personal number, file name or party name can reach a log.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::HttpBody as _;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::check::VERDICT_HEADER;

/// The request id header, taken from the client when it is a plain token
/// and made up otherwise; echoed on the response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// JSON lines on stderr; `RUST_LOG`-style filtering is not needed: the
/// service logs requests, reloads and errors, nothing else.
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// A fresh id: the start time of the process and a counter, unique per
/// process and short enough to grep.
fn new_request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    format!("{start:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn client_request_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let plain = !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then(|| text.to_string())
}

/// Times, counts and logs every request.
pub async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let in_flight = state.metrics.in_flight();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = request.method().as_str().to_string();
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(client_request_id)
        .unwrap_or_else(new_request_id);
    let bytes_in = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut response = next.run(request).await;
    drop(in_flight);
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    state
        .metrics
        .record_request(&route, &method, status, seconds);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let verdict = response
        .headers()
        .get(VERDICT_HEADER)
        .and_then(|v| v.to_str().ok());
    let bytes_out = response.body().size_hint().exact();
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status,
        verdict,
        bytes_in,
        bytes_out,
        duration_ms = (seconds * 1000.0 * 1000.0).round() / 1000.0,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_taken_only_when_plain() {
        let plain = HeaderValue::from_static("abc-123_x.y");
        assert_eq!(client_request_id(&plain).as_deref(), Some("abc-123_x.y"));
        let odd = HeaderValue::from_static("id with spaces");
        assert_eq!(client_request_id(&odd), None);
        let long = HeaderValue::from_str(&"a".repeat(65)).unwrap();
        assert_eq!(client_request_id(&long), None);
    }

    #[test]
    fn made_up_ids_differ() {
        assert_ne!(new_request_id(), new_request_id());
    }
}
