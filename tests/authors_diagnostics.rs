//! Rule-set load errors and manifest errors, rendered as a rule author sees
//! them: one snapshot per kind of error the loader knows, each with the line
//! of the file and a caret under the place. Plus `dossier rules lint` on a
//! folder with three different mistakes, all listed in one run.

use std::path::Path;
use std::process::Command;

use dossier::Position;
use dossier::diagnostic::{render_load_errors, render_manifest_error};
use dossier::limits::Limits;
use dossier::rules::{LoadError, LoadErrorKind, LoadErrors, RuleFile, RuleSet};

const CATALOG: &str = r#"roles:
  enterprise:
    title: { zh: 企业, en: enterprise }
    fields:
      name: { type: company_name, required: true }
materials:
  business_license:
    title: { zh: 营业执照, en: business licence }
    holders: [enterprise]
    fields:
      name: company_name
      valid_until: date_or_long_term
"#;

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
  - id: license.matches
    title: { zh: 名称一致, en: name matches }
    severity: error
    for_each: { material: business_license }
    checks:
      - assert: same_name(doc.name, enterprise.name)
        at: doc.name
        fail: { zh: "名称不一致", en: "the name differs" }
"#;

const OPERATION_FILE: &str = "operations/demo.open.yaml";

fn files(catalog: &str, operation: &str) -> Vec<RuleFile> {
    vec![
        RuleFile {
            path: "catalog.yaml".into(),
            text: catalog.into(),
        },
        RuleFile {
            path: OPERATION_FILE.into(),
            text: operation.into(),
        },
    ]
}

fn errors_of(files: &[RuleFile]) -> LoadErrors {
    RuleSet::from_files("test", files.to_vec(), Limits::default())
        .expect_err("the rule set must not load")
}

fn rendered(files: &[RuleFile]) -> String {
    render_load_errors(&errors_of(files), "rules", files, false)
}

/// The operation with `from` replaced by `to` (which must occur).
fn operation_with(from: &str, to: &str) -> Vec<RuleFile> {
    assert!(OPERATION.contains(from), "{from}");
    files(CATALOG, &OPERATION.replacen(from, to, 1))
}

fn catalog_with(from: &str, to: &str) -> Vec<RuleFile> {
    assert!(CATALOG.contains(from), "{from}");
    files(&CATALOG.replacen(from, to, 1), OPERATION)
}

#[test]
fn the_base_rule_set_loads() {
    RuleSet::from_files("test", files(CATALOG, OPERATION), Limits::default()).unwrap();
}

macro_rules! diagnostic_snapshot {
    ($name:ident, $files:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(rendered(&$files));
        }
    };
}

diagnostic_snapshot!(
    unknown_key,
    operation_with(
        "    severity: error\n    for_each: enterprise",
        "    severity: error\n    colour: red\n    for_each: enterprise"
    )
);
diagnostic_snapshot!(
    missing_key,
    operation_with(
        "    title: { zh: 提供营业执照, en: licence provided }\n",
        ""
    )
);
diagnostic_snapshot!(
    wrong_type,
    operation_with("title: { zh: 演示, en: demo }", "title: demo")
);
diagnostic_snapshot!(
    unknown_material,
    operation_with("require: business_license", "require: business_licence")
);
diagnostic_snapshot!(
    unknown_role,
    operation_with(
        "  enterprise: { count: one }",
        "  enterprise: { count: one }\n  employee: { count: one_or_more }"
    )
);
diagnostic_snapshot!(
    unknown_field,
    operation_with("fields: [name]", "fields: [nmae]")
);
diagnostic_snapshot!(
    unknown_field_in_script,
    operation_with("same_name(doc.name,", "same_name(doc.title,")
);
diagnostic_snapshot!(
    invalid_pattern_in_catalog,
    catalog_with(
        "      name: company_name\n",
        "      name: { type: company_name, pattern: '[A-Z]+(', shape: { zh: 大写字母, en: capital letters } }\n"
    )
);
diagnostic_snapshot!(
    invalid_pattern_in_matches,
    operation_with(
        "assert: same_name(doc.name, enterprise.name)",
        "assert: matches(doc.name, \"[0-9]{2,1}\")"
    )
);
diagnostic_snapshot!(
    pattern_of_matches_not_a_literal,
    operation_with(
        "assert: same_name(doc.name, enterprise.name)",
        "assert: matches(doc.name, enterprise.name)"
    )
);
diagnostic_snapshot!(
    unknown_field_type,
    catalog_with(
        "valid_until: date_or_long_term",
        "valid_until: date_or_longterm"
    )
);
diagnostic_snapshot!(
    unknown_variable,
    operation_with("at: doc.name", "at: licence.name")
);
diagnostic_snapshot!(
    unknown_variable_in_script,
    operation_with("enterprise.name)", "company.name)")
);
diagnostic_snapshot!(
    duplicate_key,
    operation_with(
        "    severity: error\n    for_each: enterprise",
        "    severity: error\n    severity: warning\n    for_each: enterprise"
    )
);
diagnostic_snapshot!(
    rhai_syntax_error_plain,
    operation_with("enterprise.name)", "enterprise.name")
);
diagnostic_snapshot!(
    rhai_syntax_error_quoted,
    operation_with(
        "assert: same_name(doc.name, enterprise.name)",
        "assert: \"same_name(doc.name, enterprise.name\""
    )
);
diagnostic_snapshot!(
    rhai_syntax_error_block,
    operation_with(
        "assert: same_name(doc.name, enterprise.name)",
        "assert: |\n          same_name(doc.name,\n            enterprise.name))"
    )
);
diagnostic_snapshot!(
    rhai_syntax_error_block_unclosed,
    operation_with(
        "assert: same_name(doc.name, enterprise.name)",
        "assert: |\n          same_name(doc.name,\n            enterprise.name"
    )
);
diagnostic_snapshot!(
    rhai_syntax_error_in_placeholder,
    operation_with(
        "en: \"the name differs\"",
        "en: \"the name {doc.name +} differs\""
    )
);
diagnostic_snapshot!(
    yaml_syntax_error,
    operation_with(
        "    severity: error\n    for_each: enterprise",
        "    severity: error\n   for_each: enterprise"
    )
);
diagnostic_snapshot!(
    bad_calendar,
    [
        RuleFile {
            path: "catalog.yaml".into(),
            text: format!("calendar: calendar/cn.yaml\n{CATALOG}"),
        },
        RuleFile {
            path: OPERATION_FILE.into(),
            text: OPERATION.into(),
        },
        RuleFile {
            path: "calendar/cn.yaml".into(),
            text: "calendar: cn\nyears:\n  - year: 2024\n    source: test\n    holidays:\n      - name: 元旦\n        off: [2025-01-01, 2025-01-01]\n".into(),
        },
    ]
);

