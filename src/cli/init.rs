//! `dossier init OPERATION [DIR]`: a commented bundle template to fill in.

use std::path::PathBuf;

use clap::Args;
use dossier::render::bundle_template_with_schema;
use dossier::schema;

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
    let Some(operation) = rules.operation(&args.operation) else {
        eprintln!(
            "error: unknown operation `{}`; known: {}",
            args.operation,
            rules.operation_ids().join(", ")
        );
        return Err(EXIT_ERROR);
    };
    let dir = args.dir.unwrap_or_else(|| PathBuf::from(&operation.id));
    let manifest = dir.join("bundle.yaml");
    if manifest.exists() {
        eprintln!(
            "error: {} exists already; not overwritten",
            manifest.display()
        );
        return Err(EXIT_ERROR);
    }
    // The bundle schema of this rule set goes beside the manifest, so an
    // editor checks the manifest wherever the folder is.
    let schema_text = schema::to_text(&schema::bundle(&rules));
    let template =
        bundle_template_with_schema(&rules, operation, language(args.lang), Some(SCHEMA_FILE));
    let written = std::fs::create_dir_all(dir.join("files"))
        .and_then(|_| std::fs::write(dir.join(SCHEMA_FILE), schema_text))
        .and_then(|_| std::fs::write(&manifest, template));
    if let Err(error) = written {
        eprintln!("error: cannot write {}: {error}", manifest.display());
        return Err(EXIT_ERROR);
    }
    println!("{}", manifest.display());
    Ok(EXIT_PASS)
}
