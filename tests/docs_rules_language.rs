//! The examples of docs/rules.md's "Patterns, versions in force and the
//! lint" work as written: the catalog and the two versions load and judge
//! bundles either side of the switch by the right version, the pattern of
//! the catalog and of `matches` judge values, and the mistake is reported
//! with the note the page shows.

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::{Report, Severity, Status};
use dossier::rules::{RuleFile, RuleSet};

/// The block of the page whose first line is `# example: NAME`.
fn example(name: &str) -> String {
    let doc = std::fs::read_to_string("docs/rules.md").unwrap();
    let marker = format!("```yaml\n# example: {name}\n");
    let start = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("no example `{name}`"))
        + marker.len();
    doc[start..start + doc[start..].find("```").unwrap()].to_string()
}

fn files(version_2025: &str) -> Vec<RuleFile> {
    let file = |path: &str, text: String| RuleFile {
        path: path.into(),
        text,
    };
    vec![
        file("catalog.yaml", example("catalog")),
        file("operations/market.shop.open.yaml", example("version 2024")),
        file(
            "operations/market.shop.open@2025.yaml",
            version_2025.to_string(),
        ),
    ]
}

fn check(submitted_on: &str, permit: &str) -> Report {
    let rules = RuleSet::from_files("docs", files(&example("version 2025")), Limits::default())
        .unwrap_or_else(|e| panic!("the docs examples load:\n{e}"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("files")).unwrap();
    std::fs::write(dir.path().join("files/p.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let manifest = format!(
        "format: dossier.bundle/v1\noperation: market.shop.open\nsubmitted_on: {submitted_on}\nparties:\n  m: {{ role: merchant, name: 示例餐饮有限公司, shop_code: SH123456 }}\ndocuments:\n  - type: food_permit\n    holder: m\n    file: files/p.pdf\n    fields: {{ number: \"{permit}\", valid_until: 2026-01-01 }}\n"
    );
    std::fs::write(dir.path().join("bundle.yaml"), manifest).unwrap();
    rules.check_path(dir.path(), &CheckOptions::default())
}

#[test]
fn the_versions_judge_either_side_of_the_switch() {
    let before = check("2025-06-15", "JY12345678901234");
    assert_eq!(before.operation_version.as_deref(), Some("2024"));
    assert!(before.findings.iter().all(|f| f.rule != "permit.valid"));
    let after = check("2025-06-16", "JY12345678901234");
    assert_eq!(after.operation_version.as_deref(), Some("2025"));
    let permit: Vec<Status> = after
        .findings
        .iter()
        .filter(|f| f.rule == "permit.valid")
        .map(|f| f.status)
        .collect();
    assert_eq!(permit, vec![Status::Pass], "{after:#?}");
}

#[test]
fn matches_refuses_a_permit_number_of_another_shape() {
    let report = check("2025-06-16", "JY1234");
    assert_eq!(report.failing_rules(Severity::Error), vec!["permit.valid"]);
}

#[test]
fn the_mistake_is_reported_with_the_note_the_page_shows() {
    let with_mistake = format!("{}{}", example("version 2025"), example("mistake"));
    let errors = RuleSet::from_files("docs", files(&with_mistake), Limits::default())
        .expect_err("the mistake must not load")
        .to_string();
    assert!(
        errors.contains("`doc.valid_until > \"2025-06-16\"` compares a date with text"),
        "{errors}"
    );
    let doc = std::fs::read_to_string("docs/rules.md").unwrap();
    assert!(doc.contains("on_or_after(doc.valid_until, date(\"2025-06-16\"))"));
    assert!(
        errors.contains("on_or_after(doc.valid_until, date(\"2025-06-16\"))"),
        "{errors}"
    );
}

/// A bundle for the shop examples, at `dir`, with a permit numbered `permit`.
fn shop_bundle(dir: &std::path::Path, permit: &str) {
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("files/p.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let manifest = format!(
        "format: dossier.bundle/v1\noperation: market.shop.open\nsubmitted_on: 2025-06-01\nparties:\n  m: {{ role: merchant, name: 示例餐饮有限公司, shop_code: SH123456 }}\ndocuments:\n  - type: food_permit\n    holder: m\n    file: files/p.pdf\n    fields: {{ number: \"{permit}\", valid_until: 2026-01-01 }}\n"
    );
    std::fs::write(dir.join("bundle.yaml"), manifest).unwrap();
}

fn dossier_test(args: &[&str]) -> (i32, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("test")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn the_rule_test_runs_and_keeps_the_snapshots_the_page_lists() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("my-rules");
    for file in files(&example("version 2025")) {
        let path = rules.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.text).unwrap();
    }
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::write(
        rules.join("tests/market.shop.open.yaml"),
        example("rule test"),
    )
    .unwrap();
    shop_bundle(&dir.path().join("bundles/shop"), "JY12345678901234");
    shop_bundle(&dir.path().join("bundles/shop-bad-permit"), "JY1234");
    let rules_arg = rules.display().to_string();

    let (code, text) = dossier_test(&[&rules_arg]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("rule tests: 2 passed, 0 failed"), "{text}");
    // A rule both versions keep is one rule no case fails, listed once.
    assert_eq!(
        text.matches("market.shop.open: merchant.named").count(),
        1,
        "{text}"
    );

    let (code, text) = dossier_test(&[&rules_arg, "--snapshot"]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        text.matches("no snapshot yet; run with --update after review")
            .count(),
        4,
        "{text}"
    );
    let (code, text) = dossier_test(&[&rules_arg, "--update"]);
    assert_eq!(code, 0, "{text}");

    // The files the page lists, and no others.
    let doc = std::fs::read_to_string("docs/rules.md").unwrap();
    let listed: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("my-rules/tests/market.shop.open.snapshots/"))
        .collect();
    let mut kept: Vec<String> = std::fs::read_dir(rules.join("tests/market.shop.open.snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(kept, listed_sorted);
    let failed = std::fs::read_to_string(
        rules.join("tests/market.shop.open.snapshots/permit-of-another-shape.en.txt"),
    )
    .unwrap();
    assert!(
        failed.starts_with("FAIL  ../../bundles/shop-bad-permit\n"),
        "{failed}"
    );
    assert!(failed.contains("✗ permit.valid"), "{failed}");

    let (code, text) = dossier_test(&[&rules_arg, "--snapshot"]);
    assert_eq!(code, 0, "{text}");
}
