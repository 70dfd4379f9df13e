//! Isolation and personal data: in a batch every bundle gets its own report,
//! in input order, whatever is wrong with its neighbours; and no ID or
//! mobile number appears unmasked in a message, a hint, a load error or a
//! rule error unless the user asks to see personal data.

mod hostile_support;

use std::fs::File;
use std::path::PathBuf;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::report::{Report, Verdict};
use dossier::rules::RuleSet;
use hostile_support::*;

/// A batch: passing, failing, missing, bombs, oversized, FIFO manifest…
fn batch(root: &std::path::Path) -> Vec<(PathBuf, Verdict)> {
    let make = |name: &str| {
        let dir = root.join(name);
        copy_dir(&repo(BASE), &dir);
        dir
    };
    let bomb = make("bomb");
    std::fs::write(bomb.join("bundle.yaml"), "a: &a [1,2]\nb: [*a,*a]\n").unwrap();
    let huge = make("huge");
    File::create(huge.join("bundle.yaml"))
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let fifo = make("fifo");
    std::fs::remove_file(fifo.join("bundle.yaml")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(fifo.join("bundle.yaml"))
            .status()
            .unwrap()
            .success()
    );
    let traversal = make("traversal");
    let text = std::fs::read_to_string(traversal.join("bundle.yaml")).unwrap();
    std::fs::write(
        traversal.join("bundle.yaml"),
        text.replace(RESIGNATION, "../../etc/passwd"),
    )
    .unwrap();
    let empty = root.join("empty");
    std::fs::create_dir(&empty).unwrap();
    vec![
        (repo(BASE), Verdict::Pass),
        (bomb, Verdict::Fail),
        (
            repo("fixtures/douyin.employee_account.open/fail-employee.age"),
            Verdict::Fail,
        ),
        (huge, Verdict::Fail),
        (root.join("does-not-exist"), Verdict::Fail),
        (fifo, Verdict::Fail),
        (
            repo("fixtures/douyin.employee_account.deregister/pass-bundle-json"),
            Verdict::Pass,
        ),
        (traversal, Verdict::Fail),
        (empty, Verdict::Fail),
        (
            repo("fixtures/douyin.employee_account.open/pass-labor-contract/bundle.yaml"),
            Verdict::Pass,
        ),
    ]
}

#[test]
fn n_bundles_in_n_reports_out_in_order_through_the_library() {
    let root = tempfile::tempdir().unwrap();
    let cases = batch(root.path());
    let paths: Vec<PathBuf> = cases.iter().map(|(p, _)| p.clone()).collect();
    let reports: Vec<Report> = within(TIME_BOUND, move || {
        paths
            .iter()
            .map(|p| RULES.check_path(p, &CheckOptions::default()))
            .collect()
    });
    assert_eq!(reports.len(), cases.len());
    for ((path, verdict), report) in cases.iter().zip(&reports) {
        assert_eq!(report.bundle, path.display().to_string());
        assert_eq!(
            report.verdict(),
            *verdict,
            "{}:\n{}",
            report.bundle,
            summary(report)
        );
        assert!(!report.findings.is_empty());
    }
}

