//! The frame every HTML page shares (`templates/layout.html`): language,
//! title, the one stylesheet (`templates/style.css`) and the page's
//! content security policy. The report and the batch index embed the
//! stylesheet, so a saved page reads the same offline; a server can link it
//! instead and send its policy as a header.

use crate::lang::Lang;

/// The stylesheet of every page: the report, the batch index and the
/// server's pages.
pub const STYLESHEET: &str = include_str!("../../templates/style.css");

/// The policy of a page written to a file: nothing is ever fetched (no
/// scripts, images, fonts or frames), only the embedded stylesheet applies,
/// and the page can neither submit a form nor change its base address.
pub const OFFLINE_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// How a page reaches the stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// In a `<style>` element: the page stands alone.
    Embedded,
    /// A `<link>` to this address, for pages a server sends.
    Linked(String),
}

/// What `templates/layout.html` needs of every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The `lang` attribute: `zh-CN` or `en`.
    pub lang: &'static str,
    /// The `<title>`, plain text (the template escapes it).
    pub title: String,
    /// How the page reaches the stylesheet.
    pub style: Style,
    /// A policy set in the page itself; `None` where the server sends it as
    /// a header.
    pub policy: Option<&'static str>,
}

impl Frame {
    /// A page that stands alone: stylesheet embedded, [`OFFLINE_POLICY`].
    pub fn offline(lang: Lang, title: String) -> Frame {
        Frame {
            lang: lang_attribute(lang),
            title,
            style: Style::Embedded,
            policy: Some(OFFLINE_POLICY),
        }
    }

    /// The stylesheet's address when it is linked.
    pub fn stylesheet_href(&self) -> Option<&str> {
        match &self.style {
            Style::Linked(href) => Some(href),
            Style::Embedded => None,
        }
    }

    /// The stylesheet's text when it is embedded (it is ours: no escaping).
    pub fn inline_style(&self) -> &'static str {
        STYLESHEET
    }
}

/// The `lang` attribute for a report language.
pub fn lang_attribute(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}
