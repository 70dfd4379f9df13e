//! Reading one operation file into an [`Operation`], checking every name it
//! uses against the catalog and compiling every script it holds.

use std::rc::Rc;

use chrono::NaiveDate;
use rhai::{AST, Dynamic, Engine, Scope};

use super::catalog::FieldDef;
use super::catalog::{Catalog, RESERVED_DOCUMENT_KEYS, RESERVED_PARTY_KEYS};
use super::error::LoadErrorKind;
use super::lint::{
    Kind, ScriptLint, ScriptSource, check_ids, check_placeholders, check_script, place,
    read_position,
};
use super::operation::{
    Check, Count, FieldRef, Operation, Period, Requirement, ReviewWindowRule, RoleUse, Rule,
    Subject, Template,
};
use super::reader::{FileErrors, MapReader, named_entries};
use super::rule_id::RuleId;
use crate::report::{RuleOrigin, Severity};
use crate::script::{self, Script};
use crate::yaml::{Node, NodeValue, ScalarStyle};

/// Variables every script sees.
pub const GLOBAL_VARIABLES: [&str; 4] = ["judged_on", "operation", "parties", "documents"];

/// What reading one operation file needs.
pub struct OperationContext<'a> {
    pub engine: &'a Engine,
    pub catalog: &'a Catalog,
    pub file: &'a str,
    pub text: &'a str,
    /// Functions from the files the operation imports.
    pub library: Option<&'a AST>,
    /// The checks rhai's compiler does not make, with what they collect.
    pub lint: &'a ScriptLint<'a>,
}

/// The script variables of one rule and, for maps with declared fields, the
/// fields each may read.
#[derive(Debug)]
struct Variables {
    names: Vec<String>,
    fields: Vec<(String, Vec<String>)>,
    /// The kind of value each field holds, where the catalog says.
    kinds: Vec<(String, Vec<(String, Kind)>)>,
}

impl Variables {
    fn scope(&self) -> Scope<'static> {
        let mut scope = Scope::new();
        for name in &self.names {
            scope.push_dynamic(name.clone(), Dynamic::UNIT);
        }
        scope
    }

    /// The kind of a variable (`field: None`) or of one of its fields.
    fn kind(&self, variable: &str, field: Option<&str>) -> Option<Kind> {
        let Some(field) = field else {
            return (variable == "judged_on").then_some(Kind::Date);
        };
        let (_, kinds) = self.kinds.iter().find(|(n, _)| n == variable)?;
        kinds.iter().find(|(f, _)| f == field).map(|(_, k)| *k)
    }

    fn fields(&self, variable: &str) -> Option<&[String]> {
        self.fields
            .iter()
            .find(|(n, _)| n == variable)
            .map(|(_, f)| f.as_slice())
    }
}

pub fn read_operation(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    root: &Node,
) -> Option<Operation> {
    let mut map = MapReader::new(errors, root)?;
    let id = map
        .required(errors, "operation")
        .and_then(|n| errors.text(n));
    let version = map.required(errors, "version").and_then(|n| errors.text(n));
    let period = read_period(
        errors,
        map.optional("effective_from"),
        map.optional("effective_until"),
        root.get("operation").map_or(root.position, |n| n.position),
    );
    let title = map
        .required(errors, "title")
        .and_then(|n| errors.localized(n));
    let description = map
        .optional("description")
        .and_then(|n| errors.localized(n));
    // Imports were resolved by the rule set loader; the key is read here so it is known.
    let _ = map.optional("imports");
    let roles = map
        .required(errors, "roles")
        .map(|n| read_roles(context, errors, n))
        .unwrap_or_default();
    let review_window = map
        .optional("review_window")
        .and_then(|n| read_review_window(context, errors, n));
    let mut rules: Vec<Rule> = Vec::new();
    let mut shared = Shared::default();
    if let Some(node) = map.required(errors, "rules") {
        match node.as_sequence() {
            Some(items) => {
                for item in items {
                    if let Some(rule) = read_rule(context, errors, &roles, &mut shared, item) {
                        rules.push(rule);
                    }
                }
            }
            None => errors.wrong_type(node, "a list of rules"),
        }
    }
    map.finish(errors);
    // Ids are taken from the file, so a rule with other mistakes still
    // counts: a duplicate id shows in the same run as those mistakes.
    let written = |node: &Node| {
        let id = node.get("id")?;
        Some((RuleId::new(id.as_str()?), id.position))
    };
    let rule_nodes = root.get("rules").and_then(Node::as_sequence).unwrap_or(&[]);
    let ids: Vec<(RuleId, crate::yaml::Position)> = rule_nodes
        .iter()
        .chain(root.get("review_window"))
        .filter_map(written)
        .collect();
    let ids: Vec<(&RuleId, crate::yaml::Position)> = ids.iter().map(|(i, p)| (i, *p)).collect();
    for problem in check_ids(&ids) {
        errors.push(problem.position, problem.kind);
    }
    Some(Operation {
        id: id?,
        version: version?,
        period: period?,
        title: title?,
        description,
        file: context.file.to_string(),
        roles,
        rules,
        review_window,
    })
}

