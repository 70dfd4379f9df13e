//! Rule sets: the catalog of roles and materials, the operations and their
//! rules, shared script libraries and the working-day calendar, loaded and
//! checked as a whole before any bundle is judged.
//!
//! Layout of a rule set folder:
//! - `catalog.yaml`: roles, materials, their typed fields, the calendar file;
//! - `operations/*.yaml`: one operation per file;
//! - `lib/*.rhai`: script functions operations import;
//! - the calendar file the catalog names (e.g. `calendar/cn-mainland.yaml`).

mod catalog;
mod error;
mod field_type;
mod lint;
mod operation;
mod pattern;
mod read_operation;
mod reader;
mod source;

pub use catalog::{Catalog, FieldDef, MaterialDef, RoleDef};
pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub use field_type::{FieldType, FieldValue};
pub use operation::{
    Check, Count, FieldRef, Operation, Requirement, ReviewWindowRule, RoleUse, Rule, Subject,
    Template,
};
pub use pattern::{FieldPattern, Pattern, PatternError, PatternTable};
pub use read_operation::GLOBAL_VARIABLES;
pub use source::{RuleFile, embedded_files};

use std::path::Path;
use std::sync::Arc;

use rhai::{AST, Engine};

use crate::domain::calendar::{CalendarError, WorkingDayCalendar};
use crate::limits::Limits;
use crate::yaml::{self, Node};
use lint::{ScriptLint, ScriptSource, check_script};
use reader::FileErrors;

