//! The envelope of a manifest (spec §3): its top-level keys, the parties and
//! the documents, read into plain entries that point back into the tree.
//! Shapes that are wrong become [`EnvelopeProblem`]s; nothing is dropped silently.

use crate::domain::spelling::nearest;
use crate::limits::Limits;
use crate::yaml::{Node, NodeValue, Position, escape_pointer_token};

/// Top-level keys of `dossier.bundle/v1`.
pub const TOP_LEVEL_KEYS: [&str; 5] = [
    "format",
    "operation",
    "submitted_on",
    "parties",
    "documents",
];
/// Keys of one document entry.
pub const DOCUMENT_KEYS: [&str; 5] = ["type", "holder", "file", "sha256", "fields"];

/// One field of a party or document, as written.
#[derive(Debug, Clone, Copy)]
pub struct FieldEntry<'a> {
    pub name: &'a str,
    pub value: &'a Node,
}

/// A party: its key, its role (if given) and its fields.
#[derive(Debug, Clone)]
pub struct PartyEntry<'a> {
    pub key: &'a str,
    pub role: Option<&'a Node>,
    pub fields: Vec<FieldEntry<'a>>,
    pub position: Position,
    /// `/parties/<key>`.
    pub path: String,
}

/// A document entry, in manifest order.
#[derive(Debug, Clone)]
pub struct DocumentEntry<'a> {
    pub index: usize,
    pub material: Option<&'a Node>,
    pub holder: Option<&'a Node>,
    pub file: Option<&'a Node>,
    pub sha256: Option<&'a Node>,
    pub fields: Vec<FieldEntry<'a>>,
    pub position: Position,
    /// `/documents/<index>`.
    pub path: String,
}

/// A shape the envelope does not allow, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeProblem {
    /// The manifest, `parties` or `documents` has the wrong shape.
    Shape {
        path: String,
        expected: &'static str,
        found: &'static str,
    },
    UnknownKey {
        path: String,
        key: String,
    },
    /// A key one typo away from an allowed key that the entry lacks; it is
    /// read as that key (`holdr` as `holder`), so one typo is one finding.
    MisspeltKey {
        path: String,
        key: String,
        meant: &'static str,
    },
    /// A party or document entry that is not a map.
    EntryShape {
        path: String,
        found: &'static str,
    },
    TooMany {
        path: String,
        what: &'static str,
        limit: usize,
    },
}

/// The envelope read from a parsed manifest.
#[derive(Debug, Clone, Default)]
pub struct Envelope<'a> {
    pub format: Option<&'a Node>,
    pub operation: Option<&'a Node>,
    pub submitted_on: Option<&'a Node>,
    pub parties: Vec<PartyEntry<'a>>,
    pub documents: Vec<DocumentEntry<'a>>,
    pub problems: Vec<EnvelopeProblem>,
}

impl DocumentEntry<'_> {
    /// The document's number as messages show it: from 1, in manifest order
    /// (the JSON Pointer `/documents/0` is document 1).
    pub fn number(&self) -> usize {
        self.index + 1
    }
}

impl<'a> Envelope<'a> {
    pub fn party(&self, key: &str) -> Option<&PartyEntry<'a>> {
        self.parties.iter().find(|p| p.key == key)
    }
}

/// The allowed key an unknown `name` stands for: the nearest of `allowed`
/// that the map does not write itself. Records the misspelling.
fn meant_key(
    envelope: &mut Envelope<'_>,
    pairs: &[(Node, Node)],
    name: &str,
    allowed: &[&'static str],
    path: String,
) -> Option<&'static str> {
    let absent = allowed
        .iter()
        .copied()
        .filter(|key| !pairs.iter().any(|(k, _)| k.as_str() == Some(key)));
    let meant = nearest(name, absent)?;
    envelope.problems.push(EnvelopeProblem::MisspeltKey {
        path,
        key: name.to_string(),
        meant,
    });
    Some(meant)
}

/// Reads the envelope; never fails, problems are collected.
pub fn read_envelope<'a>(root: &'a Node, limits: &Limits) -> Envelope<'a> {
    let mut envelope = Envelope::default();
    let Some(pairs) = root.as_mapping() else {
        envelope.problems.push(EnvelopeProblem::Shape {
            path: String::new(),
            expected: "map",
            found: root.kind_name(),
        });
        return envelope;
    };
    if too_many_keys(&mut envelope, "", pairs.len(), limits) {
        return envelope;
    }
    for (key, value) in pairs {
        let mut name = key.as_str().unwrap_or_default();
        let value = Some(value).filter(|v| !v.is_null());
        if !TOP_LEVEL_KEYS.contains(&name) {
            let path = format!("/{}", escape_pointer_token(name));
            name = meant_key(&mut envelope, pairs, name, &TOP_LEVEL_KEYS, path).unwrap_or(name);
        }
        match name {
            "format" => envelope.format = value,
            "operation" => envelope.operation = value,
            "submitted_on" => envelope.submitted_on = value,
            "parties" => {
                if let Some(value) = value {
                    read_parties(&mut envelope, value, limits);
                }
            }
            "documents" => {
                if let Some(value) = value {
                    read_documents(&mut envelope, value, limits);
                }
            }
            _ => envelope.problems.push(EnvelopeProblem::UnknownKey {
                path: format!("/{}", escape_pointer_token(name)),
                key: name.to_string(),
            }),
        }
    }
    envelope
}

