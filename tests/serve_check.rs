//! `POST /v1/check` answers what `dossier check` writes for the same
//! bundle (apart from its name), with the verdict in a header, honours
//! the query and `Accept`, and keeps uploads in memory only.

mod serve_support;
mod support;

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use reqwest::blocking::multipart::{Form, Part};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serve_support::{Server, cli, client};

const MANIFESTS: [&str; 3] = ["bundle.yaml", "bundle.yml", "bundle.json"];

/// Every regular file below `dir`, by its path relative to `dir`.
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                found.push((relative.to_string_lossy().into_owned(), entry.path()));
            }
        }
    }
    found.sort();
    found
}

/// The bundle in `dir` as a multipart form: the manifest and one part per file.
fn form(dir: &Path) -> Form {
    let mut form = Form::new();
    for (relative, path) in files_under(dir) {
        let bytes = std::fs::read(&path).unwrap();
        let name = if MANIFESTS.contains(&relative.as_str()) {
            "manifest".to_string()
        } else {
            relative.clone()
        };
        form = form.part(name, Part::bytes(bytes).file_name(relative));
    }
    form
}

fn post_form(server: &Server, dir: &Path, query: &str) -> reqwest::blocking::Response {
    client()
        .post(server.url(&format!("/v1/check?{query}")))
        .multipart(form(dir))
        .send()
        .unwrap()
}

/// The CLI's report on `dir`, with the bundle named as the service names uploads.
fn cli_report(dir: &Path, format: &str, lang: &str) -> String {
    let shown = dir.to_str().unwrap();
    let output = cli(&["check", shown, "--format", format, "--lang", lang]);
    String::from_utf8(output.stdout)
        .unwrap()
        .replace(&format!("{shown}/"), "upload/")
        .replace(shown, "upload")
}

