//! The HTML report and batch index against what a close look found wrong:
//! the index's totals once and its company, operation and warnings
//! columns; each material once, under its party; passed findings folded;
//! links back to the index and to served attachments only when asked.

use dossier::lang::Lang;
use dossier::render::{
    Format, HtmlLinks, html, html_with_links, index_footer, index_header, index_row,
};
use dossier::report::{
    Argument, BatchSummary, Finding, Message, Outcome, Report, Severity, Status,
};

use super::xml::{self, Element};
use super::{options, report, reports};

/// The batch index of `reports` as `--output-dir` writes it.
fn index(format: Format, reports: &[Report], lang: Lang) -> String {
    let options = options(lang);
    let mut page = index_header(format, &options);
    let mut summary = BatchSummary::default();
    for (number, report) in reports.iter().enumerate() {
        let outcome = Outcome::of(report, Severity::Error);
        page.push_str(&index_row(
            format,
            &outcome,
            &format!("r{number}.html"),
            &options,
        ));
        summary.add(&outcome);
    }
    page.push_str(&index_footer(format, &summary, &options));
    page
}

fn with_class<'a>(root: &'a Element, name: &str, class: &str) -> Vec<&'a Element> {
    root.descendants()
        .into_iter()
        .filter(|e| {
            e.name == name
                && e.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|w| w == class))
        })
        .collect()
}

/// The text of each cell of a row, in order.
fn cells(row: &Element) -> Vec<String> {
    row.children.iter().map(Element::all_text).collect()
}

#[test]
fn the_index_has_one_totals_row_company_and_operation_columns_and_warnings_apart() {
    for lang in [Lang::Zh, Lang::En] {
        let page = index(Format::Html, reports(), lang);
        let root = xml::parse(&page).expect("the index is well-formed");
        assert_eq!(
            root.attribute("lang"),
            Some(if lang == Lang::Zh { "zh-CN" } else { "en" })
        );
        let heads: Vec<String> = root
            .descendants()
            .into_iter()
            .filter(|e| e.name == "thead")
            .flat_map(|head| head.descendants())
            .filter(|e| e.name == "th")
            .map(Element::all_text)
            .collect();
        let expected = match lang {
            Lang::Zh => ["材料包", "企业", "业务", "结论", "不通过的规则", "警告"],
            Lang::En => [
                "Bundle",
                "Company",
                "Operation",
                "Verdict",
                "Failing rules",
                "Warnings",
            ],
        };
        assert_eq!(heads, expected);
        let body = root
            .descendants()
            .into_iter()
            .find(|e| e.name == "tbody")
            .unwrap();
        let rows: Vec<&Element> = body.children_named("tr").collect();
        assert_eq!(
            rows.len(),
            reports().len(),
            "a row per bundle, no totals among them"
        );
        let totals: Vec<&Element> = root
            .descendants()
            .into_iter()
            .filter(|e| e.name == "tfoot")
            .flat_map(|foot| foot.children_named("tr"))
            .collect();
        assert_eq!(totals.len(), 1, "one totals row");
        let count = reports().len().to_string();
        assert!(
            totals[0].all_text().contains(&count),
            "{}",
            totals[0].all_text()
        );
        for (row, report) in rows.iter().zip(reports()) {
            let cells = cells(row);
            assert_eq!(cells.len(), 6);
            assert_eq!(cells[0], report.bundle);
            assert_eq!(
                cells[1],
                report.company().unwrap_or("—"),
                "{}",
                report.bundle
            );
            assert_eq!(cells[2], report.operation.as_deref().unwrap_or("—"));
            let failing = report.failing_rules(Severity::Error);
            for rule in report.failing_rules(Severity::Warning) {
                let failing_too = failing.contains(&rule);
                assert_eq!(
                    cells[4].contains(rule),
                    failing_too,
                    "{}: {rule}",
                    report.bundle
                );
                assert!(
                    cells[5].contains(rule) != failing_too,
                    "{}: {rule}",
                    report.bundle
                );
            }
            for rule in failing {
                assert!(cells[4].contains(rule), "{}: {rule}", report.bundle);
                assert!(!cells[5].contains(rule), "{}: {rule}", report.bundle);
            }
        }
        let company = reports().iter().find_map(Report::company).unwrap();
        assert!(
            company.ends_with("有限公司"),
            "the company is the enterprise: {company}"
        );
    }
    let markdown = index(Format::Markdown, reports(), Lang::En);
    assert_eq!(markdown.matches(" bundles: ").count(), 1, "{markdown}");
    assert!(
        markdown.contains("| Bundle | Company | Operation | Verdict | Failing rules | Warnings |")
    );
}

#[test]
fn warnings_are_listed_apart_from_failing_rules_in_the_totals() {
    let warned = report("douyin.employee_account.deregister/warn-contact.reachable");
    let page = index(Format::Html, std::slice::from_ref(warned), Lang::En);
    let failures = page.find("Most frequent failures");
    let warnings = page
        .find("Most frequent warnings")
        .expect("a warnings list");
    assert!(failures.is_none(), "no failures list when nothing failed");
    assert!(page[warnings..].contains("<code>contact.reachable</code>"));
}

/// Every material row of a page: (party, material cell, status).
fn material_rows(root: &Element) -> Vec<Vec<String>> {
    with_class(root, "section", "materials")
        .into_iter()
        .flat_map(|section| section.descendants())
        .filter(|e| e.name == "tr" && e.attribute("class").is_some())
        .map(cells)
        .collect()
}

