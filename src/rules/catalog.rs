//! The catalog: which roles and materials exist, and their typed fields.

use chrono::NaiveDate;

use super::error::LoadErrorKind;
use super::field_type::{FieldType, FieldValue};
use super::pattern::{self, FieldPattern};
use super::reader::{FileErrors, MapReader, named_entries};
use crate::lang::Localized;
use crate::limits::Limits;
use crate::script::map_shape::{DocumentProperty, MapShape, PartyProperty};
use crate::yaml::{Node, Position, ScalarStyle};

/// Names scripts use for a party's or document's own properties; no field may take them.
pub const RESERVED_PARTY_KEYS: [&str; 4] = ["key", "role", "documents", "given"];
pub const RESERVED_DOCUMENT_KEYS: [&str; 7] = [
    "type", "holder", "file", "sha256", "index", "fields", "given",
];

/// One typed field of a role or material.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FieldDef {
    /// The key a manifest writes the value under (`valid_until`), and the
    /// name scripts read it by (`doc.valid_until`).
    pub name: String,
    /// How a value is judged (the built-in `field.type`) and normalised
    /// before scripts see it.
    pub field_type: FieldType,
    /// What the field is, zh and en, for messages, checklists and forms.
    pub title: Localized,
    /// Must be present wherever the role or material appears.
    pub required: bool,
    /// What to enter, for templates and checklists.
    pub help: Option<Localized>,
    /// A shape the whole value must have, on top of its type (text types only).
    pub pattern: Option<FieldPattern>,
}

impl FieldDef {
    /// Judges one manifest value: its type, then its pattern. A value that
    /// does not match is refused with the shape the catalog describes.
    pub(crate) fn judge(&self, node: &Node, judged_on: NaiveDate) -> Result<FieldValue, Localized> {
        let value = self.field_type.judge(node, judged_on)?;
        match (&self.pattern, &value) {
            (Some(expected), FieldValue::Text(text)) if !expected.pattern.matches(text) => {
                Err(Localized::new(
                    format!("格式不符,应为:{}", expected.shape.zh),
                    format!("does not have the expected shape: {}", expected.shape.en),
                ))
            }
            _ => Ok(value),
        }
    }

    /// What a value looks like, for hints, templates and checklists: the
    /// pattern's shape when there is one, else the type's.
    pub fn describe(&self) -> Localized {
        match &self.pattern {
            Some(pattern) => pattern.shape.clone(),
            None => self.field_type.describe(),
        }
    }
}

/// A kind of party: the enterprise, its legal representative, an employee…
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RoleDef {
    /// The name a party gives in `role:` and operations use in `roles:`
    /// and `for_each:`.
    pub name: String,
    /// What the role is, zh and en.
    pub title: Localized,
    /// The party's own typed fields, in file order.
    pub fields: Vec<FieldDef>,
    /// Where `catalog.yaml` defines the role.
    pub position: Position,
    /// The keys of the map scripts see for such a party, worked out at load.
    pub(crate) shape: MapShape<PartyProperty>,
}

/// A kind of document (材料).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MaterialDef {
    /// The name a document gives in `type:` and rules use in `require:`.
    pub name: String,
    /// What the material is, zh and en (营业执照, business licence).
    pub title: Localized,
    /// Roles whose parties may hold this material.
    pub holders: Vec<String>,
    /// The fields read off the document, in file order.
    pub fields: Vec<FieldDef>,
    /// Where `catalog.yaml` defines the material.
    pub position: Position,
    /// The keys of the map scripts see for such a document, worked out at load.
    pub(crate) shape: MapShape<DocumentProperty>,
}

/// Every role and material a rule set knows, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Catalog {
    /// The kinds of party.
    pub roles: Vec<RoleDef>,
    /// The kinds of document.
    pub materials: Vec<MaterialDef>,
    /// The working-day calendar file, relative to the rule set.
    pub calendar: Option<String>,
    /// Where the catalog names it, for a calendar file that is not there.
    pub calendar_at: Option<crate::yaml::Position>,
}

