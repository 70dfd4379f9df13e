//! What the report templates show of a report, worked out here so the
//! templates only lay it out: the banner's facts, the materials table, the
//! findings grouped by party with passed ones folded away.

use super::super::RenderOptions;
use super::super::materials::{Standing, material_statuses};
use super::super::outline::{self, Kind};
use super::super::words::Words;
use super::attachments::FileLink;
use super::finding::{FindingView, finding_view};
use crate::report::{Finding, Report, Severity, Verdict};

/// A term and its value, in a `<dl>`.
pub struct Fact {
    pub term: &'static str,
    pub value: String,
    /// The fix, shown in bold.
    pub fix: bool,
}

impl Fact {
    pub fn new(term: &'static str, value: String) -> Fact {
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
                rule: f.rule.to_string(),
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
