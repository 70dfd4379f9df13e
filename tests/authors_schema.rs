//! The JSON Schemas agree with the loaders: the committed copies are what
//! `dossier schema` prints; every fixture the loader accepts in shape, every
//! shipped rule file, rule test file and `dossier init` template validates;
//! documents the loader refuses for their shape are refused by the schema.

use std::path::{Path, PathBuf};

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::bundle_template_with_schema;
use dossier::report::{Severity, Status};
use dossier::rules::RuleSet;
use dossier::schema;
use serde_json::Value;

fn yaml_value(text: &str) -> Value {
    serde_yaml::from_str(text).expect("YAML reads as JSON")
}

fn validator(kind: &str) -> jsonschema::Validator {
    let rules = RuleSet::embedded().unwrap();
    let value = schema::by_kind(kind, &rules).unwrap();
    jsonschema::draft202012::new(&value).expect("the schema is a valid 2020-12 schema")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_current() {
    let rules = RuleSet::embedded().unwrap();
    for (kind, file) in schema::KINDS {
        let printed = schema::to_text(&schema::by_kind(kind, &rules).unwrap());
        let committed =
            std::fs::read_to_string(Path::new("docs/schema").join(file)).unwrap_or_default();
        assert!(
            committed == printed,
            "docs/schema/{file} is stale; run: cargo run -- schema --output-dir docs/schema"
        );
    }
}

/// Envelope rules whose failures are about the manifest's shape, which a
/// schema can express (keys, the format, operation and role names, the
/// submission date's spelling, a value that is not a date).
const SHAPE_RULES: [&str; 4] = [
    "bundle.keys",
    "bundle.readable",
    "bundle.submitted_on",
    "party.role",
];

/// Fixtures whose only shape problem is a value a schema can see (month
/// 13, a period where one date belongs, a list where one file belongs, a
/// yes/no written in words no spelling accepts).
const REFUSED_BY_PATTERN: [&str; 4] = [
    "fail-field.type-date",
    "fail-field.type-date-period",
    "fail-document.file-list",
    "fail-field.type-sealed-spelling",
];

/// Shape failures no schema can see: a day that does not exist in its month.
const BEYOND_A_SCHEMA: [&str; 1] = ["fail-bundle.submitted_on"];

fn manifests() -> Vec<(PathBuf, PathBuf)> {
    let mut found = Vec::new();
    for operation in std::fs::read_dir("fixtures").unwrap() {
        for case in std::fs::read_dir(operation.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            for name in ["bundle.yaml", "bundle.yml", "bundle.json"] {
                if case.join(name).exists() {
                    found.push((case.clone(), case.join(name)));
                }
            }
        }
    }
    found.sort();
    found
}

#[test]
fn fixtures_validate_exactly_when_the_loader_accepts_their_shape() {
    let rules = RuleSet::embedded().unwrap();
    let validator = validator("bundle");
    let mut disagreements = Vec::new();
    let mut refused = 0;
    for (case, manifest) in manifests() {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let report = rules.check_path(&case, &CheckOptions::default());
        let shape_failures: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail && f.severity == Severity::Error)
            .map(|f| f.rule.as_str())
            .filter(|rule| SHAPE_RULES.contains(rule))
            .collect();
        // A manifest saved as GB18030 is read as such (with a warning).
        let bytes = std::fs::read(&manifest).unwrap();
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|_| encoding_rs::GB18030.decode(&bytes).0.into_owned());
        let Ok(instance) = serde_yaml::from_str::<Value>(&text) else {
            // Not YAML at all: the loader says bundle.readable, no schema can.
            assert!(shape_failures.contains(&"bundle.readable"), "{name}");
            refused += 1;
            continue;
        };
        let problems = errors(&validator, &instance);
        if BEYOND_A_SCHEMA.contains(&name.as_str()) {
            assert!(
                !shape_failures.is_empty() && problems.is_empty(),
                "{name}: {problems:?}"
            );
            continue;
        }
        let should_refuse =
            !shape_failures.is_empty() || REFUSED_BY_PATTERN.contains(&name.as_str());
        if should_refuse {
            refused += 1;
        }
        if should_refuse == problems.is_empty() {
            disagreements.push(format!(
                "{name}: loader shape failures {shape_failures:?}, schema errors {problems:?}"
            ));
        }
    }
    assert!(refused >= 5, "only {refused} fixtures were refused");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

