//! The rule files' diagnostic path: arbitrary text as one file of the
//! shipped rule set (an operation, the catalog or the script library; the
//! first byte picks which), loaded, and every load error rendered with its
//! source lines as `rules lint` shows them, plain and in colour. No panic,
//! no hang, and the rendering stays proportional to the errors: each
//! diagnostic shows a bounded excerpt of its file, never the whole file.
#![no_main]

use std::sync::LazyLock;

use dossier::diagnostic::render_load_errors;
use dossier::limits::Limits;
use dossier::rules::{RuleFile, RuleSet, embedded_files};
use libfuzzer_sys::fuzz_target;

const TARGETS: [&str; 3] = [
    "operations/douyin.employee_account.deregister.yaml",
    "catalog.yaml",
    "lib/common.rhai",
];

static FILES: LazyLock<Vec<RuleFile>> = LazyLock::new(embedded_files);

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let target = TARGETS[usize::from(pick) % TARGETS.len()];
    let files: Vec<RuleFile> = FILES
        .iter()
        .map(|file| RuleFile {
            path: file.path.clone(),
            text: if file.path == target {
                text.to_string()
            } else {
                file.text.clone()
            },
        })
        .collect();
    let Err(errors) = RuleSet::from_files("fuzz", files.clone(), Limits::default()) else {
        return;
    };
    assert!(!errors.0.is_empty());
    for color in [false, true] {
        let rendered = render_load_errors(&errors, "rules", &files, color);
        let count = errors.0.len();
        assert!(rendered.contains(&format!("does not load: {count} problem")));
        // A diagnostic quotes at most a few lines of 1 KiB and its message
        // (which may quote a long key or value once).
        let messages: usize = errors.0.iter().map(|e| e.to_string().len()).sum();
        let bound = count * 16 * 1024 + 2 * messages + 4096;
        assert!(rendered.len() <= bound, "{} > {bound}", rendered.len());
    }
});
