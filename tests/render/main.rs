//! Every report rendering beyond text and JSON (those are snapshotted per
//! fixture in `tests/fixtures.rs`): snapshots of each format for a passing
//! and a failing bundle of each operation in both languages, and structural
//! checks of each format over every fixture.

#[path = "../support/mod.rs"]
mod support;

mod html;
mod xml;

use std::sync::OnceLock;

use dossier::engine::CheckOptions;
use dossier::lang::{Lang, Localized};
use dossier::render::{Format, RenderOptions, render, sarif_value};
use dossier::report::{
    Argument, Finding, Message, PartySummary, Report, Severity, Status, Verdict,
};
use dossier::rules::RuleSet;

/// Every fixture's report, evaluated once for all tests of this file.
fn reports() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let rules = RuleSet::embedded().expect("the shipped rules load");
        support::fixture_paths()
            .iter()
            .map(|p| rules.check_path(p, &CheckOptions::default()))
            .collect()
    })
}

fn report(case: &str) -> &'static Report {
    reports()
        .iter()
        .find(|r| r.bundle.ends_with(case))
        .unwrap_or_else(|| panic!("no fixture {case}"))
}

fn options(lang: Lang) -> RenderOptions {
    RenderOptions::in_language(lang)
}

const SNAPSHOT_CASES: [&str; 4] = [
    "douyin.employee_account.open/pass-contact",
    "douyin.employee_account.open/fail-employee.age",
    "douyin.employee_account.deregister/pass-review-window",
    "douyin.employee_account.deregister/fail-legal_representative.id_card-expired",
];

const SNAPSHOT_FORMATS: [Format; 5] = [
    Format::Markdown,
    Format::Html,
    Format::Junit,
    Format::Sarif,
    Format::Github,
];

/// The HTML without its style sheet, which is the same on every page.
fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) => {
            format!("{}<style>…</style>{}", &html[..start], &html[end + 8..])
        }
        _ => html.to_string(),
    }
}

#[test]
fn each_format_matches_its_snapshot() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots/render");
    settings.set_prepend_module_to_snapshot(false);
    // The rule set's digest changes with every rule edit; that it is named is what counts.
    settings.add_filter(
        r#"(rules_sha256[":\s=a-z]{0,12})[0-9a-f]{64}"#,
        "${1}[rules sha256]",
    );
    settings.add_filter(
        r"(规则集 sha256 |rule set sha256 )[0-9a-f]{64}",
        "${1}[rules sha256]",
    );
    settings.bind(|| {
        for case in SNAPSHOT_CASES {
            let report = report(case);
            let name = case.replace('/', "__");
            for format in SNAPSHOT_FORMATS {
                for lang in [Lang::Zh, Lang::En] {
                    let mut text = render(format, std::slice::from_ref(report), &options(lang));
                    if format == Format::Html {
                        text = without_style(&text);
                    }
                    insta::assert_snapshot!(
                        format!("{name}__{}_{}", format.name(), lang.code()),
                        text
                    );
                }
            }
        }
    });
}

fn failing_errors(report: &Report) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail && f.severity == Severity::Error)
        .collect()
}

