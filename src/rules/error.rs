//! Why a rule set did not load, each reason with its file, line and column.

use std::fmt;

use thiserror::Error;

use crate::yaml::{ParseError, Position};

/// What is wrong at one place of a rule set. The message (`Display`) is
/// English: rule files are written by rule authors, not by the people
/// whose bundles are judged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// A file or folder cannot be read, or a file the rule set needs is
    /// missing (the catalog, an imported script); the reason.
    #[error("cannot read: {0}")]
    Io(String),
    /// The file is not YAML dossier can read (syntax, nesting or size
    /// bounds); the parser's reason.
    #[error("{0}")]
    Yaml(String),
    /// A key this place does not know; the known keys are listed, and a
    /// near one is suggested ([`LoadErrorKind::suggestion`]).
    #[error("unknown key `{key}`; expected one of: {expected}")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The keys allowed here, comma-separated.
        expected: String,
    },
    /// A key this place requires is not there; its name.
    #[error("missing key `{0}`")]
    MissingKey(String),
    /// A value of the wrong shape (a list where a map belongs…).
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The shape wanted, in words.
        expected: String,
        /// The shape written, in words.
        found: String,
    },
    /// A name that refers to nothing defined: a role, material, field,
    /// variable or function.
    #[error("unknown {what} `{name}`{known}")]
    Unknown {
        /// What kind of name (`material`, `field`…).
        what: &'static str,
        /// The name as written.
        name: String,
        /// The known names, as a suffix of the message (`; known: a, b`),
        /// or empty.
        known: String,
    },
    /// A name defined twice where names must be unique.
    #[error("{what} `{name}` is defined twice (first at line {first_line})")]
    Duplicate {
        /// What kind of name (`material`, `rule`…).
        what: &'static str,
        /// The name defined twice.
        name: String,
        /// The line of the first definition.
        first_line: usize,
    },
    /// A script does not compile; rhai's reason.
    #[error("script error: {0}")]
    Script(String),
    /// A mistake the compiler lets through, found by the rule lint.
    #[error("{message}{}", hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Lint {
        /// What is wrong.
        message: String,
        /// How to put it right, when there is one way.
        hint: Option<String>,
    },
    /// A check or `when` that cannot be trusted to give true or false.
    #[error("{}", .0.message())]
    Undecided(crate::script::Undecided),
    /// Any other value a rule file may not have (a review window of
    /// `5..3`, versions whose periods overlap…); the reason.
    #[error("{0}")]
    Invalid(String),
}

impl LoadErrorKind {
    /// The known name nearest to an unknown one, when it is close enough to
    /// be a misspelling: "did you mean `valid_until`?".
    pub fn suggestion(&self) -> Option<String> {
        match self {
            LoadErrorKind::UnknownKey { key, expected } => {
                super::lint::nearest(key, expected.split(", ")).map(str::to_string)
            }
            LoadErrorKind::Unknown { name, known, .. } => {
                // `known` lists the names after its last colon; a script's
                // `doc.valid_untill` is matched on the field alone.
                let names = known.rsplit_once(':').map_or(known.as_str(), |(_, n)| n);
                let candidates = names.split(',').map(str::trim);
                match name.split_once('.') {
                    Some((variable, field)) => super::lint::nearest(field, candidates)
                        .map(|near| format!("{variable}.{near}")),
                    None => super::lint::nearest(name, candidates).map(str::to_string),
                }
            }
            _ => None,
        }
    }
}

/// One problem in a rule set, with the file and place it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadError {
    /// The file, relative to the rule set's folder.
    pub file: String,
    /// Where in the file, when the problem has a place (a missing file
    /// has none).
    pub position: Option<Position>,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

impl fmt::Display for LoadError {
    /// Rule files may quote sample ID or phone numbers; like every message
    /// dossier writes, a load error shows them masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kind = self.kind.to_string();
        if let Some(near) = self.kind.suggestion() {
            kind.push_str(&format!(" (did you mean `{near}`?)"));
        }
        let kind = crate::domain::mask::mask_personal_numbers(&kind);
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {kind}", self.file, p.line, p.column),
            None => write!(f, "{}: {kind}", self.file),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// A problem in `file` (relative to the rule set's folder), at
    /// `position` when it has one.
    pub fn new(file: &str, position: Option<Position>, kind: LoadErrorKind) -> LoadError {
        LoadError {
            file: file.to_string(),
            position,
            kind,
        }
    }

    /// A file that does not parse as YAML, at the parser's place.
    pub(crate) fn from_yaml(file: &str, error: &ParseError) -> LoadError {
        let message = match error {
            ParseError::Syntax { message, .. } => format!("YAML syntax: {message}"),
            other => {
                let text = other.to_string();
                text.split_once(": ")
                    .map(|(_, m)| m.to_string())
                    .unwrap_or(text)
            }
        };
        LoadError::new(file, error.position(), LoadErrorKind::Yaml(message))
    }
}

/// Every problem found in a rule set; it loads only when there are none.
/// [`diagnostic::render_load_diagnostics`](crate::diagnostic::render_load_diagnostics)
/// shows them with the lines they are on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}
