//! The lines a snippet shows, cut from a file indexed once. Rendering N
//! diagnostics of one file then costs N times a bounded excerpt, never N
//! times the file: a rule file with 20 000 unknown keys gives 20 000
//! diagnostics, and handing annotate-snippets the whole file each time made
//! that quadratic. A very long line (a flow map of thousands of keys on one
//! line) is cut around the place too, for the same reason.

use std::collections::HashMap;
use std::ops::Range;

use super::span;
use crate::yaml::Position;

/// Most bytes of one line a snippet shows; a longer line is cut around the
/// place (and named by its place, not shown with a caret: see `render`).
const LINE_BYTES: usize = 1024;
/// Characters kept from the place on when a long line is cut.
const AFTER: usize = 100;
/// Characters kept before the place when a long line is cut.
const BEFORE: usize = 60;
/// Most lines between a place and the earlier place it refers to that are
/// shown in one snippet; farther apart, each gets its own.
const SPAN_LINES: usize = 8;
/// A long line's character offsets are recorded every this many characters.
const STRIDE: usize = 64;

/// A few lines of a file, with where the annotated places fall in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The file line of the excerpt's first line.
    pub first_line: usize,
    /// Byte range of the place within `text`.
    pub span: Range<usize>,
    /// The place's real column, when the line was cut (the excerpt's own
    /// columns then differ from the file's).
    pub cut_at: Option<usize>,
}

/// A file's text with the start of every line, built once per render.
pub struct Indexed {
    text: String,
    starts: Vec<usize>,
    /// Byte offsets of every `STRIDE`-th character of each long line.
    strides: HashMap<usize, Vec<usize>>,
}

impl Indexed {
    pub fn new(text: String) -> Indexed {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Indexed {
            text,
            starts,
            strides: HashMap::new(),
        }
    }

    /// The content of `line` (1-based), without its line break.
    fn line(&self, line: usize) -> Option<&str> {
        line_of(&self.text, &self.starts, line)
    }

    /// The excerpt of one place: its line, cut around the column when long.
    pub fn place(&mut self, position: Position) -> Option<Excerpt> {
        let content = self.line(position.line)?;
        if content.len() <= LINE_BYTES {
            let text = content.to_string();
            let span = span::of(
                &text,
                Position {
                    line: 1,
                    ..position
                },
            )?;
            return Some(Excerpt {
                text,
                first_line: position.line,
                span,
                cut_at: None,
            });
        }
        let column = position.column.max(1) - 1;
        let from_char = column.saturating_sub(BEFORE);
        let from = self.byte_of(position.line, from_char);
        let to = self.byte_of(position.line, column + AFTER);
        let content = self.line(position.line)?;
        let prefix = if from > 0 { "…" } else { "" };
        let suffix = if to < content.len() { "…" } else { "" };
        let text = format!("{prefix}{}{suffix}", &content[from..to]);
        let shift = usize::from(from > 0);
        let span = span::of(
            &text,
            Position {
                line: 1,
                column: column - from_char + shift + 1,
            },
        )?;
        Some(Excerpt {
            text,
            first_line: position.line,
            span,
            cut_at: Some(position.column),
        })
    }

    /// Lines from `earlier` to `last`, the place on `last` and the range of
    /// `earlier` in them, when they are few and short; `None` otherwise (show
    /// each place on its own).
    pub fn range(&mut self, earlier: Position, last: Position) -> Option<(Excerpt, Range<usize>)> {
        let first = earlier.line;
        if first > last.line || last.line - first > SPAN_LINES {
            return None;
        }
        let mut text = String::new();
        for line in first..=last.line {
            let content = self.line(line)?;
            if content.len() > LINE_BYTES {
                return None;
            }
            if line > first {
                text.push('\n');
            }
            text.push_str(content);
        }
        let related = span::of(&text, Position { line: 1, ..earlier })?;
        let span = span::of(
            &text,
            Position {
                line: last.line - first + 1,
                ..last
            },
        )?;
        Some((
            Excerpt {
                text,
                first_line: first,
                span,
                cut_at: None,
            },
            related,
        ))
    }

    /// The byte offset within `line` of its `index`-th character.
    fn byte_of(&mut self, line: usize, index: usize) -> usize {
        let Some(content) = line_of(&self.text, &self.starts, line) else {
            return 0;
        };
        let strides = self.strides.entry(line).or_insert_with(|| {
            content
                .char_indices()
                .step_by(STRIDE)
                .map(|(i, _)| i)
                .collect()
        });
        let Some(&base) = strides.get(index / STRIDE) else {
            return content.len();
        };
        content[base..]
            .char_indices()
            .nth(index % STRIDE)
            .map_or(content.len(), |(i, _)| base + i)
    }
}

fn line_of<'t>(text: &'t str, starts: &[usize], line: usize) -> Option<&'t str> {
    let start = *starts.get(line.checked_sub(1)?)?;
    let end = starts.get(line).map_or(text.len(), |next| next - 1);
    let content = &text[start..end.max(start)];
    Some(content.strip_suffix('\r').unwrap_or(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let mut file = Indexed::new("a: 1\nkey: value\r\n".to_string());
        let excerpt = file.place(at(2, 6)).unwrap();
        assert_eq!(excerpt.text, "key: value");
        assert_eq!(&excerpt.text[excerpt.span.clone()], "value");
        assert_eq!(excerpt.first_line, 2);
        assert_eq!(file.place(at(9, 1)), None);
    }

    #[test]
    fn a_long_line_is_cut_around_the_place() {
        let line: String = (0..5000).map(|i| format!("k{i}: 1, ")).collect();
        let text = format!("x: {{{line}}}\n");
        let column = text.find("k4321:").unwrap() + 1;
        let mut file = Indexed::new(text);
        let excerpt = file.place(at(1, column)).unwrap();
        assert!(excerpt.text.chars().count() <= BEFORE + AFTER + 2);
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        assert_eq!(&excerpt.text[excerpt.span.clone()], "k4321");
    }

    #[test]
    fn wide_characters_are_counted_as_characters() {
        let line = "名称".repeat(1000) + " target " + "x".repeat(400).as_str();
        let mut file = Indexed::new(line);
        let excerpt = file.place(at(1, 2002)).unwrap();
        assert_eq!(&excerpt.text[excerpt.span.clone()], "target");
    }

    #[test]
    fn near_places_share_one_excerpt() {
        let mut file = Indexed::new("a:\n  first: 1\n  b: 2\n  first: 3\n".to_string());
        let (excerpt, related) = file.range(at(2, 3), at(4, 3)).unwrap();
        assert_eq!(excerpt.first_line, 2);
        assert_eq!(&excerpt.text[excerpt.span.clone()], "first");
        assert_eq!(&excerpt.text[related], "first");
        assert_eq!(file.range(at(1, 1), at(40, 3)), None);
    }
}
