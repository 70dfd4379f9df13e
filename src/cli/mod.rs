//! Command-line surface (spec §6): argument parsing and dispatch. Exit
//! status: 0 every bundle passed, 1 some bundle failed, 2 the tool could
//! not do its job.

mod bundles;
mod check;
mod init;
pub(crate) mod notice;
mod output_dir;
mod rules_command;
mod rules_lint;
mod schema;
mod test_command;
mod words;

use std::path::{Path, PathBuf};

use clap::{Args, FromArgMatches, Parser, Subcommand};
use dossier::diagnostic::render_load_errors;
use dossier::lang::Lang;
use dossier::rules::RuleSet;

/// Exit statuses.
pub const EXIT_PASS: i32 = 0;
pub const EXIT_FAIL: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Check document bundles against YAML + rhai rules and explain every verdict"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check one or many bundles (a folder of bundles means all of them).
    Check(check::CheckArgs),
    /// List, explain and lint rule sets.
    #[command(subcommand)]
    Rules(rules_command::RulesCommand),
    /// Write a bundle template to fill in for an operation.
    Init(init::InitArgs),
    /// Run the rule tests kept beside a rule set (RULES_DIR/tests/*.yaml).
    Test(test_command::TestArgs),
    /// Print a JSON Schema for editors: bundle, rules (catalog, operation), calendar, tests.
    Schema(schema::SchemaArgs),
    /// Serve the checker over HTTP (POST /v1/check …; see /openapi.json).
    Serve(crate::serve::ServeArgs),
}

/// `--lang`: the language of reports and messages, the library's own enum.
pub use dossier::lang::Lang as LangArg;

/// The language asked for, else the one of the locale (LC_ALL, LC_MESSAGES, LANG), else English.
pub fn language(arg: Option<Lang>) -> Lang {
    match arg {
        Some(lang) => lang,
        None => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .map_or(Lang::En, |locale| Lang::from_locale(&locale)),
    }
}

/// The language of an argument error, or of a panic's line: `--lang` as
/// written on the command line (the arguments did not parse, or are out of
/// reach, so it is looked for by hand), else the locale's.
pub fn argument_language() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let asked = args
        .iter()
        .enumerate()
        .find_map(|(index, arg)| match arg.as_str() {
            "--lang" => args.get(index + 1).map(String::as_str),
            other => other.strip_prefix("--lang="),
        });
    match asked {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => language(None),
    }
}

/// The embedded rule set, or the one in `dir`; load errors are printed
/// with their source lines (colour on a terminal).
pub fn load_rules(dir: Option<&Path>) -> Result<RuleSet, i32> {
    load_rules_for(dir, None)
}

/// Like [`load_rules`]; with the embedded set and a known `operation`, only
/// what that operation needs is loaded (one bundle, answered fast).
pub fn load_rules_for(dir: Option<&Path>, operation: Option<&str>) -> Result<RuleSet, i32> {
    let loaded = match (dir, operation) {
        (Some(dir), _) => RuleSet::from_dir(dir),
        (None, Some(operation)) => RuleSet::embedded_for(operation),
        (None, None) => RuleSet::embedded(),
    };
    loaded.map_err(|errors| {
        let root = dir.map_or("rules".to_string(), |d| d.display().to_string());
        let files = RuleSet::files(dir);
        let text = render_load_errors(&errors, &root, &files, stderr_color());
        eprint!("{text}");
        EXIT_ERROR
    })
}

/// Colour on standard error: only on a terminal, and never with NO_COLOR.
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes `text` to `output` or standard output. Output that cannot be
/// written (a closed pipe under `| head`, a full disk) is an error: the
/// command says so in `lang` and exits 2, never 0 with the output lost.
pub fn emit(text: &str, output: Option<&PathBuf>, lang: Lang) -> Result<(), i32> {
    match output {
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
                .map_err(|error| {
                    notice::say(lang, notice::Notice::CannotWriteStdout(&error));
                    EXIT_ERROR
                })
        }
        Some(path) => std::fs::write(path, text).map_err(|error| {
            notice::say(
                lang,
                notice::Notice::CannotWrite {
                    path,
                    error: &error,
                },
            );
            EXIT_ERROR
        }),
    }
}

/// One line on standard error, which may itself be closed: never panics.
pub fn say(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The command line, parsed. A `dossier check …` that parses is read by a
/// parser of that subcommand alone: building every subcommand's arguments
/// costs a one-bundle check a few per cent. Anything else (help, a mistake,
/// another command) goes through the whole parser, which answers exactly
/// as it always did; both read `check`'s arguments by the same definitions.
fn parse() -> Result<Cli, clap::Error> {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|word| word == "check")
    {
        let check = check::CheckArgs::augment_args(clap::Command::new("check"));
        let command = clap::Command::new("dossier").subcommand(check);
        if let Ok(matches) = command.try_get_matches_from(std::env::args_os())
            && let Some(("check", matches)) = matches.subcommand()
            && let Ok(args) = check::CheckArgs::from_arg_matches(matches)
        {
            return Ok(Cli {
                command: Command::Check(args),
            });
        }
    }
    Cli::try_parse()
}

pub fn run() -> i32 {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_PASS
            };
            match words::argument_error(argument_language(), &error) {
                Some(text) => eprint!("{text}"),
                None => {
                    let _ = error.print();
                }
            }
            return code;
        }
    };
    let outcome = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(command) => rules_command::run(command),
        Command::Init(args) => init::run(args),
        Command::Test(args) => test_command::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Serve(args) => Ok(crate::serve::run(args)),
    };
    outcome.unwrap_or_else(|code| code)
}
