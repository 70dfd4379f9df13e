//! Patterns rule authors write: a catalog field's `pattern:` judges every
//! value of that field, and `matches(value, "pattern")` in a script, each
//! against the whole value.

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::limits::Limits;
use dossier::report::{Report, Status};
use dossier::rules::{RuleFile, RuleSet};

const CATALOG: &str = r#"roles:
  enterprise:
    title: { zh: 企业, en: enterprise }
    fields:
      name: { type: company_name, required: true }
      account:
        type: text
        pattern: '[a-z][a-z0-9_]{1,29}'
        shape: { zh: "2–30 位小写字母、数字或下划线,以字母开头", en: "2 to 30 lower-case letters, digits or underscores, starting with a letter" }
materials:
  business_license:
    title: { zh: 营业执照, en: business licence }
    holders: [enterprise]
    fields:
      name: company_name
      number: text
"#;

const OPERATION: &str = r#"operation: demo.open
version: "1"
title: { zh: 演示, en: demo }
roles:
  enterprise: { count: one }
rules:
  - id: license.number
    title: { zh: 执照编号格式, en: licence number format }
    severity: error
    for_each: { material: business_license }
    checks:
      - assert: matches(doc.number, "[0-9]{6}-[A-Z]")
        at: doc.number
        fail: { zh: "执照编号 {doc.number} 应为六位数字、连字符和一个大写字母", en: "the licence number {doc.number} must be six digits, a hyphen and a capital letter" }
"#;

fn rules() -> RuleSet {
    let files = vec![
        RuleFile {
            path: "catalog.yaml".into(),
            text: CATALOG.into(),
        },
        RuleFile {
            path: "operations/demo.open.yaml".into(),
            text: OPERATION.into(),
        },
    ];
    RuleSet::from_files("test", files, Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn check(account: &str, number: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("files")).unwrap();
    std::fs::write(dir.path().join("files/l.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let manifest = format!(
        "format: dossier.bundle/v1\noperation: demo.open\nsubmitted_on: 2025-03-03\nparties:\n  co: {{ role: enterprise, name: 示例科技有限公司, account: \"{account}\" }}\ndocuments:\n  - type: business_license\n    holder: co\n    file: files/l.pdf\n    fields: {{ name: 示例科技有限公司, number: \"{number}\" }}\n"
    );
    std::fs::write(dir.path().join("bundle.yaml"), manifest).unwrap();
    rules().check_path(dir.path(), &CheckOptions::default())
}

fn status(report: &Report, rule: &str) -> Vec<Status> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.status)
        .collect()
}

#[test]
fn a_value_of_the_catalog_shape_passes_and_a_matching_number_passes_the_script() {
    let report = check("shop_2025", "123456-A");
    assert!(
        !status(&report, "field.type").contains(&Status::Fail),
        "{report:#?}"
    );
    assert_eq!(status(&report, "license.number"), vec![Status::Pass]);
}

#[test]
fn a_value_off_the_catalog_shape_fails_field_type_with_the_shape_in_words() {
    // A prefix of the value would match; the whole value must.
    let report = check("Shop 2025!", "123456-A");
    let failure = report
        .findings
        .iter()
        .find(|f| f.rule == "field.type" && f.status == Status::Fail)
        .expect("field.type fails");
    assert_eq!(failure.path.as_deref(), Some("/parties/co/account"));
    let en = failure.message.render(Lang::En, true);
    assert!(
        en.contains("does not have the expected shape: 2 to 30 lower-case letters"),
        "{en}"
    );
    let zh = failure.message.render(Lang::Zh, true);
    assert!(zh.contains("格式不符,应为:2–30 位小写字母"), "{zh}");
}

#[test]
fn matches_judges_the_whole_value() {
    for number in ["123456-AB", "x123456-A", "12345-A"] {
        let report = check("shop", number);
        assert_eq!(
            status(&report, "license.number"),
            vec![Status::Fail],
            "{number}"
        );
    }
}
