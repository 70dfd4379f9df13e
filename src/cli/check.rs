//! `dossier check`: judge bundles and write their reports.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use dossier::domain::mask::mask_personal_numbers;
use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::render::{
    Format, RenderOptions, render, report_json_pretty, summary_line, text_line, text_summary,
};
use dossier::report::{BatchSummary, Outcome, Report, Severity};
use dossier::source::{BundleSource, discover};
use dossier::waiver::{Waivers, apply_waivers, bundle_matches};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::output_dir::OutputDir;
use super::{EXIT_ERROR, EXIT_FAIL, EXIT_PASS, LangArg, language, load_rules_for};

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
    /// Bundle folders, manifest files or archives (.zip, .tar, .tar.gz, .tgz); `-` reads one
    /// archive from standard input; a folder without a manifest means every bundle below it.
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
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    output: Option<PathBuf>,
    /// Write one report file per bundle into DIR, and an index of them all.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// A reviewer's waivers (dossier.waivers/v1): justified exceptions to failing findings.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Bundles checked in parallel (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(usize))]
    jobs: Option<usize>,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    dossier::domain::date::parse_date(text).map_err(|error| error.to_string())
}

/// The bundles the command line names, in order: `-` is one archive read
/// from standard input; a path is what [`discover`] finds below it, and what
/// the walk passes over is said on stderr.
fn sources_of(paths: &[PathBuf]) -> Result<Vec<BundleSource>, i32> {
    let mut sources = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(read_stdin()?);
            continue;
        }
        let found = discover(path);
        for skipped in &found.skipped {
            eprintln!(
                "note: skipped {}: {}",
                mask_personal_numbers(&skipped.path.display().to_string()),
                skipped.reason
            );
        }
        sources.extend(found.bundles);
    }
    Ok(sources)
}

/// One archive from standard input, at most `archive_bytes` long.
fn read_stdin() -> Result<BundleSource, i32> {
    use std::io::Read;
    let limit = Limits::default().archive_bytes;
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
    {
        eprintln!("error: cannot read standard input: {error}");
        return Err(EXIT_ERROR);
    }
    // Over the limit: the source itself says so in the bundle's report.
    Ok(BundleSource::archive_bytes("stdin", bytes))
}

