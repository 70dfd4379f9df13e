//! Every bundle below a command-line path: bundle folders, manifest files
//! and archives, in sorted order. What the walk passes over that looks like a
//! bundle is returned with its reason, never dropped silently. Reasons are
//! values; the front end words them in the user's language.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{ArchiveKind, BundleSource};
use crate::bundle::MANIFEST_NAMES;
use crate::confined::{Folder, Kind, Listed, Refusal};

/// Deepest folder the walk descends to: bundles sit a few levels down, and
/// the walk follows no links, so this only bounds a pathological tree.
const WALK_DEPTH: usize = 64;

/// The bundles found below a path, and what was passed over.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Discovery {
    /// The bundles, in sorted order.
    pub bundles: Vec<BundleSource>,
    /// What was passed over, with why (for the user, never dropped silently).
    pub skipped: Vec<Skipped>,
}

/// Something that looked like a bundle and was not judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// What was passed over.
    pub path: PathBuf,
    /// Why.
    pub reason: SkipReason,
}

/// Why the walk passed something over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// A link to a folder or an archive: links are not followed, so a walk
    /// never leaves the folder it was given nor loops.
    Link,
    /// A manifest whose name differs from `bundle.yaml`, `bundle.yml` or
    /// `bundle.json` only in letter case.
    ManifestSpelling,
    /// A bundle folder inside another bundle folder: its files are the outer
    /// bundle's.
    NestedBundle {
        /// The bundle folder around it.
        outer: PathBuf,
    },
    /// A second manifest beside the one used.
    SecondManifest {
        /// The manifest that is used.
        used: PathBuf,
    },
    /// A folder that could not be listed, and why.
    Unreadable(Unlisted),
    /// Deeper than the walk goes.
    TooDeep {
        /// How many folders deep the walk goes.
        limit: usize,
    },
}

/// Why a folder met on the walk could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unlisted {
    /// It, or a folder on the way to it, became a link after the walk began.
    Link,
    /// It is gone.
    Missing,
    /// It changed while it was opened (no longer the folder seen).
    Changed,
    /// The system refused, in its own words.
    System(String),
}

impl From<Refusal> for Unlisted {
    fn from(refusal: Refusal) -> Unlisted {
        match refusal {
            Refusal::Link => Unlisted::Link,
            Refusal::Missing => Unlisted::Missing,
            Refusal::Unreadable(reason) => Unlisted::System(reason),
            _ => Unlisted::Changed,
        }
    }
}

/// Every bundle below `path`: itself when it is a manifest file, an archive
/// or a bundle folder; else every bundle folder and archive below it. A
/// path with no bundle at all comes back as itself, so its report says why.
///
/// The walk holds one handle on `path` (links in `path` itself are the
/// user's word and followed) and lists and judges everything beneath it
/// through that handle, following no link; each bundle it finds is reached
/// the same way when it is judged ([`super::Walked`]).
pub fn discover(path: &Path) -> Discovery {
    let mut discovery = Discovery::default();
    discover_each(path, &mut |found| match found {
        Found::Bundle(bundle) => discovery.bundles.push(bundle),
        Found::Skipped(skipped) => discovery.skipped.push(skipped),
    });
    discovery
}

/// Whether [`discover`] walks below `path`: a folder that is not itself a
/// bundle (it holds no manifest), so it may hold many.
pub fn walks_below(path: &Path) -> bool {
    path.is_dir()
        && !MANIFEST_NAMES
            .iter()
            .any(|name| path.join(name).symlink_metadata().is_ok())
}

/// One thing the walk meets.
#[derive(Debug)]
#[non_exhaustive]
pub enum Found {
    /// A bundle to judge.
    Bundle(BundleSource),
    /// Something passed over, and why.
    Skipped(Skipped),
}

/// What [`discover`] finds, handed to `found` one at a time as the walk
/// meets it (bundles in the same sorted order), so that a batch can start
/// judging the first bundles while the walk goes on.
pub fn discover_each(path: &Path, found: &mut dyn FnMut(Found)) {
    for each in Discovering::new(path, None) {
        found(each);
    }
}

