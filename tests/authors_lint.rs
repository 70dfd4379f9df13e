//! A rule set written as an author outside this repository would
//! (`tests/authors/rules`: a market where merchants open shops), with a
//! catalog pattern, a `matches` pattern and two versions of one operation:
//! bundles on either side of the switch date are judged by the right
//! version, and every report names that version and the rule set's digest.

use std::path::Path;
use std::process::Command;

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::{Report, Status};
use dossier::rules::{LoadErrors, RuleFile, RuleSet};

const RULES: &str = "tests/authors/rules";

fn rules() -> RuleSet {
    RuleSet::from_dir(Path::new(RULES)).unwrap_or_else(|e| panic!("{e}"))
}

fn check(bundle: &str, as_of: Option<&str>) -> Report {
    let options = CheckOptions::as_of(as_of.map(|d| d.parse().unwrap()));
    rules().check_path(&Path::new("tests/authors/bundles").join(bundle), &options)
}

fn failing(report: &Report) -> Vec<&str> {
    report.failing_rules(dossier::report::Severity::Error)
}

#[test]
fn the_last_day_of_the_old_version_is_judged_by_it() {
    let report = check("before", None);
    assert_eq!(report.operation_version.as_deref(), Some("2024"));
    assert_eq!(failing(&report), Vec::<&str>::new(), "{report:#?}");
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.rule.starts_with("permit."))
    );
}

#[test]
fn the_first_day_of_the_new_version_is_judged_by_it() {
    let report = check("after", None);
    assert_eq!(report.operation_version.as_deref(), Some("2025"));
    assert_eq!(failing(&report), vec!["permit.present"]);
}

#[test]
fn as_of_chooses_the_version_too() {
    let report = check("before", Some("2025-07-01"));
    assert_eq!(report.operation_version.as_deref(), Some("2025"));
    assert_eq!(failing(&report), vec!["permit.present"]);
    let report = check("after", Some("2024-01-01"));
    assert_eq!(report.operation_version.as_deref(), Some("2024"));
}

#[test]
fn every_report_names_the_digest_of_the_rule_files() {
    let report = check("before", None);
    let digest = report.rules_digest.clone().expect("a digest");
    assert_eq!(digest.len(), 64);
    assert_eq!(check("after", None).rules_digest, Some(digest.clone()));
    // The digest is the same however the files are read.
    let files = RuleSet::files(Some(Path::new(RULES)));
    let in_memory = RuleSet::from_files("memory", files, Limits::default()).unwrap();
    assert_eq!(in_memory.digest, digest);
}

/// The rule files, with `from` replaced by `to` in `file` (which must hold it).
fn edited(file: &str, from: &str, to: &str) -> Vec<RuleFile> {
    let mut files = RuleSet::files(Some(Path::new(RULES)));
    let target = files.iter_mut().find(|f| f.path == file).expect(file);
    assert!(target.text.contains(from), "{from}");
    target.text = target.text.replacen(from, to, 1);
    files
}

fn load_errors(files: Vec<RuleFile>) -> LoadErrors {
    RuleSet::from_files("test", files, Limits::default()).expect_err("must not load")
}

const NEW: &str = "operations/market.shop.open@2025.yaml";
const OLD: &str = "operations/market.shop.open.yaml";

#[test]
fn overlapping_periods_are_a_load_error_at_the_later_version() {
    let errors = load_errors(edited(
        OLD,
        "effective_until: 2025-06-15",
        "effective_until: 2025-06-20",
    ));
    let [error] = errors.0.as_slice() else {
        panic!("{errors}")
    };
    assert_eq!(error.file, NEW);
    assert_eq!(error.position.map(|p| p.line), Some(5));
    let text = error.to_string();
    assert!(text.contains("overlaps version 2024"), "{text}");
}

#[test]
fn a_gap_between_versions_is_a_load_error_naming_the_days() {
    let errors = load_errors(edited(
        OLD,
        "effective_until: 2025-06-15",
        "effective_until: 2025-06-10",
    ));
    let text = errors.to_string();
    assert!(text.contains("leaves a gap"), "{text}");
    assert!(text.contains("2025-06-11 to 2025-06-15"), "{text}");
}

#[test]
fn an_open_ended_earlier_version_overlaps_and_the_fix_is_named() {
    let errors = load_errors(edited(OLD, "effective_until: 2025-06-15\n", ""));
    let text = errors.to_string();
    assert!(
        text.contains("give that one `effective_until: 2025-06-15`"),
        "{text}"
    );
}

#[test]
fn a_date_no_version_covers_fails_the_bundle_and_lists_the_versions() {
    let files = edited(
        NEW,
        "effective_from: 2025-06-16\n",
        "effective_from: 2025-06-16\neffective_until: 2025-12-31\n",
    );
    let rules = RuleSet::from_files("test", files, Limits::default()).unwrap();
    let options = CheckOptions::as_of(Some("2026-01-01".parse().unwrap()));
    let report = rules.check_path(Path::new("tests/authors/bundles/after"), &options);
    let readable: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "bundle.readable" && f.status == Status::Fail)
        .collect();
    assert_eq!(readable.len(), 1, "{report:#?}");
    let en = readable[0].message.render(dossier::lang::Lang::En, true);
    assert!(
        en.contains("no version of the rules for market.shop.open is in force on 2026-01-01"),
        "{en}"
    );
    assert!(
        en.contains("2025 (from 2025-06-16 until 2025-12-31)"),
        "{en}"
    );
    assert_eq!(report.operation_version, None);
}

