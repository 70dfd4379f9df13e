//! Unpacking archive entries into memory while counting: the bytes really
//! produced are what the bounds judge, never the sizes an archive declares.
//! A declared size only sizes the buffer, and only up to what the bounds
//! still allow, so a lying header cannot make a large allocation.

use std::io::Read;

use flate2::{Decompress, FlushDecompress, Status};

use super::SourceProblem;
use crate::limits::Limits;

/// An entry's ratio is judged only once it has unpacked past this: small
/// text compresses well and is harmless.
pub(super) const RATIO_FLOOR: u64 = 1024 * 1024;

/// What an entry that unpacks past its declared size is told (the words
/// the `zip` crate used when it read the entries).
const LARGER_THAN_DECLARED: &str = "File is larger than its declared uncompressed size";
/// What an entry whose bytes do not match its CRC-32 is told.
const BAD_CHECKSUM: &str = "Invalid checksum";
/// What an entry whose deflate stream cannot be decoded is told.
const CORRUPT: &str = "corrupt deflate stream";

/// What one archive may still unpack to.
pub(super) struct Budget {
    unpacked: u64,
    total_limit: u64,
    entry_limit: u64,
    ratio: u64,
}

impl Budget {
    pub(super) fn new(limits: &Limits) -> Budget {
        Budget {
            unpacked: 0,
            total_limit: limits.archive_unpacked_bytes,
            // No entry may be larger than the largest file dossier reads.
            entry_limit: limits.attachment_bytes.max(limits.manifest_bytes),
            ratio: limits.archive_ratio,
        }
    }

    /// The most one entry may unpack to.
    pub(super) fn entry_limit(&self) -> u64 {
        self.entry_limit
    }

    /// The most the next entry may unpack to with every bound kept
    /// (`compressed`: its size as stored, when the format says per entry).
    fn room(&self, compressed: Option<u64>) -> u64 {
        let mut most = self
            .entry_limit
            .min(self.total_limit.saturating_sub(self.unpacked));
        if let Some(compressed) = compressed {
            most = most.min(compressed.saturating_mul(self.ratio).max(RATIO_FLOOR));
        }
        most
    }

    /// Counts the `size` bytes one entry unpacked to, refusing it by the
    /// first bound it passes: its own size, its ratio, the archive's total.
    fn count(
        &mut self,
        name: &str,
        size: u64,
        compressed: Option<u64>,
    ) -> Result<(), SourceProblem> {
        self.unpacked = self.unpacked.saturating_add(size);
        if size > self.entry_limit {
            return Err(SourceProblem::EntryTooLarge {
                name: name.to_string(),
                limit: self.entry_limit,
            });
        }
        if compressed.is_some_and(|c| size > RATIO_FLOOR && size > c.saturating_mul(self.ratio)) {
            return Err(SourceProblem::Ratio {
                name: name.to_string(),
                limit: self.ratio,
            });
        }
        if self.unpacked > self.total_limit {
            return Err(SourceProblem::UnpackedTooLarge {
                limit: self.total_limit,
            });
        }
        Ok(())
    }
}

/// A buffer of `wanted` bytes, or fewer where the bounds allow fewer.
fn buffer(wanted: u64, room: u64) -> Vec<u8> {
    // `room` is at most the entry bound, which is a size held in memory.
    Vec::with_capacity(usize::try_from(wanted.min(room)).unwrap_or(0))
}

/// Reads one entry whole from a stream (a tar entry), stopping one byte
/// past the first bound; `declared` (already judged against the entry
/// bound) only sizes the buffer.
pub(super) fn read_entry(
    reader: impl Read,
    name: &str,
    declared: u64,
    budget: &mut Budget,
) -> Result<Vec<u8>, SourceProblem> {
    let room = budget.room(None);
    let mut data = buffer(declared, room);
    reader
        .take(room.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|error| SourceProblem::Damaged(error.to_string()))?;
    budget.count(name, data.len() as u64, None)?;
    Ok(data)
}

/// How a zip entry's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Stored,
    Deflated,
}

/// What a zip entry's header declares about its unpacked bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Declared {
    /// Its size as stored in the archive.
    pub(super) compressed: u64,
    /// Its unpacked size.
    pub(super) size: u64,
    /// The CRC-32 of its unpacked bytes.
    pub(super) crc: u32,
}

/// Unpacks zip entries, reusing one inflater's state from entry to entry.
pub(super) struct Unpacker {
    inflater: Decompress,
}

