//! The clerk's pages: the start page, the prepare form, checking the
//! filled form (report and form on one page, for "fix and check again")
//! and downloading the bundle it makes as a zip.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::Frame;
use dossier::report::{Report, Severity};
use dossier::source::BundleSource;

use super::form::{FormView, view as form_view};
use super::manifest::{Built, build};
use super::party_names::PartyNames;
use super::plan::Plan;
use super::posted::{Posted, PostedForm};
use super::report_view::{FormPlace, ReportView, view as report_view};
use super::{CHECK, Chrome, PageError, PageQuery, operation, page, words};
use crate::serve::AppState;
use crate::serve::reload::LoadedRules;

struct OperationLink {
    title: String,
    description: Option<String>,
    id: String,
    version: String,
    prepare: String,
    checklist: String,
}

#[derive(Template)]
#[template(path = "web/start.html")]
struct StartPage {
    frame: Frame,
    chrome: Chrome,
    operations: Vec<OperationLink>,
    upload: String,
    review: String,
}

/// `GET /`: the operations the rule set offers.
pub async fn start(State(state): State<Arc<AppState>>, Query(query): Query<PageQuery>) -> Response {
    let lang = query.lang();
    let chrome = Chrome::new(lang, Some("/"));
    let loaded = state.rules.current();
    let operations = loaded
        .rules
        .current_operations()
        .into_iter()
        .map(|o| OperationLink {
            title: o.title.get(lang).to_string(),
            description: o.description.as_ref().map(|d| d.get(lang).to_string()),
            id: o.id.clone(),
            version: o.version.clone(),
            prepare: chrome.href(&format!("/prepare/{}", o.id)),
            checklist: chrome.href(&format!("/checklist/{}", o.id)),
        })
        .collect();
    page(&StartPage {
        frame: chrome.frame(chrome.w.start_title),
        upload: chrome.href("/upload"),
        review: chrome.href("/review"),
        chrome,
        operations,
    })
}

