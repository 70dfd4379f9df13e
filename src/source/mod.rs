//! Where a bundle's bytes come from: a folder on disk, an archive (zip, tar,
//! tar.gz) on disk or in memory, or files held in memory (an upload).
//!
//! Every source yields the same two things: the manifest's bytes and a way to
//! reach an attachment by its safe relative path. What an attachment's bytes
//! are is judged the same way whatever the source (`bundle::judge_content`);
//! how they are reached safely is the source's own concern: a folder is
//! confined to itself (`folder.rs`), an archive's entries are read once,
//! within bounds, into a table of names that were checked on the way in
//! (`entries.rs`). Nothing is ever extracted to disk.

mod archive;
mod discover;
mod entries;
mod folder;
mod inflate;
// Reached from outside only through the hidden `internals` (tests).
pub(crate) mod problem;
mod tar;
mod zip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::bundle::{
    AttachmentCheck, Bundle, ManifestError, declared_digest, decode_and_parse, judge_content,
    safe_relative_path,
};
use crate::confined::Folder;
use crate::limits::Limits;

pub use archive::ArchiveKind;
pub use discover::{
    Discovering, Discovery, Found, KEPT_HANDLES, SkipReason, Skipped, Unlisted, discover,
    discover_each, discover_keeping, discover_lazily, walks_below,
};
pub use folder::Walked;
pub(crate) use problem::SourceProblem;

use entries::{Entries, Located};

/// Where one bundle's bytes come from. Cheap to clone: bytes held in memory
/// are shared.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub enum BundleSource {
    /// A bundle folder, or a manifest file inside one.
    Folder(PathBuf),
    /// An archive file on disk (zip, tar, tar.gz), kind told by its bytes.
    ArchiveFile(PathBuf),
    /// An archive held in memory (an upload, standard input).
    ArchiveBytes {
        /// What the report's `bundle` shows (the upload's name, `stdin`).
        name: String,
        /// The archive's bytes, shared between clones.
        bytes: Arc<[u8]>,
    },
    /// Files held in memory, checked and keyed by their normalised path.
    Memory(MemoryFiles),
    /// A bundle folder or archive the folder walk found ([`discover`]),
    /// reached beneath the walked folder's handle without following links.
    Walked(Walked),
}

/// Files given in memory, their names already judged (see [`BundleSource::memory`]).
#[derive(Debug, Clone)]
pub struct MemoryFiles {
    name: String,
    located: Result<Arc<Located>, SourceProblem>,
}

impl BundleSource {
    /// A folder, a manifest file, or an archive (.zip/.tar/.tar.gz/.tgz) on disk.
    pub fn from_path(path: impl Into<PathBuf>) -> BundleSource {
        let path = path.into();
        match ArchiveKind::from_name(&path) {
            Some(_) if !path.is_dir() => BundleSource::ArchiveFile(path),
            _ => BundleSource::Folder(path),
        }
    }

