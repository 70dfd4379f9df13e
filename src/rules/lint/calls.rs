//! Every function a script calls exists with that many arguments: a helper,
//! a function of rhai's library, a function of an imported file or of the
//! script itself. rhai resolves calls only when they run, so without this a
//! misspelt helper would surface as a rule error on the first bundle.

use std::collections::{BTreeMap, BTreeSet};

use rhai::{AST, Engine};

use super::{Call, Problem, ScriptSource, for_each_call, suggest};
use crate::rules::error::LoadErrorKind;

/// rhai's keywords that are called like functions, with their arities
/// (`None`: any number of arguments).
const KEYWORDS: &[(&str, Option<usize>)] = &[
    ("type_of", Some(1)),
    ("print", Some(1)),
    ("debug", Some(1)),
    ("Fn", Some(1)),
    ("call", None),
    ("curry", None),
    ("is_shared", Some(1)),
    ("is_def_var", Some(1)),
    ("is_def_fn", Some(2)),
];

/// The functions scripts may call, by name, with the arities each takes.
#[derive(Debug, Clone, Default)]
pub struct Functions {
    arities: BTreeMap<String, BTreeSet<usize>>,
    any_arity: BTreeSet<String>,
}

impl Functions {
    /// The helpers registered on `engine` and rhai's standard library, plus
    /// the helpers registered only once the rule set is loaded.
    pub fn of_engine(engine: &Engine, later: &[(&str, usize)]) -> Functions {
        let mut functions = Functions::default();
        let found: Vec<(String, usize)> = engine.collect_fn_metadata(
            None,
            |info| Some((info.metadata.name.to_string(), info.metadata.num_params)),
            true,
        );
        for (name, arity) in found {
            functions.add(&name, arity);
        }
        for (name, arity) in later {
            functions.add(name, *arity);
        }
        for (name, arity) in KEYWORDS {
            match arity {
                Some(arity) => functions.add(name, *arity),
                None => {
                    functions.any_arity.insert(name.to_string());
                }
            }
        }
        functions
    }

    fn add(&mut self, name: &str, arity: usize) {
        self.arities
            .entry(name.to_string())
            .or_default()
            .insert(arity);
    }

    /// These functions and those `scripts` define, looked up without
    /// copying this table (it holds rhai's whole library, and every script
    /// of a rule set is checked against it).
    pub fn with_scripts<'a>(&'a self, scripts: &[Option<&'a AST>]) -> InScope<'a> {
        let own = scripts
            .iter()
            .flatten()
            .flat_map(|ast| ast.iter_functions())
            .map(|function| (function.name, function.params.len()))
            .collect();
        InScope { shared: self, own }
    }
}

/// The functions one script may call: the shared table plus those its own
/// text and its imported files define.
pub struct InScope<'a> {
    shared: &'a Functions,
    own: Vec<(&'a str, usize)>,
}

impl InScope<'_> {
    fn takes_any_arity(&self, name: &str) -> bool {
        self.shared.any_arity.contains(name)
    }

    fn defines(&self, name: &str, arity: usize) -> bool {
        let shared = self.shared.arities.get(name);
        shared.is_some_and(|arities| arities.contains(&arity))
            || self.own.iter().any(|&(n, a)| n == name && a == arity)
    }

    /// Every arity `name` is defined with; empty when it is not defined.
    fn arities(&self, name: &str) -> BTreeSet<usize> {
        let mut arities = self.shared.arities.get(name).cloned().unwrap_or_default();
        let own = self.own.iter().filter(|(n, _)| *n == name);
        arities.extend(own.map(|(_, arity)| *arity));
        arities
    }

    /// Names a script would call, for suggestions: no operators, no
    /// property accessors.
    fn callable_names(&self) -> impl Iterator<Item = &str> {
        let own = self.own.iter().map(|(name, _)| *name);
        self.shared
            .arities
            .keys()
            .map(String::as_str)
            .chain(own)
            .filter(|n| n.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
    }
}

pub fn check(functions: &InScope<'_>, script: &ScriptSource<'_>, problems: &mut Vec<Problem>) {
    for_each_call(script.ast, |call| {
        check_call(functions, script, call, problems)
    });
}

fn check_call(
    functions: &InScope<'_>,
    script: &ScriptSource<'_>,
    call: &Call<'_>,
    problems: &mut Vec<Problem>,
) {
    if functions.takes_any_arity(call.name) || functions.defines(call.name, call.arity) {
        return;
    }
    let arities = functions.arities(call.name);
    let kind = match arities.is_empty() {
        false => LoadErrorKind::Lint {
            message: format!(
                "`{}` takes {}, not {}",
                call.name,
                arguments(&arities),
                call.arity
            ),
            hint: None,
        },
        true => LoadErrorKind::Lint {
            message: format!("unknown function `{}`", call.name),
            hint: Some(
                match suggest::nearest(call.name, functions.callable_names()) {
                    Some(near) => format!(
                        "did you mean `{near}`? (docs/reference/script-helpers.md lists the helpers)"
                    ),
                    None => "docs/reference/script-helpers.md lists the helpers".to_string(),
                },
            ),
        },
    };
    problems.push(Problem {
        position: script.place(call.position, 0),
        kind,
    });
}

fn arguments(arities: &BTreeSet<usize>) -> String {
    let counts: Vec<String> = arities.iter().map(usize::to_string).collect();
    let last = arities.iter().next_back().copied().unwrap_or(0);
    let noun = if arities.len() == 1 && last == 1 {
        "argument"
    } else {
        "arguments"
    };
    format!("{} {noun}", counts.join(" or "))
}
