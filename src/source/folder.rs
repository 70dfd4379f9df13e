//! A bundle folder on disk: its manifest read and its files reached through
//! one handle on the folder ([`crate::confined`]), never leaving it.

use std::path::Path;

use crate::bundle::{AttachmentProblem, Bundle, Opened};
use crate::confined::Folder;
use crate::limits::Limits;

/// Finds and reads the manifest of the bundle at `path` (its folder or its
/// manifest file).
pub(super) fn load(path: &Path, limits: &Limits) -> Bundle {
    crate::bundle::load(path, limits)
}

/// Opens `relative` (already judged as text) beneath the bundle `folder`.
pub(super) fn open(
    folder: &Folder,
    relative: &Path,
    limit: u64,
) -> Result<Opened<'static>, AttachmentProblem> {
    crate::bundle::open_inside(folder, relative, limit)
}
