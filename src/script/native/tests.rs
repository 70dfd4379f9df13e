//! The recogniser on edge cases, and the native path against rhai on
//! generated scripts: where the native path answers, rhai gives that answer.

use chrono::NaiveDate;
use proptest::prelude::*;
use rhai::{AST, Array, Dynamic, Engine, Map, Scope};

use super::super::map_shape::{Bound, Variable, Variables};
use super::super::sandbox::run_bool;
use super::{Native, decide};
use crate::domain::date::DateValue;
use crate::limits::Limits;
use crate::script::{Script, ScriptError, new_engine};

const LIBRARY: &str = r#"
fn valid_on(valid_until, day) { on_or_after(valid_until, day) }
fn in_force(start, end, day) { on_or_before(start, day) && on_or_before(day, end) }
fn again(x) { again(x) }
fn same_id(a, b) { true }
fn two(a) { a }
fn two(a, b) { a }
fn later(a, b) { let c = b; let b = a; on_or_after(b, c) }
"#;

fn day(text: &str) -> DateValue {
    DateValue::Day(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
}

fn shared(map: Map) -> Dynamic {
    Dynamic::from_map(map).into_read_only().into_shared()
}

/// A document and a party as `engine::context` builds them.
fn scope() -> Scope<'static> {
    let mut doc = Map::new();
    doc.insert("name".into(), "北京某某(科技)有限公司".into());
    doc.insert("number".into(), "11010519491231002X".into());
    doc.insert("sealed".into(), true.into());
    doc.insert("unsealed".into(), false.into());
    doc.insert("missing".into(), Dynamic::UNIT);
    doc.insert("start".into(), Dynamic::from(day("2024-01-31")));
    doc.insert("end".into(), Dynamic::from(DateValue::LongTerm));
    doc.insert("count".into(), Dynamic::from(i64::MAX));
    doc.insert("phone".into(), "138 0013 8000".into());
    let given: Array = vec!["name".into(), "number".into(), "missing".into()];
    doc.insert("given".into(), given.into());
    let mut party = Map::new();
    party.insert("role".into(), "employee".into());
    party.insert("name".into(), "北京某某（科技）有限公司".into());
    party.insert("phone".into(), "+86 13800138000".into());
    party.insert("email".into(), "  ".into());
    party.insert("given".into(), Array::new().into());
    let party = Dynamic::from_map(party);
    let mut scope = Scope::new();
    scope.push_constant_dynamic("judged_on", Dynamic::from(day("2024-08-28")));
    scope.push_constant_dynamic("parties", shared_array(vec![party.clone(), party.clone()]));
    scope.push_constant_dynamic("employee", party.into_read_only().into_shared());
    scope.push_constant_dynamic("doc", shared(doc));
    scope.push_constant_dynamic("nobody", Dynamic::UNIT);
    scope
}

/// The same variables with every map and list of maps bound
/// ([`Variable::Bound`]) instead of held, as `engine::context` binds a
/// bundle's parties and documents: the native path must answer the same.
struct BoundView {
    scope: Scope<'static>,
    /// The maps, by the index a `Bound::Party` or `Bound::Document` names
    /// (the `parties` list first, then the scope's, then the documents
    /// those hold in a `documents` list).
    maps: Vec<Map>,
    parties: usize,
    /// Where a map's `documents` list is bound: the indexes of its maps.
    held: Vec<Option<Vec<usize>>>,
}

impl BoundView {
    fn new(scope: Scope<'static>) -> BoundView {
        let parties: Array = scope
            .get("parties")
            .map_or_else(Array::new, |p| p.clone().into_array().unwrap());
        let mut maps: Vec<Map> = parties.iter().map(|p| p.clone().cast::<Map>()).collect();
        let count = maps.len();
        for (_, _, value) in scope.iter_raw() {
            if let Some(map) = value.read_lock::<Map>() {
                maps.push(map.clone());
            }
        }
        let mut held = Vec::new();
        for index in 0..maps.len() {
            let list = maps[index]
                .get("documents")
                .and_then(|d| d.read_lock::<Array>().map(|d| d.clone()));
            held.push(list.map(|list| {
                list.iter()
                    .map(|document| {
                        maps.push(document.read_lock::<Map>().unwrap().clone());
                        maps.len() - 1
                    })
                    .collect()
            }));
        }
        BoundView {
            scope,
            maps,
            parties: count,
            held,
        }
    }
}