    /// An archive held in memory (upload, stdin); kind sniffed from the bytes.
    pub fn archive_bytes(name: impl Into<String>, bytes: Vec<u8>) -> BundleSource {
        BundleSource::ArchiveBytes {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// Files held in memory: manifest under its usual name + attachments by
    /// their relative path (multipart uploads, the web form). Names are
    /// judged as an archive's are: one that is absolute, leaves the bundle or
    /// collides with another makes the bundle fail, naming it.
    pub fn memory(name: impl Into<String>, files: BTreeMap<String, Vec<u8>>) -> BundleSource {
        let located = Entries::from_files(files).map(Arc::new);
        BundleSource::Memory(MemoryFiles {
            name: name.into(),
            located,
        })
    }

    /// What the report's `bundle` field shows: the folder, archive path or upload name.
    pub fn name(&self) -> &str {
        match self {
            BundleSource::Folder(path) | BundleSource::ArchiveFile(path) => {
                path.to_str().unwrap_or("(a path that is not UTF-8)")
            }
            BundleSource::ArchiveBytes { name, .. } => name,
            BundleSource::Memory(files) => &files.name,
            BundleSource::Walked(walked) => walked
                .shown()
                .to_str()
                .unwrap_or("(a path that is not UTF-8)"),
        }
    }

    /// Reads the manifest within `limits` and prepares its attachments to be
    /// reached. Never panics on input; what cannot be read is kept as the
    /// error the report quotes.
    pub fn load(&self, limits: &Limits) -> Bundle {
        let name = self.display_name();
        let located = match self {
            BundleSource::Folder(path) => return folder::load(path, limits),
            BundleSource::ArchiveFile(path) => archive::read_file(path, limits).map(Arc::new),
            BundleSource::ArchiveBytes { bytes, .. } => {
                archive::read_bytes(bytes, limits).map(Arc::new)
            }
            BundleSource::Memory(files) => files.located.clone(),
            BundleSource::Walked(walked) if walked.is_archive() => {
                walked.read_archive(limits).map(Arc::new)
            }
            BundleSource::Walked(walked) => return walked.load_folder(limits),
        };
        match located {
            Ok(located) => load_located(name, located, limits),
            Err(problem) => Bundle {
                manifest: Err(ManifestError::Source {
                    path: name.clone(),
                    problem,
                }),
                name,
                files: Files(Reach::Nothing),
                manifest_path: None,
                legacy_encoding: None,
            },
        }
    }

    fn display_name(&self) -> String {
        match self {
            BundleSource::Folder(path) | BundleSource::ArchiveFile(path) => {
                path.display().to_string()
            }
            BundleSource::Walked(walked) => walked.shown().display().to_string(),
            _ => self.name().to_string(),
        }
    }
}

fn load_located(name: String, located: Arc<Located>, limits: &Limits) -> Bundle {
    let Some((key, bytes)) = located.manifest() else {
        return Bundle {
            manifest: Err(ManifestError::NotFound(name.clone())),
            name,
            files: Files(Reach::Nothing),
            manifest_path: None,
            legacy_encoding: None,
        };
    };
    let shown = format!("{name}/{key}");
    let (manifest, legacy_encoding) = decode_and_parse(&shown, bytes.to_vec(), limits);
    Bundle {
        name,
        files: Files(Reach::Entries(located)),
        manifest_path: Some(PathBuf::from(shown)),
        manifest,
        legacy_encoding,
    }
}

/// Where a loaded bundle's attachments are reached.
#[derive(Debug, Clone)]
pub struct Files(Reach);

#[derive(Debug, Clone)]
enum Reach {
    /// A folder, opened once: every attachment is reached through its
    /// handle, and only beneath it.
    Folder(Arc<folder::BundleFolder>),
    /// Entries read into memory, names judged on the way in.
    Entries(Arc<Located>),
    /// The source could not be read: there is nothing to reach.
    Nothing,
}

impl Files {
    /// Attachments reached beneath the folder `dir`, opened now; when it
    /// cannot be opened, there is nothing to reach.
    pub fn folder(dir: &Path) -> Files {
        Folder::open(dir).map_or_else(|_| Files::none(), |folder| Files::opened(Arc::new(folder)))
    }

    /// Attachments reached beneath a folder already opened.
    pub(crate) fn opened(folder: Arc<Folder>) -> Files {
        Files(Reach::Folder(Arc::new(folder::BundleFolder::new(folder))))
    }

    /// Attachments reached beneath a folder already opened, whose subfolder
    /// `parent` is already open too.
    pub(crate) fn opened_with(
        folder: Arc<Folder>,
        parent: Option<(PathBuf, Arc<Folder>)>,
    ) -> Files {
        let bundle = folder::BundleFolder::with_parent(folder, parent);
        Files(Reach::Folder(Arc::new(bundle)))
    }

    /// Nothing to reach: the bundle could not be read.
    pub(crate) fn none() -> Files {
        Files(Reach::Nothing)
    }

    /// The names of the files beside `reference` (in its folder), for the
    /// hint naming what a missing reference most likely meant. Only names,
    /// only inside the bundle, bounded.
    pub fn names_beside(&self, reference: &str) -> Vec<String> {
        match &self.0 {
            Reach::Folder(dir) => crate::bundle::names_in_folder(dir.root(), reference),
            Reach::Entries(located) => located.names_beside(reference),
            Reach::Nothing => Vec::new(),
        }
    }

    /// Checks the attachment `reference` names: its text, how it is reached,
    /// then its bytes. `declared_sha256` is verified when given.
    pub fn check_attachment(
        &self,
        reference: &str,
        declared_sha256: Option<&str>,
        limit: u64,
    ) -> AttachmentCheck {
        let checked = declared_digest(declared_sha256).and_then(|declared| {
            let relative = safe_relative_path(reference)?;
            let opened = match &self.0 {
                Reach::Folder(bundle) => bundle.open(&relative, limit)?,
                Reach::Entries(located) => located.open(&relative)?,
                Reach::Nothing => return Err(crate::bundle::AttachmentProblem::Missing),
            };
            judge_content(opened, reference, declared.as_deref(), limit)
        });
        match checked {
            Ok(check) => check,
            Err(problem) => AttachmentCheck::Invalid(problem),
        }
    }
}
