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

mod recognise;

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

struct Evaluation<'a> {
    variables: &'a dyn Variables,
    limits: &'a Limits,
}

/// A value that is not a bound party, document or list (those are maps,
/// which no helper taking a value accepts).
fn plain(value: &Variable) -> Option<&Dynamic> {
    match value {
        Variable::Value(value) => Some(value),
        Variable::Bound(_) => None,
    }
}

fn text(value: &Variable) -> Option<ImmutableString> {
    plain(value)?.clone().into_immutable_string().ok()
}

fn date(value: &Variable) -> Option<DateValue> {
    read_date(plain(value)?)
}

fn read_date(value: &Dynamic) -> Option<DateValue> {
    value.read_lock::<DateValue>().map(|date| *date)
}

fn day(value: &Variable) -> Option<NaiveDate> {
    match date(value)? {
        DateValue::Day(day) => Some(day),
        DateValue::LongTerm => None,
    }
}

fn boolean(value: Variable) -> Option<bool> {
    plain(&value)?.as_bool().ok()
}

fn int(value: Variable) -> Option<i64> {
    plain(&value)?.as_int().ok()
}

fn value(value: impl Into<Dynamic>) -> Option<Variable> {
    Some(Variable::Value(value.into()))
}

impl Evaluation<'_> {
    fn node(&self, node: &Node, parameters: &[Variable]) -> Option<Variable> {
        match node {
            Node::Constant(constant) => value(constant.clone()),
            Node::Variable(name) => self.variables.variable(name),
            Node::Parameter(index) => parameters.get(*index).cloned(),
            Node::Let { value, body } => {
                // rhai stores a declared value flattened (not shared).
                let declared = match self.node(value, parameters)? {
                    Variable::Value(value) => Variable::Value(value.flatten()),
                    bound @ Variable::Bound(_) => bound,
                };
                let mut frame = Vec::with_capacity(parameters.len() + 1);
                frame.extend_from_slice(parameters);
                frame.push(declared);
                self.node(body, &frame)
            }
            Node::Field(map, field) => {
                if let Node::Variable(name) = map.as_ref() {
                    return value(self.variables.variable_field(name, field)?);
                }
                match self.node(map, parameters)? {
                    Variable::Value(map) => {
                        value(map.read_lock::<Map>()?.get(field.as_str())?.clone())
                    }
                    Variable::Bound(bound) => value(self.variables.field(bound, field)?),
                }
            }
            Node::Not(operand) => value(!boolean(self.node(operand, parameters)?)?),
            Node::And(operands) => {
                for operand in operands {
                    if !boolean(self.node(operand, parameters)?)? {
                        return value(false);
                    }
                }
                value(true)
            }
            Node::Or(operands) => {
                for operand in operands {
                    if boolean(self.node(operand, parameters)?)? {
                        return value(true);
                    }
                }
                value(false)
            }
            Node::Compare(comparison, left, right) => {
                let left = self.node(left, parameters)?;
                let right = self.node(right, parameters)?;
                if let Some(verdict) = compare_with_unit(*comparison, &left, &right) {
                    return value(verdict);
                }
                value(compare(*comparison, plain(&left)?, plain(&right)?)?)
            }
            Node::Add(left, right) => {
                let left = int(self.node(left, parameters)?)?;
                let right = int(self.node(right, parameters)?)?;
                value(left.checked_add(right)?)
            }
            Node::Subtract(left, right) => {
                let left = int(self.node(left, parameters)?)?;
                let right = int(self.node(right, parameters)?)?;
                value(left.checked_sub(right)?)
            }
            Node::Helper(helper, arguments) => {
                let values = arguments
                    .iter()
                    .map(|argument| self.node(argument, parameters))
                    .collect::<Option<Vec<Variable>>>()?;
                self.helper(*helper, &values)
            }
            Node::Function { arguments, body } => {
                let values = arguments
                    .iter()
                    .map(|argument| self.node(argument, parameters))
                    .collect::<Option<Vec<Variable>>>()?;
                self.node(body, &values)
            }
        }
    }

    /// A name helper refuses a text longer than the limit (an error in rhai).
    fn bounded(&self, value: &Variable) -> Option<ImmutableString> {
        text(value).filter(|text| text.len() <= self.limits.script_helper_text_bytes)
    }

    /// Calls `visit` with each present text value of `field` of the maps in
    /// `parties` whose `role` shows as `role`, as `helpers::each_present`
    /// does over the maps themselves; `None` where that is an error.
    fn each_present(
        &self,
        parties: &Variable,
        role: &str,
        field: &str,
        visit: &mut dyn FnMut(&str),
    ) -> Option<()> {
        let list = match parties {
            Variable::Value(parties) => {
                return helpers::each_present(parties, role, field, visit).ok();
            }
            Variable::Bound(list) => *list,
        };
        let item: fn(usize) -> Bound = match list {
            Bound::Parties => Bound::Party,
            Bound::Documents => Bound::Document,
            Bound::Party(_) | Bound::Document(_) => return None,
        };
        for index in 0..self.variables.length(list)? {
            let item = item(index);
            let Some(shown) = self.variables.field(item, "role") else {
                continue;
            };
            if !helpers::displays_as(&shown, role) {
                continue;
            }
            if let Some(value) = self.variables.field(item, field)
                && let Some(value) = value.read_lock::<ImmutableString>()
                && !value.trim().is_empty()
            {
                visit(value.as_str());
            }
        }
        Some(())
    }

    /// `document_of(party, material)` of a bound party: the first document
    /// of its `documents` whose `type` shows as `material`, as
    /// `helpers::document_of` finds it in the party's map, or `()`; `None`
    /// where that is an error (not a party, no list of documents).
    fn document_of(&self, party: Bound, material: &str) -> Option<Variable> {
        let mut found = None;
        self.variables.each_held(party, &mut |document| {
            let is = self
                .variables
                .field(document, "type")
                .is_some_and(|shown| helpers::displays_as(&shown, material));
            if is {
                found = Some(document);
            }
            !is
        })?;
        Some(found.map_or(Variable::Value(Dynamic::UNIT), Variable::Bound))
    }

    /// `Some(())` where rhai accepts `value` as a helper's result: its
    /// sizes within the sandbox's (rhai checks every value a function
    /// returns), and what a copy of it allocates far below the memory
    /// budget (checked at the next operation).
    fn fits(&self, value: &Variable) -> Option<()> {
        let mut size = DataSize::default();
        match value {
            Variable::Value(value) => size.add(value)?,
            Variable::Bound(bound) => {
                let mut fits = Some(());
                self.variables.entries(*bound, &mut |key, value| {
                    size.keys += 1;
                    size.key_bytes += key.len();
                    fits = fits.and_then(|()| size.add(&value));
                })?;
                fits?;
            }
        }
        size.within(self.limits).then_some(())
    }

    fn helper(&self, helper: Helper, values: &[Variable]) -> Option<Variable> {
        let texts = || Some((text(&values[0])?, text(&values[1])?));
        let dates = || Some((date(&values[0])?, date(&values[1])?));
        let verdict = match helper {
            Helper::Present => match &values[0] {
                Variable::Value(value) => helpers::present(value.clone()),
                // A map is there.
                Variable::Bound(_) => true,
            },
            Helper::Has => {
                let field = text(&values[1])?;
                match &values[0] {
                    Variable::Value(item) => helpers::has(item.clone(), &field).ok()?,
                    Variable::Bound(bound) => self.variables.has(*bound, &field)?,
                }
            }
            Helper::SameName => {
                let (a, b) = (self.bounded(&values[0])?, self.bounded(&values[1])?);
                name::same_name(&a, &b)
            }
            Helper::SameId => {
                let (a, b) = texts()?;
                normalize_identifier(&a) == normalize_identifier(&b)
            }
            Helper::SameMobile => {
                let (a, b) = texts()?;
                helpers::same_mobile(&a, &b)
            }
            Helper::SameEmail => {
                let (a, b) = texts()?;
                helpers::same_email(&a, &b)
            }
            Helper::IsUscc => uscc::parse(&text(&values[0])?).is_ok(),
            Helper::IsRic => ric::parse(&text(&values[0])?, NaiveDate::MAX).is_ok(),
            Helper::IsMobile => mobile::parse(&text(&values[0])?).is_ok(),
            Helper::IsEmail => email::parse(&text(&values[0])?).is_ok(),
            Helper::OnOrBefore => {
                let (a, b) = dates()?;
                a <= b
            }
            Helper::OnOrAfter => {
                let (a, b) = dates()?;
                a >= b
            }
            Helper::DaysBetween => {
                let (a, b) = (day(&values[0])?, day(&values[1])?);
                return value((b - a).num_days());
            }
            Helper::AgeOn => {
                let id = helpers::resident_id(&text(&values[0])?).ok()?;
                return value(i64::from(id.age_on(day(&values[1])?)));
            }
            Helper::CountSame => {
                let value = self.bounded(&values[3])?;
                let (role, field, how) = (text(&values[1])?, text(&values[2])?, text(&values[4])?);
                let count = helpers::count_same_by(&value, &how, |visit| {
                    self.each_present(&values[0], &role, &field, visit)
                        .ok_or_else(|| "not a list of parties".into())
                })
                .ok()?;
                return self::value(count);
            }
            Helper::CountPresent => {
                let (role, field) = (text(&values[1])?, text(&values[2])?);
                let mut count: i64 = 0;
                self.each_present(&values[0], &role, &field, &mut |_| count += 1)?;
                return value(count);
            }
            Helper::DocumentOf => {
                let material = text(&values[1])?;
                let document = match &values[0] {
                    Variable::Value(party) => {
                        Variable::Value(helpers::document_of(party.clone(), &material).ok()?)
                    }
                    Variable::Bound(party) => self.document_of(*party, &material)?,
                };
                self.fits(&document)?;
                return Some(document);
            }
        };
        value(verdict)
    }
}

