//! Running rule test cases and saying how each differs from what was expected.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::case::{Case, TestFile};
use super::snapshot::{Difference, SnapshotLog, SnapshotMode};
use crate::engine::CheckOptions;
use crate::report::{Report, Severity, Status, Verdict};
use crate::rules::RuleSet;

/// Which rules of a report failed, warned or were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleStatuses {
    /// The report's verdict, `pass` or `fail`, as a test file writes it.
    pub verdict: String,
    /// Rules with a failing finding of severity error.
    pub fail: BTreeSet<String>,
    /// Rules with a failing finding of severity warning.
    pub warn: BTreeSet<String>,
    /// Rules with skipped findings and none that passed or failed.
    pub skip: BTreeSet<String>,
    /// Rules that could not be evaluated (a script error).
    pub broken: BTreeSet<String>,
}

impl RuleStatuses {
    /// The statuses of every rule with a finding in `report`.
    pub(crate) fn of(report: &Report) -> RuleStatuses {
        let mut statuses = RuleStatuses {
            verdict: match report.verdict() {
                Verdict::Pass => "pass".into(),
                Verdict::Fail => "fail".into(),
            },
            ..RuleStatuses::default()
        };
        let mut decided = BTreeSet::new();
        for finding in &report.findings {
            if finding.rule_error {
                statuses.broken.insert(finding.rule.to_string());
            }
            match finding.status {
                Status::Fail if finding.severity == Severity::Error => {
                    statuses.fail.insert(finding.rule.to_string());
                }
                Status::Fail if finding.severity == Severity::Warning => {
                    statuses.warn.insert(finding.rule.to_string());
                }
                Status::Skip => {
                    statuses.skip.insert(finding.rule.to_string());
                    continue;
                }
                _ => {}
            }
            decided.insert(finding.rule.to_string());
        }
        statuses.skip.retain(|rule| !decided.contains(rule));
        statuses
    }
}

/// One difference between expected and got.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// The report's verdict is not the expected one.
    Verdict {
        /// The verdict the case expects.
        expected: String,
        /// The report's verdict.
        got: String,
    },
    /// The bundle names a known operation other than the test file's.
    Operation {
        /// The test file's operation.
        expected: String,
        /// The bundle's operation.
        got: Option<String>,
    },
    /// The rules with a status differ from those expected.
    Rules {
        /// `fail`, `warn` or `skip`.
        what: &'static str,
        /// Expected with this status, but not so in the report.
        missing: Vec<String>,
        /// So in the report, but not expected.
        unexpected: Vec<String>,
    },
    /// Rules that could not be evaluated (a rule error): a case never
    /// holds while one of its rules is broken.
    Broken(Vec<String>),
    /// The case's report differs from its kept snapshot, or has none.
    Snapshot(Difference),
}

/// A case and what happened to it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CaseOutcome {
    /// The test file, as shown (its `path`).
    pub file: String,
    /// The case as read.
    pub case: Case,
    /// What the report said, rule by rule.
    pub got: RuleStatuses,
    /// How that differs from what the case expects; the case holds when
    /// there is none.
    pub mismatches: Vec<Mismatch>,
}

/// Every case of every file, and the rules no case names.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TestRun {
    /// Every case judged, in file order.
    pub outcomes: Vec<CaseOutcome>,
    /// `operation: rule` for rules of tested operations that no case expects
    /// to fail, warn or be skipped.
    pub untested: Vec<String>,
    /// Test files naming an operation the rule set does not have.
    pub unknown_operations: Vec<(String, String)>,
    /// Cases whose bundle does not exist, as (test file, case, path):
    /// a mistake in the test, not a result, so never judged.
    pub missing_bundles: Vec<(String, String, std::path::PathBuf)>,
    /// Snapshots written, obsolete, or that could not be read or written.
    pub snapshots: SnapshotLog,
}

