//! Zip archives, read with the `zip` crate: its central directory is
//! judged whole (entry count, comment, duplicate and overlapping entries,
//! kinds, encryption, methods) before any entry is inflated; each entry's
//! local header must agree with it, and each entry is then inflated
//! straight from the archive's bytes into a buffer of its declared size
//! (bounded by the limits), its true size and CRC-32 checked.
//!
//! Names without the UTF-8 flag are UTF-8 when they decode as such (macOS
//! and Linux archivers), else GBK (Chinese-locale Windows "Send to
//! compressed folder"), so `files/营业执照.pdf` is found either way.

use std::io::Cursor;

use zip::read::ZipReadOptions;
use zip::{CompressionMethod, ZipArchive};

use super::SourceProblem;
use super::entries::{Entries, Located, decode_name};
use super::inflate::{Budget, Declared, Method, Unpacker};
use crate::limits::Limits;

/// Reads every entry of the zip archive `bytes` into memory.
pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<Located, SourceProblem> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if archive.len() > limits.archive_entries {
        return Err(SourceProblem::TooManyEntries {
            limit: limits.archive_entries,
        });
    }
    let comment = archive.comment().len() as u64;
    if comment > limits.archive_comment_bytes {
        return Err(SourceProblem::Comment {
            size: comment,
            limit: limits.archive_comment_bytes,
        });
    }
    if archive.has_duplicate_names() {
        return Err(SourceProblem::DuplicateNames);
    }
    if archive.has_overlapping_files().map_err(damaged)? {
        return Err(SourceProblem::Overlap);
    }
    let mut entries = Entries::default();
    let mut budget = Budget::new(limits);
    let mut unpacker = Unpacker::new();
    for index in 0..archive.len() {
        let (name, method, declared) = {
            let entry = archive.by_index_data(index).map_err(damaged)?;
            let name = decode_name(entry.name_raw(), limits)?;
            judge_kind(&name, entry.unix_mode())?;
            if entry.encrypted() {
                return Err(SourceProblem::Encrypted(name));
            }
            if entry.is_dir() {
                entries.add_folder(&name)?;
                continue;
            }
            let method = match entry.compression() {
                CompressionMethod::Stored => Method::Stored,
                CompressionMethod::Deflated => Method::Deflated,
                _ => return Err(SourceProblem::Method(name)),
            };
            let declared = Declared {
                compressed: entry.compressed_size(),
                size: entry.size(),
                crc: entry.crc32(),
            };
            (name, method, declared)
        };
        let stored = stored_bytes(&mut archive, index, bytes, declared.compressed)?;
        let data = unpacker.unpack(stored, method, declared, &name, &mut budget)?;
        entries.add_file(&name, data)?;
    }
    entries.locate()
}

/// The bytes entry `index` has in the archive, once its local header is
/// found to agree with the central directory. They are cut from `bytes`
/// where they are, never copied; an entry said to run past the end of the
/// archive gives what is there (its size and CRC then refuse it).
fn stored_bytes<'a>(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    bytes: &'a [u8],
    compressed: u64,
) -> Result<&'a [u8], SourceProblem> {
    let options = ZipReadOptions::new().enforce_header_consistency(true);
    let file = archive
        .by_index_with_options(index, options)
        .map_err(damaged)?;
    let start = file
        .data_start()
        .ok_or_else(|| SourceProblem::Damaged("an entry's data cannot be found".to_string()))?;
    let rest = usize::try_from(start)
        .ok()
        .and_then(|start| bytes.get(start..))
        .unwrap_or_default();
    let length = usize::try_from(compressed).unwrap_or(usize::MAX);
    Ok(&rest[..length.min(rest.len())])
}

fn damaged(error: zip::result::ZipError) -> SourceProblem {
    SourceProblem::Damaged(error.to_string())
}

/// Refuses links, devices, FIFOs and sockets by the Unix mode an entry carries.
fn judge_kind(name: &str, mode: Option<u32>) -> Result<(), SourceProblem> {
    const KIND_BITS: u32 = 0o170_000;
    let kind = match mode.map(|m| m & KIND_BITS) {
        None | Some(0) | Some(0o100_000) | Some(0o040_000) => return Ok(()),
        Some(0o120_000) => "symbolic link",
        Some(0o020_000) | Some(0o060_000) => "device",
        Some(0o010_000) => "FIFO",
        Some(_) => "special entry",
    };
    Err(SourceProblem::NotRegular {
        name: name.to_string(),
        kind,
    })
}
