//! Rule sets: the catalog of roles and materials, the operations and their
//! rules, shared script libraries and the working-day calendar, loaded and
//! checked as a whole before any bundle is judged.
//!
//! Layout of a rule set folder:
//! - `catalog.yaml`: roles, materials, their typed fields, the calendar file;
//! - `operations/*.yaml`: one operation per file;
//! - `lib/*.rhai`: script functions operations import;
//! - the calendar file the catalog names (e.g. `calendar/cn-mainland.yaml`).

mod calendar_file;
mod catalog;
mod diff;
mod error;
mod field_type;
mod lint;
mod operation;
mod pattern;
mod read_operation;
mod reader;
mod rule_id;
mod source;
pub(crate) use source::read_rule_file;
mod versions;

#[cfg(test)]
pub(crate) use calendar_file::calendar_from_text;
pub use catalog::{Catalog, FieldDef, MaterialDef, RoleDef};
pub use diff::{Change, OperationDiff, diff};
pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub(crate) use field_type::bool_spellings;
pub use field_type::{FieldType, FieldValue};
pub use operation::{
    Check, Count, FieldRef, Operation, Period, Requirement, ReviewWindowRule, RoleUse, Rule,
    Subject, Template,
};
pub(crate) use pattern::PatternTable;
pub use pattern::{FieldPattern, Pattern};
pub(crate) use read_operation::GLOBAL_VARIABLES;
pub use rule_id::{BUILT_IN, RuleId};
pub use source::{RuleFile, embedded_files};
// The rule tests are read like rule files, with the same diagnostics.
pub(crate) use lint::nearest;
pub(crate) use reader::{FileErrors, MapReader};

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use rhai::{AST, Engine};

use crate::domain::calendar::WorkingDayCalendar;
use crate::limits::Limits;
use crate::yaml::Node;
use lint::{ScriptLint, ScriptSource, check_script};

/// A loaded, checked rule set with its compiled scripts. Load once, share
/// across threads, check any number of bundles with it.
pub struct RuleSet {
    /// Every role and material the rules may name, with their typed fields
    /// (`catalog.yaml`).
    pub catalog: Catalog,
    /// Every version of every operation, in file order: several versions
    /// of one operation differ in the days they are in force
    /// ([`RuleSet::operation_on`] picks one).
    pub operations: Vec<Operation>,
    /// The working-day calendar the catalog names, for review windows and
    /// `working_days` in scripts; `None` when no loaded operation needs it.
    pub(crate) calendar: Option<Arc<WorkingDayCalendar>>,
    /// The bounds scripts, patterns and files were loaded under and bundles
    /// are judged under.
    pub limits: Limits,
    /// Where the rules came from: `embedded` or a folder.
    pub origin: String,
    /// The sha256 of the rule files (see `versions::digest`): with the
    /// operation's version, every report names the rules that judged it.
    pub digest: String,
    pub(crate) engine: crate::script::ScriptEngine,
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

    /// The digest of the embedded rule set, computed when it was built.
    fn embedded_digest() -> String {
        source::EMBEDDED_DIGEST.to_string()
    }

    /// Just what one operation of the embedded set needs: the catalog, that
    /// operation's file, the script libraries, and the calendar only when the
    /// operation counts working days. Checking a single bundle then costs a
    /// fraction of loading every operation; the whole embedded set is loaded
    /// and checked by the test suite. An unknown operation loads everything,
    /// so the report can list the known ones. Its scripts' engine is set up
    /// for judging one bundle (rhai's standard functions are looked up when
    /// first called in each evaluation): for many bundles, take
    /// [`RuleSet::embedded`].
    pub fn embedded_for(operation: &str) -> Result<RuleSet, LoadErrors> {
        let Some((files, needs_calendar)) = RuleSet::embedded_subset(operation) else {
            return RuleSet::embedded();
        };
        let digest = RuleSet::embedded_digest();
        // The tests load the embedded set with every lint pass, whole and
        // one operation at a time (`ScriptLint::thorough`).
        let load = Load {
            calendar: needs_calendar,
            thorough_lint: false,
            one_bundle: true,
        };
        RuleSet::load("embedded", files, Limits::default(), load, digest)
    }

    /// The embedded files one operation needs, and whether it needs the
    /// calendar; `None` for an operation the set does not have.
    fn embedded_subset(operation: &str) -> Option<(Vec<RuleFile>, bool)> {
        // Every version of the operation: `<id>.yaml` or `<id>@<version>.yaml`.
        let wanted = |path: &str| {
            path.strip_prefix("operations/")
                .and_then(|name| name.strip_suffix(".yaml"))
                .is_some_and(|name| name.split('@').next() == Some(operation))
        };
        // The other operations' files are not even copied out of the binary.
        let files =
            source::embedded_files_where(|path| !source::is_operation(path) || wanted(path));
        let chosen: Vec<&RuleFile> = files.iter().filter(|f| wanted(&f.path)).collect();
        if chosen.is_empty() {
            return None;
        }
        let needs_calendar = chosen
            .iter()
            .any(|f| f.text.contains("review_window") || f.text.contains("working_day"));
        Some((files, needs_calendar))
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
        let digest = versions::digest(files.iter().map(|f| (f.path.as_str(), f.text.as_str())));
        RuleSet::load(origin, files, limits, Load::EVERYTHING, digest)
    }

