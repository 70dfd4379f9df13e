//! The sandbox every rule script runs in, configured in one place.
//!
//! rhai has no file or network access of its own; on top of that the engine
//! refuses `eval`, drops `print`/`debug` output, fails on reads of map keys
//! that do not exist, and bounds operations, call depth, expression depth,
//! string, array and map sizes (all from [`Limits`]). A wall-clock guard
//! stops what the operation count alone would let run too long, and the
//! allocator's count (`memory`) what the size limits do not see.

use std::cell::Cell;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rhai::{AST, Dynamic, Engine, EvalAltResult, Scope};
use thiserror::Error;

use crate::domain::calendar::WorkingDayCalendar;
use crate::limits::Limits;

/// Why a script gave no verdict.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScriptError {
    #[error("stopped: {0}")]
    Limit(String),
    #[error("{message}")]
    Runtime {
        message: String,
        /// The script met a missing or invalid value `()`.
        met_unit: bool,
    },
    /// The script gave a value of this type instead of `true` or `false`.
    #[error("{}", not_boolean(.0))]
    NotBoolean(String),
}

fn not_boolean(type_name: &str) -> String {
    if type_name == "()" {
        "must give true or false, gave nothing: an assignment (`=` for `==`), an `if` without `else` or a `switch` without a default".to_string()
    } else {
        format!("must give true or false, gave {type_name}")
    }
}

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// The allocation balance (`memory::balance`) at which the running
    /// script is stopped; `i64::MAX` when none runs.
    static MEMORY_CEILING: Cell<i64> = const { Cell::new(i64::MAX) };
}

/// The engine a rule set's scripts run in: whole from the start
/// ([`ScriptEngine::whole`]), or, for a rule set that judges one bundle,
/// built the first time a script runs in rhai ([`ScriptEngine::deferred`]).
/// Most bundles are judged by the native checks alone, and rhai's standard
/// package costs a one-bundle process a few per cent to build.
pub struct ScriptEngine {
    /// Compiles the rule set's scripts; also runs them when `deferred` is
    /// `None`.
    engine: Engine,
    deferred: Option<Deferred>,
}

/// An engine built when first needed.
struct Deferred {
    built: OnceLock<Engine>,
    build: Box<dyn Fn() -> Engine + Send + Sync>,
}

impl ScriptEngine {
    /// An engine that compiles and runs.
    pub(crate) fn whole(engine: Engine) -> ScriptEngine {
        ScriptEngine {
            engine,
            deferred: None,
        }
    }

    /// `compiler` compiles; scripts run in the engine `build` makes, the
    /// first time one runs. The two must compile alike (see
    /// [`new_compiler_for_one_bundle`]).
    pub(crate) fn deferred(
        compiler: Engine,
        build: impl Fn() -> Engine + Send + Sync + 'static,
    ) -> ScriptEngine {
        ScriptEngine {
            engine: compiler,
            deferred: Some(Deferred {
                built: OnceLock::new(),
                build: Box::new(build),
            }),
        }
    }
}

impl ScriptEngine {
    /// Whether the engine scripts run in is there yet.
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.deferred
            .as_ref()
            .is_none_or(|d| d.built.get().is_some())
    }
}

/// What scripts run in: a rule set's [`ScriptEngine`], or an [`Engine`].
pub trait Runner {
    /// The engine to run a script in (built now if it was deferred).
    fn runner(&self) -> &Engine;
}

impl Runner for Engine {
    fn runner(&self) -> &Engine {
        self
    }
}

impl Runner for ScriptEngine {
    fn runner(&self) -> &Engine {
        match &self.deferred {
            None => &self.engine,
            Some(deferred) => deferred.built.get_or_init(|| (deferred.build)()),
        }
    }
}

/// The engine for one rule set: sandbox settings plus the helper functions.
pub fn new_engine(limits: &Limits, calendar: Option<Arc<WorkingDayCalendar>>) -> Engine {
    sandboxed(Engine::new(), limits, calendar)
}

/// The same engine, with the same functions, for a rule set that judges
/// one bundle: rhai's standard functions are looked up when a script first
/// calls them in an evaluation, instead of all of them being indexed up
/// front. Indexing costs a start about half a millisecond and a few hundred
/// kilobytes of heap; a lookup costs microseconds each evaluation, so a
/// rule set that judges many bundles takes [`new_engine`].
pub(crate) fn new_engine_for_one_bundle(
    limits: &Limits,
    calendar: Option<Arc<WorkingDayCalendar>>,
) -> Engine {
    let mut engine = Engine::new_raw();
    // What `Engine::new` sets besides the package (its `print`/`debug`
    // are replaced below, and `no_module` leaves out its module resolver).
    engine.set_max_strings_interned(256);
    let standard = rhai::packages::StandardPackage::new_lazy();
    engine.register_global_module(rhai::packages::Package::as_shared_module(&standard));
    sandboxed(engine, limits, calendar)
}

