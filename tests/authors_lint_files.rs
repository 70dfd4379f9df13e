//! `dossier rules lint DIR` loads the rule tests and the calendar too, and
//! reports every problem of them in one run, each at its file:line:col with
//! a caret under the value, the same diagnostics as the rule files'.

use std::path::Path;
use std::process::Command;

use dossier::rules::RuleSet;

/// Runs `dossier rules lint DIR`, giving the exit code and stderr with the
/// folder shown as `RULES`.
fn lint(dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["rules", "lint", &dir.display().to_string()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&dir.display().to_string(), "RULES");
    (output.status.code().unwrap_or(-1), stderr)
}

/// The shipped rules without their tests, in `<tmp>/rules`, with `tests`
/// as its test files and `calendar` (when given) as its calendar; one
/// bundle at `<tmp>/bundles/too-young`.
fn rule_folder(tests: &[(&str, &str)], calendar: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    for file in RuleSet::files(Some(Path::new("rules"))) {
        if file.path.starts_with("tests/") {
            continue;
        }
        let text = match (file.path.as_str(), calendar) {
            ("calendar/cn-mainland.yaml", Some(calendar)) => calendar.to_string(),
            _ => file.text,
        };
        let path = rules.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    for (name, text) in tests {
        std::fs::write(rules.join("tests").join(name), text).unwrap();
    }
    let bundle = dir.path().join("bundles/too-young");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(
        bundle.join("bundle.yaml"),
        "format: dossier.bundle/v1\noperation: douyin.employee_account.open\n",
    )
    .unwrap();
    dir
}

/// Every `--> file:line:col` of the output, in order.
fn places(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect()
}

const CASES: &str = "\
operation: douyin.employee_account.open
cases:
  - name: too young
    bundle: ../../bundles/too-young
    expect:
      verdict: fail
      fail: [employee.ages, field.type]
  - name: too young
    bundel: ../../bundles/too-young
    expect: { verdict: failed, fail: [employee.age] }
  - name: nowhere
    bundle: ../../bundles/nowhere
    as_of: 2025-02-30
    expect:
      verdict: pass
      colour: red
";

const OTHER: &str = "\
operation: douyin.employee_account.opne
cases:
  - name: first
    bundle: ../../bundles/too-young
    expect: { verdict: pass }
";

#[test]
fn every_problem_of_the_rule_tests_is_reported_in_one_run() {
    let dir = rule_folder(&[("open.yaml", CASES), ("other.yaml", OTHER)], None);
    let (code, stderr) = lint(&dir.path().join("rules"));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        places(&stderr),
        [
            // Shapes, file by file, in reading order.
            "RULES/tests/open.yaml:8:5",   // second case: no `bundle`
            "RULES/tests/open.yaml:9:5",   // `bundel`
            "RULES/tests/open.yaml:10:24", // verdict `failed`
            "RULES/tests/open.yaml:13:12", // as_of 2025-02-30
            "RULES/tests/open.yaml:16:7",  // `colour`
            // Then what the files name: bundles, operations, rule ids.
            "RULES/tests/open.yaml:12:13", // ../../bundles/nowhere
            "RULES/tests/open.yaml:7:14",  // employee.ages
            "RULES/tests/other.yaml:1:12", // douyin.employee_account.opne
        ],
        "{stderr}"
    );
    assert!(stderr.contains("unknown key `bundel`"), "{stderr}");
    assert!(stderr.contains("did you mean `bundle`?"), "{stderr}");
    assert!(stderr.contains("the verdict is `pass` or `fail`, not `failed`"));
    assert!(
        stderr.contains("\"2025-02-30\" is not a real date"),
        "{stderr}"
    );
    assert!(stderr.contains("the bundle `../../bundles/nowhere` does not exist"));
    assert!(stderr.contains("`douyin.employee_account.open` has no rule `employee.ages`"));
    assert!(stderr.contains("did you mean `employee.age`?"), "{stderr}");
    assert!(stderr.contains("the rule set has no operation `douyin.employee_account.opne`"));
    assert!(stderr.contains("did you mean `douyin.employee_account.open`?"));
    assert!(
        stderr.ends_with("error: the rule tests are wrong: 8 problems\n"),
        "{stderr}"
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_case_name_given_twice_points_at_both() {
    let text = "operation: douyin.employee_account.open\ncases:\n  - name: twice\n    bundle: ../../bundles/too-young\n    expect: { verdict: fail }\n  - name: twice\n    bundle: ../../bundles/too-young\n    expect: { verdict: fail }\n";
    let dir = rule_folder(&[("open.yaml", text)], None);
    let (code, stderr) = lint(&dir.path().join("rules"));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: case `twice` is defined twice\n --> RULES/tests/open.yaml:6:11"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 |   - name: twice\n  |   - first defined here"),
        "{stderr}"
    );
}

