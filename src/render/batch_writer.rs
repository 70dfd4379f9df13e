//! Writing a batch of reports in any format: the one entry point every
//! front end (command line, server) uses, so a batch looks the same
//! wherever it comes from.
//!
//! Work is split so it can run in parallel: [`BatchLayout::entry`] renders
//! one report (on a worker thread, beside judging it), and one
//! [`BatchWriter`] writes the entries in input order with the framing of the
//! format around them.
//!
//! Text, JSON, JSON Lines and GitHub annotations stream: the writer keeps
//! only the summary's tally, so memory stays flat however many bundles
//! there are. Markdown, HTML, JUnit and SARIF batches are one document
//! whose overview comes first, so the writer holds every report of such a
//! batch in memory until [`BatchWriter::finish`]; for large batches, write
//! one file per bundle instead (`--output-dir`).

use std::io::{self, Write};

use super::{
    Format, HtmlLinks, RenderOptions, html_with_links, render, report_json_line,
    report_json_pretty, summary_line, text_line, text_summary,
};
use crate::report::{BatchSummary, Outcome, Report};

/// One report rendered alone: the whole document a user gets for one bundle.
pub fn render_report(report: &Report, format: Format, settings: &RenderOptions) -> String {
    render(format, std::slice::from_ref(report), settings)
}

/// How a batch is written: its format, its settings, and whether it is a
/// batch at all (several bundles, or a folder of them) or one bundle's
/// report. Cheap to copy to every worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLayout {
    format: Format,
    settings: RenderOptions,
    several: bool,
    /// The index the reports are listed in, when each is written to a
    /// folder beside it (`--output-dir`): HTML reports link back to it.
    index: Option<&'static str>,
}

/// One report made ready for the writer: its rendering (or the report
/// itself, for formats that render the batch as one document) and what the
/// batch's summary counts of it.
#[derive(Debug)]
pub struct BatchEntry {
    outcome: Outcome,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Text(String),
    /// Kept whole until the batch's document is rendered.
    Report(Box<Report>),
}

impl BatchLayout {
    /// A layout for `format`; `several` says whether the output is a batch
    /// (JSON array, one text line per bundle, a closing summary) or the
    /// report of one bundle.
    pub fn new(format: Format, settings: RenderOptions, several: bool) -> BatchLayout {
        BatchLayout {
            format,
            settings,
            several,
            index: None,
        }
    }

    /// The same layout for reports written one per file beside the batch
    /// index `index` (a file name in the same folder), which they link to.
    pub fn beside_index(self, index: &'static str) -> BatchLayout {
        BatchLayout {
            index: Some(index),
            ..self
        }
    }

    /// The format written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The settings every report is rendered with.
    pub fn settings(&self) -> &RenderOptions {
        &self.settings
    }

    /// Whether the output is a batch rather than one bundle's report.
    pub fn several(&self) -> bool {
        self.several
    }

    /// Whether the writer must hold every report until the end (one
    /// document for the whole batch), rather than stream.
    pub fn holds_reports(&self) -> bool {
        self.several && self.format.is_document()
    }

    /// Prepares one report for the writer. Pure and thread-safe: call it on
    /// the thread that judged the bundle, so rendering runs in parallel too.
    pub fn entry(&self, report: Report) -> BatchEntry {
        let outcome = Outcome::of(&report, self.settings.fail_on);
        let body = match (self.format, self.several) {
            (_, true) if self.format.is_document() => Body::Report(Box::new(report)),
            // --explain asks for every reason: a batch then gets whole reports.
            (Format::Text, true) if self.settings.explain => Body::Text(format!(
                "{}\n",
                render_report(&report, Format::Text, &self.settings)
            )),
            (Format::Text, true) => Body::Text(text_line(&report, &self.settings)),
            (Format::Json, true) => Body::Text(report_json_pretty(&report, &self.settings)),
            (Format::Jsonl, _) => Body::Text(report_json_line(&report, &self.settings)),
            (Format::Html, _) if self.index.is_some() => {
                let links = HtmlLinks {
                    index: self.index.map(str::to_string),
                    ..HtmlLinks::default()
                };
                Body::Text(html_with_links(
                    std::slice::from_ref(&report),
                    &self.settings,
                    &links,
                ))
            }
            (format, _) => Body::Text(render_report(&report, format, &self.settings)),
        };
        BatchEntry { outcome, body }
    }

