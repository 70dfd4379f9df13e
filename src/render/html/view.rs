//! What the report templates show of a report, worked out here so the
//! templates only lay it out: the banner's facts, the materials table, the
//! findings grouped by party with passed ones folded away.

use super::super::materials::{Standing, material_statuses};
use super::super::outline::{self, Kind};
use super::super::words::Words;
use super::super::{Redaction, RenderOptions};
use crate::report::{Finding, Report, Severity, Verdict};

/// A term and its value, in a `<dl>`.
pub struct Fact {
    pub term: &'static str,
    pub value: String,
    /// The fix, shown in bold.
    pub fix: bool,
}

impl Fact {
    fn new(term: &'static str, value: String) -> Fact {
        Fact {
            term,
            value,
            fix: false,
        }
    }
}

/// One bundle's row in a batch page's overview.
pub struct OverviewRow {
    pub id: String,
    pub bundle: String,
    pub operation: String,
    pub verdict_class: &'static str,
    pub verdict: &'static str,
    pub counts: String,
}

impl OverviewRow {
    pub fn all(reports: &[Report], options: &RenderOptions, words: &Words) -> Vec<OverviewRow> {
        reports
            .iter()
            .enumerate()
            .map(|(index, report)| {
                let verdict = report.verdict_at(options.fail_on);
                OverviewRow {
                    id: section_id(index),
                    bundle: report.bundle.clone(),
                    operation: report.operation.clone().unwrap_or_else(|| "—".into()),
                    verdict_class: verdict_class(verdict),
                    verdict: words.verdict_word(verdict),
                    counts: words.counts(report.counts()),
                }
            })
            .collect()
    }
}

/// An item of the banner's numbered list of what to fix.
pub struct FixItem {
    pub anchor: String,
    pub rule: String,
    pub message: String,
}

/// An attachment of a material; linked when served and its name needed no
/// masking.
pub struct FileLink {
    pub name: String,
    pub href: Option<String>,
}

/// One row of the materials table.
pub struct MaterialRow {
    pub class: &'static str,
    pub holder: String,
    pub title: String,
    pub document: Option<String>,
    pub files: Vec<FileLink>,
    pub mark: &'static str,
    pub standing: &'static str,
    pub rules: Vec<String>,
}

/// The findings about one party (or the whole bundle).
pub struct PartyGroup {
    pub label: String,
    pub class: &'static str,
    /// Failures, warnings, waivers and notes, open.
    pub shown: Vec<FindingView>,
    /// Passed and not-judged findings, folded under a count.
    pub folded: Vec<FindingView>,
    pub folded_summary: String,
}

pub struct FindingView {
    pub id: String,
    pub class: &'static str,
    pub mark: &'static str,
    pub label: &'static str,
    pub rule: String,
    pub rule_error: Option<&'static str>,
    pub message: String,
    pub facts: Vec<Fact>,
    pub values: Vec<(String, String)>,
}

/// One bundle's section.
pub struct ReportView {
    pub id: String,
    pub verdict_class: &'static str,
    pub mark: &'static str,
    pub verdict: &'static str,
    pub heading: String,
    pub facts: Vec<Fact>,
    pub rules_line: Option<String>,
    pub fail_on_warning: Option<&'static str>,
    pub to_fix: Vec<FixItem>,
    pub window: Option<String>,
    pub materials: Vec<MaterialRow>,
    pub groups: Vec<PartyGroup>,
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
    }
}

fn section_id(report_index: usize) -> String {
    format!("report-{}", report_index + 1)
}

/// The anchor of a finding, for the banner's list of what to fix.
fn anchor(report_index: usize, finding_index: usize) -> String {
    format!("r{}-f{}", report_index + 1, finding_index + 1)
}

