//! SARIF 2.1.0 for code-scanning tools: one run whose driver lists every
//! rule the reports evaluated once, and one result per failing finding with
//! its level from the severity, the manifest as a relative URI and line, and
//! the JSON Pointer as a logical location. A batch is one run; each result
//! names its bundle in its properties, and each bundle's verdict is in the
//! run's properties.

use serde_json::{Map, Value, json};

use super::outline;
use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{Finding, Report, Severity, Status};

/// Where the SARIF document says its schema is.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `path` as a URI reference: relative paths stay relative (so code-scanning
/// tools resolve them against the checkout), absolute ones become `file://`
/// URIs; anything outside the unreserved set is percent-encoded.
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

struct RuleEntry<'a> {
    id: &'a str,
    first: &'a Finding,
    hint: Option<&'a Finding>,
}

fn rules(reports: &[Report]) -> Vec<RuleEntry<'_>> {
    let mut entries: Vec<RuleEntry> = Vec::new();
    for finding in reports.iter().flat_map(|r| &r.findings) {
        match entries.iter_mut().find(|e| e.id == finding.rule.as_str()) {
            Some(entry) => {
                if entry.hint.is_none() && finding.hint.is_some() {
                    entry.hint = Some(finding);
                }
            }
            None => entries.push(RuleEntry {
                id: &finding.rule,
                first: finding,
                hint: finding.hint.is_some().then_some(finding),
            }),
        }
    }
    entries
}

fn rule_value(entry: &RuleEntry, options: &RenderOptions) -> Value {
    let zh = options.lang == Lang::Zh;
    let basis = entry.first.basis_in(options.lang);
    let hint = entry
        .hint
        .and_then(|f| f.hint.as_ref())
        .map(|h| h.render(options.lang, options.show_personal_data));
    let mut full = format!("{} {}", if zh { "规则" } else { "Rule" }, entry.id);
    if let Some(basis) = basis {
        full.push_str(&format!(
            "{} {basis}",
            if zh { ",依据:" } else { "; basis:" }
        ));
    }
    let help = match (&hint, basis) {
        (Some(hint), Some(basis)) => {
            format!("{hint} ({} {basis})", if zh { "依据:" } else { "basis:" })
        }
        (Some(hint), None) => hint.clone(),
        (None, _) => full.clone(),
    };
    let mut properties = Map::new();
    if let Some(basis) = basis {
        properties.insert("basis".into(), json!(basis));
    }
    if let Some(origin) = &entry.first.origin {
        properties.insert("rule_source".into(), json!(origin));
    }
    json!({
        "id": entry.id,
        "shortDescription": { "text": entry.id },
        "fullDescription": { "text": full },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(entry.first.severity) },
        "properties": properties,
    })
}

fn result_value(
    report: &Report,
    finding: &Finding,
    rule_index: usize,
    options: &RenderOptions,
) -> Value {
    let mut text = outline::message(finding, options);
    if let Some(fix) = outline::fix(finding, options) {
        text.push_str(if options.lang == Lang::Zh {
            "。修改:"
        } else {
            ". Fix: "
        });
        text.push_str(&fix);
    }
    let artifact = report.manifest.as_deref().unwrap_or(&report.bundle);
    let mut physical = json!({ "artifactLocation": { "uri": path_uri(artifact) } });
    if let Some(line) = finding.line.filter(|l| *l > 0) {
        physical["region"] = json!({ "startLine": line });
    }
    let mut location = json!({ "physicalLocation": physical });
    if let Some(path) = &finding.path {
        location["logicalLocations"] = json!([{ "fullyQualifiedName": path, "kind": "member" }]);
    }
    let values: Map<String, Value> = outline::values(finding, options)
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    let mut properties = Map::new();
    properties.insert("bundle".into(), json!(report.bundle));
    properties.insert("holder".into(), json!(finding.holder));
    properties.insert("material".into(), json!(finding.material));
    properties.insert("path".into(), json!(finding.path));
    properties.insert("basis".into(), json!(finding.basis_in(options.lang)));
    properties.insert("values".into(), Value::Object(values));
    properties.insert("rule_source".into(), json!(finding.origin));
    if finding.rule_error {
        properties.insert("rule_error".into(), json!(true));
    }
    let mut result = json!({
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": text },
        "locations": [location],
        "properties": properties,
    });
    if let Some(waiver) = &finding.waiver {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} — {} ({})", waiver.reason, waiver.approved_by, waiver.expires),
            "properties": { "source": waiver.source, "expires": waiver.expires },
        }]);
    }
    result
}

/// Reports as a SARIF 2.1.0 log (a JSON value).
pub fn sarif_value(reports: &[Report], options: &RenderOptions) -> Value {
    let reports = &*Redaction::of(options, Format::Sarif).reports(reports);
    let rules = rules(reports);
    let mut results = Vec::new();
    for report in reports {
        // Waived failures stay visible as suppressed results.
        for finding in report
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Waived))
        {
            let index = rules
                .iter()
                .position(|r| r.id == finding.rule.as_str())
                .unwrap_or(0);
            results.push(result_value(report, finding, index, options));
        }
    }
    let verdicts: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "bundle": r.bundle,
                "operation": r.operation,
                "operation_version": r.operation_version,
                "rules_sha256": r.rules_digest,
                "verdict": r.verdict_at(options.fail_on).name(),
                "counts": r.counts(),
                "review_window": r.review_window,
            })
        })
        .collect();
    let mut driver = json!({
        "name": "dossier",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules.iter().map(|r| rule_value(r, options)).collect::<Vec<_>>(),
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }
    // The rule set every report of the run was judged with.
    let mut digests: Vec<&str> = reports
        .iter()
        .filter_map(|r| r.rules_digest.as_deref())
        .collect();
    digests.dedup();
    if let [digest] = digests.as_slice() {
        driver["properties"] = json!({ "rules_sha256": digest });
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "language": match options.lang { Lang::Zh => "zh-CN", Lang::En => "en" },
            "invocations": [{
                "executionSuccessful": !reports.iter().flat_map(|r| &r.findings).any(|f| f.rule_error),
            }],
            "results": results,
            "properties": { "fail_on": options.fail_on.name(), "reports": verdicts },
        }],
    })
}

/// The project's home page from the package metadata, when it has one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

/// Reports as SARIF 2.1.0 text.
pub fn sarif(reports: &[Report], options: &RenderOptions) -> String {
    let mut text = serde_json::to_string_pretty(&sarif_value(reports, options)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            path_uri("fixtures/a b/bundle.yaml"),
            "fixtures/a%20b/bundle.yaml"
        );
        assert_eq!(
            path_uri("/tmp/包/bundle.yaml"),
            "file:///tmp/%E5%8C%85/bundle.yaml"
        );
        assert_eq!(path_uri("dir\\bundle.yaml"), "dir/bundle.yaml");
    }
}
