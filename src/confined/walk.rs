//! The system calls behind [`super::Folder`]: reaching a folder beneath a
//! handle with `openat2` where the kernel has it and one `openat` per folder
//! where it does not, and judging and opening one name in a folder.
//!
//! Both ways give the same answers; the tests run each of them.

use std::ffi::OsStr;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat};
use rustix::io::Errno;

use super::{Entry, Kind, Listed, Refusal};

/// A folder handle is for looking names up, not for reading: `O_PATH` needs
/// no read permission on the folder, only search, as a path lookup would.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub const SEARCH: OFlags = OFlags::PATH;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub const SEARCH: OFlags = OFlags::RDONLY;
pub const DIRECTORY: OFlags = OFlags::DIRECTORY.union(OFlags::CLOEXEC);
pub const NO_MODE: Mode = Mode::empty();

/// How a regular file is opened: never through a final link, never blocking
/// (a FIFO swapped in after the judgement must not hang a batch), never
/// becoming a controlling terminal, never leaking into a child process.
const READ: OFlags = OFlags::RDONLY
    .union(OFlags::NOFOLLOW)
    .union(OFlags::NONBLOCK)
    .union(OFlags::NOCTTY)
    .union(OFlags::CLOEXEC);

/// The folder `folders` names beneath `root` (`None` for `root` itself).
pub fn folder_beneath(root: &OwnedFd, folders: &[&OsStr]) -> Result<Option<OwnedFd>, Refusal> {
    if folders.is_empty() {
        return Ok(None);
    }
    #[cfg(test)]
    if tests::stepwise_only() {
        return stepwise(root, folders).map(Some);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(reached) = openat2::folder_beneath(root, folders, SEARCH | DIRECTORY) {
        return reached.map(Some);
    }
    stepwise(root, folders).map(Some)
}

/// A handle to read the names in the folder `folders` names beneath `root`
/// (`root` itself when empty), reached as [`folder_beneath`] reaches it but
/// opened for reading in the same lookup where `openat2` is there.
pub fn listing_beneath(root: &OwnedFd, folders: &[&OsStr]) -> Result<OwnedFd, Refusal> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if !folders.is_empty()
        && !stepwise_only_in_tests()
        && let Some(reached) = openat2::folder_beneath(root, folders, OFlags::RDONLY | DIRECTORY)
    {
        return reached;
    }
    match folder_beneath(root, folders)? {
        Some(folder) => open_listing(&folder),
        None => open_listing(root),
    }
}

#[cfg(test)]
fn stepwise_only_in_tests() -> bool {
    tests::stepwise_only()
}

#[cfg(not(test))]
fn stepwise_only_in_tests() -> bool {
    false
}