#[test]
fn every_fixture_gets_the_cli_report_and_verdict() {
    let server = Server::start(&[]);
    let fixtures = support::fixture_paths();
    for dir in &fixtures {
        let response = post_form(&server, dir, "format=json&lang=en");
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{}: {:?}",
            dir.display(),
            response.text()
        );
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let verdict = response.headers()["dossier-verdict"]
            .to_str()
            .unwrap()
            .to_string();
        let hash = response.headers()["dossier-rules-hash"]
            .to_str()
            .unwrap()
            .to_string();
        let body = response.text().unwrap();
        assert_eq!(body, cli_report(dir, "json", "en"), "{}", dir.display());
        let report: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(report["verdict"], verdict.as_str(), "{}", dir.display());
        if let Some(digest) = report["rules_sha256"].as_str() {
            // Reports of bundles that name an operation name the rules.
            assert_eq!(hash, format!("sha256:{digest}"), "{}", dir.display());
        }
        let expected = if dir
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("fail-")
        {
            "fail"
        } else {
            "pass"
        };
        assert_eq!(verdict, expected, "{}", dir.display());
    }
    let bundles =
        serve_support::metric(&server, r#"dossier_bundles_checked_total{verdict="fail"}"#).unwrap()
            + serve_support::metric(&server, r#"dossier_bundles_checked_total{verdict="pass"}"#)
                .unwrap();
    assert_eq!(bundles, fixtures.len() as f64);
}

#[test]
fn every_format_matches_the_cli_in_both_languages() {
    let server = Server::start(&[]);
    let dir = Path::new("fixtures/douyin.employee_account.open/fail-employee.age");
    for format in [
        "text", "json", "jsonl", "markdown", "html", "junit", "sarif", "github",
    ] {
        for lang in ["zh", "en"] {
            let response = post_form(&server, dir, &format!("format={format}&lang={lang}"));
            assert_eq!(response.headers()["dossier-verdict"], "fail");
            assert_eq!(
                response.text().unwrap(),
                cli_report(dir, format, lang),
                "{format} {lang}"
            );
        }
    }
}

#[test]
fn accept_chooses_the_format_when_the_query_does_not() {
    let server = Server::start(&[]);
    let dir = Path::new("fixtures/douyin.employee_account.open/fail-employee.age");
    for (accept, media_type, format) in [
        ("text/html", "text/html; charset=utf-8", "html"),
        (
            "text/markdown;q=0.9, text/plain;q=0.5",
            "text/markdown; charset=utf-8",
            "markdown",
        ),
        ("application/sarif+json", "application/sarif+json", "sarif"),
        ("*/*", "application/json", "json"),
    ] {
        let response = client()
            .post(server.url("/v1/check?lang=en"))
            .header(ACCEPT, accept)
            .multipart(form(dir))
            .send()
            .unwrap();
        assert_eq!(response.headers()[CONTENT_TYPE], media_type, "{accept}");
        assert_eq!(
            response.text().unwrap(),
            cli_report(dir, format, "en"),
            "{accept}"
        );
    }
}

#[test]
fn query_options_judge_as_the_cli_options_do() {
    let server = Server::start(&[]);
    let warn = Path::new("fixtures/douyin.employee_account.deregister/warn-contact.reachable");
    let default = post_form(&server, warn, "format=json");
    assert_eq!(default.headers()["dossier-verdict"], "pass");
    let strict = post_form(&server, warn, "format=json&fail_on=warning");
    assert_eq!(strict.headers()["dossier-verdict"], "fail");
    let shown = warn.to_str().unwrap();
    let cli_strict = cli(&[
        "check",
        shown,
        "--format",
        "json",
        "--fail-on",
        "warning",
        "--as-of",
        "2030-01-01",
    ]);
    let dated = post_form(
        &server,
        warn,
        "format=json&fail_on=warning&as_of=2030-01-01",
    );
    assert_eq!(
        dated.text().unwrap(),
        String::from_utf8(cli_strict.stdout)
            .unwrap()
            .replace(&format!("{shown}/"), "upload/")
            .replace(shown, "upload")
    );
}

#[test]
fn an_unreadable_bundle_is_a_failing_report() {
    let server = Server::start(&[]);
    let http = client();
    let archive = http
        .post(server.url("/v1/check?format=json"))
        .header(CONTENT_TYPE, "application/zip")
        .body("this is not a zip")
        .send()
        .unwrap();
    assert_eq!(archive.status(), StatusCode::OK);
    assert_eq!(archive.headers()["dossier-verdict"], "fail");
    let report: serde_json::Value = archive.json().unwrap();
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["bundle"], "upload");
    let broken = Form::new().part("manifest", Part::bytes(b"format: [unclosed".to_vec()));
    let manifest = http
        .post(server.url("/v1/check?format=json"))
        .multipart(broken)
        .send()
        .unwrap();
    assert_eq!(manifest.status(), StatusCode::OK);
    assert_eq!(manifest.headers()["dossier-verdict"], "fail");
}

#[test]
fn uploads_never_touch_the_disk() {
    let temp = tempfile::tempdir().unwrap();
    let tmpdir = temp.path().join("tmp");
    let cwd = temp.path().join("cwd");
    std::fs::create_dir_all(&tmpdir).unwrap();
    std::fs::create_dir_all(&cwd).unwrap();
    let server = Server::start_in(&[], Some(&cwd), &[("TMPDIR", tmpdir.to_str().unwrap())]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for case in ["pass-two-employees", "fail-employee.age"] {
        let dir = root
            .join("fixtures/douyin.employee_account.open")
            .join(case);
        let dir = if dir.exists() {
            dir
        } else {
            root.join("fixtures/douyin.employee_account.deregister")
                .join(case)
        };
        let response = post_form(&server, &dir, "format=html");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().unwrap();
    }
    let archive = client()
        .post(server.url("/v1/check"))
        .header(CONTENT_TYPE, "application/gzip")
        .body(vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
        .send()
        .unwrap();
    assert_eq!(archive.status(), StatusCode::OK);
    for dir in [&tmpdir, &cwd] {
        let left: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
        assert!(left.is_empty(), "{} holds {left:?}", dir.display());
    }
}
