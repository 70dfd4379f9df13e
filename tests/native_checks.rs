//! Checks and message placeholders of simple shapes run natively
//! (`script::Native`); this proves that changes no report: every shipped
//! fixture is judged by the shipped rules twice, once as loaded and once with
//! every script left to rhai, and the two JSON reports (both languages,
//! personal data shown and masked) must be the same. It also pins which
//! shipped checks and placeholders are recognised, so a change to the
//! recogniser or to the rules that silently moves them all back to rhai (or
//! wrongly forward) is seen.

mod support;

use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{RenderOptions, report_value};
use dossier::rules::{Rule, RuleSet, Template};

fn as_of(case: &Path) -> CheckOptions {
    let expect: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(case.join("expect.yaml")).unwrap()).unwrap();
    let date = expect
        .get("as_of")
        .and_then(|d| d.as_str())
        .map(|d| d.parse().unwrap());
    CheckOptions::as_of(date)
}

/// Every message template of a rule: its own and its checks'.
fn templates(rule: &mut Rule) -> Vec<&mut Template> {
    let mut templates: Vec<&mut Template> = Vec::new();
    templates.extend(rule.skip.as_mut());
    templates.extend(rule.pass.as_mut());
    templates.extend(rule.hint.as_mut());
    templates.extend(rule.require.as_mut().and_then(|r| r.missing.as_mut()));
    for check in &mut rule.checks {
        templates.push(&mut check.fail);
        templates.extend(check.hint.as_mut());
    }
    templates
}

/// Whether a placeholder only reads `variable.field`: the engine reads
/// those from the scope, with neither rhai nor the native path.
fn reads_a_field(source: &str) -> bool {
    let is_name =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    source
        .split_once('.')
        .is_some_and(|(variable, field)| is_name(variable) && is_name(field))
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
            for template in templates(rule) {
                for placeholder in &mut template.placeholders {
                    placeholder.native = None;
                }
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

/// Every shipped placeholder the interpreter would run is native but those
/// that call a helper not evaluated natively (`birth_date`); a placeholder
/// that only reads `variable.field` needs neither (read from the scope).
#[test]
fn the_shipped_simple_placeholders_are_recognised() {
    let mut rules = RuleSet::embedded().expect("the shipped rules load");
    let mut native = Vec::new();
    let mut interpreted = Vec::new();
    for operation in &mut rules.operations {
        for rule in &mut operation.rules {
            for template in templates(rule) {
                for placeholder in &template.placeholders {
                    let source = placeholder.source.trim().to_string();
                    if placeholder.native.is_some() {
                        native.push(source);
                    } else if !reads_a_field(&source) {
                        interpreted.push(source);
                    }
                }
            }
        }
    }
    assert!(
        interpreted.iter().all(|s| s.starts_with("birth_date(")),
        "{interpreted:#?}"
    );
    for shape in ["judged_on", "age_on(", "days_between("] {
        assert!(
            native.iter().any(|s| s.starts_with(shape)),
            "no native {shape}: {native:#?}"
        );
    }
}