#[test]
fn operation_defined_twice() {
    let mut files = files(CATALOG, OPERATION);
    files.push(RuleFile {
        path: "operations/demo.copy.yaml".into(),
        text: OPERATION.into(),
    });
    insta::assert_snapshot!(rendered(&files));
}

/// The YAML reader refuses repeated keys before the catalog sees them, so a
/// `Duplicate` error is built here to show how it renders: both places.
#[test]
fn duplicate_definition_points_at_both() {
    let files = files(CATALOG, OPERATION);
    let errors = LoadErrors(vec![LoadError::new(
        "catalog.yaml",
        Some(Position { line: 7, column: 3 }),
        LoadErrorKind::Duplicate {
            what: "material",
            name: "business_license".into(),
            first_line: 2,
        },
    )]);
    insta::assert_snapshot!(render_load_errors(&errors, "rules", &files, false));
}

#[test]
fn a_missing_catalog_has_no_source_line() {
    let files = vec![RuleFile {
        path: OPERATION_FILE.into(),
        text: OPERATION.into(),
    }];
    insta::assert_snapshot!(rendered(&files));
}

#[test]
fn colour_only_when_asked() {
    let files = operation_with("require: business_license", "require: business_licence");
    let errors = errors_of(&files);
    assert!(!render_load_errors(&errors, "rules", &files, false).contains('\u{1b}'));
    assert!(render_load_errors(&errors, "rules", &files, true).contains('\u{1b}'));
}

#[test]
fn manifest_syntax_error_shows_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("bundle.yaml");
    std::fs::write(
        &manifest,
        "format: dossier.bundle/v1\nparties:\n  lisi:\n    role: employee\n   name: 李四\n",
    )
    .unwrap();
    let bundle = dossier::internals::load_bundle(dir.path(), &Limits::default());
    let error = bundle.manifest.expect_err("the manifest does not parse");
    let text = render_manifest_error(&manifest, &error, dossier::lang::Lang::En, false)
        .replace(&dir.path().display().to_string(), "BUNDLE");
    insta::assert_snapshot!(text);
}

#[test]
fn rules_lint_lists_every_mistake_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let operation = OPERATION
        .replacen(
            "    for_each: enterprise",
            "    colour: red\n    for_each: enterprise",
            1,
        )
        .replacen("require: business_license", "require: business_licence", 1)
        .replacen("enterprise.name)", "enterprise.name", 1);
    for (path, text) in [
        ("catalog.yaml", CATALOG),
        (OPERATION_FILE, operation.as_str()),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["rules", "lint"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let file = Path::new(&dir.path().display().to_string()).join(OPERATION_FILE);
    for (place, what) in [
        ("10:5", "unknown key `colour`"),
        ("12:14", "unknown material `business_licence`"),
        ("19:52", "script error"),
    ] {
        assert!(
            stderr.contains(&format!("{}:{place}", file.display())),
            "{place} missing in:\n{stderr}"
        );
        assert!(stderr.contains(what), "{what} missing in:\n{stderr}");
    }
    assert!(stderr.contains("3 problems"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no colour off a terminal");
}