impl TestRun {
    /// How many cases do not hold.
    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| !o.mismatches.is_empty())
            .count()
    }

    /// How many cases hold.
    pub fn passed(&self) -> usize {
        self.outcomes.len() - self.failed()
    }

    /// Whether every case holds and every test file's operation exists.
    pub fn ok(&self) -> bool {
        self.failed() == 0 && self.unknown_operations.is_empty()
    }

    /// Whether the tests themselves are wrong (a bundle path that does not
    /// exist): the run says nothing about the rules.
    pub fn setup_failed(&self) -> bool {
        !self.missing_bundles.is_empty() || !self.snapshots.errors.is_empty()
    }

    /// The run as text: every mismatch with its diff, then the untested rules and a count.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        for (file, case, path) in &self.missing_bundles {
            let _ = writeln!(
                out,
                "error: {file} :: {case}: the bundle {} does not exist",
                path.display()
            );
        }
        for error in &self.snapshots.errors {
            let _ = writeln!(out, "error: {error}");
        }
        for (file, operation) in &self.unknown_operations {
            let _ = writeln!(
                out,
                "error: {file}: the rule set has no operation `{operation}`"
            );
        }
        for outcome in &self.outcomes {
            if outcome.mismatches.is_empty() {
                if verbose {
                    let _ = writeln!(out, "ok    {} :: {}", outcome.file, outcome.case.name);
                }
                continue;
            }
            let _ = writeln!(
                out,
                "FAIL  {} :: {} (bundle {})",
                outcome.file,
                outcome.case.name,
                outcome.case.bundle.display()
            );
            for mismatch in &outcome.mismatches {
                render_mismatch(&mut out, mismatch);
            }
        }
        self.render_snapshot_log(&mut out);
        if !self.untested.is_empty() {
            let _ = writeln!(
                out,
                "warning: no case expects these rules to fail, warn or skip:"
            );
            for rule in &self.untested {
                let _ = writeln!(out, "  {rule}");
            }
        }
        let _ = writeln!(
            out,
            "rule tests: {} passed, {} failed",
            self.passed(),
            self.failed()
        );
        out
    }
}

impl TestRun {
    fn render_snapshot_log(&self, out: &mut String) {
        let log = &self.snapshots;
        for path in &log.written {
            let _ = writeln!(out, "wrote snapshot {}", path.display());
        }
        let updating = log.mode == SnapshotMode::Update;
        for path in &log.obsolete {
            let _ = if updating {
                writeln!(out, "removed obsolete snapshot {}", path.display())
            } else {
                writeln!(
                    out,
                    "warning: obsolete snapshot {} (no case keeps it; --update removes it)",
                    path.display()
                )
            };
        }
    }
}

