//! Rule sets that do not load: every kind of mistake is reported with its
//! file, line and column, all of them in one run, and a broken rule set
//! checks nothing. Runaway scripts are stopped and reported as rule errors.

use std::path::Path;
use std::time::{Duration, Instant};

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::Status;
use dossier::rules::{LoadErrorKind, RuleFile, RuleSet, embedded_files};

const OPEN: &str = "operations/douyin.employee_account.open.yaml";

/// The shipped rule set with one file's text replaced.
fn with_change(path: &str, change: impl Fn(&str) -> String) -> Vec<RuleFile> {
    let mut files = embedded_files();
    let file = files
        .iter_mut()
        .find(|f| f.path == path)
        .expect("file in the rule set");
    let changed = change(&file.text);
    assert_ne!(changed, file.text, "the change must apply");
    file.text = changed;
    files
}

fn load(files: Vec<RuleFile>) -> Result<RuleSet, Vec<String>> {
    RuleSet::from_files("test", files, Limits::default())
        .map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn shipped_rules_load() {
    let rules = RuleSet::embedded().expect("embedded rules load");
    assert_eq!(
        rules.operation_ids(),
        vec![
            "douyin.employee_account.deregister",
            "douyin.employee_account.open"
        ]
    );
}

#[test]
fn unknown_key_unknown_material_and_syntax_error_are_all_reported_with_places() {
    let files = with_change(OPEN, |text| {
        text.replacen(
            "en: Enterprise account certified }\n    severity: error\n",
            "en: Enterprise account certified }\n    severity: error\n    severty: error\n",
            1,
        )
        .replacen(
            "require: business_license\n",
            "require: business_licence\n",
            1,
        )
        .replacen(
            "assert: enterprise.douyin_certified == true",
            "assert: enterprise.douyin_certified == = true",
            1,
        )
    });
    let text = files.iter().find(|f| f.path == OPEN).unwrap().text.clone();
    let errors = load(files).unwrap_err();
    let unknown_key = format!(
        "{OPEN}:{}:5: unknown key `severty`",
        line_of(&text, "severty")
    );
    let unknown_material = format!(
        "{OPEN}:{}:14: unknown material `business_licence`",
        line_of(&text, "business_licence")
    );
    let syntax = format!("{OPEN}:{}:", line_of(&text, "== = true"));
    assert!(
        errors.iter().any(|e| e.starts_with(&unknown_key)),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with(&unknown_material)),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&syntax) && e.contains("script error")),
        "{errors:#?}"
    );
}

#[test]
fn each_kind_of_load_error_names_its_place() {
    type Change = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "catalog.yaml",
            Box::new(|t: &str| t.replacen("type: company_name\n", "type: company\n", 1)),
            "unknown field type `company`",
        ),
        (
            "catalog.yaml",
            Box::new(|t: &str| t.replacen("holders: [enterprise]", "holders: [enterprize]", 1)),
            "unknown role `enterprize`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "  employee: { count: one_or_more }",
                    "  employee: { count: many }",
                    1,
                )
            }),
            "unknown count `many`",
        ),
        (
            OPEN,
            Box::new(|t: &str| t.replacen("for_each: enterprise\n", "for_each: director\n", 1)),
            "unknown role of this operation `director`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "at: enterprise.douyin_certified",
                    "at: enterprise.certified",
                    1,
                )
            }),
            "unknown field `certified`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "assert: enterprise.douyin_certified == true",
                    "assert: enterprise.certified == true",
                    1,
                )
            }),
            "unknown field `enterprise.certified`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "assert: enterprise.douyin_certified == true",
                    "assert: company.douyin_certified == true",
                    1,
                )
            }),
            "script error",
        ),
        (
            OPEN,
            Box::new(|t: &str| t.replacen("    severity: error\n", "    severity: fatal\n", 1)),
            "unknown severity `fatal`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "  - id: enterprise.certified\n",
                    "  - idd: enterprise.certified\n",
                    1,
                )
            }),
            "missing key `id`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "fields: [name, uscc, legal_representative, valid_until]",
                    "fields: [name, usc]",
                    1,
                )
            }),
            "unknown field `usc`",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen(
                    "imports: [lib/common.rhai]",
                    "imports: [lib/missing.rhai]",
                    1,
                )
            }),
            "imported file `lib/missing.rhai` not found",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen("roles:\n  enterprise: { count: one }\n  legal_representative: { count: one }\n  employee: { count: one_or_more }\n  contact: { count: optional }\n", "roles: [enterprise]\n", 1)
            }),
            "expected a map of names",
        ),
        (
            OPEN,
            Box::new(|t: &str| {
                t.replacen("title: { zh: 开通抖音企业号员工账号, en: Open a Douyin enterprise employee account }", "title: Open", 1)
            }),
            "expected a map",
        ),
        (
            "calendar/cn-mainland.yaml",
            Box::new(|t: &str| t.replacen("2024-02-04", "2024-02-05", 1)),
            "only a Saturday or Sunday",
        ),
        (
            "lib/common.rhai",
            Box::new(|t: &str| {
                t.replacen(
                    "fn valid_on(valid_until, day) {",
                    "fn valid_on(valid_until, day) {{",
                    1,
                )
            }),
            "script error",
        ),
    ];
    for (path, change, expected) in cases {
        let errors = load(with_change(path, change)).unwrap_err();
        let found = errors.iter().find(|e| e.contains(expected));
        let Some(found) = found else {
            panic!("{path}: expected `{expected}` in {errors:#?}")
        };
        let place = found.split(": ").next().unwrap();
        assert!(
            place.starts_with(path.split('/').next().unwrap()),
            "{found}"
        );
        assert!(
            place.matches(':').count() == 2,
            "file:line:col expected in {found}"
        );
    }
}