impl Variables for BoundView {
    fn variable(&self, name: &str) -> Option<Variable> {
        if name == "parties" {
            return Some(Variable::Bound(Bound::Parties));
        }
        let value = self.scope.get(name)?;
        match value.read_lock::<Map>() {
            Some(map) => {
                let index = (self.parties..self.maps.len())
                    .find(|i| format!("{:?}", self.maps[*i]) == format!("{:?}", &*map))?;
                Some(Variable::Bound(Bound::Document(index)))
            }
            None => Some(Variable::Value(value.clone())),
        }
    }

    fn field(&self, bound: Bound, key: &str) -> Option<Dynamic> {
        match bound {
            Bound::Party(i) | Bound::Document(i) => self.maps[i].get(key).cloned(),
            Bound::Parties | Bound::Documents => None,
        }
    }

    fn has(&self, bound: Bound, field: &str) -> Option<bool> {
        match bound {
            Bound::Party(i) | Bound::Document(i) => {
                super::helpers::has(Dynamic::from_map(self.maps[i].clone()), field).ok()
            }
            Bound::Parties | Bound::Documents => None,
        }
    }

    fn length(&self, list: Bound) -> Option<usize> {
        (list == Bound::Parties).then_some(self.parties)
    }

    fn count(&self) -> usize {
        self.scope.len()
    }

    fn each_held(&self, party: Bound, visit: &mut dyn FnMut(Bound) -> bool) -> Option<()> {
        let (Bound::Party(i) | Bound::Document(i)) = party else {
            return None;
        };
        for document in self.held.get(i)?.as_ref()? {
            if !visit(Bound::Document(*document)) {
                break;
            }
        }
        Some(())
    }

    fn entries(&self, document: Bound, visit: &mut dyn FnMut(&str, Dynamic)) -> Option<()> {
        let (Bound::Party(i) | Bound::Document(i)) = document else {
            return None;
        };
        for (key, value) in &self.maps[i] {
            visit(key.as_str(), value.clone());
        }
        Some(())
    }
}

fn shared_array(items: Array) -> Dynamic {
    Dynamic::from_array(items).into_read_only().into_shared()
}

fn engine() -> Engine {
    new_engine(&Limits::default(), None)
}

/// The variables' names only, as rules are compiled: constants in the
/// compile scope would be folded into the tree.
fn declarations() -> Scope<'static> {
    let mut declared = Scope::new();
    for (name, _, _) in scope().iter_raw() {
        declared.push_dynamic(name.to_string(), Dynamic::UNIT);
    }
    declared.push_dynamic("long", Dynamic::UNIT);
    declared
}

fn try_compile(engine: &Engine, source: &str) -> Option<AST> {
    let library = engine.compile(LIBRARY).unwrap();
    let ast = engine.compile_with_scope(&declarations(), source).ok()?;
    Some(library.merge(&ast))
}

fn compile(engine: &Engine, source: &str) -> AST {
    try_compile(engine, source).unwrap()
}

fn script(engine: &Engine, source: &str) -> Script {
    let ast = compile(engine, source);
    Script {
        source: source.to_string(),
        native: Native::recognise(&ast),
        ast,
        position: crate::yaml::Position { line: 1, column: 1 },
        reads: Vec::new(),
    }
}

