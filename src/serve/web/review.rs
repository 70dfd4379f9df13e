//! `/review`: a reviewer uploads many bundle archives at once and gets one
//! page: a results table (sortable and filterable when script runs), each
//! bundle's full report and, for each failing one, its rejection notice.
//! `POST /review.csv` turns the table's rows, sent back by the page, into
//! a CSV file; the service keeps nothing between the two.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dossier::lang::Lang;
use dossier::render::Frame;
use dossier::source::BundleSource;

use super::notice::{NoticeView, applicant, notice};
use super::pages::judge_files;
use super::party_names::PartyNames;
use super::posted::{PostedForm, base_name};
use super::report_view::{ReportView, view as report_view};
use super::{Chrome, PageError, PageQuery, page};
use crate::serve::AppState;

/// Most archives one review upload may hold.
pub const MAX_BUNDLES: usize = 200;

pub struct Row {
    pub number: usize,
    pub bundle: String,
    pub company: String,
    pub operation: String,
    pub submitted_on: String,
    pub passed: bool,
    pub verdict: &'static str,
    pub fail: usize,
    pub warn: usize,
    pub pass: usize,
    pub rules: Vec<String>,
    pub report: ReportView,
    pub notice: Option<NoticeView>,
}

impl Row {
    /// The row as CSV cells, sent back by the page for `/review.csv`.
    pub fn cells(&self) -> String {
        let cells = [
            self.bundle.clone(),
            self.company.clone(),
            self.operation.clone(),
            self.submitted_on.clone(),
            if self.passed { "pass" } else { "fail" }.to_string(),
            self.fail.to_string(),
            self.warn.to_string(),
            self.pass.to_string(),
            self.rules.join(" "),
        ];
        serde_json::to_string(&cells).unwrap_or_default()
    }

    pub fn rules_text(&self) -> String {
        self.rules.join(" ")
    }
}

#[derive(Template)]
#[template(path = "web/review.html")]
struct ReviewPage {
    frame: Frame,
    chrome: Chrome,
    action: String,
    csv_action: String,
    notice_zh: bool,
    rows: Vec<Row>,
    all_rules: Vec<String>,
    checked: bool,
}

/// `GET /review`.
pub async fn show(Query(query): Query<PageQuery>) -> Response {
    let lang = query.lang();
    let chrome = Chrome::new(lang, Some("/review"));
    page(&ReviewPage {
        frame: chrome.frame(chrome.w.review_title),
        action: chrome.href("/review"),
        csv_action: chrome.href("/review.csv"),
        notice_zh: lang == Lang::Zh,
        chrome,
        rows: Vec::new(),
        all_rules: Vec::new(),
        checked: false,
    })
}

/// `POST /review`: every `bundles` part judged, in the order sent.
pub async fn check(
    State(state): State<Arc<AppState>>,
    PostedForm { lang, parts }: PostedForm,
) -> Result<Response, PageError> {
    let notice_lang = match parts
        .iter()
        .find(|p| p.name == "notice_lang")
        .map(|p| p.bytes.as_slice())
    {
        Some(b"en") => Lang::En,
        Some(b"zh") => Lang::Zh,
        _ => lang,
    };
    let archives: Vec<(String, Vec<u8>)> = parts
        .into_iter()
        .filter(|p| p.name == "bundles")
        .filter_map(|p| Some((base_name(&p.file_name?), p.bytes)))
        .collect();
    if archives.is_empty() || archives.len() > MAX_BUNDLES {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            format!("请选择 1 到 {MAX_BUNDLES} 个材料包。"),
            format!("Choose between 1 and {MAX_BUNDLES} bundles."),
        )
        .in_lang(lang));
    }
    let chrome = Chrome::new(lang, None);
    let loaded = state.rules.current();
    let mut rows = Vec::new();
    let mut all_rules: Vec<String> = Vec::new();
    for (index, (name, bytes)) in archives.into_iter().enumerate() {
        let source = BundleSource::archive_bytes(name.clone(), bytes);
        let report = judge_files(&state, &loaded, source).await?;
        let names = PartyNames::of_upload(&loaded.rules, &report, lang);
        let view = report_view(&report, None, &names, lang, chrome.w);
        let rules: Vec<String> = view
            .fixes
            .iter()
            .chain(&view.warnings)
            .map(|f| f.rule.clone())
            .fold(Vec::new(), |mut seen, rule| {
                if !seen.contains(&rule) {
                    seen.push(rule);
                }
                seen
            });
        for rule in &rules {
            if !all_rules.contains(rule) {
                all_rules.push(rule.clone());
            }
        }
        rows.push(Row {
            number: index + 1,
            bundle: name,
            company: applicant(&report, &loaded.rules),
            operation: view.title.clone(),
            submitted_on: view.judged_on.clone(),
            passed: view.passed,
            verdict: view.verdict,
            fail: view.counts.fail,
            warn: view.counts.warn,
            pass: view.counts.pass,
            rules,
            notice: (!view.passed).then(|| notice(&report, &loaded.rules, notice_lang)),
            report: view,
        });
    }
    all_rules.sort();
    Ok(page(&ReviewPage {
        frame: chrome.frame(chrome.w.review_title),
        action: chrome.href("/review"),
        csv_action: chrome.href("/review.csv"),
        notice_zh: notice_lang == Lang::Zh,
        chrome,
        rows,
        all_rules,
        checked: true,
    }))
}

const CSV_HEADER: &str =
    "bundle,company,operation,submitted_on,verdict,fail,warn,pass,failing_rules\r\n";

/// `POST /review.csv`: the rows the results page sends back, as CSV.
pub async fn csv(PostedForm { lang, parts }: PostedForm) -> Result<Response, PageError> {
    let mut out = String::from(CSV_HEADER);
    for part in parts.iter().filter(|p| p.name == "row") {
        let cells: Vec<String> =
            serde_json::from_slice(&part.bytes).map_err(|_| PageError::bad_form().in_lang(lang))?;
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok(super::download(
        out,
        "text/csv; charset=utf-8",
        "review.csv",
    ))
}

/// One CSV cell: quoted when it must be, and a leading `=`, `+`, `-` or
/// `@` defused so a spreadsheet never runs it as a formula.
fn csv_cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    }
}
