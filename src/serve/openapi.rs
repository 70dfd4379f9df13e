//! `GET /openapi.json`: the OpenAPI 3.1 document of the service.
//!
//! Hand-written and embedded rather than generated (utoipa): the v1 API
//! is a contract checked from outside, so the document is the thing to
//! review, and it stays readable as one file. CI validates it with
//! `openapi-spec-validator` and fuzzes the running service against it with
//! `schemathesis`; the test below keeps it in step with the router.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The document, as served.
pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> Response {
    let mut response = DOCUMENT.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::super::routes::PATHS;
    use super::*;

    #[test]
    fn documents_exactly_the_routes_served() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).expect("valid JSON");
        assert_eq!(document["openapi"], "3.1.0");
        let mut documented: Vec<&str> = document["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .map(String::as_str)
            .collect();
        documented.sort_unstable();
        let mut served: Vec<&str> = PATHS.to_vec();
        served.sort_unstable();
        assert_eq!(documented, served);
    }
}