impl Unpacker {
    pub(super) fn new() -> Unpacker {
        Unpacker {
            // Raw deflate: a zip entry has no zlib header.
            inflater: Decompress::new(false),
        }
    }

    /// Unpacks one entry whole from `stored` (its bytes in the archive)
    /// straight into a buffer of its declared size, bounded by what the
    /// budget allows; then judges what it really gave: a bound passed, more
    /// or fewer bytes than declared, a CRC-32 that does not match.
    pub(super) fn unpack(
        &mut self,
        stored: &[u8],
        method: Method,
        declared: Declared,
        name: &str,
        budget: &mut Budget,
    ) -> Result<Vec<u8>, SourceProblem> {
        let compressed = Some(declared.compressed);
        let room = budget.room(compressed);
        let mut data = buffer(declared.size, room);
        let more = match method {
            Method::Stored => {
                let fits = stored.len().min(data.capacity());
                data.extend_from_slice(&stored[..fits]);
                stored.len() > fits
            }
            Method::Deflated => self.inflate(stored, &mut data)?,
        };
        if more {
            // The buffer held the declared size, which the entry passes
            // (judged first, as when the entry was read through the `zip`
            // crate), or else the most the bounds allow, which it passes.
            if declared.size > room {
                budget.count(name, data.len() as u64 + 1, compressed)?;
            }
            return Err(SourceProblem::Damaged(LARGER_THAN_DECLARED.to_string()));
        }
        budget.count(name, data.len() as u64, compressed)?;
        if crc32fast::hash(&data) != declared.crc {
            return Err(SourceProblem::Damaged(BAD_CHECKSUM.to_string()));
        }
        if data.len() as u64 != declared.size {
            return Err(SourceProblem::SizeLies {
                name: name.to_string(),
                declared: declared.size,
                actual: data.len() as u64,
            });
        }
        Ok(data)
    }

