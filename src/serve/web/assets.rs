//! The pages' script and stylesheet, embedded in the binary so the pages
//! work offline and the policy can forbid everything that is not ours.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const SCRIPT: &str = "/assets/web.js";
pub const STYLE: &str = "/assets/web.css";
/// The stylesheet every HTML page of dossier shares (reports too).
pub const SHARED_STYLE: &str = "/assets/style.css";
pub const ICON: &str = "/assets/icon.svg";

const SCRIPT_TEXT: &str = include_str!("assets/web.js");
const STYLE_TEXT: &str = include_str!("assets/web.css");
const ICON_TEXT: &str = include_str!("assets/icon.svg");

fn asset(text: &'static str, media_type: &'static str) -> Response {
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

pub async fn script() -> Response {
    asset(SCRIPT_TEXT, "text/javascript; charset=utf-8")
}

pub async fn style() -> Response {
    asset(STYLE_TEXT, "text/css; charset=utf-8")
}

pub async fn icon() -> Response {
    asset(ICON_TEXT, "image/svg+xml")
}

pub async fn shared_style() -> Response {
    asset(dossier::render::STYLESHEET, "text/css; charset=utf-8")
}