/// `effective_from` and `effective_until`, both optional, `from <= until`.
fn read_period(
    errors: &mut FileErrors<'_>,
    from: Option<&Node>,
    until: Option<&Node>,
    fallback: crate::yaml::Position,
) -> Option<Period> {
    let mut day = |node: Option<&Node>| -> Result<Option<NaiveDate>, ()> {
        let Some(node) = node else { return Ok(None) };
        let text = node.as_str().unwrap_or_default();
        match crate::domain::date::parse_date(text) {
            Ok(day) => Ok(Some(day)),
            Err(error) => {
                let message = format!("expected a date YYYY-MM-DD: {error}");
                errors.push(node.position, LoadErrorKind::Invalid(message));
                Err(())
            }
        }
    };
    let (start, end) = (day(from), day(until));
    let (start, end) = (start.ok()?, end.ok()?);
    if let (Some(start), Some(end), Some(node)) = (start, end, until)
        && end < start
    {
        let message = format!("effective_until {end} is before effective_from {start}");
        errors.push(node.position, LoadErrorKind::Invalid(message));
        return None;
    }
    Some(Period {
        from: start,
        until: end,
        position: from.map_or(fallback, |n| n.position),
    })
}

fn read_roles(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    node: &Node,
) -> Vec<RoleUse> {
    let mut roles = Vec::new();
    for (role, node, position) in named_entries(errors, node) {
        if context.catalog.role(&role).is_none() {
            errors.push(
                position,
                unknown("role", &role, &context.catalog.role_names()),
            );
            continue;
        }
        let Some(mut map) = MapReader::new(errors, node) else {
            continue;
        };
        let count = map.required(errors, "count").and_then(|n| {
            let name = n.as_str().unwrap_or_default();
            let count = Count::from_name(name);
            if count.is_none() {
                errors.push(n.position, unknown("count", name, Count::NAMES));
            }
            count
        });
        map.finish(errors);
        if let Some(count) = count {
            roles.push(RoleUse {
                role,
                count,
                position,
            });
        }
    }
    roles
}

fn read_review_window(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    node: &Node,
) -> Option<ReviewWindowRule> {
    let mut map = MapReader::new(errors, node)?;
    let id = map.required(errors, "id").and_then(|n| errors.text(n));
    let from = map
        .required(errors, "from")
        .and_then(|n| errors.unsigned(n));
    let to = map.required(errors, "to").and_then(|n| errors.unsigned(n));
    let basis = map.optional("basis").and_then(|n| errors.citation(n));
    let position = map.position();
    map.finish(errors);
    if context.catalog.calendar.is_none() {
        errors.push(
            position,
            LoadErrorKind::Invalid(
                "a review window needs a `calendar:` in catalog.yaml".to_string(),
            ),
        );
    }
    let (from, to) = (from?, to?);
    if from == 0 || from > to {
        errors.push(
            position,
            LoadErrorKind::Invalid(format!(
                "review window {from}..{to} must have 1 <= from <= to"
            )),
        );
        return None;
    }
    Some(ReviewWindowRule {
        id: RuleId::new(id?),
        from,
        to,
        basis,
        origin: RuleOrigin::new(context.file, position),
    })
}

fn unknown(what: &'static str, name: &str, known: &str) -> LoadErrorKind {
    LoadErrorKind::Unknown {
        what,
        name: name.to_string(),
        known: format!("; known: {known}"),
    }
}

fn read_severity(errors: &mut FileErrors<'_>, node: &Node) -> Option<Severity> {
    match node.as_str() {
        Some("error") => Some(Severity::Error),
        Some("warning") => Some(Severity::Warning),
        Some("info") => Some(Severity::Info),
        other => {
            errors.push(
                node.position,
                unknown(
                    "severity",
                    other.unwrap_or_default(),
                    "error, warning, info",
                ),
            );
            None
        }
    }
}

