//! Scripts that would take unbounded memory or time between two checks of
//! the clock (issue 10, "bounded memory and time for any rule set"): map
//! keys rhai does not count, built-ins whose result dwarfs their input, and
//! expensive built-ins and helpers called in a loop. Each is a failing rule
//! error naming its rule, well within the time bound, and the process stays
//! well under 256 MiB.

mod hostile_support;

use std::time::{Duration, Instant};

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::{Report, Status, Verdict};
use dossier::rules::{RuleFile, RuleSet, embedded_files};
use hostile_support::{BASE, TIME_BOUND, dossier, repo, summary, text, within};

const DEREGISTER: &str = "operations/douyin.employee_account.deregister.yaml";
const CHECK: &str = "assert: on_or_before(doc.resignation_date, judged_on)";

fn files_with_check(script: &str) -> Vec<RuleFile> {
    embedded_files()
        .into_iter()
        .map(|mut f| {
            if f.path == DEREGISTER {
                let quoted = script.replace('\'', "''");
                let changed = f.text.replacen(CHECK, &format!("assert: '{quoted}'"), 1);
                assert_ne!(changed, f.text);
                f.text = changed;
            }
            f
        })
        .collect()
}

/// The base bundle checked with `script` as the resignation-date check.
fn check_with(script: &str) -> (Report, Duration) {
    check_within(script, Limits::default())
}

fn check_within(script: &str, limits: Limits) -> (Report, Duration) {
    let rules = RuleSet::from_files("bounds", files_with_check(script), limits)
        .unwrap_or_else(|e| panic!("{script}: {e}"));
    within(TIME_BOUND, move || {
        let started = Instant::now();
        let report = rules.check_path(&repo(BASE), &CheckOptions::default());
        (report, started.elapsed())
    })
}

fn assert_stopped(report: &Report, needle: &str) {
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "resignation.date")
        .unwrap();
    assert!(finding.rule_error, "{}", summary(report));
    assert_eq!(finding.status, Status::Fail);
    let message = text(finding);
    assert!(
        message.contains("rule resignation.date could not be evaluated: stopped: ")
            && message.contains(needle),
        "expected `{needle}`: {message}"
    );
    assert_eq!(report.verdict(), Verdict::Fail);
}

/// Map keys are not counted by rhai's size limits: 100 000 keys of 100 KB
/// would be 10 GB. The allocator's count stops the script.
const KEY_BOMB: &str = "let k = \"x\"; k.pad(100000, \"x\"); let m = #{}; for i in 0..100000 { m[`${i}${k}`] = i; } true";

#[test]
fn memory_rhai_does_not_count_is_bounded() {
    for script in [
        KEY_BOMB,
        // Keys and nothing else: every value the same small number.
        "let m = #{}; let k = \"y\"; k.pad(1000000, \"y\"); for i in 0..100000 { m[`${i}${k}`] = 0; } true",
        // A list of maps with long keys.
        "let a = []; let k = \"z\"; k.pad(200000, \"z\"); for i in 0..100000 { let m = #{}; m[`${i}${k}`] = 1; a.push(m); } true",
    ] {
        // Only the memory bound may stop these (a loaded machine could
        // otherwise reach the time limit first).
        let mut limits = Limits::default();
        limits.script_time = Duration::from_secs(60);
        limits.script_operations = 0;
        let (report, took) = check_within(script, limits);
        assert_stopped(&report, "memory budget exceeded");
        assert!(took < Duration::from_secs(5), "{script}: {took:?}");
    }
}

