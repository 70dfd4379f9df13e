//! Archive input: bytes as an upload (zip, tar or tar.gz by content) →
//! `BundleSource::archive_bytes` → the whole check with the shipped rules.
//! Any panic, hang or runaway allocation is a bug; an archive that is
//! refused must give a failing report, never a pass.
#![no_main]

use std::sync::LazyLock;

use dossier::engine::CheckOptions;
use dossier::internals::ManifestError;
use dossier::limits::Limits;
use dossier::report::Verdict;
use dossier::rules::RuleSet;
use dossier::source::BundleSource;
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::embedded().expect("the shipped rules load"));

fuzz_target!(|bytes: &[u8]| {
    let source = BundleSource::archive_bytes("fuzz.zip", bytes.to_vec());
    let bundle = source.load(&Limits::default());
    let report = RULES.check_source(&source, &CheckOptions::default());
    if matches!(bundle.manifest, Err(ManifestError::Source { .. })) {
        assert_eq!(report.verdict(), Verdict::Fail);
        assert_eq!(report.findings.len(), 1);
    }
    for finding in &report.findings {
        let _ = finding.message.render(dossier::lang::Lang::En, false);
        let _ = finding.message.render(dossier::lang::Lang::Zh, false);
    }
});
