//! Archives: telling their kind and reading their entries into memory.

use std::path::Path;

use super::SourceProblem;
use super::entries::Located;
use crate::limits::Limits;

/// The archive formats dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArchiveKind {
    /// A zip archive (names in UTF-8, or GBK without the UTF-8 flag).
    Zip,
    /// An uncompressed tar archive.
    Tar,
    /// A gzip-compressed tar archive (`.tar.gz`, `.tgz`).
    TarGz,
}

impl ArchiveKind {
    /// The kind a file name says (`.zip`, `.tar`, `.tar.gz`, `.tgz`, any case).
    pub fn from_name(path: &Path) -> Option<ArchiveKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".zip") {
            Some(ArchiveKind::Zip)
        } else if name.ends_with(".tar") {
            Some(ArchiveKind::Tar)
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else {
            None
        }
    }
}

/// Reads the archive file at `path`.
pub(super) fn read_file(_path: &Path, _limits: &Limits) -> Result<Located, SourceProblem> {
    Err(SourceProblem::Unreadable(
        "archives are not supported yet".into(),
    ))
}

/// Reads an archive held in memory.
pub(super) fn read_bytes(_bytes: &[u8], _limits: &Limits) -> Result<Located, SourceProblem> {
    Err(SourceProblem::Unreadable(
        "archives are not supported yet".into(),
    ))
}
