//! `dossier serve` answers its API as documented: starting safely, tokens,
//! probes, metrics, the catalog routes, field validation and problem bodies.

mod serve_support;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::Value;
use serve_support::{Server, client};

fn problem(response: reqwest::blocking::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/problem+json",
        "every error is a problem body"
    );
    let body: Value = response.json().expect("problem is JSON");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"].as_str().unwrap().starts_with("/problems/"));
    assert!(!body["detail"].as_str().unwrap().is_empty());
    body
}

#[test]
fn an_open_address_without_a_token_refuses_to_start() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("without a token"), "{stderr}");
    assert!(
        stderr.contains("--token-file") && stderr.contains("--no-auth"),
        "{stderr}"
    );
}

#[test]
fn a_weak_or_missing_token_file_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let weak = dir.path().join("weak");
    std::fs::write(&weak, "short\n").unwrap();
    for file in [weak, dir.path().join("missing")] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--listen", "127.0.0.1:0", "--token-file"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("token file"));
    }
}

#[test]
fn api_needs_the_token_and_probes_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "correct-horse-battery-staple\n").unwrap();
    let server = Server::start(&["--token-file", token_file.to_str().unwrap()]);
    let http = client();
    let url = server.url("/v1/operations");
    let body = problem(http.get(&url).send().unwrap(), StatusCode::UNAUTHORIZED);
    assert_eq!(body["title"], "Missing or wrong token");
    let wrong = http
        .get(&url)
        .header(AUTHORIZATION, "Bearer correct-horse-battery-stapler")
        .send()
        .unwrap();
    problem(wrong, StatusCode::UNAUTHORIZED);
    let right = http
        .get(&url)
        .header(AUTHORIZATION, "Bearer correct-horse-battery-staple")
        .send()
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    for path in ["/healthz", "/readyz", "/metrics", "/openapi.json"] {
        let response = http.get(server.url(path)).send().unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path} without a token");
    }
}

#[test]
fn probes_name_the_rule_set() {
    let server = Server::start(&[]);
    let http = client();
    let health: Value = http
        .get(server.url("/healthz"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready: Value = http
        .get(server.url("/readyz"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(ready["status"], "ready");
    let hash = ready["rules"]["content_hash"].as_str().unwrap();
    assert!(
        hash.starts_with("sha256:") && hash.len() == 7 + 64,
        "{hash}"
    );
    let ids: Vec<&str> = ready["rules"]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"douyin.employee_account.open"), "{ids:?}");
    assert_eq!(server.wait_for_log("listening")["content_hash"], hash);
}

/// A sanity parser of the OpenMetrics text format: every sample line is a
/// metric name, optional labels and a number, and `# EOF` ends it. (CI also
/// parses it with the Prometheus project's Python parser.)
fn samples(text: &str) -> Vec<(String, f64)> {
    assert!(text.ends_with("# EOF\n"), "{text}");
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("name and value");
            let value: f64 = value.parse().expect("a number");
            let name_end = series.find('{').unwrap_or(series.len());
            let name = &series[..name_end];
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{line}"
            );
            if name_end < series.len() {
                assert!(series.ends_with('}'), "{line}");
            }
            (series.to_string(), value)
        })
        .collect()
}

