//! A bundle folder on disk: its manifest read and its files reached through
//! one handle on the folder ([`crate::confined`]), never leaving it. A bundle
//! the folder walk found is reached beneath the walked folder's handle
//! ([`Walked`]), so no link swapped in after the walk is followed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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

/// A bundle folder opened once, and the folder its last attachment lay in.
///
/// Attachments usually share one folder (`files/`): its handle is kept, so
/// each further file there costs a lookup of its own name only, not a new
/// `openat2` of the folder and a `close`. The kept handle was reached as any
/// folder beneath the bundle is (no link followed); the file is then judged
/// and opened beneath it exactly as before. Swapping the folder for a link
/// afterwards changes nothing: the handle still reads the folder it opened.
#[derive(Debug)]
pub(crate) struct BundleFolder {
    root: Arc<Folder>,
    last_parent: Mutex<Option<(PathBuf, Arc<Folder>)>>,
}

impl BundleFolder {
    pub(crate) fn new(root: Arc<Folder>) -> BundleFolder {
        BundleFolder::with_parent(root, None)
    }

    /// A bundle folder whose subfolder `parent` (a path beneath it, and its
    /// handle, reached as [`Folder::open_folder`] reaches one) is already open.
    pub(crate) fn with_parent(
        root: Arc<Folder>,
        parent: Option<(PathBuf, Arc<Folder>)>,
    ) -> BundleFolder {
        BundleFolder {
            root,
            last_parent: Mutex::new(parent),
        }
    }

    /// The bundle folder itself.
    pub(crate) fn root(&self) -> &Folder {
        &self.root
    }

    /// Opens `relative` (already judged as text) beneath the bundle folder.
    pub(crate) fn open(
        &self,
        relative: &Path,
        limit: u64,
    ) -> Result<Opened<'static>, AttachmentProblem> {
        let (Some(parent), Some(name)) = (relative.parent(), relative.file_name()) else {
            return crate::bundle::open_inside(&self.root, relative, limit);
        };
        match self.parent_folder(parent) {
            Some(folder) => crate::bundle::open_inside(&folder, Path::new(name), limit),
            // Not a folder that opens: the whole path says why, as before.
            None => crate::bundle::open_inside(&self.root, relative, limit),
        }
    }

    /// The folder `parent` beneath the bundle, kept from the last call when
    /// it is the same; `None` for the bundle folder itself or one that does
    /// not open.
    fn parent_folder(&self, parent: &Path) -> Option<Arc<Folder>> {
        if parent.as_os_str().is_empty() {
            return None;
        }
        let mut last = self.last_parent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((path, folder)) = last.as_ref()
            && path == parent
        {
            return Some(folder.clone());
        }
        let folder = Arc::new(self.root.open_folder(parent).ok()?);
        *last = Some((parent.to_path_buf(), folder.clone()));
        Some(folder)
    }
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
    /// The handles the walk listed the bundle folder and its first
    /// subfolder by, for its reading to take (once; a clone shares them).
    kept: Option<Arc<Mutex<Option<Kept>>>>,
}

/// Handles a lazy walk kept for one bundle, counted against its budget
/// until they are taken or dropped.
#[derive(Debug)]
struct Kept {
    bundle: Option<Folder>,
    first: Option<(PathBuf, Folder)>,
    count: usize,
    budget: Arc<AtomicUsize>,
}

impl Drop for Kept {
    fn drop(&mut self) {
        self.budget.fetch_sub(self.count, Ordering::Relaxed);
    }
}

impl Walked {
    pub(super) fn folder(root: &Arc<Folder>, relative: PathBuf) -> Walked {
        Walked::new(root, relative, false)
    }

    pub(super) fn archive(root: &Arc<Folder>, relative: PathBuf) -> Walked {
        Walked::new(root, relative, true)
    }