/// What [`discover`] finds, one at a time, walking only as far as the
/// caller asks for the next: for a caller that judges each bundle as it is
/// handed on.
///
/// Such a bundle is read through the very handle the walk listed it by
/// (and its first subfolder through the one that listed that), not looked
/// up and opened again: the folder judged is the folder the walk saw,
/// reached without following a link, whatever takes its name afterwards.
/// At most [`KEPT_HANDLES`] handles are held for bundles handed on and not
/// yet read; past that a bundle is reached again when it is read, as
/// [`discover`]'s are.
pub fn discover_lazily(path: &Path) -> Discovering {
    discover_keeping(path, KEPT_HANDLES)
}

/// [`discover_lazily`], holding at most `handles` handles (two a bundle)
/// for bundles handed on and not yet read instead of [`KEPT_HANDLES`]: for
/// a caller that keeps more bundles in hand before reading them, such as a
/// batch on several threads with its queue of bundles to judge.
pub fn discover_keeping(path: &Path, handles: usize) -> Discovering {
    let mut walk = Discovering::new(path, Some(Arc::new(AtomicUsize::new(0))));
    walk.most = handles;
    walk
}

/// Most folder handles a lazy walk holds for bundles handed on and not yet
/// read (two a bundle: its folder and its first subfolder).
pub const KEPT_HANDLES: usize = 32;

/// The walk of [`discover_lazily`] (and, draining it, of [`discover`]).
#[derive(Debug)]
pub struct Discovering {
    /// The walked folder; `None` once there is nothing left to walk.
    root: Option<Arc<Folder>>,
    /// What the walk met and has not handed on yet.
    pending: VecDeque<Found>,
    /// The folders being walked, the innermost last.
    folders: Vec<Walking>,
    bundles: usize,
    /// The path as given, for a walk that found no bundle.
    path: PathBuf,
    /// Handles kept for the bundles handed on, when they are kept.
    kept: Option<Arc<AtomicUsize>>,
    /// The most handles `kept` may count.
    most: usize,
}

/// A folder being walked and the entries of it not yet looked at.
#[derive(Debug)]
struct Walking {
    relative: PathBuf,
    depth: usize,
    entries: std::vec::IntoIter<Listed>,
}

impl Discovering {
    fn new(path: &Path, kept: Option<Arc<AtomicUsize>>) -> Discovering {
        let mut discovering = Discovering {
            root: None,
            pending: VecDeque::new(),
            folders: Vec::new(),
            bundles: 0,
            path: path.to_path_buf(),
            kept,
            most: KEPT_HANDLES,
        };
        // Opening it as a folder is what asks whether it is one: anything
        // else (a file, an archive, nothing, a folder that will not open) is
        // what `from_path` makes of it, and its report says why.
        let Ok(root) = Folder::open(path) else {
            discovering.bundle(BundleSource::from_path(path));
            return discovering;
        };
        let root = Arc::new(root);
        let here = Path::new("");
        if let Some(manifest) = manifest_beneath(&root, here) {
            inspect_bundle(&root, here, manifest, None, &mut discovering);
            // Read through the handle just opened: the folder is not looked
            // up, opened and searched for its manifest a second time.
            discovering.bundle(BundleSource::Walked(super::Walked::bundle_root(&root)));
            return discovering;
        }
        discovering.root = Some(root);
        discovering.enter(PathBuf::new(), 0, None);
        discovering
    }

    fn bundle(&mut self, bundle: BundleSource) {
        self.bundles += 1;
        self.pending.push_back(Found::Bundle(bundle));
    }

    fn skip(&mut self, path: PathBuf, reason: SkipReason) {
        self.pending
            .push_back(Found::Skipped(Skipped { path, reason }));
    }

    /// Starts walking the folder `relative`; `listed` is its listing when
    /// the caller already read it.
    fn enter(&mut self, relative: PathBuf, depth: usize, listed: Option<Vec<Listed>>) {
        let Some(root) = self.root.clone() else {
            return;
        };
        if depth > WALK_DEPTH {
            self.skip(
                shown(&root, &relative),
                SkipReason::TooDeep { limit: WALK_DEPTH },
            );
            return;
        }
        let listing = listed.unwrap_or_else(|| listing_beneath(&root, &relative, self));
        self.folders.push(Walking {
            relative,
            depth,
            entries: listing.into_iter(),
        });
    }

