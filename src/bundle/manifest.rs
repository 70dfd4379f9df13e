//! Locating and reading a bundle's manifest within the limits.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use crate::confined::{Folder, Refusal};
use crate::lang::Localized;
use crate::limits::Limits;
use crate::source::{Files, SourceProblem};
use crate::yaml::{self, Node, ParseError, Position};

/// The manifest names a bundle folder may use, in the order they are looked for.
pub const MANIFEST_NAMES: [&str; 3] = ["bundle.yaml", "bundle.yml", "bundle.json"];

/// Why a manifest could not be read; each says where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ManifestError {
    #[error("no bundle.yaml, bundle.yml or bundle.json in {0}")]
    NotFound(String),
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path}: the manifest is {size} bytes, more than the limit of {limit}")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: not a regular file")]
    NotRegular { path: String },
    #[error("{path}: the manifest is a link; dossier does not follow links")]
    Link { path: String },
    /// A bundle folder the walk found became a link (or one above it did)
    /// before it was judged.
    #[error(
        "{path}: the bundle folder is a link or lies in a linked folder; dossier does not follow links"
    )]
    FolderLink { path: String },
    #[error(
        "{path}: the manifest has {links} hard links and may share its content with a file outside the bundle; not read"
    )]
    HardLinked { path: String, links: u64 },
    #[error("{path}:{line}: the manifest is not valid UTF-8 (byte {offset})")]
    NotUtf8 {
        path: String,
        line: usize,
        offset: usize,
    },
    #[error("{path}:{error}")]
    Yaml {
        path: String,
        error: ParseError,
        /// The manifest's text as read, so a diagnostic quotes these very
        /// bytes instead of reading the file a second time.
        text: Arc<str>,
    },
    /// The bundle's source (an archive, an upload) cannot be judged at all.
    #[error("{path}: {problem}")]
    Source {
        path: String,
        problem: SourceProblem,
    },
}

impl ManifestError {
    /// Where in the manifest the problem is, when it is at a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            ManifestError::Yaml { error, .. } => error.position(),
            ManifestError::NotUtf8 { line, .. } => Some(Position {
                line: *line,
                column: 1,
            }),
            _ => None,
        }
    }

    /// What is wrong, in both languages, with the line and column where
    /// there is one (the report quotes it as the reason).
    pub fn explain(&self) -> Localized {
        match self {
            ManifestError::NotFound(dir) => Localized::new(
                format!("{dir} 中没有 bundle.yaml、bundle.yml 或 bundle.json"),
                format!("no bundle.yaml, bundle.yml or bundle.json in {dir}"),
            ),
            ManifestError::Io { path, message } => Localized::new(
                format!("{path}:无法读取({message})"),
                format!("{path}: cannot be read ({message})"),
            ),
            ManifestError::TooLarge { path, size, limit } => Localized::new(
                format!("{path}:清单有 {size} 字节,超过 {limit} 字节的上限"),
                format!("{path}: the manifest is {size} bytes, more than the limit of {limit}"),
            ),
            ManifestError::NotRegular { path } => Localized::new(
                format!("{path}:不是普通文件"),
                format!("{path}: not a regular file"),
            ),
            ManifestError::Link { path } => Localized::new(
                format!("{path}:清单是一个链接,dossier 不跟随链接"),
                format!("{path}: the manifest is a link; dossier does not follow links"),
            ),
            ManifestError::FolderLink { path } => Localized::new(
                format!("{path}:包文件夹是一个链接或位于链接的文件夹中,dossier 不跟随链接"),
                format!(
                    "{path}: the bundle folder is a link or lies in a linked folder; dossier does not follow links"
                ),
            ),
            ManifestError::HardLinked { path, links } => Localized::new(
                format!("{path}:清单有 {links} 个硬链接,可能与包外的文件共享内容,未读取"),
                format!(
                    "{path}: the manifest has {links} hard links and may share its content with a file outside the bundle; not read"
                ),
            ),
            ManifestError::NotUtf8 { path, line, offset } => Localized::new(
                format!(
                    "{path}:第 {line} 行:清单不是 UTF-8 编码(第 {offset} 字节),也不能按 GB18030 读出"
                ),
                format!(
                    "{path}: line {line}: the manifest is not UTF-8 (byte {offset}), nor readable as GB18030"
                ),
            ),
            ManifestError::Source { path, problem } => {
                let reason = problem.explain();
                Localized::new(
                    format!("{path}:{}", reason.zh),
                    format!("{path}: {}", reason.en),
                )
            }
            ManifestError::Yaml { path, error, .. } => {
                let reason = error.explain();
                match error.position() {
                    Some(Position { line, column }) => Localized::new(
                        format!("{path}:第 {line} 行第 {column} 列:{}", reason.zh),
                        format!("{path}: line {line}, column {column}: {}", reason.en),
                    ),
                    None => Localized::new(
                        format!("{path}:{}", reason.zh),
                        format!("{path}: {}", reason.en),
                    ),
                }
            }
        }
    }

    /// How to fix it.
    pub fn fix(&self) -> Localized {
        let specific = match self {
            ManifestError::Yaml { error, .. } => error.fix(),
            ManifestError::NotUtf8 { .. } => Some(save_as_utf8()),
            _ => None,
        };
        specific.unwrap_or_else(|| {
            Localized::new(
                "请提供符合 dossier.bundle/v1 格式的 bundle.yaml(可用 `dossier init` 生成模板)",
                "provide a bundle.yaml in the dossier.bundle/v1 format (`dossier init` writes a template)",
            )
        })
    }
}