fn render_mismatch(out: &mut String, mismatch: &Mismatch) {
    match mismatch {
        Mismatch::Snapshot(Difference::Missing(path)) => {
            let _ = writeln!(
                out,
                "      {}: no snapshot yet; run with --update after review",
                path.display()
            );
        }
        Mismatch::Snapshot(Difference::Changed { path, diff }) => {
            let _ = writeln!(
                out,
                "      {}: the report changed (- kept, + now); run with --update after review",
                path.display()
            );
            for line in diff.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
        Mismatch::Verdict { expected, got } => {
            let _ = writeln!(out, "      verdict: expected {expected}, got {got}");
        }
        Mismatch::Operation { expected, got } => {
            let got = got.as_deref().unwrap_or("none");
            let _ = writeln!(
                out,
                "      operation: expected {expected}, the bundle is for {got}"
            );
        }
        Mismatch::Rules {
            what,
            missing,
            unexpected,
        } => {
            let _ = writeln!(
                out,
                "      {what}: (- expected, not got; + got, not expected)"
            );
            for rule in missing {
                let _ = writeln!(out, "      - {rule}");
            }
            for rule in unexpected {
                let _ = writeln!(out, "      + {rule}");
            }
        }
        Mismatch::Broken(rules) => {
            let _ = writeln!(
                out,
                "      rules that could not be evaluated: {}",
                rules.join(", ")
            );
        }
    }
}

fn compare(what: &'static str, expected: &[String], got: &BTreeSet<String>) -> Option<Mismatch> {
    let expected: BTreeSet<&String> = expected.iter().collect();
    let missing: Vec<String> = expected
        .iter()
        .filter(|r| !got.contains(**r))
        .map(|r| r.to_string())
        .collect();
    let unexpected: Vec<String> = got
        .iter()
        .filter(|r| !expected.contains(r))
        .cloned()
        .collect();
    (!missing.is_empty() || !unexpected.is_empty()).then_some(Mismatch::Rules {
        what,
        missing,
        unexpected,
    })
}

fn judge(rules: &RuleSet, file: &TestFile, case: &Case, log: &mut SnapshotLog) -> CaseOutcome {
    let report = rules.check_path(
        &file.dir.join(&case.bundle),
        &CheckOptions {
            as_of: case.as_of,
            ..CheckOptions::default()
        },
    );
    let got = RuleStatuses::of(&report);
    let mut mismatches = Vec::new();
    // A bundle for another operation of the rule set is a mistake in the
    // case; one for an operation nobody knows is what the case may test.
    let known = report.operation.as_deref().and_then(|o| rules.operation(o));
    if known.is_some_and(|o| o.id != file.operation) {
        mismatches.push(Mismatch::Operation {
            expected: file.operation.clone(),
            got: report.operation.clone(),
        });
    }
    if got.verdict != case.expect.verdict {
        mismatches.push(Mismatch::Verdict {
            expected: case.expect.verdict.clone(),
            got: got.verdict.clone(),
        });
    }
    mismatches.extend(compare("fail", &case.expect.fail, &got.fail));
    mismatches.extend(compare("warn", &case.expect.warn, &got.warn));
    if let Some(skip) = &case.expect.skip {
        mismatches.extend(compare("skip", skip, &got.skip));
    }
    if !got.broken.is_empty() {
        mismatches.push(Mismatch::Broken(got.broken.iter().cloned().collect()));
    }
    let differences = log.case(&report, file, case);
    mismatches.extend(differences.into_iter().map(Mismatch::Snapshot));
    CaseOutcome {
        file: file.path.clone(),
        case: case.clone(),
        got,
        mismatches,
    }
}

/// Runs every case of `files` with `rules`.
pub fn run(rules: &RuleSet, files: &[TestFile]) -> TestRun {
    run_with(rules, files, SnapshotMode::Off)
}

/// Runs every case of `files` with `rules`, comparing (or updating) each
/// case's report snapshots as `snapshots` says.
pub fn run_with(rules: &RuleSet, files: &[TestFile], snapshots: SnapshotMode) -> TestRun {
    let mut run = TestRun {
        snapshots: SnapshotLog::new(snapshots),
        ..TestRun::default()
    };
    let mut named: BTreeSet<(String, String)> = BTreeSet::new();
    for file in files {
        if rules.operation(&file.operation).is_none() {
            run.unknown_operations
                .push((file.path.clone(), file.operation.clone()));
            continue;
        }
        run.snapshots.start_file(file);
        for case in &file.cases {
            let expect = &case.expect;
            let listed = expect
                .fail
                .iter()
                .chain(&expect.warn)
                .chain(expect.skip.iter().flatten());
            named.extend(listed.map(|rule| (file.operation.clone(), rule.clone())));
            let bundle = file.dir.join(&case.bundle);
            if !bundle.exists() {
                run.missing_bundles
                    .push((file.path.clone(), case.name.clone(), bundle));
                continue;
            }
            let outcome = judge(rules, file, case, &mut run.snapshots);
            run.outcomes.push(outcome);
        }
    }
    run.snapshots.finish(files);
    let tested: BTreeSet<&str> = files.iter().map(|f| f.operation.as_str()).collect();
    for operation in rules
        .operations
        .iter()
        .filter(|o| tested.contains(o.id.as_str()))
    {
        let ids = operation
            .rules
            .iter()
            .map(|r| r.id.clone())
            .chain(operation.review_window.iter().map(|w| w.id.clone()));
        for id in ids {
            let untested = format!("{}: {id}", operation.id);
            // A rule kept across versions is listed once.
            if !named.contains(&(operation.id.clone(), id.to_string()))
                && !run.untested.contains(&untested)
            {
                run.untested.push(untested);
            }
        }
    }
    run
}