#[test]
fn built_ins_that_would_dwarf_their_input_are_refused_before_building() {
    for (script, needle) in [
        (
            "let s = \"x\"; s.pad(4000000, \"x\"); s.split(\"\").len() > 0",
            "Size of array",
        ),
        (
            "let s = \"x,\"; s.pad(4000000, \"x,\"); s.split(',').len() > 0",
            "Size of array",
        ),
        (
            "let s = \"x\"; s.pad(4000000, \"x\"); s.split_rev(\"\").len() > 0",
            "Size of array",
        ),
        (
            "let s = \"x\"; s.pad(4000000, \"x\"); s.to_chars().len() > 0",
            "Size of array",
        ),
        (
            "let s = \"x\"; s.pad(1000000, \"x\"); s.replace(\"x\", s); true",
            "Length of string",
        ),
        (
            "let s = \"x\"; s.pad(1000000, \"x\"); s.replace('x', s); true",
            "Length of string",
        ),
    ] {
        let (report, took) = check_with(script);
        assert_stopped(&report, needle);
        assert!(took < Duration::from_secs(5), "{script}: {took:?}");
    }
}

#[test]
fn the_time_limit_holds_for_expensive_built_ins_and_helpers() {
    // Each operation costs milliseconds on a 4 MiB text: the clock, read
    // every few operations, stops each loop soon after `script_time`
    // (500 ms). Before, 1 024 such operations ran between two readings.
    for script in [
        "let s = \"x\"; s.pad(1000000, \"x\"); loop { s.contains(\"y\"); }",
        "let s = \"x\"; s.pad(1000000, \"x\"); loop { s.index_of(\"y\"); }",
        "let s = \"x\"; s.pad(1000000, \"x\"); loop { s.split(\"y\"); }",
        "let s = \"x\"; s.pad(1000000, \"x\"); loop { s.to_upper(); }",
        "let s = \"x\"; s.pad(16000, \"x\"); let t = \"y\"; t.pad(16000, \"y\"); loop { same_name(s, t); }",
        "let s = \"x\"; s.pad(16000, \"x\"); loop { count_same(parties, \"employee\", \"name\", s, \"name\"); }",
        "let a = []; a.pad(50000, \"b\"); loop { a.sort(); a.reverse(); }",
    ] {
        let (report, took) = check_with(script);
        assert_stopped(&report, "time budget exceeded");
        // Generous against a loaded machine; it hangs for minutes without the bound.
        assert!(took < Duration::from_secs(8), "{script}: {took:?}");
        eprintln!("{took:?}  {script}");
    }
}

#[test]
fn name_helpers_refuse_texts_longer_than_a_manifest_could_hold() {
    // One `same_name` of a 1 MB text took seconds (debug build): a helper's
    // cost is bounded by bounding what it takes.
    for script in [
        "let s = \"x\"; s.pad(1000000, \"x\"); same_name(s, \"x\")",
        "let s = \"x\"; s.pad(1000000, \"x\"); name_key(s) == \"\"",
        "let s = \"x\"; s.pad(1000000, \"x\"); count_same(parties, \"employee\", \"name\", s, \"name\") == 0",
    ] {
        let (report, took) = check_with(script);
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule == "resignation.date")
            .unwrap();
        assert!(finding.rule_error, "{script}: {}", summary(&report));
        assert!(
            text(finding)
                .contains("a text of 1000000 bytes is longer than the 16384 a name helper takes"),
            "{}",
            text(finding)
        );
        assert!(took < Duration::from_secs(5), "{script}: {took:?}");
    }
}

/// Peak memory of the command line on the key bomb, from the kernel's
/// account of this test's children (the largest one waited for).
#[test]
fn the_key_bomb_stays_well_under_256_mib() {
    let dir = tempfile::tempdir().unwrap();
    for file in files_with_check(KEY_BOMB) {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.text).unwrap();
    }
    let (code, stdout, _) = dossier(&[
        "check",
        "--format",
        "json",
        "--rules",
        dir.path().to_str().unwrap(),
        repo(BASE).to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stdout}");
    // Memory stops it (time, on a heavily loaded machine).
    assert!(
        stdout.contains("memory budget exceeded") || stdout.contains("time budget exceeded"),
        "{stdout}"
    );
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    let peak_mib = usage.ru_maxrss / 1024;
    assert!(peak_mib < 128, "peak resident memory {peak_mib} MiB");
}
