//! A report written straight to JSON text, field by field, with no
//! `Serialize` in between for what every report and finding holds.
//!
//! The text is byte for byte what serde writes for the views in
//! `json.rs` (the tests hold every fixture to it, compact and pretty): the
//! same keys in the same order, the same redaction, the same layout
//! (`JsonText` lays out both). What makes it cheaper: each key is copied as
//! it is instead of escaped; a message is filled straight into the escaped
//! string instead of through `fmt`'s dynamic writer; the shown arguments of
//! every finding go into one buffer kept for the whole report instead of a
//! new vector each. The rare parts (a review window, a waiver's date) still
//! go through serde, laid out in the same text.

use std::borrow::Cow;

use super::super::json_text::JsonText;
use super::{REPORT_FORMAT, Shown, capacity};
use crate::report::{Counts, Finding, Message, Report, Verdict};

/// `report` as compact or indented JSON text, as serde writes its view.
pub(super) fn report_text(report: &Report, shown: Shown, verdict: Verdict, pretty: bool) -> String {
    let room = if pretty {
        2 * capacity(report)
    } else {
        capacity(report)
    };
    let mut text = JsonText::new(room, pretty);
    write_report(&mut text, report, shown, verdict);
    text.into_text()
}

/// Several reports as an indented JSON array, each as [`report_text`]
/// writes it.
pub(super) fn reports_text(reports: &[Report], shown: Shown, verdicts: &[Verdict]) -> String {
    let room = reports.iter().map(capacity).sum::<usize>() * 2;
    let mut text = JsonText::new(room, true);
    text.begin('[');
    for (index, (report, verdict)) in reports.iter().zip(verdicts).enumerate() {
        text.element(index == 0);
        write_report(&mut text, report, shown, *verdict);
    }
    text.end(']', !reports.is_empty());
    text.into_text()
}

fn write_report(text: &mut JsonText, report: &Report, shown: Shown, verdict: Verdict) {
    text.begin('{');
    text.key(true, "format");
    text.text(REPORT_FORMAT);
    text.key(false, "dossier_version");
    text.text(env!("CARGO_PKG_VERSION"));
    text.key(false, "bundle");
    text.text(&shown.text(&report.bundle));
    text.key(false, "operation");
    text.optional_text(shown.optional(report.operation.as_ref()).as_deref());
    text.key(false, "operation_title");
    text.optional_text(report.operation_title.as_ref().map(|t| t.get(shown.lang)));
    text.key(false, "operation_version");
    text.optional_text(report.operation_version.as_deref());
    text.key(false, "rules_sha256");
    text.optional_text(report.rules_digest.as_deref());
    text.key(false, "judged_on");
    match &report.judged_on {
        Some(date) => serialized(text, date),
        None => text.null(),
    }
    text.key(false, "verdict");
    text.name(verdict.name());
    text.key(false, "counts");
    write_counts(text, report.counts());
    text.key(false, "review_window");
    match &report.review_window {
        Some(window) => serialized(text, window),
        None => text.null(),
    }
    text.key(false, "findings");
    text.begin('[');
    let mut arguments = Vec::new();
    let mut hint_arguments = Vec::new();
    for (index, finding) in report.findings.iter().enumerate() {
        text.element(index == 0);
        write_finding(text, finding, shown, &mut arguments, &mut hint_arguments);
    }
    text.end(']', !report.findings.is_empty());
    text.end('}', true);
}

/// A value whose `Serialize` cannot fail (dates, the review window): the
/// views' `Serialize` would fail the same way, so nothing is hidden.
fn serialized<T: serde::Serialize>(text: &mut JsonText, value: &T) {
    let written = text.serialized(value);
    debug_assert!(written.is_some());
}

fn write_counts(text: &mut JsonText, counts: Counts) {
    text.begin('{');
    for (index, (name, count)) in [
        ("pass", counts.pass),
        ("fail", counts.fail),
        ("warn", counts.warn),
        ("skip", counts.skip),
        ("waived", counts.waived),
    ]
    .into_iter()
    .enumerate()
    {
        text.key(index == 0, name);
        text.unsigned(count as u64);
    }
    text.end('}', true);
}

/// One finding. `arguments` and `hint_arguments` are buffers kept across
/// the report's findings: each holds the shown arguments of one message
/// while it and its values are written.
fn write_finding<'a>(
    text: &mut JsonText,
    finding: &'a Finding,
    shown: Shown,
    arguments: &mut Vec<Cow<'a, str>>,
    hint_arguments: &mut Vec<Cow<'a, str>>,
) {
    shown.arguments_into(&finding.message, arguments);
    text.begin('{');
    text.key(true, "rule");
    text.text(finding.rule.as_str());
    text.key(false, "status");
    text.name(finding.status.name());
    text.key(false, "severity");
    text.name(finding.severity.name());
    text.key(false, "message");
    write_filled(text, &finding.message, shown, arguments);
    text.key(false, "hint");
    match &finding.hint {
        Some(hint) => {
            shown.arguments_into(hint, hint_arguments);
            write_filled(text, hint, shown, hint_arguments);
        }
        None => text.null(),
    }
    text.key(false, "basis");
    text.optional_text(finding.basis_in(shown.lang));
    text.key(false, "holder");
    text.optional_text(shown.optional(finding.holder.as_ref()).as_deref());
    text.key(false, "material");
    text.optional_text(shown.optional(finding.material.as_ref()).as_deref());
    text.key(false, "path");
    let path = finding
        .path
        .as_deref()
        .map(|path| shown.redaction.pointer(path));
    text.optional_text(path.as_deref());
    text.key(false, "line");
    match finding.line {
        Some(line) => text.unsigned(line as u64),
        None => text.null(),
    }
    text.key(false, "values");
    text.begin('{');
    for (index, (argument, value)) in finding
        .message
        .arguments
        .iter()
        .zip(&*arguments)
        .enumerate()
    {
        text.text_key(index == 0, &argument.name);
        text.text(value);
    }
    text.end('}', !finding.message.arguments.is_empty());
    text.key(false, "rule_source");
    match &finding.origin {
        Some(origin) => {
            text.begin('{');
            text.key(true, "file");
            text.text(&origin.file);
            text.key(false, "line");
            text.unsigned(origin.line as u64);
            text.key(false, "column");
            text.unsigned(origin.column as u64);
            text.end('}', true);
        }
        None => text.null(),
    }
    if let Some(waiver) = &finding.waiver {
        text.key(false, "waiver");
        text.begin('{');
        text.key(true, "reason");
        text.text(&shown.text(&waiver.reason));
        text.key(false, "approved_by");
        text.text(&shown.text(&waiver.approved_by));
        text.key(false, "expires");
        serialized(text, &waiver.expires);
        text.key(false, "source");
        text.text(&shown.text(&waiver.source));
        text.end('}', true);
    }
    if finding.rule_error {
        text.key(false, "rule_error");
        text.literal("true");
    }
    text.end('}', true);
}

/// `message` filled with its shown `arguments`, escaped as it is filled.
fn write_filled(text: &mut JsonText, message: &Message, shown: Shown, arguments: &[Cow<'_, str>]) {
    text.text_written(|out| message.write_shown(shown.lang, arguments, out));
}
