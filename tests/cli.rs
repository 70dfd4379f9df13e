//! The command line as a user runs it: exit statuses, batches in input
//! order with one report per bundle (unreadable ones included), and the
//! rules subcommands.

use std::path::Path;
use std::process::{Command, Output};

fn dossier(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("dossier runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

const PASSING: &str = "fixtures/douyin.employee_account.open/pass-labor-contract";
const FAILING: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

#[test]
fn exit_status_is_0_for_a_pass_and_1_for_a_fail() {
    assert_eq!(dossier(&["check", PASSING]).status.code(), Some(0));
    assert_eq!(dossier(&["check", FAILING]).status.code(), Some(1));
    assert_eq!(
        dossier(&["check", &format!("{PASSING}/bundle.yaml")])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn exit_status_is_2_for_bad_arguments_and_broken_rules() {
    assert_eq!(dossier(&["check"]).status.code(), Some(2));
    assert_eq!(
        dossier(&["check", PASSING, "--format", "yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        dossier(&["check", PASSING, "--as-of", "2024-13-01"])
            .status
            .code(),
        Some(2)
    );
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("catalog.yaml"), "roles: [\n").unwrap();
    let output = dossier(&["check", PASSING, "--rules", broken.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("catalog.yaml:"),
        "{output:?}"
    );
}

#[test]
fn warnings_fail_only_when_asked() {
    let warned = "fixtures/douyin.employee_account.open/warn-employee.email_unique";
    assert_eq!(dossier(&["check", warned]).status.code(), Some(0));
    assert_eq!(
        dossier(&["check", warned, "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn unreadable_bundles_get_a_failing_report() {
    let empty = tempfile::tempdir().unwrap();
    let output = dossier(&["check", empty.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    // One bundle or many, `--format json` is an array of reports.
    let reports: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["verdict"], "fail");
    assert_eq!(reports[0]["findings"][0]["rule"], "bundle.readable");
    assert_eq!(reports[0]["dossier_version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error_naming_it() {
    let missing = "fixtures/no-such-bundle";
    for (lang, words) in [("en", "no such file or folder"), ("zh", "路径不存在")] {
        let output = dossier(&["check", PASSING, missing, "--lang", lang]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(words) && stderr.contains(missing),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn argument_errors_and_the_timing_line_speak_the_chosen_language() {
    for (args, words) in [
        (
            vec!["check", "--lang", "zh", "--bogus", PASSING],
            "未知的选项 `--bogus`",
        ),
        (
            vec!["check", "--lang", "zh", "--format", "xml", PASSING],
            "不是选项",
        ),
        (
            vec!["check", "--lang", "zh", PASSING, "--rules"],
            "缺少取值",
        ),
        (vec!["check", "--lang", "zh"], "缺少必需的参数"),
    ] {
        let output = dossier(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    let output = dossier(&["check", "--lang", "zh", PASSING, FAILING]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("共 2 个材料包,用时"), "{stderr}");
}

#[test]
fn explain_on_a_batch_shows_every_report_in_full() {
    let output = dossier(&["check", "--explain", "--lang", "en", PASSING, FAILING]);
    let text = stdout(&output);
    assert_eq!(
        text.matches("bundle.readable  manifest read").count(),
        2,
        "{text}"
    );
}

#[test]
fn a_batch_gives_one_report_per_bundle_in_input_order() {
    let unreadable = tempfile::tempdir().unwrap();
    let missing = unreadable.path().to_str().unwrap();
    let args = [
        "check", FAILING, missing, PASSING, "--format", "json", "--jobs", "2",
    ];
    let output = dossier(&args);
    assert_eq!(output.status.code(), Some(1));
    let reports: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let bundles: Vec<&str> = reports
        .iter()
        .map(|r| r["bundle"].as_str().unwrap())
        .collect();
    assert_eq!(bundles, vec![FAILING, missing, PASSING]);
    let verdicts: Vec<&str> = reports
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, vec!["fail", "fail", "pass"]);
}

#[test]
fn a_folder_of_bundles_means_every_bundle_below_it_sorted() {
    let folder = "fixtures/douyin.employee_account.deregister";
    let output = dossier(&["check", folder, "--format", "jsonl", "--jobs", "2"]);
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut expected: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    expected.sort();
    let (summary, reports) = lines.split_last().unwrap();
    let bundles: Vec<&str> = reports
        .iter()
        .map(|r| r["bundle"].as_str().unwrap())
        .collect();
    assert_eq!(bundles, expected);
    assert_eq!(summary["format"], "dossier.summary/v1");
    assert_eq!(summary["bundles"], expected.len());
    let failed = reports.iter().filter(|r| r["verdict"] == "fail").count();
    assert_eq!(summary["failed"], failed);
}

#[test]
fn batch_output_is_the_same_with_one_or_two_jobs() {
    let folder = "fixtures/douyin.employee_account.open";
    let one = dossier(&["check", folder, "--format", "jsonl", "--jobs", "1"]);
    let two = dossier(&["check", folder, "--format", "jsonl", "--jobs", "2"]);
    assert_eq!(stdout(&one), stdout(&two));
    let text = dossier(&["check", folder, "--jobs", "2"]);
    assert!(
        stdout(&text).contains("bundles:"),
        "text batches end with a summary"
    );
}

#[test]
fn a_huge_jobs_count_is_capped_with_a_message() {
    let folder = "fixtures/douyin.employee_account.open";
    let one = dossier(&["check", folder, "--format", "jsonl", "--jobs", "1"]);
    // Once tried to start a billion threads and hung.
    let huge = dossier(&["check", folder, "--format", "jsonl", "--jobs", "1000000000"]);
    assert_eq!(stdout(&huge), stdout(&one));
    assert_eq!(huge.status.code(), one.status.code());
    let stderr = String::from_utf8_lossy(&huge.stderr);
    assert!(
        stderr.contains("--jobs 1000000000 is more than this machine can use"),
        "{stderr}"
    );
    let none = dossier(&["check", folder, "--jobs", "0"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("at least one job is needed"));
}

#[test]
fn rules_subcommands_work() {
    let list = stdout(&dossier(&["rules", "list", "--lang", "en"]));
    assert!(
        list.contains("douyin.employee_account.open")
            && list.contains("douyin.employee_account.deregister")
    );
    let show = dossier(&[
        "rules",
        "show",
        "douyin.employee_account.deregister",
        "--lang",
        "zh",
    ]);
    assert_eq!(show.status.code(), Some(0));
    assert!(stdout(&show).contains("离职证明") && stdout(&show).contains("工作日"));
    assert_eq!(
        dossier(&["rules", "show", "no.such.operation"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(dossier(&["rules", "lint"]).status.code(), Some(0));
}

#[test]
fn init_writes_a_template_that_is_judged_not_crashed_on() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let output = dossier(&[
        "init",
        "douyin.employee_account.open",
        target.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(Path::new(&target.join("bundle.yaml")).exists());
    let check = dossier(&["check", target.to_str().unwrap(), "--format", "json"]);
    assert_eq!(check.status.code(), Some(1));
    let again = dossier(&[
        "init",
        "douyin.employee_account.open",
        target.to_str().unwrap(),
    ]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing bundle is not overwritten"
    );
}

#[test]
fn personal_numbers_are_masked_unless_asked() {
    let output = stdout(&dossier(&[
        "check",
        PASSING,
        "--format",
        "json",
        "--explain",
    ]));
    assert!(!output.contains("140105200212162760") && !output.contains("15233912279"));
    let shown = stdout(&dossier(&[
        "check",
        PASSING,
        "--format",
        "json",
        "--show-personal-data",
    ]));
    assert!(shown.contains("140105200212162760") && shown.contains("15233912279"));
}

#[test]
fn output_dir_writes_one_report_per_bundle_and_an_index() {
    let out = tempfile::tempdir().unwrap();
    let folder = "fixtures/douyin.employee_account.open";
    let output = dossier(&[
        "check",
        folder,
        "--format",
        "markdown",
        "--output-dir",
        out.path().to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let bundles = std::fs::read_dir(folder).unwrap().count();
    let reports: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "index.md")
        .collect();
    assert_eq!(reports.len(), bundles);
    let index = std::fs::read_to_string(out.path().join("index.md")).unwrap();
    assert_eq!(index.matches("](fixtures__").count(), bundles, "{index}");
    assert!(index.contains(&format!("{bundles} bundles:")), "{index}");
    let age = std::fs::read_to_string(
        out.path()
            .join("fixtures__douyin.employee_account.open__fail-employee.age.md"),
    )
    .unwrap();
    assert!(age.contains("employee.age"));
}

#[test]
fn html_reports_in_an_output_dir_link_back_to_their_index() {
    let out = tempfile::tempdir().unwrap();
    let folder = "fixtures/douyin.employee_account.deregister";
    let output = dossier(&[
        "check",
        folder,
        "--format",
        "html",
        "--output-dir",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert_eq!(index.matches("<tfoot>").count(), 1, "totals once");
    let mut reports = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "index.html") {
            continue;
        }
        let page = std::fs::read_to_string(&path).unwrap();
        assert!(
            page.contains("<nav class=\"back\"><a href=\"index.html\">"),
            "{}",
            path.display()
        );
        reports += 1;
    }
    assert_eq!(reports, std::fs::read_dir(folder).unwrap().count());
    // One report on standard output stands alone: no index to go back to.
    let one = stdout(&dossier(&["check", PASSING, "--format", "html"]));
    assert!(one.contains("</html>") && !one.contains("<nav"), "{one}");
}
