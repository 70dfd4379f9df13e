//! `dossier schema bundle|rules|catalog|operation|calendar|tests`: the JSON
//! Schemas editors use to complete and check the files people write.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use dossier::schema;

use super::notice::{Notice, say};
use super::{EXIT_PASS, emit, language, load_rules};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// A bundle manifest (bundle.yaml), naming the rule set's operations, roles and materials.
    Bundle,
    /// Either rule file: catalog.yaml or operations/*.yaml.
    Rules,
    /// catalog.yaml alone.
    Catalog,
    /// operations/*.yaml alone.
    Operation,
    /// A working-day calendar file.
    Calendar,
    /// Rule test files (tests/*.yaml beside the rules).
    Tests,
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Which schema to print; leave out with --output-dir to write them all.
    #[arg(required_unless_present = "output_dir")]
    kind: Option<SchemaKind>,
    /// The rule set the bundle schema names (default: the embedded one).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Write the schema to this file instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    output: Option<PathBuf>,
    /// Write every schema into this folder (as docs/schema/ holds them).
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> Result<i32, i32> {
    let rules = load_rules(args.rules.as_deref())?;
    // No --lang: schemas are for editors; messages follow the locale.
    let lang = language(None);
    if let (None, Some(dir)) = (args.kind, &args.output_dir) {
        if let Err(error) = std::fs::create_dir_all(dir) {
            say(
                lang,
                Notice::CannotCreate {
                    path: dir,
                    error: &error,
                },
            );
            return Err(super::EXIT_ERROR);
        }
        for (kind, file) in schema::KINDS {
            let value = schema::by_kind(kind, &rules).expect("every kind has a schema");
            emit(&schema::to_text(&value), Some(&dir.join(file)), lang)?;
        }
        return Ok(EXIT_PASS);
    }
    let Some(kind) = args.kind else {
        return Ok(EXIT_PASS);
    };
    let name = match kind {
        SchemaKind::Bundle => "bundle",
        SchemaKind::Rules => "rules",
        SchemaKind::Catalog => "catalog",
        SchemaKind::Operation => "operation",
        SchemaKind::Calendar => "calendar",
        SchemaKind::Tests => "tests",
    };
    let value = schema::by_kind(name, &rules).expect("every kind has a schema");
    let output = args.output.or_else(|| {
        let file = schema::KINDS
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, f)| *f)?;
        args.output_dir.map(|dir| dir.join(file))
    });
    emit(&schema::to_text(&value), output.as_ref(), lang)?;
    Ok(EXIT_PASS)
}
