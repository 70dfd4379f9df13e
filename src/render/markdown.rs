//! Markdown reports, for tickets and chat: a summary table, then the
//! findings — failures first with their fix — then the materials and what
//! passed. Tables stay well-formed whatever a message holds: `|` and line
//! breaks in cells are escaped.

use std::fmt::Write;

use super::materials::{Standing, material_statuses};
use super::outline::{self, Kind};
use super::words::Words;
use super::{Format, Redaction, RenderOptions};
use crate::report::{Finding, Report, Severity, Verdict};

/// Several reports as one Markdown document: an overview table when there
/// is more than one, then each report.
pub fn markdown(reports: &[Report], options: &RenderOptions) -> String {
    let reports = &*Redaction::of(options, Format::Markdown).reports(reports);
    let words = Words::of(options.lang);
    let mut out = String::new();
    if reports.len() != 1 {
        let _ = writeln!(out, "# {}\n", words.reports);
        table_head(
            &mut out,
            &[words.bundle, words.operation, words.verdict, words.findings],
        );
        for report in reports {
            let operation = report.operation.as_deref().unwrap_or("—");
            row(
                &mut out,
                &[
                    &code(&report.bundle),
                    &code(operation),
                    &verdict(report, options, words),
                    &words.counts(report.counts()),
                ],
            );
        }
        out.push('\n');
    }
    for (index, report) in reports.iter().enumerate() {
        if index > 0 {
            out.push_str("\n---\n\n");
        }
        one(
            &mut out,
            report,
            options,
            words,
            if reports.len() == 1 { 1 } else { 2 },
        );
    }
    out
}

fn verdict(report: &Report, options: &RenderOptions, words: &Words) -> String {
    match report.verdict_at(options.fail_on) {
        Verdict::Pass => format!("✅ **{}**", words.pass),
        Verdict::Fail => format!("❌ **{}**", words.fail),
    }
}

fn one(out: &mut String, report: &Report, options: &RenderOptions, words: &Words, level: usize) {
    let heading = "#".repeat(level);
    let title = match (&report.operation_title, &report.operation) {
        (Some(title), _) => title.get(options.lang).to_string(),
        (None, Some(operation)) => operation.clone(),
        (None, None) => words.report.to_string(),
    };
    let _ = writeln!(
        out,
        "{heading} {} — {}\n",
        verdict(report, options, words),
        cell(&title)
    );
    table_head(out, &["", ""]);
    row(out, &[words.bundle, &code(&report.bundle)]);
    if let Some(operation) = &report.operation {
        row(out, &[words.operation, &code(operation)]);
    }
    if let Some(day) = report.judged_on {
        row(out, &[words.judged_on, &day.to_string()]);
    }
    row(out, &[words.verdict, &verdict(report, options, words)]);
    row(out, &[words.findings, &words.counts(report.counts())]);
    if let Some(window) = &report.review_window {
        row(out, &[words.review_window, &cell(&words.window(window))]);
    }
    out.push('\n');
    if let Some(line) = report.rules_line(options.lang) {
        let _ = writeln!(out, "<sub>{}</sub>\n", cell(&line));
    }
    if options.fail_on == Severity::Warning {
        let _ = writeln!(out, "{}\n", words.fail_on_warning);
    }

    let sub = "#".repeat(level + 1);
    for (kind, title) in [
        (Kind::Failure, words.failures),
        (Kind::Warning, words.warnings),
        (Kind::Waived, words.waived),
    ] {
        let findings = outline::of_kind(report, kind);
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{sub} {title} ({})\n", findings.len());
        table_head(
            out,
            &[words.rule, words.party, words.finding, words.fix, words.at],
        );
        for finding in findings {
            let mut rule = code(&finding.rule);
            if finding.rule_error {
                rule.push_str(&format!(" ({})", words.rule_error));
            }
            let mut fix = outline::fix(finding, options).unwrap_or_default();
            if let Some(waiver) = outline::waiver(finding, options) {
                fix = format!("{}: {waiver}", words.waiver);
            }
            if let Some(basis) = &finding.basis {
                fix.push_str(&format!("\n{}: {basis}", words.basis));
            }
            row(
                out,
                &[
                    &rule,
                    &cell(&party(report, finding, words)),
                    &cell(&outline::message(finding, options)),
                    &cell(&fix),
                    &where_(report, finding),
                ],
            );
        }
        out.push('\n');
    }
    let notes = outline::of_kind(report, Kind::Note);
    if !notes.is_empty() {
        let _ = writeln!(out, "{sub} {}\n", words.notes);
        for finding in notes {
            let _ = writeln!(out, "- {}", cell(&outline::message(finding, options)));
        }
        out.push('\n');
    }
    materials(out, report, options, words, &sub);
    for (kind, title) in [(Kind::Passed, words.passed), (Kind::Skipped, words.skipped)] {
        let findings = outline::of_kind(report, kind);
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<details><summary>{title} ({})</summary>\n",
            findings.len()
        );
        table_head(out, &[words.rule, words.party, words.finding, words.values]);
        for finding in findings {
            row(
                out,
                &[
                    &code(&finding.rule),
                    &cell(&party(report, finding, words)),
                    &cell(&outline::message(finding, options)),
                    &cell(&outline::values_line(finding, options).unwrap_or_default()),
                ],
            );
        }
        out.push_str("\n</details>\n\n");
    }
    if !options.show_personal_data {
        let _ = writeln!(out, "_{}_", words.masked);
    }
}

