//! JSON reports, `dossier.report/v1` (spec §4): lossless, stable key order,
//! personal numbers masked unless asked.
//!
//! Reports are serialised from borrowed views straight into text: building
//! a `serde_json::Value` tree first cost more than judging the bundle.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde_json::Value;

use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{Counts, Finding, Message, Report, ReviewWindow, Verdict, WaiverNote};

/// The format tag of every JSON report.
pub const REPORT_FORMAT: &str = "dossier.report/v1";

/// A report as JSON writes it. Every string from the bundle or a waiver
/// file is redacted as it is written (borrowed where nothing changes), so
/// no copy of the report is made; [`Redaction::report`] is the reference
/// the tests hold this to.
#[derive(Serialize)]
struct ReportView<'a> {
    format: &'static str,
    /// The version of dossier that wrote the report.
    dossier_version: &'static str,
    bundle: Cow<'a, str>,
    operation: Option<Cow<'a, str>>,
    operation_title: Option<&'a str>,
    operation_version: Option<&'a str>,
    rules_sha256: Option<&'a str>,
    judged_on: Option<chrono::NaiveDate>,
    verdict: Verdict,
    counts: Counts,
    review_window: Option<&'a ReviewWindow>,
    findings: Findings<'a>,
}

/// The findings, each written as it is reached: no list of views.
struct Findings<'a> {
    findings: &'a [Finding],
    shown: Shown,
}

/// How a report's strings are shown: its language and its redaction.
#[derive(Clone, Copy)]
struct Shown {
    lang: Lang,
    redaction: Redaction,
}

impl Shown {
    fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.redaction.text(text)
    }

    fn optional<'a>(&self, text: Option<&'a String>) -> Option<Cow<'a, str>> {
        text.map(|text| self.text(text))
    }

    /// Every argument of `message` as the reader sees it, displayed once
    /// for both the message text and the values.
    fn arguments<'a>(&self, message: &'a Message) -> Vec<Cow<'a, str>> {
        let mut arguments = Vec::with_capacity(message.arguments.len());
        self.arguments_into(message, &mut arguments);
        arguments
    }

    /// [`Shown::arguments`] into `arguments`, emptied first: one buffer
    /// serves every finding of a report.
    fn arguments_into<'a>(&self, message: &'a Message, arguments: &mut Vec<Cow<'a, str>>) {
        arguments.clear();
        arguments.extend(
            message
                .arguments
                .iter()
                .map(|argument| self.redaction.shown_argument(argument, self.lang)),
        );
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.findings.iter().map(|finding| FindingView {
            finding,
            shown: self.shown,
        }))
    }
}

struct FindingView<'a> {
    finding: &'a Finding,
    shown: Shown,
}

/// A message filled with its shown arguments, written into the JSON string
/// as it is filled (`collect_str`), never held as a `String` of its own.
struct Filled<'a, 'b> {
    message: &'a Message,
    lang: Lang,
    arguments: &'b [Cow<'a, str>],
}

impl fmt::Display for Filled<'_, '_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message.write_shown(self.lang, self.arguments, out)
    }
}

impl Serialize for Filled<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The values a finding judged, as its message shows them (masked unless
/// asked).
struct Values<'a, 'b> {
    message: &'a Message,
    arguments: &'b [Cow<'a, str>],
}

impl Serialize for Values<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.message.arguments.len()))?;
        for (argument, shown) in self.message.arguments.iter().zip(self.arguments) {
            map.serialize_entry(&argument.name, shown)?;
        }
        map.end()
    }
}

/// A waiver note with its reviewer's strings redacted.
#[derive(Serialize)]
struct WaiverView<'a> {
    reason: Cow<'a, str>,
    approved_by: Cow<'a, str>,
    expires: chrono::NaiveDate,
    source: Cow<'a, str>,
}

