//! The keys of the map scripts see for a party of one role or a document of
//! one material, worked out once when the catalog is loaded.
//!
//! A rhai map keeps its keys sorted. Judging fills each bundle's maps in
//! the order kept here and builds each one from sorted entries in one pass,
//! instead of making every key anew and searching the map for its place, a
//! dozen times a map, in every bundle; the role's or material's name is
//! cloned (a pointer copy), not made anew for every party and document.

use rhai::{Identifier, ImmutableString};

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
    fn the_roleless_party_is_sorted() {
        let mut sorted = ROLELESS_PARTY;
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(sorted, ROLELESS_PARTY);
    }
}
