//! The bundle a filled form stands for: a manifest serialised from typed
//! values (never text pasted into YAML, so no value can change its shape)
//! and the attached files under names safe on every system.

use std::collections::BTreeMap;

use dossier::rules::FieldType;
use serde::Serialize;
use serde_yaml::{Mapping, Value};

use super::plan::Plan;
use super::posted::{Attached, Posted};

/// The bundle format the manifest declares.
const FORMAT: &str = "dossier.bundle/v1";
/// The manifest's name inside the bundle.
pub const MANIFEST: &str = "bundle.yaml";

/// A bundle built from a form: its files by path, and for each document of
/// the manifest (in order) the form slot it came from, so a finding about
/// `/documents/3` can point back at the inputs it concerns.
pub struct Built {
    pub files: BTreeMap<String, Vec<u8>>,
    pub documents: Vec<Slot>,
}

/// The inputs of one material of one party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub party: String,
    pub material: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    operation: &'a str,
    submitted_on: String,
    parties: Mapping,
    documents: Vec<Document>,
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "type")]
    material: String,
    holder: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Mapping::is_empty")]
    fields: Mapping,
}

/// Builds the bundle of `posted` as `plan` lays it out; `today` stands in
/// for a submission date left blank.
pub fn build(plan: &Plan, posted: &Posted, today: &str) -> Built {
    let mut parties = Mapping::new();
    let mut documents = Vec::new();
    let mut slots = Vec::new();
    let mut files = BTreeMap::new();
    for role in &plan.roles {
        for key in &role.keys {
            let mut party = Mapping::new();
            party.insert(text("role"), text(&role.def.name));
            for field in &role.def.fields {
                if let Some(value) = typed(
                    posted.value(&format!("p:{key}:{}", field.name)),
                    field.field_type,
                ) {
                    party.insert(text(&field.name), value);
                }
            }
            let given = party.len() > 1;
            for group in &role.groups {
                for material in &group.materials {
                    let slot = format!("{key}:{}", material.name);
                    let mut fields = Mapping::new();
                    for field in &material.fields {
                        let name = format!("d:{slot}:{}", field.name);
                        if let Some(value) = typed(posted.value(&name), field.field_type) {
                            fields.insert(text(&field.name), value);
                        }
                    }
                    let attached = posted.files.get(&slot);
                    if fields.is_empty() && attached.is_none() {
                        continue;
                    }
                    let file = attached.map(|file| {
                        let path = attachment_path(key, &material.name, file);
                        files.insert(path.clone(), file.bytes.clone());
                        path
                    });
                    documents.push(Document {
                        material: material.name.clone(),
                        holder: key.clone(),
                        file,
                        fields,
                    });
                    slots.push(Slot {
                        party: key.clone(),
                        material: material.name.clone(),
                    });
                }
            }
            // A party of an optional role that the clerk left blank is absent.
            let has_documents = slots.iter().any(|s| s.party == *key);
            if role.count.allows(0) && !role.is_many() && !given && !has_documents {
                continue;
            }
            parties.insert(text(key), Value::Mapping(party));
        }
    }
    let manifest = Manifest {
        format: FORMAT,
        operation: &plan.operation.id,
        submitted_on: posted.value("submitted_on").unwrap_or(today).to_string(),
        parties,
        documents,
    };
    // Serialising plain maps, strings and booleans cannot fail.
    let yaml = serde_yaml::to_string(&manifest).unwrap_or_default();
    files.insert(MANIFEST.to_string(), yaml.into_bytes());
    Built {
        files,
        documents: slots,
    }
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

/// A form value as the manifest holds it: yes/no of a boolean field as a
/// boolean, everything else as a string.
fn typed(value: Option<&str>, field_type: FieldType) -> Option<Value> {
    let value = value?;
    Some(match (field_type, value) {
        (FieldType::Bool, "true") => Value::Bool(true),
        (FieldType::Bool, "false") => Value::Bool(false),
        _ => text(value),
    })
}

/// `files/<party>_<material>.<ext>`: ASCII letters, digits, `_` and `-`
/// only, so the name is valid on Windows, macOS and Linux alike.
fn attachment_path(party: &str, material: &str, file: &Attached) -> String {
    format!(
        "files/{}_{}.{}",
        safe(party),
        safe(material),
        extension(file)
    )
}

fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The file's own extension when it is a plain one, else one told from
/// its first bytes.
fn extension(file: &Attached) -> String {
    let own = file
        .name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .filter(|ext| {
            (1..=5).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    own.unwrap_or_else(|| {
        let sniffed = if file.bytes.starts_with(b"%PDF") {
            "pdf"
        } else if file.bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "jpg"
        } else if file.bytes.starts_with(b"\x89PNG") {
            "png"
        } else {
            "bin"
        };
        sniffed.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_are_safe_everywhere() {
        let file = |name: &str, bytes: &[u8]| Attached {
            name: name.into(),
            bytes: bytes.to_vec(),
        };
        assert_eq!(
            attachment_path("a:b", "c<d>", &file("合同.PDF", b"")),
            "files/a_b_c_d_.pdf"
        );
        assert_eq!(
            attachment_path("e_1", "x", &file("scan", b"%PDF-1.7")),
            "files/e_1_x.pdf"
        );
        assert_eq!(
            attachment_path("e_1", "x", &file("a.p?f", b"\x89PNG")),
            "files/e_1_x.png"
        );
        assert_eq!(
            attachment_path("e_1", "x", &file("noext", b"??")),
            "files/e_1_x.bin"
        );
    }

    #[test]
    fn values_keep_their_meaning_whatever_they_hold() {
        assert_eq!(
            typed(Some("true"), FieldType::Bool),
            Some(Value::Bool(true))
        );
        assert_eq!(typed(Some("true"), FieldType::Text), Some(text("true")));
        let mut parties = Mapping::new();
        parties.insert(text("k"), text("a: b\n- c #d"));
        parties.insert(text("n"), text("0123"));
        let yaml = serde_yaml::to_string(&parties).unwrap();
        let back: Mapping = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back, parties);
    }
}