#[test]
fn yaml_syntax_error_in_a_rule_file_has_its_position() {
    let errors = load(with_change(OPEN, |t| {
        t.replacen("rules:\n", "rules:\n  - id: [\n", 1)
    }))
    .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(OPEN) && e.contains("YAML syntax")),
        "{errors:#?}"
    );
}

#[test]
fn missing_catalog_is_an_error() {
    let files: Vec<RuleFile> = embedded_files()
        .into_iter()
        .filter(|f| f.path != "catalog.yaml")
        .collect();
    let errors = load(files).unwrap_err();
    assert!(
        errors.iter().any(|e| e.contains("no catalog.yaml")),
        "{errors:#?}"
    );
}

#[test]
fn duplicate_operation_is_an_error() {
    let mut files = embedded_files();
    let copy = files.iter().find(|f| f.path == OPEN).unwrap().clone();
    files.push(RuleFile {
        path: "operations/copy.yaml".into(),
        text: copy.text,
    });
    let errors = load(files).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("operations/copy.yaml:") && e.contains("also defined")),
        "{errors:#?}"
    );
}

#[test]
fn load_error_kinds_are_typed() {
    let files = with_change(OPEN, |t| {
        t.replacen(
            "require: business_license\n",
            "require: business_licence\n",
            1,
        )
    });
    let errors = RuleSet::from_files("test", files, Limits::default()).unwrap_err();
    assert!(errors.0.iter().any(|e| matches!(&e.kind, LoadErrorKind::Unknown { what: "material", name, .. } if name == "business_licence")));
}

fn check_with_assert(script: &str) -> (dossier::report::Report, Duration) {
    let files = with_change(OPEN, |t| {
        t.replacen(
            "assert: enterprise.douyin_certified == true",
            &format!("assert: '{script}'"),
            1,
        )
    });
    let rules = load(files).expect("the changed rule set loads");
    let start = Instant::now();
    let report = rules.check_path(
        Path::new("fixtures/douyin.employee_account.open/pass-labor-contract"),
        &CheckOptions::default(),
    );
    (report, start.elapsed())
}

#[test]
fn runaway_scripts_stop_quickly_as_rule_errors_naming_the_rule() {
    for script in [
        "loop {}",
        "fn f(x) { f(x + 1) } f(0)",
        "let s = \"ab\"; loop { s += s; }",
        "let a = []; loop { a.push(1); }",
        "let x = 0; while true { x += 1; } x == 1",
    ] {
        let (report, took) = check_with_assert(script);
        assert!(took < Duration::from_secs(2), "{script}: took {took:?}");
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule == "enterprise.certified")
            .unwrap();
        assert!(finding.rule_error, "{script}: {finding:?}");
        assert_eq!(finding.status, Status::Fail);
        let message = finding.message.render(dossier::lang::Lang::En, false);
        assert!(message.contains("enterprise.certified"), "{message}");
        // The other rules still judged the bundle.
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule == "employee.id_card" && f.status == Status::Pass)
        );
    }
}

