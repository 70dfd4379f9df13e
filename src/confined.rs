//! Reaching files beneath a folder without ever leaving it, even while
//! someone changes the folder as it is read.
//!
//! A bundle folder is opened once; every file in it is then reached relative
//! to that handle, never by a path string the kernel resolves again from the
//! top. Links are followed nowhere in the path: with `openat2`
//! (`RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS`) where the
//! kernel has it, else one `openat(O_NOFOLLOW | O_DIRECTORY)` per folder, so
//! swapping `files/` for a link to an outside folder while a batch runs leads
//! nowhere. A name is first judged by `fstatat` without following it, so a
//! FIFO, device or folder is never opened. A regular file is then opened
//! (`O_NOFOLLOW | O_NONBLOCK`) and judged again by its handle: still a
//! regular file with one link (another name could be outside), within the
//! limit, and the very file — device and inode — judged a moment before.
//! Everything is read from that handle.
//!
//! What the bytes are (format, end marker, digest) is not this module's
//! business: it only reaches them. Unix only, as is the rest of dossier's
//! file handling.

mod walk;

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

use thiserror::Error;

/// What a name is, judged without following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
    Fifo,
    Socket,
    Device,
    Other,
}

impl Kind {
    /// A word for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Folder => "directory",
            Kind::Link => "link",
            Kind::Fifo => "FIFO",
            Kind::Socket => "socket",
            Kind::Device => "device",
            Kind::Other => "special file",
        }
    }
}

/// A name's metadata, as `lstat` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub size: u64,
    pub links: u64,
    /// Device and inode: which file this is, whatever its name.
    identity: (u64, u64),
}

/// Why a name beneath the folder was not reached. Nothing was opened for
/// any of these except [`Refusal::Replaced`] and [`Refusal::Unreadable`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("is not a relative path inside the folder")]
    NotBeneath,
    #[error("does not exist")]
    Missing,
    #[error("is a link, or lies in a linked folder; links are not followed")]
    Link,
    #[error("is not a regular file ({})", .0.name())]
    NotRegular(Kind),
    #[error("has {0} hard links and may share its content with a file elsewhere")]
    HardLinked(u64),
    #[error("is {size} bytes, more than the limit of {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("was replaced while it was being opened")]
    Replaced,
    #[error("cannot be read: {0}")]
    Unreadable(String),
}

/// A regular file reached beneath the folder and checked by its handle.
#[derive(Debug)]
pub struct Opened {
    pub file: File,
    /// Its size when opened, from the handle.
    pub size: u64,
}

/// A folder opened once; names beneath it are reached through this handle.
pub struct Folder {
    handle: std::os::fd::OwnedFd,
    /// The path it was opened by: shown, never used to reach anything.
    path: std::path::PathBuf,
}

impl std::fmt::Debug for Folder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Folder({:?})", self.path)
    }
}

impl Folder {
    /// Opens the folder a user named. Links in `path` itself are followed:
    /// it is the user's own word; nothing beneath it is.
    pub fn open(path: &Path) -> std::io::Result<Folder> {
        let handle = rustix::fs::open(path, walk::SEARCH | walk::DIRECTORY, walk::NO_MODE)?;
        Ok(Folder {
            handle,
            path: path.to_path_buf(),
        })
    }

    /// Opens the folder `relative` beneath this one, following no link on
    /// the way (`..` and absolute paths are refused before any lookup), and
    /// checks by its handle that it is a folder. The folder walk reaches
    /// every bundle it found this way, so swapping a bundle folder or one
    /// above it for a link between the walk and the judgement leads nowhere.
    pub fn open_folder(&self, relative: &Path) -> Result<Folder, Refusal> {
        let names = names(relative)?;
        // Every way a folder is reached opens it with `O_DIRECTORY`, which
        // the kernel refuses for anything but a folder: no `fstat` needed.
        let handle = match walk::folder_beneath(&self.handle, &names)? {
            Some(handle) => handle,
            None => rustix::io::fcntl_dupfd_cloexec(&self.handle, 0).map_err(walk::refusal)?,
        };
        Ok(Folder {
            handle,
            path: self.path.join(relative),
        })
    }

    /// The path the folder was opened by, for messages only.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The metadata of `relative` without following any link in it; the
    /// empty path is the folder itself.
    pub fn entry(&self, relative: &Path) -> Result<Entry, Refusal> {
        let names = names(relative)?;
        match names.split_last() {
            None => stat_handle(&self.handle),
            Some((name, folders)) => {
                let parent = walk::folder_beneath(&self.handle, folders)?;
                walk::stat_name(parent.as_ref().unwrap_or(&self.handle), name)
            }
        }
    }