/// The engine that compiles the scripts of a rule set judging one bundle:
/// [`new_engine_for_one_bundle`] without rhai's standard package, which
/// compiling does not use (rhai's parser looks no function up, and its
/// optimiser leaves standard functions out of the overrides it looks for).
/// A test holds every shipped script compiled by it to the tree the whole
/// engine compiles.
pub(crate) fn new_compiler_for_one_bundle(
    limits: &Limits,
    calendar: Option<Arc<WorkingDayCalendar>>,
) -> Engine {
    let mut engine = Engine::new_raw();
    engine.set_max_strings_interned(256);
    sandboxed(engine, limits, calendar)
}

fn sandboxed(
    mut engine: Engine,
    limits: &Limits,
    calendar: Option<Arc<WorkingDayCalendar>>,
) -> Engine {
    engine.set_max_operations(limits.script_operations);
    engine.set_max_call_levels(limits.script_call_depth);
    engine.set_max_expr_depths(
        limits.script_expression_depth.0,
        limits.script_expression_depth.1,
    );
    engine.set_max_string_size(limits.script_string_bytes);
    engine.set_max_array_size(limits.script_collection_items);
    engine.set_max_map_size(limits.script_collection_items);
    engine.set_max_variables(limits.script_variables);
    engine.set_max_functions(limits.script_functions);
    engine.set_fail_on_invalid_map_property(true);
    engine.set_strict_variables(true);
    engine.disable_symbol("eval");
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    let every = limits.script_clock_operations.max(1);
    engine.on_progress(move |operations| {
        if super::memory::balance() > MEMORY_CEILING.with(Cell::get) {
            return Some(Dynamic::from("memory budget exceeded"));
        }
        if operations % every != 0 {
            return None;
        }
        let late = DEADLINE
            .with(|d| d.get())
            .is_some_and(|deadline| Instant::now() > deadline);
        late.then(|| Dynamic::from("time budget exceeded"))
    });
    super::bounded::register(&mut engine);
    super::date::register(&mut engine);
    super::helpers::register(&mut engine, calendar, limits.script_helper_text_bytes);
    engine
}

/// Runs a compiled script within the time budget, in a fresh copy of
/// `scope`: whatever the script declares, shadows or captures is gone when it
/// ends, so one evaluation cannot change what the next one sees. (The values
/// themselves are read-only constants; see `engine::context`.)
pub fn run(
    engine: &Engine,
    ast: &AST,
    scope: &Scope<'static>,
    limits: &Limits,
) -> Result<Dynamic, ScriptError> {
    if !super::memory::is_counting() {
        return Err(ScriptError::Limit(
            "script memory cannot be bounded: this program installs no counting allocator \
             (see dossier::CountingAllocator)"
                .to_string(),
        ));
    }
    let mut scope = scope.clone();
    let budget = i64::try_from(limits.script_memory_bytes).unwrap_or(i64::MAX);
    MEMORY_CEILING.with(|c| c.set(super::memory::balance().saturating_add(budget)));
    DEADLINE.with(|d| d.set(Some(Instant::now() + limits.script_time)));
    let result = engine.eval_ast_with_scope::<Dynamic>(&mut scope, ast);
    DEADLINE.with(|d| d.set(None));
    MEMORY_CEILING.with(|c| c.set(i64::MAX));
    // What the script built is freed here, before the next evaluation.
    drop(scope);
    result.map_err(|error| classify(*error))
}

/// Runs a script that must decide true or false. Any other value (`()` from
/// an assignment, an `if` without `else`, a `switch` without a default) is
/// [`ScriptError::NotBoolean`]: the rule could not decide.
pub fn run_bool(
    engine: &Engine,
    ast: &AST,
    scope: &Scope<'static>,
    limits: &Limits,
) -> Result<bool, ScriptError> {
    let value = run(engine, ast, scope, limits)?;
    value
        .as_bool()
        .map_err(|_| ScriptError::NotBoolean(value.type_name().to_string()))
}

fn classify(error: EvalAltResult) -> ScriptError {
    use EvalAltResult as E;
    match error {
        E::ErrorTooManyOperations(_) => ScriptError::Limit("too many operations".to_string()),
        E::ErrorStackOverflow(_) => ScriptError::Limit("calls nested too deeply".to_string()),
        E::ErrorDataTooLarge(what, _) => ScriptError::Limit(format!("{what} too large")),
        E::ErrorTerminated(reason, _) => ScriptError::Limit(reason.to_string()),
        E::ErrorInFunctionCall(_, _, inner, _) => classify(*inner),
        other => {
            let message = other.to_string();
            let met_unit = message.contains("()") || matches!(other, E::ErrorMismatchDataType(..));
            ScriptError::Runtime { message, met_unit }
        }
    }
}
