//! Waivers through the command line: a waived failure no longer fails the
//! bundle and carries its justification in every report; an expired waiver
//! does not apply and says so; a waiver matching nothing is a warning.

use std::process::{Command, Output};

const AGE: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

fn check(waivers: &str, format: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("waivers.yaml");
    std::fs::write(&file, waivers).unwrap();
    let mut args = vec!["check", AGE, "--waivers", file.to_str().unwrap()];
    args.extend_from_slice(if format.is_empty() {
        &["--format", "json"]
    } else {
        format
    });
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(&args)
        .output()
        .unwrap()
}

fn waiver(expires: &str, rule: &str) -> String {
    format!(
        "format: dossier.waivers/v1\nwaivers:\n  - rule: {rule}\n    bundle: {AGE}\n    holder: chenkaiwen\n    reason: \"实习协议,监护人已同意(工单 4711)\"\n    approved_by: 王审核\n    expires: {expires}\n"
    )
}

/// The one report of a one-bundle run (`--format json` is always an array).
fn report(output: &Output) -> serde_json::Value {
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let [report] = <[serde_json::Value; 1]>::try_from(reports).expect("one report");
    report
}

#[test]
fn a_waived_failure_passes_the_bundle_with_its_justification() {
    let output = check(&waiver("2025-12-31", "employee.age"), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = report(&output);
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["counts"]["waived"], 1);
    let waived: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "waived")
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["rule"], "employee.age");
    assert_eq!(waived[0]["waiver"]["approved_by"], "王审核");
    assert!(
        waived[0]["waiver"]["source"]
            .as_str()
            .unwrap()
            .ends_with("waivers.yaml:3")
    );
}

#[test]
fn an_expired_waiver_does_not_apply_and_says_so() {
    // The bundle is judged on 2025-06-10; a waiver that ended before it is void.
    let output = check(&waiver("2025-06-09", "employee.age"), &[]);
    assert_eq!(output.status.code(), Some(1));
    let report = report(&output);
    assert_eq!(report["verdict"], "fail");
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "employee.age" && f["status"] == "fail")
    );
    let expired = findings
        .iter()
        .find(|f| f["rule"] == "waiver.expired")
        .expect("an expiry warning");
    assert_eq!(expired["severity"], "warning");
    assert!(expired["message"].as_str().unwrap().contains("2025-06-09"));
}

#[test]
fn a_waiver_that_matches_nothing_is_a_warning() {
    let output = check(&waiver("2025-12-31", "business_license.valid"), &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the real failure still fails"
    );
    let report = report(&output);
    let unused = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "waiver.unused")
        .expect("an unused warning");
    assert_eq!(unused["status"], "fail");
    assert_eq!(unused["severity"], "warning");
}

#[test]
fn a_broken_waiver_file_stops_with_its_place() {
    let output = check(
        "format: dossier.waivers/v1\nwaivers:\n  - rule: employee.age\n    bundel: x\n",
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("waivers.yaml:4"), "{stderr}");
}

#[test]
fn waivers_show_in_text_reports() {
    let output = check(
        &waiver("2025-12-31", "employee.age"),
        &["--format", "text", "--lang", "en"],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Waived") && text.contains("王审核") && text.contains("1 waived"),
        "{text}"
    );
}
