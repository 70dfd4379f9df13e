//! A bundle folder on disk. Reading its manifest and reaching its files
//! inside it are today's confinement rules, called through this one seam so
//! that replacing how a folder is reached changes this file alone.

use std::path::Path;

use crate::bundle::{AttachmentProblem, Bundle, Opened};
use crate::limits::Limits;

/// Finds and reads the manifest of the bundle at `path` (its folder or its
/// manifest file).
pub(super) fn load(path: &Path, limits: &Limits) -> Bundle {
    crate::bundle::load(path, limits)
}

/// Opens `relative` (already judged as text) inside the bundle folder `dir`.
pub(super) fn open(
    dir: &Path,
    relative: &Path,
    limit: u64,
) -> Result<Opened<'static>, AttachmentProblem> {
    crate::bundle::open_inside(dir, relative, limit)
}
