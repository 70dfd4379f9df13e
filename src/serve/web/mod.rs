//! Pages for people (issue 13): a clerk prepares and checks a bundle in a
//! form generated from the rule set, or uploads one; a reviewer checks many
//! and sends rejection notices. The pages store nothing: a form's values
//! (attached files too) travel with the form, and every page is rendered
//! from askama templates with automatic escaping.
//!
//! - `plan`, `form`, `posted`, `manifest`: the form and the bundle it builds;
//! - `report_view`, `notice`: a judged bundle as a page and as a notice;
//!   `party_names`: parties named for people there, not by generated key;
//! - `pages`, `checklist`, `upload_page`, `review`: the handlers;
//! - `archive`: the zip a clerk downloads; `assets`: script, style and
//!   icon, embedded, served under a strict Content-Security-Policy.

mod archive;
mod assets;
mod checklist;
mod form;
mod manifest;
mod notice;
mod pages;
mod party_names;
mod plan;
mod posted;
mod report_view;
mod review;
mod upload_page;
mod words;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use dossier::lang::Lang;
use dossier::render::{Frame, Style};
use dossier::rules::Operation;
use serde::Deserialize;

use super::AppState;
use super::reload::LoadedRules;
use words::{Words, words};

/// The pages' policy: nothing but this service's own script, style,
/// images and form targets; no frames, no plugins, no inline code.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Every page path, for the router and its tests.
pub const START: &str = "/";
pub const CHECKLIST: &str = "/checklist/{operation}";
pub const PREPARE: &str = "/prepare/{operation}";
pub const CHECK: &str = "/check";
pub const BUNDLE_ZIP: &str = "/bundle.zip";
pub const UPLOAD: &str = "/upload";
pub const REVIEW: &str = "/review";
pub const REVIEW_CSV: &str = "/review.csv";

/// The pages. They go through the same token, body and in-flight layers as
/// the API (the caller adds those).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(START, get(pages::start))
        .route(CHECKLIST, get(checklist::show))
        .route(PREPARE, get(pages::prepare))
        .route(CHECK, post(pages::check))
        .route(BUNDLE_ZIP, post(pages::bundle_zip))
        .route(UPLOAD, get(upload_page::show).post(upload_page::check))
        .route(REVIEW, get(review::show).post(review::check))
        .route(REVIEW_CSV, post(review::csv))
        .route(assets::SCRIPT, get(assets::script))
        .route(assets::STYLE, get(assets::style))
        .route(assets::SHARED_STYLE, get(assets::shared_style))
        .route(assets::ICON, get(assets::icon))
        .layer(from_fn(security_headers))
}

/// The headers every page and asset carries.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A page may hold personal data: no cache keeps it.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// `?lang=` of a page; anything but `en` is the default, Chinese.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

impl PageQuery {
    pub fn lang(&self) -> Lang {
        match self.lang.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// What the frame of every page needs: its words, and links that keep the
/// language.
pub struct Chrome {
    pub w: &'static Words,
    pub lang: Lang,
    /// The same page in the other language, for pages reached by a link.
    pub other_lang: Option<String>,
}

impl Chrome {
    pub fn new(lang: Lang, path: Option<&str>) -> Chrome {
        let other = match lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        Chrome {
            w: words(lang),
            lang,
            other_lang: path.map(|p| href(p, other)),
        }
    }

    /// The shared frame of a page titled `title`: the stylesheet linked
    /// (the policy is a header).
    pub fn frame(&self, title: &str) -> Frame {
        Frame {
            lang: match self.lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            title: format!("{title} · {}", self.w.site),
            style: Style::Linked(assets::SHARED_STYLE.to_string()),
            policy: None,
        }
    }

    /// `path` in this page's language.
    pub fn href(&self, path: &str) -> String {
        href(path, self.lang)
    }
}

/// `path` with the language query when it is not the default.
pub fn href(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => path.to_string(),
        Lang::En => format!("{path}?lang=en"),
    }
}

/// A file for the browser to save (`filename` is ASCII, safe on Windows),
/// rather than to show.
pub fn download(
    body: impl IntoResponse,
    content_type: &'static str,
    filename: &'static str,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// A page, or the error page when the template cannot render.
pub fn page(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => {
            tracing::error!("a page template failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage<'a> {
    frame: Frame,
    chrome: Chrome,
    message: &'a str,
}

/// A request a page cannot answer, shown as a page in the user's language.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    zh: String,
    en: String,
    lang: Lang,
}

impl PageError {
    pub fn new(status: StatusCode, zh: impl Into<String>, en: impl Into<String>) -> PageError {
        PageError {
            status,
            zh: zh.into(),
            en: en.into(),
            lang: Lang::Zh,
        }
    }

    pub fn in_lang(mut self, lang: Lang) -> PageError {
        self.lang = lang;
        self
    }

    pub fn bad_form() -> PageError {
        PageError::new(
            StatusCode::BAD_REQUEST,
            "表单内容无法读取,请返回重新提交。",
            "The form could not be read; go back and send it again.",
        )
    }

    pub fn too_large(limit: u64) -> PageError {
        let mib = limit / (1024 * 1024);
        PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("上传内容超过 {mib} MiB 的上限,请压缩或拆分后重试。"),
            format!(
                "The upload is larger than the limit of {mib} MiB; make the files smaller or send fewer at once."
            ),
        )
    }

    pub fn unknown_operation(lang: Lang) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            "没有这个办理事项。",
            "There is no such operation.",
        )
        .in_lang(lang)
    }
}

/// The operation a page is about, or the page that says there is none.
pub fn operation<'r>(
    loaded: &'r LoadedRules,
    id: &str,
    lang: Lang,
) -> Result<&'r Operation, PageError> {
    loaded
        .rules
        .operation(id)
        .ok_or(PageError::unknown_operation(lang))
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let message = match self.lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        };
        let chrome = Chrome::new(self.lang, None);
        let frame = chrome.frame(chrome.w.error_title);
        let mut response = page(&ErrorPage {
            frame,
            chrome,
            message,
        });
        *response.status_mut() = self.status;
        response
    }
}