fn materials(out: &mut String, report: &Report, options: &RenderOptions, words: &Words, sub: &str) {
    let statuses = material_statuses(report, options);
    if statuses.is_empty() {
        return;
    }
    let _ = writeln!(out, "{sub} {}\n", words.materials);
    table_head(
        out,
        &[words.party, words.material, words.status, words.rule],
    );
    for status in statuses {
        let holder = status
            .holder
            .map_or(words.whole_bundle.to_string(), |h| report.party_label(h));
        let standing = match status.standing {
            Standing::Failed => format!("❌ {}", words.material_failed),
            Standing::Warned => format!("⚠️ {}", words.material_warned),
            Standing::Waived => format!("☑️ {}", words.material_waived),
            Standing::Passed => format!("✅ {}", words.material_passed),
            Standing::NotJudged => format!("— {}", words.material_not_judged),
        };
        let mut material = cell(&status.title);
        if let Some(document) = &status.document {
            material.push_str(&format!(" {}", code(document)));
        }
        let rules: Vec<String> = status.rules.iter().map(|r| code(r)).collect();
        row(
            out,
            &[&cell(&holder), &material, &standing, &rules.join(", ")],
        );
    }
    out.push('\n');
}

fn party(report: &Report, finding: &Finding, words: &Words) -> String {
    finding
        .holder
        .as_deref()
        .map_or(words.whole_bundle.to_string(), |h| report.party_label(h))
}

fn where_(report: &Report, finding: &Finding) -> String {
    let mut parts = Vec::new();
    match (&report.manifest, finding.line) {
        (Some(manifest), Some(line)) => parts.push(code(&format!("{manifest}:{line}"))),
        (Some(manifest), None) if finding.path.is_some() => parts.push(code(manifest)),
        _ => {}
    }
    if let Some(path) = &finding.path {
        parts.push(code(path));
    }
    parts.join(" ")
}

fn table_head(out: &mut String, headers: &[&str]) {
    let cells: Vec<String> = headers.iter().map(|h| cell(h)).collect();
    let _ = writeln!(out, "| {} |", cells.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
}

/// One table row of cells already escaped with [`cell`] or [`code`].
fn row(out: &mut String, cells: &[&str]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

/// Text for a table cell: pipes escaped, line breaks as `<br>`, HTML tags inert.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
        .replace(|c: char| c.is_control(), "\u{FFFD}")
}

/// A code span that is also a valid table cell: backticks inside are fenced
/// by a longer run, pipes escaped (GFM tables split on them even in code),
/// line breaks flattened.
fn code(text: &str) -> String {
    let flat = text.replace(['\r', '\n'], " ").replace('|', "\\|");
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        assert_eq!(cell("a|b\nc<d>"), "a\\|b<br>c&lt;d&gt;");
        assert_eq!(code("p|q"), "`p\\|q`");
        assert_eq!(code("a`b"), "``a`b``");
    }
}
