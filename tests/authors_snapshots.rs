//! `dossier test --snapshot`: a rule author's folder keeps each case's whole
//! report (zh and en) beside its test file. The first run fails for want of
//! snapshots, `--update` writes them, a rerun passes, a changed rule message
//! fails with a diff, and snapshots no case keeps are reported and removed.

use std::path::Path;
use std::process::Command;

use dossier::rules::RuleSet;

const FIXTURE: &str = "fixtures/douyin.employee_account.open/fail-employee.age";
const OPERATION: &str = "operations/douyin.employee_account.open.yaml";
const MESSAGE_EN: &str = "was born on {birth_date(employee.id_number)} and is under 16 on";

/// Runs dossier in `dir`, giving the exit code and stdout then stderr.
fn dossier_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A rule author's checkout: `rules/` (the shipped rules, without their
/// tests), one bundle in `bundles/`, and one test file naming it relative
/// to itself.
fn author_checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    for file in RuleSet::files(Some(Path::new("rules"))) {
        if file.path.starts_with("tests/") {
            continue;
        }
        let path = rules.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.text).unwrap();
    }
    copy_tree(Path::new(FIXTURE), &dir.path().join("bundles/too-young"));
    std::fs::create_dir_all(rules.join("tests")).unwrap();
    std::fs::write(
        rules.join("tests/open.yaml"),
        "operation: douyin.employee_account.open\ncases:\n  - name: employee under 16\n    bundle: ../../bundles/too-young\n    expect:\n      verdict: fail\n      fail: [employee.age]\n",
    )
    .unwrap();
    dir
}

