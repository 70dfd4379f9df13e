//! Checking one attached file: inside the bundle, a regular file, within the
//! size limit, PDF/JPEG/PNG by its bytes, complete, and matching its `sha256`.
//!
//! A reference is judged from its text first (no absolute paths, no `..`, no
//! backslashes or NUL). The file is then reached through the bundle folder's
//! handle ([`crate::confined`]): no link is followed anywhere in its path,
//! anything but a regular file with one link is reported from its metadata
//! and never opened, and everything read is read from the handle checked.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::confined::{Folder, Refusal};
use crate::lang::Localized;

/// What an attachment's bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Jpeg => "JPEG",
            FileKind::Png => "PNG",
        }
    }

    fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileKind::Png)
        } else {
            None
        }
    }

    /// Whether the file's last bytes hold the format's end marker, so a
    /// truncated upload is caught.
    fn is_complete(self, tail: &[u8]) -> bool {
        match self {
            FileKind::Pdf => tail.windows(5).any(|w| w == b"%%EOF"),
            FileKind::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
            FileKind::Png => tail
                .windows(8)
                .any(|w| w == [b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]),
        }
    }

    fn from_extension(path: &str) -> Option<FileKind> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(FileKind::Pdf),
            "jpg" | "jpeg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }
}

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

/// The outcome of checking one attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentCheck {
    Valid {
        kind: FileKind,
        size: u64,
        sha256_verified: bool,
        /// The file name's extension names this format (else a warning).
        extension_agrees: bool,
    },
    Invalid(AttachmentProblem),
}

/// Bytes read from each end to recognise a format and its end marker.
const SNIFF_BYTES: usize = 16;
const TAIL_BYTES: u64 = 1024;

/// Checks the file `reference` names beneath the bundle `folder`.
/// `declared_sha256` is verified when given; the file is hashed only then.
pub fn check_attachment(
    folder: &Folder,
    reference: &str,
    declared_sha256: Option<&str>,
    limit: u64,
) -> AttachmentCheck {
    match check(folder, reference, declared_sha256, limit) {
        Ok(check) => check,
        Err(problem) => AttachmentCheck::Invalid(problem),
    }
}

fn check(
    folder: &Folder,
    reference: &str,
    declared_sha256: Option<&str>,
    limit: u64,
) -> Result<AttachmentCheck, AttachmentProblem> {
    let declared = match declared_sha256 {
        Some(digest) if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) => {
            return Err(AttachmentProblem::BadDigest);
        }
        other => other.map(str::to_ascii_lowercase),
    };
    let relative = safe_relative_path(reference)?;
    let opened = folder.open_file(&relative, limit)?;
    let (mut file, size) = (opened.file, opened.size);
    if size == 0 {
        return Err(AttachmentProblem::Empty);
    }
    let mut head = [0u8; SNIFF_BYTES];
    let read = read_up_to(&mut file, &mut head)?;
    let kind = FileKind::sniff(&head[..read]).ok_or(AttachmentProblem::UnknownFormat)?;
    let tail_start = size.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(tail_start))
        .map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
    let mut tail = Vec::with_capacity(TAIL_BYTES as usize);
    (&mut file)
        .take(TAIL_BYTES)
        .read_to_end(&mut tail)
        .map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
    if tail_start + tail.len() as u64 != size {
        return Err(AttachmentProblem::ChangedWhileRead);
    }
    if !kind.is_complete(&tail) {
        return Err(AttachmentProblem::Truncated(kind));
    }
    let sha256_verified = match declared {
        None => false,
        Some(declared) => {
            file.seek(SeekFrom::Start(0))
                .map_err(|e| AttachmentProblem::Unreadable(e.kind().to_string()))?;
            let actual = sha256_hex(&mut file, size, limit)?;
            if actual != declared {
                return Err(AttachmentProblem::DigestMismatch { actual });
            }
            true
        }
    };
    Ok(AttachmentCheck::Valid {
        kind,
        size,
        sha256_verified,
        extension_agrees: FileKind::from_extension(reference) == Some(kind),
    })
}

/// Judges the reference as text: relative, no `..`, no backslash, no NUL.
fn safe_relative_path(reference: &str) -> Result<PathBuf, AttachmentProblem> {
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

fn read_up_to(file: &mut File, buffer: &mut [u8]) -> Result<usize, AttachmentProblem> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(AttachmentProblem::Unreadable(error.kind().to_string())),
        }
    }
    Ok(filled)
}

fn sha256_hex(file: &mut File, size: u64, limit: u64) -> Result<String, AttachmentProblem> {
    let mut hasher = Sha256::new();
    // A stack buffer: zeroing a fresh 64 KiB heap buffer per file cost more than hashing small files.
    let mut buffer = [0u8; 8 * 1024];
    let mut total = 0u64;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(AttachmentProblem::Unreadable(error.kind().to_string())),
        };
        total += read as u64;
        if total > limit {
            return Err(AttachmentProblem::ChangedWhileRead);
        }
        hasher.update(&buffer[..read]);
    }
    if total != size {
        return Err(AttachmentProblem::ChangedWhileRead);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
