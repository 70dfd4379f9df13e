//! Load-time check of a script that must decide (a check's `assert`, a
//! rule's `when`): from rhai's syntax tree, the value it ends with must be
//! able to be `true` or `false`. An assignment where a comparison was meant
//! (`doc.sealed = true`), an `if` without `else`, a `switch` without a
//! default, `()`, a number or a text can only give something else on some
//! bundle, and would leave the rule undecided; such a rule set does not load.
//!
//! The check is conservative: what it cannot type (a variable, a field, a
//! script function) passes here and is judged when the script runs, where a
//! value that is not a boolean is a rule error.

use rhai::{AST, ASTFlags, Expr, Position, Stmt, StmtBlock};

use super::{DATE_HELPERS, HELPERS};

/// Why a deciding script cannot be trusted to give `true` or `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecided {
    /// `a = b` where `a == b` was meant: an assignment gives nothing.
    Assignment,
    /// An `if` with no `else` gives nothing when its condition is false.
    IfWithoutElse,
    /// A `switch` with no `_ =>` case gives nothing when no case matches.
    SwitchWithoutDefault,
    /// The value is of this other type (`()`, `int`, `string`…).
    Type(&'static str),
}

impl Undecided {
    /// What is wrong, for the load error.
    pub fn message(&self) -> String {
        match self {
            Undecided::Assignment => {
                "an assignment used as a condition: it gives nothing, not true or false".to_string()
            }
            Undecided::IfWithoutElse => {
                "an `if` without `else` gives nothing when its condition is false".to_string()
            }
            Undecided::SwitchWithoutDefault => {
                "a `switch` without a default case (`_ =>`) gives nothing when no case matches"
                    .to_string()
            }
            Undecided::Type(name) => format!("the condition gives {name}, not true or false"),
        }
    }

    /// How to fix it, for the note under the snippet.
    pub fn help(&self) -> &'static str {
        match self {
            Undecided::Assignment => "compare with `==`",
            Undecided::IfWithoutElse => "add an `else` that gives true or false",
            Undecided::SwitchWithoutDefault => "add `_ => false` (or true) as the last case",
            Undecided::Type(_) => "a check and a `when` must give true or false",
        }
    }
}

/// The first reason `ast` (a deciding script, before any library is merged
/// in) may not give a boolean, with its place in the script. `is_script_fn`
/// says whether a name is a function the rule set's scripts define (they
/// may shadow a helper, so their result type is unknown).
pub fn undecided(ast: &AST, is_script_fn: &dyn Fn(&str) -> bool) -> Option<(Undecided, Position)> {
    let checker = Checker { is_script_fn };
    match checker.statements(ast.statements(), Position::new(1, 1)) {
        Kind::Undecided(why, at) => Some((why, at)),
        Kind::Bool | Kind::Unknown => None,
    }
}

/// What is statically known of a value.
enum Kind {
    Bool,
    /// Anything: only evaluation tells.
    Unknown,
    Undecided(Undecided, Position),
}

struct Checker<'a> {
    is_script_fn: &'a dyn Fn(&str) -> bool,
}

