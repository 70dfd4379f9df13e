//! The files of an archive or an upload, held in memory under names judged
//! on the way in, and where in them the manifest is.
//!
//! A name is refused, for the whole bundle, when it is absolute, leads out
//! with `..`, holds a backslash, NUL or control character, or collides with
//! another name once both are normalised (Unicode NFC, `.` and empty parts
//! dropped, letter case ignored: what would overwrite each other when
//! unpacked on Windows or macOS), or when a name is both a file and a folder.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path};

use unicode_normalization::UnicodeNormalization;

use super::SourceProblem;
use crate::bundle::{AttachmentProblem, MANIFEST_NAMES, Opened};
use crate::limits::Limits;

/// Folders some archivers add beside the bundle (macOS resource forks):
/// not part of it, and never a reason to miss a manifest one level down.
const IGNORED_TOP_FOLDERS: [&str; 1] = ["__MACOSX"];

/// Collects named files, refusing the first name that cannot be trusted.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    files: BTreeMap<String, Vec<u8>>,
    folders: BTreeSet<String>,
    /// Collision key (normalised, lower case) → the name that took it first.
    taken: HashMap<String, String>,
}

/// Files whose manifest has been looked for.
#[derive(Debug)]
pub(crate) struct Located {
    files: BTreeMap<String, Vec<u8>>,
    folders: BTreeSet<String>,
    /// `""` when the manifest is at the root, else `"folder/"`.
    root: String,
    /// The manifest's name (with `root`), when there is one.
    manifest: Option<String>,
}

impl Entries {
    /// Judges and keys every file of an upload.
    pub(crate) fn from_files(files: BTreeMap<String, Vec<u8>>) -> Result<Located, SourceProblem> {
        let mut entries = Entries::default();
        for (name, bytes) in files {
            entries.add_file(&name, bytes)?;
        }
        entries.locate()
    }

    /// Adds a file under `raw`, as written in the archive or upload.
    pub(crate) fn add_file(&mut self, raw: &str, bytes: Vec<u8>) -> Result<(), SourceProblem> {
        let name = normalise(raw)?;
        if name.is_empty() {
            return Err(SourceProblem::BadName {
                name: raw.to_string(),
                what: "empty",
            });
        }
        self.take(raw, &name)?;
        self.files.insert(name, bytes);
        Ok(())
    }

    /// Records a folder entry (it may also be implied by the files in it).
    pub(crate) fn add_folder(&mut self, raw: &str) -> Result<(), SourceProblem> {
        let name = normalise(raw)?;
        if !name.is_empty() {
            self.folders.insert(name);
        }
        Ok(())
    }

    fn take(&mut self, raw: &str, name: &str) -> Result<(), SourceProblem> {
        let key = name.to_lowercase();
        if let Some(first) = self.taken.insert(key, raw.to_string()) {
            return Err(SourceProblem::Collision {
                first,
                second: raw.to_string(),
            });
        }
        Ok(())
    }

    /// Checks that no name is both a file and a folder, then finds the
    /// manifest: at the root, else inside the one top-level folder.
    pub(crate) fn locate(mut self) -> Result<Located, SourceProblem> {
        let file_keys: HashMap<String, &str> = self
            .files
            .keys()
            .map(|name| (name.to_lowercase(), name.as_str()))
            .collect();
        let implied: Vec<String> = self.files.keys().flat_map(|n| parents(n)).collect();
        for folder in self.folders.iter().chain(&implied) {
            if let Some(file) = file_keys.get(&folder.to_lowercase()) {
                return Err(SourceProblem::Collision {
                    first: (*file).to_string(),
                    second: format!("{folder}/"),
                });
            }
        }
        self.folders.extend(implied);
        let root = self.root();
        let manifest = MANIFEST_NAMES
            .iter()
            .map(|name| format!("{root}{name}"))
            .find(|name| self.files.contains_key(name));
        Ok(Located {
            files: self.files,
            folders: self.folders,
            root,
            manifest,
        })
    }

    /// `""` when a manifest is at the root or there is no single top-level
    /// folder; else that folder with its slash.
    fn root(&self) -> String {
        if MANIFEST_NAMES.iter().any(|n| self.files.contains_key(*n)) {
            return String::new();
        }
        let mut tops = self
            .files
            .keys()
            .map(|name| {
                name.split_once('/')
                    .map_or(("", name.as_str()), |(t, r)| (t, r))
            })
            .filter(|(top, _)| !IGNORED_TOP_FOLDERS.contains(top));
        let Some((first, _)) = tops.next() else {
            return String::new();
        };
        match !first.is_empty() && tops.all(|(top, _)| top == first) {
            true => format!("{first}/"),
            false => String::new(),
        }
    }
}

impl Located {
    /// The manifest's name (from the archive's root) and bytes, when found.
    pub(crate) fn manifest(&self) -> Option<(&str, &[u8])> {
        let name = self.manifest.as_deref()?;
        Some((name, self.files.get(name)?))
    }

    /// The names of the files in the folder of `reference` (below the
    /// manifest's folder), at most a thousand.
    pub(crate) fn names_beside(&self, reference: &str) -> Vec<String> {
        let folder = match reference.rsplit_once('/') {
            Some((parent, _)) => format!("{}{parent}/", self.root),
            None => self.root.clone(),
        };
        self.files
            .keys()
            .filter_map(|key| key.strip_prefix(&folder))
            .filter(|name| !name.contains('/'))
            .take(1000)
            .map(str::to_string)
            .collect()
    }

