//! `docs/reference/` is what `dossier rules docs` writes for the shipped
//! rules: a stale page, a missing one or a left-over one fails.

use std::path::Path;

use dossier::render::reference_pages;
use dossier::rules::RuleSet;

#[test]
fn committed_reference_is_current() {
    let rules = RuleSet::embedded().unwrap();
    let pages = reference_pages(&rules);
    let root = Path::new("docs/reference");
    for (path, text) in &pages {
        let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        assert!(
            &committed == text,
            "docs/reference/{path} is stale; run: cargo run -- rules docs --out docs/reference"
        );
    }
    for entry in std::fs::read_dir(root.join("operations")).unwrap() {
        let name = format!(
            "operations/{}",
            entry.unwrap().file_name().to_string_lossy()
        );
        assert!(
            pages.iter().any(|(p, _)| *p == name),
            "docs/reference/{name} is left over"
        );
    }
}

#[test]
fn every_rule_and_helper_is_in_the_reference() {
    let rules = RuleSet::embedded().unwrap();
    let pages = reference_pages(&rules);
    let all: String = pages.iter().map(|(_, t)| t.as_str()).collect();
    for operation in &rules.operations {
        for rule in &operation.rules {
            assert!(all.contains(&format!("### `{}`", rule.id)), "{}", rule.id);
        }
    }
    for helper in dossier::internals::HELPERS
        .iter()
        .chain(dossier::internals::DATE_HELPERS)
        .chain(dossier::internals::PATTERN_HELPERS)
    {
        assert!(all.contains(helper.signature), "{}", helper.name);
    }
}