    fn load(
        origin: &str,
        files: Vec<RuleFile>,
        limits: Limits,
        load: Load,
        digest: String,
    ) -> Result<RuleSet, LoadErrors> {
        let mut errors = Vec::new();
        let parse_limits = limits.rule_file_parse();
        let parse = |file: &RuleFile, errors: &mut Vec<LoadError>| -> Option<Node> {
            source::parse_rule_file(file, parse_limits)
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
            .filter(|_| load.calendar)
            .and_then(|path| match find(path) {
                None => {
                    errors.push(LoadError::new(
                        "catalog.yaml",
                        catalog.calendar_at,
                        LoadErrorKind::Invalid(format!(
                            "calendar file `{path}` not found in the rule set"
                        )),
                    ));
                    None
                }
                Some(file) => parse(file, &mut errors).and_then(|root| {
                    let mut file_errors = FileErrors {
                        file: &file.path,
                        errors: &mut errors,
                    };
                    calendar_file::read_calendar(&mut file_errors, &root).map(Arc::new)
                }),
            });

        // One bundle: rhai's standard package joins when a script first
        // runs in rhai (`ScriptEngine::deferred`); compiling does without it.
        let mut engine = match load.one_bundle {
            true => crate::script::new_compiler_for_one_bundle(&limits, calendar.clone()),
            false => crate::script::new_engine(&limits, calendar.clone()),
        };
        let lint = ScriptLint {
            limits: &limits,
            // The table of callable functions serves only the thorough passes.
            functions: match load.thorough_lint {
                true => lint::Functions::of_engine(&engine, &[(crate::script::MATCHES, 2)]),
                false => lint::Functions::default(),
            },
            patterns: Default::default(),
            thorough: load.thorough_lint,
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
                operations.push(operation);
            }
        }
        versions::check_periods(&operations, &mut errors);
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
        let patterns = Arc::new(lint.patterns.into_inner());
        let engine = match load.one_bundle {
            false => {
                crate::script::register_patterns(&mut engine, patterns);
                crate::script::ScriptEngine::whole(engine)
            }
            true => {
                let (limits, calendar) = (limits.clone(), calendar.clone());
                crate::script::ScriptEngine::deferred(engine, move || {
                    let mut engine =
                        crate::script::new_engine_for_one_bundle(&limits, calendar.clone());
                    crate::script::register_patterns(&mut engine, Arc::clone(&patterns));
                    engine
                })
            }
        };
        Ok(RuleSet {
            catalog,
            operations,
            calendar,
            limits,
            origin: origin.to_string(),
            digest,
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

    /// The latest version of an operation: the one in force last (for
    /// checklists, templates and the reference).
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.versions(id).last().copied()
    }

    /// Every version of an operation, earliest first.
    pub fn versions(&self, id: &str) -> Vec<&Operation> {
        let mut versions: Vec<&Operation> = self.operations.iter().filter(|o| o.id == id).collect();
        versions.sort_by_key(|o| o.period.from);
        versions
    }

    /// The version of an operation in force on `day`, if any.
    pub fn operation_on(&self, id: &str, day: NaiveDate) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.id == id && o.period.contains(day))
    }

    /// The latest version of each operation, in file order.
    pub fn current_operations(&self) -> Vec<&Operation> {
        self.operation_ids()
            .into_iter()
            .filter_map(|id| self.operation(id))
            .collect()
    }

    /// Each operation's id once, in file order.
    pub fn operation_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for operation in &self.operations {
            if !ids.contains(&operation.id.as_str()) {
                ids.push(&operation.id);
            }
        }
        ids
    }
}

/// What a load reads and checks besides the operations.
#[derive(Debug, Clone, Copy)]
struct Load {
    /// Read the calendar the catalog names.
    calendar: bool,
    /// Run every lint pass (`ScriptLint::thorough`).
    thorough_lint: bool,
    /// The rule set judges one bundle: its scripts' engine looks rhai's
    /// standard functions up when called instead of indexing them all
    /// (`script::sandbox::new_engine_for_one_bundle`).
    one_bundle: bool,
}

