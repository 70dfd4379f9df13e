//! Hostile waiver files (issue 10): a waiver file is input too. It is refused
//! with a message naming it (and the line and column where there is one) and
//! exit status 2 when it is not a regular file, is a link, is over its size
//! limit or uses anchors and aliases; a wildcard built to backtrack costs
//! nothing. Each within the "does not hang" bound.

mod hostile_support;

use std::path::Path;

use hostile_support::*;

const AGE: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

/// One waiver that applies to the failing age check of [`AGE`].
fn waiver(bundle: &str) -> String {
    format!(
        "  - rule: employee.age\n    bundle: \"{bundle}\"\n    holder: chenkaiwen\n    reason: \"实习协议(工单 4711)\"\n    approved_by: 王审核\n    expires: 2025-12-31\n"
    )
}

fn waiver_file(entries: &str) -> String {
    format!("format: dossier.waivers/v1\nwaivers:\n{entries}")
}

/// `dossier check AGE --waivers FILE`: (exit status, stdout, stderr).
/// Tests run in the repository root, so [`AGE`] is the bundle's name as given.
fn check_with(file: &Path) -> (i32, String, String) {
    dossier(&[
        "check",
        AGE,
        "--format",
        "json",
        "--waivers",
        file.to_str().unwrap(),
    ])
}

/// The run stops with exit 2 before judging, saying `needle` about the file.
fn refused(file: &Path, needle: &str) {
    let (code, stdout, stderr) = check_with(file);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "nothing judged: {stdout}");
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
}

#[test]
fn a_waiver_file_that_is_not_a_regular_file_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    // A FIFO with no writer hung the run before: it is never opened now.
    let fifo = dir.path().join("waivers.yaml");
    make_fifo(&fifo);
    refused(
        &fifo,
        "the waiver file is not a regular file (FIFO); not read",
    );
    refused(
        Path::new("/dev/zero"),
        "the waiver file is not a regular file (device); not read",
    );
    refused(
        dir.path(),
        "the waiver file is not a regular file (directory)",
    );
    let link = dir.path().join("zero.yaml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    refused(&link, "the waiver file is a link");
    refused(
        &dir.path().join("missing.yaml"),
        "the waiver file does not exist",
    );
}

#[test]
fn a_hard_linked_waiver_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.yaml");
    std::fs::write(&real, waiver_file(&waiver(AGE))).unwrap();
    let second = dir.path().join("waivers.yaml");
    std::fs::hard_link(&real, &second).unwrap();
    refused(&second, "the waiver file has 2 hard links");
}

#[test]
fn a_waiver_file_over_the_limit_is_refused_from_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("waivers.yaml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    refused(
        &big,
        "the waiver file is 104857600 bytes, more than the limit of 1048576; not read",
    );
}

#[test]
fn anchors_and_aliases_are_refused_at_the_first() {
    // The 1.4 MB file expanded to 200 000 waivers through aliases.
    // Under the size limit, the first anchor stops it, with its place.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("waivers.yaml");
    let mut text = waiver_file(&waiver(AGE).replacen("  - rule", "  - &w\n    rule", 1));
    text.push_str(&"  - *w\n".repeat(50_000));
    assert!(text.len() < 1024 * 1024);
    std::fs::write(&file, &text).unwrap();
    refused(
        &file,
        &format!(
            "{}:3:5: anchors (&) and aliases (*) are not accepted here",
            file.display()
        ),
    );
    // Over the limit, it is not even parsed.
    std::fs::write(&file, "  - *w\n".repeat(200_000)).unwrap();
    refused(&file, "more than the limit of 1048576; not read");
}

#[test]
fn a_backtracking_wildcard_is_judged_at_once() {
    // `*e*e*…*b` against a folder name of 60 `e`s and no `b`: the old
    // backtracking matcher tried every way to place 30 `e`s among 60
    // (10^17), running past any bound; now one pass decides.
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("e".repeat(60));
    copy_dir(&repo(AGE), &bundle);
    let hostile = format!("{}/{}b", dir.path().display(), "*e".repeat(30));
    let file = dir.path().join("waivers.yaml");
    let entries = format!(
        "{}{}",
        waiver(&hostile),
        waiver(&bundle.display().to_string())
    );
    std::fs::write(&file, waiver_file(&entries)).unwrap();
    let (code, stdout, stderr) = dossier(&[
        "check",
        bundle.to_str().unwrap(),
        "--format",
        "json",
        "--waivers",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let report = serde_json::from_str::<serde_json::Value>(&stdout).unwrap()[0].clone();
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["counts"]["waived"], 1);
    assert!(
        stderr.contains(":3: the waiver for employee.age names no bundle"),
        "{stderr}"
    );
}

#[test]
fn a_star_stays_within_one_folder_name() {
    // `fixtures/*` names no bundle two folders down: the failure stands.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("waivers.yaml");
    std::fs::write(&file, waiver_file(&waiver("fixtures/*"))).unwrap();
    let (code, stdout, _) = check_with(&file);
    assert_eq!(code, 1);
    let report = serde_json::from_str::<serde_json::Value>(&stdout).unwrap()[0].clone();
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["counts"]["waived"], 0);
    // One star per folder does.
    std::fs::write(&file, waiver_file(&waiver("fixtures/*/fail-*.age"))).unwrap();
    let (code, stdout, stderr) = check_with(&file);
    assert_eq!(code, 0, "{stderr}");
    let report = serde_json::from_str::<serde_json::Value>(&stdout).unwrap()[0].clone();
    assert_eq!(report["counts"]["waived"], 1);
}