/// The attachments of each document entry of `raw` (`/documents/2` →
/// its files), as `served_at` serves them. Names are redacted; a name that
/// masking changed gets no link, since its address would either be wrong
/// or carry the number. `None` when attachments are not served.
pub fn attachments(
    raw: &Report,
    redaction: &Redaction,
    served_at: Option<&str>,
) -> Option<Vec<(String, FileLink)>> {
    let base = served_at?;
    let mut files: Vec<(String, FileLink)> = Vec::new();
    for finding in &raw.findings {
        let Some(path) = finding.path.as_deref() else {
            continue;
        };
        let Some(document) = document_of_file(path) else {
            continue;
        };
        let Some(file) = finding.message.arguments.iter().find(|a| a.name == "file") else {
            continue;
        };
        if files
            .iter()
            .any(|(d, f)| *d == document && f.name == file.value)
        {
            continue;
        }
        let shown = redaction.text(&file.value);
        let href = (shown == file.value).then(|| format!("{base}{}", url_path(&file.value)));
        files.push((
            document,
            FileLink {
                name: shown.into_owned(),
                href,
            },
        ));
    }
    Some(files)
}

/// `/documents/2/file` or `/documents/2/file/0` → `/documents/2`.
fn document_of_file(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/documents/")?;
    let (index, tail) = rest.split_once('/')?;
    let is_file = tail == "file" || tail.starts_with("file/");
    (is_file && !index.is_empty()).then(|| format!("/documents/{index}"))
}

/// A relative path as a URL path: every byte but unreserved characters and
/// `/` percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl ReportView {
    pub fn of(
        index: usize,
        report: &Report,
        files: Option<Vec<(String, FileLink)>>,
        options: &RenderOptions,
        words: &Words,
    ) -> ReportView {
        let verdict = report.verdict_at(options.fail_on);
        let mut facts = vec![Fact::new(words.bundle, report.bundle.clone())];
        if let Some(manifest) = &report.manifest {
            facts.push(Fact::new(words.manifest, manifest.clone()));
        }
        if let Some(operation) = &report.operation {
            facts.push(Fact::new(words.operation, operation.clone()));
        }
        if let Some(day) = report.judged_on {
            facts.push(Fact::new(words.judged_on, day.to_string()));
        }
        facts.push(Fact::new(words.findings, words.counts(report.counts())));
        let to_fix = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.fails_at(options.fail_on))
            .map(|(finding_index, f)| FixItem {
                anchor: anchor(index, finding_index),
                rule: f.rule.clone(),
                message: outline::message(f, options),
            })
            .collect();
        ReportView {
            id: section_id(index),
            verdict_class: verdict_class(verdict),
            mark: match verdict {
                Verdict::Pass => "✓",
                Verdict::Fail => "✗",
            },
            verdict: words.verdict_word(verdict),
            heading: report
                .operation_title
                .as_ref()
                .map_or(words.report.to_string(), |t| {
                    t.get(options.lang).to_string()
                }),
            facts,
            rules_line: report.rules_line(options.lang),
            fail_on_warning: (options.fail_on == Severity::Warning)
                .then_some(words.fail_on_warning),
            to_fix,
            window: report.review_window.as_ref().map(|w| words.window(w)),
            materials: materials(report, files, options, words),
            groups: groups(index, report, options, words),
        }
    }
}

fn materials(
    report: &Report,
    files: Option<Vec<(String, FileLink)>>,
    options: &RenderOptions,
    words: &Words,
) -> Vec<MaterialRow> {
    let mut files = files.unwrap_or_default();
    material_statuses(report, options)
        .into_iter()
        .map(|status| {
            let (mark, standing) = match status.standing {
                Standing::Failed => ("✗", words.material_failed),
                Standing::Warned => ("!", words.material_warned),
                Standing::Waived => ("≈", words.material_waived),
                Standing::Passed => ("✓", words.material_passed),
                Standing::NotJudged => ("–", words.material_not_judged),
            };
            let mine = status.document.as_deref().map_or(Vec::new(), |document| {
                let (mine, rest) = std::mem::take(&mut files)
                    .into_iter()
                    .partition(|(d, _)| d == document);
                files = rest;
                mine.into_iter().map(|(_, link)| link).collect()
            });
            MaterialRow {
                class: status.standing.name(),
                holder: status
                    .holder
                    .map_or(words.whole_bundle.to_string(), |h| report.party_label(h)),
                title: status.title,
                document: status.document,
                files: mine,
                mark,
                standing,
                rules: status.rules.iter().map(|r| r.to_string()).collect(),
            }
        })
        .collect()
}

