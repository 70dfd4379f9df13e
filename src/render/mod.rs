//! Renderings of reports. Each format is one file and a pure function of
//! the reports and [`RenderOptions`]; nothing here evaluates anything.

mod argument_label;
mod batch;
mod batch_writer;
mod checklist;
mod github;
mod html;
mod index;
mod json;
mod json_text;
mod junit;
mod markdown;
mod markup;
mod materials;
mod outline;
pub(crate) mod page;
mod redaction;
mod reference;
mod rules_diff;
mod sarif;
mod template;
mod terminal;
mod text;
mod words;

pub(crate) use batch::{summary_line, text_line, text_summary};
pub use batch_writer::{BatchLayout, BatchWriter, render_report};
pub use checklist::checklist;
pub use github::github;
pub use html::{HtmlLinks, html, html_with_links};
pub use index::{index_footer, index_header, index_name, index_row};
pub use json::{report_json, report_value};
pub(crate) use json::{report_json_line, report_json_pretty, reports_json_pretty};
pub use junit::junit;
pub use markdown::markdown;
pub use page::{Frame, OFFLINE_POLICY, STYLESHEET, Style};
pub use redaction::Redaction;
pub use reference::reference_pages;
pub use rules_diff::rules_diff;
pub use sarif::{sarif, sarif_value};
pub use template::{bundle_template, bundle_template_with_schema};
pub(crate) use terminal::is_unsafe;
pub use text::text;

/// ID and phone numbers in free text (a path, a message) masked, for
/// output that is not a report (a front end's notes on stderr).
pub use crate::domain::mask::mask_personal_numbers;

use crate::lang::Lang;
use crate::report::{Report, Severity};

/// The formats reports are rendered in (`dossier check --format` offers
/// exactly these: clap's values derive from this enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[non_exhaustive]
pub enum Format {
    /// Coloured for a terminal; one line per bundle in a batch.
    Text,
    /// `dossier.report/v1`, indented; an array of them in a batch.
    Json,
    /// `dossier.report/v1`, one report a line; a batch ends with a summary line.
    Jsonl,
    /// For tickets and chat.
    Markdown,
    /// A self-contained page for a reviewer.
    Html,
    /// JUnit XML, for CI test reports.
    Junit,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
        Format::Html,
        Format::Junit,
        Format::Sarif,
        Format::Github,
    ];

    /// The file extension of one report in this format (`--output-dir`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text | Format::Github => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Junit => "xml",
            Format::Sarif => "sarif",
        }
    }

    /// The format's name, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }

    /// The format named `name` (`--format`'s spelling), if any.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The media type a report in this format is sent as (HTTP
    /// `Content-Type`).
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Text | Format::Github => "text/plain; charset=utf-8",
            Format::Json => "application/json",
            Format::Jsonl => "application/x-ndjson",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Junit => "application/xml",
            Format::Sarif => "application/sarif+json",
        }
    }

    /// Whether several reports make one document that cannot be written a
    /// report at a time (one HTML page, one Markdown overview, one JUnit
    /// `<testsuites>`, one SARIF run), rather than a stream of pieces.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            Format::Markdown | Format::Html | Format::Junit | Format::Sarif
        )
    }
}

/// How reports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// The language of every text written.
    pub lang: Lang,
    /// Show ID and phone numbers unmasked (`--show-personal-data`).
    pub show_personal_data: bool,
    /// ANSI colour, for terminals only.
    pub color: bool,
    /// List passed and skipped findings with their reasons in text output,
    /// and every finding's values and rule source.
    pub explain: bool,
    /// What fails a bundle (`--fail-on`): failing errors, or failing
    /// warnings too. Every format's verdict follows it, as the exit status does.
    pub fail_on: Severity,
}

impl RenderOptions {
    /// The default settings, in `lang`.
    pub fn in_language(lang: Lang) -> RenderOptions {
        RenderOptions {
            lang,
            ..RenderOptions::default()
        }
    }
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            lang: Lang::En,
            show_personal_data: false,
            color: false,
            explain: false,
            fail_on: Severity::Error,
        }
    }
}

/// Renders reports in `format`. Reports make a JSON array (even one), JSON
/// lines, text reports one after another, or one document (Markdown, HTML,
/// JUnit, SARIF) holding every report.
pub fn render(format: Format, reports: &[Report], options: &RenderOptions) -> String {
    match format {
        Format::Text => reports
            .iter()
            .map(|r| text(r, options))
            .collect::<Vec<_>>()
            .join("\n"),
        // Always an array, one bundle or many: one shape whatever the input.
        Format::Json => {
            let mut text = reports_json_pretty(reports, options);
            text.push('\n');
            text
        }
        Format::Jsonl => reports
            .iter()
            .map(|r| report_json_line(r, options))
            .collect(),
        Format::Markdown => markdown(reports, options),
        Format::Html => html(reports, options),
        Format::Junit => junit(reports, options),
        Format::Sarif => sarif(reports, options),
        Format::Github => github(reports, options),
    }
}
