//! Every finding names a rule a user can look up: one of the operation's
//! own rules, or a built-in rule of the registry (`rules::BUILT_IN`), whose
//! reference page is generated from it. A built-in finding given under an
//! id that was never registered fails here, as does a registered rule no
//! fixture ever shows.

mod support;

use std::collections::BTreeSet;

use dossier::engine::CheckOptions;
use dossier::rules::{BUILT_IN, RuleSet};

/// Built-in rules no fixture bundle can show: a bug in dossier, and what
/// became of waivers (given only with `--waivers`; see tests/waivers.rs).
const NOT_IN_FIXTURES: [&str; 3] = ["dossier.internal", "waiver.expired", "waiver.unused"];

#[test]
fn every_finding_of_every_fixture_names_a_scripted_or_registered_rule() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let mut built_in_seen = BTreeSet::new();
    for case in support::fixture_paths() {
        let report = rules.check_path(&case, &CheckOptions::default());
        for finding in &report.findings {
            let scripted = rules.operations.iter().any(|operation| {
                operation.rules.iter().any(|rule| rule.id == finding.rule)
                    || operation
                        .review_window
                        .as_ref()
                        .is_some_and(|window| window.id == finding.rule)
            });
            if scripted {
                continue;
            }
            assert!(
                BUILT_IN.contains(&finding.rule.as_str()),
                "{}: `{}` is neither a rule of the rule set nor a registered built-in rule",
                case.display(),
                finding.rule
            );
            built_in_seen.insert(finding.rule.to_string());
        }
    }
    for id in BUILT_IN {
        if NOT_IN_FIXTURES.contains(&id) {
            continue;
        }
        assert!(
            built_in_seen.contains(id),
            "the built-in rule `{id}` is registered but no fixture shows it"
        );
    }
}