/// `==` or `!=` where one side is `()`: rhai gives `() == ()` and, between
/// `()` and a map, a list, a text, a boolean or an integer, "not equal"
/// (values of two built-in types). `None` for anything else (a date: a
/// registered type, whose functions rhai looks up first), or where neither
/// side is `()`.
fn compare_with_unit(comparison: Comparison, left: &Variable, right: &Variable) -> Option<bool> {
    let unit = |side: &Variable| matches!(side, Variable::Value(value) if value.is_unit());
    let other = match (unit(left), unit(right)) {
        (false, false) => return None,
        (true, true) => {
            return comparison
                .is_equality()
                .then_some(comparison == Comparison::Equal);
        }
        (true, false) => right,
        (false, true) => left,
    };
    if !comparison.is_equality() {
        return None;
    }
    let built_in = match other {
        Variable::Bound(_) => true,
        Variable::Value(value) => {
            value.is_map()
                || value.is_array()
                || value.is_string()
                || value.is_bool()
                || value.is_int()
        }
    };
    built_in.then_some(comparison == Comparison::NotEqual)
}

/// The sizes rhai counts in a value (`calc_data_sizes`: list items, map
/// entries and text bytes, nested ones included), and what copying its
/// maps' keys allocates.
#[derive(Debug, Default)]
struct DataSize {
    items: usize,
    entries: usize,
    text_bytes: usize,
    /// Top-level keys, and their bytes.
    keys: usize,
    key_bytes: usize,
}

