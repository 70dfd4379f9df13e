//! Reaching one attached file in a bundle folder: inside the bundle, a
//! regular file, within the size limit, opened and confirmed by its handle.
//! What its bytes are is judged afterwards, for every source alike
//! (`content.rs`).
//!
//! A reference is judged from its text first (no absolute paths, no `..`, no
//! backslashes or NUL). The file is then reached through the bundle folder's
//! handle ([`crate::confined`]): no link is followed anywhere in its path,
//! anything but a regular file with one link is reported from its metadata
//! and never opened, and what is read is the handle checked.

use std::path::{Component, Path, PathBuf};

use super::content::{FileKind, Opened};
use crate::confined::{Folder, Refusal};
use crate::lang::Localized;

/// Why an attachment failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentProblem {
    Absolute,
    Escapes,
    Unsafe(&'static str),
    Missing,
    /// The file is a link or lies in a linked folder: links are not followed.
    Link,
    NotRegular(&'static str),
    HardLinked(u64),
    Unreadable(String),
    Empty,
    TooLarge {
        size: u64,
        limit: u64,
    },
    UnknownFormat,
    Truncated(FileKind),
    ChangedWhileRead,
    /// Another file took its name between its judgement and its opening.
    Replaced,
    BadDigest,
    DigestMismatch {
        actual: String,
    },
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
            P::Link => Localized::new(
                "是链接,或位于链接的目录中;dossier 不跟随链接,未打开",
                "is a link, or lies in a linked folder; dossier does not follow links; not opened",
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
            P::Replaced => Localized::new(
                "在检查与打开之间被另一个文件替换;未读取",
                "was replaced by another file between its check and its opening; not read",
            ),
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

/// Opens the file `relative` (from [`safe_relative_path`]) names beneath the
/// bundle `folder`, refusing links anywhere in its path, anything but a
/// regular file, hard-linked files and files over `limit` bytes, all before
/// opening; the handle is then confirmed to be the file judged.
pub(crate) fn open_inside(
    folder: &Folder,
    relative: &Path,
    limit: u64,
) -> Result<Opened<'static>, AttachmentProblem> {
    let opened = folder.open_file(relative, limit)?;
    Ok(Opened::File {
        file: opened.file,
        size: opened.size,
    })
}

impl From<Refusal> for AttachmentProblem {
    fn from(refusal: Refusal) -> AttachmentProblem {
        match refusal {
            Refusal::NotBeneath => AttachmentProblem::Escapes,
            Refusal::Missing => AttachmentProblem::Missing,
            Refusal::Link => AttachmentProblem::Link,
            Refusal::NotRegular(kind) => AttachmentProblem::NotRegular(kind.name()),
            Refusal::HardLinked(links) => AttachmentProblem::HardLinked(links),
            Refusal::TooLarge { size, limit } => AttachmentProblem::TooLarge { size, limit },
            Refusal::Replaced => AttachmentProblem::Replaced,
            Refusal::Unreadable(reason) => AttachmentProblem::Unreadable(reason),
        }
    }
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
