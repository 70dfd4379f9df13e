//! The worked example of docs/rules.md works as written: its material and
//! operation load into the shipped rule set, and a bundle made from the
//! `dossier init` template of the new operation is judged by its rules.

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::limits::Limits;
use dossier::render::bundle_template;
use dossier::report::Status;
use dossier::rules::{RuleFile, RuleSet, embedded_files};

/// The YAML blocks of the worked example section, in order.
fn example_blocks() -> Vec<String> {
    let doc = std::fs::read_to_string("docs/rules.md").unwrap();
    let section = &doc[doc
        .find("## A worked example")
        .expect("worked example section")..];
    let section = &section[..section.find("\n## Checking").unwrap_or(section.len())];
    section
        .split("```yaml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_string())
        .collect()
}

fn example_rules() -> RuleSet {
    let blocks = example_blocks();
    let (material, operation) = (&blocks[0], &blocks[1]);
    let mut files = embedded_files();
    let catalog = files.iter_mut().find(|f| f.path == "catalog.yaml").unwrap();
    catalog.text = format!(
        "{}\n{}",
        catalog.text.trim_end(),
        material.replacen("materials:\n", "", 1)
    );
    files.push(RuleFile {
        path: "operations/douyin.employee_account.transfer.yaml".into(),
        text: operation.clone(),
    });
    RuleSet::from_files("docs example", files, Limits::default())
        .unwrap_or_else(|e| panic!("the docs example loads:\n{e}"))
}

#[test]
fn worked_example_loads_and_judges_a_bundle() {
    let rules = example_rules();
    let operation = rules
        .operation("douyin.employee_account.transfer")
        .expect("the new operation");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bundle.yaml"),
        bundle_template(&rules, operation, Lang::En),
    )
    .unwrap();
    let report = rules.check_path(dir.path(), &CheckOptions::default());
    let rules_seen: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    for id in [
        "business_license.present",
        "employee.id_card",
        "employee.handover_letter",
        "handover.consistent",
    ] {
        assert!(rules_seen.contains(&id), "{id} missing from {rules_seen:?}");
    }
    // An unfilled template is judged, not crashed on: its empty values are
    // reported missing (required details and the fields documents must show).
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "party.role" && f.status == Status::Fail)
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "employee.handover_letter" && f.status == Status::Fail)
    );
    assert!(
        report.findings.iter().all(|f| !f.rule_error),
        "{:#?}",
        report
            .findings
            .iter()
            .filter(|f| f.rule_error)
            .collect::<Vec<_>>()
    );
}