/// One `openat(O_NOFOLLOW | O_DIRECTORY)` per folder, each relative to the
/// handle of the one before: no link is followed and no name can lead above
/// `root`, whatever changes meanwhile.
fn stepwise(root: &OwnedFd, folders: &[&OsStr]) -> Result<OwnedFd, Refusal> {
    let mut current: Option<OwnedFd> = None;
    for name in folders {
        let parent = current.as_ref().unwrap_or(root);
        let next = rustix::fs::openat(
            parent,
            *name,
            SEARCH | DIRECTORY | OFlags::NOFOLLOW,
            NO_MODE,
        )
        .map_err(|errno| match errno {
            // `O_PATH | O_NOFOLLOW` opens a link itself, which `O_DIRECTORY`
            // then refuses as "not a folder": say which it was.
            Errno::NOTDIR | Errno::LOOP | Errno::MLINK => match stat_name(parent, name) {
                Ok(entry) if entry.kind == Kind::Link => Refusal::Link,
                Ok(_) => Refusal::Missing,
                Err(refusal) => refusal,
            },
            other => refusal(other),
        })?;
        current = Some(next);
    }
    Ok(current.expect("at least one folder"))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod openat2 {
    use std::ffi::{OsStr, OsString};
    use std::os::fd::OwnedFd;
    use std::sync::atomic::{AtomicU8, Ordering};

    use rustix::fs::{OFlags, ResolveFlags};
    use rustix::io::Errno;

    use super::{NO_MODE, Refusal, refusal};

    const UNKNOWN: u8 = 0;
    const PRESENT: u8 = 1;
    const ABSENT: u8 = 2;
    /// Whether this kernel (and its seccomp filter) lets `openat2` through.
    static OPENAT2: AtomicU8 = AtomicU8::new(UNKNOWN);

    /// `RESOLVE_BENEATH` refuses any step above the handle, `NO_SYMLINKS` any
    /// link, `NO_MAGICLINKS` the `/proc` links that bypass both.
    const CONFINED: ResolveFlags = ResolveFlags::BENEATH
        .union(ResolveFlags::NO_SYMLINKS)
        .union(ResolveFlags::NO_MAGICLINKS);

    /// The kernel retries a lookup raced by a rename itself; past this it
    /// answers `EAGAIN` and so do we.
    const ATTEMPTS: usize = 8;

    /// `None` when the kernel has no `openat2` (before 5.6) or a seccomp
    /// filter refuses it; the caller then walks step by step.
    pub fn folder_beneath(
        root: &OwnedFd,
        folders: &[&OsStr],
        flags: OFlags,
    ) -> Option<Result<OwnedFd, Refusal>> {
        if OPENAT2.load(Ordering::Relaxed) == ABSENT {
            return None;
        }
        let path = joined(folders);
        let mut last = Errno::AGAIN;
        for _ in 0..ATTEMPTS {
            match rustix::fs::openat2(root, &path, flags, NO_MODE, CONFINED) {
                Ok(handle) => {
                    OPENAT2.store(PRESENT, Ordering::Relaxed);
                    return Some(Ok(handle));
                }
                Err(Errno::AGAIN) => {}
                Err(Errno::NOSYS | Errno::PERM | Errno::INVAL | Errno::TOOBIG)
                    if OPENAT2.load(Ordering::Relaxed) != PRESENT =>
                {
                    OPENAT2.store(ABSENT, Ordering::Relaxed);
                    return None;
                }
                Err(errno) => {
                    last = errno;
                    break;
                }
            }
        }
        Some(Err(refusal(last)))
    }

    #[cfg(test)]
    pub fn present() -> bool {
        OPENAT2.load(Ordering::Relaxed) == PRESENT
    }

    fn joined(folders: &[&OsStr]) -> OsString {
        let mut path = OsString::new();
        for (index, name) in folders.iter().enumerate() {
            if index > 0 {
                path.push("/");
            }
            path.push(name);
        }
        path
    }
}

/// The metadata of `name` in `folder`, not following it if it is a link.
pub fn stat_name<Fd: AsFd>(folder: Fd, name: &OsStr) -> Result<Entry, Refusal> {
    rustix::fs::statat(folder, name, AtFlags::SYMLINK_NOFOLLOW)
        .map(|stat| entry_of(&stat))
        .map_err(refusal)
}

/// Opens `name` in `folder` for reading, never through a link.
pub fn open_name(folder: &OwnedFd, name: &OsStr) -> Result<OwnedFd, Refusal> {
    rustix::fs::openat(folder, name, READ, NO_MODE).map_err(|errno| match errno {
        // Judged a regular file a moment ago, a link now.
        Errno::LOOP | Errno::MLINK => Refusal::Replaced,
        other => refusal(other),
    })
}

/// A handle to read the names in `folder` (its own handle is for lookups only).
pub fn open_listing(folder: &OwnedFd) -> Result<OwnedFd, Refusal> {
    rustix::fs::openat(folder, ".", OFlags::RDONLY | DIRECTORY, NO_MODE).map_err(refusal)
}

/// The names in the folder `listing` reads (its own entries `.` and `..`
/// left out), unsorted, with their kinds, and the handle back where the
/// platform lets it be read without giving it up.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn read_listing(listing: OwnedFd) -> Result<(Vec<Listed>, Option<OwnedFd>), Refusal> {
    use std::mem::MaybeUninit;
    let mut buffer = [MaybeUninit::<u8>::uninit(); 4096];
    let mut entries = rustix::fs::RawDir::new(&listing, &mut buffer);
    let mut listed = Vec::new();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(unreadable)?;
        let name = OsStr::from_bytes(entry.file_name().to_bytes());
        if let Some(entry) = listed_entry(&listing, name, entry.file_type()) {
            listed.push(entry);
        }
    }
    Ok((listed, Some(listing)))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn read_listing(listing: OwnedFd) -> Result<(Vec<Listed>, Option<OwnedFd>), Refusal> {
    let mut entries = rustix::fs::Dir::new(listing).map_err(unreadable)?;
    let mut listed = Vec::new();
    while let Some(entry) = entries.read() {
        let entry = entry.map_err(unreadable)?;
        let name = OsStr::from_bytes(entry.file_name().to_bytes());
        let folder = entries.fd().map_err(unreadable)?;
        if let Some(entry) = listed_entry(folder, name, entry.file_type()) {
            listed.push(entry);
        }
    }
    Ok((listed, None))
}

