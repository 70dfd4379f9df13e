//! `/upload`: check a bundle made elsewhere, an archive or a whole folder
//! (the browser's folder picker sends each file with its path inside the
//! folder), without the form.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dossier::render::Frame;
use dossier::source::BundleSource;

use super::pages::judge_files;
use super::party_names::PartyNames;
use super::posted::{PostedForm, base_name};
use super::report_view::{ReportView, view as report_view};
use super::{Chrome, PageError, PageQuery, page};
use crate::serve::AppState;

#[derive(Template)]
#[template(path = "web/upload.html")]
struct UploadPage {
    frame: Frame,
    chrome: Chrome,
    action: String,
    report: Option<ReportView>,
    /// The name of the bundle checked.
    checked: String,
}

/// `GET /upload`.
pub async fn show(Query(query): Query<PageQuery>) -> Response {
    let chrome = Chrome::new(query.lang(), Some("/upload"));
    page(&UploadPage {
        frame: chrome.frame(chrome.w.upload_title),
        action: chrome.href("/upload"),
        chrome,
        report: None,
        checked: String::new(),
    })
}

/// `POST /upload`: one archive (`bundle`) or a folder's files (`folder`).
pub async fn check(
    State(state): State<Arc<AppState>>,
    PostedForm { lang, parts }: PostedForm,
) -> Result<Response, PageError> {
    let mut archive = None;
    let mut folder: Vec<(String, Vec<u8>)> = Vec::new();
    for part in parts {
        match (part.name.as_str(), part.file_name) {
            ("bundle", Some(name)) => archive = Some((base_name(&name), part.bytes)),
            ("folder", Some(name)) => folder.push((name.replace('\\', "/"), part.bytes)),
            _ => {}
        }
    }
    let nothing = || {
        PageError::new(
            StatusCode::BAD_REQUEST,
            "没有收到材料包,请先选择文件或文件夹。",
            "No bundle arrived; choose a file or a folder first.",
        )
        .in_lang(lang)
    };
    let (name, source) = match archive {
        Some((name, bytes)) => (name.clone(), BundleSource::archive_bytes(name, bytes)),
        None if !folder.is_empty() => {
            let (name, files) = inside_folder(folder);
            (name.clone(), BundleSource::memory(name, files))
        }
        None => return Err(nothing()),
    };
    let loaded = state.rules.current();
    let report = judge_files(&state, &loaded, source).await?;
    let chrome = Chrome::new(lang, None);
    let names = PartyNames::of_upload(&loaded.rules, &report, lang);
    let view = report_view(&report, None, &names, lang, chrome.w);
    Ok(page(&UploadPage {
        frame: chrome.frame(chrome.w.upload_title),
        action: chrome.href("/upload"),
        chrome,
        report: Some(view),
        checked: name,
    }))
}

/// The folder's name and its files by their path inside it: browsers send
/// `folder/files/a.pdf`; the first component is the folder picked.
fn inside_folder(files: Vec<(String, Vec<u8>)>) -> (String, BTreeMap<String, Vec<u8>>) {
    let top = files
        .first()
        .and_then(|(path, _)| path.split_once('/'))
        .map(|(top, _)| top.to_string())
        .filter(|top| {
            files
                .iter()
                .all(|(path, _)| path.starts_with(&format!("{top}/")))
        });
    let Some(top) = top else {
        return ("upload".to_string(), files.into_iter().collect());
    };
    let inner = files
        .into_iter()
        .map(|(path, bytes)| (path[top.len() + 1..].to_string(), bytes))
        .collect();
    (top, inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picked_folder_is_the_bundle_root() {
        let (name, files) = inside_folder(vec![
            ("acme/bundle.yaml".into(), vec![1]),
            ("acme/files/a.pdf".into(), vec![2]),
        ]);
        assert_eq!(name, "acme");
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["bundle.yaml", "files/a.pdf"]
        );
        let (name, files) = inside_folder(vec![
            ("bundle.yaml".into(), vec![1]),
            ("x/a.pdf".into(), vec![2]),
        ]);
        assert_eq!(name, "upload");
        assert_eq!(files.len(), 2);
    }
}