#[test]
fn scripts_cannot_eval_or_read_undeclared_fields() {
    let files = with_change(OPEN, |t| {
        t.replacen(
            "assert: enterprise.douyin_certified == true",
            "assert: 'eval(\"1 == 1\")'",
            1,
        )
    });
    assert!(
        load(files).is_err(),
        "eval is refused when the rule set loads"
    );
}

/// A check or `when` that cannot give true or false does not load: the
/// issue's mistakes, each at its line and column, with a snippet.
#[test]
fn conditions_that_cannot_decide_are_load_errors_at_their_place() {
    const SEALED: &str = "      - assert: doc.sealed == true\n        at: doc.sealed\n        fail: { zh: \"{employee.name} 的使用协议";
    let cases: [(&str, &str, &str, usize); 6] = [
        (
            "assert: doc.sealed = true",
            "doc.sealed = true",
            "an assignment used as a condition",
            "      - assert: doc.sealed ".len() + 1,
        ),
        (
            "assert: if doc.sealed { true }",
            "if doc.sealed { true }",
            "an `if` without `else`",
            "      - assert: ".len() + 1,
        ),
        (
            "assert: 'switch doc.sealed { true => true }'",
            "switch doc.sealed",
            "a `switch` without a default case",
            "      - assert: '".len() + 1,
        ),
        (
            "assert: ()",
            "assert: ()",
            "the condition gives nothing (`()`)",
            "      - assert: ".len() + 1,
        ),
        (
            "assert: |\n          let sealed = doc.sealed;\n          sealed = true",
            "sealed = true",
            "an assignment used as a condition",
            "          sealed ".len() + 1,
        ),
        (
            "assert: days_between(doc.enterprise_signed_on, judged_on)",
            "days_between(doc.enterprise",
            "the condition gives a number",
            "      - assert: ".len() + 1,
        ),
    ];
    for (script, needle, message, column) in cases {
        let files = with_change(OPEN, |t| {
            t.replacen(
                SEALED,
                &SEALED.replace("assert: doc.sealed == true", script),
                1,
            )
        });
        let text = files.iter().find(|f| f.path == OPEN).unwrap().text.clone();
        let line = line_of(&text, needle);
        let errors = load(files).unwrap_err();
        let place = format!("{OPEN}:{line}:{column}: {message}");
        assert!(
            errors.iter().any(|e| e.starts_with(&place)),
            "{script}: expected {place} in {errors:#?}"
        );
    }
    // A `when` is a condition too.
    let files = with_change(OPEN, |t| {
        t.replacen("when: present(employee.phone)", "when: employee.phone", 1)
            .replacen("when: present(employee.email)", "when: '\"email\"'", 1)
    });
    let text = files.iter().find(|f| f.path == OPEN).unwrap().text.clone();
    let errors = load(files).unwrap_err();
    let place = format!(
        "{OPEN}:{}:12: the condition gives a text",
        line_of(&text, "when: '\"email\"'")
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with(&place), "{errors:#?}");
}

/// `dossier rules lint` shows the line with a caret under the `=`.
#[test]
fn rules_lint_shows_an_assignment_used_as_a_condition_with_a_snippet() {
    let dir = tempfile::tempdir().unwrap();
    for file in with_change(OPEN, |t| {
        t.replacen(
            "assert: enterprise.douyin_certified == true",
            "assert: enterprise.douyin_certified = true",
            1,
        )
    }) {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.text).unwrap();
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["rules", "lint", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let snippet = [
        "      - assert: enterprise.douyin_certified = true",
        "                                            ^ `=` assigns",
    ];
    for line in snippet {
        assert!(
            stderr.lines().any(|l| l.ends_with(line)),
            "`{line}` not in:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("error: an assignment used as a condition"),
        "{stderr}"
    );
    assert!(stderr.contains("note: compare with `==`"), "{stderr}");
}