#[test]
fn snapshots_are_missing_then_written_then_kept_then_a_change_is_a_diff() {
    let checkout = author_checkout();
    let root = checkout.path();
    let kept = root.join("rules/tests/open.snapshots");

    // Without snapshots the case fails, naming each file it wants.
    let (code, text) = dossier_in(root, &["test", "rules", "--snapshot"]);
    assert_eq!(code, 1, "{text}");
    for lang in ["zh", "en"] {
        let line = format!(
            "rules/tests/open.snapshots/employee-under-16.{lang}.txt: no snapshot yet; run with --update after review"
        );
        assert!(text.contains(&line), "{text}");
    }
    assert!(text.contains("rule tests: 0 passed, 1 failed"), "{text}");
    assert!(!kept.exists(), "a compare must not write");

    // --update writes both, deterministic and portable.
    let (code, text) = dossier_in(root, &["test", "rules", "--update"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("wrote snapshot rules/tests/open.snapshots/employee-under-16.zh.txt"));
    let en = std::fs::read_to_string(kept.join("employee-under-16.en.txt")).unwrap();
    let zh = std::fs::read_to_string(kept.join("employee-under-16.zh.txt")).unwrap();
    assert!(en.starts_with("FAIL  ../../bundles/too-young\n"), "{en}");
    assert!(zh.starts_with("不通过  ../../bundles/too-young\n"), "{zh}");
    assert!(
        en.contains("✗ employee.age  陈凯文 was born on 2009-06-11 and is under 16 on 2025-06-10")
    );
    // Every finding with its values and rule source (the --explain report).
    assert!(en.contains("✓ employee.id_card"), "{en}");
    assert!(
        en.contains("rule: operations/douyin.employee_account.open.yaml:"),
        "{en}"
    );
    // Masked ID numbers, no absolute path, no rule set digest.
    assert!(en.contains("450103********0519"), "{en}");
    assert!(!en.contains("450103200906110519"), "{en}");
    let root_shown = root.display().to_string();
    assert!(!en.contains(&root_shown) && !zh.contains(&root_shown));
    assert!(!en.contains("sha256 ") && !zh.contains("sha256 "), "{en}");

    // The same snapshots hold from another folder, naming the rules otherwise.
    let (code, text) = dossier_in(&root.join("rules"), &["test", ".", "--snapshot"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("rule tests: 1 passed, 0 failed"), "{text}");

    // A changed rule message fails the case with a unified diff.
    let operation = root.join("rules").join(OPERATION);
    let rules = std::fs::read_to_string(&operation).unwrap();
    assert!(rules.contains(MESSAGE_EN));
    let changed = MESSAGE_EN.replace("is under 16", "is younger than 16");
    std::fs::write(&operation, rules.replace(MESSAGE_EN, &changed)).unwrap();
    let (code, text) = dossier_in(root, &["test", "rules", "--snapshot"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("FAIL  rules/tests/open.yaml :: employee under 16"),
        "{text}"
    );
    assert!(text.contains("rules/tests/open.snapshots/employee-under-16.en.txt: the report changed (- kept, + now); run with --update after review"), "{text}");
    assert!(
        text.contains("      --- kept\n      +++ now\n      @@ "),
        "{text}"
    );
    assert!(text.contains("      -  ✗ employee.age  陈凯文 was born on 2009-06-11 and is under 16 on 2025-06-10\n      +  ✗ employee.age  陈凯文 was born on 2009-06-11 and is younger than 16 on 2025-06-10\n"), "{text}");
    // The Chinese message did not change: its snapshot still holds.
    assert!(!text.contains("employee-under-16.zh.txt"), "{text}");

    // Accepting the change makes the run pass again.
    let (code, text) = dossier_in(root, &["test", "rules", "--update"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("wrote snapshot rules/tests/open.snapshots/employee-under-16.en.txt\n"));
    assert!(!text.contains("employee-under-16.zh.txt"), "{text}");
    let (code, text) = dossier_in(root, &["test", "rules", "--snapshot"]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn obsolete_snapshots_are_reported_and_update_removes_them() {
    let checkout = author_checkout();
    let root = checkout.path();
    let (code, text) = dossier_in(root, &["test", "rules", "--update"]);
    assert_eq!(code, 0, "{text}");
    // A renamed case leaves its old snapshot; a removed test file its folder.
    let stray = root.join("rules/tests/open.snapshots/old-name.en.txt");
    std::fs::write(&stray, "PASS\n").unwrap();
    let gone = root.join("rules/tests/removed.snapshots");
    std::fs::create_dir_all(&gone).unwrap();
    std::fs::write(gone.join("a.zh.txt"), "通过\n").unwrap();

    let (code, text) = dossier_in(root, &["test", "rules", "--snapshot"]);
    assert_eq!(code, 0, "obsolete snapshots warn: {text}");
    assert!(text.contains("warning: obsolete snapshot rules/tests/open.snapshots/old-name.en.txt (no case keeps it; --update removes it)"), "{text}");
    assert!(
        text.contains("warning: obsolete snapshot rules/tests/removed.snapshots/a.zh.txt"),
        "{text}"
    );

    let (code, text) = dossier_in(root, &["test", "rules", "--update"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("removed obsolete snapshot rules/tests/open.snapshots/old-name.en.txt"),
        "{text}"
    );
    assert!(!stray.exists() && !gone.exists());
    assert!(
        root.join("rules/tests/open.snapshots/employee-under-16.en.txt")
            .exists()
    );
}

#[test]
fn cases_whose_snapshots_would_clash_are_a_setup_error() {
    let checkout = author_checkout();
    let root = checkout.path();
    std::fs::write(
        root.join("rules/tests/open.yaml"),
        "operation: douyin.employee_account.open\ncases:\n  - name: under 16\n    bundle: ../../bundles/too-young\n    expect: { verdict: fail, fail: [employee.age] }\n  - name: under/16\n    bundle: ../../bundles/too-young\n    expect: { verdict: fail, fail: [employee.age] }\n",
    )
    .unwrap();
    let (code, text) = dossier_in(root, &["test", "rules", "--update"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("error: rules/tests/open.yaml: the cases `under 16` and `under/16` would share the snapshot `under-16`"), "{text}");
    assert!(!root.join("rules/tests/open.snapshots").exists());
}

#[test]
fn a_missing_bundle_stays_a_setup_error_with_snapshots() {
    let checkout = author_checkout();
    let root = checkout.path();
    std::fs::remove_dir_all(root.join("bundles/too-young")).unwrap();
    let (code, text) = dossier_in(root, &["test", "rules", "--snapshot"]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("error: rules/tests/open.yaml :: employee under 16: the bundle rules/tests/../../bundles/too-young does not exist"), "{text}");
    assert!(!text.contains("no snapshot yet"), "{text}");
}

#[test]
fn the_shipped_snapshots_hold_from_the_rules_folder_too() {
    let (code, text) = dossier_in(Path::new("rules"), &["test", ".", "--snapshot"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(" passed, 0 failed"), "{text}");
    assert!(!text.contains("obsolete"), "{text}");
}
