//! Signals: SIGHUP reloads the rules only when the new set loads, SIGTERM
//! stops accepting and finishes every request already accepted.

mod serve_support;

use std::path::Path;

use reqwest::StatusCode;
use serde_json::Value;
use serve_support::{Raw, Server, client, metric, wait_for_metric};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn content_hash(server: &Server) -> String {
    let ready: Value = client()
        .get(server.url("/readyz"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    ready["rules"]["content_hash"].as_str().unwrap().to_string()
}

#[test]
fn sighup_reloads_a_good_rule_set_and_keeps_the_old_one_when_broken() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    copy_dir(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules")
            .as_path(),
        &rules,
    );
    let server = Server::start(&["--rules", rules.to_str().unwrap()]);
    let first = content_hash(&server);

    // Broken: the old set keeps serving, the error is logged and counted.
    let catalog = rules.join("catalog.yaml");
    let original = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(&catalog, format!("{original}\nroles: [unclosed\n")).unwrap();
    server.signal(libc::SIGHUP);
    let error = server.wait_for_log("rule set not reloaded; the previous one keeps serving");
    assert_eq!(error["level"], "ERROR", "{:?}", server.raw_logs());
    assert!(
        error["errors"].as_str().unwrap().contains("catalog.yaml"),
        "{error}"
    );
    assert_eq!(error["content_hash"], first.as_str());
    assert_eq!(content_hash(&server), first);
    assert_eq!(
        metric(&server, r#"dossier_rule_reloads_total{result="error"}"#),
        Some(1.0)
    );
    let list = client().get(server.url("/v1/operations")).send().unwrap();
    assert_eq!(list.status(), StatusCode::OK, "still serving");

    // Fixed and changed: the new set is in use.
    std::fs::write(&catalog, format!("{original}\n# reviewed\n")).unwrap();
    server.signal(libc::SIGHUP);
    wait_for_metric(&server, r#"dossier_rule_reloads_total{result="ok"}"#, 1.0);
    let second = content_hash(&server);
    assert_ne!(second, first);
    assert_eq!(
        server.wait_for_log("rule set reloaded")["content_hash"],
        second.as_str()
    );
}

#[test]
fn sigterm_finishes_every_accepted_request_and_exits_0() {
    let mut server = Server::start(&["--max-in-flight", "8"]);
    let body = b"PK\x05\x06".repeat(16);
    // Four uploads accepted and half sent when the signal comes.
    let mut uploads: Vec<Raw> = (0..4)
        .map(|_| {
            let mut raw = Raw::connect(&server);
            raw.send(&Raw::upload_head(
                "/v1/check",
                "application/zip",
                body.len(),
            ))
            .unwrap();
            raw.send(&body[..8]).unwrap();
            raw
        })
        .collect();
    wait_for_metric(&server, "dossier_http_requests_in_flight", 5.0);
    server.signal(libc::SIGTERM);
    server.wait_for_log("stopping: no new connections; finishing requests in flight");
    assert!(
        std::net::TcpStream::connect(&server.address).is_err(),
        "no new connections after SIGTERM"
    );
    for raw in &mut uploads {
        raw.send(&body[8..]).unwrap();
    }
    for raw in &mut uploads {
        let response = raw.response();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("dossier-verdict: fail"), "{response}");
        assert!(
            response.contains("\"format\": \"dossier.report/v1\""),
            "{response}"
        );
    }
    let status = server.wait();
    assert_eq!(status.code(), Some(0));
    server.wait_for_log("stopped");
}
