//! `dossier check`: judge bundles and write their reports.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use clap::Args;
use dossier::Checker;
use dossier::checker::{JOBS_PER_CORE, LoadedBundle, max_jobs};
use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{BatchLayout, Format, RenderOptions, index_name};
use dossier::report::{BatchSummary, Severity};

use dossier::waiver::{Waivers, bundle_matches};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::bundles::{Bundles, FoundSoFar};
use super::notice::{Notice, say};
use super::output_dir::OutputDir;
use super::{EXIT_ERROR, EXIT_FAIL, EXIT_PASS, language, load_rules_for};
use dossier::source::walks_below;

#[derive(Args)]
pub struct CheckArgs {
    /// Bundle folders, manifest files or archives (.zip, .tar, .tar.gz, .tgz); `-` reads one
    /// archive from standard input; a folder without a manifest means every bundle below it.
    #[arg(required = true)]
    bundles: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Language of the report (default: from LANG, else en).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Use the rule set in this folder instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Judge as if submitted on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    /// What makes the exit status 1: failing errors (default) or failing warnings too.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: Severity,
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
    #[arg(long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    dossier::engine::parse_judging_date(text)
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
    // `--jobs` is settled at once (a capped count is said before any
    // report); the default, one job per core, only where a batch needs it:
    // finding the core count reads the process's cgroup files, about a
    // twentieth of a one-bundle check.
    let asked = args.jobs.map(|asked| capped_jobs(asked, lang));
    let jobs = || asked.unwrap_or_else(|| max_jobs() / JOBS_PER_CORE);
    // Several jobs hold more bundles in hand, so the walk keeps handles for
    // more of them (and, under a progress bar, walks on a thread of its
    // own). Asked only where there is a folder of bundles to walk: the core
    // count costs a one-bundle check about a twentieth of its time.
    let ahead = args.bundles.iter().any(|path| walks_below(path)) && jobs() > 1;
    let mut bundles = Bundles::find(&args.bundles, lang, ahead)?;
    // One bundle named: one report; several, or a folder of bundles: a batch.
    let several = args.bundles.len() > 1
        || bundles.peek(1).is_some()
        || (args.bundles[0].as_os_str() != "-"
            && bundles.peek(0).map(|b| Path::new(b.name()))
                != args.bundles.first().map(PathBuf::as_path));
    // A single bundle is read first, so only the rules of its operation load.
    let single = match several {
        true => None,
        false => bundles.next().map(|b| LoadedBundle::read(&b)),
    };
    let operation = single.as_ref().and_then(LoadedBundle::operation);
    let rules = load_rules_for(args.rules.as_deref(), operation)?;
    let mut checker = Checker::builder(rules).options(
        CheckOptions::as_of(args.as_of).with_today(Some(chrono::Local::now().date_naive())),
    );
    if let Some(path) = &args.waivers {
        checker = checker.waivers(Waivers::load(path).map_err(|error| {
            say(lang, Notice::Waivers(&error));
            EXIT_ERROR
        })?);
    }
    let checker = checker.build();
    let format = args.format;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut settings = RenderOptions::default();
    settings.lang = lang;
    settings.show_personal_data = args.show_personal_data;
    settings.color = format == Format::Text
        && to_terminal
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    settings.explain = args.explain;
    settings.fail_on = args.fail_on;
    let summary = match (single, &args.output_dir) {
        (Some(bundle), None) => {
            let layout = BatchLayout::new(format, settings, false);
            let out = open_output(args.output.as_ref(), lang)?;
            let written = layout.begin(out).and_then(|mut writer| {
                writer.add(checker.check_loaded(&bundle))?;
                writer.finish()
            });
            let (_, summary) = written.map_err(|error| cannot_write(lang, error))?;
            if format == Format::Text
                && let Some(note) = bundle.manifest_error_note(lang, super::stderr_color())
            {
                // For one bundle read by a person: the manifest's offending line.
                eprint!("\n{note}");
            }
            return finish(checker, summary, &bundles.finish(), lang);
        }
        (_, output_dir) => {
            // No more workers than bundles (the walk finds the first few at once).
            let jobs = (1..jobs())
                .take_while(|&n| bundles.peek(n).is_some())
                .count()
                + 1;
            let progress = progress_bar(lang);
            let summary = match output_dir {
                Some(dir) => write_folder(
                    &checker,
                    &mut bundles,
                    jobs,
                    dir,
                    format,
                    settings,
                    &progress,
                )?,
                None => {
                    let layout = BatchLayout::new(format, settings, several);
                    let out = open_output(args.output.as_ref(), lang)?;
                    write_stream(&checker, &mut bundles, jobs, layout, out, &progress, lang)?
                }
            };
            if let Some(bar) = progress {
                bar.finish_and_clear();
            }
            summary
        }
    };
    if several {
        // Timing is not part of the report, so reports stay byte-identical.
        eprintln!(
            "{}",
            super::words::timing(lang, summary.bundles, started.elapsed())
        );
    }
    finish(checker, summary, &bundles.finish(), lang)
}

