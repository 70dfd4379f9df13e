//! `dossier init OPERATION [DIR]`: a commented bundle template to fill in.

use std::path::PathBuf;

use clap::Args;
use dossier::render::bundle_template_with_schema;
use dossier::schema;

use super::notice::{Notice, say};
use super::{EXIT_ERROR, EXIT_PASS, LangArg, language, load_rules};

/// The bundle schema written beside the template.
const SCHEMA_FILE: &str = "bundle.schema.json";

#[derive(Args)]
pub struct InitArgs {
    /// The operation, e.g. douyin.employee_account.open (see `dossier rules list`).
    operation: String,
    /// Folder to create the bundle in (default: a folder named after the operation).
    dir: Option<PathBuf>,
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Language of the comments.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub fn run(args: InitArgs) -> Result<i32, i32> {
    let rules = load_rules(args.rules.as_deref())?;
    let lang = language(args.lang);
    let Some(operation) = rules.operation(&args.operation) else {
        let known = rules.operation_ids();
        let notice = Notice::UnknownOperation {
            operation: &args.operation,
            known: &known,
        };
        say(lang, notice);
        return Err(EXIT_ERROR);
    };
    let dir = args.dir.unwrap_or_else(|| PathBuf::from(&operation.id));
    let manifest = dir.join("bundle.yaml");
    if manifest.exists() {
        say(lang, Notice::ManifestExists(&manifest));
        return Err(EXIT_ERROR);
    }
    // The bundle schema of this rule set goes beside the manifest, so an
    // editor checks the manifest wherever the folder is.
    let schema_text = schema::to_text(&schema::bundle(&rules));
    let template = bundle_template_with_schema(&rules, operation, lang, Some(SCHEMA_FILE));
    let written = std::fs::create_dir_all(dir.join("files"))
        .and_then(|_| std::fs::write(dir.join(SCHEMA_FILE), schema_text))
        .and_then(|_| std::fs::write(&manifest, template));
    if let Err(error) = written {
        let notice = Notice::CannotWrite {
            path: &manifest,
            error: &error,
        };
        say(lang, notice);
        return Err(EXIT_ERROR);
    }
    println!("{}", manifest.display());
    Ok(EXIT_PASS)
}