/// What the rules of one operation share while they are read: the
/// variables of each kind of subject, and the scripts compiled so far.
#[derive(Default)]
struct Shared {
    /// By subject and required materials: the rest (the catalog, the
    /// operation's roles) is the same for every rule of the operation.
    variables: Vec<(Subject, Option<Vec<String>>, Rc<Variables>)>,
    /// Scripts that compiled without a problem, with the variables and
    /// purpose they were compiled for. The same text with the same
    /// variables compiles to the same script, found at another place
    /// (`judged_on` is quoted by most messages).
    scripts: Vec<(Rc<Variables>, Purpose, Script)>,
}

impl Shared {
    fn variables(
        &mut self,
        catalog: &Catalog,
        roles: &[RoleUse],
        subject: &Subject,
        required: Option<&[String]>,
    ) -> Rc<Variables> {
        let same = |(s, r, _): &&(Subject, Option<Vec<String>>, Rc<Variables>)| {
            s == subject && r.as_deref() == required
        };
        if let Some((.., variables)) = self.variables.iter().find(same) {
            return Rc::clone(variables);
        }
        let variables = Rc::new(variables_for(catalog, roles, subject, required));
        let key = (subject.clone(), required.map(<[String]>::to_vec));
        self.variables.push((key.0, key.1, Rc::clone(&variables)));
        variables
    }
}

fn read_rule(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    roles: &[RoleUse],
    shared: &mut Shared,
    node: &Node,
) -> Option<Rule> {
    let mut map = MapReader::new(errors, node)?;
    let id = map.required(errors, "id").and_then(|n| errors.text(n));
    let title = map
        .required(errors, "title")
        .and_then(|n| errors.localized(n));
    let severity = map
        .required(errors, "severity")
        .and_then(|n| read_severity(errors, n));
    let basis = map.optional("basis").and_then(|n| errors.citation(n));
    let subject = match map.optional("for_each") {
        None => Some(Subject::Bundle),
        Some(node) => read_subject(context, errors, roles, node),
    };
    let require_node = map.optional("require");
    let fields_node = map.optional("fields");
    let missing_node = map.optional("missing");
    let when_node = map.optional("when");
    let skip_node = map.optional("skip");
    let checks_node = map.optional("checks");
    let pass_node = map.optional("pass");
    let hint_node = map.optional("hint");
    map.finish(errors);
    let subject = subject?;

    let required_materials = match require_node {
        Some(node) => Some(read_materials(context, errors, node)?),
        None => None,
    };
    let variables = shared.variables(
        context.catalog,
        roles,
        &subject,
        required_materials.as_deref(),
    );
    let compiled = &mut shared.scripts;
    let mut compile = |errors: &mut FileErrors<'_>, node: &Node, purpose: Purpose| {
        let same = |(v, p, script): &&(Rc<Variables>, Purpose, Script)| {
            Rc::ptr_eq(v, &variables)
                && *p == purpose
                && Some(script.source.as_str()) == node.as_str()
        };
        if let Some((.., script)) = compiled.iter().find(same) {
            return Some(Script {
                position: node.position,
                ..script.clone()
            });
        }
        let before = errors.errors.len();
        let script = compile_script(context, errors, &variables, node, purpose)?;
        if errors.errors.len() == before {
            compiled.push((Rc::clone(&variables), purpose, script.clone()));
        }
        Some(script)
    };

    let require = match required_materials {
        Some(materials) => {
            let mut fields = Vec::new();
            for (field, position) in fields_node
                .and_then(|n| errors.texts(n))
                .unwrap_or_default()
            {
                let declared = materials.iter().any(|m| {
                    context
                        .catalog
                        .material(m)
                        .is_some_and(|m| m.field(&field).is_some())
                });
                if declared {
                    fields.push(field);
                } else {
                    errors.push(
                        position,
                        unknown(
                            "field",
                            &field,
                            &fields_of_materials(context.catalog, &materials),
                        ),
                    );
                }
            }
            let missing = missing_node
                .and_then(|n| read_template(errors, n, &mut compile, context.lint.thorough));
            Some(Requirement {
                materials,
                fields,
                missing,
            })
        }
        None => {
            for (key, node) in [("fields", fields_node), ("missing", missing_node)] {
                if let Some(node) = node {
                    errors.push(
                        node.position,
                        LoadErrorKind::Invalid(format!("`{key}` needs `require`")),
                    );
                }
            }
            None
        }
    };
    let when = when_node.and_then(|n| compile(errors, n, Purpose::Decide));
    let skip =
        skip_node.and_then(|n| read_template(errors, n, &mut compile, context.lint.thorough));
    let mut checks = Vec::new();
    if let Some(node) = checks_node {
        match node.as_sequence() {
            Some(items) => {
                for item in items {
                    if let Some(check) = read_check(
                        errors,
                        &variables,
                        item,
                        &mut compile,
                        context.lint.thorough,
                    ) {
                        checks.push(check);
                    }
                }
            }
            None => errors.wrong_type(node, "a list of checks"),
        }
    }
    // A check that did not compile has been reported already; only a rule
    // that asks for nothing at all is this mistake.
    let no_checks = checks_node.is_none_or(|n| n.as_sequence().is_some_and(|s| s.is_empty()));
    if require.is_none() && require_node.is_none() && no_checks {
        errors.push(
            node.position,
            LoadErrorKind::Invalid("a rule needs `require`, `checks` or both".to_string()),
        );
    }
    let pass =
        pass_node.and_then(|n| read_template(errors, n, &mut compile, context.lint.thorough));
    let hint =
        hint_node.and_then(|n| read_template(errors, n, &mut compile, context.lint.thorough));
    Some(Rule {
        id: RuleId::new(id?),
        title: title?,
        severity: severity?,
        basis,
        origin: RuleOrigin::new(context.file, node.position),
        subject,
        when,
        skip,
        require,
        checks,
        pass,
        hint,
    })
}

