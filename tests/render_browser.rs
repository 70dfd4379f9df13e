//! The HTML report in a real browser: every fixture's page (languages
//! alternating) loaded in headless Chromium. The test fails on any console
//! message (errors, CSP violations) and checks that the page's text holds
//! the verdict and each failing rule's message; the batch index loads
//! cleanly too. It writes screenshots for people to look at: one report
//! (`target/report.png`, English, 1200 px wide; `target/report-zh-375.png`,
//! Chinese at a phone's 375 px) and the index (`target/index.png`,
//! `target/index-zh-375.png`).
//!
//! Skips, saying so, when no Chromium is installed; `.ci/run` installs it.

mod support;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{Format, RenderOptions, index_footer, index_header, index_row, render};
use dossier::report::{BatchSummary, Outcome, Report, Severity, Status, Verdict};
use dossier::rules::RuleSet;

const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

fn browser() -> Option<String> {
    if let Ok(path) = std::env::var("DOSSIER_CHROMIUM") {
        return Some(path);
    }
    BROWSERS.into_iter().map(String::from).find(|name| {
        Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// What one page load gave: the serialised DOM and the browser's log.
struct Load {
    dom: String,
    log: String,
}

/// How long one page load may take before the browser is stopped.
const LOAD_LIMIT: Duration = Duration::from_secs(90);

fn load(browser: &str, page: &Path, extra: &[String]) -> Load {
    let profile = tempfile::tempdir().expect("a fresh profile folder");
    let stdout = profile.path().join("stdout");
    let stderr = profile.path().join("stderr");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .expect("the browser starts");
    let started = Instant::now();
    let mut timed_out = false;
    while child
        .try_wait()
        .expect("the browser can be waited for")
        .is_none()
    {
        if started.elapsed() > LOAD_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut log = std::fs::read_to_string(&stderr).unwrap_or_default();
    if timed_out {
        log.push_str(&format!(
            "\nUncaught: the browser did not finish within {LOAD_LIMIT:?}"
        ));
    }
    Load {
        dom: String::from_utf8_lossy(&std::fs::read(&stdout).unwrap_or_default()).into_owned(),
        log,
    }
}

/// Console output the page caused (errors, exceptions, CSP violations).
fn console_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

/// The text a reader sees: tags dropped, character references resolved.
fn page_text(dom: &str) -> String {
    let mut text = String::with_capacity(dom.len());
    let mut in_tag = false;
    for character in dom.chars() {
        match character {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn check_page(
    browser: &str,
    folder: &Path,
    index: usize,
    report: &Report,
    lang: Lang,
) -> Vec<String> {
    let options = RenderOptions::in_language(lang);
    let page = folder.join(format!("report-{index}-{}.html", lang.code()));
    std::fs::write(
        &page,
        render(Format::Html, std::slice::from_ref(report), &options),
    )
    .unwrap();
    let loaded = load(browser, &page, &["--dump-dom".to_string()]);
    let mut problems = Vec::new();
    let what = format!("{} ({})", report.bundle, lang.code());
    for line in console_lines(&loaded.log) {
        problems.push(format!("{what}: console: {line}"));
    }
    if !loaded.dom.contains("class=\"report\"") {
        problems.push(format!(
            "{what}: the page did not render; log:\n{}",
            loaded.log
        ));
        return problems;
    }
    let text = page_text(&loaded.dom);
    let verdict = match (report.verdict(), lang) {
        (Verdict::Pass, Lang::Zh) => "通过",
        (Verdict::Fail, Lang::Zh) => "不通过",
        (Verdict::Pass, Lang::En) => "PASS",
        (Verdict::Fail, Lang::En) => "FAIL",
    };
    if !text.contains(verdict) {
        problems.push(format!("{what}: verdict {verdict} not on the page"));
    }
    for finding in report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail && f.severity == Severity::Error)
    {
        let message = finding.message.render(lang, false);
        if !text.contains(&message) {
            problems.push(format!(
                "{what}: {} message not on the page: {message}",
                finding.rule
            ));
        }
    }
    problems
}

fn target_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"))
}

#[test]
fn every_html_report_loads_cleanly_in_a_headless_browser() {
    let Some(browser) = browser() else {
        println!(
            "SKIPPED: no Chromium found ({}; or set DOSSIER_CHROMIUM); .ci/run installs Debian's chromium",
            BROWSERS.join(", ")
        );
        return;
    };
    let folder = tempfile::tempdir().unwrap();

    // The console check must be able to fail: a page with a script error is caught.
    let canary = folder.path().join("canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html><p>x</p><script>undefinedFunction();</script>",
    )
    .unwrap();
    let caught = console_lines(&load(&browser, &canary, &["--dump-dom".to_string()]).log).len();
    assert!(
        caught > 0,
        "the browser log shows no console errors for a broken page"
    );

    let rules = RuleSet::embedded().expect("the shipped rules load");
    let reports: Vec<Report> = support::fixture_paths()
        .iter()
        .map(|p| rules.check_path(p, &CheckOptions::default()))
        .collect();
    assert!(reports.len() >= 60);
    let jobs: Vec<(usize, &Report, Lang)> = reports
        .iter()
        .enumerate()
        // Each fixture once, the languages alternating, to keep the run short
        // on small machines; the in-process HTML test covers both for all.
        .map(|(i, r)| (i, r, if i % 2 == 0 { Lang::Zh } else { Lang::En }))
        .collect();
    let problems = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let job = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        jobs.get(*next - 1).copied()
                    };
                    let Some((index, report, lang)) = job else {
                        break;
                    };
                    let found = check_page(&browser, folder.path(), index, report, lang);
                    problems.lock().unwrap().extend(found);
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!("{} pages loaded cleanly in {browser}", jobs.len());

    let shown = reports
        .iter()
        .find(|r| {
            r.bundle
                .ends_with("fail-legal_representative.id_card-expired")
        })
        .unwrap_or(&reports[0]);
    for (lang, width, name) in [
        (Lang::En, 1200, "report.png"),
        (Lang::Zh, 375, "report-zh-375.png"),
    ] {
        let page = folder.path().join(format!("screenshot-{name}.html"));
        let options = RenderOptions::in_language(lang);
        std::fs::write(
            &page,
            render(Format::Html, std::slice::from_ref(shown), &options),
        )
        .unwrap();
        screenshot(&browser, &page, width, name);
    }
    println!("screenshots of {}", shown.bundle);

    // The batch index, as `--output-dir` writes it.
    for (lang, width, name) in [
        (Lang::En, 1280, "index.png"),
        (Lang::Zh, 375, "index-zh-375.png"),
    ] {
        let page = folder.path().join(format!("index-{}.html", lang.code()));
        std::fs::write(&page, batch_index(&reports, lang)).unwrap();
        let loaded = load(&browser, &page, &["--dump-dom".to_string()]);
        assert!(
            console_lines(&loaded.log).is_empty(),
            "the index: {}",
            loaded.log
        );
        assert_eq!(loaded.dom.matches("<tfoot>").count(), 1, "totals once");
        assert_eq!(
            loaded.dom.matches("<tr class=\"pass\">").count()
                + loaded.dom.matches("<tr class=\"fail\">").count(),
            reports.len(),
            "a row per bundle"
        );
        screenshot(&browser, &page, width, name);
    }
}

/// The index of `reports` as `--output-dir` writes it.
fn batch_index(reports: &[Report], lang: Lang) -> String {
    let options = RenderOptions::in_language(lang);
    let mut page = index_header(Format::Html, &options);
    let mut summary = BatchSummary::default();
    for (number, report) in reports.iter().enumerate() {
        let outcome = Outcome::of(report, Severity::Error);
        page.push_str(&index_row(
            Format::Html,
            &outcome,
            &format!("report-{number}.html"),
            &options,
        ));
        summary.add(&outcome);
    }
    page.push_str(&index_footer(Format::Html, &summary, &options));
    page
}

/// Writes a screenshot of `page`, `width` pixels wide, to `target/<name>`.
fn screenshot(browser: &str, page: &Path, width: u32, name: &str) {
    let path = target_dir().join(name);
    let _ = std::fs::remove_file(&path);
    load(
        browser,
        page,
        &[
            format!("--screenshot={}", path.display()),
            format!("--window-size={width},2000"),
        ],
    );
    assert!(path.exists(), "no screenshot at {}", path.display());
    println!("screenshot at {}", path.display());
}
