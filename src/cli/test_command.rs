//! `dossier test [RULES_DIR]`: run the rule tests kept beside a rule set
//! (`RULES_DIR/tests/*.yaml`) with that rule set. Exit 0 when every case
//! gives what it expects, 1 on a mismatch (a changed or missing report
//! snapshot with `--snapshot`), 2 when the rule set or a test file does not
//! load, a case's bundle does not exist or a snapshot cannot be read or
//! written.

use std::path::PathBuf;

use clap::Args;
use dossier::diagnostic;
use dossier::ruletest::{SnapshotMode, coverage, load_test_files, render_coverage, run_with};

use super::notice::{Notice, Problems, say};
use super::{EXIT_ERROR, EXIT_FAIL, EXIT_PASS, emit, language, load_rules, stderr_color};

#[derive(Args)]
pub struct TestArgs {
    /// The rule set folder whose tests/ to run (default: ./rules).
    #[arg(value_name = "RULES_DIR", default_value = "rules")]
    dir: PathBuf,
    /// List passing cases too.
    #[arg(long, short)]
    verbose: bool,
    /// For each rule, list the cases that fail it; warn about rules no case fails.
    #[arg(long)]
    coverage: bool,
    /// Compare each case's whole report (zh and en) with the snapshot kept
    /// beside its test file (`<file>.snapshots/<case>.<lang>.txt`).
    #[arg(long)]
    snapshot: bool,
    /// Write the reports as the snapshots (after reviewing the diffs) and
    /// remove obsolete ones; implies --snapshot.
    #[arg(long)]
    update: bool,
}

pub fn run(args: TestArgs) -> Result<i32, i32> {
    let rules = load_rules(Some(&args.dir))?;
    // No --lang: rule tests are for rule authors; messages follow the locale.
    let lang = language(None);
    let files = load_test_files(&args.dir).map_err(|(errors, sources)| {
        let root = args.dir.display().to_string();
        let text = diagnostic::render_load_diagnostics(&errors, &root, &sources, stderr_color());
        eprint!("{text}");
        let count = errors.0.len();
        let what = Problems::TestsUnloaded;
        say(lang, Notice::Problems { what, count });
        EXIT_ERROR
    })?;
    if files.iter().all(|f| f.cases.is_empty()) {
        say(lang, Notice::NoRuleTests(&args.dir.join("tests")));
        return Err(EXIT_ERROR);
    }
    let snapshots = match (args.snapshot, args.update) {
        (_, true) => SnapshotMode::Update,
        (true, false) => SnapshotMode::Compare,
        (false, false) => SnapshotMode::Off,
    };
    let outcome = run_with(&rules, &files, snapshots);
    let mut text = outcome.render(args.verbose);
    if args.coverage {
        text.push_str(&render_coverage(&coverage(&rules, &files, &outcome)));
    }
    emit(&text, None, lang)?;
    if outcome.setup_failed() {
        return Err(EXIT_ERROR);
    }
    Ok(if outcome.ok() { EXIT_PASS } else { EXIT_FAIL })
}