#[test]
fn metrics_count_requests_by_route_and_status() {
    let server = Server::start(&[]);
    let http = client();
    http.get(server.url("/healthz")).send().unwrap();
    http.get(server.url("/v1/operations/no.such.operation"))
        .send()
        .unwrap();
    let response = http.get(server.url("/metrics")).send().unwrap();
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text; version=1.0.0")
    );
    let text = response.text().unwrap();
    let samples = samples(&text);
    let value = |series: &str| {
        samples
            .iter()
            .find(|(s, _)| s == series)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    assert_eq!(
        value(r#"dossier_http_requests_total{route="/healthz",method="GET",status="200"}"#),
        1.0
    );
    assert_eq!(
        value(
            r#"dossier_http_requests_total{route="/v1/operations/{id}",method="GET",status="404"}"#
        ),
        1.0
    );
    // The scrape itself is in flight while it is encoded.
    assert_eq!(value("dossier_http_requests_in_flight"), 1.0);
    assert_eq!(
        value(r#"dossier_bundles_checked_total{verdict="fail"}"#),
        0.0
    );
    assert_eq!(value(r#"dossier_rule_reloads_total{result="error"}"#), 0.0);
    for family in [
        "# TYPE dossier_http_request_duration_seconds histogram",
        "# TYPE dossier_bundles_checked counter",
        "# TYPE dossier_rule_reloads counter",
    ] {
        assert!(text.contains(family), "{family} in\n{text}");
    }
}

#[test]
fn operations_checklists_templates_and_schema() {
    let server = Server::start(&[]);
    let http = client();
    let list: Value = http
        .get(server.url("/v1/operations"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(list["operations"].as_array().unwrap().len() >= 2);
    let url = server.url("/v1/operations/douyin.employee_account.open");
    let json: Value = http.get(&url).send().unwrap().json().unwrap();
    assert_eq!(json["id"], "douyin.employee_account.open");
    assert!(
        json["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "employee.age")
    );
    let markdown = http
        .get(&url)
        .header(ACCEPT, "text/markdown")
        .send()
        .unwrap();
    assert!(
        markdown.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert!(markdown.text().unwrap().starts_with("# Open a Douyin"));
    let html = http
        .get(format!("{url}?lang=zh"))
        .header(ACCEPT, "text/html")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<h1>开通抖音企业号员工账号"));
    let template = http.get(format!("{url}/template")).send().unwrap();
    assert_eq!(
        template.headers()[CONTENT_TYPE],
        "application/yaml; charset=utf-8"
    );
    assert!(
        template
            .text()
            .unwrap()
            .contains("operation: douyin.employee_account.open")
    );
    let schema: Value = http
        .get(server.url("/v1/schema/bundle"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(
        schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org")
    );
    let missing = http
        .get(server.url("/v1/operations/nope/template"))
        .send()
        .unwrap();
    let body = problem(missing, StatusCode::NOT_FOUND);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("douyin.employee_account.open")
    );
    problem(
        http.get(format!("{url}?lang=fr")).send().unwrap(),
        StatusCode::BAD_REQUEST,
    );
}

#[test]
fn fields_are_validated_in_the_language_asked() {
    let server = Server::start(&[]);
    let http = client();
    let validate = |kind: &str, lang: &str, value: &str| -> Value {
        http.post(server.url(&format!(
            "/v1/fields/{kind}/validate?lang={lang}&as_of=2024-08-28"
        )))
        .header(CONTENT_TYPE, "application/json")
        .body(value.to_string())
        .send()
        .unwrap()
        .json()
        .unwrap()
    };
    assert_eq!(
        validate("ric", "en", r#""11010519491231002X""#)["valid"],
        true
    );
    let wrong = validate("ric", "en", r#""11010519491231002Y""#);
    assert_eq!(wrong["valid"], false);
    assert!(wrong["message"].as_str().unwrap().contains("18"), "{wrong}");
    assert!(
        !wrong.to_string().contains("11010519491231002Y"),
        "the value is never repeated"
    );
    let zh = validate("uscc", "zh", r#""91110108MA01C8XW7A""#);
    assert_eq!(zh["valid"], false);
    assert!(!zh["message"].as_str().unwrap().is_ascii(), "{zh}");
    assert_eq!(
        validate("mobile", "en", r#""+86 138-0013-8000""#)["valid"],
        true
    );
    assert_eq!(validate("date", "en", r#""2024年8月28日""#)["valid"], true);
    let unknown = http
        .post(server.url("/v1/fields/shoe_size/validate"))
        .header(CONTENT_TYPE, "application/json")
        .body("\"42\"")
        .send()
        .unwrap();
    problem(unknown, StatusCode::NOT_FOUND);
    let not_json = http
        .post(server.url("/v1/fields/ric/validate"))
        .header(CONTENT_TYPE, "text/plain")
        .body("x")
        .send()
        .unwrap();
    problem(not_json, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let not_string = http
        .post(server.url("/v1/fields/ric/validate"))
        .header(CONTENT_TYPE, "application/json")
        .body("[1]")
        .send()
        .unwrap();
    problem(not_string, StatusCode::BAD_REQUEST);
}

#[test]
fn errors_are_problem_bodies() {
    let server = Server::start(&[]);
    let http = client();
    problem(
        http.get(server.url("/nowhere")).send().unwrap(),
        StatusCode::NOT_FOUND,
    );
    let wrong_method = http.delete(server.url("/v1/operations")).send().unwrap();
    assert!(wrong_method.headers().contains_key("allow"));
    problem(wrong_method, StatusCode::METHOD_NOT_ALLOWED);
    let wrong_type = http
        .post(server.url("/v1/check"))
        .header(CONTENT_TYPE, "image/png")
        .body("x")
        .send()
        .unwrap();
    problem(wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let no_type = http.post(server.url("/v1/check")).body("x").send().unwrap();
    problem(no_type, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let bad_query = http
        .post(server.url("/v1/check?format=pdf"))
        .header(CONTENT_TYPE, "application/zip")
        .body("x")
        .send()
        .unwrap();
    let body = problem(bad_query, StatusCode::BAD_REQUEST);
    assert!(body["detail"].as_str().unwrap().contains("sarif"));
    let unknown_param = http
        .post(server.url("/v1/check?formt=json"))
        .header(CONTENT_TYPE, "application/zip")
        .body("x")
        .send()
        .unwrap();
    problem(unknown_param, StatusCode::BAD_REQUEST);
}

#[test]
fn openapi_document_is_served() {
    let server = Server::start(&[]);
    let document: Value = client()
        .get(server.url("/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/v1/check"]["post"]["responses"]["503"].is_object());
}
