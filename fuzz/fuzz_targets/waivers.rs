//! The waiver file and the bundle pattern. An even first byte: the rest is a
//! waiver file, parsed within the limits; when it parses, its waivers are
//! applied to a failing fixture's report and every pattern is matched
//! against the fixture's name. An odd first byte: the rest is a pattern and
//! a name (split at the first newline), and the linear matcher must agree
//! with a plain dynamic-programming one.
#![no_main]

use std::sync::LazyLock;

use dossier::engine::CheckOptions;
use dossier::report::Report;
use dossier::rules::RuleSet;
use dossier::waiver::{Waivers, apply_waivers, bundle_matches};
use libfuzzer_sys::fuzz_target;

const BUNDLE: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

static REPORT: LazyLock<Report> = LazyLock::new(|| {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(BUNDLE);
    let mut report = rules.check_path(&dir, &CheckOptions::default());
    report.bundle = BUNDLE.to_string();
    report
});

/// What `*` means, written the slow obvious way: within one folder name.
fn reference(pattern: &[u8], name: &[u8]) -> bool {
    fn clean(s: &[u8]) -> &[u8] {
        let s = s.strip_prefix(b"./").unwrap_or(s);
        let end = s.iter().rposition(|b| *b != b'/').map_or(0, |i| i + 1);
        &s[..end]
    }
    let (pattern, name) = (clean(pattern), clean(name));
    // matched[j]: the pattern read so far matches name[..j].
    let mut matched = vec![false; name.len() + 1];
    matched[0] = true;
    for &p in pattern {
        let mut next = vec![false; name.len() + 1];
        for j in 0..=name.len() {
            if p == b'*' {
                next[j] = matched[j] || (j > 0 && next[j - 1] && name[j - 1] != b'/');
            } else {
                next[j] = j > 0 && matched[j - 1] && name[j - 1] == p;
            }
        }
        matched = next;
    }
    matched[name.len()]
}

fuzz_target!(|bytes: &[u8]| {
    let Some((selector, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if selector % 2 == 0 {
        if let Ok(waivers) = Waivers::parse("fuzz.yaml", text) {
            let mut report = REPORT.clone();
            apply_waivers(&mut report, &waivers);
            for waiver in &waivers.waivers {
                let _ = bundle_matches(&waiver.bundle, BUNDLE);
            }
        }
    } else {
        let (pattern, name) = text.split_once('\n').unwrap_or((text, ""));
        if pattern.len() * name.len() <= 1 << 16 {
            assert_eq!(
                bundle_matches(pattern, name),
                reference(pattern.as_bytes(), name.as_bytes()),
                "{pattern:?} against {name:?}"
            );
        }
    }
});
