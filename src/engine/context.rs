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
//!
//! Most scripts never need the maps: the native path (`script::native`)
//! reads a variable's field straight from the typed party or document,
//! through the same shapes, and gets the value the map would hold. So a
//! bundle's maps and scope are built only when a script must run in rhai,
//! once, the first time; until then the context keeps what each variable is
//! bound to ([`Variable`]), in the order the scope would hold them.

use rhai::{Array, Dynamic, ImmutableString, Map, Scope};

use super::state::{Judgement, TypedDocument, TypedField};
use crate::bundle::FieldEntry;
use crate::domain::date::DateValue;
use crate::rules::FieldValue;
use crate::script::map_shape::{
    Bound, DocumentProperty, PartyProperty, ROLELESS_PARTY, Slot, Variable,
};

/// The variables of one bundle's rules: what each is bound to, and the maps
/// and scope once a script has needed them.
pub struct ScriptContext<'a> {
    /// Every variable in scope, in the scope's order (the bundle's, then
    /// those of the current target).
    variables: Vec<(&'a str, Variable)>,
    /// The maps and the scope, built the first time rhai runs a script.
    maps: Option<Maps>,
}

/// The maps of one bundle, built once and shared by every rule.
struct Maps {
    /// Holds exactly the context's variables, in its order.
    scope: Scope<'static>,
    /// One shared map per typed party, in manifest order.
    parties: Vec<Dynamic>,
    /// One shared map per typed document, in manifest order.
    documents: Vec<Dynamic>,
    /// Copies of the scope's `parties` and `documents`.
    lists: (Dynamic, Dynamic),
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

/// The maps of `judgement` and the scope holding `variables`, as every
/// script in rhai has seen them.
fn build(judgement: &Judgement<'_>, variables: &[(&str, Variable)]) -> Maps {
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
    let parties = read_only(Dynamic::from_array(parties));
    let documents = read_only(Dynamic::from_array(documents));
    // The scope holds each list as made, not a copy (a copy's own flag is
    // read-write), as it always has; copies are kept for any later binding.
    let lists = (parties.clone(), documents.clone());
    let mut made = (Some(parties), Some(documents));
    let mut scope = Scope::with_capacity(8 + judgement.operation.roles.len());
    for (name, variable) in variables {
        let value = match variable {
            Variable::Value(value) => value.clone(),
            Variable::Bound(Bound::Party(index)) => shared_parties[*index].clone(),
            Variable::Bound(Bound::Document(index)) => shared_documents[*index].clone(),
            Variable::Bound(Bound::Parties) => made.0.take().unwrap_or_else(|| lists.0.clone()),
            Variable::Bound(Bound::Documents) => made.1.take().unwrap_or_else(|| lists.1.clone()),
        };
        scope.push_constant_dynamic(*name, value);
    }
    Maps {
        scope,
        parties: shared_parties,
        documents: shared_documents,
        lists,
    }
}

impl<'a> ScriptContext<'a> {
    /// The variables every rule of `judgement` shares: `judged_on`,
    /// `operation`, `parties`, `documents`, and one per single role (its
    /// party, or `()`). No map is built.
    pub fn new(judgement: &Judgement<'a>) -> ScriptContext<'a> {
        let operation = judgement.operation;
        let mut variables = Vec::with_capacity(8 + operation.roles.len());
        let judged_on = judgement
            .judged_on
            .map_or(Dynamic::UNIT, |d| Dynamic::from(DateValue::Day(d)));
        variables.push(("judged_on", Variable::Value(judged_on)));
        variables.push(("operation", Variable::Value(text(&operation.id))));
        variables.push(("parties", Variable::Bound(Bound::Parties)));
        variables.push(("documents", Variable::Bound(Bound::Documents)));
        for role_use in operation.roles.iter().filter(|r| r.count.is_single()) {
            let party = judgement
                .parties
                .iter()
                .position(|p| p.role.is_some_and(|r| r.name == role_use.role))
                .map_or(Variable::Value(Dynamic::UNIT), |i| {
                    Variable::Bound(Bound::Party(i))
                });
            variables.push((role_use.role.as_str(), party));
        }
        ScriptContext {
            variables,
            maps: None,
        }
    }

    /// How many variables are in scope (see [`rewind`](Self::rewind)).
    pub fn len(&self) -> usize {
        self.variables.len()
    }

    /// Adds a constant variable (a target's), shadowing one of that name.
    pub fn push(&mut self, name: &'a str, variable: Variable) {
        if let Some(maps) = &mut self.maps {
            let value = match &variable {
                Variable::Value(value) => value.clone(),
                Variable::Bound(Bound::Party(index)) => maps.parties[*index].clone(),
                Variable::Bound(Bound::Document(index)) => maps.documents[*index].clone(),
                // A target binds a party, a document or a value; a list
                // would be a copy of the bundle's own.
                Variable::Bound(Bound::Parties) => maps.lists.0.clone(),
                Variable::Bound(Bound::Documents) => maps.lists.1.clone(),
            };
            maps.scope.push_constant_dynamic(name, value);
        }
        self.variables.push((name, variable));
    }

    /// Removes the variables pushed since there were `len`.
    pub fn rewind(&mut self, len: usize) {
        self.variables.truncate(len);
        if let Some(maps) = &mut self.maps {
            maps.scope.rewind(len);
        }
    }

    /// What `name` is bound to (the last one pushed, as a scope finds it).
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, variable)| variable)
    }

    /// The scope scripts run in, its maps built on first need.
    pub fn scope(&mut self, judgement: &Judgement<'_>) -> &Scope<'static> {
        let variables = &self.variables;
        &self
            .maps
            .get_or_insert_with(|| build(judgement, variables))
            .scope
    }

    /// The context's variables for a script of `judgement`: natively, or as a
    /// rhai scope (built then).
    pub fn bindings<'c>(&'c mut self, judgement: &'c Judgement<'c>) -> Live<'c, 'a> {
        Live {
            context: self,
            judgement,
        }
    }

    /// The context's variables read natively.
    pub fn reader<'c>(&'c self, judgement: &'c Judgement<'c>) -> Reader<'c, 'a> {
        Reader {
            context: self,
            judgement,
        }
    }
}

mod reader;
#[cfg(test)]
mod tests;

pub use reader::{Live, Reader};
#[cfg(test)]
pub(super) use tests::audit;
