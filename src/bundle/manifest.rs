//! Locating and reading a bundle's manifest within the limits.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

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
}

/// One bundle as found on disk, its manifest read and parsed (or why not).
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The bundle as the user named it.
    pub name: String,
    /// Where its attachments are reached: a folder, or files in memory.
    pub files: Files,
    /// The manifest as shown in reports (inside an archive: `archive/inner/path`).
    pub manifest_path: Option<PathBuf>,
    /// The parsed manifest, or why it could not be read.
    pub manifest: Result<Node, ManifestError>,
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
            files: Files::folder(path),
            manifest_path: None,
            manifest: Err(error),
        },
        Ok((dir, manifest_path)) => {
            let manifest = read_manifest(&dir, &manifest_path, limits);
            Bundle {
                name,
                files: Files::folder(&dir),
                manifest_path: Some(manifest_path),
                manifest,
            }
        }
    }
}

fn read_manifest(dir: &Path, path: &Path, limits: &Limits) -> Result<Node, ManifestError> {
    let shown = path.display().to_string();
    let io = |error: std::io::Error| ManifestError::Io {
        path: shown.clone(),
        message: error.to_string(),
    };
    // A manifest that is a link must still lead to a file inside the bundle.
    let real = path.canonicalize().map_err(io)?;
    let real_dir = dir.canonicalize().map_err(io)?;
    if !real.starts_with(&real_dir) {
        return Err(ManifestError::Io {
            path: shown,
            message: "the manifest links to a file outside the bundle folder".into(),
        });
    }
    let metadata = real.metadata().map_err(io)?;
    if !metadata.is_file() {
        return Err(ManifestError::NotRegular { path: shown });
    }
    if metadata.len() > limits.manifest_bytes {
        return Err(ManifestError::TooLarge {
            path: shown,
            size: metadata.len(),
            limit: limits.manifest_bytes,
        });
    }
    // Opened without following a final link and without blocking, and judged
    // again by its handle: a FIFO swapped in after the checks above must not
    // hang the batch.
    let file = crate::safe_read::open_regular(&real).map_err(|error| match error.kind() {
        std::io::ErrorKind::InvalidInput => ManifestError::NotRegular {
            path: shown.clone(),
        },
        _ => io(error),
    })?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limits.manifest_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    parse_manifest(&shown, bytes, limits)
}

/// Decodes and parses manifest bytes already read (`shown` names them in
/// errors). The file-free half of [`load`]: fuzzing and callers that hold a
/// manifest in memory use it, with the same limits.
pub fn parse_manifest(shown: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Node, ManifestError> {
    if bytes.len() as u64 > limits.manifest_bytes {
        return Err(ManifestError::TooLarge {
            path: shown.to_string(),
            size: bytes.len() as u64,
            limit: limits.manifest_bytes,
        });
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let line = error.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ManifestError::NotUtf8 {
            path: shown.to_string(),
            line,
            offset,
        }
    })?;
    yaml::parse(&text, limits.manifest_parse()).map_err(|error| ManifestError::Yaml {
        path: shown.to_string(),
        error,
        text: text.as_str().into(),
    })
}

impl Bundle {
    /// A bundle whose manifest is given as bytes; attachments are looked up in `dir`.
    pub fn from_bytes(name: &str, dir: &Path, bytes: Vec<u8>, limits: &Limits) -> Bundle {
        Bundle {
            name: name.to_string(),
            files: Files::folder(dir),
            manifest_path: None,
            manifest: parse_manifest(name, bytes, limits),
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
    fn invalid_utf8_names_the_line() {
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

    #[cfg(unix)]
    #[test]
    fn manifest_linking_outside_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(
            outside.path().join("secret.yaml"),
            "format: dossier.bundle/v1\n",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.yaml"),
            dir.path().join("bundle.yaml"),
        )
        .unwrap();
        assert!(matches!(
            load(dir.path(), &Limits::default()).manifest,
            Err(ManifestError::Io { .. })
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
