//! No personal number from a bundle appears unmasked in any rendering by
//! default, and `--show-personal-data` does show them. The numbers are read
//! from the fixture manifests themselves: every ID number and phone number
//! a party or document holds, as written and as normalised.

mod support;

use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{Format, RenderOptions, render};
use dossier::rules::RuleSet;
use serde_yaml::Value;

const PERSONAL_KEYS: [&str; 4] = ["id_number", "number", "phone", "mobile"];

fn collect(value: &Value, key: Option<&str>, found: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                collect(v, k.as_str(), found);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| collect(v, None, found)),
        Value::String(_) | Value::Number(_) if key.is_some_and(|k| PERSONAL_KEYS.contains(&k)) => {
            let written = match value {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other).unwrap().trim().to_string(),
            };
            let digits: String = written
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_uppercase();
            let digits = digits
                .strip_prefix("86")
                .filter(|d| d.len() == 11)
                .unwrap_or(&digits);
            // Numbers shorter than a mobile are not personal numbers worth
            // hunting (and would match dates and sizes by accident).
            for form in [written.clone(), digits.to_string()] {
                if form.chars().filter(char::is_ascii_digit).count() >= 11 && !found.contains(&form)
                {
                    found.push(form);
                }
            }
        }
        _ => {}
    }
}

/// The personal numbers a bundle's manifest holds, as written and normalised.
fn personal_numbers(case: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for name in ["bundle.yaml", "bundle.yml", "bundle.json"] {
        if let Ok(text) = std::fs::read_to_string(case.join(name))
            && let Ok(value) = serde_yaml::from_str::<Value>(&text)
        {
            collect(&value, None, &mut found);
        }
    }
    found
}

fn rendered(report: &dossier::report::Report, format: Format, lang: Lang, show: bool) -> String {
    let mut options = RenderOptions::in_language(lang);
    options.show_personal_data = show;
    options.explain = true;
    render(format, std::slice::from_ref(report), &options)
}

#[test]
fn no_personal_number_appears_unmasked_by_default_and_all_can_be_shown() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let mut leaks = Vec::new();
    let mut checked = 0;
    let mut shown_by_format = vec![0usize; Format::ALL.len()];
    for case in support::fixture_paths() {
        let numbers = personal_numbers(&case);
        if numbers.is_empty() {
            continue;
        }
        let report = rules.check_path(&case, &CheckOptions::default());
        for (index, format) in Format::ALL.into_iter().enumerate() {
            for lang in [Lang::Zh, Lang::En] {
                let masked = rendered(&report, format, lang, false);
                for number in &numbers {
                    checked += 1;
                    if masked.contains(number.as_str()) {
                        leaks.push(format!(
                            "{} {} {}: {number}",
                            case.display(),
                            format.name(),
                            lang.code()
                        ));
                    }
                }
                let shown = rendered(&report, format, lang, true);
                if numbers.iter().any(|n| shown.contains(n.as_str())) {
                    shown_by_format[index] += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} numbers checked");
    assert!(
        leaks.is_empty(),
        "unmasked personal numbers:\n{}",
        leaks.join("\n")
    );
    for (format, shown) in Format::ALL.iter().zip(&shown_by_format) {
        assert!(
            *shown > 0,
            "--show-personal-data never shows a number in {}",
            format.name()
        );
    }
}