    /// Looks at the next entry of the innermost folder being walked; false
    /// when the walk is over.
    fn step(&mut self) -> bool {
        let Some(root) = self.root.clone() else {
            return false;
        };
        let Some(folder) = self.folders.last_mut() else {
            self.root = None;
            if self.bundles == 0 {
                self.bundle(BundleSource::Folder(self.path.clone()));
            }
            return true;
        };
        let Some(entry) = folder.entries.next() else {
            self.folders.pop();
            return true;
        };
        let (inner, depth) = (folder.relative.join(&entry.name), folder.depth);
        let path = root.path().join(&inner);
        let name = entry.name.to_string_lossy();
        match entry.kind {
            // Said only for what the link leads to; it is never followed.
            Kind::Link if path.is_dir() || ArchiveKind::from_name(&path).is_some() => {
                self.skip(path, SkipReason::Link);
            }
            Kind::Link => {}
            // The folder is listed once: the listing says whether it holds
            // a manifest and is what is inspected or walked next. One that
            // cannot be listed is looked up name by name, as a bundle folder
            // may be searchable without being readable.
            Kind::Folder => {
                let (manifest, listed, handle) = match self.list(&root, &inner) {
                    Ok((listing, handle)) => (manifest_listed(&listing), Some(listing), handle),
                    Err(_) => (manifest_beneath(&root, &inner), None, None),
                };
                match manifest {
                    Some(manifest) => {
                        let first = inspect_bundle(&root, &inner, manifest, listed, self);
                        let walked = super::Walked::folder(&root, inner);
                        let walked = match (handle, &self.kept) {
                            (Some(handle), Some(kept)) => walked.keeping(handle, first, kept),
                            _ => walked,
                        };
                        self.bundle(BundleSource::Walked(walked));
                    }
                    None => self.enter(inner, depth + 1, listed),
                }
            }
            _ if ArchiveKind::from_name(&path).is_some() => {
                let walked = super::Walked::archive(&root, inner);
                self.bundle(BundleSource::Walked(walked));
            }
            _ if is_manifest_misspelt(&name) => self.skip(path, SkipReason::ManifestSpelling),
            _ => {}
        }
        true
    }

    /// The listing of the folder `inner`, and its handle when this walk
    /// keeps handles and has room for two more.
    fn list(&self, root: &Folder, inner: &Path) -> Result<(Vec<Listed>, Option<Folder>), Refusal> {
        match &self.kept {
            Some(kept) if kept.load(Ordering::Relaxed) + 2 <= self.most.min(descriptor_share()) => {
                root.list_keeping(inner)
            }
            _ => root.list(inner).map(|listing| (listing, None)),
        }
    }
}

impl Iterator for Discovering {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            if let Some(found) = self.pending.pop_front() {
                return Some(found);
            }
            if !self.step() {
                return None;
            }
        }
    }
}

/// A quarter of the descriptors this process may have open, the most a
/// walk keeps whatever its budget: kept handles never crowd out the files
/// the batch must open to judge its bundles (a descriptor refused would be
/// an unreadable attachment). Asked once, the first time a handle would be
/// kept.
fn descriptor_share() -> usize {
    static SHARE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *SHARE.get_or_init(|| {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `getrlimit` writes only the struct it is given, which
        // lives for the call.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return 0;
        }
        match limit.rlim_cur {
            libc::RLIM_INFINITY => usize::MAX,
            soft => usize::try_from(soft / 4).unwrap_or(usize::MAX),
        }
    })
}

/// The manifest the bundle in the folder `relative` beneath `root` uses,
/// as the loader picks it.
fn manifest_beneath(root: &Folder, relative: &Path) -> Option<&'static str> {
    MANIFEST_NAMES
        .into_iter()
        .find(|name| root.entry(&relative.join(name)).is_ok())
}