#[derive(Template)]
#[template(path = "web/prepare.html")]
struct PreparePage {
    frame: Frame,
    chrome: Chrome,
    title: String,
    form: FormView,
    check_href: String,
    zip_href: String,
    report: Option<ReportView>,
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

/// The form page of `plan`, with `report` above it when it was checked.
fn form_page(lang: Lang, plan: &Plan, posted: &Posted, report: Option<ReportView>) -> Response {
    let path = format!("/prepare/{}", plan.operation.id);
    let chrome = Chrome::new(lang, report.is_none().then_some(path.as_str()));
    let template = PreparePage {
        frame: chrome.frame(plan.operation.title.get(lang)),
        title: plan.operation.title.get(lang).to_string(),
        form: form_view(plan, posted, lang, chrome.w, &today()),
        check_href: chrome.href(CHECK),
        zip_href: chrome.href(super::BUNDLE_ZIP),
        report,
        chrome,
    };
    page(&template)
}

/// `GET /prepare/{operation}`: the empty form.
pub async fn prepare(
    State(state): State<Arc<AppState>>,
    Path(operation): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let lang = query.lang();
    let loaded = state.rules.current();
    let operation = super::operation(&loaded, &operation, lang)?;
    let plan = Plan::new(&loaded.rules, operation, |_| None);
    Ok(form_page(lang, &plan, &Posted::default(), None))
}

/// What a button of the form asks for.
enum Action {
    Check,
    Add(String),
    Remove(String, usize),
}

fn action(posted: &Posted) -> Action {
    let value = posted.value("action").unwrap_or("check");
    if let Some(role) = value.strip_prefix("add:") {
        return Action::Add(role.to_string());
    }
    if let Some((role, index)) = value
        .strip_prefix("remove:")
        .and_then(|r| r.rsplit_once(':'))
        && let Ok(index) = index.parse()
    {
        return Action::Remove(role.to_string(), index);
    }
    Action::Check
}

fn count_of(posted: &Posted, role: &str) -> Option<usize> {
    posted.value(&format!("n:{role}"))?.parse().ok()
}

/// `POST /check`: the form checked (report above the form, values kept),
/// or re-shown with a party added or removed.
pub async fn check(
    State(state): State<Arc<AppState>>,
    PostedForm { lang, parts }: PostedForm,
) -> Result<Response, PageError> {
    let loaded = state.rules.current();
    let mut posted = Posted::from_parts(parts);
    let id = posted.value("operation").unwrap_or_default().to_string();
    let operation = operation(&loaded, &id, lang)?;
    match action(&posted) {
        Action::Add(role) => {
            let plan = Plan::new(&loaded.rules, operation, |r| {
                count_of(&posted, r).map(|n| if r == role { n + 1 } else { n })
            });
            Ok(form_page(lang, &plan, &posted, None))
        }
        Action::Remove(role, index) => {
            let before = Plan::new(&loaded.rules, operation, |r| count_of(&posted, r));
            if let Some(role_plan) = before
                .roles
                .iter()
                .find(|r| r.def.name == role && r.can_remove())
                && index < role_plan.keys.len()
            {
                let keys = role_plan.keys.clone();
                posted.forget_party(&keys[index]);
                for pair in keys[index..].windows(2) {
                    posted.rename_party(&pair[1], &pair[0]);
                }
                let count = keys.len() - 1;
                let plan = Plan::new(&loaded.rules, operation, |r| {
                    if r == role {
                        Some(count)
                    } else {
                        count_of(&posted, r)
                    }
                });
                return Ok(form_page(lang, &plan, &posted, None));
            }
            Ok(form_page(lang, &before, &posted, None))
        }
        Action::Check => {
            let plan = Plan::new(&loaded.rules, operation, |r| count_of(&posted, r));
            let Built { files, documents } = build(&plan, &posted, &today());
            let report = judge(&state, &loaded, files).await?;
            let place = FormPlace {
                plan: &plan,
                documents: &documents,
            };
            let names = PartyNames::of(&plan, &report, lang);
            let view = report_view(&report, Some(&place), &names, lang, words::words(lang));
            Ok(form_page(lang, &plan, &posted, Some(view)))
        }
    }
}

/// Judges in-memory files with the library, as `/v1/check` does, on the
/// blocking pool; counts the bundle in the metrics.
pub async fn judge_files(
    state: &AppState,
    loaded: &Arc<LoadedRules>,
    source: BundleSource,
) -> Result<Report, PageError> {
    let options = CheckOptions::as_of(None).with_today(Some(chrono::Local::now().date_naive()));
    let judging = loaded.clone();
    let report = tokio::task::spawn_blocking(move || judging.rules.check_source(&source, &options))
        .await
        .map_err(|_| {
            tracing::error!("judging a bundle failed unexpectedly");
            PageError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "检查时出现内部错误。",
                "Checking failed inside the service.",
            )
        })?;
    let mut failing: Vec<&str> = report.failing_rules(Severity::Error);
    failing.extend(report.failing_rules(Severity::Warning));
    state.metrics.record_bundle(
        report.verdict() == dossier::report::Verdict::Pass,
        failing.into_iter(),
    );
    Ok(report)
}

async fn judge(
    state: &AppState,
    loaded: &Arc<LoadedRules>,
    files: std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<Report, PageError> {
    judge_files(state, loaded, BundleSource::memory("form", files)).await
}

/// `POST /bundle.zip`: the bundle the form makes, as a zip to keep.
pub async fn bundle_zip(
    State(state): State<Arc<AppState>>,
    PostedForm { lang, parts }: PostedForm,
) -> Result<Response, PageError> {
    let loaded = state.rules.current();
    let posted = Posted::from_parts(parts);
    let id = posted.value("operation").unwrap_or_default().to_string();
    let operation = operation(&loaded, &id, lang)?;
    let plan = Plan::new(&loaded.rules, operation, |r| count_of(&posted, r));
    let built = build(&plan, &posted, &today());
    let bytes = super::archive::zip(&built.files).map_err(|_| {
        PageError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "无法生成压缩包。",
            "The zip could not be made.",
        )
    })?;
    Ok(super::download(bytes, "application/zip", "bundle.zip"))
}
