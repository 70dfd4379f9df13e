//! Every bundle below a command-line path: bundle folders, manifest files
//! and archives, in sorted order. What the walk passes over that looks like a
//! bundle is returned with its reason, never dropped silently.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{ArchiveKind, BundleSource};
use crate::bundle::MANIFEST_NAMES;
use crate::confined::{Folder, Kind, Listed};

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
    /// A folder that could not be listed.
    Unreadable(String),
    /// Deeper than the walk goes.
    TooDeep,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Link => write!(f, "a symbolic link; links are not followed"),
            SkipReason::ManifestSpelling => write!(
                f,
                "a manifest must be named bundle.yaml, bundle.yml or bundle.json in lower case"
            ),
            SkipReason::NestedBundle { outer } => {
                write!(f, "a bundle inside the bundle {}", outer.display())
            }
            SkipReason::SecondManifest { used } => {
                write!(f, "a second manifest; {} is the one used", used.display())
            }
            SkipReason::Unreadable(reason) => write!(f, "cannot be listed: {reason}"),
            SkipReason::TooDeep => write!(f, "more than {WALK_DEPTH} folders deep"),
        }
    }
}

/// Every bundle below `path`: itself when it is a manifest file, an archive
/// or a bundle folder; else every bundle folder and archive below it. A
/// path with no bundle at all comes back as itself, so its report says why.
pub fn discover(path: &Path) -> Discovery {
    let mut discovery = Discovery::default();
    if !path.is_dir() {
        discovery.bundles.push(BundleSource::from_path(path));
        return discovery;
    }
    if let Some(manifest) = manifest_in(path) {
        inspect_bundle(path, &manifest, &mut discovery);
        discovery
            .bundles
            .push(BundleSource::Folder(path.to_path_buf()));
        return discovery;
    }
    walk(path, 0, &mut discovery);
    if discovery.bundles.is_empty() {
        discovery
            .bundles
            .push(BundleSource::Folder(path.to_path_buf()));
    }
    discovery
}

/// The manifest a folder's bundle uses, as the loader picks it.
fn manifest_in(dir: &Path) -> Option<PathBuf> {
    MANIFEST_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|candidate| candidate.symlink_metadata().is_ok())
}

fn is_manifest_misspelt(name: &str) -> bool {
    MANIFEST_NAMES
        .iter()
        .any(|m| name.eq_ignore_ascii_case(m) && name != *m)
}

/// Sorted entries of `dir`, or the reason it cannot be listed.
fn listing(dir: &Path, discovery: &mut Discovery) -> Vec<std::fs::DirEntry> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            entries
        }
        Err(error) => {
            discovery.skipped.push(Skipped {
                path: dir.to_path_buf(),
                reason: SkipReason::Unreadable(error.kind().to_string()),
            });
            Vec::new()
        }
    }
}

fn walk(dir: &Path, depth: usize, discovery: &mut Discovery) {
    if depth > WALK_DEPTH {
        discovery.skipped.push(Skipped {
            path: dir.to_path_buf(),
            reason: SkipReason::TooDeep,
        });
        return;
    }
    for entry in listing(dir, discovery) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_symlink() {
            if path.is_dir() || ArchiveKind::from_name(&path).is_some() {
                discovery.skipped.push(Skipped {
                    path,
                    reason: SkipReason::Link,
                });
            }
        } else if kind.is_dir() {
            match manifest_in(&path) {
                Some(manifest) => {
                    inspect_bundle(&path, &manifest, discovery);
                    discovery.bundles.push(BundleSource::Folder(path));
                }
                None => walk(&path, depth + 1, discovery),
            }
        } else if ArchiveKind::from_name(&path).is_some() {
            discovery.bundles.push(BundleSource::ArchiveFile(path));
        } else if is_manifest_misspelt(&name) {
            discovery.skipped.push(Skipped {
                path,
                reason: SkipReason::ManifestSpelling,
            });
        }
    }
}

/// Says what a bundle folder holds that its bundle will not use: a second
/// manifest, a misspelt one, bundles nested inside it. The folder is read
/// through one handle, following no link ([`crate::confined`]): swapping a
/// folder inside for a link to an outside one during the walk leads nowhere.
fn inspect_bundle(bundle: &Path, manifest: &Path, discovery: &mut Discovery) {
    let folder = match Folder::open(bundle) {
        Ok(folder) => folder,
        Err(error) => {
            discovery.skipped.push(Skipped {
                path: bundle.to_path_buf(),
                reason: SkipReason::Unreadable(error.kind().to_string()),
            });
            return;
        }
    };
    for entry in listing_beneath(&folder, bundle, Path::new(""), discovery) {
        let path = bundle.join(&entry.name);
        let name = entry.name.to_string_lossy();
        if path == manifest {
            continue;
        }
        let reason = if MANIFEST_NAMES.contains(&name.as_ref()) {
            SkipReason::SecondManifest {
                used: manifest.to_path_buf(),
            }
        } else if is_manifest_misspelt(&name) {
            SkipReason::ManifestSpelling
        } else {
            if entry.kind == Kind::Folder {
                nested_bundles(&folder, bundle, Path::new(&entry.name), 1, discovery);
            }
            continue;
        };
        discovery.skipped.push(Skipped { path, reason });
    }
}