#[test]
fn each_material_is_listed_once_under_its_party() {
    for report in reports() {
        let root = xml::parse(&html(std::slice::from_ref(report), &options(Lang::En))).unwrap();
        let mut entries: Vec<String> = material_rows(&root)
            .iter()
            .filter_map(|cells| {
                let material = &cells[1];
                material
                    .find("/documents/")
                    .map(|at| material[at..].to_string())
            })
            .collect();
        let listed = entries.len();
        entries.sort();
        entries.dedup();
        assert_eq!(
            entries.len(),
            listed,
            "{}: a document entry listed twice",
            report.bundle
        );
    }
    let case = report("douyin.employee_account.deregister/fail-document.holder-role");
    let root = xml::parse(&html(std::slice::from_ref(case), &options(Lang::En))).unwrap();
    let id_card: Vec<Vec<String>> = material_rows(&root)
        .into_iter()
        .filter(|cells| cells[1].contains("/documents/1"))
        .collect();
    assert_eq!(id_card.len(), 1, "{id_card:?}");
    assert!(
        id_card[0][0].contains("(company)"),
        "under the party: {id_card:?}"
    );
    assert!(
        id_card[0][2].contains("fails"),
        "with its worst status: {id_card:?}"
    );
    assert!(id_card[0][3].contains("document.file"), "{id_card:?}");
}

#[test]
fn passed_findings_are_folded_under_their_count() {
    for report in reports() {
        for lang in [Lang::Zh, Lang::En] {
            let root = xml::parse(&html(std::slice::from_ref(report), &options(lang))).unwrap();
            let passed = with_class(&root, "article", "passed").len();
            let skipped = with_class(&root, "article", "skipped").len();
            let folds = with_class(&root, "details", "folded");
            let folded: usize = folds
                .iter()
                .map(|d| {
                    assert_eq!(d.attribute("open"), None, "closed by default");
                    d.children_named("article").count()
                })
                .sum();
            assert_eq!(folded, passed + skipped, "{}", report.bundle);
            let counted: usize = folds
                .iter()
                .map(|d| {
                    let summary = d.children_named("summary").next().unwrap().all_text();
                    summary
                        .split(|c: char| !c.is_ascii_digit())
                        .filter_map(|n| n.parse::<usize>().ok())
                        .sum::<usize>()
                })
                .sum();
            assert_eq!(
                counted,
                passed + skipped,
                "{}: counts in the summaries",
                report.bundle
            );
            for failing in with_class(&root, "article", "failure") {
                assert!(
                    folds
                        .iter()
                        .all(|d| d.children.iter().all(|c| !std::ptr::eq(c, failing)))
                );
            }
        }
    }
}

#[test]
fn a_report_links_back_to_its_index_only_when_it_has_one() {
    let case = report("douyin.employee_account.open/pass-contact");
    let alone = html(std::slice::from_ref(case), &options(Lang::Zh));
    assert!(!alone.contains("<nav"), "a single report has no back link");
    let links = HtmlLinks {
        index: Some("index.html".into()),
        ..HtmlLinks::default()
    };
    let in_batch = html_with_links(std::slice::from_ref(case), &options(Lang::Zh), &links);
    let root = xml::parse(&in_batch).unwrap();
    let back = root
        .descendants()
        .into_iter()
        .find(|e| e.name == "nav")
        .expect("a back link");
    let link = back.children_named("a").next().unwrap();
    assert_eq!(link.attribute("href"), Some("index.html"));
    assert!(link.all_text().contains("返回汇总"));
}

#[test]
fn attachments_are_links_only_when_served() {
    let case = report("douyin.employee_account.open/pass-contact");
    let plain = html(std::slice::from_ref(case), &options(Lang::En));
    assert!(
        !plain.contains("files/business_license.pdf\""),
        "no links in a file"
    );
    let links = HtmlLinks {
        attachments: Some("/bundles/7/".into()),
        ..HtmlLinks::default()
    };
    let served = html_with_links(std::slice::from_ref(case), &options(Lang::En), &links);
    let root = xml::parse(&served).unwrap();
    let hrefs: Vec<&str> = with_class(&root, "section", "materials")
        .into_iter()
        .flat_map(|s| s.descendants())
        .filter(|e| e.name == "a")
        .filter_map(|a| a.attribute("href"))
        .collect();
    assert!(
        hrefs.contains(&"/bundles/7/files/business_license.pdf"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/bundles/7/files/panzihao_id_card.jpg"),
        "{hrefs:?}"
    );
}

#[test]
fn an_attachment_named_with_a_personal_number_is_masked_and_not_linked() {
    let message = Message::of(
        "附件 {file}",
        "attachment {file}",
        vec![Argument::text("file", "files/11010519491231002X.jpg")],
    );
    let mut finding = Finding::new("document.file", Status::Pass, Severity::Error, message)
        .with_path("/documents/0/file");
    finding.material = Some("id_card".into());
    let mut report = Report::empty("bundle");
    report.findings.push(finding);
    let links = HtmlLinks {
        attachments: Some("/b/".into()),
        ..HtmlLinks::default()
    };
    let page = html_with_links(std::slice::from_ref(&report), &options(Lang::En), &links);
    assert!(!page.contains("11010519491231002X"), "{page}");
    assert!(
        !page.contains("href=\"/b/"),
        "no address that carries or guesses the number"
    );
    assert!(
        page.contains("<code>files/110105********002X.jpg</code>"),
        "{page}"
    );
}