/// The cells of a Markdown table row, split on pipes that are not escaped.
fn cells(line: &str) -> usize {
    let mut count: usize = 0;
    let mut escaped = false;
    for character in line.chars() {
        match character {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count.saturating_sub(1)
}

fn assert_tables_well_formed(markdown: &str, what: &str) {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut index = 0;
    let mut tables = 0;
    while index < lines.len() {
        if !lines[index].starts_with('|') {
            index += 1;
            continue;
        }
        tables += 1;
        let width = cells(lines[index]);
        assert!(width >= 2, "{what}: table header {:?}", lines[index]);
        let separator = lines.get(index + 1).copied().unwrap_or("");
        assert_eq!(
            separator,
            format!("|{}", "---|".repeat(width)),
            "{what}: separator under {:?}",
            lines[index]
        );
        index += 2;
        while index < lines.len() && lines[index].starts_with('|') {
            assert_eq!(cells(lines[index]), width, "{what}: row {:?}", lines[index]);
            assert!(
                lines[index].ends_with(" |"),
                "{what}: row {:?}",
                lines[index]
            );
            index += 1;
        }
        assert!(
            lines.get(index).is_none_or(|l| l.is_empty()),
            "{what}: a table must end with a blank line"
        );
    }
    assert!(tables >= 1, "{what}: no table");
}

#[test]
fn markdown_tables_are_well_formed_for_every_fixture() {
    for report in reports() {
        for lang in [Lang::Zh, Lang::En] {
            let markdown = render(
                Format::Markdown,
                std::slice::from_ref(report),
                &options(lang),
            );
            assert_tables_well_formed(&markdown, &report.bundle);
            for finding in failing_errors(report) {
                assert!(
                    markdown.contains(&format!("`{}`", finding.rule)),
                    "{}: {} missing",
                    report.bundle,
                    finding.rule
                );
            }
        }
    }
    let batch = render(Format::Markdown, reports(), &options(Lang::En));
    assert_tables_well_formed(&batch, "batch");
}

#[test]
fn html_is_well_formed_and_holds_verdict_and_failures() {
    for report in reports() {
        for lang in [Lang::Zh, Lang::En] {
            let html = render(Format::Html, std::slice::from_ref(report), &options(lang));
            assert!(html.starts_with("<!DOCTYPE html>\n"));
            let root = xml::parse(&html).unwrap_or_else(|e| panic!("{}: {e}", report.bundle));
            assert_eq!(root.name, "html");
            let expected_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
            assert_eq!(root.attribute("lang"), Some(expected_lang));
            let elements = root.descendants();
            for forbidden in ["script", "link", "img", "iframe"] {
                assert!(
                    elements.iter().all(|e| e.name != forbidden),
                    "no <{forbidden}>"
                );
            }
            let banner = elements
                .iter()
                .find(|e| {
                    e.attribute("class")
                        .is_some_and(|c| c.starts_with("banner"))
                })
                .expect("a verdict banner");
            let verdict = match (report.verdict(), lang) {
                (Verdict::Pass, Lang::Zh) => "通过",
                (Verdict::Fail, Lang::Zh) => "不通过",
                (Verdict::Pass, Lang::En) => "PASS",
                (Verdict::Fail, Lang::En) => "FAIL",
            };
            assert!(banner.all_text().contains(verdict), "{}", report.bundle);
            let text = root.all_text();
            for finding in failing_errors(report) {
                let message = finding.message.render(lang, false);
                assert!(text.contains(&message), "{}: {message}", report.bundle);
            }
        }
    }
    let batch = render(Format::Html, reports(), &options(Lang::En));
    let root = xml::parse(&batch).expect("the batch page is well-formed");
    let sections = root
        .descendants()
        .into_iter()
        .filter(|e| e.name == "section" && e.attribute("class") == Some("report"))
        .count();
    assert_eq!(
        sections,
        reports().len(),
        "one section per bundle, one page"
    );
    assert_eq!(batch.matches("<html").count(), 1);
}

fn check_junit(text: &str, reports: &[Report], options: &RenderOptions) {
    let root = xml::parse(text).expect("JUnit XML is well-formed");
    assert_eq!(root.name, "testsuites");
    let suites: Vec<_> = root.children_named("testsuite").collect();
    assert_eq!(suites.len(), reports.len());
    let mut total_failures = 0;
    for (suite, report) in suites.iter().zip(reports) {
        assert_eq!(suite.attribute("name"), Some(report.bundle.as_str()));
        let cases: Vec<_> = suite.children_named("testcase").collect();
        assert_eq!(cases.len(), report.findings.len(), "{}", report.bundle);
        let mut names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            cases.len(),
            "{}: test case names are distinct",
            report.bundle
        );
        let count = |element: &str| {
            cases
                .iter()
                .filter(|c| c.children_named(element).next().is_some())
                .count()
        };
        let failing = report
            .findings
            .iter()
            .filter(|f| f.fails_at(options.fail_on) && !f.rule_error)
            .count();
        assert_eq!(count("failure"), failing, "{}", report.bundle);
        assert_eq!(
            suite.attribute("failures"),
            Some(failing.to_string().as_str())
        );
        assert_eq!(count("skipped"), report.counts().skip);
        assert_eq!(
            suite.attribute("tests"),
            Some(report.findings.len().to_string().as_str())
        );
        total_failures += failing;
        for (case, finding) in cases.iter().zip(&report.findings) {
            assert!(
                case.attribute("name")
                    .unwrap()
                    .starts_with(finding.rule.as_str())
            );
            if finding.status == Status::Fail
                && finding.severity == Severity::Warning
                && options.fail_on == Severity::Error
            {
                let out = case
                    .children_named("system-out")
                    .next()
                    .expect("warning shown");
                assert!(out.text.starts_with("warning: ") || out.text.starts_with("警告: "));
            }
        }
    }
    assert_eq!(
        root.attribute("failures"),
        Some(total_failures.to_string().as_str())
    );
}

#[test]
fn junit_has_a_suite_per_bundle_and_a_case_per_finding() {
    for lang in [Lang::Zh, Lang::En] {
        for report in reports() {
            let text = render(Format::Junit, std::slice::from_ref(report), &options(lang));
            check_junit(&text, std::slice::from_ref(report), &options(lang));
        }
    }
    let mut strict = options(Lang::En);
    strict.fail_on = Severity::Warning;
    check_junit(
        &render(Format::Junit, reports(), &strict),
        reports(),
        &strict,
    );
    let warned = report("douyin.employee_account.deregister/warn-contact.reachable");
    let lenient = render(
        Format::Junit,
        std::slice::from_ref(warned),
        &options(Lang::En),
    );
    assert!(!lenient.contains("<failure"), "warnings pass by default");
    let strict = render(Format::Junit, std::slice::from_ref(warned), &strict);
    assert!(strict.contains("<failure message=") && strict.contains("type=\"warning\""));
}

#[test]
fn sarif_holds_rules_results_and_locations() {
    for lang in [Lang::Zh, Lang::En] {
        let log = sarif_value(reports(), &options(lang));
        assert_eq!(log["version"], "2.1.0");
        assert!(
            log["$schema"]
                .as_str()
                .unwrap()
                .ends_with("sarif-schema-2.1.0.json")
        );
        let run = &log["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "dossier");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        for rule in rules {
            assert!(rule["shortDescription"]["text"].is_string());
            assert!(rule["fullDescription"]["text"].is_string());
            assert!(rule["help"]["text"].is_string());
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(["error", "warning", "note"].contains(&level));
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "each rule once");
        assert!(ids.contains(&"employee.age") && ids.contains(&"bundle.readable"));
        let results = run["results"].as_array().unwrap();
        let failing: usize = reports()
            .iter()
            .map(|r| {
                r.findings
                    .iter()
                    .filter(|f| matches!(f.status, Status::Fail | Status::Waived))
                    .count()
            })
            .sum();
        assert_eq!(results.len(), failing);
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            assert!(!result["message"]["text"].as_str().unwrap().is_empty());
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri.starts_with("fixtures/") && !uri.contains(' '), "{uri}");
            if let Some(line) = location["region"]["startLine"].as_u64() {
                assert!(line >= 1);
            }
            if let Some(path) = result["properties"]["path"].as_str() {
                assert_eq!(
                    result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                    path
                );
            }
        }
    }
    let age_report = report("douyin.employee_account.open/fail-employee.age");
    let age = sarif_value(std::slice::from_ref(age_report), &options(Lang::En));
    let age_line = age_report
        .findings
        .iter()
        .find(|f| f.rule == "employee.age")
        .and_then(|f| f.line)
        .expect("the age finding has a line");
    let result = &age["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "employee.age");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        age_line
    );
}

