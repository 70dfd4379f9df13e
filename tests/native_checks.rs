//! Checks of simple shapes run natively (`script::Native`); this proves that
//! changes no report: every shipped fixture is judged by the shipped rules
//! twice, once as loaded and once with every script left to rhai, and the
//! two JSON reports (both languages, personal data shown and masked) must be
//! the same. It also pins which shipped checks are recognised, so a change
//! to the recogniser or to the rules that silently moves them all back to
//! rhai (or wrongly forward) is seen.

mod support;

use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{RenderOptions, report_value};
use dossier::rules::RuleSet;

fn as_of(case: &Path) -> CheckOptions {
    let expect: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(case.join("expect.yaml")).unwrap()).unwrap();
    let date = expect
        .get("as_of")
        .and_then(|d| d.as_str())
        .map(|d| d.parse().unwrap());
    CheckOptions::as_of(date)
}

/// The same rules with every script left to the interpreter.
fn interpreted() -> RuleSet {
    let mut rules = RuleSet::embedded().expect("the shipped rules load");
    for operation in &mut rules.operations {
        for rule in &mut operation.rules {
            if let Some(when) = &mut rule.when {
                when.native = None;
            }
            for check in &mut rule.checks {
                check.assert.native = None;
            }
        }
    }
    rules
}

#[test]
fn every_fixture_gets_the_same_report_with_and_without_native_checks() {
    let native = RuleSet::embedded().expect("the shipped rules load");
    let interpreted = interpreted();
    let mut renderings = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let mut options = RenderOptions::in_language(lang);
        renderings.push(options);
        options.show_personal_data = true;
        renderings.push(options);
    }
    let cases = support::fixture_paths();
    for case in &cases {
        let options = as_of(case);
        let fast = native.check_path(case, &options);
        let slow = interpreted.check_path(case, &options);
        for render in &renderings {
            assert_eq!(
                report_value(&fast, render),
                report_value(&slow, render),
                "{} differs when checks run natively",
                case.display()
            );
        }
    }
}

/// Every shipped check but the ones that need the interpreter is native.
#[test]
fn the_shipped_simple_checks_are_recognised() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let mut native = 0;
    let mut interpreted = Vec::new();
    for operation in &rules.operations {
        for rule in &operation.rules {
            let scripts = rule
                .when
                .iter()
                .chain(rule.checks.iter().map(|c| &c.assert));
            for script in scripts {
                if script.native.is_some() {
                    native += 1;
                } else {
                    interpreted.push(script.source.trim().to_string());
                }
            }
        }
    }
    // The one check that declares a variable (`let licence = …`) needs rhai.
    assert_eq!(interpreted.len(), 1, "{interpreted:#?}");
    assert!(
        interpreted[0].starts_with("let licence"),
        "{interpreted:#?}"
    );
    assert!(native >= 40, "only {native} checks run natively");
}
