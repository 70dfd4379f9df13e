//! JSON Schemas (draft 2020-12) for the files people write: bundle
//! manifests, rule files (catalog, operation, calendar) and rule tests.
//!
//! Editors use them to complete and check while typing
//! (`# yaml-language-server: $schema=…`); the loaders stay the authority. A
//! schema says what the loader says wherever a schema can (keys, shapes,
//! names, date spellings) and no more: a value the loader accepts is never
//! refused here. `dossier schema <kind>` prints them; `docs/schema/` holds
//! the copies for the shipped rules.

mod bundle;
mod rule_files;

pub use bundle::bundle;
pub use rule_files::{calendar, catalog, operation, rule_tests, rules};

use serde_json::{Value, json};

use crate::rules::RuleSet;

/// The schema kinds `dossier schema` prints, with the file each is kept in.
pub const KINDS: [(&str, &str); 6] = [
    ("bundle", "bundle.schema.json"),
    ("rules", "rules.schema.json"),
    ("catalog", "catalog.schema.json"),
    ("operation", "operation.schema.json"),
    ("calendar", "calendar.schema.json"),
    ("tests", "rule-tests.schema.json"),
];

/// The schema of `kind` (one of [`KINDS`]); the bundle schema names the
/// operations, roles and materials of `rules`.
pub fn by_kind(kind: &str, rules: &RuleSet) -> Option<Value> {
    Some(match kind {
        "bundle" => bundle(rules),
        "rules" => rules_schema(),
        "catalog" => catalog(),
        "operation" => operation(),
        "calendar" => calendar(),
        "tests" => rule_tests(),
        _ => return None,
    })
}

fn rules_schema() -> Value {
    rules()
}

/// A schema as committed: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema serialises");
    text.push('\n');
    text
}

/// The envelope every schema shares.
fn document(title: &str, description: &str, body: Value) -> Value {
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
    });
    if let (Some(target), Some(body)) = (schema.as_object_mut(), body.as_object()) {
        target.extend(body.clone());
    }
    schema
}

/// Day spellings the loader accepts: `2024-08-28`, `2024/8/28`,
/// `2024年8月28日`; full-width digits too (they are read as ASCII). Months
/// run 1–12 and days 1–31; whether the day exists in its month (Feb 30) is
/// beyond a pattern and left to the loader.
pub(crate) const DATE_PATTERN: &str = r"^\s*(?:[0-9０-９]{4}-(?:[0０]?[1-9１-９]|[1１][0-2０-２])-(?:[0０]?[1-9１-９]|[12１２][0-9０-９]|[3３][01０１])|[0-9０-９]{4}/(?:[0０]?[1-9１-９]|[1１][0-2０-２])/(?:[0０]?[1-9１-９]|[12１２][0-9０-９]|[3３][01０１])|[0-9０-９]{4}\.(?:[0０]?[1-9１-９]|[1１][0-2０-２])\.(?:[0０]?[1-9１-９]|[12１２][0-9０-９]|[3３][01０１])|[0-9０-９]{4}\s*年\s*(?:[0０]?[1-9１-９]|[1１][0-2０-２])\s*月\s*(?:[0０]?[1-9１-９]|[12１２][0-9０-９]|[3３][01０１])\s*日)\s*$";

/// `long_term` in any case, or its Chinese spellings.
pub(crate) const LONG_TERM_PATTERN: &str =
    r"^\s*(?:[Ll][Oo][Nn][Gg]_[Tt][Ee][Rr][Mm]|长期|长期有效|无固定期限)\s*$";

fn date() -> Value {
    json!({
        "type": "string",
        "pattern": DATE_PATTERN,
        "description": "a date: YYYY-MM-DD (also YYYY/MM/DD or YYYY年M月D日)",
    })
}
