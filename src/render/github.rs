//! GitHub Actions workflow commands: one annotation per failing finding
//! (`::error` for errors, `::warning` for warnings, `::notice` for info
//! findings such as the review window), on the manifest line it concerns,
//! and one plain summary line per bundle. Escaped per the workflow-command
//! rules: `%`, CR and LF in the message; also `:` and `,` in properties.

use std::fmt::Write;

use super::outline;
use super::words::Words;
use super::{Format, Redaction, RenderOptions};
use crate::report::{Finding, Report, Severity, Status};

/// Escapes a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(finding: &Finding) -> Option<&'static str> {
    match (finding.status, finding.severity) {
        (Status::Fail, Severity::Error) => Some("error"),
        (Status::Fail, Severity::Warning) => Some("warning"),
        (Status::Fail | Status::Pass, Severity::Info) => Some("notice"),
        _ => None,
    }
}

fn annotation(
    report: &Report,
    finding: &Finding,
    options: &RenderOptions,
    words: &Words,
) -> Option<String> {
    let command = command(finding)?;
    let mut properties = Vec::new();
    if let Some(manifest) = &report.manifest {
        properties.push(format!("file={}", escape_property(manifest)));
        if let Some(line) = finding.line {
            properties.push(format!("line={line}"));
        }
    }
    let mut title = outline::subject(finding);
    if finding.rule_error {
        title.push_str(&format!(" ({})", words.rule_error));
    }
    properties.push(format!("title={}", escape_property(&title)));
    let mut message = outline::message(finding, options);
    if let Some(fix) = outline::fix(finding, options) {
        message.push_str(&format!("\n{}: {fix}", words.fix));
    }
    if let Some(basis) = finding
        .basis
        .as_deref()
        .filter(|_| finding.status == Status::Fail)
    {
        message.push_str(&format!("\n{}: {basis}", words.basis));
    }
    if report.manifest.is_none() {
        message.push_str(&format!("\n{}: {}", words.bundle, report.bundle));
    }
    Some(format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    ))
}

/// Reports as workflow commands, one per line.
pub fn github(reports: &[Report], options: &RenderOptions) -> String {
    let reports = &*Redaction::of(options, Format::Github).reports(reports);
    let words = Words::of(options.lang);
    let mut out = String::new();
    for report in reports {
        for finding in &report.findings {
            if let Some(line) = annotation(report, finding, options, words) {
                let _ = writeln!(out, "{line}");
            }
        }
        let verdict = words.verdict_word(report.verdict_at(options.fail_on));
        let _ = writeln!(
            out,
            "dossier: {verdict} {} — {}",
            escape_data(&report.bundle),
            words.counts(report.counts())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(escape_data("100%\r\nok: a,b"), "100%25%0D%0Aok: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