/// The manifest a folder's listing shows, as the loader picks it: the same
/// answer as [`manifest_beneath`] without a lookup per name.
fn manifest_listed(listing: &[Listed]) -> Option<&'static str> {
    MANIFEST_NAMES
        .into_iter()
        .find(|name| listing.iter().any(|entry| entry.name == *name))
}

/// The path of `relative` beneath `root` as the user sees it.
fn shown(root: &Folder, relative: &Path) -> PathBuf {
    match relative.as_os_str().is_empty() {
        true => root.path().to_path_buf(),
        false => root.path().join(relative),
    }
}

fn is_manifest_misspelt(name: &str) -> bool {
    MANIFEST_NAMES
        .iter()
        .any(|m| name.eq_ignore_ascii_case(m) && name != *m)
}

/// Says what the bundle folder `bundle` beneath `root` holds that its
/// bundle will not use: a second manifest, a misspelt one, bundles nested
/// inside it. Everything is read through the root's handle, following no
/// link: swapping a folder inside for a link to an outside one during the
/// walk leads nowhere. Gives the handle of its first subfolder (by name)
/// where the walk keeps handles, for the bundle's attachments.
fn inspect_bundle(
    root: &Folder,
    bundle: &Path,
    manifest: &str,
    listed: Option<Vec<Listed>>,
    walker: &mut Discovering,
) -> Option<(PathBuf, Folder)> {
    let shown = shown(root, bundle);
    let listing = listed.unwrap_or_else(|| listing_beneath(root, bundle, walker));
    let mut first = None;
    for entry in listing {
        let name = entry.name.to_string_lossy();
        if name == manifest {
            continue;
        }
        let path = shown.join(&entry.name);
        let reason = if MANIFEST_NAMES.contains(&name.as_ref()) {
            SkipReason::SecondManifest {
                used: shown.join(manifest),
            }
        } else if is_manifest_misspelt(&name) {
            SkipReason::ManifestSpelling
        } else {
            if entry.kind == Kind::Folder {
                let relative = bundle.join(&entry.name);
                let keep = first.is_none();
                let handle = nested_bundles(root, &shown, &relative, 1, walker, keep);
                if let Some(handle) = handle {
                    first = Some((PathBuf::from(&entry.name), handle));
                }
            }
            continue;
        };
        walker.skip(path, reason);
    }
    first
}

/// Bundles nested in the folder `relative` beneath `root`, inside the
/// bundle folder `outer` (as shown in messages). `keep`: give back the
/// handle that listed it, where the walk keeps handles and it is no bundle.
fn nested_bundles(
    root: &Folder,
    outer: &Path,
    relative: &Path,
    depth: usize,
    walker: &mut Discovering,
    keep: bool,
) -> Option<Folder> {
    // Listed first: the listing answers whether it holds a manifest and
    // what to descend into, without a lookup per manifest name.
    let (listed, handle) = match keep {
        true => walker
            .list(root, relative)
            .map_or((None, None), |(listing, handle)| (Some(listing), handle)),
        false => (root.list(relative).ok(), None),
    };
    let manifest = match &listed {
        Some(listing) => manifest_listed(listing),
        None => manifest_beneath(root, relative),
    };
    if manifest.is_some() {
        walker.skip(
            shown(root, relative),
            SkipReason::NestedBundle {
                outer: outer.to_path_buf(),
            },
        );
        return None;
    }
    if depth > WALK_DEPTH {
        return handle;
    }
    let listing = listed.unwrap_or_else(|| listing_beneath(root, relative, walker));
    for entry in listing {
        if entry.kind == Kind::Folder {
            let inner = relative.join(&entry.name);
            nested_bundles(root, outer, &inner, depth + 1, walker, false);
        }
    }
    handle
}

/// Sorted entries of the folder `relative` beneath `root`, or the reason it
/// cannot be listed (a link swapped in on the way to it).
fn listing_beneath(root: &Folder, relative: &Path, walker: &mut Discovering) -> Vec<Listed> {
    root.list(relative).unwrap_or_else(|refusal| {
        walker.skip(
            shown(root, relative),
            SkipReason::Unreadable(Unlisted::from(refusal)),
        );
        Vec::new()
    })
}

#[cfg(test)]
mod tests;