#[test]
fn n_bundles_in_n_reports_out_in_order_on_the_command_line() {
    let root = tempfile::tempdir().unwrap();
    let cases = batch(root.path());
    let mut args = vec![
        "check".to_string(),
        "--format".into(),
        "jsonl".into(),
        "--jobs".into(),
        "2".into(),
    ];
    args.extend(cases.iter().map(|(p, _)| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = dossier(&args);
    assert_eq!(code, 1, "{stderr}");
    let mut lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    // The last line sums the batch up.
    let summary = lines.pop().unwrap();
    assert_eq!(summary["format"], "dossier.summary/v1");
    assert_eq!(summary["bundles"], cases.len());
    assert_eq!(lines.len(), cases.len(), "{stdout}");
    for ((path, verdict), report) in cases.iter().zip(&lines) {
        assert_eq!(report["bundle"], path.display().to_string());
        let expected = if *verdict == Verdict::Pass {
            "pass"
        } else {
            "fail"
        };
        assert_eq!(report["verdict"], expected, "{report}");
    }
}

const IDS: [&str; 4] = [
    "530102199110197813",
    "310115198111285117",
    "15674190531",
    "53010219911019781",
];

fn assert_no_personal_numbers(report: &Report) {
    for finding in &report.findings {
        for lang in [Lang::En, Lang::Zh] {
            let mut shown = vec![finding.message.render(lang, false)];
            shown.extend(finding.hint.as_ref().map(|h| h.render(lang, false)));
            for text in shown {
                for id in IDS {
                    assert!(!text.contains(id), "{} shows {id}: {text}", finding.rule);
                }
            }
        }
    }
}

#[test]
fn personal_numbers_in_the_wrong_places_are_masked() {
    let changes: &[(&str, &str)] = &[
        ("phone: \"15674190531\"", "phone: +8615674190531"),
        ("phone: \"15674190531\"", "phone: 015674190531"),
        ("phone: \"15674190531\"", "phone: \"156-7419-0531 ext\""),
        (
            "valid_until: 2041-02-20",
            "valid_until: \"530102199110197813\"",
        ),
        (
            "submitted_on: 2025-04-16",
            "submitted_on: 530102199110197813",
        ),
        (
            "format: dossier.bundle/v1",
            "format: \"530102199110197813\"",
        ),
        (
            "operation: douyin.employee_account.deregister",
            "operation: \"15674190531\"",
        ),
        (
            "douyin_account: zhaozixuan1997",
            "douyin_account: 15674190531\n    role2: 530102199110197813",
        ),
        (
            "id_number: \"530102199110197813\"",
            "id_number: \"53010219911019781\"",
        ),
        ("    role: employee\n", "    role: \"530102199110197813\"\n"),
        (
            "holder: zhaozixuan\n    file: files/zhaozixuan_resignation",
            "holder: \"530102199110197813\"\n    file: files/zhaozixuan_resignation",
        ),
        ("employee: 赵子轩", "employee: 赵子轩530102199110197813"),
        // Parser errors next to a number.
        (
            "id_number: \"530102199110197813\"",
            "id_number: \"530102199110197813",
        ),
        (
            "id_number: \"530102199110197813\"",
            "id_number: \"530102199110197813\\q\"",
        ),
        (
            "    phone: \"15674190531\"\n",
            "    phone: \"15674190531\"\n    phone: \"15674190531\"\n",
        ),
        (
            "  zhaozixuan:\n",
            "  zhaozixuan:\n    15674190531: x\n    15674190531: y\n",
        ),
    ];
    for (from, to) in changes {
        let scratch = Scratch::new();
        scratch.replace(from, to);
        let report = scratch.check();
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.status != dossier::report::Status::Pass),
            "{to}:\n{}",
            summary(&report)
        );
        assert_no_personal_numbers(&report);
        // Nor in the JSON the command line writes.
        let (_, stdout, stderr) = dossier(&[
            "check",
            "--format",
            "json",
            scratch.bundle().to_str().unwrap(),
        ]);
        for id in IDS {
            assert!(
                !stdout.contains(id) && !stderr.contains(id),
                "{to}: {id} in\n{stdout}{stderr}"
            );
        }
    }
}

#[test]
fn personal_numbers_are_shown_when_asked() {
    let scratch = Scratch::new();
    scratch.replace("phone: \"15674190531\"", "phone: +8615674190531");
    let (_, stdout, _) = dossier(&[
        "check",
        "--format",
        "json",
        "--show-personal-data",
        scratch.bundle().to_str().unwrap(),
    ]);
    assert!(stdout.contains("+8615674190531"), "{stdout}");
}

#[test]
fn rule_errors_quoting_values_are_masked() {
    let files = dossier::rules::embedded_files()
        .into_iter()
        .map(|mut f| {
            if f.path.ends_with("deregister.yaml") {
                f.text = f
                    .text
                    .replacen(
                        "assert: same_name(doc.name, employee.name)",
                        "assert: 'throw `no: ${employee.id_number} / ${employee.phone} / ${doc.number}`'",
                        1,
                    )
                    .replacen(
                        "assert: on_or_before(doc.resignation_date, judged_on)",
                        "assert: 'throw holder.phone'",
                        1,
                    );
            }
            f
        })
        .collect();
    let rules = RuleSet::from_files("leaky", files, dossier::limits::Limits::default())
        .expect("unknown functions fail at run time, not at load");
    let report = within(TIME_BOUND, move || {
        rules.check_path(&repo(BASE), &CheckOptions::default())
    });
    let errors: Vec<_> = report.findings.iter().filter(|f| f.rule_error).collect();
    assert_eq!(errors.len(), 2, "{}", summary(&report));
    assert_no_personal_numbers(&report);
}