impl<'a> WaiverView<'a> {
    fn of(waiver: &'a WaiverNote, shown: &Shown) -> WaiverView<'a> {
        WaiverView {
            reason: shown.text(&waiver.reason),
            approved_by: shown.text(&waiver.approved_by),
            expires: waiver.expires,
            source: shown.text(&waiver.source),
        }
    }
}

impl Serialize for FindingView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (finding, shown) = (self.finding, &self.shown);
        let arguments = shown.arguments(&finding.message);
        let hint = finding
            .hint
            .as_ref()
            .map(|hint| (hint, shown.arguments(hint)));
        let fields = 12 + usize::from(finding.waiver.is_some()) + usize::from(finding.rule_error);
        let mut out = serializer.serialize_struct("FindingView", fields)?;
        out.serialize_field("rule", finding.rule.as_str())?;
        out.serialize_field("status", &finding.status)?;
        out.serialize_field("severity", &finding.severity)?;
        out.serialize_field(
            "message",
            &Filled {
                message: &finding.message,
                lang: shown.lang,
                arguments: &arguments,
            },
        )?;
        out.serialize_field(
            "hint",
            &hint.as_ref().map(|(hint, arguments)| Filled {
                message: hint,
                lang: shown.lang,
                arguments,
            }),
        )?;
        out.serialize_field("basis", &finding.basis_in(shown.lang))?;
        out.serialize_field("holder", &shown.optional(finding.holder.as_ref()))?;
        out.serialize_field("material", &shown.optional(finding.material.as_ref()))?;
        let path = finding
            .path
            .as_deref()
            .map(|path| shown.redaction.pointer(path));
        out.serialize_field("path", &path)?;
        out.serialize_field("line", &finding.line)?;
        out.serialize_field(
            "values",
            &Values {
                message: &finding.message,
                arguments: &arguments,
            },
        )?;
        out.serialize_field("rule_source", &finding.origin.as_ref())?;
        if let Some(waiver) = &finding.waiver {
            out.serialize_field("waiver", &WaiverView::of(waiver, shown))?;
        }
        if finding.rule_error {
            out.serialize_field("rule_error", &true)?;
        }
        out.end()
    }
}

/// How `options` show a report's strings in JSON.
fn shown(options: &RenderOptions) -> Shown {
    Shown {
        lang: options.lang,
        redaction: Redaction::of(options, Format::Json),
    }
}

/// The view serde writes: the reference the direct writer is held to, and
/// the way to a `Value`.
fn view<'a>(report: &'a Report, options: &RenderOptions) -> ReportView<'a> {
    let shown = shown(options);
    ReportView {
        format: REPORT_FORMAT,
        dossier_version: env!("CARGO_PKG_VERSION"),
        bundle: shown.text(&report.bundle),
        operation: shown.optional(report.operation.as_ref()),
        operation_title: report.operation_title.as_ref().map(|t| t.get(options.lang)),
        operation_version: report.operation_version.as_deref(),
        rules_sha256: report.rules_digest.as_deref(),
        judged_on: report.judged_on,
        verdict: report.verdict_at(options.fail_on),
        counts: report.counts(),
        review_window: report.review_window.as_ref(),
        findings: Findings {
            findings: &report.findings,
            shown,
        },
    }
}

/// Room for a report's text, so the buffer is not grown a doubling at a
/// time: a finding takes about 400 bytes.
fn capacity(report: &Report) -> usize {
    1024 + 512 * report.findings.len()
}

/// One report as compact JSON text (one line: JSON Lines).
pub fn report_json(report: &Report, options: &RenderOptions) -> String {
    let verdict = report.verdict_at(options.fail_on);
    direct::report_text(report, shown(options), verdict, false)
}

/// One report as a JSON line: [`report_json`] and its newline, in one buffer.
pub(crate) fn report_json_line(report: &Report, options: &RenderOptions) -> String {
    let mut line = report_json(report, options);
    line.push('\n');
    line
}

/// One report as indented JSON text.
pub fn report_json_pretty(report: &Report, options: &RenderOptions) -> String {
    let verdict = report.verdict_at(options.fail_on);
    direct::report_text(report, shown(options), verdict, true)
}

/// Several reports as an indented JSON array, in input order, written in
/// one pass with no `serde_json::Value` tree in between (keys keep their
/// order either way, so the text is the same).
pub fn reports_json_pretty(reports: &[Report], options: &RenderOptions) -> String {
    let verdicts: Vec<Verdict> = reports
        .iter()
        .map(|r| r.verdict_at(options.fail_on))
        .collect();
    direct::reports_text(reports, shown(options), &verdicts)
}

