//! Reaching one attached file in a bundle folder: inside the bundle, a
//! regular file, within the size limit, opened and confirmed by its handle.
//! What its bytes are is judged afterwards, for every source alike
//! (`content.rs`).
//!
//! A reference is judged from its text first (no absolute paths, no `..`, no
//! backslashes or NUL), then by resolving every link and requiring the real
//! path to stay inside the bundle's real folder. Anything but a regular file
//! is reported from its metadata and never opened.

use std::fs::{File, OpenOptions};
use std::path::{Component, Path, PathBuf};

use super::content::{FileKind, Opened};
use crate::lang::Localized;

/// Why an attachment failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentProblem {
    Absolute,
    Escapes,
    Unsafe(&'static str),
    Missing,
    LinkOutside,
    LinkLoop,
    NotRegular(&'static str),
    HardLinked(u64),
    Unreadable(String),
    Empty,
    TooLarge { size: u64, limit: u64 },
    UnknownFormat,
    Truncated(FileKind),
    ChangedWhileRead,
    BadDigest,
    DigestMismatch { actual: String },
}

impl AttachmentProblem {
    pub fn explain(&self) -> Localized {
        use AttachmentProblem as P;
        match self {
            P::Absolute => Localized::new(
                "是绝对路径;应为相对于材料包目录的路径",
                "is an absolute path; give a path relative to the bundle folder",
            ),
            P::Escapes => Localized::new(
                "含 `..`,指向材料包目录之外;未打开",
                "contains `..` and leads outside the bundle folder; not opened",
            ),
            P::Unsafe(what) => Localized::new(
                format!("含不允许的字符({what})"),
                format!("contains a character that is not allowed ({what})"),
            ),
            P::Missing => Localized::new("文件不存在", "does not exist"),
            P::LinkOutside => Localized::new(
                "是指向材料包目录之外的链接;未打开",
                "is a link leading outside the bundle folder; not opened",
            ),
            P::LinkLoop => Localized::new(
                "是循环链接,无法解析",
                "is a link loop that cannot be resolved",
            ),
            P::NotRegular(kind) => Localized::new(
                format!("不是普通文件({kind});未打开"),
                format!("is not a regular file ({kind}); not opened"),
            ),
            P::HardLinked(count) => Localized::new(
                format!("有 {count} 个硬链接,可能与材料包外的文件共享内容;未打开"),
                format!(
                    "has {count} hard links and may share its content with a file outside the bundle; not opened"
                ),
            ),
            P::Unreadable(reason) => Localized::new(
                format!("无法读取:{reason}"),
                format!("cannot be read: {reason}"),
            ),
            P::Empty => Localized::new("是空文件(0 字节)", "is empty (0 bytes)"),
            P::TooLarge { size, limit } => Localized::new(
                format!("大小为 {size} 字节,超过 {limit} 字节的上限;未读取"),
                format!("is {size} bytes, over the limit of {limit}; not read"),
            ),
            P::UnknownFormat => Localized::new(
                "内容不是 PDF、JPEG 或 PNG",
                "is not a PDF, JPEG or PNG by its content",
            ),
            P::Truncated(kind) => Localized::new(
                format!("是不完整的 {} 文件(缺少文件结尾标记)", kind.name()),
                format!(
                    "is a truncated {} file (its end marker is missing)",
                    kind.name()
                ),
            ),
            P::ChangedWhileRead => {
                Localized::new("读取期间大小发生变化", "changed size while it was read")
            }
            P::BadDigest => Localized::new(
                "sha256 应为 64 位十六进制数",
                "sha256 must be 64 hexadecimal digits",
            ),
            P::DigestMismatch { actual } => Localized::new(
                format!("内容的 sha256 为 {actual},与声明的不符"),
                format!("content has sha256 {actual}, not the declared value"),
            ),
        }
    }
}

/// Opens the file `relative` (from [`safe_relative_path`]) names in
/// `bundle_dir`, refusing links that leave it, anything but a regular file,
/// hard-linked files and files over `limit` bytes.
pub(crate) fn open_inside(
    bundle_dir: &Path,
    relative: &Path,
    limit: u64,
) -> Result<Opened<'static>, AttachmentProblem> {
    let path = bundle_dir.join(relative);
    let real = resolve_inside(bundle_dir, &path)?;
    let metadata = real
        .metadata()
        .map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
    if !metadata.is_file() {
        return Err(AttachmentProblem::NotRegular(file_type_name(&metadata)));
    }
    hard_links(&metadata)?;
    if metadata.len() > limit {
        return Err(AttachmentProblem::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    if metadata.len() == 0 {
        return Err(AttachmentProblem::Empty);
    }
    let file =
        open_no_follow(&real).map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
    // The handle is what is read: confirm it is still the regular file judged above.
    let opened = file
        .metadata()
        .map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
    if !opened.is_file() {
        return Err(AttachmentProblem::NotRegular(file_type_name(&opened)));
    }
    Ok(Opened::File {
        file,
        size: opened.len(),
    })
}

/// Judges the reference as text: relative, no `..`, no backslash, no NUL.
pub(crate) fn safe_relative_path(reference: &str) -> Result<PathBuf, AttachmentProblem> {
    if reference.contains('\0') {
        return Err(AttachmentProblem::Unsafe("NUL"));
    }
    if reference.contains('\\') {
        return Err(AttachmentProblem::Unsafe("\\"));
    }
    if reference.trim().is_empty() {
        return Err(AttachmentProblem::Missing);
    }
    let path = Path::new(reference);
    let mut relative = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(AttachmentProblem::Escapes),
            Component::RootDir | Component::Prefix(_) => return Err(AttachmentProblem::Absolute),
        }
    }
    Ok(relative)
}

/// Resolves every link and requires the real path to stay in the bundle.
fn resolve_inside(bundle_dir: &Path, path: &Path) -> Result<PathBuf, AttachmentProblem> {
    if path.symlink_metadata().is_err() {
        return Err(AttachmentProblem::Missing);
    }
    let real_dir = bundle_dir
        .canonicalize()
        .map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
    let real = path.canonicalize().map_err(|error| {
        if is_link_loop(&error) {
            AttachmentProblem::LinkLoop
        } else if error.kind() == std::io::ErrorKind::NotFound {
            // A dangling link: say where it fails without following it further.
            AttachmentProblem::Missing
        } else {
            AttachmentProblem::Unreadable(error.kind().to_string())
        }
    })?;
    if !real.starts_with(&real_dir) {
        return Err(AttachmentProblem::LinkOutside);
    }
    Ok(real)
}

fn file_type_name(metadata: &std::fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_socket() {
            return "socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "device";
        }
    }
    "special file"
}

#[cfg(unix)]
fn hard_links(metadata: &std::fs::Metadata) -> Result<(), AttachmentProblem> {
    use std::os::unix::fs::MetadataExt;
    match metadata.nlink() {
        0 | 1 => Ok(()),
        count => Err(AttachmentProblem::HardLinked(count)),
    }
}

#[cfg(not(unix))]
fn hard_links(_: &std::fs::Metadata) -> Result<(), AttachmentProblem> {
    Ok(())
}

/// Opens without following a final link and without blocking on a FIFO
/// swapped in after the checks above.
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(unix)]
fn is_link_loop(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_link_loop(_: &std::io::Error) -> bool {
    false
}
