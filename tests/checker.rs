//! The library API every front end uses: a `Checker` built once judges one
//! bundle or an ordered, parallel stream of them, and a `BatchWriter`
//! writes any batch in any format, the same bytes whoever calls it.

mod support;

use std::sync::LazyLock;

use dossier::Checker;
use dossier::render::{BatchLayout, Format, RenderOptions};
use dossier::report::{Report, Status, Verdict};
use dossier::rules::RuleSet;
use dossier::source::BundleSource;
use dossier::waiver::Waivers;
use support::fixture_paths;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| {
    Checker::builder(RuleSet::embedded().expect("the shipped rules load")).build()
});

/// Every fixture and an unreadable path between them, so slow and fast
/// bundles (and one without a manifest) are interleaved.
fn sources() -> Vec<BundleSource> {
    let mut paths = fixture_paths();
    paths.insert(3, "fixtures/no-such-bundle".into());
    paths.into_iter().map(BundleSource::from_path).collect()
}

#[test]
fn many_bundles_come_back_in_input_order_with_any_number_of_jobs() {
    let alone: Vec<Report> = sources().iter().map(|p| CHECKER.check(p)).collect();
    for jobs in [1, 2, 5] {
        let batch: Vec<Report> = CHECKER.check_all(sources(), jobs).collect();
        assert_eq!(batch.len(), alone.len(), "one report per bundle");
        assert!(
            batch == alone,
            "{jobs} jobs: the same reports in input order"
        );
    }
    let unreadable = &alone[3];
    assert_eq!(unreadable.bundle, "fixtures/no-such-bundle");
    assert_eq!(unreadable.verdict(), Verdict::Fail);
}

#[test]
fn a_huge_number_of_jobs_is_capped_not_attempted() {
    let reports: Vec<Report> = CHECKER.check_all(sources(), usize::MAX).collect();
    assert_eq!(reports.len(), sources().len());
}

#[test]
fn workers_render_and_the_writer_writes_the_same_bytes_as_one_thread() {
    let settings = RenderOptions::default();
    for format in [Format::Jsonl, Format::Json, Format::Text, Format::Html] {
        let layout = BatchLayout::new(format, settings, true);
        let mut alone = layout.begin(Vec::new()).unwrap();
        for path in sources() {
            alone.add(CHECKER.check(&path)).unwrap();
        }
        let mut parallel = layout.begin(Vec::new()).unwrap();
        for entry in CHECKER.check_all_with(sources(), 3, move |r| layout.entry(r)) {
            parallel.add_entry(entry).unwrap();
        }
        let (alone, alone_summary) = alone.finish().unwrap();
        let (parallel, summary) = parallel.finish().unwrap();
        assert!(alone == parallel, "{format:?}");
        assert_eq!(summary, alone_summary);
        assert_eq!(summary.bundles, sources().len());
        assert!(summary.failed > 0 && summary.passed > 0);
    }
}

#[test]
fn waivers_given_to_the_checker_apply_to_every_report() {
    let bundle = "fixtures/douyin.employee_account.open/fail-employee.age";
    let waivers = Waivers::parse(
        "waivers.yaml",
        &format!(
            "format: dossier.waivers/v1\nwaivers:\n  - rule: employee.age\n    bundle: {bundle}\n    reason: 监护人已同意\n    approved_by: 王审核\n    expires: 2099-12-31\n"
        ),
    )
    .unwrap();
    let rules = RuleSet::embedded().unwrap();
    let checker = Checker::builder(rules).waivers(waivers).build();
    let source = BundleSource::from_path(bundle);
    let reports: Vec<Report> = checker.check_all([source.clone()], 2).collect();
    let waived = reports[0]
        .findings
        .iter()
        .find(|f| f.rule == "employee.age" && f.status == Status::Waived);
    assert!(waived.is_some(), "the waiver applies in a batch");
    assert_eq!(reports[0].verdict(), Verdict::Pass);
    assert_eq!(checker.check(&source), reports[0]);
}
