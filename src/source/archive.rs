//! Archives: telling their kind by their bytes and reading their entries
//! into memory within the archive limits, never onto disk.

use std::io::Read;
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

    /// The kind the bytes say, whatever the name: a renamed archive is read
    /// as what it is.
    pub fn sniff(bytes: &[u8]) -> Option<ArchiveKind> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            Some(ArchiveKind::Zip)
        } else if bytes.starts_with(&[0x1f, 0x8b]) {
            Some(ArchiveKind::TarGz)
        } else if is_tar(bytes) {
            Some(ArchiveKind::Tar)
        } else {
            None
        }
    }
}

/// POSIX and GNU tar headers carry `ustar` at byte 257.
pub(super) fn is_tar(bytes: &[u8]) -> bool {
    bytes.get(257..262) == Some(b"ustar")
}

/// Reads the archive file at `path`, at most `archive_bytes` long.
pub(super) fn read_file(path: &Path, limits: &Limits) -> Result<Located, SourceProblem> {
    let unreadable = |error: std::io::Error| SourceProblem::Unreadable(error.kind().to_string());
    let file = open_without_blocking(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > limits.archive_bytes {
        return Err(SourceProblem::TooLarge {
            size,
            limit: limits.archive_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limits.archive_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    read_bytes(&bytes, limits)
}

/// Opens a file named on the command line: links are followed (the user
/// named it), but a FIFO or device must not block or be read.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// Reads an archive held in memory; its kind is told by its bytes.
pub(super) fn read_bytes(bytes: &[u8], limits: &Limits) -> Result<Located, SourceProblem> {
    if bytes.len() as u64 > limits.archive_bytes {
        return Err(SourceProblem::TooLarge {
            size: bytes.len() as u64,
            limit: limits.archive_bytes,
        });
    }
    match ArchiveKind::sniff(bytes) {
        Some(ArchiveKind::Zip) => super::zip::read(bytes, limits),
        Some(ArchiveKind::Tar) => super::tar::read(bytes, limits),
        Some(ArchiveKind::TarGz) => super::tar::read_gz(bytes, limits),
        None => Err(SourceProblem::UnknownKind),
    }
}