    /// Opens the regular file `relative` for reading. Refused without opening
    /// anything when it is missing, a link or in a linked folder, not a
    /// regular file, hard-linked or larger than `limit`; refused after opening
    /// when the handle is not the file judged.
    pub fn open_file(&self, relative: &Path, limit: u64) -> Result<Opened, Refusal> {
        let names = names(relative)?;
        let Some((name, folders)) = names.split_last() else {
            return Err(Refusal::NotRegular(Kind::Folder));
        };
        let parent = walk::folder_beneath(&self.handle, folders)?;
        let parent = parent.as_ref().unwrap_or(&self.handle);
        // This lookup is the only proof before the open, and no cheaper one
        // will do: a folder listing's kind (`d_type`) says nothing of links
        // or size, yet a hard-linked or oversized file must never be opened
        // (`tests/hostile_files.rs` checks that no open names one), and an
        // `O_PATH` open to `fstat` first is still an open of the name.
        let judged = walk::stat_name(parent, name)?;
        acceptable(&judged, limit)?;
        let handle = walk::open_name(parent, name)?;
        let opened = stat_handle(&handle)?;
        if opened.identity != judged.identity || opened.kind != Kind::File || opened.links != 1 {
            return Err(Refusal::Replaced);
        }
        acceptable(&opened, limit)?;
        Ok(Opened {
            file: File::from(handle),
            size: opened.size,
        })
    }

    /// The bytes of the regular file `relative`, at most `limit` of them.
    pub fn read_file(&self, relative: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        let opened = self.open_file(relative, limit)?;
        let unreadable = |error: std::io::Error| Refusal::Unreadable(error.kind().to_string());
        let expected = usize::try_from(opened.size).map_err(|_| Refusal::TooLarge {
            size: opened.size,
            limit,
        })?;
        // Room for one byte more than the handle's size, so a file that grew
        // since shows it; a read that comes back short exactly at that size
        // is the end (a regular file reads short only at its end), so no
        // further call is made to hear it say so.
        let mut bytes = vec![0; expected + 1];
        let mut filled = 0;
        while filled < bytes.len() {
            match (&opened.file).read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(read) => {
                    filled += read;
                    if filled == expected {
                        break;
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(unreadable(error)),
            }
        }
        bytes.truncate(filled);
        if filled > expected {
            // It grew: read on to one byte past the limit, as the limit says.
            (&opened.file)
                .take((limit + 1).saturating_sub(filled as u64))
                .read_to_end(&mut bytes)
                .map_err(unreadable)?;
        }
        let size = bytes.len() as u64;
        if size > limit {
            return Err(Refusal::TooLarge { size, limit });
        }
        Ok(bytes)
    }
}

/// A name in a folder and what it is, judged without following it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: std::ffi::OsString,
    pub kind: Kind,
}

impl Folder {
    /// The names in the folder `relative` beneath this one (the empty path
    /// is this folder), sorted, with their kinds; no link is followed to
    /// reach the folder or to judge a name.
    pub fn list(&self, relative: &Path) -> Result<Vec<Listed>, Refusal> {
        self.list_keeping(relative).map(|(listed, _)| listed)
    }

    /// [`Folder::list`], and the handle that read the names, kept as the
    /// folder beneath which they are reached (where the platform gives the
    /// handle back): reading that folder next costs no second lookup.
    pub fn list_keeping(&self, relative: &Path) -> Result<(Vec<Listed>, Option<Folder>), Refusal> {
        let names = names(relative)?;
        // One handle both reaches the folder and reads its names.
        let listing = walk::listing_beneath(&self.handle, &names)?;
        let (mut listed, handle) = walk::read_listing(listing)?;
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        let kept = handle.map(|handle| Folder {
            handle,
            path: self.path.join(relative),
        });
        Ok((listed, kept))
    }
}

/// Reads a file a user named (a manifest, a waiver file) with the same
/// protections: its folder is the user's word, the file itself must be a
/// regular file with one link, no link, within `limit`.
pub fn read_named_file(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let Some(name) = path.file_name() else {
        return Err(Refusal::NotRegular(Kind::Folder));
    };
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder = Folder::open(parent).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        kind => Refusal::Unreadable(kind.to_string()),
    })?;
    folder.read_file(Path::new(name), limit)
}

fn acceptable(entry: &Entry, limit: u64) -> Result<(), Refusal> {
    match entry.kind {
        Kind::File => {}
        Kind::Link => return Err(Refusal::Link),
        kind => return Err(Refusal::NotRegular(kind)),
    }
    if entry.links > 1 {
        return Err(Refusal::HardLinked(entry.links));
    }
    if entry.size > limit {
        return Err(Refusal::TooLarge {
            size: entry.size,
            limit,
        });
    }
    Ok(())
}

/// The names of a relative path; `.` is skipped, anything that could leave
/// the folder (`..`, a root, a prefix) is refused before any lookup.
fn names(relative: &Path) -> Result<Vec<&std::ffi::OsStr>, Refusal> {
    let mut names = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(name) => names.push(name),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(Refusal::NotBeneath);
            }
        }
    }
    Ok(names)
}

fn stat_handle(handle: &std::os::fd::OwnedFd) -> Result<Entry, Refusal> {
    rustix::fs::fstat(handle)
        .map(|stat| walk::entry_of(&stat))
        .map_err(walk::refusal)
}

#[cfg(test)]
mod tests;
