//! The rule-set loader with one fuzzed operation file beside the shipped
//! catalog, calendar and library: YAML, rule shapes, templates and rhai
//! compilation must report problems as load errors, never panic or hang.
//! When the fuzzed file loads, a fixture is checked with it, so fuzzed
//! scripts also run inside the sandbox.
#![no_main]

use std::sync::LazyLock;

use dossier::engine::CheckOptions;
use dossier::internals::Bundle;
use dossier::limits::Limits;
use dossier::rules::{RuleFile, RuleSet, embedded_files};
use libfuzzer_sys::fuzz_target;

const OPERATION: &str = "operations/douyin.employee_account.deregister.yaml";

static FILES: LazyLock<Vec<RuleFile>> = LazyLock::new(|| {
    embedded_files()
        .into_iter()
        .filter(|f| !f.path.starts_with("operations/"))
        .collect()
});

static BUNDLE: LazyLock<Bundle> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/douyin.employee_account.deregister/pass-resignation");
    dossier::internals::load_bundle(&dir, &Limits::default())
});

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut files = FILES.clone();
    files.push(RuleFile {
        path: OPERATION.to_string(),
        text: text.to_string(),
    });
    match RuleSet::from_files("fuzz", files, Limits::default()) {
        Err(errors) => {
            assert!(!errors.0.is_empty());
            let _ = errors.to_string();
        }
        Ok(rules) => {
            let report = rules.check_bundle(&BUNDLE, &CheckOptions::default());
            for finding in &report.findings {
                let _ = finding.message.render(dossier::lang::Lang::En, false);
            }
        }
    }
});
