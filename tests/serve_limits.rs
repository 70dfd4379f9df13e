//! The service's bounds hold against clients that push them: bodies over
//! the limit, too many requests at once, slow and vanishing clients,
//! malformed forms. Each answer is quick and a problem body, and the
//! service goes on serving.

mod serve_support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serve_support::{Raw, Server, client, metric, wait_for_metric};

const IN_FLIGHT: &str = "dossier_http_requests_in_flight";

#[test]
fn a_declared_length_over_the_limit_is_refused_before_the_body() {
    let server = Server::start(&["--max-body", "1MiB"]);
    let mut raw = Raw::connect(&server);
    raw.send(&Raw::upload_head("/v1/check", "application/zip", 1 << 30))
        .unwrap();
    raw.send(&[b'P'; 1024]).unwrap();
    let started = Instant::now();
    let response = raw.response();
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("application/problem+json"), "{response}");
    assert!(response.contains("1048576 bytes"), "{response}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered at once"
    );
}

#[test]
fn a_chunked_body_is_cut_off_at_the_limit() {
    let server = Server::start(&["--max-body", "64KiB"]);
    let mut raw = Raw::connect(&server);
    raw.send(
        b"POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/zip\r\n\
          Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
    // Five 16 KiB chunks pass 64 KiB; the service stops reading there, so
    // the rest may never be accepted by the socket.
    for _ in 0..5 {
        if raw.send(chunk.as_bytes()).is_err() {
            break;
        }
    }
    let response = raw.response();
    assert!(
        response.is_empty() || response.starts_with("HTTP/1.1 413"),
        "{response}"
    );
    let series = r#"dossier_http_requests_total{route="/v1/check",method="POST",status="413"}"#;
    wait_for_metric(&server, series, 1.0);
}

#[test]
fn above_max_in_flight_requests_get_503_at_once() {
    let server = Server::start(&["--max-in-flight", "2"]);
    // Two uploads that never finish hold both places.
    let mut held: Vec<Raw> = (0..2)
        .map(|_| {
            let mut raw = Raw::connect(&server);
            raw.send(&Raw::upload_head("/v1/check", "application/zip", 1000))
                .unwrap();
            raw.send(b"PK").unwrap();
            raw
        })
        .collect();
    wait_for_metric(&server, IN_FLIGHT, 3.0);
    let http = client();
    for _ in 0..3 {
        let started = Instant::now();
        let response = http.get(server.url("/v1/operations")).send().unwrap();
        assert!(started.elapsed() < Duration::from_secs(5), "not queued");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[RETRY_AFTER], "1");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    }
    // Probes are never shed.
    let health = http.get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    held.clear();
    wait_for_metric(&server, IN_FLIGHT, 1.0);
    let after = http.get(server.url("/v1/operations")).send().unwrap();
    assert_eq!(after.status(), StatusCode::OK);
}

#[test]
fn a_client_trickling_headers_is_disconnected() {
    let server = Server::start(&["--header-timeout", "1"]);
    let mut raw = Raw::connect(&server);
    raw.stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    raw.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .unwrap();
    let started = Instant::now();
    let closed = loop {
        if started.elapsed() > Duration::from_secs(10) {
            break false;
        }
        if raw.send(b"a").is_err() {
            break true;
        }
        let mut buffer = [0u8; 256];
        match std::io::Read::read(&mut raw.stream, &mut buffer) {
            // Closed, or an answer (408) before closing: either ends it.
            Ok(_) => break true,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break true,
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(closed, "a trickling client is cut off");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let health = client().get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[test]
fn a_body_sent_too_slowly_gets_408() {
    let server = Server::start(&["--request-timeout", "1"]);
    let mut raw = Raw::connect(&server);
    raw.send(&Raw::upload_head("/v1/check", "application/zip", 1000))
        .unwrap();
    raw.send(b"PK").unwrap();
    let started = Instant::now();
    let response = raw.response();
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("application/problem+json"), "{response}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_client_vanishing_mid_upload_frees_its_place() {
    let server = Server::start(&["--max-in-flight", "1"]);
    {
        let mut raw = Raw::connect(&server);
        raw.send(&Raw::upload_head("/v1/check", "application/zip", 100_000))
            .unwrap();
        raw.send(&[b'P'; 1000]).unwrap();
        wait_for_metric(&server, IN_FLIGHT, 2.0);
    }
    wait_for_metric(&server, IN_FLIGHT, 1.0);
    let after = client().get(server.url("/v1/operations")).send().unwrap();
    assert_eq!(after.status(), StatusCode::OK, "the place is free again");
    assert_eq!(
        metric(
            &server,
            r#"dossier_http_requests_total{route="/v1/check",method="POST",status="400"}"#
        ),
        Some(1.0),
        "the cut-off upload is answered (and logged) as unreadable"
    );
}

#[test]
fn malformed_multipart_is_400() {
    let server = Server::start(&[]);
    let http = client();
    for (content_type, body) in [
        ("multipart/form-data", "--x\r\n"),
        (
            "multipart/form-data; boundary=XyZ",
            "--XyZ\r\nContent-Disposition: form-data; name=\"manifest\"\r\n\r\nformat: x",
        ),
        ("multipart/form-data; boundary=XyZ", "no parts at all"),
    ] {
        let response = http
            .post(server.url("/v1/check"))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{content_type} {body:?}"
        );
        assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    }
}
