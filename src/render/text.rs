//! The text report a person reads first: verdict on top, failures first with
//! their fix, grouped by party; colour only when asked (terminals).

use std::fmt::Write;

use super::outline;
use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{Finding, Report, Severity, Status, Verdict};

/// The fixed words of the text report.
struct Words {
    pass: &'static str,
    fail: &'static str,
    judged_on: &'static str,
    failures: &'static str,
    warnings: &'static str,
    waived: &'static str,
    waiver: &'static str,
    notes: &'static str,
    passed: &'static str,
    skipped: &'static str,
    bundle: &'static str,
    at: &'static str,
    fix: &'static str,
    basis: &'static str,
    rule_error: &'static str,
    values: &'static str,
    rule_source: &'static str,
    counts: fn(usize, usize, usize, usize) -> String,
    explain: &'static str,
}

const ZH: Words = Words {
    pass: "通过",
    fail: "不通过",
    judged_on: "判定日期",
    failures: "不通过项",
    warnings: "警告",
    waived: "已豁免",
    waiver: "豁免",
    notes: "提示",
    passed: "通过项",
    skipped: "未评判项",
    bundle: "材料包",
    at: "位置",
    fix: "修改",
    basis: "依据",
    rule_error: "规则错误",
    values: "判定所用的值",
    rule_source: "规则出处",
    counts: |fail, warn, pass, skip| {
        format!("{fail} 项不通过 · {warn} 项警告 · {pass} 项通过 · {skip} 项未评判")
    },
    explain: "使用 --explain 查看每项通过的理由",
};