#[test]
fn jsonl_is_one_compact_report_per_line() {
    let text = render(Format::Jsonl, reports(), &options(Lang::Zh));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), reports().len());
    assert!(text.ends_with('\n'));
    for (line, report) in lines.iter().zip(reports()) {
        let value: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert_eq!(value["format"], "dossier.report/v1");
        assert_eq!(value["bundle"], report.bundle.as_str());
        assert!(!line.contains("\n  "));
    }
}

#[test]
fn github_annotations_are_one_per_failing_finding() {
    for report in reports() {
        let text = render(
            Format::Github,
            std::slice::from_ref(report),
            &options(Lang::En),
        );
        let errors = text.lines().filter(|l| l.starts_with("::error ")).count();
        let warnings = text.lines().filter(|l| l.starts_with("::warning ")).count();
        assert_eq!(errors, report.counts().fail, "{}", report.bundle);
        assert_eq!(warnings, report.counts().warn, "{}", report.bundle);
        for line in text.lines() {
            assert!(
                line.starts_with("::error ")
                    || line.starts_with("::warning ")
                    || line.starts_with("::notice ")
                    || line.starts_with("dossier: "),
                "{line}"
            );
        }
        if let (Some(finding), Some(manifest)) = (failing_errors(report).first(), &report.manifest)
            && let Some(line) = finding.line
        {
            let start = format!("::error file={manifest},line={line},title={}", finding.rule);
            assert!(text.contains(&start), "{}", report.bundle);
        }
    }
}