impl Checker<'_> {
    /// The value of a block: its last statement; nothing when it is empty.
    fn statements(&self, statements: &[Stmt], at: Position) -> Kind {
        match statements.last() {
            None => Kind::Undecided(Undecided::Type("nothing"), at),
            Some(last) => self.statement(last),
        }
    }

    fn block(&self, block: &StmtBlock) -> Kind {
        self.statements(block.statements(), block.position())
    }

    fn statement(&self, statement: &Stmt) -> Kind {
        match statement {
            Stmt::Expr(expr) => self.expr(expr),
            Stmt::FnCall(call, at) => self.call(&call.name, call.args.len(), *at),
            Stmt::Block(block) => self.block(block),
            Stmt::Assignment(assignment) => Kind::Undecided(
                Undecided::Assignment,
                position_or(assignment.0.position(), assignment.1.lhs.position()),
            ),
            Stmt::If(flow, at) => {
                if flow.branch.statements().is_empty() {
                    return Kind::Undecided(Undecided::IfWithoutElse, *at);
                }
                both(self.block(&flow.body), self.block(&flow.branch))
            }
            Stmt::Switch(switch, at) => {
                let cases = &switch.1;
                if cases.def_case.is_none() {
                    return Kind::Undecided(Undecided::SwitchWithoutDefault, *at);
                }
                cases
                    .expressions
                    .iter()
                    .map(|case| self.expr(&case.rhs))
                    .fold(Kind::Bool, both)
            }
            Stmt::Var(_, _, at) => Kind::Undecided(Undecided::Type("nothing (a `let`)"), *at),
            Stmt::Noop(at) => Kind::Undecided(Undecided::Type("nothing"), *at),
            // `throw` stops the script with an error: a rule error when it runs.
            Stmt::Return(_, flags, _) if flags.intersects(ASTFlags::BREAK) => Kind::Unknown,
            Stmt::Return(Some(expr), ..) => self.expr(expr),
            Stmt::Return(None, _, at) => Kind::Undecided(Undecided::Type("nothing"), *at),
            // Loops, try/catch and the rest: what they give depends on the run.
            _ => Kind::Unknown,
        }
    }

    fn expr(&self, expr: &Expr) -> Kind {
        let at = expr.position();
        match expr {
            Expr::BoolConstant(..) | Expr::And(..) | Expr::Or(..) => Kind::Bool,
            Expr::DynamicConstant(value, _) if value.is_bool() => Kind::Bool,
            Expr::DynamicConstant(value, _) => {
                Kind::Undecided(Undecided::Type(value.type_name()), at)
            }
            Expr::Unit(_) => Kind::Undecided(Undecided::Type("nothing (`()`)"), at),
            Expr::IntegerConstant(..) => Kind::Undecided(Undecided::Type("a number"), at),
            Expr::FloatConstant(..) => Kind::Undecided(Undecided::Type("a number"), at),
            Expr::CharConstant(..) | Expr::StringConstant(..) | Expr::InterpolatedString(..) => {
                Kind::Undecided(Undecided::Type("a text"), at)
            }
            Expr::Array(..) => Kind::Undecided(Undecided::Type("a list"), at),
            Expr::Map(..) => Kind::Undecided(Undecided::Type("a map"), at),
            Expr::Stmt(block) => self.block(block),
            Expr::FnCall(call, at) => self.call(&call.name, call.args.len(), *at),
            _ => Kind::Unknown,
        }
    }

    /// A call's result, from the operators and helpers whose result is known.
    fn call(&self, name: &str, arity: usize, at: Position) -> Kind {
        if matches!(name, "==" | "!=" | "<" | "<=" | ">" | ">=" | "!" | "in") && arity <= 2 {
            return Kind::Bool;
        }
        if (self.is_script_fn)(name) {
            return Kind::Unknown;
        }
        let documented = HELPERS
            .iter()
            .chain(DATE_HELPERS)
            .find(|helper| helper.name == name);
        match documented.and_then(|h| h.signature.rsplit_once("-> ")) {
            Some((_, "bool")) => Kind::Bool,
            Some((_, "int")) => Kind::Undecided(Undecided::Type("a number"), at),
            Some((_, "string")) => Kind::Undecided(Undecided::Type("a text"), at),
            Some((_, "Date")) => Kind::Undecided(Undecided::Type("a date"), at),
            Some((_, "array")) => Kind::Undecided(Undecided::Type("a list"), at),
            _ => Kind::Unknown,
        }
    }
}

/// Two branches, either of which may give the value.
fn both(a: Kind, b: Kind) -> Kind {
    match (a, b) {
        (Kind::Undecided(why, at), _) | (_, Kind::Undecided(why, at)) => Kind::Undecided(why, at),
        (Kind::Bool, Kind::Bool) => Kind::Bool,
        _ => Kind::Unknown,
    }
}

fn position_or(first: Position, second: Position) -> Position {
    if first.is_none() { second } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str) -> Option<(Undecided, (usize, usize))> {
        let mut engine = rhai::Engine::new();
        engine.set_optimization_level(rhai::OptimizationLevel::None);
        engine.register_fn("same_name", |_: &str, _: &str| true);
        let mut scope = rhai::Scope::new();
        scope.push_dynamic("doc", rhai::Dynamic::UNIT);
        let ast = engine.compile_with_scope(&scope, source).unwrap();
        undecided(&ast, &|name| name == "mine")
            .map(|(why, at)| (why, (at.line().unwrap_or(0), at.position().unwrap_or(0))))
    }

    #[test]
    fn booleans_and_what_only_a_run_can_tell_pass() {
        for source in [
            "doc.sealed == true",
            "!doc.sealed",
            "doc.a && doc.b || doc.c",
            "same_name(doc.a, doc.b)",
            "let x = doc.a; x == 1 || x > 3",
            "if doc.a { true } else { doc.b == 1 }",
            "switch doc.a { 1 => true, _ => false }",
            "doc.sealed",
            "mine(doc)",
            "{ doc.a == 1 }",
            "throw `no: ${doc.a}`",
            "return doc.a == 1",
        ] {
            assert_eq!(check(source), None, "{source}");
        }
    }

    #[test]
    fn what_cannot_give_a_boolean_is_found_at_its_place() {
        assert_eq!(
            check("doc.sealed = true"),
            Some((Undecided::Assignment, (1, 12)))
        );
        assert_eq!(
            check("let x = 1;\nif x == 1 { true }"),
            Some((Undecided::IfWithoutElse, (2, 1)))
        );
        assert_eq!(
            check("switch doc.a { 1 => true }"),
            Some((Undecided::SwitchWithoutDefault, (1, 1)))
        );
        assert!(matches!(check("()"), Some((Undecided::Type(_), (1, 1)))));
        assert!(matches!(
            check("1 + 1 == 2; 3"),
            Some((Undecided::Type(_), _))
        ));
        assert!(matches!(check("\"yes\""), Some((Undecided::Type(_), _))));
        assert!(matches!(
            check("if doc.a { true } else { 1 }"),
            Some((Undecided::Type(_), (1, 26)))
        ));
        assert!(matches!(check("let x = 1;"), Some((Undecided::Type(_), _))));
        assert!(matches!(check(""), Some((Undecided::Type(_), _))));
    }
}
