//! Inflating archive entries into memory while counting: the bytes really
//! produced are what the bounds judge, never the sizes an archive declares.

use std::io::Read;

use super::SourceProblem;
use crate::limits::Limits;

/// An entry's ratio is judged only once it has unpacked past this: small
/// text compresses well and is harmless.
pub(super) const RATIO_FLOOR: u64 = 1024 * 1024;

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
}

/// Reads one entry whole, `compressed` bytes as stored (when the format
/// says per entry), stopping at the first bound it passes.
pub(super) fn read_entry(
    mut reader: impl Read,
    name: &str,
    compressed: Option<u64>,
    budget: &mut Budget,
) -> Result<Vec<u8>, SourceProblem> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => return Ok(data),
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(SourceProblem::Damaged(error.to_string())),
        };
        let size = (data.len() + read) as u64;
        budget.unpacked += read as u64;
        if size > budget.entry_limit {
            return Err(SourceProblem::EntryTooLarge {
                name: name.to_string(),
                limit: budget.entry_limit,
            });
        }
        if let Some(compressed) = compressed
            && size > RATIO_FLOOR
            && size > compressed.saturating_mul(budget.ratio)
        {
            return Err(SourceProblem::Ratio {
                name: name.to_string(),
                limit: budget.ratio,
            });
        }
        if budget.unpacked > budget.total_limit {
            return Err(SourceProblem::UnpackedTooLarge {
                limit: budget.total_limit,
            });
        }
        data.extend_from_slice(&chunk[..read]);
    }
}
