//! What scripts see: parties and documents as rhai maps of their typed
//! fields (a declared field that is missing or invalid is `()`), and the
//! global variables every rule shares.
//!
//! The variables bound to one party or document are shared values (cloning
//! one copies a pointer, not the map; rhai allows sharing only at the top
//! level, so the `parties` and `documents` lists hold plain copies). rhai
//! does not protect a shared value through the constant that holds it, so
//! each one is made read-only before it is shared: assigning to it, or
//! calling a method that would change it, is an error of that script, and no
//! rule can change what another sees. (Each evaluation also runs in a fresh
//! copy of the scope, see `script::sandbox::run`.)

use rhai::{Array, Dynamic, ImmutableString, Map, Scope};

use super::state::{Judgement, TypedField};
use crate::bundle::FieldEntry;
use crate::domain::date::DateValue;
use crate::rules::FieldValue;

/// The maps of one bundle, built once and shared by every rule.
pub struct ScriptContext {
    pub scope: Scope<'static>,
    /// One shared map per typed party, in manifest order.
    pub parties: Vec<Dynamic>,
    /// One shared map per typed document, in manifest order.
    pub documents: Vec<Dynamic>,
}

/// A text as scripts see it. Made straight from the borrowed text: the same
/// value as `Dynamic::from(text.to_string())` without the `String` that
/// rhai would only copy and free (a few hundred a bundle).
fn text(text: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(text))
}

fn value_of(value: &Option<FieldValue>) -> Dynamic {
    match value {
        None => Dynamic::UNIT,
        Some(FieldValue::Text(value) | FieldValue::Identifier(value)) => text(value),
        Some(FieldValue::Date(date)) => Dynamic::from(*date),
        Some(FieldValue::Bool(flag)) => Dynamic::from(*flag),
    }
}

/// Puts every declared field (`()` when missing or invalid) and `given`, the
/// names of the fields the manifest writes a value for, valid or not.
fn put_fields<'n>(
    map: &mut Map,
    declared: impl Iterator<Item = &'n str>,
    typed: &[TypedField<'_>],
    written: &[FieldEntry<'_>],
) {
    let given: Array = written
        .iter()
        .filter(|f| !f.value.is_null())
        .map(|f| text(f.name))
        .collect();
    map.insert("given".into(), Dynamic::from_array(given));
    for name in declared {
        let value = typed
            .iter()
            .find(|f| f.name == name)
            .map_or(Dynamic::UNIT, |f| value_of(&f.value));
        map.insert(name.into(), value);
    }
}

/// A shared value no script can change, whatever variable holds it.
fn read_only(value: Dynamic) -> Dynamic {
    value.into_read_only().into_shared()
}

pub fn build(judgement: &Judgement<'_>) -> ScriptContext {
    let mut documents = Vec::with_capacity(judgement.documents.len());
    for document in &judgement.documents {
        let mut map = Map::new();
        map.insert("index".into(), Dynamic::from(document.entry.index as i64));
        map.insert("type".into(), text(&document.material.name));
        let holder = document
            .holder
            .map_or(Dynamic::UNIT, |i| text(judgement.parties[i].entry.key));
        map.insert("holder".into(), holder);
        let scalar = |node: Option<&crate::yaml::Node>| {
            node.and_then(|n| n.as_str()).map_or(Dynamic::UNIT, text)
        };
        map.insert("file".into(), scalar(document.entry.file));
        map.insert("sha256".into(), scalar(document.entry.sha256));
        put_fields(
            &mut map,
            document.material.fields.iter().map(|f| f.name.as_str()),
            &document.fields,
            &document.entry.fields,
        );
        documents.push(Dynamic::from_map(map));
    }

    let mut parties = Vec::with_capacity(judgement.parties.len());
    for (index, party) in judgement.parties.iter().enumerate() {
        let mut map = Map::new();
        map.insert("key".into(), text(party.entry.key));
        let role = party.role.map_or(Dynamic::UNIT, |r| text(&r.name));
        map.insert("role".into(), role);
        let held: Array = judgement
            .documents
            .iter()
            .zip(&documents)
            .filter(|(d, _)| d.holder == Some(index))
            .map(|(_, map)| map.clone())
            .collect();
        map.insert("documents".into(), Dynamic::from_array(held));
        if let Some(role) = party.role {
            put_fields(
                &mut map,
                role.fields.iter().map(|f| f.name.as_str()),
                &party.fields,
                &party.entry.fields,
            );
        }
        parties.push(Dynamic::from_map(map));
    }

    let shared_parties: Vec<Dynamic> = parties.iter().map(|p| read_only(p.clone())).collect();
    let shared_documents: Vec<Dynamic> = documents.iter().map(|d| read_only(d.clone())).collect();
    let mut scope = Scope::new();
    let judged_on = judgement
        .judged_on
        .map_or(Dynamic::UNIT, |d| Dynamic::from(DateValue::Day(d)));
    scope.push_constant_dynamic("judged_on", judged_on);
    scope.push_constant_dynamic("operation", text(&judgement.operation.id));
    scope.push_constant_dynamic("parties", read_only(Dynamic::from_array(parties)));
    scope.push_constant_dynamic("documents", read_only(Dynamic::from_array(documents)));
    for role_use in judgement
        .operation
        .roles
        .iter()
        .filter(|r| r.count.is_single())
    {
        let party = judgement
            .parties
            .iter()
            .position(|p| p.role.is_some_and(|r| r.name == role_use.role))
            .map_or(Dynamic::UNIT, |i| shared_parties[i].clone());
        scope.push_constant_dynamic(role_use.role.clone(), party);
    }
    ScriptContext {
        scope,
        parties: shared_parties,
        documents: shared_documents,
    }
}
