//! In-process costs of judging one bundle, phase by phase (criterion):
//! loading the embedded rule set, reading and parsing a manifest, checking
//! its attachments, the whole judgement, and rendering the report.
//!
//! Run: `cargo bench --bench engine`. `DOSSIER_BENCH_BUNDLE=<dir>` measures
//! that bundle instead of the fixture; `DOSSIER_BENCH_CORPUS=<dir>` also
//! measures the phases over a sample of the bundles in that folder (the
//! first 50, sorted), so the figures are an average bundle's, not one
//! bundle's. `benches/run.sh` sets both.
//!
//! The judgement is also timed with every script left to rhai (the rules as
//! they ran before simple checks were evaluated natively), so one run shows
//! what the native checks save on the same machine at the same load.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use dossier::engine::CheckOptions;
use dossier::internals::{AttachmentCheck, Bundle, load_bundle, read_envelope};
use dossier::lang::Lang;
use dossier::limits::Limits;
use dossier::render::{RenderOptions, report_json, text};
use dossier::rules::RuleSet;

const BUNDLE: &str = "fixtures/douyin.employee_account.open/pass-three-employees";
const OPERATION: &str = "douyin.employee_account.open";
const SAMPLE: usize = 50;

/// The embedded rules with every script run by the interpreter.
fn interpreted() -> RuleSet {
    let mut rules = RuleSet::embedded().expect("embedded rules");
    for rule in rules.operations.iter_mut().flat_map(|o| o.rules.iter_mut()) {
        if let Some(when) = &mut rule.when {
            when.native = None;
        }
        for check in &mut rule.checks {
            check.assert.native = None;
        }
    }
    rules
}

/// Checks every attachment of a loaded bundle, as the judgement does.
fn check_attachments(loaded: &Bundle, limits: &Limits) -> usize {
    let Ok(root) = loaded.manifest.as_ref() else {
        return 0;
    };
    let envelope = read_envelope(root, limits);
    let mut valid = 0;
    for document in &envelope.documents {
        let file = document.file.and_then(|n| n.as_str()).unwrap_or_default();
        let digest = document.sha256.and_then(|n| n.as_str());
        let check = loaded
            .files
            .check_attachment(file, digest, limits.attachment_bytes);
        valid += usize::from(matches!(check, AttachmentCheck::Valid { .. }));
    }
    valid
}

fn phases(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("embedded rules");
    let limits = Limits::default();
    let bundle = std::env::var("DOSSIER_BENCH_BUNDLE").unwrap_or_else(|_| BUNDLE.to_string());
    let path = Path::new(&bundle);
    let options = CheckOptions::default();

    c.bench_function("rules: load the embedded rule set", |b| {
        b.iter(|| black_box(RuleSet::embedded().is_ok()))
    });
    c.bench_function("rules: load one operation's rules", |b| {
        b.iter(|| black_box(RuleSet::embedded_for(black_box(OPERATION)).is_ok()))
    });
    c.bench_function("bundle: read and parse the manifest", |b| {
        b.iter(|| black_box(load_bundle(path, &limits)))
    });
    // The manifest's bytes already in memory: decoding and YAML alone. The
    // same text behind a `%YAML 1.2` directive is read by the general YAML
    // reader (the fast one declines at its first byte), so one run shows both.
    if let Ok(manifest) = std::fs::read(path.join("bundle.yaml")) {
        let from_memory =
            |bytes: &[u8]| Bundle::from_bytes("bundle.yaml", path, bytes.to_vec(), &limits);
        assert!(from_memory(&manifest).manifest.is_ok(), "{bundle} parses");
        c.bench_function("bundle: parse the manifest from memory", |b| {
            b.iter(|| black_box(from_memory(black_box(&manifest))))
        });
        let general = [b"%YAML 1.2\n---\n".as_slice(), &manifest].concat();
        assert!(from_memory(&general).manifest.is_ok(), "{bundle} parses");
        c.bench_function(
            "bundle: parse the manifest from memory, general YAML reader",
            |b| b.iter(|| black_box(from_memory(black_box(&general)))),
        );
    }
    let loaded = load_bundle(path, &limits);
    assert!(loaded.manifest.is_ok(), "{bundle} parses");
    c.bench_function("bundle: check every attachment", |b| {
        b.iter(|| black_box(check_attachments(&loaded, &limits)))
    });
    c.bench_function("engine: judge a parsed bundle", |b| {
        b.iter(|| black_box(rules.check_bundle(&loaded, &options)))
    });
    let in_rhai = interpreted();
    c.bench_function("engine: judge a parsed bundle, every script in rhai", |b| {
        b.iter(|| black_box(in_rhai.check_bundle(&loaded, &options)))
    });
    c.bench_function("whole: check_path", |b| {
        b.iter(|| black_box(rules.check_path(path, &options)))
    });
    let report = rules.check_path(path, &options);
    let render = RenderOptions::in_language(Lang::Zh);
    c.bench_function("render: json", |b| {
        b.iter(|| black_box(report_json(&report, &render)))
    });
    c.bench_function("render: text", |b| {
        b.iter(|| black_box(text(&report, &render)))
    });
}

/// The same phases over a sample of a generated corpus; criterion reports
/// the time for the whole sample, `benches/report.py` divides by its size.
fn corpus(c: &mut Criterion) {
    let Ok(dir) = std::env::var("DOSSIER_BENCH_CORPUS") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("DOSSIER_BENCH_CORPUS is a folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    paths.sort();
    paths.truncate(SAMPLE);
    let n = paths.len();
    let rules = RuleSet::embedded().expect("embedded rules");
    let limits = Limits::default();
    let options = CheckOptions::default();
    let render = RenderOptions::in_language(Lang::Zh);
    let loaded: Vec<_> = paths.iter().map(|p| load_bundle(p, &limits)).collect();
    let reports: Vec<_> = loaded
        .iter()
        .map(|b| rules.check_bundle(b, &options))
        .collect();

    let mut group = c.benchmark_group(format!("corpus sample of {n}"));
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(n as u64));
    group.bench_function("bundle: read and parse the manifest", |b| {
        b.iter(|| {
            for p in &paths {
                black_box(load_bundle(p, &limits));
            }
        })
    });
    group.bench_function("bundle: check every attachment", |b| {
        b.iter(|| {
            for l in &loaded {
                black_box(check_attachments(l, &limits));
            }
        })
    });
    group.bench_function("engine: judge a parsed bundle", |b| {
        b.iter(|| {
            for l in &loaded {
                black_box(rules.check_bundle(l, &options));
            }
        })
    });
    let in_rhai = interpreted();
    group.bench_function("engine: judge a parsed bundle, every script in rhai", |b| {
        b.iter(|| {
            for l in &loaded {
                black_box(in_rhai.check_bundle(l, &options));
            }
        })
    });
    group.bench_function("whole: check_path", |b| {
        b.iter(|| {
            for p in &paths {
                black_box(rules.check_path(p, &options));
            }
        })
    });
    group.bench_function("render: json", |b| {
        b.iter(|| {
            for r in &reports {
                black_box(report_json(r, &render));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = phases, corpus
}
criterion_main!(benches);
