//! In-process costs of judging one bundle, phase by phase (criterion):
//! loading the embedded rule set, reading and parsing a manifest, checking
//! its attachments, the whole judgement, and rendering the report.
//!
//! Run: `cargo bench --bench engine`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dossier::bundle::{self, check_attachment, read_envelope};
use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::limits::Limits;
use dossier::render::{RenderOptions, report_value, text};
use dossier::rules::RuleSet;

const BUNDLE: &str = "fixtures/douyin.employee_account.open/pass-three-employees";

fn phases(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("embedded rules");
    let limits = Limits::default();
    let path = Path::new(BUNDLE);
    let options = CheckOptions::default();

    c.bench_function("rules: load the embedded rule set", |b| {
        b.iter(|| black_box(RuleSet::embedded().is_ok()))
    });
    c.bench_function("bundle: read and parse the manifest", |b| {
        b.iter(|| black_box(bundle::load(path, &limits)))
    });
    let loaded = bundle::load(path, &limits);
    let root = loaded.manifest.as_ref().expect("fixture parses");
    c.bench_function("bundle: check every attachment", |b| {
        let envelope = read_envelope(root, &limits);
        b.iter(|| {
            for document in &envelope.documents {
                let file = document.file.and_then(|n| n.as_str()).unwrap_or_default();
                let digest = document.sha256.and_then(|n| n.as_str());
                black_box(check_attachment(
                    &loaded.dir,
                    file,
                    digest,
                    limits.attachment_bytes,
                ));
            }
        })
    });
    c.bench_function("engine: judge a parsed bundle", |b| {
        b.iter(|| black_box(rules.check_bundle(&loaded, &options)))
    });
    c.bench_function("whole: check_path", |b| {
        b.iter(|| black_box(rules.check_path(path, &options)))
    });
    let report = rules.check_path(path, &options);
    let render = RenderOptions {
        lang: Lang::Zh,
        ..RenderOptions::default()
    };
    c.bench_function("render: json", |b| {
        b.iter(|| black_box(report_value(&report, &render).to_string()))
    });
    c.bench_function("render: text", |b| {
        b.iter(|| black_box(text(&report, &render)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = phases
}
criterion_main!(benches);
