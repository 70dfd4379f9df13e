//! The HTML report for a reviewer: one self-contained page (inline CSS, no
//! scripts, no external assets) that works offline and prints well. A batch
//! is one page with a section per bundle. Every text is HTML-escaped.

use std::fmt::Write;

use super::markup::escape;
use super::materials::material_statuses;
use super::outline::{self, Kind};
use super::words::Words;
use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{Finding, Report, Severity, Verdict};

const STYLE: &str = include_str!("html.css");

/// Reports as one HTML document.
pub fn html(reports: &[Report], options: &RenderOptions) -> String {
    let reports = &*Redaction::of(options, Format::Html).reports(reports);
    let words = Words::of(options.lang);
    let lang = match options.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let title = match reports {
        [report] => format!(
            "{} — {} — {}",
            words.verdict_word(report.verdict_at(options.fail_on)),
            report.bundle,
            words.report
        ),
        _ => words.reports.to_string(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"{lang}\">");
    let _ = writeln!(out, "<head>");
    let _ = writeln!(out, "<meta charset=\"utf-8\"/>");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
    );
    let _ = writeln!(out, "<meta name=\"generator\" content=\"dossier\"/>");
    // Nothing is ever fetched: the page must read the same offline and in an archive.
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>"
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let _ = writeln!(out, "<style>\n{STYLE}</style>");
    let _ = writeln!(out, "</head>");
    let _ = writeln!(out, "<body>");
    if reports.len() != 1 {
        overview(&mut out, reports, options, words);
    }
    for (index, report) in reports.iter().enumerate() {
        section(&mut out, index, report, options, words);
    }
    if !options.show_personal_data {
        let _ = writeln!(out, "<footer>{}</footer>", escape(words.masked));
    }
    let _ = writeln!(out, "</body>");
    let _ = writeln!(out, "</html>");
    out
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
    }
}

fn overview(out: &mut String, reports: &[Report], options: &RenderOptions, words: &Words) {
    let _ = writeln!(out, "<header class=\"overview\">");
    let _ = writeln!(out, "<h1>{}</h1>", escape(words.reports));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        escape(words.bundle),
        escape(words.operation),
        escape(words.verdict),
        escape(words.findings)
    );
    for (index, report) in reports.iter().enumerate() {
        let verdict = report.verdict_at(options.fail_on);
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#report-{}\">{}</a></td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            index + 1,
            escape(&report.bundle),
            escape(report.operation.as_deref().unwrap_or("—")),
            verdict_class(verdict),
            escape(words.verdict_word(verdict)),
            escape(&words.counts(report.counts()))
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</header>");
}

fn section(
    out: &mut String,
    index: usize,
    report: &Report,
    options: &RenderOptions,
    words: &Words,
) {
    let verdict = report.verdict_at(options.fail_on);
    let _ = writeln!(
        out,
        "<section class=\"report\" id=\"report-{}\">",
        index + 1
    );
    banner(out, index, report, options, words, verdict);
    if let Some(window) = &report.review_window {
        let _ = writeln!(
            out,
            "<p class=\"window\"><strong>{}:</strong> {}</p>",
            escape(words.review_window),
            escape(&words.window(window))
        );
    }
    materials(out, report, options, words);
    let mut findings: Vec<&Finding> = Vec::new();
    for kind in Kind::ALL {
        findings.extend(outline::of_kind(report, kind));
    }
    for (holder, members) in outline::by_party(report, &findings) {
        let label = holder.map_or(words.whole_bundle.to_string(), |h| report.party_label(h));
        let failing = members
            .iter()
            .filter(|f| Kind::of(f) == Kind::Failure)
            .count();
        let class = if failing > 0 {
            "party failing"
        } else {
            "party"
        };
        let _ = writeln!(out, "<section class=\"{class}\">");
        let _ = writeln!(out, "<h2>{}</h2>", escape(&label));
        for finding in members {
            let finding_index = report
                .findings
                .iter()
                .position(|f| std::ptr::eq(f, finding))
                .unwrap_or(0);
            let id = anchor(index, finding_index);
            finding_article(out, &id, finding, options, words);
        }
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "</section>");
}

fn banner(
    out: &mut String,
    index: usize,
    report: &Report,
    options: &RenderOptions,
    words: &Words,
    verdict: Verdict,
) {
    let mark = match verdict {
        Verdict::Pass => "✓",
        Verdict::Fail => "✗",
    };
    let _ = writeln!(out, "<header class=\"banner {}\">", verdict_class(verdict));
    let _ = writeln!(
        out,
        "<h1><span class=\"verdict\">{mark} {}</span> {}</h1>",
        escape(words.verdict_word(verdict)),
        escape(
            &report
                .operation_title
                .as_ref()
                .map_or(words.report.to_string(), |t| t
                    .get(options.lang)
                    .to_string())
        )
    );
    let _ = writeln!(out, "<dl>");
    let mut fact = |term: &str, value: &str| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(value));
    };
    fact(words.bundle, &report.bundle);
    if let Some(manifest) = &report.manifest {
        fact(words.manifest, manifest);
    }
    if let Some(operation) = &report.operation {
        fact(words.operation, operation);
    }
    if let Some(day) = report.judged_on {
        fact(words.judged_on, &day.to_string());
    }
    fact(words.findings, &words.counts(report.counts()));
    let _ = writeln!(out, "</dl>");
    if let Some(line) = report.rules_line(options.lang) {
        let _ = writeln!(out, "<p class=\"rules\">{}</p>", escape(&line));
    }
    if options.fail_on == Severity::Warning {
        let _ = writeln!(out, "<p>{}</p>", escape(words.fail_on_warning));
    }
    let to_fix: Vec<(usize, &Finding)> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.fails_at(options.fail_on))
        .collect();
    if !to_fix.is_empty() {
        let _ = writeln!(out, "<ol class=\"to-fix\">");
        for (finding_index, finding) in to_fix {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\"><code>{}</code></a> {}</li>",
                anchor(index, finding_index),
                escape(&finding.rule),
                escape(&outline::message(finding, options))
            );
        }
        let _ = writeln!(out, "</ol>");
    }
    let _ = writeln!(out, "</header>");
}

