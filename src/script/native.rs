//! Deciding scripts of a few simple shapes, run in Rust instead of rhai.
//!
//! Most checks the shipped rules write are one comparison or one helper
//! call over fields (`same_name(doc.name, enterprise.name)`,
//! `doc.sealed == true`, `on_or_before(doc.start_date, judged_on)`,
//! `count_same(…) == 1`). Running each through the interpreter costs a copy
//! of the scope and the interpreter's dispatch, more than the check itself.
//! At load, [`recognise`](Native::recognise) turns such a script's syntax
//! tree into a small expression tree; while judging, [`decide`] evaluates it
//! with the same Rust functions the registered helpers call.
//!
//! The native path only ever answers `true` or `false` where rhai would give
//! that same boolean. Whatever else could happen (a missing value `()`, a
//! field that is not there, a value of another type, a helper's error, an
//! overflow, a result that is not a boolean) makes it give up, and the script
//! runs in rhai: skips, rule errors and their messages keep one source, and a
//! check that cannot decide still fails closed.

mod evaluation;
mod recognise;

use evaluation::Evaluation;

use chrono::NaiveDate;
use rhai::{AST, Dynamic, ImmutableString, Map};

use super::helpers;
use super::map_shape::{Bindings, Bound, Variable, Variables};
use super::sandbox::{Runner, ScriptError, run_bool};
use crate::domain::date::DateValue;
use crate::domain::{email, mobile, name, normalize_identifier, ric, uscc};
use crate::limits::Limits;

/// A deciding script recognised as a simple shape.
#[derive(Debug, Clone)]
pub struct Native {
    root: Node,
    /// Whether the script declares a variable (`let`).
    declares: bool,
}

impl Native {
    /// The native form of a deciding script (its library already merged in),
    /// or `None` when any part of it is not a shape evaluated here.
    pub fn recognise(ast: &AST) -> Option<Native> {
        recognise::script(ast).map(|root| Native {
            declares: root.declares(),
            root,
        })
    }

    /// `Some(verdict)` exactly when rhai would give that boolean; `None`
    /// when rhai must run (it will give an error, a skip, or a non-boolean).
    pub fn decide(&self, variables: &dyn Variables, limits: &Limits) -> Option<bool> {
        match self.evaluate(variables, limits)? {
            Variable::Value(value) => value.as_bool().ok(),
            Variable::Bound(_) => None,
        }
    }

    fn evaluate(&self, variables: &dyn Variables, limits: &Limits) -> Option<Variable> {
        // rhai refuses a `let` once the scope holds `script_variables`; a
        // recognised script declares fewer than `MOST_NODES` on top of the
        // rule's variables (and of a function's parameters, no more).
        if self.declares && variables.count().checked_add(MOST_NODES)? >= limits.script_variables {
            return None;
        }
        Evaluation { variables, limits }.node(&self.root, &[])
    }

    /// `Some(value)` exactly when rhai would give that value, for a script
    /// that quotes one in a message (a placeholder); `None` when rhai must
    /// run. A shared value (a rule's variable quoted whole) is left to rhai,
    /// which decides how it comes out of the scope; so is a party or
    /// document bound without its map.
    pub fn value(&self, variables: &dyn Variables, limits: &Limits) -> Option<Dynamic> {
        match self.evaluate(variables, limits)? {
            Variable::Value(value) => Some(value).filter(|value| !value.is_shared()),
            Variable::Bound(_) => None,
        }
    }
}

/// Runs a deciding script: natively when it was recognised and `limits`
/// leave room for it, in rhai otherwise (see the module's documentation).
/// The rhai scope is asked for only then.
pub fn decide(
    engine: &impl Runner,
    script: &super::Script,
    mut bindings: impl Bindings,
    limits: &Limits,
) -> Result<bool, ScriptError> {
    if let Some(native) = &script.native
        && room_for_native(limits)
        && let Some(verdict) = native.decide(bindings.variables(), limits)
    {
        return Ok(verdict);
    }
    run_bool(engine.runner(), &script.ast, bindings.scope(), limits)
}

/// Runs a script that quotes a value in a message (a placeholder): natively
/// when it was recognised and `limits` leave room for it, in rhai otherwise,
/// as [`decide`] does for deciding scripts.
pub fn quote(
    engine: &impl Runner,
    script: &super::Script,
    mut bindings: impl Bindings,
    limits: &Limits,
) -> Result<Dynamic, ScriptError> {
    if let Some(native) = &script.native
        && room_for_native(limits)
        && let Some(value) = native.value(bindings.variables(), limits)
    {
        return Ok(value);
    }
    super::sandbox::run(engine.runner(), &script.ast, bindings.scope(), limits)
}

/// The most nodes a recognised script has; it bounds the operations rhai
/// would count for it well below [`room_for_native`]'s floor.
pub(super) const MOST_NODES: usize = 48;
/// The deepest chain of script functions inlined into a recognised script.
pub(super) const MOST_INLINED_CALLS: usize = 4;

