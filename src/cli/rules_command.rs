//! `dossier rules list | show | lint | diff | docs` (lint in `rules_lint`).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use dossier::render::{checklist, reference_pages, rules_diff};

use super::notice::{Notice, say};
use super::{EXIT_ERROR, EXIT_PASS, LangArg, emit, language, load_rules};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChecklistFormat {
    Text,
    Markdown,
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// The operations of the rule set, with their titles.
    List {
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// The checklist of an operation: what to prepare (要什么资料) and what is checked.
    Show {
        operation: String,
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        #[arg(long, value_enum, default_value = "text")]
        format: ChecklistFormat,
    },
    /// What changed between two rule sets: per operation, the materials,
    /// fields and rules added, removed or changed.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: ChecklistFormat,
    },
    /// Load and check a rule set (default: the embedded one) and, for a folder,
    /// its rule tests (tests/*.yaml); every problem at once, exit 2 on any.
    Lint { dir: Option<PathBuf> },
    /// Write the reference (a page per operation, field types, script helpers) as Markdown.
    Docs {
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// The folder to write into.
        #[arg(long, value_name = "DIR", default_value = "docs/reference")]
        out: PathBuf,
    },
}

pub fn run(command: RulesCommand) -> Result<i32, i32> {
    match command {
        RulesCommand::List { rules, lang } => {
            let rules = load_rules(rules.as_deref())?;
            let lang = language(lang);
            let mut text = String::new();
            for id in rules.operation_ids() {
                for operation in rules.versions(id) {
                    text.push_str(&format!(
                        "{}\tv{}\t{}\t{}\n",
                        operation.id,
                        operation.version,
                        operation.period.describe().get(lang),
                        operation.title.get(lang)
                    ));
                }
            }
            emit(&text, None, lang)?;
            Ok(EXIT_PASS)
        }
        RulesCommand::Show {
            operation,
            rules,
            lang,
            format,
        } => {
            let rules = load_rules(rules.as_deref())?;
            let lang = language(lang);
            let Some(found) = rules.operation(&operation) else {
                let known = rules.operation_ids();
                say(
                    lang,
                    Notice::UnknownOperation {
                        operation: &operation,
                        known: &known,
                    },
                );
                return Err(EXIT_ERROR);
            };
            let text = checklist(
                &rules,
                found,
                lang,
                matches!(format, ChecklistFormat::Markdown),
            );
            emit(&text, None, lang)?;
            Ok(EXIT_PASS)
        }
        RulesCommand::Docs { rules, out } => {
            let rules = load_rules(rules.as_deref())?;
            // No --lang: the reference is English; messages follow the locale.
            let lang = language(None);
            for (path, text) in reference_pages(&rules) {
                let path = out.join(path);
                if let Some(parent) = path.parent()
                    && let Err(error) = std::fs::create_dir_all(parent)
                {
                    say(
                        lang,
                        Notice::CannotCreate {
                            path: parent,
                            error: &error,
                        },
                    );
                    return Err(EXIT_ERROR);
                }
                emit(&text, Some(&path), lang)?;
                println!("{}", path.display());
            }
            Ok(EXIT_PASS)
        }
        RulesCommand::Diff { old, new, format } => {
            let (old, new) = (load_rules(Some(&old))?, load_rules(Some(&new))?);
            let markdown = matches!(format, ChecklistFormat::Markdown);
            emit(
                &rules_diff(&dossier::rules::diff(&old, &new), markdown),
                None,
                language(None),
            )?;
            Ok(EXIT_PASS)
        }
        RulesCommand::Lint { dir } => super::rules_lint::lint(dir.as_deref()),
    }
}