/// How to save a manifest as UTF-8 in the editors clerks use.
pub fn save_as_utf8() -> Localized {
    Localized::new(
        "请把清单另存为 UTF-8 编码:记事本选“另存为”→“编码: UTF-8”;WPS 或 VS Code 在右下角把编码改为 UTF-8 后保存",
        "save the manifest as UTF-8: in Notepad, Save As → Encoding: UTF-8; in WPS or VS Code, set the encoding in the status bar to UTF-8 and save",
    )
}

/// One bundle as found on disk, its manifest read and parsed (or why not).
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The bundle as the user named it.
    pub name: String,
    /// Where its attachments are reached: a folder (opened once; the
    /// manifest and every attachment are reached through its handle), or
    /// files in memory.
    pub files: Files,
    /// The manifest as shown in reports (inside an archive: `archive/inner/path`).
    pub manifest_path: Option<PathBuf>,
    /// The parsed manifest, or why it could not be read.
    pub manifest: Result<Node, ManifestError>,
    /// The legacy encoding the manifest was read as because it was not
    /// UTF-8 (`GB18030`), for the report to warn about.
    pub legacy_encoding: Option<&'static str>,
}

/// The manifest of a bundle named by its folder or by its manifest file.
pub fn find_manifest(path: &Path) -> Result<(PathBuf, PathBuf), ManifestError> {
    if path.is_dir() {
        for name in MANIFEST_NAMES {
            let candidate = path.join(name);
            if candidate.symlink_metadata().is_ok() {
                return Ok((path.to_path_buf(), candidate));
            }
        }
        return Err(ManifestError::NotFound(path.display().to_string()));
    }
    match path.symlink_metadata() {
        Ok(_) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Ok((dir.to_path_buf(), path.to_path_buf()))
        }
        Err(error) => Err(ManifestError::Io {
            path: path.display().to_string(),
            message: error.to_string(),
        }),
    }
}

/// Finds, reads and parses a bundle's manifest. Never panics; a manifest
/// that cannot be read is kept as the error the report will quote.
pub fn load(path: &Path, limits: &Limits) -> Bundle {
    let name = path.display().to_string();
    match find_manifest(path) {
        Err(error) => Bundle {
            name,
            files: Files::none(),
            manifest_path: None,
            manifest: Err(error),
            legacy_encoding: None,
        },
        Ok((dir, manifest_path)) => {
            let shown = manifest_path.display().to_string();
            let (files, (manifest, legacy_encoding)) = match Folder::open(&dir) {
                Ok(folder) => {
                    let manifest = read_manifest(&folder, &shown, &manifest_path, limits);
                    (Files::opened(Arc::new(folder)), manifest)
                }
                Err(error) => (
                    Files::none(),
                    (
                        Err(ManifestError::Io {
                            path: shown,
                            message: error.to_string(),
                        }),
                        None,
                    ),
                ),
            };
            Bundle {
                name,
                files,
                manifest_path: Some(manifest_path),
                manifest,
                legacy_encoding,
            }
        }
    }
}

