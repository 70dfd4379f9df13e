//! The keys of the map scripts see for a party of one role or a document of
//! one material, worked out once when the catalog is loaded.
//!
//! A rhai map keeps its keys sorted. Judging fills each bundle's maps in
//! the order kept here and builds each one from sorted entries in one pass,
//! instead of making every key anew and searching the map for its place, a
//! dozen times a map, in every bundle; the role's or material's name is
//! cloned (a pointer copy), not made anew for every party and document.

use rhai::{Dynamic, Identifier, ImmutableString, Map, Scope};

/// Where the value under one key of a map comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot<P> {
    /// One of the party's or document's own properties.
    Own(P),
    /// `given`: the names of the fields the manifest writes a value for.
    Given,
    /// The typed field declared n-th by the role or material.
    Field(usize),
}

/// A document's own properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentProperty {
    Index,
    Type,
    Holder,
    File,
    Sha256,
}

/// A party's own properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyProperty {
    Key,
    Role,
    Documents,
}

const DOCUMENT_PROPERTIES: [(&str, DocumentProperty); 5] = [
    ("index", DocumentProperty::Index),
    ("type", DocumentProperty::Type),
    ("holder", DocumentProperty::Holder),
    ("file", DocumentProperty::File),
    ("sha256", DocumentProperty::Sha256),
];

const PARTY_PROPERTIES: [(&str, PartyProperty); 3] = [
    ("key", PartyProperty::Key),
    ("role", PartyProperty::Role),
    ("documents", PartyProperty::Documents),
];

/// The map of a party whose role is unknown: its own properties only
/// (no `given`, no fields), in rhai's order.
pub const ROLELESS_PARTY: [(&str, PartyProperty); 3] = [
    ("documents", PartyProperty::Documents),
    ("key", PartyProperty::Key),
    ("role", PartyProperty::Role),
];

/// The keys of one role's or material's maps, in rhai's (sorted) order.
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape<P> {
    /// The role's or material's name, as `role` or `type` gives it.
    pub name: ImmutableString,
    /// Every key once, sorted, with where its value comes from.
    pub entries: Vec<(Identifier, Slot<P>)>,
}

impl<P: Copy> MapShape<P> {
    /// Where the value under `key` comes from; `None` when the map has no
    /// such key.
    pub fn slot(&self, key: &str) -> Option<Slot<P>> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|index| self.entries[index].1)
    }
}

impl MapShape<DocumentProperty> {
    /// A document of material `name` declaring `fields`, in file order.
    pub fn document<'f>(
        name: &str,
        fields: impl IntoIterator<Item = &'f str>,
    ) -> MapShape<DocumentProperty> {
        MapShape::new(name, &DOCUMENT_PROPERTIES, fields)
    }
}

impl MapShape<PartyProperty> {
    /// A party of role `name` declaring `fields`, in file order.
    pub fn party<'f>(
        name: &str,
        fields: impl IntoIterator<Item = &'f str>,
    ) -> MapShape<PartyProperty> {
        MapShape::new(name, &PARTY_PROPERTIES, fields)
    }
}

impl<P: Copy> MapShape<P> {
    /// The keys in the order the map was filled before (own properties,
    /// `given`, then the fields), sorted; where a key comes twice the later
    /// one wins, as a second insert into the map would. (The catalog
    /// refuses fields named like an own property, so none does.)
    fn new<'f>(
        name: &str,
        own: &[(&str, P)],
        fields: impl IntoIterator<Item = &'f str>,
    ) -> MapShape<P> {
        let mut filled: Vec<(Identifier, Slot<P>)> = own
            .iter()
            .map(|(key, property)| (Identifier::from(*key), Slot::Own(*property)))
            .collect();
        filled.push((Identifier::from("given"), Slot::Given));
        filled.extend(
            fields
                .into_iter()
                .enumerate()
                .map(|(index, field)| (Identifier::from(field), Slot::Field(index))),
        );
        let mut entries: Vec<(Identifier, Slot<P>)> = Vec::with_capacity(filled.len());
        for (key, slot) in filled {
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = slot,
                None => entries.push((key, slot)),
            }
        }
        entries.sort_by(|(a, _), (b, _)| a.as_str().cmp(b.as_str()));
        MapShape {
            name: ImmutableString::from(name),
            entries,
        }
    }
}

/// A party, a document, or the list of all of them, that a rule's variable
/// is bound to: the value a script sees is the map its shape describes (or
/// the list of those maps), read from the typed bundle without building it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The n-th typed party's map.
    Party(usize),
    /// The n-th typed document's map.
    Document(usize),
    /// `parties`: every party's map, in manifest order.
    Parties,
    /// `documents`: every document's map, in manifest order.
    Documents,
}

/// What a rule's variable holds, as the native path reads it.
#[derive(Debug, Clone)]
pub enum Variable {
    /// A value as the scope holds it (`judged_on`, `operation`, `()`).
    Value(Dynamic),
    /// A map (or list of maps) read through [`Variables`], not built.
    Bound(Bound),
}

/// The variables of a rule's scripts, for the native path
/// (`script::native`): each read gives the value that the script's scope
/// would give, or `None` where the native path must leave the script to
/// rhai.
pub trait Variables {
    /// The variable `name` (the last one pushed, as a scope finds it);
    /// `None` when there is none.
    fn variable(&self, name: &str) -> Option<Variable>;