/// A report written by hand whose every text is hostile to some format.
fn hostile_report() -> Report {
    let message = Message::new(
        Localized::new(
            "值 {v} 有 | 竖线\n和换行 <b>&</b> 100%",
            "value {v} has a | pipe\nand a line break <b>&</b> 100%",
        ),
        vec![Argument::text("v", "a,b:c\r\n\"q\" 'x' `t` \u{1}")],
    );
    let mut finding = Finding::new("weird.rule", Status::Fail, Severity::Error, message.clone())
        .with_hint(message)
        .with_holder(Some("p|1"))
        .with_path("/parties/p|1/name");
    finding.line = Some(7);
    let mut report = Report::empty("odd dir/<b>&x");
    report.manifest = Some("odd dir/<b>&x/bundle.yaml".into());
    report.operation = Some("op,x:y".into());
    report.operation_title = Some(Localized::new("标题 <i>", "title <i>"));
    report.operation_version = Some("v|1 <x>".into());
    report.parties = vec![PartySummary {
        key: "p|1".into(),
        role: None,
        name: Some("名|字\n<x>".into()),
        is_company: true,
    }];
    report.findings = vec![finding];
    report
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let reports = [hostile_report()];
    for lang in [Lang::Zh, Lang::En] {
        let options = options(lang);
        let markdown = render(Format::Markdown, &reports, &options);
        assert_tables_well_formed(&markdown, "hostile markdown");
        assert!(!markdown.contains("<b>&</b>") && markdown.contains("&lt;b&gt;"));
        assert!(!markdown.contains('\u{1}'));
        let html = render(Format::Html, &reports, &options);
        let root = xml::parse(&html).expect("hostile HTML is well-formed");
        assert!(
            root.descendants()
                .iter()
                .all(|e| e.name != "b" && e.name != "i")
        );
        let junit = render(Format::Junit, &reports, &options);
        let root = xml::parse(&junit).expect("hostile JUnit is well-formed");
        let case = root
            .descendants()
            .into_iter()
            .find(|e| e.name == "testcase")
            .unwrap();
        assert!(case.attribute("name").unwrap().contains("p|1"));
        let failure = case.children_named("failure").next().unwrap();
        assert!(failure.attribute("message").unwrap().contains("<b>&</b>"));
        assert!(
            failure.attribute("message").unwrap().contains('\n'),
            "line breaks survive attributes"
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &reports, &options)).unwrap();
        let uri =
            sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"]
                .as_str()
                .unwrap();
        assert_eq!(uri, "odd%20dir/%3Cb%3E%26x/bundle.yaml");
        let github = render(Format::Github, &reports, &options);
        let annotation = github.lines().next().unwrap();
        assert!(annotation.starts_with("::error file=odd dir/<b>&x/bundle.yaml,line=7,title=weird.rule [p|1] /parties/p|1/name::"));
        assert!(annotation.contains("100%25") && annotation.contains("%0A"));
        assert!(!annotation.contains('\r'));
        assert_eq!(
            github.lines().count(),
            2,
            "one annotation and one summary line"
        );
    }
}