    /// Inflates `stored` into `data`'s spare capacity, never past it; says
    /// whether the stream holds more than fits. A stream cut short ends
    /// where its input does (the CRC and size then judge it).
    fn inflate(&mut self, stored: &[u8], data: &mut Vec<u8>) -> Result<bool, SourceProblem> {
        let corrupt = |_| SourceProblem::Damaged(CORRUPT.to_string());
        let inflater = &mut self.inflater;
        inflater.reset(false);
        loop {
            let (read, written) = (inflater.total_in(), inflater.total_out());
            let input = &stored[(read as usize).min(stored.len())..];
            // `Finish`: all the input is here, so a stream that fits ends in
            // one call, without keeping a window.
            let status = inflater
                .decompress_vec(input, data, FlushDecompress::Finish)
                .map_err(corrupt)?;
            if status == Status::StreamEnd {
                return Ok(false);
            }
            if data.len() == data.capacity() {
                // Full: one byte more from the stream means it does not fit.
                let input = &stored[(inflater.total_in() as usize).min(stored.len())..];
                let before = inflater.total_out();
                let mut probe = [0u8; 1];
                inflater
                    .decompress(input, &mut probe, FlushDecompress::Finish)
                    .map_err(corrupt)?;
                return Ok(inflater.total_out() > before);
            }
            if inflater.total_in() == read && inflater.total_out() == written {
                // No progress with room left: the input has run out.
                return Ok(false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn declared(stored: &[u8], bytes: &[u8]) -> Declared {
        Declared {
            compressed: stored.len() as u64,
            size: bytes.len() as u64,
            crc: crc32fast::hash(bytes),
        }
    }

    fn unpack(stored: &[u8], method: Method, declared: Declared) -> Result<Vec<u8>, SourceProblem> {
        let mut budget = Budget::new(&Limits::default());
        Unpacker::new().unpack(stored, method, declared, "a.pdf", &mut budget)
    }

    fn text(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| b"abcdefghij"[(i * 7 + i / 13) % 10])
            .collect()
    }

    #[test]
    fn honest_entries_unpack_whole() {
        let bytes = text(300_000);
        let packed = deflate(&bytes);
        assert_eq!(
            unpack(&packed, Method::Deflated, declared(&packed, &bytes)).unwrap(),
            bytes
        );
        assert_eq!(
            unpack(&bytes, Method::Stored, declared(&bytes, &bytes)).unwrap(),
            bytes
        );
        let empty = deflate(b"");
        assert_eq!(
            unpack(&empty, Method::Deflated, declared(&empty, b"")).unwrap(),
            b""
        );
    }

    #[test]
    fn sizes_that_lie_either_way_are_refused() {
        let bytes = text(50_000);
        let packed = deflate(&bytes);
        for method in [Method::Deflated, Method::Stored] {
            let stored = if method == Method::Stored {
                &bytes
            } else {
                &packed
            };
            let mut smaller = declared(stored, &bytes);
            smaller.size -= 1;
            assert_eq!(
                unpack(stored, method, smaller).unwrap_err(),
                SourceProblem::Damaged(LARGER_THAN_DECLARED.into())
            );
            let mut larger = declared(stored, &bytes);
            larger.size += 1;
            assert!(matches!(
                unpack(stored, method, larger).unwrap_err(),
                SourceProblem::SizeLies {
                    declared: 50_001,
                    actual: 50_000,
                    ..
                }
            ));
        }
    }

    #[test]
    fn damaged_streams_are_refused() {
        let bytes = text(50_000);
        let packed = deflate(&bytes);
        let mut wrong = declared(&packed, &bytes);
        wrong.crc ^= 1;
        assert_eq!(
            unpack(&packed, Method::Deflated, wrong).unwrap_err(),
            SourceProblem::Damaged(BAD_CHECKSUM.into())
        );
        // Cut short: what it gives does not match the CRC.
        let cut = &packed[..packed.len() / 2];
        assert_eq!(
            unpack(cut, Method::Deflated, declared(&packed, &bytes)).unwrap_err(),
            SourceProblem::Damaged(BAD_CHECKSUM.into())
        );
        // Not deflate at all (block type 3 is reserved).
        assert_eq!(
            unpack(&[0xff; 16], Method::Deflated, declared(&packed, &bytes)).unwrap_err(),
            SourceProblem::Damaged(CORRUPT.into())
        );
    }

    #[test]
    fn a_lying_header_sizes_no_buffer_past_the_bounds() {
        // 8 MiB of zeros declared as 4 GiB: refused by its ratio after at
        // most the ratio floor, from a buffer no larger.
        let zeros = vec![0u8; 8 << 20];
        let packed = deflate(&zeros);
        let mut lying = declared(&packed, &zeros);
        lying.size = u32::MAX as u64;
        let mut budget = Budget::new(&Limits::default());
        assert_eq!(budget.room(Some(lying.compressed)), RATIO_FLOOR);
        assert!(matches!(
            Unpacker::new().unpack(&packed, Method::Deflated, lying, "a.pdf", &mut budget),
            Err(SourceProblem::Ratio { .. })
        ));
    }

    #[test]
    fn the_bounds_are_judged_in_order() {
        let limits = Limits {
            attachment_bytes: 64 << 10,
            manifest_bytes: 1 << 10,
            archive_unpacked_bytes: 100 << 10,
            archive_ratio: u64::MAX,
            ..Limits::default()
        };
        let mut budget = Budget::new(&limits);
        let mut unpacker = Unpacker::new();
        let big = text(65 << 10);
        assert!(matches!(
            unpacker.unpack(&big, Method::Stored, declared(&big, &big), "a", &mut budget),
            Err(SourceProblem::EntryTooLarge { .. })
        ));
        let mut budget = Budget::new(&limits);
        let part = text(40 << 10);
        let packed = deflate(&part);
        for _ in 0..2 {
            unpacker
                .unpack(
                    &packed,
                    Method::Deflated,
                    declared(&packed, &part),
                    "a",
                    &mut budget,
                )
                .unwrap();
        }
        assert!(matches!(
            unpacker.unpack(
                &packed,
                Method::Deflated,
                declared(&packed, &part),
                "a",
                &mut budget
            ),
            Err(SourceProblem::UnpackedTooLarge { .. })
        ));
    }

    #[test]
    fn a_stream_is_read_to_one_byte_past_its_room() {
        let limits = Limits {
            attachment_bytes: 10,
            manifest_bytes: 1,
            ..Limits::default()
        };
        let mut budget = Budget::new(&limits);
        let endless = std::io::repeat(7);
        assert!(matches!(
            read_entry(endless, "a", u64::MAX, &mut budget),
            Err(SourceProblem::EntryTooLarge { limit: 10, .. })
        ));
        let mut budget = Budget::new(&limits);
        assert_eq!(
            read_entry(&b"abc"[..], "a", 3, &mut budget).unwrap(),
            b"abc"
        );
    }
}