fn dossier(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + String::from_utf8_lossy(&output.stderr).as_ref();
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn rules_diff_lists_what_the_new_version_adds() {
    // The old rule set: only the 2024 version, in force from the start…
    let dir = tempfile::tempdir().unwrap();
    for file in RuleSet::files(Some(Path::new(RULES))) {
        if file.path == NEW || file.path.starts_with("tests/") {
            continue;
        }
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // …and its licence rule was only a warning.
        let text = file
            .text
            .replace("effective_until: 2025-06-15\n", "")
            .replace("severity: error", "severity: warning");
        std::fs::write(path, text).unwrap();
    }
    let old = dir.path().to_str().unwrap();
    let (code, text) = dossier(&["rules", "diff", old, RULES]);
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!("rules_diff_text", text);
    let (_, markdown) = dossier(&["rules", "diff", old, RULES, "--format", "markdown"]);
    insta::assert_snapshot!("rules_diff_markdown", markdown);
    let (_, same) = dossier(&["rules", "diff", RULES, RULES]);
    assert_eq!(same, "no differences\n");
}

/// `tests/authors/mistakes`: the 2025 version with the mistakes rule
/// authors make. Each is reported, at its place, in the same run.
#[test]
fn every_mistake_is_reported_in_one_run_with_its_place() {
    let dir = Path::new("tests/authors/mistakes");
    let errors = RuleSet::from_dir(dir).expect_err("the mistakes must not load");
    let file = "operations/market.shop.open@2025.yaml";
    let expected: [(usize, usize, &str); 9] = [
        (21, 22, "unknown field `valid_untill`"),
        (21, 22, "did you mean `valid_until`?"),
        (27, 45, "invalid pattern: unclosed counted repetition"),
        (30, 17, "compares a date with text"),
        (32, 55, "the en text does not quote {doc.valid_until}"),
        (33, 17, "`same_name` takes 2 arguments, not 1"),
        (
            35,
            9,
            "rule id `license.present` is defined twice (first at line 10)",
        ),
        (38, 27, "did you mean `business_license`?"),
        (
            42,
            9,
            "rule id `field.type` is the id of a rule dossier applies itself",
        ),
    ];
    for (line, column, text) in expected {
        assert!(
            errors.0.iter().any(|e| e.file == file
                && e.position.map(|p| (p.line, p.column)) == Some((line, column))
                && e.to_string().contains(text)),
            "no `{text}` at {line}:{column} in:\n{errors}"
        );
    }
    let shop_code = errors
        .0
        .iter()
        .find(|e| e.to_string().contains("merchant.shop_cod"))
        .expect("the misspelt party field");
    assert_eq!(shop_code.position.map(|p| p.line), Some(47));
    assert!(
        shop_code
            .to_string()
            .contains("did you mean `merchant.shop_code`?")
    );
    assert_eq!(errors.0.len(), 9, "{errors}");

    // The hint of the date comparison says how to write it.
    let (code, text) = dossier(&["rules", "lint", "tests/authors/mistakes"]);
    assert_eq!(code, 2);
    assert!(
        text.contains("on_or_after(doc.valid_until, date(\"2025-06-16\"))"),
        "{text}"
    );
    insta::assert_snapshot!("mistakes_lint", text);
}

#[test]
fn a_bool_field_against_a_number_and_an_unknown_helper_are_reported() {
    let files = edited(
        NEW,
        "      - assert: on_or_after(doc.valid_until, judged_on)",
        "      - assert: on_or_after(doc.valid_until, judged_on) && doc.number != 3 && is_vaild(doc.number)",
    );
    let errors = load_errors(files).to_string();
    assert!(errors.contains("compares text with a number"), "{errors}");
    assert!(errors.contains("unknown function `is_vaild`"), "{errors}");
    // Undeclared variables were always refused by rhai's compile.
    let errors = load_errors(edited(NEW, "judged_on)\n", "judged_onn)\n")).to_string();
    assert!(errors.contains("judged_onn"), "{errors}");
}

#[test]
fn rule_tests_resolve_bundles_beside_the_test_file_and_coverage_lists_the_failing_cases() {
    let (code, text) = dossier(&["test", RULES, "--coverage"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("market.shop.open: permit.present  first day of version 2025"),
        "{text}"
    );
    assert!(text.contains("warning: no case fails these rules:\n  market.shop.open: license.present\n  market.shop.open: permit.valid\n"), "{text}");
}

#[test]
fn a_missing_bundle_is_a_setup_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    for file in RuleSet::files(Some(Path::new(RULES))) {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = file
            .text
            .replace("../../bundles/after", "../no-such-bundle");
        std::fs::write(path, text).unwrap();
    }
    let (code, text) = dossier(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("first day of version 2025: the bundle "),
        "{text}"
    );
    assert!(text.contains("no-such-bundle does not exist"), "{text}");
}