impl Catalog {
    /// The role named `name`, if the catalog defines it.
    pub fn role(&self, name: &str) -> Option<&RoleDef> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The material named `name`, if the catalog defines it.
    pub fn material(&self, name: &str) -> Option<&MaterialDef> {
        self.materials.iter().find(|m| m.name == name)
    }

    /// Every role's name, comma-separated, for "expected one of" messages.
    pub fn role_names(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every material's name, comma-separated, for "expected one of" messages.
    pub fn material_names(&self) -> String {
        self.materials
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl RoleDef {
    /// The party field named `name`, if the role declares it.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

impl MaterialDef {
    /// The document field named `name`, if the material declares it.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Reads `catalog.yaml`.
pub fn read_catalog(errors: &mut FileErrors<'_>, root: &Node, limits: &Limits) -> Catalog {
    let mut catalog = Catalog::default();
    let Some(mut map) = MapReader::new(errors, root) else {
        return catalog;
    };
    if let Some(node) = map.optional("calendar") {
        catalog.calendar = errors.text(node);
        catalog.calendar_at = Some(node.position);
    }
    if let Some(roles) = map.required(errors, "roles") {
        for (name, node, position) in named_entries(errors, roles) {
            if let Some(first) = catalog.roles.iter().find(|r| r.name == name) {
                let first_line = first.position.line;
                errors.push(
                    position,
                    LoadErrorKind::Duplicate {
                        what: "role",
                        name,
                        first_line,
                    },
                );
                continue;
            }
            if let Some(role) = read_role(errors, limits, name, node, position) {
                catalog.roles.push(role);
            }
        }
    }
    if let Some(materials) = map.required(errors, "materials") {
        for (name, node, position) in named_entries(errors, materials) {
            if catalog.materials.iter().any(|m| m.name == name) {
                let first_line = catalog.material(&name).map_or(0, |m| m.position.line);
                errors.push(
                    position,
                    LoadErrorKind::Duplicate {
                        what: "material",
                        name,
                        first_line,
                    },
                );
                continue;
            }
            if let Some(material) = read_material(errors, limits, &catalog, name, node, position) {
                catalog.materials.push(material);
            }
        }
    }
    map.finish(errors);
    catalog
}

fn read_role(
    errors: &mut FileErrors<'_>,
    limits: &Limits,
    name: String,
    node: &Node,
    position: Position,
) -> Option<RoleDef> {
    let mut map = MapReader::new(errors, node)?;
    let title = map
        .required(errors, "title")
        .and_then(|n| errors.localized(n));
    let fields = map
        .required(errors, "fields")
        .map(|n| read_fields(errors, limits, n, &RESERVED_PARTY_KEYS))
        .unwrap_or_default();
    map.finish(errors);
    let shape = MapShape::party(&name, fields.iter().map(|f| f.name.as_str()));
    Some(RoleDef {
        name,
        title: title?,
        fields,
        position,
        shape,
    })
}

fn read_material(
    errors: &mut FileErrors<'_>,
    limits: &Limits,
    catalog: &Catalog,
    name: String,
    node: &Node,
    position: Position,
) -> Option<MaterialDef> {
    let mut map = MapReader::new(errors, node)?;
    let title = map
        .required(errors, "title")
        .and_then(|n| errors.localized(n));
    let mut holders = Vec::new();
    for (holder, at) in map
        .required(errors, "holders")
        .and_then(|n| errors.texts(n))
        .unwrap_or_default()
    {
        if catalog.role(&holder).is_none() {
            errors.push(
                at,
                LoadErrorKind::Unknown {
                    what: "role",
                    name: holder,
                    known: format!("; known roles: {}", catalog.role_names()),
                },
            );
        } else {
            holders.push(holder);
        }
    }
    let fields = map
        .required(errors, "fields")
        .map(|n| read_fields(errors, limits, n, &RESERVED_DOCUMENT_KEYS))
        .unwrap_or_default();
    map.finish(errors);
    let shape = MapShape::document(&name, fields.iter().map(|f| f.name.as_str()));
    Some(MaterialDef {
        name,
        title: title?,
        holders,
        fields,
        position,
        shape,
    })
}

/// `fields:` as `name: type` or `name: { type, title, required, help,
/// pattern, shape }`.
fn read_fields(
    errors: &mut FileErrors<'_>,
    limits: &Limits,
    node: &Node,
    reserved: &[&str],
) -> Vec<FieldDef> {
    let mut fields: Vec<FieldDef> = Vec::new();
    for (name, node, position) in named_entries(errors, node) {
        if reserved.contains(&name.as_str()) {
            errors.push(
                position,
                LoadErrorKind::Invalid(format!("`{name}` is reserved and cannot name a field")),
            );
            continue;
        }
        if fields.iter().any(|f| f.name == name) {
            continue; // the YAML reader already refuses duplicate keys
        }
        let (type_node, title, required, help, pattern_nodes) = if node.as_str().is_some() {
            (Some(node), None, false, None, (None, None))
        } else {
            let Some(mut map) = MapReader::new(errors, node) else {
                continue;
            };
            let type_node = map.required(errors, "type");
            let title = map.optional("title").and_then(|n| errors.localized(n));
            let required = map
                .optional("required")
                .is_some_and(|n| n.as_scalar().and_then(|s| s.as_bool()) == Some(true));
            let help = map.optional("help").and_then(|n| errors.localized(n));
            let pattern_nodes = (map.optional("pattern"), map.optional("shape"));
            let position = map.position();
            map.finish(errors);
            if pattern_nodes.0.is_some() != pattern_nodes.1.is_some() {
                let message = "`pattern` and `shape` go together: the pattern a value must \
                               match and, in words, the shape it stands for";
                errors.push(position, LoadErrorKind::Invalid(message.to_string()));
            }
            (type_node, title, required, help, pattern_nodes)
        };
        let Some(type_node) = type_node else { continue };
        let type_name = type_node.as_str().unwrap_or_default();
        let Some(field_type) = FieldType::from_name(type_name) else {
            let known = FieldType::ALL
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(
                type_node.position,
                LoadErrorKind::Unknown {
                    what: "field type",
                    name: type_name.to_string(),
                    known: format!("; known types: {known}"),
                },
            );
            continue;
        };
        let pattern = match pattern_nodes {
            (Some(pattern), Some(shape)) => {
                read_field_pattern(errors, limits, field_type, pattern, shape)
            }
            _ => None,
        };
        fields.push(FieldDef {
            title: title.unwrap_or_else(|| Localized::new(name.clone(), name.clone())),
            name,
            field_type,
            required,
            help,
            pattern,
        });
    }
    fields
}

/// `pattern:` and `shape:` of a text field.
fn read_field_pattern(
    errors: &mut FileErrors<'_>,
    limits: &Limits,
    field_type: FieldType,
    pattern: &Node,
    shape: &Node,
) -> Option<FieldPattern> {
    let shape = errors.localized(shape);
    let source = errors.text(pattern)?;
    if !field_type.is_text() {
        errors.push(
            pattern.position,
            LoadErrorKind::Invalid(format!(
                "`pattern` applies to text fields (text, person_name, company_name), not `{}`, which has its own validation",
                field_type.name()
            )),
        );
        return None;
    }
    match pattern::compile(&source, limits) {
        Ok(compiled) => Some(FieldPattern {
            pattern: compiled,
            shape: shape?,
        }),
        Err(error) => {
            errors.push(
                pattern_position(pattern, error.offset),
                LoadErrorKind::Invalid(error.message),
            );
            None
        }
    }
}

/// Where in the rule file the character `offset` of a one-line pattern is.
pub fn pattern_position(node: &Node, offset: Option<usize>) -> Position {
    let (Some(offset), Some(scalar)) = (offset, node.as_scalar()) else {
        return node.position;
    };
    let quote = usize::from(scalar.style == ScalarStyle::Quoted);
    Position {
        line: node.position.line,
        column: node.position.column + quote + offset,
    }
}
