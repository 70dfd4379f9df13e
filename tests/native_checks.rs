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
    // The one check that declares a variable (`let licence = …`) is native
    // too.
    assert!(interpreted.is_empty(), "{interpreted:#?}");
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

/// The deregister check that reads the enterprise's licence
/// (`let licence = document_of(enterprise, "business_license"); …`), on
/// bundles made from a passing fixture: no licence, one held by another
/// party, two (either one naming someone else), one without or with a blank
/// or another legal representative, a licence held by a party whose role is
/// unknown, two enterprises. Natively and in rhai, the same reports.
#[test]
fn the_licence_check_gives_the_same_report_natively_on_every_variant() {
    let native = RuleSet::embedded().expect("the shipped rules load");
    let interpreted = interpreted();
    let fixture = Path::new("fixtures/douyin.employee_account.deregister/pass-two-employees");
    let options = as_of(fixture);
    let bundle = std::fs::read_to_string(fixture.join("bundle.yaml")).unwrap();
    let licence = "  - type: business_license
    holder: company
    file: files/business_license.pdf
    sha256: 817f59cdd037a401ca37a7f01efcedd985bebe4413ec8f634b2ba0e3c84ac7a4
    fields:
      name: 武汉木棉数字科技有限公司
      uscc: \"91420106509713433M\"
      legal_representative: 黄俊峰
      valid_until: 2045-02-09
";
    assert!(bundle.contains(licence), "the fixture changed");
    let naming = |who: &str| licence.replace("黄俊峰", who);
    let held_by = |party: &str| licence.replace("holder: company", &format!("holder: {party}"));
    let stranger = "parties:
  stranger:
    role: auditor
    name: 王五
";
    let second_enterprise = "parties:
  other:
    role: enterprise
    name: 武汉木棉数字科技有限公司
    uscc: \"91420106509713433M\"
";
    let variants: Vec<(&str, String)> = vec![
        ("as it is", bundle.clone()),
        ("no licence", bundle.replace(licence, "")),
        (
            "held by the legal representative",
            bundle.replace(licence, &held_by("huangjunfeng")),
        ),
        (
            "two, the first another name",
            bundle.replace(licence, &format!("{}{licence}", naming("王五"))),
        ),
        (
            "two, the second another name",
            bundle.replace(licence, &format!("{licence}{}", naming("王五"))),
        ),
        (
            "no legal representative",
            bundle.replace("      legal_representative: 黄俊峰\n", ""),
        ),
        ("a blank one", bundle.replace(licence, &naming("\"  \""))),
        ("another one", bundle.replace(licence, &naming("王五"))),
        (
            "held by a party of no known role",
            bundle
                .replace("parties:\n", stranger)
                .replace(licence, &held_by("stranger")),
        ),
        (
            "two enterprises",
            bundle
                .replace("parties:\n", second_enterprise)
                .replace(licence, &format!("{}{}", naming("王五"), held_by("other"))),
        ),
    ];
    let render = RenderOptions::in_language(Lang::En);
    let mut reports = Vec::new();
    for (variant, text) in &variants {
        let folder = tempfile::tempdir().unwrap();
        let case = folder.path().join("bundle");
        std::fs::create_dir_all(case.join("files")).unwrap();
        for file in std::fs::read_dir(fixture.join("files")).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), case.join("files").join(file.file_name())).unwrap();
        }
        std::fs::write(case.join("bundle.yaml"), text).unwrap();
        let fast = report_value(&native.check_path(&case, &options), &render);
        let slow = report_value(&interpreted.check_path(&case, &options), &render);
        assert_eq!(fast, slow, "{variant} differs when checks run natively");
        reports.push(fast.to_string());
    }
    // The variants reach the check: another name fails it.
    assert_ne!(reports[0], reports[7]);
    assert!(
        !reports[0].contains("is not the legal representative registered on the business licence")
    );
    assert!(
        reports[7].contains("is not the legal representative registered on the business licence"),
        "{}",
        reports[7]
    );
}