/// Reads the bundle in `folder`, a bundle folder the walk found and opened
/// beneath the walked folder (`shown` in messages): its manifest is looked
/// for and read through the folder's handle only.
pub(crate) fn load_opened(
    folder: Result<Arc<Folder>, Refusal>,
    parent: Option<(PathBuf, Arc<Folder>)>,
    shown: &Path,
    limits: &Limits,
) -> Bundle {
    let name = shown.display().to_string();
    let unread = |error| Bundle {
        name: name.clone(),
        files: Files::none(),
        manifest_path: None,
        manifest: Err(error),
        legacy_encoding: None,
    };
    let folder = match folder {
        Ok(folder) => folder,
        Err(Refusal::Link) => return unread(ManifestError::FolderLink { path: name.clone() }),
        Err(Refusal::Missing) => return unread(ManifestError::NotFound(name.clone())),
        Err(refusal) => {
            return unread(ManifestError::Io {
                path: name.clone(),
                message: refusal.to_string(),
            });
        }
    };
    // Each name is read at once rather than looked up first: a name that
    // cannot be looked up is the next one's turn, anything else is this
    // one's verdict, as when it was looked up before it was read.
    let Some((manifest_name, read)) = MANIFEST_NAMES.iter().find_map(|candidate| {
        let candidate_path = Path::new(candidate);
        match folder.read_file(candidate_path, limits.manifest_bytes) {
            Err(Refusal::Missing) => None,
            Err(Refusal::Unreadable(_)) if folder.entry(candidate_path).is_err() => None,
            read => Some((candidate, read)),
        }
    }) else {
        return unread(ManifestError::NotFound(name.clone()));
    };
    let manifest_path = shown.join(manifest_name);
    let shown_manifest = manifest_path.display().to_string();
    let (manifest, legacy_encoding) = match read {
        Ok(bytes) => decode_and_parse(&shown_manifest, bytes, limits),
        Err(refusal) => (Err(manifest_refusal(&shown_manifest, refusal)), None),
    };
    Bundle {
        name,
        files: Files::opened_with(folder, parent),
        manifest_path: Some(manifest_path),
        manifest,
        legacy_encoding,
    }
}

/// Reads the manifest through the bundle folder's handle, with an
/// attachment's protections: no link, a regular file with one link (a hard
/// link could be a file outside), within the limit and judged from its
/// metadata before it is opened.
fn read_manifest(
    folder: &Folder,
    shown: &str,
    path: &Path,
    limits: &Limits,
) -> (Result<Node, ManifestError>, Option<&'static str>) {
    let name = Path::new(path.file_name().unwrap_or_default());
    match folder.read_file(name, limits.manifest_bytes) {
        Ok(bytes) => decode_and_parse(shown, bytes, limits),
        Err(refusal) => (Err(manifest_refusal(shown, refusal)), None),
    }
}

fn manifest_refusal(shown: &str, refusal: Refusal) -> ManifestError {
    let path = shown.to_string();
    match refusal {
        Refusal::Link => ManifestError::Link { path },
        Refusal::NotRegular(_) => ManifestError::NotRegular { path },
        Refusal::HardLinked(links) => ManifestError::HardLinked { path, links },
        Refusal::TooLarge { size, limit } => ManifestError::TooLarge { path, size, limit },
        other => ManifestError::Io {
            path,
            message: other.to_string(),
        },
    }
}

/// Decodes and parses manifest bytes; also says which legacy encoding they
/// were read as. Chinese Windows editors save GB18030 (GBK): bytes that are
/// not UTF-8 but decode as GB18030 without a single error are read as that,
/// and the report warns; anything else is refused with its line.
pub fn decode_and_parse(
    shown: &str,
    bytes: Vec<u8>,
    limits: &Limits,
) -> (Result<Node, ManifestError>, Option<&'static str>) {
    if bytes.len() as u64 > limits.manifest_bytes {
        let error = ManifestError::TooLarge {
            path: shown.to_string(),
            size: bytes.len() as u64,
            limit: limits.manifest_bytes,
        };
        return (Err(error), None);
    }
    let (text, legacy_encoding) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let legacy = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(error.as_bytes())
                .map(|text| text.into_owned());
            match legacy {
                Some(text) => (text, Some("GB18030")),
                None => {
                    let offset = error.utf8_error().valid_up_to();
                    let line = error.as_bytes()[..offset]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1;
                    let error = ManifestError::NotUtf8 {
                        path: shown.to_string(),
                        line,
                        offset,
                    };
                    return (Err(error), None);
                }
            }
        }
    };
    let parsed = yaml::parse(&text, limits.manifest_parse()).map_err(|error| ManifestError::Yaml {
        path: shown.to_string(),
        error,
        text: text.as_str().into(),
    });
    (parsed, legacy_encoding)
}

