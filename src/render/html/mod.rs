//! The HTML report for a reviewer: one self-contained page (embedded
//! stylesheet, no scripts, no external assets) that works offline and
//! prints well. A batch is one page with a section per bundle. The page is
//! `templates/report/report.html`, whose engine escapes every value; the
//! values are redacted before the templates see them.

mod attachments;
mod finding;
mod view;

use askama::Template;

use super::page::Frame;
use super::words::Words;
use super::{Format, Redaction, RenderOptions};
use crate::report::Report;
use view::{OverviewRow, ReportView};

/// Where an HTML report's links lead beyond the page itself. Both are off
/// for a report written alone: a file saved or sent on has no index beside
/// it, and links to attachments would break once it leaves the bundle's
/// folder (or point a reader at someone's local paths).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlLinks {
    /// The batch index the report belongs to, as a relative address: each
    /// report written into an output folder links back to it.
    pub index: Option<String>,
    /// The address the bundle's attachments are served under (ending in
    /// `/`): a material's file `files/a.pdf` links to `{base}files/a.pdf`.
    /// For a page of one bundle, as a server shows it.
    pub attachments: Option<String>,
}

/// A link back to the batch index.
struct BackLink {
    href: String,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "report/report.html")]
struct ReportPage<'a> {
    frame: Frame,
    words: &'a Words,
    back: Option<BackLink>,
    overview: Option<Vec<OverviewRow>>,
    reports: Vec<ReportView>,
    masked_note: Option<&'static str>,
}

/// Reports as one HTML document.
pub fn html(reports: &[Report], options: &RenderOptions) -> String {
    html_with_links(reports, options, &HtmlLinks::default())
}

/// Reports as one HTML document whose links lead where `links` says.
pub fn html_with_links(reports: &[Report], options: &RenderOptions, links: &HtmlLinks) -> String {
    let redaction = Redaction::of(options, Format::Html);
    let shown = &*redaction.reports(reports);
    let words = Words::of(options.lang);
    let title = match shown {
        [report] => format!(
            "{} — {} — {}",
            words.verdict_word(report.verdict_at(options.fail_on)),
            report.bundle,
            words.report
        ),
        _ => words.reports.to_string(),
    };
    let views: Vec<ReportView> = shown
        .iter()
        .zip(reports)
        .enumerate()
        .map(|(index, (report, raw))| {
            let files = attachments::attachments(raw, &redaction, links.attachments.as_deref());
            ReportView::of(index, report, files, options, words)
        })
        .collect();
    let page = ReportPage {
        frame: Frame::offline(options.lang, title),
        words,
        back: links.index.as_ref().map(|href| BackLink {
            href: href.clone(),
            label: words.back_to_index,
        }),
        overview: (shown.len() != 1).then(|| OverviewRow::all(shown, options, words)),
        reports: views,
        masked_note: (!options.show_personal_data).then_some(words.masked),
    };
    // Rendering into a String fails only if a value's Display does: a bug.
    let mut out = page.render().expect("the report page renders");
    out.push('\n');
    out
}