fn groups(
    index: usize,
    report: &Report,
    options: &RenderOptions,
    words: &Words,
) -> Vec<PartyGroup> {
    let mut findings: Vec<&Finding> = Vec::new();
    for kind in Kind::ALL {
        findings.extend(outline::of_kind(report, kind));
    }
    outline::by_party(report, &findings)
        .into_iter()
        .map(|(holder, members)| {
            let failing = members.iter().any(|f| Kind::of(f) == Kind::Failure);
            let (mut shown, mut folded) = (Vec::new(), Vec::new());
            let (mut passed, mut skipped) = (0, 0);
            for finding in members {
                let finding_index = report
                    .findings
                    .iter()
                    .position(|f| std::ptr::eq(f, finding))
                    .unwrap_or(0);
                let view = finding_view(anchor(index, finding_index), finding, options, words);
                match Kind::of(finding) {
                    Kind::Passed => {
                        passed += 1;
                        folded.push(view);
                    }
                    Kind::Skipped => {
                        skipped += 1;
                        folded.push(view);
                    }
                    _ => shown.push(view),
                }
            }
            PartyGroup {
                label: holder.map_or(words.whole_bundle.to_string(), |h| report.party_label(h)),
                class: if failing { "party failing" } else { "party" },
                shown,
                folded,
                folded_summary: words.folded(passed, skipped),
            }
        })
        .collect()
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

fn finding_view(
    id: String,
    finding: &Finding,
    options: &RenderOptions,
    words: &Words,
) -> FindingView {
    let kind = Kind::of(finding);
    let (mark, label, class) = match kind {
        Kind::Failure => ("✗", words.fail, "finding failure"),
        Kind::Warning if finding.fails_at(options.fail_on) => {
            ("!", words.warning, "finding warning failing")
        }
        Kind::Warning => ("!", words.warning, "finding warning"),
        Kind::Waived => ("≈", words.waiver, "finding waived"),
        Kind::Note => ("i", words.note, "finding note"),
        Kind::Passed => ("✓", words.pass, "finding passed"),
        Kind::Skipped => ("–", words.skipped, "finding skipped"),
    };
    let detailed = matches!(kind, Kind::Failure | Kind::Warning | Kind::Waived);
    let mut facts: Vec<Fact> = Vec::new();
    if let Some(fix) = outline::fix(finding, options) {
        facts.push(Fact {
            term: words.fix,
            value: fix,
            fix: true,
        });
    }
    if let Some(waiver) = outline::waiver(finding, options) {
        facts.push(Fact::new(words.waiver, waiver));
    }
    if let Some(place) = place(finding, words) {
        facts.push(Fact::new(words.at, place));
    }
    if detailed {
        if let Some(basis) = finding.basis_in(options.lang) {
            facts.push(Fact::new(words.basis, basis.to_string()));
        }
        if let Some(source) = outline::rule_source(finding) {
            facts.push(Fact::new(words.rule_source, source));
        }
    }
    // Failures and warnings show their evidence as a table; passes in one line.
    let values = if detailed {
        outline::values(finding, options)
    } else {
        if let Some(line) = outline::values_line(finding, options) {
            facts.push(Fact::new(words.values, line));
        }
        Vec::new()
    };
    FindingView {
        id,
        class,
        mark,
        label,
        rule: finding.rule.clone(),
        rule_error: finding.rule_error.then_some(words.rule_error),
        message: outline::message(finding, options),
        facts,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_pointers_name_their_document() {
        assert_eq!(
            document_of_file("/documents/2/file").as_deref(),
            Some("/documents/2")
        );
        assert_eq!(
            document_of_file("/documents/10/file/1").as_deref(),
            Some("/documents/10")
        );
        assert_eq!(document_of_file("/documents/2/fields/file"), None);
        assert_eq!(document_of_file("/documents/2"), None);
    }

    #[test]
    fn attachment_addresses_are_percent_encoded_paths() {
        assert_eq!(
            url_path("files/营业 执照#1.pdf"),
            "files/%E8%90%A5%E4%B8%9A%20%E6%89%A7%E7%85%A7%231.pdf"
        );
        assert_eq!(url_path("files/a-b_c.~.pdf"), "files/a-b_c.~.pdf");
    }
}
