//! Batch renderings: the one-line text entry per bundle and the closing
//! summary, in text and as a JSON line.

use serde_json::json;

use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{BatchSummary, Report, Severity, Verdict};

/// The format tag of the summary line closing a JSON Lines batch.
pub const SUMMARY_FORMAT: &str = "dossier.summary/v1";

/// `FAIL  path  rule, rule (warning: rule)` — one line per bundle.
pub fn text_line(report: &Report, options: &RenderOptions) -> String {
    let zh = options.lang == Lang::Zh;
    let verdict = match (report.verdict(), zh) {
        (Verdict::Pass, false) => "PASS",
        (Verdict::Fail, false) => "FAIL",
        (Verdict::Pass, true) => "通过",
        (Verdict::Fail, true) => "不通过",
    };
    let verdict = match (options.color, report.verdict()) {
        (false, _) => verdict.to_string(),
        (true, Verdict::Pass) => format!("\x1b[1;32m{verdict}\x1b[0m"),
        (true, Verdict::Fail) => format!("\x1b[1;31m{verdict}\x1b[0m"),
    };
    let bundle = Redaction::of(options, Format::Text).text(&report.bundle);
    let mut line = format!("{verdict}  {bundle}");
    let errors = report.failing_rules(Severity::Error);
    if !errors.is_empty() {
        line.push_str(&format!("  {}", errors.join(", ")));
    }
    let warnings = report.failing_rules(Severity::Warning);
    if !warnings.is_empty() {
        line.push_str(&format!(
            "  ({} {})",
            if zh { "警告:" } else { "warnings:" },
            warnings.join(", ")
        ));
    }
    line.push('\n');
    line
}

/// The closing summary of a text batch.
pub fn text_summary(summary: &BatchSummary, options: &RenderOptions) -> String {
    let top: Vec<String> = summary
        .top(5)
        .iter()
        .map(|t| format!("{} ({})", t.rule, t.bundles))
        .collect();
    let mut text = if options.lang == Lang::Zh {
        format!(
            "\n共 {} 个材料包:{} 个通过,{} 个不通过",
            summary.bundles, summary.passed, summary.failed
        )
    } else {
        format!(
            "\n{} bundles: {} passed, {} failed",
            summary.bundles, summary.passed, summary.failed
        )
    };
    if summary.rule_errors > 0 {
        text.push_str(&if options.lang == Lang::Zh {
            format!(",{} 个有规则错误", summary.rule_errors)
        } else {
            format!(", {} with rule errors", summary.rule_errors)
        });
    }
    text.push('\n');
    if !top.is_empty() {
        let label = if options.lang == Lang::Zh {
            "最常见的不通过规则"
        } else {
            "most frequent failures"
        };
        text.push_str(&format!("{label}: {}\n", top.join(", ")));
    }
    text
}

/// The closing line of a JSON Lines batch.
pub fn summary_line(summary: &BatchSummary) -> String {
    let value = json!({
        "format": SUMMARY_FORMAT,
        "bundles": summary.bundles,
        "passed": summary.passed,
        "failed": summary.failed,
        "rule_errors": summary.rule_errors,
        "failing_rules": summary.failing_rules,
    });
    format!("{value}\n")
}
