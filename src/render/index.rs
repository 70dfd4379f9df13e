//! The index page of a batch written with `--output-dir`: every bundle with
//! its verdict, its failing rules and a link to its report, then the
//! batch's summary. Written row by row, so a batch of any size streams.

use super::markup::escape;
use super::{Format, Redaction, RenderOptions};
use crate::lang::Lang;
use crate::report::{BatchSummary, Outcome, Verdict};

/// The index file: an HTML page for HTML reports, Markdown for the rest.
pub fn index_name(format: Format) -> &'static str {
    if format == Format::Html {
        "index.html"
    } else {
        "index.md"
    }
}

fn words(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => [
            "材料包检查结果",
            "材料包",
            "结论",
            "不通过的规则",
            "通过",
            "不通过",
        ],
        Lang::En => [
            "Bundle reports",
            "bundle",
            "verdict",
            "failing rules",
            "pass",
            "fail",
        ],
    }
}

/// The index's opening (an HTML page's head, a Markdown title), and its table's head.
pub fn index_header(format: Format, options: &RenderOptions) -> String {
    let [title, bundle, verdict, rules, ..] = words(options.lang);
    if format == Format::Html {
        let lang = if options.lang == Lang::Zh {
            "zh-CN"
        } else {
            "en"
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{title}</title>\n<style>body{{font-family:system-ui,\"Noto Sans CJK SC\",sans-serif;margin:2rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}.fail{{color:#b00020;font-weight:bold}}.pass{{color:#1b7e2c;font-weight:bold}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<table>\n<tr><th>{bundle}</th><th>{verdict}</th><th>{rules}</th></tr>\n"
        )
    } else {
        format!("# {title}\n\n| {bundle} | {verdict} | {rules} |\n| --- | --- | --- |\n")
    }
}

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// One bundle's row, linking to its report file `file`.
pub fn index_row(format: Format, outcome: &Outcome, file: &str, options: &RenderOptions) -> String {
    let [.., pass, fail] = words(options.lang);
    let (class, verdict) = match outcome.verdict {
        Verdict::Pass => ("pass", pass),
        Verdict::Fail => ("fail", fail),
    };
    let redaction = Redaction::of(options, format);
    let bundle = redaction.text(&outcome.bundle);
    let rules = redaction
        .text(&outcome.failing_rules.join(", "))
        .into_owned();
    if format == Format::Html {
        format!(
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"{class}\">{verdict}</td><td>{}</td></tr>\n",
            escape(file),
            escape(&bundle),
            escape(&rules)
        )
    } else {
        let link = file
            .replace(' ', "%20")
            .replace('(', "%28")
            .replace(')', "%29");
        format!(
            "| [{}]({link}) | {verdict} | {} |\n",
            cell(&bundle),
            cell(&rules)
        )
    }
}

/// The index's closing: the batch's totals and its most frequent failures.
pub fn index_footer(format: Format, summary: &BatchSummary, options: &RenderOptions) -> String {
    let zh = options.lang == Lang::Zh;
    let totals = if zh {
        format!(
            "共 {} 个材料包:{} 个通过,{} 个不通过",
            summary.bundles, summary.passed, summary.failed
        )
    } else {
        format!(
            "{} bundles: {} passed, {} failed",
            summary.bundles, summary.passed, summary.failed
        )
    };
    let top: Vec<String> = summary
        .top(10)
        .iter()
        .map(|t| format!("{} ({})", t.rule, t.bundles))
        .collect();
    let label = if zh {
        "最常见的不通过规则"
    } else {
        "Most frequent failures"
    };
    if format == Format::Html {
        let items: String = top
            .iter()
            .map(|t| format!("<li>{}</li>", escape(t)))
            .collect();
        format!(
            "</table>\n<p>{}</p>\n<h2>{label}</h2>\n<ol>{items}</ol>\n</body>\n</html>\n",
            escape(&totals)
        )
    } else {
        let items: String = top.iter().map(|t| format!("1. {t}\n")).collect();
        format!("\n{totals}\n\n## {label}\n\n{items}")
    }
}