#[test]
fn load_errors_quoting_values_are_masked() {
    let files = dossier::rules::embedded_files()
        .into_iter()
        .map(|mut f| {
            if f.path.ends_with("deregister.yaml") {
                f.text = f.text.replacen(
                    "assert: on_or_before(doc.resignation_date, judged_on)",
                    "assert: 'doc.number == \"530102199110197813\" &&& true'",
                    1,
                );
                f.text.push_str("\n15674190531: x\n15674190531: y\n");
            }
            f
        })
        .collect();
    let errors =
        RuleSet::from_files("leaky", files, dossier::limits::Limits::default()).unwrap_err();
    assert!(!errors.0.is_empty(), "{errors}");
    let shown = errors.to_string();
    assert!(shown.contains("key `156****0531` appears twice"), "{shown}");
    for id in IDS {
        assert!(!shown.contains(id), "{shown}");
    }
}

#[test]
fn a_parse_error_shown_with_its_source_line_is_masked() {
    for (from, to) in [
        (
            "id_number: \"530102199110197813\"",
            "id_number: \"530102199110197813\" ]",
        ),
        ("phone: \"15674190531\"", "phone: 15674190531 : x"),
    ] {
        let scratch = Scratch::new();
        scratch.replace(from, to);
        let (code, stdout, stderr) = dossier(&["check", scratch.bundle().to_str().unwrap()]);
        assert_eq!(code, 1);
        for id in IDS {
            assert!(
                !stdout.contains(id) && !stderr.contains(id),
                "{id} in\n{stdout}\n{stderr}"
            );
        }
    }
}

#[test]
fn every_format_masks_personal_numbers_from_the_wrong_places() {
    let scratch = Scratch::new();
    scratch.replace("phone: \"15674190531\"", "phone: +8615674190531");
    scratch.replace(
        "valid_until: 2041-02-20",
        "valid_until: \"530102199110197813\"",
    );
    scratch.replace(
        "id_number: \"310115198111285117\"",
        "id_number: \"310115198111285118\"",
    );
    let bundle = scratch.bundle();
    for format in [
        "text", "json", "jsonl", "markdown", "html", "junit", "sarif", "github",
    ] {
        for lang in ["en", "zh"] {
            let (code, stdout, stderr) = dossier(&[
                "check",
                "--format",
                format,
                "--lang",
                lang,
                "--explain",
                bundle.to_str().unwrap(),
            ]);
            assert_eq!(code, 1, "{format}: {stderr}");
            for id in IDS.iter().chain(&["310115198111285118"]) {
                assert!(
                    !stdout.contains(id) && !stderr.contains(id),
                    "{format}/{lang} shows {id}"
                );
            }
        }
    }
}

/// The numbers hidden in bundle folder names below.
const NAMED: [&str; 2] = ["11010519491231002", "18615012247"];

#[test]
fn output_dir_gives_every_bundle_its_own_safely_named_masked_report() {
    let root = tempfile::tempdir().unwrap();
    let bundles = root.path().join("in");
    let place = |relative: &str| {
        let dir = bundles.join(relative);
        copy_dir(&repo(BASE), &dir);
        dir
    };
    // A 300-byte path (two components, each within NAME_MAX), two paths that
    // map to one name, and personal numbers in folder names.
    place(&format!("{}/{}", "a".repeat(200), "b".repeat(100)));
    place("x/y");
    place("x__y");
    place("张三_11010519491231002X");
    place("tel 186-1501-2247");
    let out = root.path().join("out");
    let (code, stdout, stderr) = dossier(&[
        "check",
        "--format",
        "json",
        "--output-dir",
        out.to_str().unwrap(),
        bundles.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), out.join("index.md").display().to_string());
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    let mut bundles_named = Vec::new();
    for name in &names {
        assert!(name.len() <= 200, "{name}");
        for number in NAMED {
            assert!(!name.contains(number), "{name}");
        }
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        for number in NAMED {
            assert!(!text.contains(number), "{name} shows {number}");
        }
        if name != "index.md" {
            let report: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(report["verdict"], "pass", "{name}");
            bundles_named.push(report["bundle"].as_str().unwrap().to_string());
        }
    }
    bundles_named.sort();
    let base = bundles.display().to_string();
    let expected = [
        format!("{base}/{}/{}", "a".repeat(200), "b".repeat(100)),
        format!("{base}/tel 186-****-2247"),
        format!("{base}/x/y"),
        format!("{base}/x__y"),
        format!("{base}/张三_110105********002X"),
    ];
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(bundles_named, expected);
}

