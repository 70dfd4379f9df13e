//! `/metrics`: the service's counters in the OpenMetrics text format, kept
//! with the `prometheus-client` crate (the Prometheus project's own Rust
//! client) so the exposition format is right by construction.
//!
//! Labels are bounded sets: route templates (never raw paths), status codes,
//! verdicts and the rule ids of the loaded rule set. Nothing from a bundle.

use std::sync::Mutex;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::AppState;
use std::sync::Arc;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerdictLabels {
    verdict: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RuleLabels {
    rule: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    result: &'static str,
}

/// Latency buckets: 1 ms to about 33 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// Every metric the service exports.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    in_flight: Gauge,
    bundles: Family<VerdictLabels, Counter>,
    rule_failures: Family<RuleLabels, Counter>,
    reloads: Family<ReloadLabels, Counter>,
    /// Encoding walks the registry; one scrape at a time.
    encoding: Mutex<()>,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("dossier");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let in_flight = Gauge::default();
        let bundles = Family::<VerdictLabels, Counter>::default();
        let rule_failures = Family::<RuleLabels, Counter>::default();
        let reloads = Family::<ReloadLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response, by route template",
            latency.clone(),
        );
        registry.register(
            "http_requests_in_flight",
            "Requests being handled now",
            in_flight.clone(),
        );
        registry.register(
            "bundles_checked",
            "Bundles judged, by verdict",
            bundles.clone(),
        );
        registry.register(
            "rule_failures",
            "Failing findings in judged bundles, by rule id",
            rule_failures.clone(),
        );
        registry.register(
            "rule_reloads",
            "Rule set reloads on SIGHUP, by result (ok, error)",
            reloads.clone(),
        );
        // Zero, not absent, before the first bundle or reload: a rate over
        // a series that appears late misses its first increment.
        for verdict in ["pass", "fail"] {
            let _ = bundles.get_or_create(&VerdictLabels { verdict });
        }
        for result in ["ok", "error"] {
            let _ = reloads.get_or_create(&ReloadLabels { result });
        }
        Metrics {
            registry,
            requests,
            latency,
            in_flight,
            bundles,
            rule_failures,
            reloads,
            encoding: Mutex::new(()),
        }
    }

    /// Counts a request as in flight until the guard is dropped, however
    /// the request ends (answered, timed out, client gone).
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(self.in_flight.clone())
    }

    pub fn record_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_string(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(seconds);
    }

    /// A judged bundle: its verdict and each rule that failed in it.
    pub fn record_bundle<'a>(&self, passed: bool, failing_rules: impl Iterator<Item = &'a str>) {
        let verdict = if passed { "pass" } else { "fail" };
        self.bundles.get_or_create(&VerdictLabels { verdict }).inc();
        for rule in failing_rules {
            self.rule_failures
                .get_or_create(&RuleLabels {
                    rule: rule.to_string(),
                })
                .inc();
        }
    }

    pub fn record_reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "error" };
        self.reloads.get_or_create(&ReloadLabels { result }).inc();
    }

    /// The text exposition format.
    pub fn encode(&self) -> String {
        let _one_at_a_time = self.encoding.lock();
        let mut text = String::new();
        if encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}

/// Decrements the in-flight gauge when dropped.
pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// What `encode` writes is OpenMetrics text (counter families named
/// without `_total`, `# EOF` at the end); labelled as Prometheus 0.0.4 text
/// a parser would take the counters for untyped series.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// `GET /metrics`.
pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let mut response = state.metrics.encode().into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_every_family() {
        let metrics = Metrics::new();
        metrics.record_request("/v1/check", "POST", 200, 0.01);
        metrics.record_bundle(false, ["employee.age"].into_iter());
        metrics.record_reload(true);
        let guard = metrics.in_flight();
        let text = metrics.encode();
        drop(guard);
        for expected in [
            "dossier_http_requests_total{route=\"/v1/check\",method=\"POST\",status=\"200\"} 1",
            "dossier_http_request_duration_seconds_bucket{le=\"0.016\",route=\"/v1/check\"} 1",
            "dossier_http_requests_in_flight 1",
            "dossier_bundles_checked_total{verdict=\"fail\"} 1",
            "dossier_rule_failures_total{rule=\"employee.age\"} 1",
            "dossier_rule_reloads_total{result=\"ok\"} 1",
        ] {
            assert!(text.contains(expected), "missing {expected} in\n{text}");
        }
        assert!(
            metrics
                .encode()
                .contains("dossier_http_requests_in_flight 0")
        );
    }
}