const EN: Words = Words {
    pass: "PASS",
    fail: "FAIL",
    judged_on: "judged on",
    failures: "Failures",
    warnings: "Warnings",
    waived: "Waived",
    waiver: "waiver",
    notes: "Notes",
    passed: "Passed",
    skipped: "Not judged",
    bundle: "bundle",
    at: "at",
    fix: "fix",
    basis: "basis",
    rule_error: "rule error",
    values: "values",
    rule_source: "rule",
    counts: |fail, warn, pass, skip| {
        format!("{fail} failed · {warn} warnings · {pass} passed · {skip} not judged")
    },
    explain: "use --explain to see why each passed",
};

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn red(&self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }
    fn green(&self, text: &str) -> String {
        self.wrap("1;32", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
}

/// One report as text.
pub fn text(report: &Report, options: &RenderOptions) -> String {
    let report = &*Redaction::of(options, Format::Text).report(report);
    let words = if options.lang == Lang::Zh { &ZH } else { &EN };
    let paint = Paint { on: options.color };
    let mut out = String::new();
    let counts = report.counts();
    let verdict = match report.verdict_at(options.fail_on) {
        Verdict::Pass => paint.green(words.pass),
        Verdict::Fail => paint.red(words.fail),
    };
    let _ = writeln!(out, "{verdict}  {}", paint.bold(&report.bundle));
    let mut about = Vec::new();
    if let Some(operation) = &report.operation {
        match &report.operation_title {
            Some(title) => about.push(format!("{} ({operation})", title.get(options.lang))),
            None => about.push(operation.clone()),
        }
    }
    if let Some(day) = report.judged_on {
        about.push(format!("{} {day}", words.judged_on));
    }
    if !about.is_empty() {
        let _ = writeln!(out, "      {}", about.join(" · "));
    }
    let mut tally = (words.counts)(counts.fail, counts.warn, counts.pass, counts.skip);
    if counts.waived > 0 {
        match options.lang {
            Lang::Zh => tally.push_str(&format!(" · {} 项已豁免", counts.waived)),
            Lang::En => tally.push_str(&format!(" · {} waived", counts.waived)),
        }
    }
    let _ = writeln!(out, "      {tally}");

    // Sections in reading order: what must be fixed first, what is only
    // listed with --explain last.
    type Pick = fn(&Finding) -> bool;
    let sections: [(String, &str, Pick, bool); 6] = [
        (
            paint.red(words.failures),
            "✗",
            |f| f.status == Status::Fail && f.severity == Severity::Error,
            true,
        ),
        (
            paint.yellow(words.warnings),
            "!",
            |f| f.status == Status::Fail && f.severity == Severity::Warning,
            true,
        ),
        (
            paint.dim(words.waived),
            "~",
            |f| f.status == Status::Waived,
            true,
        ),
        (
            paint.bold(words.notes),
            "i",
            |f| f.status == Status::Pass && f.severity == Severity::Info,
            true,
        ),
        (
            paint.green(words.passed),
            "✓",
            |f| f.status == Status::Pass && f.severity != Severity::Info,
            options.explain,
        ),
        (
            paint.dim(words.skipped),
            "-",
            |f| f.status == Status::Skip,
            options.explain,
        ),
    ];
    for (title, mark, pick, shown) in &sections {
        if *shown {
            let findings: Vec<&Finding> = report.findings.iter().filter(|f| pick(f)).collect();
            section(
                &mut out, report, options, words, &paint, title, &findings, mark,
            );
        }
    }
    if !options.explain && counts.pass + counts.skip > 0 {
        let _ = writeln!(out, "\n{}", paint.dim(words.explain));
    }
    if let Some(line) = report.rules_line(options.lang) {
        let _ = writeln!(out, "{}", paint.dim(&line));
    }
    out
}

/// One section (failures, warnings…) with findings grouped by party.
#[allow(clippy::too_many_arguments)]
fn section(
    out: &mut String,
    report: &Report,
    options: &RenderOptions,
    words: &Words,
    paint: &Paint,
    title: &str,
    findings: &[&Finding],
    mark: &str,
) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    let mut groups: Vec<Option<&str>> = vec![None];
    groups.extend(report.parties.iter().map(|p| Some(p.key.as_str())));
    for finding in findings {
        if let Some(holder) = finding.holder.as_deref()
            && !groups.contains(&Some(holder))
        {
            groups.push(Some(holder));
        }
    }
    for group in groups {
        let members: Vec<&&Finding> = findings
            .iter()
            .filter(|f| f.holder.as_deref() == group)
            .collect();
        if members.is_empty() {
            continue;
        }
        let label = match group {
            None => words.bundle.to_string(),
            Some(key) => report.party_label(key),
        };
        let _ = writeln!(out, "  {}", paint.bold(&format!("[{label}]")));
        for finding in members {
            let message = finding
                .message
                .render(options.lang, options.show_personal_data);
            let error = if finding.rule_error {
                format!(" ({})", words.rule_error)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {mark} {}{error}  {message}",
                paint.bold(&finding.rule)
            );
            let place = match (&report.manifest, finding.line, &finding.path) {
                (Some(manifest), Some(line), Some(path)) => {
                    Some(format!("{manifest}:{line}  {path}"))
                }
                (Some(manifest), Some(line), None) => Some(format!("{manifest}:{line}")),
                (_, _, Some(path)) => Some(path.clone()),
                _ => None,
            };
            if let Some(place) = place {
                let _ = writeln!(out, "      {}: {}", words.at, paint.dim(&place));
            }
            if let Some(hint) = &finding.hint
                && finding.status == Status::Fail
            {
                let _ = writeln!(
                    out,
                    "      {}: {}",
                    words.fix,
                    hint.render(options.lang, options.show_personal_data)
                );
            }
            if let Some(basis) = &finding.basis
                && finding.status == Status::Fail
            {
                let _ = writeln!(out, "      {}: {}", words.basis, paint.dim(basis));
            }
            if let Some(waiver) = &finding.waiver {
                let _ = writeln!(
                    out,
                    "      {}: {} — {} ({} {}, {})",
                    words.waiver,
                    waiver.reason,
                    waiver.approved_by,
                    if options.lang == Lang::Zh {
                        "有效至"
                    } else {
                        "until"
                    },
                    waiver.expires,
                    paint.dim(&waiver.source)
                );
            }
            // The evidence: what was judged and which rule asked for it.
            if options.explain {
                if let Some(values) = outline::values_line(finding, options) {
                    let _ = writeln!(out, "      {}: {values}", words.values);
                }
                if let Some(source) = outline::rule_source(finding) {
                    let _ = writeln!(out, "      {}: {}", words.rule_source, paint.dim(&source));
                }
            }
        }
    }
}