fn materials(out: &mut String, report: &Report, options: &RenderOptions, words: &Words) {
    let statuses = material_statuses(report, options);
    if statuses.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section class=\"materials\">");
    let _ = writeln!(out, "<h2>{}</h2>", escape(words.materials));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        escape(words.party),
        escape(words.material),
        escape(words.status),
        escape(words.rule)
    );
    for status in statuses {
        let holder = status
            .holder
            .map_or(words.whole_bundle.to_string(), |h| report.party_label(h));
        let (mark, standing) = match status.standing {
            super::Standing::Failed => ("✗", words.material_failed),
            super::Standing::Warned => ("!", words.material_warned),
            super::Standing::Waived => ("≈", words.material_waived),
            super::Standing::Passed => ("✓", words.material_passed),
            super::Standing::NotJudged => ("–", words.material_not_judged),
        };
        let document = status
            .document
            .as_deref()
            .map(|d| format!(" <code>{}</code>", escape(d)))
            .unwrap_or_default();
        let rules: Vec<String> = status
            .rules
            .iter()
            .map(|r| format!("<code>{}</code>", escape(r)))
            .collect();
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{}</td><td>{}{document}</td><td>{mark} {}</td><td>{}</td></tr>",
            status.standing.name(),
            escape(&holder),
            escape(&status.title),
            escape(standing),
            rules.join(" ")
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
}

/// Where a finding points, without the manifest path the banner already shows.
fn place(finding: &Finding, words: &Words) -> Option<String> {
    match (&finding.path, finding.line) {
        (Some(path), Some(line)) => Some(format!("{path} ({})", words.line(line))),
        (Some(path), None) => Some(path.clone()),
        (None, Some(line)) => Some(words.line(line)),
        (None, None) => None,
    }
}

/// The anchor of a finding, for the banner's list of what to fix.
fn anchor(report_index: usize, finding_index: usize) -> String {
    format!("r{}-f{}", report_index + 1, finding_index + 1)
}

fn finding_article(
    out: &mut String,
    id: &str,
    finding: &Finding,
    options: &RenderOptions,
    words: &Words,
) {
    let kind = Kind::of(finding);
    let (mark, label) = match kind {
        Kind::Failure => ("✗", words.fail),
        Kind::Warning => ("!", words.warning),
        Kind::Waived => ("≈", words.waiver),
        Kind::Note => ("i", words.note),
        Kind::Passed => ("✓", words.pass),
        Kind::Skipped => ("–", words.skipped),
    };
    let failing = finding.fails_at(options.fail_on);
    let class = if failing && kind == Kind::Warning {
        "finding warning failing"
    } else {
        match kind {
            Kind::Failure => "finding failure",
            Kind::Warning => "finding warning",
            Kind::Waived => "finding waived",
            Kind::Note => "finding note",
            Kind::Passed => "finding passed",
            Kind::Skipped => "finding skipped",
        }
    };
    let _ = writeln!(out, "<article class=\"{class}\" id=\"{id}\">");
    let rule_error = if finding.rule_error {
        format!(
            " <span class=\"rule-error\">{}</span>",
            escape(words.rule_error)
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<p class=\"message\"><span class=\"mark\" title=\"{}\">{mark}</span> <code>{}</code>{rule_error} {}</p>",
        escape(label),
        escape(&finding.rule),
        escape(&outline::message(finding, options))
    );
    let detailed = matches!(kind, Kind::Failure | Kind::Warning | Kind::Waived);
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(fix) = outline::fix(finding, options) {
        facts.push((words.fix, fix));
    }
    if let Some(waiver) = outline::waiver(finding, options) {
        facts.push((words.waiver, waiver));
    }
    if let Some(place) = place(finding, words) {
        facts.push((words.at, place));
    }
    if detailed {
        if let Some(basis) = &finding.basis {
            facts.push((words.basis, basis.clone()));
        }
        if let Some(source) = outline::rule_source(finding) {
            facts.push((words.rule_source, source));
        }
    }
    // Failures and warnings show their evidence as a table; passes in one line.
    let values = if detailed {
        outline::values(finding, options)
    } else {
        if let Some(line) = outline::values_line(finding, options) {
            facts.push((words.values, line));
        }
        Vec::new()
    };
    if facts.is_empty() && values.is_empty() {
        let _ = writeln!(out, "</article>");
        return;
    }
    let _ = writeln!(out, "<dl>");
    for (term, value) in facts {
        let class = if term == words.fix {
            " class=\"fix\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd{class}>{}</dd>",
            escape(term),
            escape(&value)
        );
    }
    if !values.is_empty() {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd><table class=\"values\">",
            escape(words.values)
        );
        for (name, value) in values {
            let _ = writeln!(
                out,
                "<tr><th><code>{}</code></th><td>{}</td></tr>",
                escape(&name),
                escape(&value)
            );
        }
        let _ = writeln!(out, "</table></dd>");
    }
    let _ = writeln!(out, "</dl>\n</article>");
}