fn read_parties<'a>(envelope: &mut Envelope<'a>, node: &'a Node, limits: &Limits) {
    let Some(pairs) = node.as_mapping() else {
        envelope.problems.push(EnvelopeProblem::Shape {
            path: "/parties".into(),
            expected: "map",
            found: node.kind_name(),
        });
        return;
    };
    if pairs.len() > limits.parties {
        envelope.problems.push(EnvelopeProblem::TooMany {
            path: "/parties".into(),
            what: "parties",
            limit: limits.parties,
        });
        return;
    }
    for (key, value) in pairs {
        let key_text = key.as_str().unwrap_or_default();
        let path = format!("/parties/{}", escape_pointer_token(key_text));
        let Some(entries) = value.as_mapping() else {
            envelope.problems.push(EnvelopeProblem::EntryShape {
                path,
                found: value.kind_name(),
            });
            continue;
        };
        if too_many_keys(envelope, &path, entries.len(), limits) {
            continue;
        }
        let mut role = None;
        let mut fields = Vec::new();
        let writes_role = entries.iter().any(|(k, _)| k.as_str() == Some("role"));
        for (name, field) in entries {
            let name = name.as_str().unwrap_or_default();
            // A party's fields are the rules'; only `role` is the envelope's.
            let misspelt_role = !writes_role
                && role.is_none()
                && name.chars().count() == 4
                && nearest(name, ["role"]).is_some();
            if misspelt_role {
                envelope.problems.push(EnvelopeProblem::MisspeltKey {
                    path: format!("{path}/{}", escape_pointer_token(name)),
                    key: name.to_string(),
                    meant: "role",
                });
            }
            if name == "role" || misspelt_role {
                role = Some(field).filter(|f| !f.is_null());
            } else {
                fields.push(FieldEntry { name, value: field });
            }
        }
        envelope.parties.push(PartyEntry {
            key: key_text,
            role,
            fields,
            position: key.position,
            path,
        });
    }
}

fn read_documents<'a>(envelope: &mut Envelope<'a>, node: &'a Node, limits: &Limits) {
    let Some(items) = node.as_sequence() else {
        envelope.problems.push(EnvelopeProblem::Shape {
            path: "/documents".into(),
            expected: "list",
            found: node.kind_name(),
        });
        return;
    };
    if items.len() > limits.documents {
        envelope.problems.push(EnvelopeProblem::TooMany {
            path: "/documents".into(),
            what: "documents",
            limit: limits.documents,
        });
        return;
    }
    for (index, item) in items.iter().enumerate() {
        let path = format!("/documents/{index}");
        let Some(pairs) = item.as_mapping() else {
            envelope.problems.push(EnvelopeProblem::EntryShape {
                path,
                found: item.kind_name(),
            });
            continue;
        };
        if too_many_keys(envelope, &path, pairs.len(), limits) {
            continue;
        }
        let mut entry = DocumentEntry {
            index,
            material: None,
            holder: None,
            file: None,
            sha256: None,
            fields: Vec::new(),
            position: item.position,
            path,
        };
        for (key, value) in pairs {
            let mut name = key.as_str().unwrap_or_default();
            let present = Some(value).filter(|v| !v.is_null());
            if !DOCUMENT_KEYS.contains(&name) {
                let path = format!("{}/{}", entry.path, escape_pointer_token(name));
                name = meant_key(envelope, pairs, name, &DOCUMENT_KEYS, path).unwrap_or(name);
            }
            match name {
                "type" => entry.material = present,
                "holder" => entry.holder = present,
                "file" => entry.file = present,
                "sha256" => entry.sha256 = present,
                "fields" => match &value.value {
                    NodeValue::Mapping(fields)
                        if too_many_keys(
                            envelope,
                            &format!("{}/fields", entry.path),
                            fields.len(),
                            limits,
                        ) => {}
                    NodeValue::Mapping(fields) => {
                        entry.fields = fields
                            .iter()
                            .map(|(k, v)| FieldEntry {
                                name: k.as_str().unwrap_or_default(),
                                value: v,
                            })
                            .collect();
                    }
                    _ if value.is_null() => {}
                    _ => envelope.problems.push(EnvelopeProblem::Shape {
                        path: format!("{}/fields", entry.path),
                        expected: "map",
                        found: value.kind_name(),
                    }),
                },
                _ => envelope.problems.push(EnvelopeProblem::UnknownKey {
                    path: format!("{}/{}", entry.path, escape_pointer_token(name)),
                    key: name.to_string(),
                }),
            }
        }
        envelope.documents.push(entry);
    }
}

/// Refuses a map with more keys than `Limits::map_keys` (a problem at `path`).
fn too_many_keys(envelope: &mut Envelope<'_>, path: &str, keys: usize, limits: &Limits) -> bool {
    if keys <= limits.map_keys {
        return false;
    }
    envelope.problems.push(EnvelopeProblem::TooMany {
        path: path.to_string(),
        what: "keys in one map",
        limit: limits.map_keys,
    });
    true
}
