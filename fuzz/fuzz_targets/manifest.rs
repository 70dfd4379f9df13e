//! The manifest loader and the whole judgement of a bundle, from bytes: YAML
//! parsing within the limits, the envelope, typed fields, attachment
//! references (resolved in an empty folder) and every shipped rule script.
//! Any panic, hang or runaway allocation is a bug.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use dossier::engine::CheckOptions;
use dossier::internals::{Bundle, read_envelope};
use dossier::limits::Limits;
use dossier::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::embedded().expect("the shipped rules load"));
/// An empty bundle folder: every attachment reference resolves to nothing.
static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("dossier-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    dir
});

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits::default();
    let bundle = Bundle::from_bytes("fuzz", &DIR, bytes.to_vec(), &limits);
    if let Ok(root) = &bundle.manifest {
        let _ = read_envelope(root, &limits);
    }
    let report = RULES.check_bundle(&bundle, &CheckOptions::default());
    // A manifest that did not parse is one failing finding, never a pass.
    if bundle.manifest.is_err() {
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.verdict(), dossier::report::Verdict::Fail);
    }
    for finding in &report.findings {
        let _ = finding.message.render(dossier::lang::Lang::En, false);
        let _ = finding.message.render(dossier::lang::Lang::Zh, false);
    }
});
