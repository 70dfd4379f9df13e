//! Evaluating a recognised script's tree over a bundle's variables: each
//! node gives rhai's value, or `None` where the native path gives up.

use super::*;

pub(super) struct Evaluation<'a> {
    pub(super) variables: &'a dyn Variables,
    pub(super) limits: &'a Limits,
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
    pub(super) fn node(&self, node: &Node, parameters: &[Variable]) -> Option<Variable> {
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
