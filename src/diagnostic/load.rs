//! Rule-set load errors as diagnostics: every [`LoadErrorKind`] with its
//! caret label and, where the loader knows them, the names it expected.

use std::collections::HashMap;

use super::{Diagnostic, render};
use crate::rules::{LoadError, LoadErrorKind, LoadErrors, RuleFile};
use crate::yaml::Position;

/// The lines of each file that was looked into, split once: many errors of
/// one file must not each split it again.
type Lines<'f> = HashMap<&'f str, Vec<&'f str>>;

/// The diagnostic of one load error; `root` is how the rule set's folder is
/// shown before the file name (`rules`, `my-rules/`).
fn load_diagnostic<'f>(
    error: &LoadError,
    root: &str,
    files: &'f [RuleFile],
    lines: &mut Lines<'f>,
) -> Diagnostic {
    let file = shown(root, &error.file);
    let base = |message: String| Diagnostic::new(file.clone(), error.position, message);
    let diagnostic = match &error.kind {
        LoadErrorKind::Io(message) => base(format!("cannot read: {message}")),
        LoadErrorKind::Yaml(message) => base(message.clone()).label("the YAML reader stopped here"),
        LoadErrorKind::UnknownKey { key, expected } => base(format!("unknown key `{key}`"))
            .label("not a key of this map")
            .note(format!("expected one of: {expected}")),
        LoadErrorKind::MissingKey(key) => {
            base(format!("missing key `{key}`")).label(format!("this map needs `{key}`"))
        }
        LoadErrorKind::WrongType { expected, found } => {
            base(format!("expected {expected}, found {found}")).label("this value")
        }
        LoadErrorKind::Unknown { what, name, known } => {
            let diagnostic =
                base(format!("unknown {what} `{name}`")).label(format!("no such {what}"));
            let known = known.trim_start_matches([';', ' ']);
            let listed = known
                .split_once(':')
                .is_none_or(|(_, names)| !names.trim().is_empty());
            if known.is_empty() || !listed {
                diagnostic
            } else {
                diagnostic.note(known.to_string())
            }
        }
        LoadErrorKind::Duplicate {
            what,
            name,
            first_line,
        } => {
            let diagnostic =
                base(format!("{what} `{name}` is defined twice")).label("defined again here");
            let file = files.iter().find(|f| f.path == error.file);
            let file_lines = file.map(|f| {
                lines
                    .entry(f.path.as_str())
                    .or_insert_with(|| f.text.lines().collect())
                    .as_slice()
            });
            match file_lines.and_then(|l| first_word(l, *first_line)) {
                Some(position) => diagnostic.related(position, "first defined here"),
                None => diagnostic.note(format!("first defined at line {first_line}")),
            }
        }
        LoadErrorKind::Script(message) => {
            base(format!("script error: {message}")).label("rhai cannot compile this")
        }
        LoadErrorKind::Undecided(why) => base(why.message())
            .label(match why {
                crate::script::Undecided::Assignment => "`=` assigns",
                _ => "this may give no true or false",
            })
            .note(why.help()),
        LoadErrorKind::Invalid(message) => base(message.clone()).label("here"),
        LoadErrorKind::Lint { message, hint } => {
            let diagnostic = base(message.clone()).label("here");
            match hint {
                Some(hint) => diagnostic.note(hint.clone()),
                None => diagnostic,
            }
        }
    };
    match error.kind.suggestion() {
        Some(near) => diagnostic.note(format!("did you mean `{near}`?")),
        None => diagnostic,
    }
}

/// Every load error as a diagnostic, in the loader's order.
pub fn load_diagnostics(errors: &LoadErrors, root: &str, files: &[RuleFile]) -> Vec<Diagnostic> {
    let mut lines = Lines::new();
    errors
        .0
        .iter()
        .map(|e| load_diagnostic(e, root, files, &mut lines))
        .collect()
}

/// Load errors rendered with their source lines, then a count.
pub fn render_load_errors(
    errors: &LoadErrors,
    root: &str,
    files: &[RuleFile],
    color: bool,
) -> String {
    let mut out = render_load_diagnostics(errors, root, files, color);
    out.push_str(&problem_count("the rule set does not load", errors.0.len()));
    out
}

/// Load errors (of rule files, the calendar or rule tests) rendered with
/// their source lines; `files` are named relative to `root`.
pub fn render_load_diagnostics(
    errors: &LoadErrors,
    root: &str,
    files: &[RuleFile],
    color: bool,
) -> String {
    let diagnostics = load_diagnostics(errors, root, files);
    let source = |file: &str| {
        files
            .iter()
            .find(|f| shown(root, &f.path) == file)
            .map(|f| f.text.clone())
    };
    render(&diagnostics, &source, color)
}

/// `error: <what>: 3 problems`.
pub fn problem_count(what: &str, count: usize) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("error: {what}: {count} problem{plural}\n")
}

fn shown(root: &str, file: &str) -> String {
    if root.is_empty() || file.starts_with(root) {
        file.to_string()
    } else {
        format!("{}/{file}", root.trim_end_matches('/'))
    }
}

/// The first non-blank character of `line`.
fn first_word(lines: &[&str], line: usize) -> Option<Position> {
    let content = lines.get(line.checked_sub(1)?)?;
    let column = content.chars().take_while(|c| *c == ' ').count() + 1;
    Some(Position { line, column })
}