    /// `name.field`: the value under `field` of the map `name` holds;
    /// `None` when `name` holds no map or the map has no such key.
    fn variable_field(&self, name: &str, field: &str) -> Option<Dynamic> {
        match self.variable(name)? {
            Variable::Value(value) => value.read_lock::<Map>()?.get(field).cloned(),
            Variable::Bound(bound) => self.field(bound, field),
        }
    }

    /// The value under `key` of a party's or document's map, as a copy of
    /// the map's value would be; `None` when the map has no such key, when
    /// `bound` is a list, or where the value is a list of maps (a party's
    /// `documents`), which is not built here.
    fn field(&self, bound: Bound, key: &str) -> Option<Dynamic>;

    /// `has(item, field)`: whether the map's `given` names `field`; `None`
    /// where `has` would be an error (a list, a map without `given`).
    fn has(&self, bound: Bound, field: &str) -> Option<bool>;

    /// How many maps a list holds; `None` for a single map.
    fn length(&self, list: Bound) -> Option<usize>;

    /// How many variables the scope holds (those shadowed included).
    fn count(&self) -> usize;

    /// Calls `visit` with each document of a party's `documents` list, in
    /// its order, until `visit` gives `false`; `None` where the value bound
    /// is not a map with such a list (a list, a document), so that
    /// `documents_of` would be an error.
    fn each_held(&self, _party: Bound, _visit: &mut dyn FnMut(Bound) -> bool) -> Option<()> {
        None
    }

    /// Calls `visit` with each key of a document's map and its value (as
    /// [`field`](Self::field) gives it), in the map's order; `None` for
    /// anything but a document.
    fn entries(&self, _document: Bound, _visit: &mut dyn FnMut(&str, Dynamic)) -> Option<()> {
        None
    }
}

/// A rhai scope's variables, read from the maps it holds (no value is ever
/// [`Variable::Bound`]).
impl Variables for Scope<'_> {
    fn variable(&self, name: &str) -> Option<Variable> {
        self.get(name).cloned().map(Variable::Value)
    }

    /// Read in place: the same value as through a copy of the variable,
    /// without the copy.
    fn variable_field(&self, name: &str, field: &str) -> Option<Dynamic> {
        self.get(name)?.read_lock::<Map>()?.get(field).cloned()
    }

    fn field(&self, _: Bound, _: &str) -> Option<Dynamic> {
        None
    }

    fn has(&self, _: Bound, _: &str) -> Option<bool> {
        None
    }

    fn length(&self, _: Bound) -> Option<usize> {
        None
    }

    fn count(&self) -> usize {
        self.len()
    }
}

/// The variables of a rule's scripts, read natively, and as a rhai scope
/// when a script must run in rhai (built then, not before).
pub trait Bindings {
    /// The variables as the native path reads them.
    fn variables(&self) -> &dyn Variables;
    /// The same variables as a rhai scope.
    fn scope(&mut self) -> &Scope<'static>;
}

/// A scope that is already built.
impl Bindings for &Scope<'static> {
    fn variables(&self) -> &dyn Variables {
        *self
    }

    fn scope(&mut self) -> &Scope<'static> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<P>(shape: &MapShape<P>) -> Vec<&str> {
        shape.entries.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn a_document_keeps_the_keys_a_map_would_in_its_order() {
        let shape = MapShape::document("id_card", ["name", "number", "valid_until"]);
        assert_eq!(shape.name.as_str(), "id_card");
        assert_eq!(
            keys(&shape),
            [
                "file",
                "given",
                "holder",
                "index",
                "name",
                "number",
                "sha256",
                "type",
                "valid_until"
            ]
        );
        let name = shape.entries.iter().find(|(k, _)| k == "name").unwrap();
        assert_eq!(name.1, Slot::Field(0));
        let index = shape.entries.iter().find(|(k, _)| k == "index").unwrap();
        assert_eq!(index.1, Slot::Own(DocumentProperty::Index));
    }

    #[test]
    fn a_party_of_a_role_has_given_and_its_fields() {
        let shape = MapShape::party("employee", ["phone", "name"]);
        assert_eq!(
            keys(&shape),
            ["documents", "given", "key", "name", "phone", "role"]
        );
        assert_eq!(shape.entries[3].1, Slot::Field(1));
    }

    #[test]
    fn a_key_given_twice_keeps_the_later_value_as_an_insert_would() {
        let shape = MapShape::document("odd", ["type", "b", "b"]);
        let typed: Vec<_> = shape.entries.iter().filter(|(k, _)| k == "type").collect();
        assert_eq!(typed.len(), 1);
        assert_eq!(typed[0].1, Slot::Field(0));
        let b: Vec<_> = shape.entries.iter().filter(|(k, _)| k == "b").collect();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].1, Slot::Field(2));
    }

    #[test]
    fn a_slot_is_found_by_its_key() {
        let shape = MapShape::party("employee", ["phone", "name"]);
        for (key, slot) in &shape.entries {
            assert_eq!(shape.slot(key), Some(*slot), "{key}");
        }
        assert_eq!(shape.slot("nothing"), None);
        assert_eq!(shape.slot(""), None);
    }

    #[test]
    fn the_roleless_party_is_sorted() {
        let mut sorted = ROLELESS_PARTY;
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(sorted, ROLELESS_PARTY);
    }
}