/// One name of a listing and what it is; `None` for `.` and `..`.
fn listed_entry<Fd: AsFd>(folder: Fd, name: &OsStr, file_type: FileType) -> Option<Listed> {
    if name == "." || name == ".." {
        return None;
    }
    // Not every file system says what a name is in its listing.
    let kind = match kind_of(file_type) {
        Kind::Other => stat_name(folder, name).map_or(Kind::Other, |e| e.kind),
        kind => kind,
    };
    Some(Listed {
        name: name.to_os_string(),
        kind,
    })
}

fn unreadable(errno: Errno) -> Refusal {
    Refusal::Unreadable(std::io::Error::from(errno).kind().to_string())
}

/// What a file type says a name is; `Other` when it says nothing useful.
pub fn kind_of(file_type: FileType) -> Kind {
    match file_type {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Folder,
        FileType::Symlink => Kind::Link,
        FileType::Fifo => Kind::Fifo,
        FileType::Socket => Kind::Socket,
        FileType::CharacterDevice | FileType::BlockDevice => Kind::Device,
        _ => Kind::Other,
    }
}

/// Field types differ between targets (`st_nlink` is `u32` on some): the
/// conversions are needed there, useless here.
#[allow(clippy::useless_conversion)]
pub fn entry_of(stat: &Stat) -> Entry {
    Entry {
        kind: kind_of(FileType::from_raw_mode(stat.st_mode)),
        // A negative size does not exist; were one reported, it fails every limit.
        size: u64::try_from(stat.st_size).unwrap_or(u64::MAX),
        links: u64::from(stat.st_nlink),
        identity: (u64::from(stat.st_dev), u64::from(stat.st_ino)),
    }
}

/// What a failed lookup means for the name looked up.
pub fn refusal(errno: Errno) -> Refusal {
    match errno {
        Errno::NOENT | Errno::NOTDIR => Refusal::Missing,
        Errno::LOOP | Errno::MLINK => Refusal::Link,
        Errno::XDEV => Refusal::NotBeneath,
        other => Refusal::Unreadable(std::io::Error::from(other).kind().to_string()),
    }
}

#[cfg(test)]
pub mod tests {
    use std::cell::Cell;

    thread_local! {
        static STEPWISE_ONLY: Cell<bool> = const { Cell::new(false) };
    }

    /// Runs `work` on this thread with the step-by-step walk instead of
    /// `openat2`, so the tests cover the way older kernels take.
    pub fn with_stepwise<T>(work: impl FnOnce() -> T) -> T {
        STEPWISE_ONLY.with(|flag| flag.set(true));
        let result = work();
        STEPWISE_ONLY.with(|flag| flag.set(false));
        result
    }

    pub fn stepwise_only() -> bool {
        STEPWISE_ONLY.with(Cell::get)
    }

    /// Whether `openat2` was used (and found) on this machine.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn openat2_present() -> bool {
        super::openat2::present()
    }
}