    /// The attachment `relative` names, below the manifest's folder.
    pub(crate) fn open(&self, relative: &Path) -> Result<Opened<'_>, AttachmentProblem> {
        let mut name = self.root.clone();
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(nfc(&part.to_string_lossy())),
                _ => None,
            })
            .collect();
        name.push_str(&parts.join("/"));
        match self.files.get(&name) {
            Some(bytes) => Ok(Opened::Bytes(bytes)),
            None if self.folders.contains(&name) => Err(AttachmentProblem::NotRegular("directory")),
            None => Err(AttachmentProblem::Missing),
        }
    }
}

/// Every folder that holds `name`: `a/b/c` → `a`, `a/b`.
fn parents(name: &str) -> impl Iterator<Item = String> + '_ {
    name.match_indices('/')
        .map(|(at, _)| name[..at].to_string())
}

/// A name as a relative path of `/`-separated parts in Unicode NFC, or why
/// it cannot be trusted. A trailing `/` (a folder entry) is dropped.
pub(crate) fn normalise(raw: &str) -> Result<String, SourceProblem> {
    let bad = |what| SourceProblem::BadName {
        name: raw.to_string(),
        what,
    };
    if raw.contains('\0') {
        return Err(bad("NUL"));
    }
    if raw.chars().any(|c| c.is_control()) {
        return Err(bad("control character"));
    }
    if raw.contains('\\') {
        return Err(SourceProblem::Backslash(raw.to_string()));
    }
    if raw.starts_with('/') || is_drive(raw) {
        return Err(SourceProblem::Absolute(raw.to_string()));
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(SourceProblem::Escapes(raw.to_string())),
            part => parts.push(nfc(part)),
        }
    }
    Ok(parts.join("/"))
}

/// `part` in Unicode NFC. ASCII text is its own NFC, and nearly every
/// name is ASCII: it is copied without running the composition.
fn nfc(part: &str) -> String {
    match part.is_ascii() {
        true => part.to_string(),
        false => part.nfc().collect(),
    }
}

/// An archive entry's name as text: UTF-8 when it is, else GBK (zips
/// written by Chinese-locale Windows carry GBK without the UTF-8 flag),
/// else refused.
pub(crate) fn decode_name(raw: &[u8], limits: &Limits) -> Result<String, SourceProblem> {
    let shown = || String::from_utf8_lossy(raw).into_owned();
    if raw.len() > limits.archive_name_bytes {
        return Err(SourceProblem::BadName {
            name: shown().chars().take(64).collect::<String>() + "…",
            what: "too long",
        });
    }
    if let Ok(name) = std::str::from_utf8(raw) {
        return Ok(name.to_string());
    }
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(raw)
        .map(|name| name.into_owned())
        .ok_or_else(|| SourceProblem::BadName {
            name: shown(),
            what: "unknown encoding",
        })
}

/// `C:` and the like: absolute on Windows.
fn is_drive(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> BTreeMap<String, Vec<u8>> {
        names
            .iter()
            .map(|n| (n.to_string(), b"x".to_vec()))
            .collect()
    }

    #[test]
    fn names_that_leave_or_hide_are_refused() {
        assert!(matches!(
            normalise("/etc/passwd"),
            Err(SourceProblem::Absolute(_))
        ));
        assert!(matches!(normalise("C:/x"), Err(SourceProblem::Absolute(_))));
        assert!(matches!(
            normalise("a/../../x"),
            Err(SourceProblem::Escapes(_))
        ));
        assert!(matches!(
            normalise("files\\a.pdf"),
            Err(SourceProblem::Backslash(_))
        ));
        assert!(matches!(
            normalise("a\u{1b}[2J"),
            Err(SourceProblem::BadName { .. })
        ));
        assert_eq!(normalise("./a//b/").unwrap(), "a/b");
        // NFD é becomes NFC é.
        assert_eq!(normalise("caf\u{65}\u{301}").unwrap(), "caf\u{e9}");
    }

    #[test]
    fn names_colliding_after_normalisation_are_refused() {
        for pair in [
            ["files/a.pdf", "files//a.pdf"],
            ["files/a.pdf", "./files/a.pdf"],
            ["files/A.pdf", "files/a.pdf"],
            ["caf\u{e9}.pdf", "caf\u{65}\u{301}.pdf"],
            ["files", "files/a.pdf"],
        ] {
            let result = Entries::from_files(files(&pair));
            assert!(
                matches!(result, Err(SourceProblem::Collision { .. })),
                "{pair:?}: {result:?}"
            );
        }
    }

    #[test]
    fn the_manifest_is_found_at_the_root_or_in_one_top_folder() {
        let root = Entries::from_files(files(&["bundle.yaml", "files/a.pdf"])).unwrap();
        assert_eq!(root.manifest().unwrap().0, "bundle.yaml");
        let nested = Entries::from_files(files(&[
            "acme/bundle.yaml",
            "acme/files/a.pdf",
            "__MACOSX/acme/._bundle.yaml",
        ]))
        .unwrap();
        assert_eq!(nested.manifest().unwrap().0, "acme/bundle.yaml");
        assert!(matches!(
            nested.open(Path::new("files/a.pdf")),
            Ok(Opened::Bytes(b"x"))
        ));
        assert_eq!(
            nested.open(Path::new("files")).unwrap_err(),
            AttachmentProblem::NotRegular("directory")
        );
        assert_eq!(
            nested.open(Path::new("files/b.pdf")).unwrap_err(),
            AttachmentProblem::Missing
        );
        let two_tops = Entries::from_files(files(&["a/bundle.yaml", "b/bundle.yaml"])).unwrap();
        assert!(two_tops.manifest().is_none());
    }
}
