//! Hostile rule sets (issue 7's catalogue, third part): runaway scripts,
//! scripts that try I/O or `eval`, imports that would cycle, rule files that
//! are bombs themselves. A rule set is copied from `rules/` into a temp
//! folder and one thing is changed; it is loaded from that folder as
//! `--rules DIR` would. A runaway script is a failing rule error naming its
//! rule, the other rules still judge, and nothing hangs; a rule set that
//! does not load checks nothing and exits 2.

mod hostile_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::{Report, Severity, Status, Verdict};
use dossier::rules::{LoadErrors, RuleFile, RuleSet, embedded_files};
use hostile_support::*;

const DEREGISTER: &str = "operations/douyin.employee_account.deregister.yaml";
const RESIGNATION_CHECK: &str = "assert: on_or_before(doc.resignation_date, judged_on)";

/// `rules/` copied into a temp folder, with `change` applied to `file`.
fn rule_dir(file: &str, change: impl FnOnce(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo("rules"), dir.path());
    let path = dir.path().join(file);
    let before = std::fs::read_to_string(&path).unwrap_or_else(|_| "# new\n".into());
    let after = change(&before);
    assert_ne!(before, after, "the change must apply");
    std::fs::write(path, after).unwrap();
    dir
}

fn load(dir: &Path) -> Result<RuleSet, LoadErrors> {
    let dir = dir.to_path_buf();
    within(TIME_BOUND, move || RuleSet::from_dir(&dir))
}

fn with_check(script: &str) -> tempfile::TempDir {
    let quoted = script.replace('\'', "''");
    rule_dir(DEREGISTER, |text| {
        text.replacen(RESIGNATION_CHECK, &format!("assert: '{quoted}'"), 1)
    })
}

fn check_with(rules: RuleSet, bundle: PathBuf) -> (Report, Duration) {
    within(TIME_BOUND, move || {
        let started = Instant::now();
        let report = rules.check_path(&bundle, &CheckOptions::default());
        (report, started.elapsed())
    })
}

fn assert_rule_error(report: &Report, rule: &str, needle: &str) {
    let errors: Vec<_> = report.findings.iter().filter(|f| f.rule_error).collect();
    assert!(!errors.is_empty(), "no rule error:\n{}", summary(report));
    for finding in &errors {
        assert_eq!(finding.rule, rule);
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Error);
        let message = text(finding);
        assert!(
            message.contains(&format!("rule {rule} could not be evaluated")),
            "{message}"
        );
        assert!(message.contains(needle), "expected `{needle}`: {message}");
        let hint = finding
            .hint
            .as_ref()
            .unwrap()
            .render(dossier::lang::Lang::En, false);
        assert!(hint.contains(DEREGISTER), "{hint}");
    }
    // The bundle is judged on everything else.
    for other in [
        "business_license.valid",
        "employee.id_card",
        "employee.relationship_proof",
    ] {
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule == other && f.status == Status::Pass),
            "{other} missing:\n{}",
            summary(report)
        );
    }
    assert_eq!(
        report.verdict(),
        Verdict::Fail,
        "a rule error is never a pass"
    );
}

