//! A bundle folder on disk: its manifest read and its files reached through
//! one handle on the folder ([`crate::confined`]), never leaving it. A bundle
//! the folder walk found is reached beneath the walked folder's handle
//! ([`Walked`]), so no link swapped in after the walk is followed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SourceProblem;
use super::entries::Located;
use crate::bundle::{AttachmentProblem, Bundle, Opened};
use crate::confined::{Folder, Refusal};
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

/// A bundle folder or archive the folder walk found: the walked folder's
/// handle (shared by every bundle of the walk) and the bundle's path beneath
/// it. Judging it opens that path beneath the handle, following no link, so
/// what is judged is what the walk saw, or the report says it moved.
#[derive(Debug, Clone)]
pub struct Walked {
    root: Arc<Folder>,
    relative: PathBuf,
    /// The walked folder's path joined with `relative`: shown, never opened.
    shown: PathBuf,
    archive: bool,
}

impl Walked {
    pub(super) fn folder(root: &Arc<Folder>, relative: PathBuf) -> Walked {
        Walked::new(root, relative, false)
    }

    pub(super) fn archive(root: &Arc<Folder>, relative: PathBuf) -> Walked {
        Walked::new(root, relative, true)
    }

    fn new(root: &Arc<Folder>, relative: PathBuf, archive: bool) -> Walked {
        Walked {
            shown: root.path().join(&relative),
            root: root.clone(),
            relative,
            archive,
        }
    }

    /// The bundle's path as the user sees it.
    pub(super) fn shown(&self) -> &Path {
        &self.shown
    }

    /// Whether it is an archive rather than a bundle folder.
    pub(super) fn is_archive(&self) -> bool {
        self.archive
    }

    /// A bundle folder, opened beneath the walked folder and read.
    pub(super) fn load_folder(&self, limits: &Limits) -> Bundle {
        crate::bundle::load_opened(self.root.open_folder(&self.relative), &self.shown, limits)
    }

    /// An archive's entries, its bytes read beneath the walked folder as an
    /// attachment's are (a regular file with one link, within the limit).
    pub(super) fn read_archive(&self, limits: &Limits) -> Result<Located, SourceProblem> {
        let bytes = self
            .root
            .read_file(&self.relative, limits.archive_bytes)
            .map_err(|refusal| match refusal {
                Refusal::TooLarge { size, limit } => SourceProblem::TooLarge { size, limit },
                other => SourceProblem::Unreadable(other.to_string()),
            })?;
        super::archive::read_bytes(&bytes, limits)
    }
}
