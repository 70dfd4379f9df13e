//! Checks on compiled rule scripts that rhai's compiler does not make, run
//! when the rule set loads so a mistake never waits for a bundle to show.
//!
//! Each pass walks a script's syntax tree and reports problems at their
//! place in the rule file:
//! - [`patterns`]: every `matches(value, "pattern")` names its pattern as a
//!   literal, which is compiled here, once, for the whole rule set.
//!
//! (rhai's own compile already refuses undeclared variables: the engine runs
//! with strict variables and each script is compiled with its rule's scope.)

mod patterns;

use std::cell::RefCell;
use std::collections::BTreeMap;

use rhai::{AST, ASTNode, Expr, FnCallExpr, Stmt};

use super::error::LoadErrorKind;
use super::pattern::Pattern;
use crate::limits::Limits;
use crate::yaml::{Node, Position};

/// What the passes share across a rule set while it loads.
pub struct ScriptLint<'a> {
    pub limits: &'a Limits,
    /// Every `matches` pattern compiled so far, by source.
    pub patterns: RefCell<BTreeMap<String, Pattern>>,
}

/// One problem a pass found, placed in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub position: Position,
    pub kind: LoadErrorKind,
}

/// A script under check: its syntax tree and the rule-file node it came from.
pub struct ScriptSource<'a> {
    pub ast: &'a AST,
    /// The YAML value holding the script, to place problems in the rule file.
    pub node: &'a Node,
}

impl ScriptSource<'_> {
    /// The rule-file position of a place inside the script.
    pub fn place(&self, position: rhai::Position, extra_columns: usize) -> Position {
        crate::script::position_in_file(
            self.node,
            "",
            position.line().unwrap_or(1),
            position.position().unwrap_or(1) + extra_columns,
        )
    }
}

/// Where an expression begins: `doc.name` at `doc`, not at the dot.
pub fn start_of(expr: &Expr) -> rhai::Position {
    match expr {
        Expr::Dot(binary, ..) | Expr::Index(binary, ..) => start_of(&binary.lhs),
        other => other.position(),
    }
}

/// A function call as the passes see it, method calls (`x.len()`) counted
/// with their object as the first argument.
pub struct Call<'e> {
    pub name: &'e str,
    /// The arguments written inside the brackets.
    pub args: &'e [Expr],
    pub arity: usize,
}

/// Calls `visit` with every function call in the script, operators left out.
pub fn for_each_call(ast: &AST, mut visit: impl FnMut(&Call<'_>)) {
    ast.walk(&mut |path: &[ASTNode]| {
        let (call, method): (&FnCallExpr, bool) = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, _)))
            | Some(ASTNode::Stmt(Stmt::FnCall(call, _))) => (call, false),
            Some(ASTNode::Expr(Expr::MethodCall(call, _))) => (call, true),
            _ => return true,
        };
        if !call.is_operator_call() {
            visit(&Call {
                name: call.name.as_str(),
                args: &call.args,
                arity: call.args.len() + usize::from(method),
            });
        }
        true
    });
}

/// Runs every pass over one script.
pub fn check_script(lint: &ScriptLint<'_>, script: &ScriptSource<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    patterns::check(lint, script, &mut problems);
    problems
}
