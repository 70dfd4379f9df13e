//! The variables of a bundle read natively: from its typed parties and
//! documents, through the shapes the maps are built from.

use rhai::{Dynamic, Map, Scope};

use super::{ScriptContext, field, given, text};
use crate::bundle::FieldEntry;
use crate::engine::state::Judgement;
use crate::script::map_shape::{
    Bindings, Bound, DocumentProperty, PartyProperty, ROLELESS_PARTY, Slot, Variable, Variables,
};

/// A bundle's variables read from its typed parties and documents, each
/// value as the map built from the same shape holds it.
#[derive(Clone, Copy)]
pub struct Reader<'c, 'a> {
    pub(super) context: &'c ScriptContext<'a>,
    pub(super) judgement: &'c Judgement<'c>,
}

/// A bundle's variables, read natively and, when rhai must run, as a scope.
pub struct Live<'c, 'a> {
    pub(super) context: &'c mut ScriptContext<'a>,
    pub(super) judgement: &'c Judgement<'c>,
}

impl Bindings for Live<'_, '_> {
    fn variables(&self) -> &dyn Variables {
        self
    }

    fn scope(&mut self) -> &Scope<'static> {
        self.context.scope(self.judgement)
    }
}

impl Variables for Live<'_, '_> {
    fn variable(&self, name: &str) -> Option<Variable> {
        self.context.reader(self.judgement).variable(name)
    }

    fn variable_field(&self, name: &str, field: &str) -> Option<Dynamic> {
        self.context
            .reader(self.judgement)
            .variable_field(name, field)
    }

    fn field(&self, bound: Bound, key: &str) -> Option<Dynamic> {
        self.context.reader(self.judgement).field(bound, key)
    }

    fn has(&self, bound: Bound, field: &str) -> Option<bool> {
        self.context.reader(self.judgement).has(bound, field)
    }

    fn length(&self, list: Bound) -> Option<usize> {
        self.context.reader(self.judgement).length(list)
    }

    fn count(&self) -> usize {
        self.context.variables.len()
    }

    fn each_held(&self, party: Bound, visit: &mut dyn FnMut(Bound) -> bool) -> Option<()> {
        self.context.reader(self.judgement).each_held(party, visit)
    }

    fn entries(&self, document: Bound, visit: &mut dyn FnMut(&str, Dynamic)) -> Option<()> {
        self.context.reader(self.judgement).entries(document, visit)
    }
}

impl Variables for Reader<'_, '_> {
    fn variable(&self, name: &str) -> Option<Variable> {
        self.context.variable(name).cloned()
    }

    fn variable_field(&self, name: &str, field: &str) -> Option<Dynamic> {
        match self.context.variable(name)? {
            Variable::Value(value) => value.read_lock::<Map>()?.get(field).cloned(),
            Variable::Bound(bound) => self.field(*bound, field),
        }
    }

    fn field(&self, bound: Bound, key: &str) -> Option<Dynamic> {
        let judgement = self.judgement;
        match bound {
            Bound::Party(index) => {
                let party = &judgement.parties[index];
                let own = |property: PartyProperty| match property {
                    PartyProperty::Key => Some(text(party.entry.key)),
                    PartyProperty::Role => Some(
                        party
                            .role
                            .map_or(Dynamic::UNIT, |r| Dynamic::from(r.shape.name.clone())),
                    ),
                    // A list of maps: not built here.
                    PartyProperty::Documents => None,
                };
                match party.role {
                    Some(role) => match role.shape.slot(key)? {
                        Slot::Own(property) => own(property),
                        Slot::Given => Some(given(&party.entry.fields)),
                        Slot::Field(n) => Some(field(&party.fields, &role.fields[n].name)),
                    },
                    None => ROLELESS_PARTY
                        .iter()
                        .find(|(name, _)| *name == key)
                        .and_then(|(_, property)| own(*property)),
                }
            }
            Bound::Document(index) => {
                let document = &judgement.documents[index];
                let material = document.material;
                let scalar = |node: Option<&crate::yaml::Node>| {
                    node.and_then(|n| n.as_str()).map_or(Dynamic::UNIT, text)
                };
                Some(match material.shape.slot(key)? {
                    Slot::Own(DocumentProperty::Index) => {
                        Dynamic::from(document.entry.index as i64)
                    }
                    Slot::Own(DocumentProperty::Type) => Dynamic::from(material.shape.name.clone()),
                    Slot::Own(DocumentProperty::Holder) => document
                        .holder
                        .map_or(Dynamic::UNIT, |h| text(judgement.parties[h].entry.key)),
                    Slot::Own(DocumentProperty::File) => scalar(document.entry.file),
                    Slot::Own(DocumentProperty::Sha256) => scalar(document.entry.sha256),
                    Slot::Given => given(&document.entry.fields),
                    Slot::Field(n) => field(&document.fields, &material.fields[n].name),
                })
            }
            Bound::Parties | Bound::Documents => None,
        }
    }

    fn has(&self, bound: Bound, field: &str) -> Option<bool> {
        // As `given` lists them: the names written with a value.
        let given = |written: &[FieldEntry<'_>]| {
            written
                .iter()
                .any(|f| !f.value.is_null() && f.name == field)
        };
        match bound {
            Bound::Party(index) => {
                let party = &self.judgement.parties[index];
                let slot = party.role?.shape.slot("given")?;
                (slot == Slot::Given).then(|| given(&party.entry.fields))
            }
            Bound::Document(index) => {
                let document = &self.judgement.documents[index];
                let slot = document.material.shape.slot("given")?;
                (slot == Slot::Given).then(|| given(&document.entry.fields))
            }
            Bound::Parties | Bound::Documents => None,
        }
    }

    fn length(&self, list: Bound) -> Option<usize> {
        match list {
            Bound::Parties => Some(self.judgement.parties.len()),
            Bound::Documents => Some(self.judgement.documents.len()),
            Bound::Party(_) | Bound::Document(_) => None,
        }
    }

    fn count(&self) -> usize {
        self.context.variables.len()
    }

    /// A party's `documents`: the documents it holds, in manifest order
    /// (as `party_map` lists them), where its map has that key.
    fn each_held(&self, party: Bound, visit: &mut dyn FnMut(Bound) -> bool) -> Option<()> {
        let Bound::Party(index) = party else {
            return None;
        };
        let listed = match self.judgement.parties[index].role {
            Some(role) => role.shape.slot("documents")? == Slot::Own(PartyProperty::Documents),
            None => ROLELESS_PARTY
                .iter()
                .any(|(_, property)| *property == PartyProperty::Documents),
        };
        if !listed {
            return None;
        }
        for (held, document) in self.judgement.documents.iter().enumerate() {
            if document.holder == Some(index) && !visit(Bound::Document(held)) {
                break;
            }
        }
        Some(())
    }

    fn entries(&self, document: Bound, visit: &mut dyn FnMut(&str, Dynamic)) -> Option<()> {
        let Bound::Document(index) = document else {
            return None;
        };
        for (key, _) in &self.judgement.documents[index].material.shape.entries {
            visit(key.as_str(), self.field(document, key)?);
        }
        Some(())
    }
}
