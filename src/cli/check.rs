//! `dossier check`: judge bundles and write their reports.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use dossier::bundle::MANIFEST_NAMES;
use dossier::engine::CheckOptions;
use dossier::render::{Format, RenderOptions, render};
use dossier::report::Severity;

use super::{EXIT_ERROR, EXIT_FAIL, EXIT_PASS, LangArg, emit, language, load_rules};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Jsonl,
    Markdown,
    Html,
    Junit,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Bundle folders or manifest files; a folder without a manifest means every bundle below it.
    #[arg(required = true)]
    bundles: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Language of the report (default: from LANG, else en).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Use the rule set in this folder instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Judge as if submitted on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    /// What makes the exit status 1: failing errors (default) or failing warnings too.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Show ID and phone numbers unmasked.
    #[arg(long)]
    show_personal_data: bool,
    /// List every passed and skipped finding with its reason (text).
    #[arg(long)]
    explain: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    dossier::domain::date::parse_date(text).map_err(|error| error.to_string())
}

/// The bundles a path names: itself when it is a manifest or a bundle
/// folder, else every bundle folder below it, in sorted order.
pub fn bundles_under(path: &Path) -> Vec<PathBuf> {
    let is_bundle = |dir: &Path| {
        MANIFEST_NAMES
            .iter()
            .any(|name| dir.join(name).symlink_metadata().is_ok())
    };
    if !path.is_dir() || is_bundle(path) {
        return vec![path.to_path_buf()];
    }
    let mut found = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut subdirs: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        subdirs.sort();
        for subdir in subdirs.into_iter().rev() {
            if is_bundle(&subdir) {
                found.push(subdir);
            } else {
                pending.push(subdir);
            }
        }
    }
    found.sort();
    if found.is_empty() {
        // Reported as an unreadable bundle rather than silently skipped.
        found.push(path.to_path_buf());
    }
    found
}

pub fn run(args: CheckArgs) -> Result<i32, i32> {
    let rules = load_rules(args.rules.as_deref())?;
    let options = CheckOptions { as_of: args.as_of };
    let paths: Vec<PathBuf> = args.bundles.iter().flat_map(|p| bundles_under(p)).collect();
    let reports: Vec<_> = paths
        .iter()
        .map(|p| rules.check_path(p, &options))
        .collect();
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Html => Format::Html,
        FormatArg::Junit => Format::Junit,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
    };
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let render_options = RenderOptions {
        lang: language(args.lang),
        show_personal_data: args.show_personal_data,
        color: format == Format::Text
            && to_terminal
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        explain: args.explain,
        fail_on: threshold,
    };
    // One bundle named: one JSON object; several, or a folder of bundles: an array.
    let many = args.bundles.len() > 1 || paths.len() > 1 || paths.first() != args.bundles.first();
    let text = if format == Format::Json && many {
        let mut text = serde_json::to_string_pretty(&dossier::render::reports_value(
            &reports,
            &render_options,
        ))
        .unwrap_or_default();
        text.push('\n');
        text
    } else {
        render(format, &reports, &render_options)
    };
    emit(&text, args.output.as_ref())?;
    Ok(exit_status(&reports, threshold))
}

/// 1 when a bundle fails on its own merits; else 2 when a rule could not be
/// evaluated (the tool did not finish its job); else 0.
fn exit_status(reports: &[dossier::report::Report], threshold: Severity) -> i32 {
    let failed = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| !f.rule_error && f.fails_at(threshold));
    let broken = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.rule_error);
    if failed {
        EXIT_FAIL
    } else if broken {
        EXIT_ERROR
    } else {
        EXIT_PASS
    }
}
