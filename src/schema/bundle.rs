//! The schema of a bundle manifest (`dossier.bundle/v1`), naming the
//! operations, roles, materials and typed fields of a rule set.

use serde_json::{Map, Value, json};

use super::{DATE_PATTERN, LONG_TERM_PATTERN, date, document};
use crate::lang::Localized;
use crate::rules::{FieldDef, FieldType, RuleSet};

/// What a value of a field type may look like. Identifiers are not
/// patterned: the loader accepts many spellings (spaces, full-width, `+86`)
/// and says exactly what is wrong, which a pattern cannot.
pub fn field_type_schema(field_type: FieldType) -> Value {
    let describe = field_type.describe().en;
    match field_type {
        FieldType::Text => json!({ "type": ["string", "number"], "description": describe }),
        FieldType::PersonName | FieldType::CompanyName | FieldType::Email => {
            json!({ "type": "string", "minLength": 1, "description": describe })
        }
        // Unquoted digits are read as their digits, so numbers are accepted.
        FieldType::Uscc | FieldType::Ric | FieldType::Mobile => {
            json!({ "type": ["string", "integer"], "description": describe })
        }
        FieldType::Date => date(),
        FieldType::DateOrLongTerm => json!({
            "type": "string",
            "anyOf": [{ "pattern": DATE_PATTERN }, { "pattern": LONG_TERM_PATTERN }],
            "description": describe,
        }),
        FieldType::Bool => json!({
            "anyOf": [{ "type": "boolean" }, { "enum": ["true", "false", "是", "否"] }],
            "description": describe,
        }),
    }
}

fn field_properties(fields: &[FieldDef]) -> Map<String, Value> {
    fields
        .iter()
        .map(|field| {
            // Empty (null) is "not filled in yet", as in `dossier init`
            // templates; the loader reports it as missing.
            let mut schema =
                json!({ "anyOf": [field_type_schema(field.field_type), { "type": "null" }] });
            let mut description = format!("{} — {}", field.title.en, field.describe().en);
            if let Some(help) = &field.help {
                description.push_str(&format!("; {}", help.en));
            }
            schema["description"] = Value::String(description);
            schema["title"] = Value::String(both(&field.title));
            (field.name.clone(), schema)
        })
        .collect()
}

fn both(text: &Localized) -> String {
    format!("{} ({})", text.zh, text.en)
}

/// One `if {key: name} then {…}` per role or material, so an editor checks
/// and completes the fields of the role or material an entry names.
fn by_name(key: &str, name: &str, then: Value) -> Value {
    json!({
        "if": { "properties": { key: { "const": name } }, "required": [key] },
        "then": then,
    })
}

/// The bundle manifest schema for `rules`.
pub fn bundle(rules: &RuleSet) -> Value {
    let operations: Vec<&str> = rules.operation_ids();
    let roles: Vec<&str> = rules
        .catalog
        .roles
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let materials: Vec<&str> = rules
        .catalog
        .materials
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    let party_rules: Vec<Value> = rules
        .catalog
        .roles
        .iter()
        .map(|role| {
            let required: Vec<&str> = role
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name.as_str())
                .collect();
            by_name(
                "role",
                &role.name,
                json!({ "properties": field_properties(&role.fields), "required": required }),
            )
        })
        .collect();
    let document_rules: Vec<Value> = rules
        .catalog
        .materials
        .iter()
        .map(|material| {
            by_name(
                "type",
                &material.name,
                json!({ "properties": { "fields": {
                    "type": "object",
                    "properties": field_properties(&material.fields),
                } } }),
            )
        })
        .collect();
    let body = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["format", "operation", "submitted_on", "parties", "documents"],
        "properties": {
            "format": { "const": "dossier.bundle/v1", "description": "the manifest format" },
            "operation": {
                "enum": operations,
                "description": "the operation applied for (dossier rules list)",
            },
            "submitted_on": {
                "anyOf": [{ "type": "string", "pattern": DATE_PATTERN }, { "type": "null" }],
                "description": "the submission date every date rule is judged on: YYYY-MM-DD (empty until filled in)",
            },
            "parties": {
                "type": "object",
                "description": "party key -> party; documents name their holder by this key",
                "additionalProperties": { "$ref": "#/$defs/party" },
            },
            "documents": {
                "type": "array",
                "description": "the documents (材料), in the order reports list them",
                "items": { "$ref": "#/$defs/document" },
            },
        },
        "$defs": {
            "party": {
                "type": "object",
                "required": ["role"],
                "properties": {
                    "role": { "enum": roles, "description": "what the party is in this bundle" },
                },
                "allOf": party_rules,
            },
            "document": {
                "type": "object",
                "additionalProperties": false,
                "required": ["type", "holder", "file"],
                "properties": {
                    // A type the catalog does not know is a warning, not an
                    // error, so any name is valid; the known ones complete.
                    "type": {
                        "anyOf": [{ "enum": materials }, { "type": "string" }],
                        "description": "the material (材料) this document is",
                    },
                    "holder": { "type": "string", "minLength": 1, "description": "the key of the party holding it" },
                    "file": {
                        "type": "string",
                        "minLength": 1,
                        "description": "path inside the bundle folder: a PDF, JPEG or PNG of at most 20 MiB",
                    },
                    "sha256": {
                        "type": "string",
                        "pattern": "^[0-9a-fA-F]{64}$",
                        "description": "optional: the file's SHA-256, 64 hex digits; verified when given",
                    },
                    "fields": { "type": "object", "description": "what the document shows" },
                },
                "allOf": document_rules,
            },
        },
    });
    document(
        "dossier bundle manifest (dossier.bundle/v1)",
        &format!(
            "A bundle manifest for the rule set `{}`; generated by `dossier schema bundle`.",
            rules.origin
        ),
        body,
    )
}