impl DataSize {
    /// Adds a value as rhai counts it inside a map or list (itself one
    /// entry or item, counted by the caller); `None` for a shared value
    /// within, which rhai does not expect.
    fn add(&mut self, value: &Dynamic) -> Option<()> {
        if value.is_shared() {
            return None;
        }
        if let Some(text) = value.read_lock::<ImmutableString>() {
            self.text_bytes += text.len();
        } else if let Some(list) = value.read_lock::<rhai::Array>() {
            for item in list.iter() {
                self.items += 1;
                self.add(item)?;
            }
        } else if let Some(map) = value.read_lock::<Map>() {
            for (key, item) in map.iter() {
                self.entries += 1;
                self.key_bytes += key.len();
                self.add(item)?;
            }
        } else if value.is_blob() {
            return None;
        }
        Some(())
    }

    /// Within rhai's limits (0: none), and the map's copy (entries and
    /// items at most 128 bytes each, plus their keys) within a quarter of
    /// the memory budget.
    fn within(&self, limits: &Limits) -> bool {
        let within = |count: usize, most: usize| most == 0 || count <= most;
        let copied = (self.keys + self.entries + self.items)
            .saturating_mul(128)
            .saturating_add(self.key_bytes);
        within(self.text_bytes, limits.script_string_bytes)
            && within(self.items, limits.script_collection_items)
            && within(self.keys + self.entries, limits.script_collection_items)
            && u64::try_from(copied).is_ok_and(|bytes| bytes <= limits.script_memory_bytes / 4)
    }
}

/// A comparison of two values of one type that rhai compares the same way;
/// `None` for anything else (values of two types, `()`), which rhai decides.
fn compare(comparison: Comparison, left: &Dynamic, right: &Dynamic) -> Option<bool> {
    if let (Ok(a), Ok(b)) = (left.as_int(), right.as_int()) {
        return Some(comparison.holds(a.cmp(&b)));
    }
    if let (Some(a), Some(b)) = (read_date(left), read_date(right)) {
        return Some(comparison.holds(a.cmp(&b)));
    }
    if !comparison.is_equality() {
        return None;
    }
    if let (Ok(a), Ok(b)) = (left.as_bool(), right.as_bool()) {
        return Some(comparison.holds(a.cmp(&b)));
    }
    if left.is_string() && right.is_string() {
        let (a, b) = (
            left.clone().into_immutable_string().ok()?,
            right.clone().into_immutable_string().ok()?,
        );
        return Some(comparison.holds(a.as_str().cmp(b.as_str())));
    }
    None
}

#[cfg(test)]
mod tests;