pub fn run(args: CheckArgs) -> Result<i32, i32> {
    let started = Instant::now();
    let lang = language(args.lang);
    // A path that does not exist is a mistake on the command line, not a
    // bundle to report on (spec §6: exit 2, naming it). `-` is standard input.
    let missing = args
        .bundles
        .iter()
        .find(|p| p.as_os_str() != "-" && p.symlink_metadata().is_err());
    if let Some(missing) = missing {
        eprintln!("{}", super::words::no_such_path(lang, missing));
        return Err(EXIT_ERROR);
    }
    let options = CheckOptions {
        as_of: args.as_of,
        today: Some(chrono::Local::now().date_naive()),
    };
    let sources = sources_of(&args.bundles)?;
    let names: Vec<&str> = sources.iter().map(BundleSource::name).collect();
    // One bundle named: one report; several, or a folder of bundles: a batch.
    let batch = args.bundles.len() > 1
        || sources.len() > 1
        || (args.bundles[0].as_os_str() != "-"
            && Some(Path::new(names[0])) != args.bundles.first().map(PathBuf::as_path));
    // A single bundle is read first, so only the rules of its operation load.
    let single = match batch {
        true => None,
        false => Some(sources[0].load(&Limits::default())),
    };
    let operation = single
        .as_ref()
        .and_then(|b| b.manifest.as_ref().ok())
        .and_then(|root| root.get("operation"))
        .and_then(|n| n.as_str());
    let rules = load_rules_for(args.rules.as_deref(), operation)?;
    let waivers = match &args.waivers {
        None => None,
        Some(path) => Some(Waivers::load(path).map_err(|error| {
            eprintln!("error: {error}");
            EXIT_ERROR
        })?),
    };
    let judge = |report: Report| match &waivers {
        None => report,
        Some(waivers) => {
            let mut report = report;
            apply_waivers(&mut report, waivers);
            report
        }
    };
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
        lang,
        show_personal_data: args.show_personal_data,
        color: format == Format::Text
            && to_terminal
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        explain: args.explain,
        fail_on: threshold,
    };
    if let (Some(bundle), None) = (single, &args.output_dir) {
        let report = judge(rules.check_bundle(&bundle, &options));
        let outcome = Outcome::of(&report, threshold);
        let shape = Shape {
            format,
            batch,
            options: render_options,
        };
        let mut writer = BatchWriter::open(shape, args.output.as_ref())?;
        writer.write(&shape.piece(&report))?;
        let mut summary = BatchSummary::default();
        summary.add(&outcome);
        writer.finish(&summary)?;
        warn_unmatched_waivers(waivers.as_ref(), &names);
        if format == Format::Text {
            show_manifest_source(&bundle, render_options.lang);
        }
        // The process ends next: freeing the compiled rule set would only
        // cost time (a fifth of a millisecond).
        std::mem::forget(rules);
        return Ok(exit_status(&summary, outcome.fails_at_threshold));
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|error| {
            eprintln!("error: cannot start {jobs} worker threads: {error}");
            EXIT_ERROR
        })?;
    let shape = Shape {
        format,
        batch,
        options: render_options,
    };
    let mut folder = match &args.output_dir {
        Some(dir) => Some(OutputDir::open(dir, format, render_options)?),
        None => None,
    };
    let mut writer = match folder {
        Some(_) => None,
        None => Some(BatchWriter::open(shape, args.output.as_ref())?),
    };
    let progress = progress_bar(sources.len(), lang);
    let mut summary = BatchSummary::default();
    let mut failed = false;
    // A batch in a document format (one HTML page, one JUnit or SARIF file)
    // is rendered once from all its reports.
    let whole = format.is_document() && folder.is_none();
    let mut kept: Vec<Report> = Vec::new();
    // Bundles are judged in parallel a window at a time and written in input
    // order, so memory stays flat however many bundles there are.
    let window = (jobs * 32).max(64);
    for chunk in sources.chunks(window) {
        let pieces: Vec<(String, Outcome, Option<Report>)> = pool.install(|| {
            chunk
                .par_iter()
                .map(|source| {
                    let report = judge(rules.check_source(source, &options));
                    let outcome = Outcome::of(&report, threshold);
                    match (whole, folder.is_some()) {
                        (true, _) => (String::new(), outcome, Some(report)),
                        (false, true) => (
                            render(format, std::slice::from_ref(&report), &render_options),
                            outcome,
                            None,
                        ),
                        (false, false) => (shape.piece(&report), outcome, None),
                    }
                })
                .collect()
        });
        for (piece, outcome, report) in pieces {
            match (report, &mut folder, &mut writer) {
                (Some(report), _, _) => kept.push(report),
                (None, Some(folder), _) => folder.write(&piece, &outcome)?,
                (None, None, Some(writer)) => writer.write(&piece)?,
                (None, None, None) => {}
            }
            failed |= outcome.fails_at_threshold;
            summary.add(&outcome);
        }
        if let Some(bar) = &progress {
            bar.inc(chunk.len() as u64);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(writer) = writer.as_mut()
        && whole
    {
        writer.write(&render(format, &kept, &render_options))?;
    }
    if let Some(writer) = writer {
        writer.finish(&summary)?;
    }
    if let Some(folder) = folder {
        folder.finish(&summary)?;
    }
    warn_unmatched_waivers(waivers.as_ref(), &names);
    if batch {
        // Timing is not part of the report, so reports stay byte-identical.
        eprintln!(
            "{}",
            super::words::timing(lang, summary.bundles, started.elapsed())
        );
    }
    Ok(exit_status(&summary, failed))
}

/// A waiver naming no bundle of this run is most likely a typo: say so.
fn warn_unmatched_waivers(waivers: Option<&Waivers>, names: &[&str]) {
    let Some(waivers) = waivers else { return };
    for waiver in &waivers.waivers {
        let named = names
            .iter()
            .any(|name| bundle_matches(&waiver.bundle, name));
        if !named {
            let shown = dossier::render::Redaction::stderr();
            eprintln!(
                "warning: {}:{}: the waiver for {} names no bundle of this run ({})",
                shown.text(&waivers.file),
                waiver.line,
                shown.text(&waiver.rule),
                shown.text(&waiver.bundle)
            );
        }
    }
}

/// For one bundle read by a person: a manifest that does not parse is shown
/// with its offending line and a caret on stderr, under the report.
fn show_manifest_source(bundle: &dossier::bundle::Bundle, lang: dossier::lang::Lang) {
    if let (Err(error @ dossier::bundle::ManifestError::Yaml { .. }), Some(manifest)) =
        (&bundle.manifest, &bundle.manifest_path)
    {
        eprint!(
            "\n{}",
            dossier::diagnostic::render_manifest_error(
                manifest,
                error,
                lang,
                super::stderr_color()
            )
        );
    }
}

/// A progress bar on a terminal's stderr for batches, never on a pipe or in CI.
fn progress_bar(total: usize, lang: dossier::lang::Lang) -> Option<ProgressBar> {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive || total < 2 {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(match lang {
        dossier::lang::Lang::Zh => "{bar:40} {pos}/{len} 个材料包 · {per_sec} · 预计还需 {eta}",
        dossier::lang::Lang::En => "{bar:40} {pos}/{len} bundles · {per_sec} · ETA {eta}",
    })
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// The shape a format takes for one bundle or a batch.
#[derive(Clone, Copy)]
struct Shape {
    format: Format,
    batch: bool,
    options: RenderOptions,
}

impl Shape {
    /// One report as it appears in the output (rendered on a worker thread).
    fn piece(&self, report: &Report) -> String {
        match (self.format, self.batch) {
            // --explain asks for every reason: a batch then gets whole reports.
            (Format::Text, true) if !self.options.explain => text_line(report, &self.options),
            (Format::Text, true) => format!(
                "{}\n",
                render(Format::Text, std::slice::from_ref(report), &self.options)
            ),
            (Format::Json, true) => report_json_pretty(report, &self.options),
            (format, _) => render(format, std::slice::from_ref(report), &self.options),
        }
    }
}

/// Writes reports in input order as they come.
struct BatchWriter {
    shape: Shape,
    out: Box<dyn Write>,
    written: usize,
}

impl BatchWriter {
    fn open(shape: Shape, output: Option<&PathBuf>) -> Result<BatchWriter, i32> {
        let out: Box<dyn Write> = match output {
            None => Box::new(BufWriter::new(std::io::stdout())),
            Some(path) => Box::new(BufWriter::new(std::fs::File::create(path).map_err(
                |error| {
                    eprintln!("error: cannot write {}: {error}", path.display());
                    EXIT_ERROR
                },
            )?)),
        };
        Ok(BatchWriter {
            shape,
            out,
            written: 0,
        })
    }

    fn write(&mut self, piece: &str) -> Result<(), i32> {
        let separator = match (self.shape.format, self.shape.batch, self.written) {
            (Format::Json, true, 0) => "[\n",
            (Format::Json, true, _) => ",\n",
            _ => "",
        };
        self.written += 1;
        self.emit(separator)?;
        self.emit(piece)
    }

    fn emit(&mut self, text: &str) -> Result<(), i32> {
        match self.out.write_all(text.as_bytes()) {
            Ok(()) => Ok(()),
            // A closed pipe (`| head`) or a full disk: the reports are lost.
            Err(error) => {
                eprintln!("error: cannot write the report: {error}");
                Err(EXIT_ERROR)
            }
        }
    }

    fn finish(mut self, summary: &BatchSummary) -> Result<(), i32> {
        // One bundle's JSON is rendered as an array of one by `render`;
        // a batch's array is framed here, report by report.
        if self.shape.format == Format::Json && self.shape.batch {
            self.emit(if self.written == 0 { "[]\n" } else { "\n]\n" })?;
        } else if self.shape.batch {
            match self.shape.format {
                Format::Json => {}
                Format::Jsonl => self.emit(&summary_line(summary))?,
                Format::Text => self.emit(&text_summary(summary, &self.shape.options))?,
                // Each holds its own summary (GitHub: a line per bundle).
                Format::Markdown
                | Format::Html
                | Format::Junit
                | Format::Sarif
                | Format::Github => {}
            }
        }
        self.out.flush().map_err(|error| {
            eprintln!("error: cannot write the report: {error}");
            EXIT_ERROR
        })
    }
}

/// 2 when a rule could not be evaluated (the tool did not finish its job,
/// whatever else failed: an incomplete judgement is never reported as an
/// ordinary failure, spec §6); else 1 when a bundle fails; else 0.
fn exit_status(summary: &BatchSummary, failed: bool) -> i32 {
    if summary.rule_errors > 0 {
        EXIT_ERROR
    } else if failed {
        EXIT_FAIL
    } else {
        EXIT_PASS
    }
}
