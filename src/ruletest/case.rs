//! Reading rule test files from the positioned YAML tree, with the rule
//! files' reader: every problem of every file in one run, each a load error
//! at its value (unknown keys with a suggestion, missing keys, wrong shapes,
//! dates that are not dates, a case name given twice).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::limits::Limits;
use crate::rules::{FileErrors, LoadError, LoadErrorKind, LoadErrors, MapReader, RuleFile};
use crate::yaml::{Node, Position};

/// What a case expects of the report (its `expect:`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Expectation {
    /// `pass` or `fail`, as the test file writes it.
    pub verdict: String,
    /// Exactly the rule ids that fail as errors (none when left out).
    pub fail: Vec<String>,
    /// Exactly the rule ids that fail as warnings (none when left out).
    pub warn: Vec<String>,
    /// Exactly the rule ids that are skipped; checked only when given.
    pub skip: Option<Vec<String>>,
}

/// One bundle and what the rules must say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Case {
    /// The case's name, unique in its file; also names its snapshots.
    pub name: String,
    /// Relative to the test file's folder.
    pub bundle: PathBuf,
    /// The day to judge the bundle as if submitted on (`as_of:`); without
    /// it, the bundle's own `submitted_on`.
    pub as_of: Option<NaiveDate>,
    /// What the report must say.
    pub expect: Expectation,
    /// Where the test file says each thing, for the lint's messages.
    pub places: CasePlaces,
}

/// What a case names and where, kept even for a case with problems so the
/// lint can check its bundle and rule ids too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CasePlaces {
    /// Where the case's `name:` is.
    pub name: Position,
    /// The bundle as written, and where.
    pub bundle: Option<(PathBuf, Position)>,
    /// Every rule id of `fail`, `warn` and `skip`, in file order.
    pub rules: Vec<(String, Position)>,
}

/// One test file: the cases of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TestFile {
    /// The id of the operation its cases are judged by.
    pub operation: String,
    /// Where `operation:` is written.
    pub operation_at: Position,
    /// The cases that read without problems, in file order.
    pub cases: Vec<Case>,
    /// What every case entry names, those with problems included.
    pub places: Vec<CasePlaces>,
    /// The file, as shown (the rule set's folder joined with `source`).
    pub path: String,
    /// The file relative to the rule set's folder (`tests/x.yaml`).
    pub source: String,
    /// The folder bundles are resolved in.
    pub dir: PathBuf,
}

/// The test files of the rule set in `rules_dir` (`tests/**/*.yaml`), read
/// from disk, in path order, as files (for showing problems) and as tests.
pub fn load_test_files(rules_dir: &Path) -> Result<Vec<TestFile>, (LoadErrors, Vec<RuleFile>)> {
    let (sources, mut errors) = read_sources(rules_dir);
    let (files, problems) = read_test_files(rules_dir, &sources);
    errors.extend(problems);
    if errors.is_empty() {
        Ok(files)
    } else {
        Err((LoadErrors(errors), sources))
    }
}

/// The test files' text, named relative to `rules_dir`; a file that cannot
/// be read is a problem.
pub(crate) fn read_sources(rules_dir: &Path) -> (Vec<RuleFile>, Vec<LoadError>) {
    let limits = Limits::default();
    let mut paths = Vec::new();
    collect(&rules_dir.join("tests"), &mut paths);
    paths.sort();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let relative = path
            .strip_prefix(rules_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        match crate::rules::read_rule_file(&path, relative, &limits) {
            Ok(file) => sources.push(file),
            Err(error) => errors.push(error),
        }
    }
    (sources, errors)
}

/// Reads the test files among `files` (those under `tests/`); paths are
/// relative to `rules_dir`. The tests hold only when there are no errors.
pub fn read_test_files(rules_dir: &Path, files: &[RuleFile]) -> (Vec<TestFile>, Vec<LoadError>) {
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    let parse_limits = Limits::default().rule_file_parse();
    for file in files.iter().filter(|f| is_test_file(&f.path)) {
        let root = match crate::yaml::parse(&file.text, parse_limits) {
            Ok(root) => root,
            Err(error) => {
                errors.push(LoadError::from_yaml(&file.path, &error));
                continue;
            }
        };
        let mut file_errors = FileErrors {
            file: &file.path,
            errors: &mut errors,
        };
        // A file with problems is kept with the cases that did read, so
        // the lint can check those too.
        if let Some((operation, operation_at, cases, places)) =
            read_test_file(&mut file_errors, &root)
        {
            let full = rules_dir.join(&file.path);
            tests.push(TestFile {
                operation,
                operation_at,
                cases,
                places,
                path: full.display().to_string(),
                source: file.path.clone(),
                dir: full.parent().map(Path::to_path_buf).unwrap_or_default(),
            });
        }
    }
    (tests, errors)
}