    /// The walked folder itself, a bundle folder the user named: judged
    /// through the handle the walk opened, shown as the user wrote it.
    pub(super) fn bundle_root(root: &Arc<Folder>) -> Walked {
        Walked {
            shown: root.path().to_path_buf(),
            root: root.clone(),
            relative: PathBuf::new(),
            archive: false,
            kept: None,
        }
    }

    fn new(root: &Arc<Folder>, relative: PathBuf, archive: bool) -> Walked {
        Walked {
            shown: root.path().join(&relative),
            root: root.clone(),
            relative,
            archive,
            kept: None,
        }
    }

    /// The bundle folder as the walk listed it: `handle` is the folder the
    /// walk read (reached beneath the walked folder, following no link),
    /// `first` its first subfolder's. Reading the bundle takes them instead
    /// of reaching the folder again; they count against `budget` until then.
    pub(super) fn keeping(
        mut self,
        handle: Folder,
        first: Option<(PathBuf, Folder)>,
        budget: &Arc<AtomicUsize>,
    ) -> Walked {
        let count = 1 + usize::from(first.is_some());
        budget.fetch_add(count, Ordering::Relaxed);
        self.kept = Some(Arc::new(Mutex::new(Some(Kept {
            bundle: Some(handle),
            first,
            count,
            budget: budget.clone(),
        }))));
        self
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
        if let Some(mut kept) = self.take_kept()
            && let Some(bundle) = kept.bundle.take()
        {
            let first = kept
                .first
                .take()
                .map(|(path, folder)| (path, Arc::new(folder)));
            drop(kept);
            return crate::bundle::load_opened(Ok(Arc::new(bundle)), first, &self.shown, limits);
        }
        // The walked folder is itself the bundle when the user named a bundle
        // folder: its handle is the bundle's, not reached again.
        let folder = match self.relative.as_os_str().is_empty() {
            true => Ok(self.root.clone()),
            false => self.root.open_folder(&self.relative).map(Arc::new),
        };
        crate::bundle::load_opened(folder, None, &self.shown, limits)
    }

    fn take_kept(&self) -> Option<Kept> {
        let kept = self.kept.as_ref()?;
        kept.lock().unwrap_or_else(|e| e.into_inner()).take()
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

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn content(bundle: &BundleFolder, relative: &str) -> Result<String, AttachmentProblem> {
        let Opened::File { mut file, .. } = bundle.open(Path::new(relative), 1024)? else {
            panic!("a folder's attachment is a file");
        };
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        Ok(text)
    }

    /// Later attachments of the same folder are read through the handle the
    /// first one opened, so a link swapped in for the folder meanwhile is
    /// never followed; a folder not kept is looked up afresh and the link
    /// refused, as before.
    #[test]
    fn the_kept_folder_is_the_one_opened_and_a_fresh_lookup_refuses_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("bundle"), dir.path().join("outside"));
        for folder in [root.join("files"), root.join("other"), outside.clone()] {
            std::fs::create_dir_all(folder).unwrap();
        }
        std::fs::write(root.join("files/a.txt"), "inside a").unwrap();
        std::fs::write(root.join("files/b.txt"), "inside b").unwrap();
        std::fs::write(root.join("other/c.txt"), "inside c").unwrap();
        std::fs::write(outside.join("b.txt"), "outside b").unwrap();
        let bundle = BundleFolder::new(Arc::new(Folder::open(&root).unwrap()));

        assert_eq!(content(&bundle, "files/a.txt").unwrap(), "inside a");
        std::fs::rename(root.join("files"), root.join("moved")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("files")).unwrap();
        assert_eq!(content(&bundle, "files/b.txt").unwrap(), "inside b");

        assert_eq!(content(&bundle, "other/c.txt").unwrap(), "inside c");
        assert_eq!(
            content(&bundle, "files/b.txt"),
            Err(AttachmentProblem::Link)
        );
        assert_eq!(content(&bundle, "moved/b.txt").unwrap(), "inside b");
    }
}
