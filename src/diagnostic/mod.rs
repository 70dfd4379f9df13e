//! Diagnostics with source: a problem in a file a person wrote (a rule file,
//! a bundle manifest, a rule test) rendered with the offending line and a
//! caret under the place, the way compilers show errors.
//!
//! A [`Diagnostic`] is a value (file, position, message, label, notes);
//! [`render`] turns a list of them into text with annotate-snippets, colour
//! only when asked (a terminal). Rule-set load errors and manifest errors
//! become diagnostics in `load.rs` and `manifest.rs`.

mod load;
mod manifest;
mod span;

pub use load::render_load_errors;
pub use manifest::render_manifest_error;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::yaml::Position;

/// One problem at one place of a text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as shown to the user.
    pub file: String,
    /// Where, when the problem is at a place (1-based line, column in characters).
    pub position: Option<Position>,
    /// The headline: what is wrong.
    pub message: String,
    /// A few words under the caret.
    pub label: String,
    /// An earlier place the problem refers to (the first definition of a duplicate).
    pub related: Option<(Position, String)>,
    /// Further lines: what is expected, how to fix it.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub(crate) fn new(
        file: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: file.into(),
            position,
            message: message.into(),
            label: String::new(),
            related: None,
            notes: Vec::new(),
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub(crate) fn related(mut self, position: Position, label: impl Into<String>) -> Diagnostic {
        self.related = Some((position, label.into()));
        self
    }

    /// `file:line:col: message`, for logs and one-line listings.
    pub fn headline(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}: {}", self.file, p.line, p.column, self.message),
            None => format!("{}: {}", self.file, self.message),
        }
    }
}

/// Renders diagnostics one after another. `source` gives the text of a file
/// by the name the diagnostic carries; without it (or without a position)
/// the diagnostic is shown with its file name only.
pub fn render(
    diagnostics: &[Diagnostic],
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in diagnostics {
        let text = source(&diagnostic.file);
        out.push_str(&renderer.render(&groups(diagnostic, text.as_deref())));
        out.push_str("\n\n");
    }
    out
}

fn groups<'a>(diagnostic: &'a Diagnostic, text: Option<&'a str>) -> Vec<Group<'a>> {
    let title = Level::ERROR.primary_title(diagnostic.message.as_str());
    let located = diagnostic
        .position
        .zip(text)
        .and_then(|(position, text)| span::of(text, position).map(|span| (span, text)));
    let mut group = match located {
        Some((span, text)) => {
            let mut snippet = Snippet::source(text)
                .path(diagnostic.file.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(non_empty(&diagnostic.label)),
                );
            if let Some((position, label)) = &diagnostic.related
                && let Some(span) = span::of(text, *position)
            {
                snippet =
                    snippet.annotation(AnnotationKind::Context.span(span).label(label.as_str()));
            }
            title.element(snippet)
        }
        None => {
            let mut origin = Origin::path(diagnostic.file.as_str());
            if let Some(position) = diagnostic.position {
                origin = origin
                    .line(position.line)
                    .char_column(position.column.saturating_sub(1));
            }
            title.element(origin)
        }
    };
    for note in &diagnostic.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    vec![group]
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}
