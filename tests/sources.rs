//! Every fixture judged from each source — its folder, and its files held in
//! memory — gives the same report apart from the name of the bundle and of
//! its manifest.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::report::Report;
use dossier::rules::RuleSet;
use dossier::source::BundleSource;

/// Every file below `dir`, keyed by its path relative to `dir` with `/`.
fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_str().unwrap();
                files.insert(name.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The report with the names that depend on the source blanked out.
fn comparable(report: &Report) -> String {
    let mut text = format!("{report:#?}");
    if let Some(manifest) = &report.manifest {
        text = text.replace(manifest.as_str(), "<manifest>");
    }
    text.replace(&report.bundle, "<bundle>")
}

#[test]
fn every_fixture_gives_the_same_report_from_every_source() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let options = CheckOptions::default();
    for case in support::fixture_paths() {
        let from_folder = rules.check_source(&BundleSource::from_path(&case), &options);
        assert_eq!(from_folder.bundle, case.display().to_string());
        let expected = comparable(&from_folder);
        let sources = [("memory", BundleSource::memory("upload", files_below(&case)))];
        for (label, source) in sources {
            let report = rules.check_source(&source, &options);
            assert_eq!(report.bundle, source.name(), "{label}");
            assert_eq!(
                comparable(&report),
                expected,
                "{} judged from {label}",
                case.display()
            );
        }
    }
}

#[test]
fn a_memory_bundle_with_a_name_leading_outside_fails_naming_it() {
    let rules = RuleSet::embedded().unwrap();
    let mut files = BTreeMap::new();
    files.insert("bundle.yaml".to_string(), b"format: x\n".to_vec());
    files.insert("../secret.pdf".to_string(), b"%PDF-".to_vec());
    let report = rules.check_source(
        &BundleSource::memory("upload", files),
        &CheckOptions::default(),
    );
    assert_eq!(report.bundle, "upload");
    assert_eq!(
        report.failing_rules(dossier::report::Severity::Error),
        ["bundle.readable"]
    );
    let message = format!("{:?}", report.findings[0].message);
    assert!(message.contains("../secret.pdf"), "{message}");
}
