//! Diagnostics with source: a problem in a file a person wrote (a rule file,
//! a bundle manifest, a rule test) rendered with the offending line and a
//! caret under the place, the way compilers show errors.
//!
//! A [`Diagnostic`] is a value (file, position, message, label, notes);
//! [`render`] turns a list of them into text with annotate-snippets, colour
//! only when asked (a terminal). Rule-set load errors and manifest errors
//! become diagnostics in `load.rs` and `manifest.rs`.

mod excerpt;
mod load;
mod manifest;
mod span;

pub use load::{problem_count, render_load_diagnostics, render_load_errors};
pub use manifest::render_manifest_error;

use std::collections::HashMap;
use std::ops::Range;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use excerpt::{Excerpt, Indexed};

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
/// the diagnostic is shown with its file name only. Each file is asked for
/// and indexed once, and each snippet shows only its own lines, so the cost
/// is linear in the number of diagnostics whatever the file's size.
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
    let mut files: HashMap<&str, Option<Indexed>> = HashMap::new();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let file = files
            .entry(diagnostic.file.as_str())
            .or_insert_with(|| source(&diagnostic.file).map(Indexed::new));
        let excerpts = match (diagnostic.position, file.as_mut()) {
            (Some(position), Some(file)) => excerpts(file, position, diagnostic.related.as_ref()),
            _ => Vec::new(),
        };
        out.push_str(&renderer.render(&groups(diagnostic, &excerpts)));
        out.push_str("\n\n");
    }
    out
}

/// One snippet's lines, with its annotations (primary or context) and labels.
struct Shown<'d> {
    excerpt: Excerpt,
    annotations: Vec<(AnnotationKind, Range<usize>, Option<&'d str>)>,
}

/// The snippets of a diagnostic: its place, and the earlier place it refers
/// to, together when near, else each on its own.
fn excerpts<'d>(
    file: &mut Indexed,
    position: Position,
    related: Option<&'d (Position, String)>,
) -> Vec<Shown<'d>> {
    let primary = |excerpt: &Excerpt| (AnnotationKind::Primary, excerpt.span.clone(), None);
    if let Some((earlier, label)) = related
        && let Some((excerpt, span)) = file.range(*earlier, position)
    {
        let annotations = vec![
            (AnnotationKind::Context, span, Some(label.as_str())),
            primary(&excerpt),
        ];
        return vec![Shown {
            excerpt,
            annotations,
        }];
    }
    let mut shown = Vec::new();
    if let Some((earlier, label)) = related
        && let Some(excerpt) = file.place(*earlier)
    {
        let annotations = vec![(
            AnnotationKind::Context,
            excerpt.span.clone(),
            Some(label.as_str()),
        )];
        shown.push(Shown {
            excerpt,
            annotations,
        });
    }
    if let Some(excerpt) = file.place(position) {
        let annotations = vec![primary(&excerpt)];
        shown.push(Shown {
            excerpt,
            annotations,
        });
    }
    // The place itself comes first, as a single snippet would show it.
    shown.reverse();
    shown
}

fn groups<'a>(diagnostic: &'a Diagnostic, excerpts: &'a [Shown<'a>]) -> Vec<Group<'a>> {
    let title = Level::ERROR.primary_title(diagnostic.message.as_str());
    let mut snippets = excerpts.iter().map(|shown| snippet(diagnostic, shown));
    let mut group = match snippets.next() {
        // A cut line has columns of its own: the place is named, and the
        // text around it quoted in a note.
        Some(_) if excerpts[0].excerpt.cut_at.is_some() => {
            let excerpt = &excerpts[0].excerpt;
            let origin = Origin::path(diagnostic.file.as_str())
                .line(excerpt.first_line)
                .char_column(excerpt.cut_at.unwrap_or(1));
            title.element(origin).element(
                Level::NOTE.message(format!("a long line; around the place: {}", excerpt.text)),
            )
        }
        Some(first) => snippets.fold(title.element(first), |group, next| group.element(next)),
        None => {
            let mut origin = Origin::path(diagnostic.file.as_str());
            if let Some(position) = diagnostic.position {
                origin = origin.line(position.line).char_column(position.column);
            }
            title.element(origin)
        }
    };
    for note in &diagnostic.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    vec![group]
}

fn snippet<'a>(diagnostic: &'a Diagnostic, shown: &'a Shown<'a>) -> Snippet<'a, Annotation<'a>> {
    let mut snippet = Snippet::source(shown.excerpt.text.as_str())
        .line_start(shown.excerpt.first_line)
        .path(diagnostic.file.as_str());
    for (kind, span, label) in &shown.annotations {
        let label = label.or_else(|| {
            (*kind == AnnotationKind::Primary)
                .then(|| non_empty(&diagnostic.label))
                .flatten()
        });
        snippet = snippet.annotation((*kind).span(span.clone()).label(label));
    }
    snippet
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}
