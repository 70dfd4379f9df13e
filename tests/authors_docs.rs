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
    for id in dossier::rules::BUILT_IN {
        assert!(all.contains(&format!("## `{id}`")), "{id}");
    }
    for helper in dossier::internals::HELPERS
        .iter()
        .chain(dossier::internals::DATE_HELPERS)
        .chain(dossier::internals::PATTERN_HELPERS)
    {
        assert!(all.contains(helper.signature), "{}", helper.name);
    }
}

/// Every shipped rule cites a source a user can look up, in both languages:
/// never a label that only means something inside this project.
#[test]
fn every_shipped_basis_is_a_citation_in_both_languages() {
    let rules = RuleSet::embedded().unwrap();
    let mut checked = 0;
    for operation in &rules.operations {
        let window = operation.review_window.as_ref();
        let bases = operation
            .rules
            .iter()
            .map(|rule| (rule.id.to_string(), rule.basis.as_ref()))
            .chain(window.map(|w| (w.id.to_string(), w.basis.as_ref())));
        for (id, basis) in bases {
            let basis = basis.unwrap_or_else(|| panic!("{id} has no basis"));
            for text in [&basis.zh, &basis.en] {
                let lower = text.to_lowercase();
                assert!(
                    !lower.contains("seed") && lower != "practice" && !text.contains('§'),
                    "{id}: `{text}` is not a citation a user can follow"
                );
            }
            assert!(
                !basis.en.contains("部分") && !basis.en.contains("推荐阅读"),
                "{id}: the English basis carries Chinese prose: {}",
                basis.en
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} bases checked");
}
