//! The index of a batch written with `--output-dir`: every bundle with its
//! company, operation, verdict, failing rules and warnings and a link to
//! its report, then the batch's totals (once) and its most frequent
//! failing rules and warnings. Written row by row, so a batch of any size
//! streams: the page (`templates/report/index.html`) is cut where its rows
//! go, its head written first and its end last.

use askama::Template;

use super::page::Frame;
use super::words::Words;
use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{BatchSummary, Outcome, RuleTally, Verdict};
use crate::rules::RuleId;

/// Where the rows go in the index page.
const ROWS: &str = "<!-- rows -->\n";

/// How many of the most frequent rules the index lists.
const TOP: usize = 10;

/// The index file: an HTML page for HTML reports, Markdown for the rest.
pub fn index_name(format: Format) -> &'static str {
    if format == Format::Html {
        "index.html"
    } else {
        "index.md"
    }
}

struct IndexWords {
    title: &'static str,
    bundle: &'static str,
    company: &'static str,
    operation: &'static str,
    verdict: &'static str,
    failing_rules: &'static str,
    warnings: &'static str,
    pass: &'static str,
    fail: &'static str,
    total: &'static str,
    top_failing: &'static str,
    top_warnings: &'static str,
}

const ZH: IndexWords = IndexWords {
    title: "材料包检查结果",
    bundle: "材料包",
    company: "企业",
    operation: "业务",
    verdict: "结论",
    failing_rules: "不通过的规则",
    warnings: "警告",
    pass: "通过",
    fail: "不通过",
    total: "合计",
    top_failing: "最常见的不通过规则",
    top_warnings: "最常见的警告",
};

const EN: IndexWords = IndexWords {
    title: "Bundle reports",
    bundle: "Bundle",
    company: "Company",
    operation: "Operation",
    verdict: "Verdict",
    failing_rules: "Failing rules",
    warnings: "Warnings",
    pass: "PASS",
    fail: "FAIL",
    total: "Total",
    top_failing: "Most frequent failures",
    top_warnings: "Most frequent warnings",
};

fn words(lang: Lang) -> &'static IndexWords {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn totals(summary: &BatchSummary, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "共 {} 个材料包:{} 个通过,{} 个不通过",
            summary.bundles, summary.passed, summary.failed
        ),
        Lang::En => format!(
            "{} bundles: {} passed, {} failed",
            summary.bundles, summary.passed, summary.failed
        ),
    }
}

/// The most frequent failing rules and, apart, the most frequent warnings.
fn top(summary: &BatchSummary) -> (Vec<&RuleTally>, Vec<&RuleTally>) {
    let (mut warnings, mut failing): (Vec<&RuleTally>, Vec<&RuleTally>) =
        summary.failing_rules.iter().partition(|t| t.warning);
    failing.truncate(TOP);
    warnings.truncate(TOP);
    (failing, warnings)
}

#[derive(Template)]
#[template(path = "report/index.html")]
struct IndexPage<'a> {
    frame: Frame,
    words: &'a IndexWords,
    totals: Option<String>,
    top_failing: Vec<&'a RuleTally>,
    top_warnings: Vec<&'a RuleTally>,
    masked_note: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "report/index_row.html")]
struct IndexRow<'a> {
    words: &'a IndexWords,
    file: &'a str,
    bundle: &'a str,
    company: &'a str,
    operation: &'a str,
    verdict_class: &'static str,
    verdict: &'static str,
    failing: Vec<&'a str>,
    warnings: Vec<&'a str>,
}

/// The index page, whole; `summary` is `None` while rows are still to come.
fn page(summary: Option<&BatchSummary>, options: &RenderOptions) -> String {
    let words = words(options.lang);
    let (top_failing, top_warnings) = summary.map(top).unwrap_or_default();
    let page = IndexPage {
        frame: Frame::offline(options.lang, words.title.to_string()),
        words,
        totals: summary.map(|s| totals(s, options.lang)),
        top_failing,
        top_warnings,
        masked_note: (!options.show_personal_data).then_some(Words::of(options.lang).masked),
    };
    // Rendering into a String fails only if a value's Display does: a bug.
    let mut out = page.render().expect("the index page renders");
    out.push('\n');
    out
}

/// The index's opening (an HTML page's head, a Markdown title), and its table's head.
pub fn index_header(format: Format, options: &RenderOptions) -> String {
    let words = words(options.lang);
    if format == Format::Html {
        let page = page(None, options);
        let end = page.find(ROWS).unwrap_or(page.len());
        page[..end].to_string()
    } else {
        format!(
            "# {}\n\n| {} | {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- | --- |\n",
            words.title,
            words.bundle,
            words.company,
            words.operation,
            words.verdict,
            words.failing_rules,
            words.warnings
        )
    }
}

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// One bundle's row, linking to its report file `file`.
pub fn index_row(format: Format, outcome: &Outcome, file: &str, options: &RenderOptions) -> String {
    let words = words(options.lang);
    let (verdict_class, verdict) = match outcome.verdict {
        Verdict::Pass => ("pass", words.pass),
        Verdict::Fail => ("fail", words.fail),
    };
    let redaction = Redaction::of(options, format);
    let bundle = redaction.text(&outcome.bundle);
    let company = redaction.text(outcome.company.as_deref().unwrap_or("—"));
    let operation = redaction.text(outcome.operation.as_deref().unwrap_or("—"));
    // Rule ids are the rule set's; warnings apart from the rules that fail.
    let (warnings, failing): (Vec<&str>, Vec<&str>) = outcome
        .failing_rules
        .iter()
        .map(RuleId::as_str)
        .partition(|rule| outcome.warning_rules.iter().any(|w| w == rule));
    if format == Format::Html {
        let row = IndexRow {
            words,
            file,
            bundle: &bundle,
            company: &company,
            operation: &operation,
            verdict_class,
            verdict,
            failing,
            warnings,
        };
        let mut out = row.render().expect("an index row renders");
        out.push('\n');
        out
    } else {
        let link = file
            .replace(' ', "%20")
            .replace('(', "%28")
            .replace(')', "%29");
        let list = |rules: &[&str]| {
            if rules.is_empty() {
                "—".to_string()
            } else {
                cell(&rules.join(", "))
            }
        };
        format!(
            "| [{}]({link}) | {} | {} | {verdict} | {} | {} |\n",
            cell(&bundle),
            cell(&company),
            cell(&operation),
            list(&failing),
            list(&warnings)
        )
    }
}

/// The index's closing: the batch's totals and its most frequent failing
/// rules and warnings.
pub fn index_footer(format: Format, summary: &BatchSummary, options: &RenderOptions) -> String {
    if format == Format::Html {
        let page = page(Some(summary), options);
        let start = page.find(ROWS).map_or(0, |at| at + ROWS.len());
        return page[start..].to_string();
    }
    let words = words(options.lang);
    let (top_failing, top_warnings) = top(summary);
    let mut out = format!("\n{}\n", totals(summary, options.lang));
    for (label, list) in [
        (words.top_failing, top_failing),
        (words.top_warnings, top_warnings),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {label}\n\n"));
        for tally in list {
            out.push_str(&format!("1. {} ({})\n", tally.rule, tally.bundles));
        }
    }
    out
}
