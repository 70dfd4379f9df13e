//! Why a bundle's source cannot be judged at all: an archive or upload that
//! is damaged, hostile or over a bound. Each is a failing finding on the
//! bundle, in both languages, naming the entry.

use thiserror::Error;

use crate::lang::Localized;

/// Why a source was refused before any of its contents was judged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SourceProblem {
    /// The file or stream cannot be read; the system's reason.
    #[error("cannot be read: {0}")]
    Unreadable(String),
    /// The archive is over `archive_bytes`; not read at all.
    #[error("the archive is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// The archive's size in bytes.
        size: u64,
        /// The bound in bytes.
        limit: u64,
    },
    /// The bytes are none of the archive kinds read (by content, not name).
    #[error("not a zip, tar or tar.gz archive by its content")]
    UnknownKind,
    /// The archive library refused the bytes; its reason.
    #[error("the archive is damaged or truncated: {0}")]
    Damaged(String),
    /// The zip comment is over `archive_comment_bytes`.
    #[error("the archive comment is {size} bytes, over the limit of {limit}")]
    Comment {
        /// The comment's size in bytes.
        size: u64,
        /// The bound in bytes.
        limit: u64,
    },
    /// More entries than `archive_entries`.
    #[error("the archive has more than {limit} entries")]
    TooManyEntries {
        /// The bound.
        limit: usize,
    },
    /// An entry name that starts at the root; the name.
    #[error("the name `{0}` is absolute")]
    Absolute(String),
    /// An entry name with a `..` step, which would lead outside; the name.
    #[error("the name `{0}` contains `..`")]
    Escapes(String),
    /// An entry name with a backslash, a separator on Windows only; the name.
    #[error("the name `{0}` contains a backslash")]
    Backslash(String),
    /// An entry name refused for another reason.
    #[error("the name `{name}` is not allowed ({what})")]
    BadName {
        /// The name as the archive writes it.
        name: String,
        /// What is wrong with it, in English (the zh report translates it).
        what: &'static str,
    },
    /// Two entry names that are one file once normalised (Unicode NFC,
    /// `.` and empty parts, letter case).
    #[error("the names `{first}` and `{second}` are the same file once normalised")]
    Collision {
        /// The name met first.
        first: String,
        /// The name that collides with it.
        second: String,
    },
    /// A link, hard link, device or other entry that is not a plain file.
    #[error("the entry `{name}` is a {kind}, not a regular file")]
    NotRegular {
        /// The entry's name.
        name: String,
        /// What it is instead, in English (the zh report translates it).
        kind: &'static str,
    },
    /// An encrypted entry, which cannot be judged; its name.
    #[error("the entry `{0}` is encrypted")]
    Encrypted(String),
    /// An entry that unpacks to (or declares) more than the bound on one
    /// entry.
    #[error("the entry `{name}` unpacks to more than {limit} bytes")]
    EntryTooLarge {
        /// The entry's name.
        name: String,
        /// The bound in bytes.
        limit: u64,
    },
    /// All entries together unpack past `archive_unpacked_bytes`.
    #[error("the archive unpacks to more than {limit} bytes")]
    UnpackedTooLarge {
        /// The bound in bytes.
        limit: u64,
    },
    /// An entry compressed more than `archive_ratio` to 1: a zip bomb.
    #[error("the entry `{name}` is compressed more than {limit} to 1")]
    Ratio {
        /// The entry's name.
        name: String,
        /// The bound, unpacked bytes per packed byte.
        limit: u64,
    },
    /// An entry whose unpacked size is not the size its header declares.
    #[error("the entry `{name}` declares {declared} bytes but holds {actual}")]
    SizeLies {
        /// The entry's name.
        name: String,
        /// The size its header declares.
        declared: u64,
        /// The size it unpacked to.
        actual: u64,
    },
    /// Several entries point at the same data: a zip bomb.
    #[error("entries share their data (overlapping entries)")]
    Overlap,
    /// The same name listed twice.
    #[error("the archive lists the same name twice")]
    DuplicateNames,
    /// The whole archive compressed more than `archive_ratio` to 1.
    #[error("the archive is compressed more than {limit} to 1")]
    ArchiveRatio {
        /// The bound, unpacked bytes per packed byte.
        limit: u64,
    },
    /// An entry compressed with a method dossier does not read; its name.
    #[error("the entry `{0}` uses a compression method dossier does not read")]
    Method(String),
}

