//! JSON reports, `dossier.report/v1` (spec §4): lossless, stable key order,
//! personal numbers masked unless asked.
//!
//! Reports are serialised from borrowed views straight into text: building
//! a `serde_json::Value` tree first cost more than judging the bundle.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

use super::{Format, Redaction, RenderOptions};
use crate::report::{
    Counts, Finding, Message, Report, ReviewWindow, RuleOrigin, Severity, Status, Verdict,
    WaiverNote,
};

/// The format tag of every JSON report.
pub const REPORT_FORMAT: &str = "dossier.report/v1";

#[derive(Serialize)]
struct ReportView<'a> {
    format: &'static str,
    /// The version of dossier that wrote the report.
    dossier_version: &'static str,
    bundle: &'a str,
    operation: Option<&'a str>,
    operation_title: Option<&'a str>,
    operation_version: Option<&'a str>,
    rules_sha256: Option<&'a str>,
    judged_on: Option<chrono::NaiveDate>,
    verdict: Verdict,
    counts: Counts,
    review_window: Option<&'a ReviewWindow>,
    findings: Vec<FindingView<'a>>,
}

#[derive(Serialize)]
struct FindingView<'a> {
    rule: &'a str,
    status: Status,
    severity: Severity,
    message: String,
    hint: Option<String>,
    basis: Option<&'a str>,
    holder: Option<&'a str>,
    material: Option<&'a str>,
    path: Option<&'a str>,
    line: Option<usize>,
    values: Values<'a>,
    rule_source: Option<&'a RuleOrigin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a WaiverNote>,
    #[serde(skip_serializing_if = "is_false")]
    rule_error: bool,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

/// The values a finding judged, as its message shows them (masked unless asked).
struct Values<'a> {
    message: &'a Message,
    options: &'a RenderOptions,
}

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.message.arguments.len()))?;
        for argument in &self.message.arguments {
            map.serialize_entry(
                &argument.name,
                &argument.display(self.options.lang, self.options.show_personal_data),
            )?;
        }
        map.end()
    }
}

fn view<'a>(report: &'a Report, options: &'a RenderOptions) -> ReportView<'a> {
    let text = |message: &Message| message.render(options.lang, options.show_personal_data);
    ReportView {
        format: REPORT_FORMAT,
        dossier_version: env!("CARGO_PKG_VERSION"),
        bundle: &report.bundle,
        operation: report.operation.as_deref(),
        operation_title: report.operation_title.as_ref().map(|t| t.get(options.lang)),
        operation_version: report.operation_version.as_deref(),
        rules_sha256: report.rules_digest.as_deref(),
        judged_on: report.judged_on,
        verdict: report.verdict_at(options.fail_on),
        counts: report.counts(),
        review_window: report.review_window.as_ref(),
        findings: report
            .findings
            .iter()
            .map(|finding: &'a Finding| FindingView {
                rule: &finding.rule,
                status: finding.status,
                severity: finding.severity,
                message: text(&finding.message),
                hint: finding.hint.as_ref().map(text),
                basis: finding.basis_in(options.lang),
                holder: finding.holder.as_deref(),
                material: finding.material.as_deref(),
                path: finding.path.as_deref(),
                line: finding.line,
                values: Values {
                    message: &finding.message,
                    options,
                },
                rule_source: finding.origin.as_ref(),
                waiver: finding.waiver.as_ref(),
                rule_error: finding.rule_error,
            })
            .collect(),
    }
}

fn redacted<'a>(report: &'a Report, options: &RenderOptions) -> std::borrow::Cow<'a, Report> {
    Redaction::of(options, Format::Json).report(report)
}

/// One report as compact JSON text (one line: JSON Lines).
pub fn report_json(report: &Report, options: &RenderOptions) -> String {
    let report = redacted(report, options);
    serde_json::to_string(&view(&report, options)).unwrap_or_default()
}

/// One report as indented JSON text.
pub fn report_json_pretty(report: &Report, options: &RenderOptions) -> String {
    let report = redacted(report, options);
    serde_json::to_string_pretty(&view(&report, options)).unwrap_or_default()
}

/// Several reports as an indented JSON array, in input order: serialised
/// in one pass from the views, with no `serde_json::Value` tree in between
/// (keys keep their order either way, so the text is the same).
pub fn reports_json_pretty(reports: &[Report], options: &RenderOptions) -> String {
    let redacted: Vec<_> = reports.iter().map(|r| redacted(r, options)).collect();
    let views: Vec<ReportView<'_>> = redacted.iter().map(|r| view(r, options)).collect();
    serde_json::to_string_pretty(&views).unwrap_or_default()
}

/// One report as a JSON value (for tests and consumers that inspect it).
pub fn report_value(report: &Report, options: &RenderOptions) -> Value {
    let report = redacted(report, options);
    serde_json::to_value(view(&report, options)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::CheckOptions;
    use crate::lang::Lang;
    use crate::rules::RuleSet;

    /// Several reports as a `Value` array: the slow, obvious way the
    /// one-pass writer must agree with.
    fn reports_value(reports: &[Report], options: &RenderOptions) -> Value {
        Value::Array(reports.iter().map(|r| report_value(r, options)).collect())
    }

    /// The one-pass array is the text the `Value` tree gave, for every
    /// fixture at once (one array) and in both languages.
    #[test]
    fn the_one_pass_array_is_the_value_trees_text() {
        let rules = RuleSet::embedded().unwrap();
        let mut reports = Vec::new();
        for operation in std::fs::read_dir("fixtures").unwrap() {
            for case in std::fs::read_dir(operation.unwrap().path()).unwrap() {
                let case = case.unwrap().path();
                if case.join("expect.yaml").exists() {
                    reports.push(rules.check_path(&case, &CheckOptions::default()));
                }
            }
        }
        assert!(reports.len() > 50);
        for lang in [Lang::Zh, Lang::En] {
            let options = RenderOptions::in_language(lang);
            let through_value =
                serde_json::to_string_pretty(&reports_value(&reports, &options)).unwrap();
            assert_eq!(reports_json_pretty(&reports, &options), through_value);
        }
    }
}
