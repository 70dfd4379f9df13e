//! Tar and tar.gz archives, read with the `tar` and `flate2` crates as one
//! stream. The stream itself is counted (headers, long names and data) so
//! neither a gzip bomb nor a header declaring gigabytes can make it cost
//! more than `archive_unpacked_bytes`; each entry is then judged as a zip
//! entry is: regular files and folders only, names checked on the way in.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

use tar::{Archive, EntryType};

use super::SourceProblem;
use super::entries::{Entries, Located, decode_name};
use super::inflate::{Budget, RATIO_FLOOR, read_entry};
use crate::limits::Limits;

/// Reads a plain tar archive.
pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<Located, SourceProblem> {
    let stream = Counted::new(bytes, limits, None);
    let tripped = stream.tripped.clone();
    read_stream(stream, &tripped, limits)
}

/// Reads a gzip-compressed tar archive.
pub(super) fn read_gz(bytes: &[u8], limits: &Limits) -> Result<Located, SourceProblem> {
    let gunzip = flate2::read::GzDecoder::new(bytes);
    let stream = Counted::new(gunzip, limits, Some(bytes.len() as u64));
    let tripped = stream.tripped.clone();
    read_stream(stream, &tripped, limits)
}

fn read_stream<R: Read>(
    stream: Counted<R>,
    tripped: &Rc<RefCell<Option<SourceProblem>>>,
    limits: &Limits,
) -> Result<Located, SourceProblem> {
    // A bound passed inside the stream surfaces as an I/O error of `tar`;
    // the bound, not that error, is the reason.
    let bound_or = |problem: SourceProblem| tripped.borrow_mut().take().unwrap_or(problem);
    let damaged = |error: std::io::Error| bound_or(SourceProblem::Damaged(error.to_string()));
    let mut archive = Archive::new(stream);
    let mut entries = Entries::default();
    let mut budget = Budget::new(limits);
    let mut count = 0usize;
    for entry in archive.entries().map_err(damaged)? {
        let entry = entry.map_err(damaged)?;
        count += 1;
        if count > limits.archive_entries {
            return Err(SourceProblem::TooManyEntries {
                limit: limits.archive_entries,
            });
        }
        let name = decode_name(&entry.path_bytes(), limits)?;
        let kind = match entry.header().entry_type() {
            EntryType::Regular | EntryType::Continuous => None,
            EntryType::Directory => {
                entries.add_folder(&name)?;
                continue;
            }
            // Metadata for the whole archive (a pax global header): no file.
            EntryType::XGlobalHeader => continue,
            EntryType::Link => Some("hard link"),
            EntryType::Symlink => Some("symbolic link"),
            EntryType::Char | EntryType::Block => Some("device"),
            EntryType::Fifo => Some("FIFO"),
            EntryType::GNUSparse => Some("sparse file"),
            _ => Some("special entry"),
        };
        if let Some(kind) = kind {
            return Err(SourceProblem::NotRegular { name, kind });
        }
        // A declared size over the bound is refused unread; a smaller one is
        // not trusted: the bytes are counted as they come.
        if entry.size() > budget.entry_limit() {
            return Err(SourceProblem::EntryTooLarge {
                name,
                limit: budget.entry_limit(),
            });
        }
        let declared = entry.size();
        let data = read_entry(entry, &name, declared, &mut budget).map_err(bound_or)?;
        if data.len() as u64 != declared {
            return Err(SourceProblem::Damaged(format!(
                "`{name}` ends after {} of its {declared} bytes",
                data.len()
            )));
        }
        entries.add_file(&name, data)?;
    }
    // Read to the end, so a gzip stream's checksum and length are verified
    // and a truncated archive is not taken for a complete one.
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink()).map_err(damaged)?;
    entries.locate()
}

/// A reader that counts what it gives and fails once a bound is passed,
/// remembering which.
struct Counted<R> {
    inner: R,
    count: u64,
    limit: u64,
    /// The most the stream may give by the ratio bound (tar.gz only).
    ratio_limit: Option<u64>,
    ratio: u64,
    tripped: Rc<RefCell<Option<SourceProblem>>>,
}

impl<R: Read> Counted<R> {
    fn new(inner: R, limits: &Limits, compressed: Option<u64>) -> Counted<R> {
        Counted {
            inner,
            count: 0,
            limit: limits.archive_unpacked_bytes,
            ratio_limit: compressed
                .map(|c| c.saturating_mul(limits.archive_ratio).max(RATIO_FLOOR)),
            ratio: limits.archive_ratio,
            tripped: Rc::default(),
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.count += read as u64;
        let problem = if self.count > self.limit {
            Some(SourceProblem::UnpackedTooLarge { limit: self.limit })
        } else if self.ratio_limit.is_some_and(|most| self.count > most) {
            Some(SourceProblem::ArchiveRatio { limit: self.ratio })
        } else {
            None
        };
        match problem {
            None => Ok(read),
            Some(problem) => {
                *self.tripped.borrow_mut() = Some(problem);
                Err(std::io::Error::other("an archive bound was passed"))
            }
        }
    }
}