impl Load {
    const EVERYTHING: Load = Load {
        calendar: true,
        thorough_lint: true,
        one_bundle: false,
    };
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
    let mut compiled: Vec<(String, AST)> = Vec::new();
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
                library = library.merge(&ast);
                compiled.push((path, ast));
            }
        }
    }
    // Each file is checked once all are merged: one may call another's functions.
    for (path, ast) in &compiled {
        let text = files
            .iter()
            .find(|f| &f.path == path)
            .map_or("", |f| f.text.as_str());
        let node = Node {
            value: crate::yaml::NodeValue::Scalar(crate::yaml::Scalar {
                text: text.to_string(),
                style: crate::yaml::ScalarStyle::Plain,
            }),
            position: crate::yaml::Position { line: 1, column: 1 },
        };
        let source = ScriptSource {
            ast,
            node: &node,
            library: Some(&library),
            kinds: &|_, _| None,
        };
        for problem in check_script(lint, &source) {
            let error = LoadError::new(path, Some(problem.position), problem.kind);
            file_errors.errors.push(error);
        }
    }
    Some(library)
}

/// Whether a script does anything besides defining functions.
fn has_statements(ast: &AST) -> bool {
    // rhai exposes statements only with its `internals` feature; the debug
    // form of a statement-free AST lists an empty body.
    !format!("{:?}", ast.clone_statements_only()).contains("body: []")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build script hashes the embedded set as `versions::digest` does.
    #[test]
    fn the_built_digest_is_the_digest_of_the_embedded_files() {
        let digest = versions::digest(source::embedded_texts());
        assert_eq!(RuleSet::embedded_digest(), digest);
        assert_eq!(digest.len(), 64);
    }

    /// `embedded_for` skips the lint passes that only look for mistakes:
    /// each operation's files, loaded alone with every pass, must load
    /// clean, and give the same operations.
    #[test]
    fn each_embedded_operation_passes_every_lint_pass_alone() {
        let whole = RuleSet::embedded().expect("the embedded set loads");
        for id in whole.operation_ids() {
            let (files, calendar) = RuleSet::embedded_subset(id).expect("a known operation");
            let load = Load {
                calendar,
                thorough_lint: true,
                one_bundle: false,
            };
            let digest = RuleSet::embedded_digest();
            let linted = RuleSet::load("embedded", files, Limits::default(), load, digest)
                .unwrap_or_else(|errors| panic!("{id}: {errors:?}"));
            let fast = RuleSet::embedded_for(id).expect("loads");
            assert_eq!(format!("{linted:?}"), format!("{fast:?}"));
            assert_eq!(linted.operations.len(), whole.versions(id).len());
            // `embedded_for` compiles without rhai's standard package: every
            // script has the same syntax tree and native form all the same.
            assert_eq!(scripts(&linted), scripts(&fast), "{id}");
        }
    }

    /// Every script of a rule set: its text, syntax tree and native form.
    fn scripts(rules: &RuleSet) -> Vec<String> {
        fn placeholders(t: &Option<Template>) -> impl Iterator<Item = &crate::script::Script> {
            t.iter().flat_map(|t| &t.placeholders)
        }
        let mut all: Vec<&crate::script::Script> = Vec::new();
        for rule in rules.operations.iter().flat_map(|o| &o.rules) {
            all.extend(&rule.when);
            all.extend(placeholders(&rule.skip));
            if let Some(require) = &rule.require {
                all.extend(placeholders(&require.missing));
            }
            for check in &rule.checks {
                all.push(&check.assert);
                all.extend(&check.fail.placeholders);
                all.extend(placeholders(&check.hint));
            }
            all.extend(placeholders(&rule.pass));
            all.extend(placeholders(&rule.hint));
        }
        assert!(all.len() > 40, "the shipped rules hold scripts");
        all.iter()
            .map(|s| format!("{}\n{:?}\n{:?}", s.source, s.ast, s.native))
            .collect()
    }

    /// A one-bundle rule set builds its running engine only when a script
    /// runs in rhai, and that engine runs scripts as the whole one does:
    /// rhai's standard functions, dossier's helpers and the loaded patterns.
    #[test]
    fn a_deferred_engine_is_built_when_a_script_first_runs() {
        use crate::script::Runner;
        let id = "douyin.employee_account.open";
        let rules = RuleSet::embedded_for(id).expect("loads");
        assert!(!rules.engine.is_built());
        let whole = RuleSet::embedded().expect("loads");
        assert!(whole.engine.is_built());
        let scripts = [
            "[3, 1, 2].len() == 3 && \"abc\".to_upper() == \"ABC\"",
            "same_name(\"张 三\", \"张三\")",
            "matches(\"a\", \"not a pattern the rules use\")",
        ];
        for script in scripts {
            let run = |engine: &Engine| {
                let ast = engine.compile(script).expect("compiles");
                format!("{:?}", engine.eval_ast::<bool>(&ast))
            };
            let deferred = run(rules.engine.runner());
            assert_eq!(deferred, run(whole.engine.runner()), "{script}");
            assert!(
                deferred.starts_with("Ok(true)") || script.starts_with("matches"),
                "{deferred}"
            );
        }
        assert!(rules.engine.is_built());
    }
}
