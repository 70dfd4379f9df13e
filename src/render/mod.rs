//! Renderings of reports. Each format is one file and a pure function of
//! the reports and [`RenderOptions`]; nothing here evaluates anything.

mod batch;
mod checklist;
mod json;
mod reference;
mod template;
mod text;

pub use batch::{SUMMARY_FORMAT, summary_line, text_line, text_summary};
pub use checklist::checklist;
pub use json::{report_value, reports_value};
pub use reference::reference_pages;
pub use template::{bundle_template, bundle_template_with_schema};
pub use text::text;

use crate::lang::Lang;
use crate::report::Report;

/// The formats `dossier check --format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Jsonl,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["text", "json", "jsonl"];

    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// How reports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    pub lang: Lang,
    /// Show ID and phone numbers unmasked (`--show-personal-data`).
    pub show_personal_data: bool,
    /// ANSI colour, for terminals only.
    pub color: bool,
    /// List passed and skipped findings with their reasons in text output.
    pub explain: bool,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            lang: Lang::En,
            show_personal_data: false,
            color: false,
            explain: false,
        }
    }
}

/// Renders reports in `format`. Several reports make a JSON array, JSON
/// lines, or text reports one after another.
pub fn render(format: Format, reports: &[Report], options: &RenderOptions) -> String {
    match format {
        Format::Text => reports
            .iter()
            .map(|r| text(r, options))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json if reports.len() == 1 => pretty(&report_value(&reports[0], options)),
        Format::Json => pretty(&reports_value(reports, options)),
        Format::Jsonl => reports
            .iter()
            .map(|r| format!("{}\n", report_value(r, options)))
            .collect(),
    }
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