#[test]
fn runaway_scripts_are_stopped_and_reported_as_rule_errors() {
    for (script, needle) in [
        ("loop {}", "stopped"),
        ("while true { let x = 1; }", "stopped"),
        (
            "fn f(x) { f(x + 1) } f(0)",
            "stopped: calls nested too deeply",
        ),
        (
            "fn f(n) { if n == 0 { 0 } else { f(n - 1) + f(n - 1) } } f(60) == 0",
            "stopped",
        ),
        (
            "let s = \"ab\"; loop { s += s; }",
            "stopped: Length of string too large",
        ),
        ("let a = []; loop { a.push(1); }", "stopped"),
        (
            "let a = [1]; a.pad(100000000, 0); true",
            "stopped: Size of array",
        ),
        (
            "let m = #{}; for i in 0..1000000 { m[`k${i}`] = i; } true",
            "stopped",
        ),
        (
            "\"x\".pad(100000000, \"y\") == \"\"",
            "stopped: Length of string too large",
        ),
    ] {
        let dir = with_check(script);
        let rules = load(dir.path()).unwrap_or_else(|e| panic!("{script}: {e}"));
        let (report, took) = check_with(rules, repo(BASE));
        assert_rule_error(&report, "resignation.date", needle);
        assert!(took < Duration::from_secs(5), "{script} took {took:?}");
        // A passing bundle with a broken rule: the tool could not do its job.
        let (code, stdout, _) = dossier(&[
            "check",
            "--format",
            "json",
            "--rules",
            dir.path().to_str().unwrap(),
            repo(BASE).to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{script}: {stdout}");
        assert!(
            stdout.contains("\"rule_error\": true") || stdout.contains("rule_error"),
            "{stdout}"
        );
    }
}

#[test]
fn a_rule_error_exits_2_even_when_the_bundle_also_fails() {
    let dir = with_check("loop {}");
    let failing = "fixtures/douyin.employee_account.deregister/fail-business_license.valid";
    let (code, _, _) = dossier(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        repo(failing).to_str().unwrap(),
    ]);
    // Spec §6: 2 wins over 1; an incomplete judgement is not an ordinary failure.
    assert_eq!(code, 2);
}

#[test]
fn scripts_have_no_io_and_no_eval() {
    // Functions that do not exist in the sandbox fail at run time, as rule errors.
    for script in [
        "open_file(\"/etc/passwd\") != \"\"",
        "read_file(\"/etc/passwd\") != \"\"",
        "system(\"touch /tmp/dossier-pwned\") == 0",
        "Fn(\"eval\").call(\"true\")",
    ] {
        let dir = with_check(script);
        match load(dir.path()) {
            Err(errors) => {
                let shown = errors.to_string();
                assert!(shown.contains(DEREGISTER), "{shown}");
            }
            Ok(rules) => {
                let (report, _) = check_with(rules, repo(BASE));
                assert_rule_error(&report, "resignation.date", "");
            }
        }
    }
    assert!(!Path::new("/tmp/dossier-pwned").exists());
    // `eval` and `import` are refused when the rule set loads: file:line:col.
    for script in ["eval(\"true\")", "import \"lib/common\" as c; true"] {
        let dir = with_check(script);
        let errors = load(dir.path()).expect_err(script);
        let text = std::fs::read_to_string(dir.path().join(DEREGISTER)).unwrap();
        let line = text
            .lines()
            .position(|l| l.contains(&format!("assert: '{}", &script[..6])))
            .unwrap()
            + 1;
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.file == DEREGISTER && e.position.is_some_and(|p| p.line == line)),
            "{script}: {errors}"
        );
        let (code, _, stderr) = dossier(&[
            "check",
            "--rules",
            dir.path().to_str().unwrap(),
            repo(BASE).to_str().unwrap(),
        ]);
        assert_eq!(code, 2);
        assert!(
            stderr.contains(&format!("{DEREGISTER}:{line}:")),
            "{stderr}"
        );
    }
    // print and debug are allowed and go nowhere.
    let dir = with_check(
        "print(\"leak\"); debug(\"leak\"); on_or_before(doc.resignation_date, judged_on)",
    );
    let (code, stdout, stderr) = dossier(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        repo(BASE).to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("leak") && !stderr.contains("leak"));
}

#[test]
fn imports_cannot_cycle() {
    // Only operations import, and only lib/*.rhai files, which may define
    // functions and nothing else: `import` inside a library does not parse.
    let dir = rule_dir("lib/a.rhai", |_| {
        "import \"lib/b\" as b;\nfn a() { b::b() }\n".into()
    });
    std::fs::write(
        dir.path().join("lib/b.rhai"),
        "import \"lib/a\" as a;\nfn b() { a::a() }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(DEREGISTER),
        std::fs::read_to_string(dir.path().join(DEREGISTER))
            .unwrap()
            .replacen(
                "imports: [lib/common.rhai]",
                "imports: [lib/common.rhai, lib/a.rhai, lib/b.rhai]",
                1,
            ),
    )
    .unwrap();
    let errors = load(dir.path()).expect_err("cyclic imports do not load");
    for file in ["lib/a.rhai", "lib/b.rhai"] {
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.file == file && e.position.is_some_and(|p| p.line == 1)),
            "{file}: {errors}"
        );
    }

    // An operation importing itself: its YAML is not a script.
    let dir = rule_dir(DEREGISTER, |text| {
        text.replacen(
            "imports: [lib/common.rhai]",
            &format!("imports: [lib/common.rhai, {DEREGISTER}]"),
            1,
        )
    });
    let errors = load(dir.path()).expect_err("self import does not load");
    assert!(errors.0.iter().any(|e| e.file == DEREGISTER), "{errors}");

    // A library that runs code when imported is refused.
    let dir = rule_dir("lib/common.rhai", |text| format!("{text}\nloop {{}}\n"));
    let errors = load(dir.path()).expect_err("statements in a library");
    assert!(
        errors
            .to_string()
            .contains("lib/common.rhai: an imported script may only define functions"),
        "{errors}"
    );
}

