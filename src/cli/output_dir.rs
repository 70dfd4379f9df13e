//! `--output-dir DIR`: one report file per bundle plus an index listing every
//! bundle with its verdict and failing rules, then the batch's summary.
//! Files are written as bundles complete, so a batch of any size streams.
//!
//! Every bundle gets its own file: names are derived from the bundle's path
//! as shown (personal numbers masked, as in the reports), made safe for any
//! file system, bounded well under `NAME_MAX` (255 bytes), and unique even
//! where two paths map to one name or differ only in case.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use dossier::lang::Lang;
use dossier::render::{
    Format, Redaction, RenderOptions, index_footer, index_header, index_name, index_row,
};
use dossier::report::{BatchSummary, Outcome};

use super::EXIT_ERROR;
use super::notice::{Notice, say};

/// The most bytes of a bundle's path kept in its file name; with the
/// counter and the extension a name stays far below `NAME_MAX` (255 bytes
/// on Linux, macOS and Windows file systems).
const NAME_BYTES: usize = 160;

pub struct OutputDir {
    dir: PathBuf,
    format: Format,
    options: RenderOptions,
    index: BufWriter<File>,
    /// Names given so far, lower-cased: on a case-insensitive file system
    /// `A.json` would overwrite `a.json`.
    taken: HashSet<String>,
}

fn failed_to_write(lang: Lang, path: &Path, error: std::io::Error) -> i32 {
    say(
        lang,
        Notice::CannotWrite {
            path,
            error: &error,
        },
    );
    EXIT_ERROR
}

impl OutputDir {
    pub fn open(dir: &Path, format: Format, options: RenderOptions) -> Result<OutputDir, i32> {
        let lang = options.lang;
        std::fs::create_dir_all(dir).map_err(|error| {
            say(
                lang,
                Notice::CannotCreate {
                    path: dir,
                    error: &error,
                },
            );
            EXIT_ERROR
        })?;
        let index_path = dir.join(index_name(format));
        let failed = |e| failed_to_write(lang, &index_path, e);
        let mut index = BufWriter::new(File::create(&index_path).map_err(failed)?);
        index
            .write_all(index_header(format, &options).as_bytes())
            .map_err(failed)?;
        let mut taken = HashSet::new();
        taken.insert(index_name(format).to_lowercase());
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            format,
            options,
            index,
            taken,
        })
    }

    /// A file name for the bundle, unique within the folder.
    fn file_name(&mut self, bundle: &str) -> String {
        let shown = Redaction::of(&self.options, self.format).text(bundle);
        let slug = slug(&shown);
        let extension = self.format.extension();
        let mut name = format!("{slug}.{extension}");
        let mut counter = 1;
        while !self.taken.insert(name.to_lowercase()) {
            counter += 1;
            name = format!("{slug}-{counter}.{extension}");
        }
        name
    }

    /// Writes one bundle's report and its index row.
    pub fn write(&mut self, report: &str, outcome: &Outcome) -> Result<(), i32> {
        let name = self.file_name(&outcome.bundle);
        let path = self.dir.join(&name);
        let lang = self.options.lang;
        std::fs::write(&path, report).map_err(|e| failed_to_write(lang, &path, e))?;
        let row = index_row(self.format, outcome, &name, &self.options);
        let index_path = self.dir.join(index_name(self.format));
        self.index
            .write_all(row.as_bytes())
            .map_err(|e| failed_to_write(lang, &index_path, e))
    }

    pub fn finish(mut self, summary: &BatchSummary) -> Result<(), i32> {
        let index_path = self.dir.join(index_name(self.format));
        self.index
            .write_all(index_footer(self.format, summary, &self.options).as_bytes())
            .and_then(|_| self.index.flush())
            .map_err(|e| failed_to_write(self.options.lang, &index_path, e))?;
        let shown = Redaction::stderr()
            .text(&index_path.display().to_string())
            .into_owned();
        super::emit(&format!("{shown}\n"), None, self.options.lang)
    }
}

/// A bundle's path as one safe file name stem: separators as `__`, anything
/// but letters, digits, `.`, `-` and `_` as `_`, never starting with a dot,
/// and at most [`NAME_BYTES`] bytes (the end of a long path is kept: it
/// names the bundle's own folder).
fn slug(bundle: &str) -> String {
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
    let mut start = slug.len().saturating_sub(NAME_BYTES);
    while !slug.is_char_boundary(start) {
        start += 1;
    }
    let slug = &slug[start..];
    if slug.is_empty() || slug.starts_with('.') {
        format!("bundle{slug}")
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(format: Format) -> (tempfile::TempDir, OutputDir) {
        let dir = tempfile::tempdir().unwrap();
        let out = OutputDir::open(dir.path(), format, RenderOptions::default()).unwrap();
        (dir, out)
    }

    #[test]
    fn names_are_safe_bounded_and_unique() {
        let (_dir, mut out) = folder(Format::Json);
        let long = format!("{}/{}", "目录".repeat(60), "b".repeat(300));
        let names: Vec<String> = [
            "a/b",
            "a__b",
            "A/B",
            "../..",
            ".hidden",
            "",
            long.as_str(),
            long.as_str(),
            "index.md",
            "x\u{202E}y\n",
        ]
        .iter()
        .map(|bundle| out.file_name(bundle))
        .collect();
        assert_eq!(
            names[..6],
            [
                "a__b.json",
                "a__b-2.json",
                "A__B-3.json",
                "bundle..__...json",
                "bundle.hidden.json",
                "bundle.json"
            ]
        );
        let unique: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for name in &names {
            assert!(name.len() <= 200, "{} bytes: {name}", name.len());
            assert!(
                !name.contains(['/', '\\', '\0', '\n', '\u{202E}']),
                "{name}"
            );
            assert!(!name.starts_with('.'), "{name}");
        }
        assert_ne!(names[8], "index.md");
    }

    #[test]
    fn names_mask_personal_numbers() {
        let (_dir, mut out) = folder(Format::Html);
        let name = out.file_name("in/张三_11010519491231002X");
        assert_eq!(name, "in__张三_110105________002X.html");
    }
}
