//! `dossier rules lint [DIR]`: load a rule set (catalog, operations,
//! libraries, calendar) and, for a folder, its rule tests, and report every
//! problem of them all in one run, each at its file:line:col. Exit 2 on any.

use std::path::Path;

use dossier::diagnostic::render_load_diagnostics;
use dossier::rules::{LoadErrors, RuleSet};
use dossier::ruletest::{check_tests, is_test_file, read_test_files};

use super::notice::{Notice, Problems, say};
use super::{EXIT_ERROR, EXIT_PASS, language, stderr_color};

pub fn lint(dir: Option<&Path>) -> Result<i32, i32> {
    let loaded = match dir {
        Some(dir) => RuleSet::from_dir(dir),
        None => RuleSet::embedded(),
    };
    let files = RuleSet::files(dir);
    // The embedded set carries no tests: they are run from a checkout.
    let (tests, mut test_errors) = match dir {
        Some(dir) => read_test_files(dir, &files),
        None => (Vec::new(), Vec::new()),
    };
    test_errors.extend(check_tests(loaded.as_ref().ok(), &tests));
    let rule_errors = loaded
        .as_ref()
        .err()
        .map(|e| e.0.clone())
        .unwrap_or_default();
    if rule_errors.is_empty() && test_errors.is_empty() {
        let Ok(rules) = loaded else {
            return Err(EXIT_ERROR);
        };
        let count: usize = rules.operations.iter().map(|o| o.rules.len()).sum();
        let cases: usize = tests.iter().map(|t| t.cases.len()).sum();
        let test_files = files.iter().filter(|f| is_test_file(&f.path)).count();
        println!(
            "ok: {} — {} operations ({} versions), {count} rules; {cases} rule test cases in {test_files} files",
            rules.origin,
            rules.operation_ids().len(),
            rules.operations.len()
        );
        return Ok(EXIT_PASS);
    }
    let root = dir.map_or("rules".to_string(), |d| d.display().to_string());
    let (rule_count, test_count) = (rule_errors.len(), test_errors.len());
    let mut all = rule_errors;
    all.extend(test_errors);
    eprint!(
        "{}",
        render_load_diagnostics(&LoadErrors(all), &root, &files, stderr_color())
    );
    // No --lang: lint is for rule authors; the count follows the locale.
    let lang = language(None);
    if rule_count > 0 {
        let (what, count) = (Problems::Rules, rule_count);
        say(lang, Notice::Problems { what, count });
    }
    if test_count > 0 {
        let (what, count) = (Problems::TestsWrong, test_count);
        say(lang, Notice::Problems { what, count });
    }
    Err(EXIT_ERROR)
}