/// How a test takes standard output or error away from the command.
#[derive(Clone, Copy, Debug)]
enum Broken {
    /// A pipe whose reader is gone, as under `| head -1` once head exits.
    ClosedPipe,
    /// `/dev/full`: every write fails with "no space left on device".
    FullDisk,
}

fn stream(broken: Broken) -> std::process::Stdio {
    match broken {
        Broken::ClosedPipe => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            writer.into()
        }
        Broken::FullDisk => File::options()
            .write(true)
            .open("/dev/full")
            .unwrap()
            .into(),
    }
}

/// Runs the binary with a broken stdout (and, when asked, a broken stderr).
fn run_broken(args: &[String], stdout: Broken, stderr_too: bool) -> (Option<i32>, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"));
    command.args(args).env_remove("LANG").env_remove("LC_ALL");
    command.stdout(stream(stdout));
    if stderr_too {
        command.stderr(stream(stdout));
    } else {
        command.stderr(std::process::Stdio::piped());
    }
    let output = within(TIME_BOUND, move || command.output().unwrap());
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_or_a_full_disk_ends_every_command_with_exit_2() {
    let root = tempfile::tempdir().unwrap();
    let folder = repo("fixtures/douyin.employee_account.open");
    let one = repo(BASE);
    let commands: Vec<Vec<String>> = vec![
        vec!["rules".into(), "list".into()],
        vec![
            "rules".into(),
            "show".into(),
            "douyin.employee_account.open".into(),
        ],
        vec!["rules".into(), "lint".into()],
        vec!["schema".into(), "bundle".into()],
        vec!["test".into(), repo("rules").display().to_string()],
        vec!["check".into(), one.display().to_string()],
        vec![
            "check".into(),
            "--format".into(),
            "json".into(),
            one.display().to_string(),
        ],
        vec![
            "check".into(),
            "--format".into(),
            "jsonl".into(),
            folder.display().to_string(),
        ],
        vec![
            "check".into(),
            "--format".into(),
            "html".into(),
            folder.display().to_string(),
        ],
        vec![
            "check".into(),
            "--output-dir".into(),
            root.path().join("out").display().to_string(),
            folder.display().to_string(),
        ],
        vec![
            "init".into(),
            "douyin.employee_account.open".into(),
            root.path().join("new").display().to_string(),
        ],
    ];
    for args in &commands {
        for broken in [Broken::ClosedPipe, Broken::FullDisk] {
            let _ = std::fs::remove_dir_all(root.path().join("new"));
            let (code, stderr) = run_broken(args, broken, false);
            assert_eq!(code, Some(2), "{args:?} {broken:?}: {stderr}");
            assert!(stderr.contains("error: cannot write"), "{args:?}: {stderr}");
            assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
            // With standard error broken too, the panic hook must not panic.
            let _ = std::fs::remove_dir_all(root.path().join("new"));
            let (code, _) = run_broken(args, broken, true);
            assert_eq!(code, Some(2), "{args:?} {broken:?} with stderr broken");
        }
    }
}

#[test]
fn stderr_masks_numbers_and_escapes_controls_from_bundle_and_waiver_names() {
    let root = tempfile::tempdir().unwrap();
    let bundle = root.path().join("张三_11010519491231002X\u{1b}[2K");
    copy_dir(&repo(BASE), &bundle);
    let manifest = bundle.join("bundle.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen(
            "operation:",
            "note: 186 1501 2247 \u{1b}[32mPASS\u{202E} : broken\noperation:",
            1,
        ),
    )
    .unwrap();
    let waivers = root.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "format: dossier.waivers/v1\nwaivers:\n  - rule: employee.age\n    bundle: \"tel18615012247\\e[1A\"\n    holder: x\n    reason: r\n    approved_by: a\n    expires: 2099-01-01\n",
    )
    .unwrap();
    let (code, _, stderr) = dossier(&[
        "check",
        "--waivers",
        waivers.to_str().unwrap(),
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    // The parse error is shown with its line, and the waiver warned about.
    assert!(stderr.contains("YAML syntax"), "{stderr}");
    assert!(stderr.contains("names no bundle of this run"), "{stderr}");
    assert!(stderr.contains("张三_110105********002X"), "{stderr}");
    for number in ["11010519491231002", "1501", "18615012247"] {
        assert!(!stderr.contains(number), "{number} in\n{stderr}");
    }
    assert!(
        !stderr.contains(['\u{1b}', '\u{202E}']),
        "a control character reached the terminal:\n{stderr:?}"
    );
}