fn read_subject(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    roles: &[RoleUse],
    node: &Node,
) -> Option<Subject> {
    if let Some(role) = node.as_str() {
        if roles.iter().any(|r| r.role == role) {
            return Some(Subject::Role(role.to_string()));
        }
        let known = roles
            .iter()
            .map(|r| r.role.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        errors.push(
            node.position,
            unknown("role of this operation", role, &known),
        );
        return None;
    }
    let mut map = MapReader::new(errors, node)?;
    let materials = map
        .required(errors, "material")
        .and_then(|n| read_materials(context, errors, n));
    map.finish(errors);
    materials.map(Subject::Materials)
}

fn read_materials(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    node: &Node,
) -> Option<Vec<String>> {
    let mut materials = Vec::new();
    for (material, position) in errors.texts(node)? {
        if context.catalog.material(&material).is_some() {
            materials.push(material);
        } else {
            errors.push(
                position,
                unknown("material", &material, &context.catalog.material_names()),
            );
        }
    }
    (!materials.is_empty()).then_some(materials)
}

fn read_check(
    errors: &mut FileErrors<'_>,
    variables: &Variables,
    node: &Node,
    compile: &mut impl FnMut(&mut FileErrors<'_>, &Node, Purpose) -> Option<Script>,
    thorough: bool,
) -> Option<Check> {
    let mut map = MapReader::new(errors, node)?;
    let assert = map
        .required(errors, "assert")
        .and_then(|n| compile(errors, n, Purpose::Decide));
    let at = map
        .optional("at")
        .and_then(|n| read_field_ref(errors, variables, n));
    let fail = map
        .required(errors, "fail")
        .and_then(|n| read_template(errors, n, compile, thorough));
    let hint = map
        .optional("hint")
        .and_then(|n| read_template(errors, n, compile, thorough));
    map.finish(errors);
    Some(Check {
        assert: assert?,
        at,
        fail: fail?,
        hint,
    })
}

fn read_field_ref(
    errors: &mut FileErrors<'_>,
    variables: &Variables,
    node: &Node,
) -> Option<FieldRef> {
    let text = errors.text(node)?;
    let Some((variable, field)) = text.split_once('.') else {
        errors.push(
            node.position,
            LoadErrorKind::Invalid(format!(
                "`at` must name a field as variable.field, found `{text}`"
            )),
        );
        return None;
    };
    match variables.fields(variable) {
        Some(fields) if fields.iter().any(|f| f == field) => Some(FieldRef {
            variable: variable.to_string(),
            field: field.to_string(),
        }),
        Some(fields) => {
            errors.push(node.position, unknown("field", field, &fields.join(", ")));
            None
        }
        None => {
            let known = variables
                .fields
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(node.position, unknown("variable", variable, &known));
            None
        }
    }
}

/// `{ zh: …, en: … }` with `{expression}` placeholders.
fn read_template(
    errors: &mut FileErrors<'_>,
    node: &Node,
    compile: &mut impl FnMut(&mut FileErrors<'_>, &Node, Purpose) -> Option<Script>,
    thorough: bool,
) -> Option<Template> {
    let text = errors.localized(node)?;
    // Skipped only where the tests proved the set (`ScriptLint::thorough`).
    if thorough {
        for problem in check_placeholders(&text, node) {
            errors.push(problem.position, problem.kind);
        }
    }
    let mut placeholders: Vec<Script> = Vec::new();
    let mut broken = false;
    for (language, template) in [("zh", &text.zh), ("en", &text.en)] {
        let at = node.get(language).map_or(node.position, |n| n.position);
        for expression in placeholders_of(template) {
            if placeholders.iter().any(|p| p.source == expression) {
                continue;
            }
            let placeholder = Node {
                value: NodeValue::Scalar(crate::yaml::Scalar {
                    text: expression.to_string(),
                    style: ScalarStyle::Plain,
                }),
                position: at,
            };
            // Every placeholder is compiled, so all their mistakes show at once.
            match compile(errors, &placeholder, Purpose::Quote) {
                Some(script) => placeholders.push(script),
                None => broken = true,
            }
        }
    }
    (!broken).then_some(Template {
        text: std::sync::Arc::new(text),
        placeholders,
    })
}

/// The `{expression}` placeholders of a template, `{{`/`}}` being literal braces.
pub fn placeholders_of(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    // Braces are ASCII, so a byte search finds them without decoding text.
    while let Some(index) = rest.bytes().position(|b| b == b'{' || b == b'}') {
        let tail = &rest[index..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
        } else if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            found.push(tail[1..end].trim());
            rest = &tail[end + 1..];
        } else {
            rest = &tail[1..];
        }
    }
    found
}

/// What a script is for: deciding (a check, a condition) or quoting a value
/// in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Decide,
    Quote,
}

fn compile_script(
    context: &OperationContext<'_>,
    errors: &mut FileErrors<'_>,
    variables: &Variables,
    node: &Node,
    purpose: Purpose,
) -> Option<Script> {
    if node.as_str().is_none() {
        errors.wrong_type(node, "a rhai expression");
        return None;
    }
    if purpose == Purpose::Quote
        && let Some(script) = field_read(errors, variables, node)
    {
        return script;
    }
    let mut compiled = match script::compile(context.engine, &variables.scope(), node, context.text)
    {
        Ok(script) => script,
        Err(error) => {
            errors.push(error.position, LoadErrorKind::Script(error.message));
            return None;
        }
    };
    let mut unknown_field = false;
    for (variable, field) in &compiled.reads {
        if let Some(fields) = variables.fields(variable)
            && !fields.iter().any(|f| f == field)
        {
            let at = read_position(&compiled.ast, variable, field)
                .map_or(node.position, |p| place(node, p));
            errors.push(
                at,
                LoadErrorKind::Unknown {
                    what: "field",
                    name: format!("{variable}.{field}"),
                    known: format!("; `{variable}` has: {}", fields.join(", ")),
                },
            );
            unknown_field = true;
        }
    }
    if unknown_field {
        return None;
    }
    let kinds = |variable: &str, field: Option<&str>| variables.kind(variable, field);
    let source = ScriptSource {
        ast: &compiled.ast,
        node,
        library: context.library,
        kinds: &kinds,
    };
    for problem in check_script(context.lint, &source) {
        errors.push(problem.position, problem.kind);
    }
    if purpose == Purpose::Decide
        && let Some((why, at)) = script::undecided(&compiled.ast, &|name| {
            let defines = |ast: &AST| ast.iter_functions().any(|f| f.name == name);
            defines(&compiled.ast) || context.library.is_some_and(defines)
        })
    {
        let at = script::position_in_file(
            node,
            context.text,
            at.line().unwrap_or(1),
            at.position().unwrap_or(1),
        );
        errors.push(at, LoadErrorKind::Undecided(why));
        return None;
    }
    if let Some(library) = context.library {
        compiled.ast = with_library(library, &compiled.ast);
    }
    // Deciding scripts and placeholders alike: a placeholder's native value
    // is used only where rhai would give the same (`script::quote`).
    compiled.native = script::Native::recognise(&compiled.ast);
    Some(compiled)
}

/// `library.merge(script)`: the script's statements after the library's
/// functions. A script that defines no function of its own shares the
/// library's table of functions instead of a copy of it (a merge copies the
/// table for every script); the merge of an empty table would leave it as
/// it is, so the two give the same syntax tree.
fn with_library(library: &AST, script: &AST) -> AST {
    if script.has_functions() || script.source().is_some() || !library.statements().is_empty() {
        return library.merge(script);
    }
    AST::new(
        script.statements().iter().cloned(),
        library.shared_lib().clone(),
    )
}

/// A placeholder that only reads `variable.field` needs no interpreter: the
/// engine reads it from the scope. It is checked here as a compile would.
/// `None` when the text is not such a read; `Some(None)` when it is one but
/// names something unknown (reported).
fn field_read(
    errors: &mut FileErrors<'_>,
    variables: &Variables,
    node: &Node,
) -> Option<Option<Script>> {
    let source = node.as_str()?.trim();
    let (variable, field) = source.split_once('.')?;
    let is_name = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !is_name(variable) || !is_name(field) {
        return None;
    }
    if !variables.names.iter().any(|n| n == variable) {
        let known = variables.names.join(", ");
        errors.push(node.position, unknown("variable", variable, &known));
        return Some(None);
    }
    if let Some(fields) = variables.fields(variable)
        && !fields.iter().any(|f| f == field)
    {
        errors.push(
            node.position,
            LoadErrorKind::Unknown {
                what: "field",
                name: source.to_string(),
                known: format!("; `{variable}` has: {}", fields.join(", ")),
            },
        );
        return Some(None);
    }
    Some(Some(Script {
        source: source.to_string(),
        ast: rhai::AST::empty(),
        position: node.position,
        reads: vec![(variable.to_string(), field.to_string())],
        native: None,
    }))
}

fn fields_of_materials(catalog: &Catalog, materials: &[String]) -> String {
    let mut fields: Vec<&str> = Vec::new();
    for material in materials.iter().filter_map(|m| catalog.material(m)) {
        for field in &material.fields {
            if !fields.contains(&field.name.as_str()) {
                fields.push(&field.name);
            }
        }
    }
    fields.join(", ")
}

fn party_fields(catalog: &Catalog, roles: &[&str]) -> Vec<String> {
    let mut fields: Vec<String> = RESERVED_PARTY_KEYS.iter().map(|s| s.to_string()).collect();
    for role in roles.iter().filter_map(|r| catalog.role(r)) {
        for field in &role.fields {
            if !fields.contains(&field.name) {
                fields.push(field.name.clone());
            }
        }
    }
    fields
}

fn document_fields(catalog: &Catalog, materials: &[String]) -> Vec<String> {
    let mut fields: Vec<String> = RESERVED_DOCUMENT_KEYS
        .iter()
        .filter(|k| **k != "fields")
        .map(|s| s.to_string())
        .collect();
    for material in materials.iter().filter_map(|m| catalog.material(m)) {
        for field in &material.fields {
            if !fields.contains(&field.name) {
                fields.push(field.name.clone());
            }
        }
    }
    fields
}

/// The variables a rule's scripts may use: the globals, one per single-party
/// role, and the subject's (`party` and its role name, or `doc` and `holder`).
fn variables_for(
    catalog: &Catalog,
    roles: &[RoleUse],
    subject: &Subject,
    required: Option<&[String]>,
) -> Variables {
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    for role in roles.iter().filter(|r| r.count.is_single()) {
        fields.push((role.role.clone(), party_fields(catalog, &[&role.role])));
    }
    match subject {
        Subject::Bundle => {}
        Subject::Role(role) => {
            let role_fields = party_fields(catalog, &[role]);
            fields.retain(|(n, _)| n != role);
            fields.push((role.clone(), role_fields.clone()));
            fields.push(("party".to_string(), role_fields));
        }
        Subject::Materials(materials) => {
            let holder_roles: Vec<&str> = materials
                .iter()
                .filter_map(|m| catalog.material(m))
                .flat_map(|m| m.holders.iter().map(String::as_str))
                .collect();
            fields.push(("doc".to_string(), document_fields(catalog, materials)));
            fields.push(("holder".to_string(), party_fields(catalog, &holder_roles)));
        }
    }
    if let Some(materials) = required {
        fields.retain(|(n, _)| n != "doc");
        fields.push(("doc".to_string(), document_fields(catalog, materials)));
    }
    let mut names: Vec<String> = GLOBAL_VARIABLES.iter().map(|n| n.to_string()).collect();
    names.extend(fields.iter().map(|(n, _)| n.clone()));
    let kinds = fields
        .iter()
        .map(|(variable, _)| {
            (
                variable.clone(),
                variable_kinds(catalog, roles, subject, required, variable),
            )
        })
        .collect();
    Variables {
        names,
        fields,
        kinds,
    }
}

/// The kinds of the fields a variable holds: from the catalog definitions
/// of its roles or materials. A field two definitions give different kinds
/// is left out (unknown).
fn variable_kinds(
    catalog: &Catalog,
    roles: &[RoleUse],
    subject: &Subject,
    required: Option<&[String]>,
    variable: &str,
) -> Vec<(String, Kind)> {
    let role_defs = |names: Vec<&str>| -> Vec<&FieldDef> {
        names
            .into_iter()
            .filter_map(|r| catalog.role(r))
            .flat_map(|r| &r.fields)
            .collect()
    };
    let material_defs = |names: &[String]| -> Vec<&FieldDef> {
        names
            .iter()
            .filter_map(|m| catalog.material(m))
            .flat_map(|m| &m.fields)
            .collect()
    };
    let mut reserved: Vec<(String, Kind)> = Vec::new();
    let defs: Vec<&FieldDef> = match (variable, subject) {
        ("doc", _) => {
            let materials = match (required, subject) {
                (Some(required), _) => required.to_vec(),
                (None, Subject::Materials(materials)) => materials.clone(),
                _ => Vec::new(),
            };
            for key in ["type", "holder", "file", "sha256"] {
                reserved.push((key.to_string(), Kind::Text));
            }
            reserved.push(("index".to_string(), Kind::Number));
            material_defs(&materials)
        }
        ("holder", Subject::Materials(materials)) => {
            let holders = materials
                .iter()
                .filter_map(|m| catalog.material(m))
                .flat_map(|m| m.holders.iter().map(String::as_str))
                .collect();
            role_defs(holders)
        }
        ("party", Subject::Role(role)) => role_defs(vec![role.as_str()]),
        (role, _) if roles.iter().any(|r| r.role == role) => role_defs(vec![role]),
        _ => Vec::new(),
    };
    if variable != "doc" {
        reserved.push(("key".to_string(), Kind::Text));
        reserved.push(("role".to_string(), Kind::Text));
    }
    let mut kinds: Vec<(String, Option<Kind>)> = Vec::new();
    for def in defs {
        let kind = Kind::of_field(def.field_type);
        match kinds.iter_mut().find(|(n, _)| *n == def.name) {
            Some((_, known)) if *known != Some(kind) => *known = None,
            Some(_) => {}
            None => kinds.push((def.name.clone(), Some(kind))),
        }
    }
    reserved
        .into_iter()
        .chain(kinds.into_iter().filter_map(|(n, k)| Some((n, k?))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sharing the library's functions gives the tree a merge gives, and
    /// the same verdicts.
    #[test]
    fn a_script_shares_its_library_as_a_merge_would_copy_it() {
        let engine = crate::script::new_engine(&crate::limits::Limits::default(), None);
        let library = engine
            .compile("fn twice(x) { x * 2 } fn short(s) { s.len() < 3 }")
            .expect("compiles");
        for source in [
            "twice(2) == 4",
            "short(\"abcd\")",
            "let x = 1; twice(x) > x",
        ] {
            let script = engine.compile(source).expect("compiles");
            let shared = with_library(&library, &script);
            let merged = library.merge(&script);
            assert_eq!(format!("{shared:?}"), format!("{merged:?}"), "{source}");
            let run = |ast: &AST| engine.eval_ast::<bool>(ast).expect("runs");
            assert_eq!(run(&shared), run(&merged), "{source}");
        }
        // A script with functions of its own is merged.
        let script = engine
            .compile("fn one() { 1 } twice(one()) == 2")
            .expect("compiles");
        let merged = with_library(&library, &script);
        assert_eq!(
            format!("{merged:?}"),
            format!("{:?}", library.merge(&script))
        );
        assert!(engine.eval_ast::<bool>(&merged).expect("runs"));
    }
}
