//! Reading rule test files, every problem a diagnostic with its place.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::yaml::Position;

/// What a case expects of the report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub verdict: String,
    #[serde(default)]
    pub fail: Vec<String>,
    #[serde(default)]
    pub warn: Vec<String>,
    /// Checked only when given.
    pub skip: Option<Vec<String>>,
}

/// One bundle and what the rules must say about it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    /// Relative to the test file's folder.
    pub bundle: PathBuf,
    #[serde(default, deserialize_with = "day")]
    pub as_of: Option<NaiveDate>,
    pub expect: Expectation,
}

/// One test file: the cases of one operation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    pub operation: String,
    pub cases: Vec<Case>,
    /// The file, as shown (filled in after reading).
    #[serde(skip)]
    pub path: String,
    /// The folder bundles are resolved in (filled in after reading).
    #[serde(skip)]
    pub dir: PathBuf,
}

fn day<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = String::deserialize(deserializer)?;
    crate::domain::date::parse_date(&text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(e.to_string()))
}

/// Every `tests/**/*.yaml` below `rules_dir`, in path order; `Err` lists
/// every file that does not read, with its source for rendering.
pub fn load_test_files(rules_dir: &Path) -> Result<Vec<TestFile>, Vec<(Diagnostic, String)>> {
    let root = rules_dir.join("tests");
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                errors.push((
                    Diagnostic::new(shown, None, format!("cannot read: {error}")),
                    String::new(),
                ));
                continue;
            }
        };
        match serde_yaml::from_str::<TestFile>(&text) {
            Ok(mut file) => {
                file.path = shown;
                file.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                files.push(file);
            }
            Err(error) => {
                let position = error.location().map(|l| Position {
                    line: l.line(),
                    column: l.column(),
                });
                let message = error.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                let diagnostic = Diagnostic::new(shown, position, format!("rule test file: {message}"))
                    .label("here")
                    .note("a test file has `operation` and `cases` (name, bundle, as_of, expect: verdict, fail, warn, skip)");
                errors.push((diagnostic, text));
            }
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}