    /// Starts writing a batch to `out` (JSON: the opening bracket).
    pub fn begin<W: Write>(self, out: W) -> io::Result<BatchWriter<W>> {
        BatchWriter::begin(out, self)
    }
}

impl BatchEntry {
    /// What the batch's summary and index take from this report.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// The report rendered, as it is written; `None` for a report kept
    /// whole for a batch document.
    pub fn text(&self) -> Option<&str> {
        match &self.body {
            Body::Text(text) => Some(text),
            Body::Report(_) => None,
        }
    }
}

/// Writes the entries of a batch in the order they are added, with the
/// framing of the format (a JSON array's brackets, the summary closing a
/// JSON Lines or text batch), and tallies the batch's summary.
pub struct BatchWriter<W: Write> {
    out: W,
    layout: BatchLayout,
    summary: BatchSummary,
    /// Reports of a batch rendered as one document, in input order.
    kept: Vec<Report>,
}

impl<W: Write> BatchWriter<W> {
    /// Starts a batch in `layout` on `out`.
    pub fn begin(mut out: W, layout: BatchLayout) -> io::Result<BatchWriter<W>> {
        if layout.several && layout.format == Format::Json {
            out.write_all(b"[")?;
        }
        Ok(BatchWriter {
            out,
            layout,
            summary: BatchSummary::default(),
            kept: Vec::new(),
        })
    }

    /// Renders and writes one report (on this thread; see
    /// [`BatchLayout::entry`] to render on a worker).
    pub fn add(&mut self, report: Report) -> io::Result<()> {
        let entry = self.layout.entry(report);
        self.add_entry(entry)
    }

