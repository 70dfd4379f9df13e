//! Every fixture bundle, end to end: its verdict and the exact set of rules
//! that fail or warn (from its `expect.yaml`, written from the spec), plus
//! snapshots of the text report in both languages and of the JSON report.

mod support;

use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{RenderOptions, report_value, text};
use dossier::report::{Severity, Verdict};
use dossier::rules::RuleSet;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectation {
    defect: String,
    verdict: String,
    fails: Option<Vec<String>>,
    warns: Option<Vec<String>>,
    /// Judge as if on this date (`--as-of`), e.g. to show a submission date in the future.
    as_of: Option<chrono::NaiveDate>,
}

fn expectation(case: &Path) -> Expectation {
    serde_yaml::from_str(&std::fs::read_to_string(case.join("expect.yaml")).unwrap()).unwrap()
}

fn options(case: &Path) -> CheckOptions {
    CheckOptions::as_of(expectation(case).as_of)
}

fn sorted(list: Option<Vec<String>>) -> Vec<String> {
    let mut list = list.unwrap_or_default();
    list.sort();
    list
}

fn snapshot_name(case: &Path) -> String {
    let operation = case
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    let name = case.file_name().unwrap().to_string_lossy();
    format!("{operation}__{name}")
}

#[test]
fn every_fixture_gives_its_expected_verdict_and_rules() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let mut mismatches = Vec::new();
    for case in support::fixture_paths() {
        let expect = expectation(&case);
        let report = rules.check_path(&case, &options(&case));
        let verdict = match report.verdict() {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
        };
        let mut fails: Vec<String> = report
            .failing_rules(Severity::Error)
            .into_iter()
            .map(String::from)
            .collect();
        let mut warns: Vec<String> = report
            .failing_rules(Severity::Warning)
            .into_iter()
            .map(String::from)
            .collect();
        fails.sort();
        warns.sort();
        let rule_errors: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.rule_error)
            .map(|f| f.rule.as_str())
            .collect();
        if verdict != expect.verdict
            || fails != sorted(expect.fails)
            || warns != sorted(expect.warns)
            || !rule_errors.is_empty()
        {
            mismatches.push(format!(
                "{}: ({}) got {verdict} fails {fails:?} warns {warns:?} rule errors {rule_errors:?}",
                case.display(),
                expect.defect
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_fixture_report_matches_its_snapshot() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let zh = RenderOptions::in_language(Lang::Zh);
    let mut en = RenderOptions::in_language(Lang::En);
    en.explain = true;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/fixtures");
    settings.set_prepend_module_to_snapshot(false);
    // The rule set's digest changes with every rule edit; that it is named is what counts.
    settings.add_filter(
        r#"(rules_sha256[":\s=a-z]{0,12})[0-9a-f]{64}"#,
        "${1}[rules sha256]",
    );
    settings.add_filter(
        r"(规则集 sha256 |rule set sha256 )[0-9a-f]{64}",
        "${1}[rules sha256]",
    );
    settings.bind(|| {
        for case in support::fixture_paths() {
            let report = rules.check_path(&case, &options(&case));
            let name = snapshot_name(&case);
            insta::assert_snapshot!(format!("{name}__text_zh"), text(&report, &zh));
            insta::assert_snapshot!(format!("{name}__text_en"), text(&report, &en));
            insta::assert_json_snapshot!(format!("{name}__json"), report_value(&report, &en));
        }
    });
}
