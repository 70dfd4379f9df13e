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
//!
//! Each map is filled in the key order its role or material worked out at
//! load (`script::map_shape`). Every copy is made read-only on its own:
//! rhai's `Dynamic::clone` marks the copy, and every value nested in it,
//! writable again, so a read-only map cannot simply be cloned.

use rhai::{Array, Dynamic, ImmutableString, Map, Scope};

use super::state::{Judgement, TypedDocument, TypedField};
use crate::bundle::FieldEntry;
use crate::domain::date::DateValue;
use crate::rules::FieldValue;
use crate::script::map_shape::{DocumentProperty, PartyProperty, ROLELESS_PARTY, Slot};

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

/// `given`: the names of the fields the manifest writes a value for,
/// valid or not.
fn given(written: &[FieldEntry<'_>]) -> Dynamic {
    let given: Array = written
        .iter()
        .filter(|f| !f.value.is_null())
        .map(|f| text(f.name))
        .collect();
    Dynamic::from_array(given)
}

/// A declared field's value: `()` when missing or invalid.
fn field(typed: &[TypedField<'_>], name: &str) -> Dynamic {
    typed
        .iter()
        .find(|f| f.name == name)
        .map_or(Dynamic::UNIT, |f| value_of(&f.value))
}

/// A shared value no script can change, whatever variable holds it.
fn read_only(value: Dynamic) -> Dynamic {
    value.into_read_only().into_shared()
}

/// A document's map, its keys in the material's shape (see `map_shape`).
fn document_map(document: &TypedDocument<'_>, party_keys: &[ImmutableString]) -> Dynamic {
    let material = document.material;
    let shape = &material.shape;
    let scalar = |node: Option<&crate::yaml::Node>| {
        node.and_then(|n| n.as_str()).map_or(Dynamic::UNIT, text)
    };
    let entries = shape.entries.iter().map(|(key, slot)| {
        let value = match slot {
            Slot::Own(DocumentProperty::Index) => Dynamic::from(document.entry.index as i64),
            Slot::Own(DocumentProperty::Type) => Dynamic::from(shape.name.clone()),
            Slot::Own(DocumentProperty::Holder) => document
                .holder
                .map_or(Dynamic::UNIT, |i| Dynamic::from(party_keys[i].clone())),
            Slot::Own(DocumentProperty::File) => scalar(document.entry.file),
            Slot::Own(DocumentProperty::Sha256) => scalar(document.entry.sha256),
            Slot::Given => given(&document.entry.fields),
            Slot::Field(index) => field(&document.fields, &material.fields[*index].name),
        };
        (key.clone(), value)
    });
    Dynamic::from_map(entries.collect::<Map>())
}

/// A party's map, its keys in the role's shape, with copies of the maps of
/// the documents it holds.
fn party_map(
    judgement: &Judgement<'_>,
    index: usize,
    key: &ImmutableString,
    documents: &[Dynamic],
) -> Dynamic {
    let party = &judgement.parties[index];
    let own = |property: PartyProperty| match property {
        PartyProperty::Key => Dynamic::from(key.clone()),
        PartyProperty::Role => party
            .role
            .map_or(Dynamic::UNIT, |r| Dynamic::from(r.shape.name.clone())),
        PartyProperty::Documents => {
            let held: Array = judgement
                .documents
                .iter()
                .zip(documents)
                .filter(|(d, _)| d.holder == Some(index))
                .map(|(_, map)| map.clone())
                .collect();
            Dynamic::from_array(held)
        }
    };
    let map: Map = match party.role {
        Some(role) => role
            .shape
            .entries
            .iter()
            .map(|(name, slot)| {
                let value = match slot {
                    Slot::Own(property) => own(*property),
                    Slot::Given => given(&party.entry.fields),
                    Slot::Field(index) => field(&party.fields, &role.fields[*index].name),
                };
                (name.clone(), value)
            })
            .collect(),
        None => ROLELESS_PARTY
            .iter()
            .map(|(name, property)| ((*name).into(), own(*property)))
            .collect(),
    };
    Dynamic::from_map(map)
}

pub fn build(judgement: &Judgement<'_>) -> ScriptContext {
    // Each party's key once: its map and its documents' `holder` share it.
    let party_keys: Vec<ImmutableString> = judgement
        .parties
        .iter()
        .map(|p| ImmutableString::from(p.entry.key))
        .collect();
    let documents: Vec<Dynamic> = judgement
        .documents
        .iter()
        .map(|document| document_map(document, &party_keys))
        .collect();
    let parties: Vec<Dynamic> = party_keys
        .iter()
        .enumerate()
        .map(|(index, key)| party_map(judgement, index, key, &documents))
        .collect();

    let shared_parties: Vec<Dynamic> = parties.iter().map(|p| read_only(p.clone())).collect();
    let shared_documents: Vec<Dynamic> = documents.iter().map(|d| read_only(d.clone())).collect();
    let mut scope = Scope::with_capacity(8 + judgement.operation.roles.len());
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