impl Bundle {
    /// A bundle whose manifest is given as bytes; attachments are looked up in `dir`.
    pub fn from_bytes(name: &str, dir: &Path, bytes: Vec<u8>, limits: &Limits) -> Bundle {
        let (manifest, legacy_encoding) = decode_and_parse(name, bytes, limits);
        Bundle {
            name: name.to_string(),
            files: Files::folder(dir),
            manifest_path: None,
            manifest,
            legacy_encoding,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle_with(manifest: &[u8]) -> (tempfile::TempDir, Bundle) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bundle.yaml"), manifest).unwrap();
        let bundle = load(dir.path(), &Limits::default());
        (dir, bundle)
    }

    #[test]
    fn folder_and_manifest_path_mean_the_same() {
        let (dir, from_dir) = bundle_with(b"format: dossier.bundle/v1\n");
        let from_file = load(&dir.path().join("bundle.yaml"), &Limits::default());
        assert_eq!(from_dir.manifest, from_file.manifest);
        assert_eq!(
            format!("{:?}", from_dir.files),
            format!("{:?}", from_file.files)
        );
    }

    #[test]
    fn a_folder_without_manifest_says_so() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            load(dir.path(), &Limits::default()).manifest,
            Err(ManifestError::NotFound(_))
        ));
    }

    #[test]
    fn json_manifest_is_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("bundle.json"),
            br#"{"format": "dossier.bundle/v1"}"#,
        )
        .unwrap();
        let bundle = load(dir.path(), &Limits::default());
        assert_eq!(
            bundle.manifest.unwrap().get("format").unwrap().as_str(),
            Some("dossier.bundle/v1")
        );
    }

    #[test]
    fn parse_errors_keep_their_line() {
        let (_dir, bundle) = bundle_with(b"format: x\nparties:\n  a: [\n");
        let error = bundle.manifest.unwrap_err();
        assert!(error.position().is_some_and(|p| p.line >= 3), "{error}");
    }

    #[test]
    fn gb18030_is_read_and_said() {
        let (text, _, _) = encoding_rs::GB18030.encode("format: x\nname: 张三\n");
        let (_dir, bundle) = bundle_with(&text);
        assert_eq!(bundle.legacy_encoding, Some("GB18030"));
        let root = bundle.manifest.unwrap();
        assert_eq!(root.get("name").unwrap().as_str(), Some("张三"));
        let (_dir, bundle) = bundle_with("name: 张三\n".as_bytes());
        assert_eq!(bundle.legacy_encoding, None);
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        // 0xFF is neither UTF-8 nor GB18030.
        let (_dir, bundle) = bundle_with(b"format: x\nname: \xff\xfe\n");
        assert!(matches!(
            bundle.manifest,
            Err(ManifestError::NotUtf8 { line: 2, .. })
        ));
    }

    #[test]
    fn oversized_manifest_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = std::fs::File::create(dir.path().join("bundle.yaml")).unwrap();
        file.set_len(2 * 1024 * 1024).unwrap();
        let bundle = load(dir.path(), &Limits::default());
        assert!(matches!(
            bundle.manifest,
            Err(ManifestError::TooLarge { .. })
        ));
    }

    /// A manifest in a folder of its own, outside any bundle.
    #[cfg(unix)]
    fn outside_manifest() -> (tempfile::TempDir, std::path::PathBuf) {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.yaml");
        std::fs::write(&secret, "format: dossier.bundle/v1\n").unwrap();
        (outside, secret)
    }

    #[cfg(unix)]
    #[test]
    fn manifest_linking_outside_is_refused() {
        let (_outside, secret) = outside_manifest();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("bundle.yaml")).unwrap();
        assert!(matches!(
            load(dir.path(), &Limits::default()).manifest,
            Err(ManifestError::Link { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn hard_linked_manifest_is_not_read() {
        let (_outside, secret) = outside_manifest();
        let dir = tempfile::tempdir().unwrap();
        std::fs::hard_link(&secret, dir.path().join("bundle.yaml")).unwrap();
        assert!(matches!(
            load(dir.path(), &Limits::default()).manifest,
            Err(ManifestError::HardLinked { links: 2, .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn fifo_manifest_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("bundle.yaml");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(
            load(dir.path(), &Limits::default()).manifest,
            Err(ManifestError::NotRegular { .. })
        ));
    }
}
