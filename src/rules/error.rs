//! Why a rule set did not load, each reason with its file, line and column.

use std::fmt;

use thiserror::Error;

use crate::yaml::{ParseError, Position};

/// What is wrong at one place of a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("{0}")]
    Yaml(String),
    #[error("unknown key `{key}`; expected one of: {expected}")]
    UnknownKey { key: String, expected: String },
    #[error("missing key `{0}`")]
    MissingKey(String),
    #[error("expected {expected}, found {found}")]
    WrongType { expected: String, found: String },
    #[error("unknown {what} `{name}`{known}")]
    Unknown {
        what: &'static str,
        name: String,
        known: String,
    },
    #[error("{what} `{name}` is defined twice (first at line {first_line})")]
    Duplicate {
        what: &'static str,
        name: String,
        first_line: usize,
    },
    #[error("script error: {0}")]
    Script(String),
    /// A mistake the compiler lets through, found by the rule lint.
    #[error("{message}{}", hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Lint {
        message: String,
        hint: Option<String>,
    },
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

/// One problem in a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file, relative to the rule set's folder.
    pub file: String,
    pub position: Option<Position>,
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
    pub fn new(file: &str, position: Option<Position>, kind: LoadErrorKind) -> LoadError {
        LoadError {
            file: file.to_string(),
            position,
            kind,
        }
    }

    pub fn from_yaml(file: &str, error: &ParseError) -> LoadError {
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
