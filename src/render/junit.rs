//! JUnit XML for CI dashboards: a `<testsuites>` with one `<testsuite>` per
//! bundle and one `<testcase>` per finding, each named `rule [holder]
//! /pointer` so names are distinct within a suite.
//!
//! Mapping, chosen so a dashboard's red means what the exit status means:
//! - a failing finding that fails the bundle at `--fail-on` (errors by
//!   default) is a `<failure>`, its `type` the severity;
//! - a failing warning below the threshold passes, but is visible: its
//!   message is in `<system-out>` prefixed with "warning:" and the test case
//!   carries the property `severity = warning`;
//! - a rule that could not be evaluated (a rule error) is an `<error>`;
//! - a skipped finding is `<skipped message="…">`;
//! - a passed finding's reason is in `<system-out>`.

use std::fmt::Write;

use super::markup::{escape, escape_content};
use super::outline::{self, Kind};
use super::words::Words;
use super::{Format, Redaction, RenderOptions};
use crate::report::{Finding, Report, Status};

#[derive(Default)]
struct Tally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

/// What a finding is as a JUnit test case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Error,
    Failure,
    Skipped,
    Passed,
}

fn outcome(finding: &Finding, options: &RenderOptions) -> Outcome {
    if finding.rule_error {
        Outcome::Error
    } else if finding.fails_at(options.fail_on) {
        Outcome::Failure
    } else if finding.status == Status::Skip {
        Outcome::Skipped
    } else {
        Outcome::Passed
    }
}

fn tally(report: &Report, options: &RenderOptions) -> Tally {
    let mut tally = Tally::default();
    for finding in &report.findings {
        tally.tests += 1;
        match outcome(finding, options) {
            Outcome::Error => tally.errors += 1,
            Outcome::Failure => tally.failures += 1,
            Outcome::Skipped => tally.skipped += 1,
            Outcome::Passed => {}
        }
    }
    tally
}

/// Reports as one JUnit XML document.
pub fn junit(reports: &[Report], options: &RenderOptions) -> String {
    let reports = &*Redaction::of(options, Format::Junit).reports(reports);
    let words = Words::of(options.lang);
    let mut total = Tally::default();
    let tallies: Vec<Tally> = reports.iter().map(|r| tally(r, options)).collect();
    for t in &tallies {
        total.tests += t.tests;
        total.failures += t.failures;
        total.errors += t.errors;
        total.skipped += t.skipped;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"dossier\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        total.tests, total.failures, total.errors, total.skipped
    );
    for (index, (report, tally)) in reports.iter().zip(&tallies).enumerate() {
        suite(&mut out, index, report, tally, options, words);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(
    out: &mut String,
    index: usize,
    report: &Report,
    tally: &Tally,
    options: &RenderOptions,
    words: &Words,
) {
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" id=\"{index}\" package=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
        escape(&report.bundle),
        escape(report.operation.as_deref().unwrap_or("")),
        tally.tests,
        tally.failures,
        tally.errors,
        tally.skipped
    );
    out.push_str("    <properties>\n");
    let mut property = |name: &str, value: &str| {
        let _ = writeln!(
            out,
            "      <property name=\"{}\" value=\"{}\"/>",
            escape(name),
            escape(value)
        );
    };
    if let Some(operation) = &report.operation {
        property("operation", operation);
    }
    if let Some(manifest) = &report.manifest {
        property("manifest", manifest);
    }
    if let Some(day) = report.judged_on {
        property("judged_on", &day.to_string());
    }
    if let Some(version) = &report.operation_version {
        property("operation_version", version);
    }
    if let Some(digest) = &report.rules_digest {
        property("rules_sha256", digest);
    }
    property("verdict", report.verdict_at(options.fail_on).name());
    property("fail_on", options.fail_on.name());
    if let Some(window) = &report.review_window {
        property("review_window", &words.window(window));
    }
    out.push_str("    </properties>\n");
    let mut names: Vec<String> = Vec::new();
    for finding in &report.findings {
        let base = outline::subject(finding);
        let mut name = base.clone();
        let mut count = 1;
        while names.contains(&name) {
            count += 1;
            name = format!("{base} #{count}");
        }
        names.push(name.clone());
        case(out, report, finding, &name, options, words);
    }
    out.push_str("  </testsuite>\n");
}

/// The body of a failure or warning: message, fix, basis, where, values, rule.
fn details(report: &Report, finding: &Finding, options: &RenderOptions, words: &Words) -> String {
    let mut lines = vec![outline::message(finding, options)];
    if let Some(fix) = outline::fix(finding, options) {
        lines.push(format!("{}: {fix}", words.fix));
    }
    if let Some(basis) = finding.basis_in(options.lang) {
        lines.push(format!("{}: {basis}", words.basis));
    }
    if let Some(place) = outline::place(report, finding) {
        lines.push(format!("{}: {place}", words.at));
    }
    if let Some(values) = outline::values_line(finding, options) {
        lines.push(format!("{}: {values}", words.values));
    }
    if let Some(source) = outline::rule_source(finding) {
        lines.push(format!("{}: {source}", words.rule_source));
    }
    lines.join("\n")
}

fn case(
    out: &mut String,
    report: &Report,
    finding: &Finding,
    name: &str,
    options: &RenderOptions,
    words: &Words,
) {
    let mut attributes = format!(
        "name=\"{}\" classname=\"{}\"",
        escape(name),
        escape(&finding.rule)
    );
    if let Some(manifest) = &report.manifest {
        let _ = write!(attributes, " file=\"{}\"", escape(manifest));
        if let Some(line) = finding.line {
            let _ = write!(attributes, " line=\"{line}\"");
        }
    }
    let _ = writeln!(out, "    <testcase {attributes} time=\"0\">");
    let _ = writeln!(
        out,
        "      <properties><property name=\"severity\" value=\"{}\"/><property name=\"status\" value=\"{}\"/></properties>",
        finding.severity.name(),
        finding.status.name()
    );
    let message = outline::message(finding, options);
    match outcome(finding, options) {
        Outcome::Error => {
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"rule_error\">{}</error>",
                escape(&message),
                escape_content(&details(report, finding, options, words))
            );
        }
        Outcome::Failure => {
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(&message),
                finding.severity.name(),
                escape_content(&details(report, finding, options, words))
            );
        }
        Outcome::Skipped => {
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(&message));
        }
        Outcome::Passed => {
            let text = if let Some(waiver) = outline::waiver(finding, options) {
                format!(
                    "{}: {}\n{}: {waiver}",
                    words.waived,
                    outline::message(finding, options),
                    words.waiver
                )
            } else if Kind::of(finding) == Kind::Warning {
                format!(
                    "{}: {}",
                    words.warning,
                    details(report, finding, options, words)
                )
            } else {
                let mut text = message;
                if let Some(values) = outline::values_line(finding, options) {
                    text.push_str(&format!("\n{}: {values}", words.values));
                }
                text
            };
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape_content(&text)
            );
        }
    }
    out.push_str("    </testcase>\n");
}