const CALENDAR: &str = "\
calendar: cn-mainland
years:
  - year: 2024
    source: test
    holidays:
      - name: 元旦
        off: [2024-01-01, 2024-01-32]
      - name: 春节
        off: [2024-02-17, 2024-02-10]
        work: [2024-02-05, 2025-02-08]
        note: moved
      - name: 劳动节
        off: [2024-05-01, 2024-05-05]
        work: [2024-05-04]
  - year: 2024
    source: again
    holidays: []
";

#[test]
fn every_problem_of_the_calendar_and_the_tests_is_reported_in_one_run() {
    let broken_test = "operation: douyin.employee_account.open\ncases:\n  - name: x\n    bundle: ../../bundles/gone\n    expect: { verdict: fail, fial: [] }\n";
    let dir = rule_folder(&[("open.yaml", broken_test)], Some(CALENDAR));
    let (code, stderr) = lint(&dir.path().join("rules"));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        places(&stderr),
        [
            "RULES/calendar/cn-mainland.yaml:7:27",  // 2024-01-32
            "RULES/calendar/cn-mainland.yaml:11:9",  // `note`
            "RULES/calendar/cn-mainland.yaml:10:28", // 2025-02-08 not in 2024
            "RULES/calendar/cn-mainland.yaml:9:14",  // off range reversed
            "RULES/calendar/cn-mainland.yaml:10:16", // 2024-02-05 is a Monday
            "RULES/calendar/cn-mainland.yaml:14:16", // 2024-05-04 already off
            "RULES/calendar/cn-mainland.yaml:15:11", // year 2024 twice
            "RULES/tests/open.yaml:5:30",            // `fial`
            "RULES/tests/open.yaml:4:13",            // ../../bundles/gone
        ],
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `fail`?"), "{stderr}");
    assert!(stderr.contains("2024-02-05 is a Monday; only a Saturday or Sunday"));
    assert!(stderr.contains("error: the rule set does not load: 7 problems\nerror: the rule tests are wrong: 2 problems\n"), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn the_shipped_rules_and_their_tests_lint_clean() {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["rules", "lint", "rules"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(" rule test cases in 2 files"), "{stdout}");
}

#[test]
fn a_calendar_file_that_is_not_there_is_reported_where_the_catalog_names_it() {
    let dir = rule_folder(&[], None);
    let rules = dir.path().join("rules");
    std::fs::remove_file(rules.join("calendar/cn-mainland.yaml")).unwrap();
    let catalog = std::fs::read_to_string(rules.join("catalog.yaml")).unwrap();
    let line = 1 + catalog
        .lines()
        .position(|l| l.starts_with("calendar: "))
        .unwrap();
    let (code, stderr) = lint(&rules);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: calendar file `calendar/cn-mainland.yaml` not found in the rule set\n --> RULES/catalog.yaml:{line}:11\n"
        )) || stderr.contains(&format!(
            "error: calendar file `calendar/cn-mainland.yaml` not found in the rule set\n  --> RULES/catalog.yaml:{line}:11\n"
        )),
        "{stderr}"
    );
}