    /// Writes one entry prepared by [`BatchLayout::entry`].
    pub fn add_entry(&mut self, entry: BatchEntry) -> io::Result<()> {
        let first = self.summary.bundles == 0;
        self.summary.add(&entry.outcome);
        match entry.body {
            Body::Report(report) => self.kept.push(*report),
            Body::Text(text) => {
                if self.layout.several && self.layout.format == Format::Json {
                    self.out.write_all(if first { b"\n" } else { b",\n" })?;
                }
                self.out.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    }

    /// The summary of what was added so far.
    pub fn summary(&self) -> &BatchSummary {
        &self.summary
    }

    /// Closes the batch (JSON: the closing bracket; JSON Lines and text:
    /// the summary; a document format: the whole document), flushes, and
    /// gives back the output and the batch's summary.
    pub fn finish(mut self) -> io::Result<(W, BatchSummary)> {
        let settings = &self.layout.settings;
        if self.layout.several {
            let closing = match self.layout.format {
                Format::Json if self.summary.bundles == 0 => "]\n".to_string(),
                Format::Json => "\n]\n".to_string(),
                Format::Jsonl => summary_line(&self.summary),
                Format::Text => text_summary(&self.summary, settings),
                // A line per bundle, nothing to close.
                Format::Github => String::new(),
                Format::Markdown | Format::Html | Format::Junit | Format::Sarif => {
                    render(self.layout.format, &self.kept, settings)
                }
            };
            self.out.write_all(closing.as_bytes())?;
        }
        self.out.flush()?;
        Ok((self.out, self.summary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Message, Severity, Status};

    fn failing(severity: Severity) -> Finding {
        let message = Message::of("清单无法读取", "the manifest cannot be read", Vec::new());
        Finding::new("bundle.manifest", Status::Fail, severity, message)
    }

    fn report(bundle: &str, fails: bool) -> Report {
        let mut report = Report::empty(bundle);
        if fails {
            report.findings.push(failing(Severity::Error));
        }
        report
    }

    fn batch(format: Format, several: bool, reports: &[Report]) -> (String, BatchSummary) {
        let layout = BatchLayout::new(format, RenderOptions::default(), several);
        let mut writer = layout.begin(Vec::new()).unwrap();
        for report in reports {
            writer.add(report.clone()).unwrap();
        }
        let (out, summary) = writer.finish().unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    #[test]
    fn a_json_batch_is_one_array_in_input_order() {
        let reports = [report("a", false), report("b", true), report("c", false)];
        let (text, summary) = batch(Format::Json, true, &reports);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let bundles: Vec<&str> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["bundle"].as_str().unwrap())
            .collect();
        assert_eq!(bundles, ["a", "b", "c"]);
        assert_eq!((summary.bundles, summary.passed, summary.failed), (3, 2, 1));
        assert_eq!(batch(Format::Json, true, &[]).0, "[]\n");
    }

    #[test]
    fn json_lines_end_with_the_summary_line() {
        let (text, _) = batch(
            Format::Jsonl,
            true,
            &[report("a", true), report("b", false)],
        );
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["bundle"], "a");
        assert_eq!(lines[2]["format"], "dossier.summary/v1");
        assert_eq!(lines[2]["failed"], 1);
        assert_eq!(lines[2]["failing_rules"][0]["rule"], "bundle.manifest");
    }

    #[test]
    fn one_bundle_is_its_own_report_without_batch_framing() {
        let one = report("a", true);
        for format in Format::ALL {
            let (text, summary) = batch(format, false, std::slice::from_ref(&one));
            assert_eq!(
                text,
                render_report(&one, format, &RenderOptions::default()),
                "{format:?}"
            );
            assert_eq!(summary.failed, 1);
        }
    }

    #[test]
    fn a_document_batch_is_the_document_of_every_report() {
        let reports = [report("a", false), report("b", true)];
        for format in [Format::Markdown, Format::Html, Format::Junit, Format::Sarif] {
            let (text, _) = batch(format, true, &reports);
            assert_eq!(text, render(format, &reports, &RenderOptions::default()));
        }
    }

    #[test]
    fn html_reports_beside_an_index_link_back_to_it() {
        let layout = BatchLayout::new(Format::Html, RenderOptions::default(), false);
        let alone = layout.entry(report("a", true));
        assert!(!alone.text().unwrap().contains("<nav"));
        let beside = layout.beside_index("index.html").entry(report("a", true));
        assert!(beside.text().unwrap().contains("<a href=\"index.html\">"));
        let markdown = BatchLayout::new(Format::Markdown, RenderOptions::default(), false);
        assert_eq!(
            markdown
                .beside_index("index.md")
                .entry(report("a", true))
                .text(),
            markdown.entry(report("a", true)).text()
        );
    }

    #[test]
    fn entries_made_elsewhere_write_the_same_bytes() {
        let reports = [report("a", false), report("b", true)];
        for format in Format::ALL {
            let layout = BatchLayout::new(format, RenderOptions::default(), true);
            let mut writer = layout.begin(Vec::new()).unwrap();
            for report in &reports {
                writer.add_entry(layout.entry(report.clone())).unwrap();
            }
            let (out, _) = writer.finish().unwrap();
            assert_eq!(out, batch(format, true, &reports).0.into_bytes());
        }
    }

    #[test]
    fn the_summary_follows_the_fail_on_threshold() {
        let mut warned = Report::empty("w");
        warned.findings.push(failing(Severity::Warning));
        let settings = RenderOptions {
            fail_on: Severity::Warning,
            ..RenderOptions::default()
        };
        let layout = BatchLayout::new(Format::Text, settings, true);
        assert!(layout.entry(warned.clone()).outcome().fails_at_threshold);
        let lenient = BatchLayout::new(Format::Text, RenderOptions::default(), true);
        assert!(!lenient.entry(warned).outcome().fails_at_threshold);
    }
}