#[test]
fn hostile_rule_files_are_load_errors() {
    // An alias bomb in a rule file.
    let dir = rule_dir(DEREGISTER, |text| {
        format!("x: &a [1, 2]\ny: [*a, *a]\n{text}")
    });
    let errors = load(dir.path()).expect_err("alias bomb");
    assert!(
        errors
            .to_string()
            .contains(&format!("{DEREGISTER}:1:4: anchors")),
        "{errors}"
    );
    // A rule file over the size limit is not read.
    let dir = rule_dir("operations/huge.yaml", |_| String::new());
    std::fs::File::create(dir.path().join("operations/huge.yaml"))
        .unwrap()
        .set_len(5 * 1024 * 1024)
        .unwrap();
    let errors = load(dir.path()).expect_err("huge rule file");
    assert!(
        errors
            .to_string()
            .contains("operations/huge.yaml: cannot read: larger than the 4194304 bytes"),
        "{errors}"
    );
    // Deep nesting.
    let dir = rule_dir(DEREGISTER, |text| {
        format!("{text}\nx: {}\n", "[".repeat(100))
    });
    let errors = load(dir.path()).expect_err("deep");
    assert!(errors.to_string().contains(DEREGISTER), "{errors}");
    // Invalid UTF-8.
    let dir = rule_dir(DEREGISTER, |text| format!("{text}#"));
    let mut bytes = std::fs::read(dir.path().join(DEREGISTER)).unwrap();
    bytes.extend([0xFF, 0xFE]);
    std::fs::write(dir.path().join(DEREGISTER), bytes).unwrap();
    let errors = load(dir.path()).expect_err("not UTF-8");
    assert!(errors.to_string().contains(DEREGISTER), "{errors}");
    // A FIFO and a link leading outside in the rule folder are not read (and do not block).
    let dir = rule_dir("operations/pipe.yaml", |_| String::new());
    std::fs::remove_file(dir.path().join("operations/pipe.yaml")).unwrap();
    make_fifo(dir.path().join("operations/pipe.yaml"));
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("operations/passwd.yaml")).unwrap();
    let rules = load(dir.path()).expect("special files are skipped");
    assert_eq!(rules.operations.len(), 2);
}

/// A rule's words reach every report, page and terminal as written, so a
/// character that would act on the display instead of being shown (an ESC
/// sequence that rewrites a line, a bidirectional override that reorders
/// it, a zero-width mark) is a load error at its place, in titles,
/// messages, hints, citations and holiday names alike.
#[test]
fn rule_text_that_would_act_on_a_display_is_a_load_error() {
    let cases: [(&str, &str, &str, &str); 5] = [
        (
            DEREGISTER,
            "title: { zh: 提供营业执照,",
            "title: { zh: \"提供\\e[2K营业执照\",",
            "U+001B",
        ),
        (
            DEREGISTER,
            "en: Business licence provided }",
            "en: \"Business licence \\u202Eprovided\" }",
            "U+202E",
        ),
        (
            DEREGISTER,
            "zh: 提供营业执照扫描件,并填写执照上的名称、统一社会信用代码、法定代表人和营业期限\n",
            "zh: \"\\r提供营业执照扫描件\"\n",
            "U+000D",
        ),
        (
            DEREGISTER,
            "basis: { zh: \"",
            "basis: { zh: \"\\u200B",
            "U+200B",
        ),
        (
            "calendar/cn-mainland.yaml",
            "- name: 春节",
            "- name: \"春\\x07节\"",
            "U+0007",
        ),
    ];
    for (file, from, to, character) in cases {
        let dir = rule_dir(file, |text| text.replacen(from, to, 1));
        let errors = load(dir.path()).expect_err(to).to_string();
        assert!(errors.contains(file), "{to}: {errors}");
        assert!(
            errors.contains(&format!("invisible character {character}")),
            "{to}: {errors}"
        );
    }
    // Line breaks and tabs in a block of text are kept.
    let dir = rule_dir(DEREGISTER, |text| {
        text.replacen(
            "en: Business licence provided }",
            "en: \"Business licence\\n\\tprovided\" }",
            1,
        )
    });
    load(dir.path()).expect("line breaks and tabs are text");
}