/// A loaded, checked rule set with its compiled scripts. Load once, share
/// across threads, check any number of bundles with it.
pub struct RuleSet {
    pub catalog: Catalog,
    pub operations: Vec<Operation>,
    pub calendar: Option<Arc<WorkingDayCalendar>>,
    pub limits: Limits,
    /// Where the rules came from: `embedded` or a folder.
    pub origin: String,
    pub(crate) engine: Engine,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("origin", &self.origin)
            .field(
                "operations",
                &self.operations.iter().map(|o| &o.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl RuleSet {
    /// The rule set shipped inside the binary.
    pub fn embedded() -> Result<RuleSet, LoadErrors> {
        RuleSet::from_files("embedded", source::embedded_files(), Limits::default())
    }

    /// Just what one operation of the embedded set needs: the catalog, that
    /// operation's file, the script libraries, and the calendar only when the
    /// operation counts working days. Checking a single bundle then costs a
    /// fraction of loading every operation; the whole embedded set is loaded
    /// and checked by the test suite. An unknown operation loads everything,
    /// so the report can list the known ones.
    pub fn embedded_for(operation: &str) -> Result<RuleSet, LoadErrors> {
        let files = source::embedded_files();
        let wanted = format!("operations/{operation}.yaml");
        let Some(file) = files.iter().find(|f| f.path == wanted) else {
            return RuleSet::embedded();
        };
        let needs_calendar =
            file.text.contains("review_window") || file.text.contains("working_day");
        let files = files
            .into_iter()
            .filter(|f| !f.is_operation() || f.path == wanted)
            .collect();
        RuleSet::load("embedded", files, Limits::default(), needs_calendar)
    }

    /// A rule set from a folder (`--rules DIR`).
    pub fn from_dir(dir: &Path) -> Result<RuleSet, LoadErrors> {
        let limits = Limits::default();
        let files = source::read_dir(dir, &limits)?;
        RuleSet::from_files(&dir.display().to_string(), files, limits)
    }

    /// A rule set from files already in memory, named relative to its root.
    pub fn from_files(
        origin: &str,
        files: Vec<RuleFile>,
        limits: Limits,
    ) -> Result<RuleSet, LoadErrors> {
        RuleSet::load(origin, files, limits, true)
    }

    fn load(
        origin: &str,
        files: Vec<RuleFile>,
        limits: Limits,
        load_calendar: bool,
    ) -> Result<RuleSet, LoadErrors> {
        let mut errors = Vec::new();
        let parse_limits = limits.rule_file_parse();
        let parse = |file: &RuleFile, errors: &mut Vec<LoadError>| -> Option<Node> {
            yaml::parse(&file.text, parse_limits)
                .map_err(|e| errors.push(LoadError::from_yaml(&file.path, &e)))
                .ok()
        };
        let find = |path: &str| files.iter().find(|f| f.path == path);

        let catalog = match find("catalog.yaml") {
            None => {
                errors.push(LoadError::new(
                    "catalog.yaml",
                    None,
                    LoadErrorKind::Io("the rule set has no catalog.yaml".into()),
                ));
                Catalog::default()
            }
            Some(file) => match parse(file, &mut errors) {
                Some(root) => catalog::read_catalog(
                    &mut FileErrors {
                        file: &file.path,
                        errors: &mut errors,
                    },
                    &root,
                    &limits,
                ),
                None => Catalog::default(),
            },
        };

        let calendar = catalog
            .calendar
            .as_deref()
            .filter(|_| load_calendar)
            .and_then(|path| match find(path) {
                None => {
                    errors.push(LoadError::new(
                        "catalog.yaml",
                        None,
                        LoadErrorKind::Io(format!("calendar file `{path}` not found")),
                    ));
                    None
                }
                Some(file) => match WorkingDayCalendar::from_yaml(&file.text) {
                    Ok(calendar) => Some(Arc::new(calendar)),
                    Err(error) => {
                        errors.push(LoadError::new(
                            path,
                            calendar_position(&error),
                            LoadErrorKind::Invalid(error.to_string()),
                        ));
                        None
                    }
                },
            });

        let mut engine = crate::script::new_engine(&limits, calendar.clone());
        let lint = ScriptLint {
            limits: &limits,
            patterns: Default::default(),
        };
        let mut operations: Vec<Operation> = Vec::new();
        for file in files.iter().filter(|f| f.is_operation()) {
            let Some(root) = parse(file, &mut errors) else {
                continue;
            };
            let library = load_imports(&engine, &lint, &files, file, &root, &mut errors);
            let context = read_operation::OperationContext {
                engine: &engine,
                catalog: &catalog,
                file: &file.path,
                text: &file.text,
                library: library.as_ref(),
                lint: &lint,
            };
            let mut file_errors = FileErrors {
                file: &file.path,
                errors: &mut errors,
            };
            if let Some(operation) =
                read_operation::read_operation(&context, &mut file_errors, &root)
            {
                if let Some(first) = operations.iter().find(|o| o.id == operation.id) {
                    let kind = LoadErrorKind::Invalid(format!(
                        "operation `{}` is also defined in {}",
                        operation.id, first.file
                    ));
                    errors.push(LoadError::new(
                        &file.path,
                        root.get("operation").map(|n| n.position),
                        kind,
                    ));
                } else {
                    operations.push(operation);
                }
            }
        }
        if operations.is_empty() && errors.is_empty() {
            errors.push(LoadError::new(
                "operations/",
                None,
                LoadErrorKind::Io("the rule set defines no operation".into()),
            ));
        }
        if !errors.is_empty() {
            // An imported file is checked once per operation importing it.
            let mut unique: Vec<LoadError> = Vec::with_capacity(errors.len());
            for error in errors {
                if !unique.contains(&error) {
                    unique.push(error);
                }
            }
            return Err(LoadErrors(unique));
        }
        crate::script::register_patterns(&mut engine, Arc::new(lint.patterns.into_inner()));
        Ok(RuleSet {
            catalog,
            operations,
            calendar,
            limits,
            origin: origin.to_string(),
            engine,
        })
    }

    /// The files a rule set is made of (embedded, or read from `dir`),
    /// e.g. to show the lines of load errors. Unreadable files are left out.
    pub fn files(dir: Option<&Path>) -> Vec<RuleFile> {
        match dir {
            None => source::embedded_files(),
            Some(dir) => source::read_dir(dir, &Limits::default()).unwrap_or_default(),
        }
    }

    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    pub fn operation_ids(&self) -> Vec<&str> {
        self.operations.iter().map(|o| o.id.as_str()).collect()
    }
}

/// Compiles the script files an operation imports into one library of functions.
fn load_imports(
    engine: &Engine,
    lint: &ScriptLint<'_>,
    files: &[RuleFile],
    file: &RuleFile,
    root: &Node,
    errors: &mut Vec<LoadError>,
) -> Option<AST> {
    let imports = root.get("imports")?;
    let mut file_errors = FileErrors {
        file: &file.path,
        errors,
    };
    let mut library = AST::empty();
    for (path, position) in file_errors.texts(imports)? {
        let Some(script) = files.iter().find(|f| f.path == path) else {
            file_errors.push(
                position,
                LoadErrorKind::Io(format!("imported file `{path}` not found")),
            );
            continue;
        };
        match engine.compile(&script.text) {
            Err(error) => {
                let at = crate::yaml::Position {
                    line: error.1.line().unwrap_or(1),
                    column: error.1.position().unwrap_or(1),
                };
                file_errors.errors.push(LoadError::new(
                    &path,
                    Some(at),
                    LoadErrorKind::Script(error.0.to_string()),
                ));
            }
            Ok(ast) if has_statements(&ast) => {
                let kind =
                    LoadErrorKind::Invalid("an imported script may only define functions".into());
                file_errors.errors.push(LoadError::new(&path, None, kind));
            }
            Ok(ast) => {
                let node = Node {
                    value: crate::yaml::NodeValue::Scalar(crate::yaml::Scalar {
                        text: script.text.clone(),
                        style: crate::yaml::ScalarStyle::Plain,
                    }),
                    position: crate::yaml::Position { line: 1, column: 1 },
                };
                let source = ScriptSource {
                    ast: &ast,
                    node: &node,
                };
                for problem in check_script(lint, &source) {
                    let error = LoadError::new(&path, Some(problem.position), problem.kind);
                    file_errors.errors.push(error);
                }
                library = library.merge(&ast);
            }
        }
    }
    Some(library)
}

fn calendar_position(error: &CalendarError) -> Option<crate::yaml::Position> {
    let (line, column) = match error {
        CalendarError::Yaml { line, column, .. } => (*line, *column),
        CalendarError::DuplicateYear { line, .. }
        | CalendarError::DateOutsideYear { line, .. }
        | CalendarError::WorkNotWeekend { line, .. }
        | CalendarError::RangeReversed { line, .. }
        | CalendarError::Conflict { line, .. } => (*line, None),
    };
    line.map(|line| crate::yaml::Position {
        line,
        column: column.unwrap_or(1),
    })
}

/// Whether a script does anything besides defining functions.
fn has_statements(ast: &AST) -> bool {
    // rhai exposes statements only with its `internals` feature; the debug
    // form of a statement-free AST lists an empty body.
    !format!("{:?}", ast.clone_statements_only()).contains("body: []")
}
