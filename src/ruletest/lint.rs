//! What `dossier rules lint` checks of the rule tests beyond their shape:
//! that each names an operation of the rule set, rules that operation has
//! (or a built-in rule), and a bundle that exists. Each problem is a load
//! error at its value, with the nearest known name when one is close.

use std::collections::BTreeSet;

use super::case::TestFile;
use crate::rules::{BUILT_IN, LoadError, LoadErrorKind, RuleSet, nearest};
use crate::yaml::Position;

/// Every problem of `files` against `rules` (`None` when the rule set does
/// not load: then only the bundles are checked).
pub fn check_tests(rules: Option<&RuleSet>, files: &[TestFile]) -> Vec<LoadError> {
    let mut errors = Vec::new();
    for file in files {
        for (bundle, at) in file.places.iter().filter_map(|p| p.bundle.as_ref()) {
            if !file.dir.join(bundle).exists() {
                let message = format!(
                    "the bundle `{}` does not exist (a bundle is named relative to its test file)",
                    bundle.display()
                );
                problem(&mut errors, file, *at, message, None);
            }
        }
        if let Some(rules) = rules {
            check_names(&mut errors, rules, file);
        }
    }
    errors
}

fn problem(
    errors: &mut Vec<LoadError>,
    file: &TestFile,
    at: Position,
    message: String,
    hint: Option<String>,
) {
    let kind = LoadErrorKind::Lint { message, hint };
    errors.push(LoadError::new(&file.source, Some(at), kind));
}

/// The operation and the rule ids a file names.
fn check_names(errors: &mut Vec<LoadError>, rules: &RuleSet, file: &TestFile) {
    let known_operations = rules.operation_ids();
    let versions = rules.versions(&file.operation);
    if versions.is_empty() {
        let near = nearest(&file.operation, known_operations.iter().copied());
        let message = format!("the rule set has no operation `{}`", file.operation);
        problem(errors, file, file.operation_at, message, did_you_mean(near));
        return;
    }
    let ids: BTreeSet<String> = versions
        .iter()
        .flat_map(|o| {
            let scripted = o.rules.iter().map(|r| r.id.to_string());
            scripted.chain(o.review_window.iter().map(|w| w.id.to_string()))
        })
        .chain(BUILT_IN.iter().map(|id| id.to_string()))
        .collect();
    for places in &file.places {
        for (rule, at) in &places.rules {
            if ids.contains(rule) {
                continue;
            }
            let near = nearest(rule, ids.iter().map(String::as_str));
            let message = format!("`{}` has no rule `{rule}`", file.operation);
            problem(errors, file, *at, message, did_you_mean(near));
        }
    }
}

fn did_you_mean(near: Option<&str>) -> Option<String> {
    near.map(|near| format!("did you mean `{near}`?"))
}
