//! Checks on compiled rule scripts that rhai's compiler does not make, run
//! when the rule set loads so a mistake never waits for a bundle to show.
//!
//! Each pass walks a script's syntax tree and reports problems at their
//! place in the rule file:
//! - [`patterns`]: every `matches(value, "pattern")` names its pattern as a
//!   literal, which is compiled here, once, for the whole rule set;
//! - [`calls`]: every function called exists with that many arguments;
//! - [`types`]: no comparison sets values of different kinds side by side;
//! - [`ids`]: rule ids are unique in an operation and not built-in ids;
//! - [`placeholders`]: a message's zh and en texts quote the same values.
//!
//! (rhai's own compile already refuses undeclared variables: the engine runs
//! with strict variables and each script is compiled with its rule's scope.)

mod calls;
mod ids;
mod patterns;
mod placeholders;
mod suggest;
mod types;

use std::cell::RefCell;
use std::collections::BTreeMap;

use rhai::{AST, ASTNode, Expr, FnCallExpr, Stmt};

use super::error::LoadErrorKind;
use super::pattern::Pattern;
use crate::limits::Limits;
use crate::yaml::{Node, Position};

pub use calls::Functions;
pub use ids::check_ids;
pub use placeholders::check_placeholders;
pub(crate) use suggest::nearest;
pub use types::{Kind, KindOf};

/// What the passes share across a rule set while it loads.
pub struct ScriptLint<'a> {
    pub limits: &'a Limits,
    /// Helpers and library functions, without the imported files'.
    pub functions: Functions,
    /// Every `matches` pattern compiled so far, by source.
    pub patterns: RefCell<BTreeMap<String, Pattern>>,
    /// Whether the passes that only look for mistakes run (calls, types,
    /// placeholders). Off only for the embedded rule set loaded for one
    /// operation: the test suite loads the whole embedded set, and each
    /// operation alone, with every pass, so at a start they could only
    /// repeat what the tests proved (about 5 % of a one-bundle run). The
    /// pattern pass always runs: it compiles the patterns scripts use.
    pub thorough: bool,
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
    /// The functions of the files the operation imports.
    pub library: Option<&'a AST>,
    /// The kinds of the script's variables and their fields.
    pub kinds: KindOf<'a>,
}

/// The rule-file position of a place inside the script held by `node`.
pub fn place(node: &Node, position: rhai::Position) -> Position {
    crate::script::position_in_file(
        node,
        "",
        position.line().unwrap_or(1),
        position.position().unwrap_or(1),
    )
}

/// Where the script first reads `variable.field`.
pub fn read_position(ast: &AST, variable: &str, field: &str) -> Option<rhai::Position> {
    let mut found = None;
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::Dot(binary, ..))) = path.last()
            && let (Expr::Variable(name, _, at), Expr::Property(property, _)) =
                (&binary.lhs, &binary.rhs)
            && name.1 == variable
            && property.2 == field
        {
            found = Some(*at);
            return false;
        }
        true
    });
    found
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

    /// The script's own text of an expression, as far as one line shows it.
    pub fn text_of(&self, expr: &Expr) -> String {
        let source = self.node.as_str().unwrap_or_default();
        let start = start_of(expr);
        let (Some(line), Some(column)) = (start.line(), start.position()) else {
            return String::new();
        };
        let line: &str = source.lines().nth(line - 1).unwrap_or_default();
        let rest: String = line.chars().skip(column - 1).collect();
        // Up to the end of the operand: a comparison operator, a bracket
        // closing what it did not open, `&&`, `||` or a comma.
        let mut depth = 0i32;
        let mut end = rest.len();
        for (index, c) in rest.char_indices() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' if depth == 0 => {
                    end = index;
                    break;
                }
                ')' | ']' => depth -= 1,
                ',' | '<' | '>' | '=' | '!' | '&' | '|' if depth == 0 => {
                    end = index;
                    break;
                }
                _ => {}
            }
        }
        rest[..end].trim().to_string()
    }

    /// `left op right` as written, for messages.
    pub fn source_of(&self, left: &Expr, right: &Expr) -> String {
        let source = self.node.as_str().unwrap_or_default();
        let (a, b) = (start_of(left), right.position());
        match (a.line(), a.position(), b.line()) {
            (Some(line), Some(from), Some(to_line)) if line == to_line => {
                let text: &str = source.lines().nth(line - 1).unwrap_or_default();
                let operand = self.text_of(right);
                let to = b.position().unwrap_or(from) - 1 + operand.chars().count();
                text.chars()
                    .skip(from - 1)
                    .take(to.saturating_sub(from - 1))
                    .collect()
            }
            _ => format!("{} … {}", self.text_of(left), self.text_of(right)),
        }
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
    pub position: rhai::Position,
}

/// Calls `visit` with every function call in the script, operators left out.
pub fn for_each_call(ast: &AST, mut visit: impl FnMut(&Call<'_>)) {
    ast.walk(&mut |path: &[ASTNode]| {
        let (call, method, position): (&FnCallExpr, bool, rhai::Position) = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, position)))
            | Some(ASTNode::Stmt(Stmt::FnCall(call, position))) => (call, false, *position),
            Some(ASTNode::Expr(Expr::MethodCall(call, position))) => (call, true, *position),
            _ => return true,
        };
        if !call.is_operator_call() {
            visit(&Call {
                name: call.name.as_str(),
                args: &call.args,
                arity: call.args.len() + usize::from(method),
                position,
            });
        }
        true
    });
}

/// Runs every pass over one script.
pub fn check_script(lint: &ScriptLint<'_>, script: &ScriptSource<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    patterns::check(lint, script, &mut problems);
    if !lint.thorough {
        return problems;
    }
    let functions = lint
        .functions
        .with_scripts(&[script.library, Some(script.ast)]);
    calls::check(&functions, script, &mut problems);
    types::check(script.kinds, script, &mut problems);
    problems
}