/// Whether the sandbox's bounds are wide enough that rhai could never stop a
/// recognised script (at most [`MOST_NODES`] operations, a few calls deep,
/// no memory to speak of). Limits set tighter than that (tests of the bounds
/// do) leave every script to rhai, so a bound is never skipped; so does a
/// program without the counting allocator, where no script may run at all.
fn room_for_native(limits: &Limits) -> bool {
    if !super::memory::is_counting() {
        return false;
    }
    let operations = limits.script_operations == 0 || limits.script_operations >= 4 * 64;
    operations
        && limits.script_call_depth > MOST_INLINED_CALLS + 1
        && limits.script_time >= std::time::Duration::from_millis(1)
        && limits.script_memory_bytes >= 1024 * 1024
}

/// A recognised expression.
#[derive(Debug, Clone)]
enum Node {
    /// A boolean, integer or text constant, or `()`.
    Constant(Dynamic),
    /// A variable of the rule's scope.
    Variable(ImmutableString),
    /// The n-th name of the frame being evaluated: the parameters of the
    /// inlined script function (none in the rule's script), then the
    /// variables declared on the way (`let`).
    Parameter(usize),
    /// `let <name> = value; body`: `body` sees `value` as the frame's next
    /// name (`name` itself is resolved by the recogniser).
    Let {
        value: Box<Node>,
        body: Box<Node>,
    },
    /// `map.field`, an error in rhai when the map has no such key.
    Field(Box<Node>, ImmutableString),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Compare(Comparison, Box<Node>, Box<Node>),
    Add(Box<Node>, Box<Node>),
    Subtract(Box<Node>, Box<Node>),
    Helper(Helper, Vec<Node>),
    /// A script function whose body is one recognised expression of its
    /// parameters: the arguments are evaluated first, as rhai does.
    Function {
        arguments: Vec<Node>,
        body: Box<Node>,
    },
}

impl Node {
    /// Whether a `let` is evaluated anywhere in this node (inlined
    /// functions included).
    fn declares(&self) -> bool {
        match self {
            Node::Let { .. } => true,
            Node::Constant(_) | Node::Variable(_) | Node::Parameter(_) => false,
            Node::Field(operand, _) | Node::Not(operand) => operand.declares(),
            Node::And(operands) | Node::Or(operands) | Node::Helper(_, operands) => {
                operands.iter().any(Node::declares)
            }
            Node::Compare(_, left, right)
            | Node::Add(left, right)
            | Node::Subtract(left, right) => left.declares() || right.declares(),
            Node::Function { arguments, body } => {
                arguments.iter().any(Node::declares) || body.declares()
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    fn named(operator: &str) -> Option<Comparison> {
        Some(match operator {
            "==" => Comparison::Equal,
            "!=" => Comparison::NotEqual,
            "<" => Comparison::Less,
            "<=" => Comparison::LessOrEqual,
            ">" => Comparison::Greater,
            ">=" => Comparison::GreaterOrEqual,
            _ => return None,
        })
    }

    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Comparison::Equal => ordering == Equal,
            Comparison::NotEqual => ordering != Equal,
            Comparison::Less => ordering == Less,
            Comparison::LessOrEqual => ordering != Greater,
            Comparison::Greater => ordering == Greater,
            Comparison::GreaterOrEqual => ordering != Less,
        }
    }

    /// rhai has only `==` and `!=` for booleans; texts are compared here only
    /// for equality too, to stay clear of any ordering question.
    fn is_equality(self) -> bool {
        matches!(self, Comparison::Equal | Comparison::NotEqual)
    }
}

/// The helpers evaluated natively, each by the function its rhai
/// registration calls (`helpers.rs`, `date.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Helper {
    Present,
    Has,
    SameName,
    SameId,
    SameMobile,
    SameEmail,
    IsUscc,
    IsRic,
    IsMobile,
    IsEmail,
    OnOrBefore,
    OnOrAfter,
    DaysBetween,
    AgeOn,
    CountSame,
    CountPresent,
    DocumentOf,
}

impl Helper {
    fn named(name: &str, arity: usize) -> Option<Helper> {
        let (helper, wanted) = match name {
            "present" => (Helper::Present, 1),
            "has" => (Helper::Has, 2),
            "same_name" => (Helper::SameName, 2),
            "same_id" => (Helper::SameId, 2),
            "same_mobile" => (Helper::SameMobile, 2),
            "same_email" => (Helper::SameEmail, 2),
            "is_uscc" => (Helper::IsUscc, 1),
            "is_ric" => (Helper::IsRic, 1),
            "is_mobile" => (Helper::IsMobile, 1),
            "is_email" => (Helper::IsEmail, 1),
            "on_or_before" => (Helper::OnOrBefore, 2),
            "on_or_after" => (Helper::OnOrAfter, 2),
            "days_between" => (Helper::DaysBetween, 2),
            "age_on" => (Helper::AgeOn, 2),
            "count_same" => (Helper::CountSame, 5),
            "count_present" => (Helper::CountPresent, 3),
            "document_of" => (Helper::DocumentOf, 2),
            _ => return None,
        };
        (arity == wanted).then_some(helper)
    }
}

#[cfg(test)]
mod tests;