#[test]
fn the_shipped_shapes_are_recognised_and_agree_with_rhai() {
    let engine = engine();
    let scope = scope();
    let limits = Limits::default();
    for (source, expected) in [
        ("doc.sealed == true", true),
        ("let x = doc.sealed; x == true", true),
        ("let doc = employee; doc.name == employee.name", true),
        ("let x = doc.start; let y = x; later(y, judged_on)", false),
        ("doc.unsealed || { let x = doc.sealed; x }", true),
        ("let x = doc.missing; x == ()", true),
        ("let x = doc.missing; x != ()", false),
        ("doc.name == ()", false),
        ("() != doc.sealed", true),
        ("() == ()", true),
        ("nobody == ()", true),
        ("employee != ()", true),
        ("doc == ()", false),
        ("doc.unsealed == true", false),
        (r#"has(doc, "number")"#, true),
        (r#"has(employee, "id_number")"#, false),
        ("present(doc.name)", true),
        ("present(employee.email)", false),
        ("same_name(doc.name, employee.name)", true),
        (
            r#"!has(employee, "email") || present(employee.email)"#,
            true,
        ),
        ("valid_on(doc.end, judged_on)", true),
        ("valid_on(doc.start, judged_on)", false),
        ("on_or_before(doc.start, judged_on)", true),
        ("in_force(doc.start, doc.end, judged_on)", true),
        ("days_between(doc.start, judged_on) <= 30", false),
        ("age_on(doc.number, judged_on) >= 16", true),
        (
            r#"count_same(parties, "employee", "phone", doc.phone, "mobile") == 1"#,
            false,
        ),
        (
            r#"count_present(parties, "employee", "phone") + count_present(parties, "employee", "email") > 0"#,
            true,
        ),
    ] {
        let ast = compile(&engine, source);
        let native = Native::recognise(&ast).unwrap_or_else(|| panic!("not recognised: {source}"));
        assert_eq!(native.decide(&scope, &limits), Some(expected), "{source}");
        assert_eq!(
            native.decide(&BoundView::new(scope.clone()), &limits),
            Some(expected),
            "{source}: bound"
        );
        assert_eq!(
            run_bool(&engine, &ast, &scope, &limits),
            Ok(expected),
            "{source}"
        );
    }
}

#[test]
fn shapes_that_only_look_simple_stay_in_rhai() {
    let engine = engine();
    for source in [
        // A helper shadowed by a script function: rhai decides which runs.
        "same_id(doc.name, doc.number)",
        // Two functions of one name.
        "two(doc.sealed)",
        // Recursion.
        "again(doc.sealed)",
        // More than one statement, a method, `?.`, a chain, an index.
        "doc.sealed; doc.sealed == true",
        "let x = doc.sealed;",
        "const x = doc.sealed; x == true",
        "let x = doc.sealed; x = true; x",
        "doc.name.len() > 0",
        "doc?.sealed == true",
        "doc.name.first == true",
        "doc[\"sealed\"] == true",
        // Unknown helpers and other operators.
        "is_working_day(judged_on)",
        "doc.count * 2 > 0",
        "if doc.sealed { true } else { false }",
    ] {
        let ast = compile(&engine, source);
        assert!(
            Native::recognise(&ast).is_none(),
            "recognised, but must stay in rhai: {source}"
        );
    }
}

/// Values the native path does not decide: rhai gives the error, the skip
/// or the non-boolean, exactly as before.
#[test]
fn what_the_native_path_cannot_decide_goes_to_rhai() {
    let engine = engine();
    let scope = scope();
    let limits = Limits::default();
    for source in [
        "same_name(doc.missing, employee.name)",
        "valid_on(doc.missing, judged_on)",
        "days_between(doc.start, doc.end) > 0",
        "doc.count + 1 > 0",
        "doc.nothing == true",
        "nobody.name == true",
        r#"count_same(parties, "employee", "phone", doc.phone, "sideways") == 1"#,
        "age_on(doc.name, judged_on) >= 16",
        "doc.sealed && doc.name",
        "!doc.name",
    ] {
        let script = script(&engine, source);
        let native = script.native.as_ref().unwrap_or_else(|| panic!("{source}"));
        assert_eq!(native.decide(&scope, &limits), None, "{source}");
        let rhai = run_bool(&engine, &script.ast, &scope, &limits);
        assert!(rhai.is_err(), "{source}: rhai gave {rhai:?}");
        assert_eq!(decide(&engine, &script, &scope, &limits), rhai, "{source}");
    }
    // rhai compares values of two types as unequal; that answer is rhai's
    // (but where one is `()`: see the shipped shapes).
    for source in [
        "doc.start == doc.missing",
        "doc.name == 1",
        "doc.start != ()",
    ] {
        let script = script(&engine, source);
        assert_eq!(
            script.native.as_ref().unwrap().decide(&scope, &limits),
            None
        );
        assert_eq!(
            decide(&engine, &script, &scope, &limits),
            run_bool(&engine, &script.ast, &scope, &limits)
        );
    }
    // A recognised script whose value is not a boolean is a rule error.
    let text = script(&engine, "doc.name");
    assert!(text.native.is_some());
    assert!(matches!(
        decide(&engine, &text, &scope, &limits),
        Err(ScriptError::NotBoolean(_))
    ));
}

#[test]
fn a_name_longer_than_the_helper_limit_is_refused_as_in_rhai() {
    let engine = engine();
    let mut scope = scope();
    scope.push_constant("long", "名".repeat(10_000));
    let limits = Limits::default();
    let ast = compile(&engine, "same_name(long, long)");
    let native = Native::recognise(&ast).unwrap();
    assert_eq!(native.decide(&scope, &limits), None);
    assert!(run_bool(&engine, &ast, &scope, &limits).is_err());
}

/// A scope's names only (constants would be folded into the tree).
fn names(scope: &Scope<'static>) -> Scope<'static> {
    let mut names = Scope::new();
    for (name, _, _) in scope.iter_raw() {
        names.push_dynamic(name.to_string(), Dynamic::UNIT);
    }
    names
}

/// A party's map holding `documents`, shared and read-only as the scope
/// holds one; `role` is `()` for a party whose role is unknown.
fn party_holding(role: Dynamic, documents: &[Map]) -> Dynamic {
    let mut party = Map::new();
    party.insert("key".into(), "company".into());
    party.insert("role".into(), role);
    let documents: Array = documents.iter().cloned().map(Dynamic::from_map).collect();
    party.insert("documents".into(), documents.into());
    shared(party)
}

fn document(material: &str, representative: Option<Dynamic>) -> Map {
    let mut document = Map::new();
    document.insert("type".into(), material.into());
    document.insert("index".into(), Dynamic::from(0_i64));
    let mut given = Array::new();
    if let Some(representative) = representative {
        given.push("legal_representative".into());
        document.insert("legal_representative".into(), representative);
    }
    document.insert("given".into(), given.into());
    document
}

fn licence(representative: &str) -> Map {
    document("business_license", Some(representative.into()))
}

const CHECKS_THE_LICENCE: &str = r#"
    let licence = document_of(enterprise, "business_license");
    licence == () || !present(licence.legal_representative) || same_name(doc.name, licence.legal_representative)"#;

/// The deregister check, with `enterprise` held and bound: the native path
/// answers where rhai does, with rhai's answer, and leaves errors to it.
#[test]
fn document_of_gives_the_first_document_of_the_material_as_rhai_does() {
    let engine = engine();
    let limits = Limits::default();
    let with = |enterprise: Dynamic| {
        let mut scope = Scope::new();
        scope.push_constant_dynamic("judged_on", Dynamic::from(day("2024-08-28")));
        let mut doc = Map::new();
        doc.insert("name".into(), "张 三".into());
        scope.push_constant_dynamic("doc", shared(doc));
        scope.push_constant_dynamic("enterprise", enterprise);
        scope
    };
    let compile = |source: &str| {
        let ast = engine
            .compile_with_scope(&names(&with(Dynamic::UNIT)), source)
            .unwrap();
        engine.compile(LIBRARY).unwrap().merge(&ast)
    };
    let employee = || Dynamic::from("enterprise");
    let answered = [
        ("no documents", party_holding(employee(), &[]), true),
        (
            "no licence",
            party_holding(employee(), &[document("id_card", None)]),
            true,
        ),
        (
            "the same name",
            party_holding(employee(), &[licence("张三")]),
            true,
        ),
        (
            "another name",
            party_holding(employee(), &[licence("李四")]),
            false,
        ),
        (
            "two licences, the first another name",
            party_holding(employee(), &[licence("李四"), licence("张三")]),
            false,
        ),
        (
            "two licences, the first the same name",
            party_holding(
                employee(),
                &[document("id_card", None), licence("张三"), licence("李四")],
            ),
            true,
        ),
        (
            "no legal representative",
            party_holding(
                employee(),
                &[document("business_license", Some(Dynamic::UNIT))],
            ),
            true,
        ),
        (
            "a blank one",
            party_holding(employee(), &[licence("  ")]),
            true,
        ),
        (
            "a roleless party",
            party_holding(Dynamic::UNIT, &[licence("李四")]),
            false,
        ),
    ];
    let ast = compile(CHECKS_THE_LICENCE);
    let native = Native::recognise(&ast).expect("recognised");
    for (case, enterprise, expected) in answered {
        let scope = with(enterprise);
        assert_eq!(
            run_bool(&engine, &ast, &scope, &limits),
            Ok(expected),
            "{case}"
        );
        assert_eq!(native.decide(&scope, &limits), Some(expected), "{case}");
        let bound = BoundView::new(scope.clone());
        assert_eq!(
            native.decide(&bound, &limits),
            Some(expected),
            "{case}: bound"
        );
    }
    // A missing key is an error in rhai (and `()` is not a party).
    let unanswered = [
        (
            "a licence without the key",
            party_holding(employee(), &[document("business_license", None)]),
        ),
        ("no party", Dynamic::UNIT),
        ("a document", shared(licence("张三"))),
    ];
    for (case, enterprise) in unanswered {
        let scope = with(enterprise);
        assert!(run_bool(&engine, &ast, &scope, &limits).is_err(), "{case}");
        assert_eq!(native.decide(&scope, &limits), None, "{case}");
        let bound = BoundView::new(scope.clone());
        assert_eq!(native.decide(&bound, &limits), None, "{case}: bound");
    }
    // Not a text for the material: rhai has no such function.
    let ast = compile("document_of(enterprise, 1) == ()");
    let scope = with(party_holding(employee(), &[]));
    assert!(run_bool(&engine, &ast, &scope, &limits).is_err());
    assert_eq!(
        Native::recognise(&ast).unwrap().decide(&scope, &limits),
        None
    );
}

/// rhai checks the size of the document it returns, and refuses a `let`
/// past `script_variables`: under bounds that tight the native path leaves
/// the script to rhai, which enforces them.
#[test]
fn the_bounds_rhai_checks_on_a_declaration_are_left_to_it() {
    let scope = {
        let mut scope = Scope::new();
        let mut doc = Map::new();
        doc.insert("name".into(), "张三".into());
        scope.push_constant_dynamic("doc", shared(doc));
        let enterprise = party_holding(Dynamic::from("enterprise"), &[licence("张三")]);
        scope.push_constant_dynamic("enterprise", enterprise);
        scope
    };
    let tight = [
        Limits {
            script_collection_items: 2,
            ..Limits::default()
        },
        Limits {
            script_string_bytes: 24,
            ..Limits::default()
        },
        Limits {
            script_variables: 2,
            ..Limits::default()
        },
    ];
    for limits in tight {
        let engine = new_engine(&limits, None);
        let ast = engine
            .compile_with_scope(&names(&scope), CHECKS_THE_LICENCE)
            .unwrap();
        let native = Native::recognise(&ast).unwrap();
        assert_eq!(native.decide(&scope, &limits), None, "{limits:?}");
        assert_eq!(
            native.decide(&BoundView::new(scope.clone()), &limits),
            None,
            "{limits:?}"
        );
        let rhai = run_bool(&engine, &ast, &scope, &limits);
        assert!(rhai.is_err(), "{limits:?}: {rhai:?}");
    }
    let limits = Limits::default();
    let engine = new_engine(&limits, None);
    let ast = engine
        .compile_with_scope(&names(&scope), CHECKS_THE_LICENCE)
        .unwrap();
    assert_eq!(
        Native::recognise(&ast).unwrap().decide(&scope, &limits),
        Some(true)
    );
    assert_eq!(run_bool(&engine, &ast, &scope, &limits), Ok(true));
}

/// Bounds tighter than a recognised script needs leave every script to rhai,
/// which enforces them.
#[test]
fn tight_bounds_are_enforced_by_rhai() {
    let scope = scope();
    let limits = Limits {
        script_operations: 2,
        ..Limits::default()
    };
    let engine = new_engine(&limits, None);
    let script = script(
        &engine,
        "same_name(doc.name, employee.name) && doc.sealed == true",
    );
    assert!(script.native.is_some());
    assert!(matches!(
        decide(&engine, &script, &scope, &limits),
        Err(ScriptError::Limit(_))
    ));
}

/// Small expressions over the scope's fields, helpers and operators.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("doc.name".to_string()),
        Just("doc.number".to_string()),
        Just("doc.sealed".to_string()),
        Just("doc.unsealed".to_string()),
        Just("doc.missing".to_string()),
        Just("doc.start".to_string()),
        Just("doc.end".to_string()),
        Just("doc.count".to_string()),
        Just("doc.phone".to_string()),
        Just("employee.name".to_string()),
        Just("employee.phone".to_string()),
        Just("employee.email".to_string()),
        Just("judged_on".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("16".to_string()),
        Just("-1".to_string()),
        Just("\"name\"".to_string()),
        Just("\"\"".to_string()),
        Just("()".to_string()),
        Just("nobody".to_string()),
        Just("v".to_string()),
    ];
    leaf.prop_recursive(3, 24, 3, |inner| {
        let two = (inner.clone(), inner.clone());
        prop_oneof![
            inner.clone().prop_map(|a| format!("!({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) && ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) || ({b})")),
            (
                two.clone(),
                prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">=", "+", "-"])
            )
                .prop_map(|((a, b), op)| format!("({a}) {op} ({b})")),
            (
                prop::sample::select(vec![
                    "same_name",
                    "same_id",
                    "same_mobile",
                    "same_email",
                    "on_or_before",
                    "on_or_after",
                    "days_between",
                    "age_on",
                    "valid_on",
                    "has",
                ]),
                two,
            )
                .prop_map(|(f, (a, b))| format!("{f}({a}, {b})")),
            (
                prop::sample::select(vec!["present", "is_uscc", "is_ric", "is_mobile", "is_email"]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{{ let v = {a}; {b} }}")),
            (inner.clone(), inner).prop_map(|(a, b)| {
                format!(r#"count_same(parties, "employee", "phone", {a}, "mobile") + count_present(parties, "employee", {b})"#)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn where_the_native_path_answers_rhai_gives_the_same_answer(source in expression()) {
        let engine = engine();
        let scope = scope();
        let limits = Limits::default();
        let Some(ast) = try_compile(&engine, &source) else {
            return Ok(());
        };
        let native = Native::recognise(&ast);
        let held = native.as_ref().and_then(|n| n.decide(&scope, &limits));
        let bound = native.as_ref().and_then(|n| n.decide(&BoundView::new(scope.clone()), &limits));
        prop_assert_eq!(held, bound, "{} (maps held and bound)", source);
        if let Some(verdict) = held {
            prop_assert_eq!(run_bool(&engine, &ast, &scope, &limits), Ok(verdict), "{}", source);
        }
    }
}

/// A placeholder's native value is rhai's value, displayed the same; a
/// variable that holds a shared map is left to rhai.
#[test]
fn quoted_values_are_rhais() {
    let engine = engine();
    let scope = scope();
    let limits = Limits::default();
    for source in [
        "judged_on",
        "doc.start",
        "doc.missing",
        "days_between(doc.start, judged_on)",
        "doc.count - 1",
        "same_name(doc.name, employee.name)",
    ] {
        let ast = compile(&engine, source);
        let native = Native::recognise(&ast).unwrap_or_else(|| panic!("not recognised: {source}"));
        let value = native
            .value(&scope, &limits)
            .unwrap_or_else(|| panic!("no native value: {source}"));
        let rhai = super::super::sandbox::run(&engine, &ast, &scope, &limits).unwrap();
        assert_eq!(value.type_name(), rhai.type_name(), "{source}");
        assert_eq!(value.to_string(), rhai.to_string(), "{source}");
        let bound = native
            .value(&BoundView::new(scope.clone()), &limits)
            .unwrap_or_else(|| panic!("no native value when bound: {source}"));
        assert_eq!(bound.type_name(), rhai.type_name(), "{source}");
        assert_eq!(bound.to_string(), rhai.to_string(), "{source}");
    }
    // A bound map is left to rhai, as a held (shared) one is.
    let ast = compile(&engine, "doc");
    assert!(
        Native::recognise(&ast)
            .unwrap()
            .value(&BoundView::new(scope.clone()), &limits)
            .is_none()
    );
    let ast = compile(&engine, "doc");
    assert!(
        Native::recognise(&ast)
            .unwrap()
            .value(&scope, &limits)
            .is_none()
    );
    let ast = compile(&engine, "doc.count + 1");
    assert!(
        Native::recognise(&ast)
            .unwrap()
            .value(&scope, &limits)
            .is_none()
    );
}
