//! `--output-dir DIR`: one report file per bundle plus an index listing every
//! bundle with its verdict and failing rules, then the batch's summary.
//! Files are written as bundles complete, so a batch of any size streams.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use dossier::render::{Format, RenderOptions, index_footer, index_header, index_name, index_row};
use dossier::report::{BatchSummary, Outcome};

use super::EXIT_ERROR;

pub struct OutputDir {
    dir: PathBuf,
    format: Format,
    options: RenderOptions,
    index: BufWriter<File>,
    names: HashSet<String>,
}

fn failed_to_write(path: &Path, error: std::io::Error) -> i32 {
    eprintln!("error: cannot write {}: {error}", path.display());
    EXIT_ERROR
}

impl OutputDir {
    pub fn open(dir: &Path, format: Format, options: RenderOptions) -> Result<OutputDir, i32> {
        std::fs::create_dir_all(dir).map_err(|e| failed_to_write(dir, e))?;
        let index_path = dir.join(index_name(format));
        let mut index =
            BufWriter::new(File::create(&index_path).map_err(|e| failed_to_write(&index_path, e))?);
        index
            .write_all(index_header(format, &options).as_bytes())
            .map_err(|e| failed_to_write(&index_path, e))?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            format,
            options,
            index,
            names: HashSet::new(),
        })
    }

    /// A file name for the bundle: its path with separators as `__`, other
    /// unsafe characters as `_`, made unique within the folder.
    fn file_name(&mut self, bundle: &str) -> String {
        let slug: String = bundle
            .trim_start_matches("./")
            .trim_matches('/')
            .replace('/', "__")
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let slug = if slug.is_empty() || slug.starts_with('.') {
            format!("bundle{slug}")
        } else {
            slug
        };
        let extension = self.format.extension();
        let mut name = format!("{slug}.{extension}");
        let mut counter = 2;
        while !self.names.insert(name.clone()) || name == index_name(self.format) {
            name = format!("{slug}-{counter}.{extension}");
            counter += 1;
        }
        name
    }

    /// Writes one bundle's report and its index row.
    pub fn write(&mut self, report: &str, outcome: &Outcome) -> Result<(), i32> {
        let name = self.file_name(&outcome.bundle);
        let path = self.dir.join(&name);
        std::fs::write(&path, report).map_err(|e| failed_to_write(&path, e))?;
        let row = index_row(self.format, outcome, &name, &self.options);
        self.index
            .write_all(row.as_bytes())
            .map_err(|e| failed_to_write(&path, e))
    }

    pub fn finish(mut self, summary: &BatchSummary) -> Result<(), i32> {
        let index_path = self.dir.join(index_name(self.format));
        self.index
            .write_all(index_footer(self.format, summary, &self.options).as_bytes())
            .and_then(|_| self.index.flush())
            .map_err(|e| failed_to_write(&index_path, e))?;
        println!("{}", index_path.display());
        Ok(())
    }
}