/// Bundles nested in the folder `relative` beneath the bundle `folder`
/// (named `outer` in messages).
fn nested_bundles(
    folder: &Folder,
    outer: &Path,
    relative: &Path,
    depth: usize,
    discovery: &mut Discovery,
) {
    let has_manifest = MANIFEST_NAMES
        .iter()
        .any(|name| folder.entry(&relative.join(name)).is_ok());
    if has_manifest {
        discovery.skipped.push(Skipped {
            path: outer.join(relative),
            reason: SkipReason::NestedBundle {
                outer: outer.to_path_buf(),
            },
        });
        return;
    }
    if depth > WALK_DEPTH {
        return;
    }
    for entry in listing_beneath(folder, outer, relative, discovery) {
        if entry.kind == Kind::Folder {
            nested_bundles(
                folder,
                outer,
                &relative.join(&entry.name),
                depth + 1,
                discovery,
            );
        }
    }
}

/// Sorted entries of the folder `relative` beneath `folder`, or the reason
/// it cannot be listed (a link swapped in among them).
fn listing_beneath(
    folder: &Folder,
    outer: &Path,
    relative: &Path,
    discovery: &mut Discovery,
) -> Vec<Listed> {
    folder.list(relative).unwrap_or_else(|refusal| {
        let path = match relative.as_os_str().is_empty() {
            true => outer.to_path_buf(),
            false => outer.join(relative),
        };
        discovery.skipped.push(Skipped {
            path,
            reason: SkipReason::Unreadable(refusal.to_string()),
        });
        Vec::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(discovery: &Discovery, root: &Path) -> Vec<String> {
        discovery
            .bundles
            .iter()
            .map(|b| {
                Path::new(b.name())
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn folders_and_archives_are_found_and_what_is_passed_over_says_why() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        for dir in ["a", "b/c", "a/files/inner", "odd", "both"] {
            std::fs::create_dir_all(r.join(dir)).unwrap();
        }
        std::fs::write(r.join("a/bundle.yaml"), "").unwrap();
        std::fs::write(r.join("a/files/inner/bundle.yaml"), "").unwrap();
        std::fs::write(r.join("b/c/bundle.yml"), "").unwrap();
        std::fs::write(r.join("b/x.ZIP"), "").unwrap();
        std::fs::write(r.join("b/y.tgz"), "").unwrap();
        std::fs::write(r.join("b/notes.txt"), "").unwrap();
        std::fs::write(r.join("odd/Bundle.yaml"), "").unwrap();
        std::fs::write(r.join("both/bundle.yaml"), "").unwrap();
        std::fs::write(r.join("both/bundle.json"), "").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(r.join("a"), r.join("link")).unwrap();
        let found = discover(r);
        assert_eq!(names(&found, r), ["a", "b/c", "b/x.ZIP", "b/y.tgz", "both"]);
        let skipped: Vec<(String, &SkipReason)> = found
            .skipped
            .iter()
            .map(|s| {
                (
                    s.path.strip_prefix(r).unwrap().display().to_string(),
                    &s.reason,
                )
            })
            .collect();
        assert!(skipped.contains(&(
            "a/files/inner".into(),
            &SkipReason::NestedBundle { outer: r.join("a") }
        )));
        assert!(skipped.contains(&(
            "both/bundle.json".into(),
            &SkipReason::SecondManifest {
                used: r.join("both/bundle.yaml")
            }
        )));
        assert!(skipped.contains(&("odd/Bundle.yaml".into(), &SkipReason::ManifestSpelling)));
        #[cfg(unix)]
        assert!(skipped.contains(&("link".into(), &SkipReason::Link)));
    }

    #[test]
    fn a_path_without_bundles_comes_back_as_itself() {
        let root = tempfile::tempdir().unwrap();
        let found = discover(root.path());
        assert_eq!(found.bundles.len(), 1);
        assert_eq!(found.bundles[0].name(), root.path().to_str().unwrap());
    }
}