/// One report as a JSON value (for tests and consumers that inspect it).
pub fn report_value(report: &Report, options: &RenderOptions) -> Value {
    serde_json::to_value(view(report, options)).unwrap_or(Value::Null)
}

mod direct;

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

    /// The reports of every fixture.
    fn fixture_reports() -> Vec<Report> {
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
        reports
    }

    /// Every report's text, compact, as a line and indented, is what
    /// serde_json writes for the same view and for its `Value`, for every
    /// fixture, both languages, masked or not.
    #[test]
    fn the_text_is_serde_jsons_for_every_fixture() {
        for report in fixture_reports() {
            for (lang, show) in [(Lang::Zh, false), (Lang::En, false), (Lang::Zh, true)] {
                let options = RenderOptions {
                    show_personal_data: show,
                    ..RenderOptions::in_language(lang)
                };
                let view = view(&report, &options);
                let compact = serde_json::to_string(&view).unwrap();
                assert_eq!(report_json(&report, &options), compact);
                assert_eq!(report_json_line(&report, &options), format!("{compact}\n"));
                let pretty = serde_json::to_string_pretty(&view).unwrap();
                assert_eq!(report_json_pretty(&report, &options), pretty);
                let value = report_value(&report, &options);
                assert_eq!(serde_json::to_string(&value).unwrap(), compact);
            }
        }
    }

    /// A report with every part a fixture may lack (a waiver, a review
    /// window, a rule error, a hint, a date past year 9999) and strings
    /// that need every escape and every kind of masking.
    fn report_with_everything() -> Report {
        use crate::report::{
            Argument, ArgumentKind, ReviewWindow, RuleOrigin, Severity, Status, WaiverNote,
        };
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let hostile = "\"quoted\" \\ back\u{1}\u{1f}\u{7f}\n\t\u{8}\u{c}\r \u{2028}\u{202e} 张三 13800138000 １３８００１３８０００ 11010519491231002X";
        let mut report = Report::empty(hostile);
        report.manifest = Some("bundle.yaml".into());
        report.operation = Some(format!("op {hostile}"));
        report.operation_title = Some(crate::lang::Localized::new("标题\"", "title\u{1}"));
        report.operation_version = Some("2024.08".into());
        report.rules_digest = Some("ab".repeat(32));
        report.judged_on = Some(date(2024, 7, 24));
        report.review_window = Some(ReviewWindow {
            from_working_days: 1,
            to_working_days: 15,
            earliest: date(2024, 7, 25),
            latest: date(12024, 8, 13),
            calendar_covered: false,
        });
        let arguments = vec![
            Argument::text("who", hostile),
            Argument::new("id", "11010519491231002X", ArgumentKind::ResidentId),
            Argument::new("phone", "13800138000", ArgumentKind::Mobile),
            Argument::new("until", "long_term", ArgumentKind::Date),
            Argument::new("code", "110108001301002", ArgumentKind::Registration),
            Argument::localized(
                "title",
                &crate::lang::Localized::new("材料 13800138000", "file \"x\""),
            ),
            Argument::text("\"key\"\n", "v"),
        ];
        let message = Message::of(
            "{who} {id} {phone} {until} {code} {title} {{}} {missing} {\"key\"\n}",
            "{title}: {who} {{ {id}",
            arguments.clone(),
        );
        let mut failing =
            Finding::new("rule.one", Status::Fail, Severity::Warning, message.clone())
                .with_hint(Message::of("提示 {phone}", "hint {phone} \\", arguments))
                .with_holder(Some(hostile))
                .with_material(Some("id_card 13800138000"))
                .with_path("/parties/p13800138000/id~1number")
                .based_on_reviewer_practice();
        failing.line = Some(7);
        failing.origin = Some(RuleOrigin::new(
            "rules/op.yaml\"",
            crate::yaml::Position { line: 3, column: 5 },
        ));
        failing.rule_error = true;
        let mut waived = Finding::new("rule.two", Status::Waived, Severity::Error, message);
        waived.waiver = Some(WaiverNote {
            reason: format!("because {hostile}"),
            approved_by: "李四 13912345678".into(),
            expires: date(2025, 1, 31),
            source: "waivers.yaml:3".into(),
        });
        waived.path = Some("/documents/0".into());
        let plain = Finding::new(
            "rule.three",
            Status::Skip,
            Severity::Info,
            Message::default(),
        );
        let passing = Finding::new(
            "rule.four",
            Status::Pass,
            Severity::Error,
            Message::default(),
        );
        report.findings = vec![failing, waived, plain, passing];
        report
    }

    /// The direct writer writes what serde writes for the view, for a
    /// report with everything in it and for an empty one, compact and
    /// indented, alone and in an array, at both thresholds, both languages,
    /// masked or not.
    #[test]
    fn every_part_of_a_report_is_written_as_serde_writes_it() {
        use crate::report::Severity;
        let reports = [report_with_everything(), Report::empty("empty")];
        for report in &reports {
            for fail_on in [Severity::Error, Severity::Warning] {
                for (lang, show) in [(Lang::Zh, false), (Lang::En, false), (Lang::Zh, true)] {
                    let options = RenderOptions {
                        show_personal_data: show,
                        fail_on,
                        ..RenderOptions::in_language(lang)
                    };
                    let view = view(report, &options);
                    let compact = serde_json::to_string(&view).unwrap();
                    assert_eq!(report_json(report, &options), compact);
                    let pretty = serde_json::to_string_pretty(&view).unwrap();
                    assert_eq!(report_json_pretty(report, &options), pretty);
                    let views: Vec<_> = reports.iter().map(|r| super::view(r, &options)).collect();
                    assert_eq!(
                        reports_json_pretty(&reports, &options),
                        serde_json::to_string_pretty(&views).unwrap()
                    );
                    assert_eq!(reports_json_pretty(&[], &options), "[]");
                }
            }
        }
        let text = report_json(&reports[0], &RenderOptions::default());
        assert!(text.contains("\"rule_error\":true") && text.contains("\"waiver\":{"));
        assert!(!text.contains("13800138000"), "{text}");
    }

    /// The one-pass array is the text the `Value` tree gave, for every
    /// fixture at once (one array) and in both languages.
    #[test]
    fn the_one_pass_array_is_the_value_trees_text() {
        let reports = fixture_reports();
        for lang in [Lang::Zh, Lang::En] {
            let options = RenderOptions::in_language(lang);
            let through_value =
                serde_json::to_string_pretty(&reports_value(&reports, &options)).unwrap();
            assert_eq!(reports_json_pretty(&reports, &options), through_value);
        }
    }

    /// Every finding's message, hint and values in the JSON are what a
    /// redacted copy of the report renders: the reference the copy-free
    /// writer is held to, for every fixture, both languages, masked or not.
    #[test]
    fn json_shows_what_the_redacted_copy_shows() {
        let rules = RuleSet::embedded().unwrap();
        let mut checked = 0;
        for operation in std::fs::read_dir("fixtures").unwrap() {
            for case in std::fs::read_dir(operation.unwrap().path()).unwrap() {
                let case = case.unwrap().path();
                if !case.join("expect.yaml").exists() {
                    continue;
                }
                let report = rules.check_path(&case, &CheckOptions::default());
                for (lang, show) in [(Lang::Zh, false), (Lang::En, false), (Lang::En, true)] {
                    let options = RenderOptions {
                        show_personal_data: show,
                        ..RenderOptions::in_language(lang)
                    };
                    let copy = Redaction::of(&options, Format::Json).report(&report);
                    let json = report_value(&report, &options);
                    assert_eq!(json["bundle"], copy.bundle.as_str());
                    for (finding, shown) in copy
                        .findings
                        .iter()
                        .zip(json["findings"].as_array().unwrap())
                    {
                        assert_eq!(shown["message"], finding.message.render(lang, show));
                        let hint = finding.hint.as_ref().map(|h| h.render(lang, show));
                        assert_eq!(shown["hint"], serde_json::to_value(hint).unwrap());
                        assert_eq!(
                            shown["holder"],
                            serde_json::to_value(&finding.holder).unwrap()
                        );
                        assert_eq!(shown["path"], serde_json::to_value(&finding.path).unwrap());
                        for argument in &finding.message.arguments {
                            assert_eq!(
                                shown["values"][&argument.name],
                                argument.display(lang, show)
                            );
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