fn rule_files(under: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new("rules").join(under))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_rule_files_validate() {
    let rules = validator("rules");
    let catalog = validator("catalog");
    let operation = validator("operation");
    let calendar = validator("calendar");
    let tests = validator("tests");
    let check = |validator: &jsonschema::Validator, path: &Path| {
        let instance = yaml_value(&std::fs::read_to_string(path).unwrap());
        let problems = errors(validator, &instance);
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
        instance
    };
    let instance = check(&catalog, Path::new("rules/catalog.yaml"));
    assert!(rules.is_valid(&instance));
    for path in rule_files("operations") {
        let instance = check(&operation, &path);
        assert!(rules.is_valid(&instance), "{}", path.display());
    }
    for path in rule_files("calendar") {
        check(&calendar, &path);
    }
    for path in rule_files("tests") {
        check(&tests, &path);
    }
}

const OPERATION: &str = r#"operation: demo.open
version: "1"
title: { zh: 演示, en: demo }
roles:
  enterprise: { count: one }
rules:
  - id: license.present
    title: { zh: 提供营业执照, en: licence provided }
    severity: error
    for_each: enterprise
    require: business_license
    fields: [name]
"#;

/// Broken operations that the loader refuses for their shape; each must be
/// refused by the operation schema and by the combined rules schema.
#[test]
fn operations_the_loader_refuses_for_shape_are_refused() {
    let operation = validator("operation");
    let rules = validator("rules");
    assert!(operation.is_valid(&yaml_value(OPERATION)));
    let broken = [
        (
            "unknown key",
            "    severity: error\n",
            "    severity: error\n    colour: red\n",
        ),
        (
            "missing key",
            "    title: { zh: 提供营业执照, en: licence provided }\n",
            "",
        ),
        ("wrong type", "title: { zh: 演示, en: demo }", "title: demo"),
        (
            "missing language",
            "title: { zh: 演示, en: demo }",
            "title: { zh: 演示 }",
        ),
        ("unknown severity", "severity: error", "severity: fatal"),
        ("unknown count", "count: one", "count: two"),
        (
            "neither require nor checks",
            "    require: business_license\n    fields: [name]\n",
            "",
        ),
        (
            "fields without require",
            "    require: business_license\n",
            "",
        ),
        (
            "rules not a list",
            "rules:\n  - id",
            "rules:\n  one:\n    id",
        ),
    ];
    for (what, from, to) in broken {
        assert!(OPERATION.contains(from), "{what}");
        let instance = yaml_value(&OPERATION.replacen(from, to, 1));
        assert!(
            !operation.is_valid(&instance),
            "operation schema accepts: {what}"
        );
        assert!(!rules.is_valid(&instance), "rules schema accepts: {what}");
    }
}

#[test]
fn catalogs_the_loader_refuses_for_shape_are_refused() {
    let catalog = validator("catalog");
    let base = "roles:\n  enterprise:\n    title: { zh: 企业, en: enterprise }\n    fields:\n      name: { type: company_name, required: true }\nmaterials: {}\n";
    assert!(catalog.is_valid(&yaml_value(base)));
    for (what, from, to) in [
        ("unknown field type", "type: company_name", "type: company"),
        (
            "unknown key",
            "required: true",
            "required: true, colour: red",
        ),
        (
            "missing fields",
            "    fields:\n      name: { type: company_name, required: true }\n",
            "",
        ),
        ("missing materials", "materials: {}\n", ""),
    ] {
        let instance = yaml_value(&base.replacen(from, to, 1));
        assert!(
            !catalog.is_valid(&instance),
            "catalog schema accepts: {what}"
        );
    }
}

#[test]
fn init_templates_validate() {
    let rules = RuleSet::embedded().unwrap();
    let validator = validator("bundle");
    for operation in &rules.operations {
        for lang in [Lang::Zh, Lang::En] {
            let text =
                bundle_template_with_schema(&rules, operation, lang, Some("bundle.schema.json"));
            assert!(text.starts_with("# yaml-language-server: $schema=bundle.schema.json\n"));
            let problems = errors(&validator, &yaml_value(&text));
            assert!(
                problems.is_empty(),
                "{} {lang:?}: {problems:?}",
                operation.id
            );
        }
    }
}
