use std::cell::{Cell, RefCell};

use rhai::Dynamic;

use crate::domain::date::DateValue;
use crate::engine::CheckOptions;
use crate::rules::RuleSet;
use crate::script::map_shape::Variables;

use super::*;

thread_local! {
    pub(super) static AUDITING: Cell<bool> = const { Cell::new(false) };
    /// Bundles audited, and the differences found.
    pub(super) static AUDITED: RefCell<(usize, Vec<String>)> =
        const { RefCell::new((0, Vec::new())) };
}

/// The same value, of the same type, as a script would see it.
pub(super) fn same(a: &Dynamic, b: &Dynamic) -> bool {
    if a.type_name() != b.type_name() || a.is_shared() != b.is_shared() {
        return false;
    }
    if let (Some(a), Some(b)) = (a.read_lock::<DateValue>(), b.read_lock::<DateValue>()) {
        return *a == *b;
    }
    if let (Some(a), Some(b)) = (a.read_lock::<rhai::Array>(), b.read_lock::<rhai::Array>()) {
        return a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same(a, b));
    }
    a.to_string() == b.to_string()
}

#[test]
fn typed_reads_give_what_the_maps_hold_in_every_fixture() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases = Vec::new();
    for operation in std::fs::read_dir(root).unwrap() {
        for case in std::fs::read_dir(operation.unwrap().path()).unwrap() {
            cases.push(case.unwrap().path());
        }
    }
    AUDITING.with(|a| a.set(true));
    for case in &cases {
        rules.check_path(case, &CheckOptions::default());
    }
    AUDITING.with(|a| a.set(false));
    let (audited, differences) = AUDITED.with(|a| a.take());
    assert!(audited >= 60, "only {audited} of {} judged", cases.len());
    assert!(differences.is_empty(), "{differences:#?}");
}

/// Holds the typed reads to the maps: every bundle judged while
/// [`AUDITING`] is set (on this thread) compares what [`Reader`]
/// gives for each key of each party and document, and for `has`, with the
/// maps `build` makes, and records any difference.
pub(in crate::engine) fn audit(judgement: &Judgement<'_>) {
    if !AUDITING.with(|a| a.get()) {
        return;
    }
    let context = ScriptContext::new(judgement);
    let maps = build(judgement, &context.variables);
    let reader = context.reader(judgement);
    let mut differences = Vec::new();
    let items = (maps
        .parties
        .iter()
        .enumerate()
        .map(|(i, m)| (Bound::Party(i), m)))
    .chain(
        maps.documents
            .iter()
            .enumerate()
            .map(|(i, m)| (Bound::Document(i), m)),
    );
    for (bound, map) in items {
        let map = map.read_lock::<Map>().expect("a map");
        let mut keys: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
        keys.extend(["nothing", "", "Name"]);
        for key in keys {
            let typed = reader.field(bound, key);
            let same = match (map.get(key), &typed) {
                (None, None) => true,
                // A party's documents are not built natively.
                (Some(value), None) => key == "documents" && value.is_array(),
                (Some(value), Some(typed)) => tests::same(value, typed),
                (None, Some(_)) => false,
            };
            if !same {
                differences.push(format!("{bound:?}.{key}: {:?} vs {typed:?}", map.get(key)));
            }
        }
        // A party's `documents` list: the documents `each_held` visits, in
        // its order, each the map of the document it names.
        let mut held = Vec::new();
        let listed = reader.each_held(bound, &mut |document| {
            held.push(document);
            true
        });
        match (
            map.get("documents").and_then(|d| d.read_lock::<Array>()),
            listed,
        ) {
            (None, None) => {}
            (Some(list), Some(())) => {
                let named: Vec<String> = held
                    .iter()
                    .map(|document| match document {
                        Bound::Document(index) => format!("{:?}", maps.documents[*index]),
                        other => format!("{other:?}"),
                    })
                    .collect();
                let listed: Vec<String> = list
                    .iter()
                    .map(|document| format!("{:?}", read_only(document.clone())))
                    .collect();
                if named != listed {
                    differences.push(format!("{bound:?}.documents: {listed:?} vs {named:?}"));
                }
            }
            (list, listed) => differences.push(format!(
                "{bound:?}.documents: {} vs {listed:?}",
                list.is_some()
            )),
        }
        // A document's entries: its map's, in order, with its values.
        let mut entries = Vec::new();
        let visited = reader.entries(bound, &mut |key, value| {
            entries.push((key.to_string(), value));
        });
        let expected = matches!(bound, Bound::Document(_)).then_some(());
        if visited != expected {
            differences.push(format!("{bound:?}: entries {visited:?}"));
        }
        if visited.is_some()
            && (entries.len() != map.len()
                || !map
                    .iter()
                    .zip(&entries)
                    .all(|((k, v), (key, value))| k.as_str() == key && tests::same(v, value)))
        {
            differences.push(format!("{bound:?}: entries {entries:?} vs {map:?}"));
        }
        let given = map
            .get("given")
            .and_then(|g| g.read_lock::<Array>().map(|g| g.clone()));
        let mut names: Vec<String> = map.keys().map(|k| k.to_string()).collect();
        names.extend(
            given
                .iter()
                .flatten()
                .map(|name| name.to_string())
                .chain(["nothing".to_string()]),
        );
        for name in names {
            let expected = given
                .as_ref()
                .map(|given| given.iter().any(|n| n.to_string() == name));
            let typed = reader.has(bound, &name);
            if typed != expected {
                differences.push(format!("has({bound:?}, {name}): {expected:?} vs {typed:?}"));
            }
        }
    }
    if reader.length(Bound::Parties) != Some(maps.parties.len())
        || reader.length(Bound::Documents) != Some(maps.documents.len())
    {
        differences.push("list lengths".to_string());
    }
    if maps.scope.len() != context.variables.len() {
        differences.push("scope length".to_string());
    }
    // `iter_raw` gives the last entry first.
    let mut scoped: Vec<_> = maps.scope.iter_raw().collect();
    scoped.reverse();
    for (index, ((name, variable), (scoped, _, value))) in
        context.variables.iter().zip(scoped).enumerate()
    {
        if scoped != *name {
            differences.push(format!("scope entry {index}: {scoped} vs {name}"));
        }
        let held = match variable {
            Variable::Value(expected) => tests::same(expected, value),
            // Shared and read-only.
            Variable::Bound(Bound::Parties | Bound::Documents) => {
                value.is_shared() && value.is_read_only()
            }
            Variable::Bound(Bound::Party(_) | Bound::Document(_)) => value.is_shared(),
        };
        if !held {
            differences.push(format!("{name}: {value:?} vs {variable:?}"));
        }
    }
    AUDITED.with(|a| {
        let mut audited = a.borrow_mut();
        audited.0 += 1;
        audited.1.extend(differences);
    });
}