#[test]
fn the_bundle_time_budget_stops_a_slow_rule_set() {
    // Only the wall clock stops these scripts: the operation count is off.
    let files: Vec<RuleFile> = embedded_files()
        .into_iter()
        .map(|mut f| {
            if f.path == DEREGISTER {
                f.text = f.text.replacen(
                    "assert: same_name(doc.name, employee.name)",
                    "assert: 'loop {}'",
                    1,
                );
            }
            f
        })
        .collect();
    let mut limits = Limits::default();
    limits.script_operations = 0;
    limits.script_time = Duration::from_millis(100);
    limits.bundle_time = Duration::from_millis(500);
    let rules = RuleSet::from_files("slow", files, limits).unwrap();
    // Forty employees, each with an ID card the runaway rule checks.
    let scratch = Scratch::new();
    let mut parties = String::new();
    let mut documents = String::new();
    for i in 0..40 {
        parties.push_str(&format!(
            "  e{i}: {{ role: employee, name: 员工{i}, phone: \"15674190531\" }}\n"
        ));
        documents.push_str(&format!(
            "  - {{ type: id_card, holder: e{i}, file: files/zhaozixuan_id_card.png, fields: {{ name: 员工{i}, number: \"530102199110197813\", valid_until: 2041-02-20 }} }}\n"
        ));
    }
    scratch.replace("parties:\n", &format!("parties:\n{parties}"));
    scratch.replace("documents:\n", &format!("documents:\n{documents}"));
    let (report, took) = check_with(rules, scratch.bundle());
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let budget: Vec<_> = report
        .findings
        .iter()
        .filter(|f| text(f).contains("time budget (0.5 s, bundle_time) is used up"))
        .collect();
    assert!(!budget.is_empty(), "{}", summary(&report));
    assert!(
        budget
            .iter()
            .all(|f| f.rule_error && f.status == Status::Fail)
    );
    // Each rule still has findings: nothing is silently dropped.
    for rule in [
        "employee.id_card",
        "employee.relationship_proof",
        "contact.reachable",
    ] {
        assert!(report.findings.iter().any(|f| f.rule == rule), "{rule}");
    }
    assert_eq!(report.verdict(), Verdict::Fail);
}

#[test]
fn a_spent_budget_still_yields_a_complete_report() {
    let mut limits = Limits::default();
    limits.bundle_time = Duration::ZERO;
    let rules = RuleSet::from_files("none", embedded_files(), limits).unwrap();
    let (report, _) = check_with(rules, repo(BASE));
    let files = report
        .findings
        .iter()
        .filter(|f| f.rule == "document.file")
        .count();
    assert_eq!(files, 4, "{}", summary(&report));
    assert!(report.findings.iter().filter(|f| f.rule_error).count() >= 4);
    assert_eq!(report.verdict(), Verdict::Fail);
}

/// Every load error of a rule file with `count` unknown keys, rendered as
/// `rules lint` shows them, within the time bound.
fn render_unknown_keys(change: impl Fn(&str) -> String, count: usize) -> String {
    let files: Vec<RuleFile> = embedded_files()
        .into_iter()
        .map(|mut f| {
            if f.path == DEREGISTER {
                f.text = change(&f.text);
            }
            f
        })
        .collect();
    within(TIME_BOUND, move || {
        let errors = RuleSet::from_files("many", files.clone(), Limits::default())
            .expect_err("unknown keys");
        assert_eq!(errors.0.len(), count);
        dossier::diagnostic::render_load_errors(&errors, "rules", &files, false)
    })
}

#[test]
fn many_unknown_keys_are_diagnosed_in_linear_time() {
    // 10 000 unknown keys in one rule, one a line: each diagnostic shows its
    // own line, not the whole file (quadratic before: 20 000 keys took over
    // two minutes).
    const KEYS: usize = 10_000;
    let rendered = render_unknown_keys(
        |text| {
            let keys: String = (0..KEYS).map(|i| format!("    k{i}: 1\n")).collect();
            text.replacen(
                "  - id: resignation.date\n",
                &format!("  - id: resignation.date\n{keys}"),
                1,
            )
        },
        KEYS,
    );
    assert!(rendered.contains(&format!(
        "error: the rule set does not load: {KEYS} problems"
    )));
    let last = format!("k{}", KEYS - 1);
    assert!(
        rendered.contains(&format!("    {last}: 1")),
        "the line is shown"
    );
    // Each diagnostic is a few short lines: the output grows linearly.
    assert!(rendered.len() < KEYS * 400, "{} bytes", rendered.len());

    // The same keys on one line of a flow map: the line is cut around each place.
    let rendered = render_unknown_keys(
        |text| {
            let keys: Vec<String> = (0..KEYS).map(|i| format!("k{i}: 1")).collect();
            text.replacen(
                "  employee: { count: one_or_more }",
                &format!("  employee: {{ count: one_or_more, {} }}", keys.join(", ")),
                1,
            )
        },
        KEYS,
    );
    let line = std::fs::read_to_string(repo(&format!("rules/{DEREGISTER}")))
        .unwrap()
        .lines()
        .position(|l| l == "  employee: { count: one_or_more }")
        .unwrap()
        + 1;
    let column = "  employee: { count: one_or_more, ".len()
        + (0..KEYS - 1)
            .map(|i| format!("k{i}: 1, ").len())
            .sum::<usize>()
        + 1;
    assert!(
        rendered.contains(&format!("rules/{DEREGISTER}:{line}:{column}\n")),
        "the place of the last key: {}",
        &rendered[rendered.len() - 600..]
    );
    assert!(rendered.contains("around the place: …"));
    assert!(rendered.len() < KEYS * 500, "{} bytes", rendered.len());
}
