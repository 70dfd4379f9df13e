//! `dossier test`: the shipped rules pass their own cases and every rule has
//! one; a rule author's folder gets a diff for a mismatch (exit 1) and a
//! diagnostic for a broken test file (exit 2).

use std::path::Path;
use std::process::{Command, Output};

use dossier::rules::RuleSet;
use dossier::ruletest::{load_test_files, run};

fn dossier(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The shipped cases, each with its kept reports: a change to any rule's
/// wording or outcome shows here as a diff until its snapshots are updated.
#[test]
fn shipped_rules_pass_their_tests() {
    let output = dossier(&["test", "rules", "--snapshot"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    assert!(!stdout.contains("obsolete snapshot"), "{stdout}");
}

#[test]
fn every_shipped_rule_has_a_case() {
    let rules = RuleSet::from_dir(Path::new("rules")).unwrap();
    let files = load_test_files(Path::new("rules")).unwrap();
    let tested: Vec<&str> = files.iter().map(|f| f.operation.as_str()).collect();
    for operation in &rules.operations {
        assert!(
            tested.contains(&operation.id.as_str()),
            "{} has no tests",
            operation.id
        );
    }
    let outcome = run(&rules, &files);
    assert!(
        outcome.untested.is_empty(),
        "untested: {:?}",
        outcome.untested
    );
    assert!(outcome.outcomes.len() >= 70);
}

/// A rule author's own folder: the shipped rules copied, one test file
/// pointing at a fixture with a wrong expectation.
fn author_folder(test_file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in RuleSet::files(Some(Path::new("rules"))) {
        if file.path.starts_with("tests/") {
            continue;
        }
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.text).unwrap();
    }
    let fixture =
        std::fs::canonicalize("fixtures/douyin.employee_account.open/fail-employee.age").unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("tests/open.yaml"),
        test_file.replace("FIXTURE", &fixture.display().to_string()),
    )
    .unwrap();
    dir
}

#[test]
fn a_mismatch_is_shown_as_a_diff_and_exits_1() {
    let dir = author_folder(
        "operation: douyin.employee_account.open\ncases:\n  - name: too young\n    bundle: FIXTURE\n    expect:\n      verdict: pass\n      fail: [employee.id_card]\n",
    );
    let output = dossier(&["test", &dir.path().display().to_string()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let shown = stdout.replace(&dir.path().display().to_string(), "RULES");
    let fixture = std::fs::canonicalize("fixtures").unwrap();
    insta::assert_snapshot!(shown.replace(&fixture.display().to_string(), "FIXTURES"));
}

#[test]
fn a_broken_test_file_is_a_diagnostic_and_exits_2() {
    let dir = author_folder(
        "operation: douyin.employee_account.open\ncases:\n  - name: too young\n    bundle: FIXTURE\n    expected:\n      verdict: fail\n",
    );
    let output = dossier(&["test", &dir.path().display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    insta::assert_snapshot!(stderr.replace(&dir.path().display().to_string(), "RULES"));
}

#[test]
fn a_rule_set_that_does_not_load_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("catalog.yaml"),
        "roles: {}\nmaterials: {}\ncolour: red\n",
    )
    .unwrap();
    let output = dossier(&["test", &dir.path().display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown key `colour`"));
}