/// Whether a rule set file is a rule test file.
pub fn is_test_file(path: &str) -> bool {
    path.starts_with("tests/") && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

/// A file's operation, cases and every case's places.
type ReadFile = (String, Position, Vec<Case>, Vec<CasePlaces>);

fn read_test_file(errors: &mut FileErrors<'_>, root: &Node) -> Option<ReadFile> {
    let mut map = MapReader::new(errors, root)?;
    let operation = map.required(errors, "operation");
    let cases = map.required(errors, "cases");
    map.finish(errors);
    let mut read = Vec::new();
    let mut places = Vec::new();
    match cases.map(|node| (node, node.as_sequence())) {
        Some((_, Some(items))) => {
            for item in items {
                let mut case_places = CasePlaces::default();
                if let Some(case) = read_case(errors, item, &mut case_places) {
                    read.push(case);
                }
                places.push(case_places);
            }
        }
        Some((node, None)) => errors.wrong_type(node, "a list of cases"),
        None => {}
    }
    for (index, case) in read.iter().enumerate() {
        if let Some(first) = read[..index].iter().find(|c| c.name == case.name) {
            errors.push(
                case.places.name,
                LoadErrorKind::Duplicate {
                    what: "case",
                    name: case.name.clone(),
                    first_line: first.places.name.line,
                },
            );
        }
    }
    let operation_node = operation?;
    let operation = errors.text(operation_node)?;
    Some((operation, operation_node.position, read, places))
}

fn read_case(errors: &mut FileErrors<'_>, node: &Node, places: &mut CasePlaces) -> Option<Case> {
    let mut map = MapReader::new(errors, node)?;
    let name = map.required(errors, "name");
    let bundle = map.required(errors, "bundle");
    let as_of = map.optional("as_of");
    let expect = map.required(errors, "expect");
    map.finish(errors);
    // Every part is read before any is given up on, so each one's
    // problems are reported.
    let as_of = as_of.map(|node| day(errors, node));
    let expect = expect.and_then(|node| read_expectation(errors, node, places));
    let name = name.and_then(|node| {
        places.name = node.position;
        errors.text(node)
    });
    let bundle = bundle.and_then(|node| {
        let bundle = errors.text(node)?;
        places.bundle = Some((PathBuf::from(&bundle), node.position));
        Some(bundle)
    });
    let as_of = match as_of {
        Some(None) => return None,
        Some(Some(day)) => Some(day),
        None => None,
    };
    Some(Case {
        name: name?,
        bundle: PathBuf::from(bundle?),
        as_of,
        expect: expect?,
        places: places.clone(),
    })
}

fn read_expectation(
    errors: &mut FileErrors<'_>,
    node: &Node,
    places: &mut CasePlaces,
) -> Option<Expectation> {
    let mut map = MapReader::new(errors, node)?;
    let verdict = map.required(errors, "verdict");
    let fail = map.optional("fail");
    let warn = map.optional("warn");
    let skip = map.optional("skip");
    map.finish(errors);
    let mut rules = |node: Option<&Node>| -> Option<Vec<String>> {
        let Some(node) = node else {
            return Some(Vec::new());
        };
        let listed = errors.texts(node)?;
        places.rules.extend(listed.iter().cloned());
        Some(listed.into_iter().map(|(rule, _)| rule).collect())
    };
    let (fail, warn) = (rules(fail), rules(warn));
    let skip = skip.map(|node| rules(Some(node)));
    let verdict = verdict?;
    let verdict = match verdict.as_str() {
        Some(v @ ("pass" | "fail")) => v.to_string(),
        other => {
            let message = format!(
                "the verdict is `pass` or `fail`, not `{}`",
                other.unwrap_or(verdict.kind_name())
            );
            errors.push(verdict.position, LoadErrorKind::Invalid(message));
            return None;
        }
    };
    Some(Expectation {
        verdict,
        fail: fail?,
        warn: warn?,
        skip: match skip {
            Some(listed) => Some(listed?),
            None => None,
        },
    })
}

fn day(errors: &mut FileErrors<'_>, node: &Node) -> Option<NaiveDate> {
    let text = node.as_str().unwrap_or_default();
    match crate::domain::date::parse_date(text) {
        Ok(day) => Some(day),
        Err(error) => {
            let message = format!("`as_of`: {error}");
            errors.push(node.position, LoadErrorKind::Invalid(message));
            None
        }
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