impl SourceProblem {
    /// The reason, in both languages, for the bundle's failing finding.
    pub fn explain(&self) -> Localized {
        use SourceProblem as P;
        match self {
            P::Unreadable(reason) => Localized::new(
                format!("无法读取:{reason}"),
                format!("it cannot be read: {reason}"),
            ),
            P::TooLarge { size, limit } => Localized::new(
                format!("压缩包大小为 {size} 字节,超过 {limit} 字节的上限;未读取"),
                format!("the archive is {size} bytes, over the limit of {limit}; not read"),
            ),
            P::UnknownKind => Localized::new(
                "按内容看不是 zip、tar 或 tar.gz 压缩包",
                "it is not a zip, tar or tar.gz archive by its content",
            ),
            P::Damaged(reason) => Localized::new(
                format!("压缩包已损坏或不完整({reason})"),
                format!("the archive is damaged or truncated ({reason})"),
            ),
            P::Comment { size, limit } => Localized::new(
                format!("压缩包注释为 {size} 字节,超过 {limit} 字节的上限"),
                format!("the archive comment is {size} bytes, over the limit of {limit}"),
            ),
            P::TooManyEntries { limit } => Localized::new(
                format!("压缩包的条目超过 {limit} 个"),
                format!("the archive has more than {limit} entries"),
            ),
            P::Absolute(name) => Localized::new(
                format!("文件名 `{name}` 是绝对路径"),
                format!("the name `{name}` is an absolute path"),
            ),
            P::Escapes(name) => Localized::new(
                format!("文件名 `{name}` 含 `..`,指向材料包之外"),
                format!("the name `{name}` contains `..` and leads outside the bundle"),
            ),
            P::Backslash(name) => Localized::new(
                format!("文件名 `{name}` 含反斜杠 `\\`"),
                format!("the name `{name}` contains a backslash `\\`"),
            ),
            P::BadName { name, what } => Localized::new(
                format!("文件名 `{name}` 不可用({})", name_fault_zh(what)),
                format!("the name `{name}` is not allowed ({what})"),
            ),
            P::Collision { first, second } => Localized::new(
                format!("文件名 `{first}` 与 `{second}` 规范化后指向同一文件"),
                format!("the names `{first}` and `{second}` name the same file once normalised"),
            ),
            P::NotRegular { name, kind } => Localized::new(
                format!("条目 `{name}` 是{},不是普通文件", entry_kind_zh(kind)),
                format!("the entry `{name}` is a {kind}, not a regular file"),
            ),
            P::Encrypted(name) => Localized::new(
                format!("条目 `{name}` 已加密,无法评判"),
                format!("the entry `{name}` is encrypted and cannot be judged"),
            ),
            P::EntryTooLarge { name, limit } => Localized::new(
                format!("条目 `{name}` 解压后超过 {limit} 字节的上限"),
                format!("the entry `{name}` unpacks to more than the limit of {limit} bytes"),
            ),
            P::UnpackedTooLarge { limit } => Localized::new(
                format!("压缩包解压后超过 {limit} 字节的上限"),
                format!("the archive unpacks to more than the limit of {limit} bytes"),
            ),
            P::Ratio { name, limit } => Localized::new(
                format!("条目 `{name}` 的压缩比超过 {limit}:1,疑似压缩炸弹"),
                format!("the entry `{name}` is compressed more than {limit} to 1, like a zip bomb"),
            ),
            P::SizeLies {
                name,
                declared,
                actual,
            } => Localized::new(
                format!("条目 `{name}` 声明大小为 {declared} 字节,实际为 {actual} 字节"),
                format!("the entry `{name}` declares {declared} bytes but holds {actual}"),
            ),
            P::Overlap => Localized::new(
                "多个条目共用同一段数据(重叠条目),疑似压缩炸弹",
                "several entries share the same data (overlapping entries), like a zip bomb",
            ),
            P::DuplicateNames => Localized::new(
                "压缩包中同一文件名出现了两次",
                "the archive lists the same name twice",
            ),
            P::ArchiveRatio { limit } => Localized::new(
                format!("压缩包的压缩比超过 {limit}:1,疑似压缩炸弹"),
                format!("the archive is compressed more than {limit} to 1, like a zip bomb"),
            ),
            P::Method(name) => Localized::new(
                format!("条目 `{name}` 使用了不支持的压缩方式"),
                format!("the entry `{name}` uses a compression method dossier does not read"),
            ),
        }
    }
}

fn name_fault_zh(what: &str) -> &'static str {
    match what {
        "NUL" => "含 NUL 字符",
        "control character" => "含控制字符",
        "empty" => "为空",
        "too long" => "过长",
        _ => "编码无法识别",
    }
}

fn entry_kind_zh(kind: &str) -> &'static str {
    match kind {
        "symbolic link" => "符号链接",
        "hard link" => "硬链接",
        "device" => "设备文件",
        "FIFO" => "管道文件",
        _ => "特殊条目",
    }
}