/// What every run ends with: the waivers that named no bundle, the exit status.
fn finish(
    checker: Checker,
    summary: BatchSummary,
    names: &[String],
    lang: Lang,
) -> Result<i32, i32> {
    warn_unmatched_waivers(checker.waivers(), names, lang);
    // The process ends next: freeing the compiled rule set would only cost
    // time (a fifth of a millisecond).
    std::mem::forget(checker);
    Ok(exit_status(&summary))
}
/// Every report, in input order, through one writer; rendered on the workers.
fn write_stream(
    checker: &Checker,
    bundles: &mut Bundles,
    jobs: usize,
    layout: BatchLayout,
    out: Box<dyn Write>,
    progress: &Option<ProgressBar>,
    lang: Lang,
) -> Result<BatchSummary, i32> {
    let failed = |error| cannot_write(lang, error);
    let mut writer = layout.begin(out).map_err(failed)?;
    let found = bundles.found();
    let entries = checker.check_all_with(bundles, jobs, move |r| layout.entry(r));
    for entry in entries {
        writer.add_entry(entry).map_err(failed)?;
        advance(progress, &found);
    }
    Ok(writer.finish().map_err(failed)?.1)
}

/// `--output-dir`: each bundle's report as its own file, and the index.
fn write_folder(
    checker: &Checker,
    bundles: &mut Bundles,
    jobs: usize,
    dir: &Path,
    format: Format,
    settings: RenderOptions,
    progress: &Option<ProgressBar>,
) -> Result<BatchSummary, i32> {
    let layout = BatchLayout::new(format, settings, false).beside_index(index_name(format));
    let mut folder = OutputDir::open(dir, format, settings)?;
    let mut summary = BatchSummary::default();
    let found = bundles.found();
    let entries = checker.check_all_with(bundles, jobs, move |r| layout.entry(r));
    for entry in entries {
        let report = entry
            .text()
            .expect("a one-report layout renders each report");
        folder.write(report, entry.outcome())?;
        summary.add(entry.outcome());
        advance(progress, &found);
    }
    folder.finish(&summary)?;
    Ok(summary)
}

/// Worker threads as asked, capped at what the machine can use (a huge
/// `--jobs` once tried to start that many threads). Without `--jobs`, a
/// batch takes one per core.
fn capped_jobs(asked: usize, lang: Lang) -> usize {
    // Every machine has a core: so many need no core count.
    if asked <= JOBS_PER_CORE {
        return asked;
    }
    let most = max_jobs();
    if asked > most {
        let per_core = JOBS_PER_CORE;
        say(
            lang,
            Notice::JobsCapped {
                asked,
                most,
                per_core,
            },
        );
        return most;
    }
    asked
}

fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least one job is needed".to_string()),
        Ok(jobs) => Ok(jobs),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

fn cannot_write(lang: Lang, error: std::io::Error) -> i32 {
    say(lang, Notice::CannotWriteReport(&error));
    EXIT_ERROR
}

/// A waiver naming no bundle of this run is most likely a typo: say so.
fn warn_unmatched_waivers(waivers: Option<&Waivers>, names: &[String], lang: Lang) {
    let Some(waivers) = waivers else { return };
    for waiver in &waivers.waivers {
        let named = names
            .iter()
            .any(|name| bundle_matches(&waiver.bundle, name));
        if !named {
            let notice = Notice::UnmatchedWaiver {
                file: &waivers.file,
                line: waiver.line,
                rule: &waiver.rule,
                bundle: &waiver.bundle,
            };
            say(lang, notice);
        }
    }
}

/// A progress bar on a terminal's stderr for batches, never on a pipe or in
/// CI. Its length grows as the walk finds bundles ([`advance`]).
fn progress_bar(lang: Lang) -> Option<ProgressBar> {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(match lang {
        Lang::Zh => "{bar:40} {pos}/{len} 个材料包 · {per_sec} · 预计还需 {eta}",
        Lang::En => "{bar:40} {pos}/{len} bundles · {per_sec} · ETA {eta}",
    })
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// One more report written, of `found` bundles found so far.
fn advance(progress: &Option<ProgressBar>, found: &FoundSoFar) {
    if let Some(bar) = progress {
        bar.set_length(found.so_far() as u64);
        bar.inc(1);
    }
}

/// Standard output or the `--output` file. A closed pipe (`| head`) or a
/// full disk loses reports: an error (exit 2), never a silent success.
fn open_output(path: Option<&PathBuf>, lang: Lang) -> Result<Box<dyn Write>, i32> {
    Ok(match path {
        None => Box::new(BufWriter::new(std::io::stdout())),
        Some(path) => Box::new(BufWriter::new(std::fs::File::create(path).map_err(
            |error| {
                say(
                    lang,
                    Notice::CannotWrite {
                        path,
                        error: &error,
                    },
                );
                EXIT_ERROR
            },
        )?)),
    })
}

/// 2 when a rule could not be evaluated (the tool did not finish its job,
/// whatever else failed: an incomplete judgement is never reported as an
/// ordinary failure, spec §6); else 1 when a bundle fails; else 0.
fn exit_status(summary: &BatchSummary) -> i32 {
    if summary.rule_errors > 0 {
        EXIT_ERROR
    } else if summary.failed_at_threshold > 0 {
        EXIT_FAIL
    } else {
        EXIT_PASS
    }
}
