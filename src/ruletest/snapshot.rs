//! Report snapshots for rule tests (`dossier test --snapshot`): each case's
//! whole text report, in Chinese and in English, kept beside its test file
//! so a rule author sees every word a user will see change.
//!
//! Layout: `tests/<file>.yaml` keeps its cases' reports in
//! `tests/<file>.snapshots/<case>.zh.txt` and `<case>.en.txt`. One folder per
//! test file, because case names are unique within a file only and because
//! a folder whose test file is gone is then plainly obsolete; one plain-text
//! file per case and language, so a review of a rule change shows exactly
//! the reports it changes and nobody needs a tool to read them.
//!
//! A snapshot is the `--explain` text report (every finding, the values
//! judged, the rule's file and line) and depends on nothing but the rules
//! and the bundle: the bundle is named as the case names it, relative to the
//! test file; ID and phone numbers are masked; the judging date is the
//! case's; the rule set digest, which changes with every edit of any rule
//! file, is left out (the rule source lines show which file judged).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::case::{Case, TestFile};
use crate::lang::Lang;
use crate::render::{RenderOptions, text};
use crate::report::Report;

/// The languages every case is kept in.
pub const LANGUAGES: [Lang; 2] = [Lang::Zh, Lang::En];

/// What `dossier test` does with snapshots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SnapshotMode {
    /// Snapshots are neither read nor written.
    #[default]
    Off,
    /// Each case's reports must equal its kept snapshots.
    Compare,
    /// Write the reports as the new snapshots (after review) and remove
    /// obsolete ones.
    Update,
}

/// The folder holding a test file's snapshots: `<stem>.snapshots` beside it.
pub fn folder(file: &TestFile) -> PathBuf {
    let path = Path::new(&file.path);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.dir.join(format!("{stem}.snapshots"))
}

/// A case's name as a file name: letters, digits, `.`, `_` and `-` kept,
/// anything else a `-`, no leading dot, at most 120 bytes.
pub fn file_stem(case_name: &str) -> String {
    let mut stem = String::new();
    for c in case_name.chars() {
        let c = if c.is_alphanumeric() || "._-".contains(c) {
            c
        } else {
            '-'
        };
        if stem.len() + c.len_utf8() > 120 {
            break;
        }
        stem.push(c);
    }
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "case".to_string()
    } else {
        stem.to_string()
    }
}

/// The snapshot file of a case in one language.
pub fn path(folder: &Path, stem: &str, lang: Lang) -> PathBuf {
    folder.join(format!("{stem}.{}.txt", lang.code()))
}

/// Cases of one file whose names make the same file name, as an error to
/// show; `None` when every case has a snapshot of its own.
pub fn name_clash(file: &TestFile) -> Option<String> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for case in &file.cases {
        let stem = file_stem(&case.name);
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == stem) {
            return Some(format!(
                "{}: the cases `{first}` and `{}` would share the snapshot `{stem}`; give them names that differ in letters or digits",
                file.path, case.name
            ));
        }
        seen.push((stem, &case.name));
    }
    None
}

/// The text kept for a case: its report as `dossier check --explain` shows
/// it, with the bundle named as the case names it wherever the report
/// names it (title, places, messages quoting the manifest's path), so
/// `dossier test rules` and `cd rules && dossier test .` keep the same text.
pub fn render(report: &Report, file: &TestFile, case: &Case, lang: Lang) -> String {
    let mut report = report.clone();
    report.rules_digest = None;
    let options = RenderOptions {
        lang,
        explain: true,
        ..RenderOptions::default()
    };
    let judged = file.dir.join(&case.bundle).display().to_string();
    let mut out = text(&report, &options).replace(&judged, &shown_bundle(&case.bundle));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The bundle as the case names it; one named by an absolute path is shown
/// by its last name, so the snapshot reads the same on every machine.
fn shown_bundle(bundle: &Path) -> String {
    if bundle.is_absolute() {
        return bundle
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    slashed(bundle)
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// How a kept snapshot compares with the report now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    Same,
    Missing,
    /// A unified diff, kept (`-`) against now (`+`).
    Changed(String),
}

/// Compares `now` with the snapshot at `path`. Line endings a checkout may
/// have changed (`\r\n`) do not count.
pub fn compare(path: &Path, now: &str) -> std::io::Result<Comparison> {
    let kept = match std::fs::read_to_string(path) {
        Ok(kept) => kept.replace("\r\n", "\n"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Comparison::Missing);
        }
        Err(error) => return Err(error),
    };
    if kept == now {
        return Ok(Comparison::Same);
    }
    let diff = similar::TextDiff::from_lines(kept.as_str(), now)
        .unified_diff()
        .context_radius(2)
        .header("kept", "now")
        .to_string();
    Ok(Comparison::Changed(diff))
}

/// Writes `text` as the snapshot at `path`, creating its folder.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

/// Snapshot files no case keeps: in the folders of `files`, files not in
/// `expected`, and every file of a `<stem>.snapshots` folder whose test file
/// is gone. In path order.
pub fn obsolete(files: &[TestFile], expected: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let folders: BTreeSet<PathBuf> = files.iter().map(folder).collect();
    let dirs: BTreeSet<&Path> = files.iter().map(|f| f.dir.as_path()).collect();
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_snapshots = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".snapshots"));
            if !is_snapshots || !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let kept = folders.contains(&path);
            let Ok(inside) = std::fs::read_dir(&path) else {
                continue;
            };
            for snapshot in inside.flatten() {
                let snapshot = snapshot.path();
                if !kept || !expected.contains(&snapshot) {
                    out.push(snapshot);
                }
            }
        }
    }
    out.sort();
    out
}

/// A difference between a case's report and its kept snapshot: the case fails.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// No snapshot is kept at this path yet (`--update` writes it).
    Missing(PathBuf),
    /// The kept snapshot at `path` differs from the report now.
    Changed {
        /// The snapshot file.
        path: PathBuf,
        /// A unified diff, kept (`-`) against now (`+`).
        diff: String,
    },
}

/// What a run did with snapshots, beyond the cases' differences.
#[derive(Debug, Clone, Default)]
pub struct SnapshotLog {
    /// Whether the run compared, updated or left snapshots alone.
    pub mode: SnapshotMode,
    /// Snapshots written by `--update`, new or changed.
    pub written: Vec<PathBuf>,
    /// Snapshot files no case keeps (removed by `--update`).
    pub obsolete: Vec<PathBuf>,
    /// Snapshots that could not be read or written, and case names that
    /// clash: the run says nothing about those cases, so a setup error.
    pub errors: Vec<String>,
    /// Every snapshot a case of the run keeps.
    expected: BTreeSet<PathBuf>,
    /// Test files whose case names clash: not snapshotted.
    clashing: BTreeSet<String>,
}

impl SnapshotLog {
    /// An empty log for a run in `mode`.
    pub(crate) fn new(mode: SnapshotMode) -> SnapshotLog {
        SnapshotLog {
            mode,
            ..SnapshotLog::default()
        }
    }

    /// Before a file's cases: whether its cases have one snapshot each.
    pub(crate) fn start_file(&mut self, file: &TestFile) {
        if self.mode == SnapshotMode::Off {
            return;
        }
        let folder = folder(file);
        if let Some(clash) = name_clash(file) {
            self.errors.push(clash);
            self.clashing.insert(file.path.clone());
        }
        for case in &file.cases {
            let stem = file_stem(&case.name);
            self.expected
                .extend(LANGUAGES.map(|lang| path(&folder, &stem, lang)));
        }
    }

    /// Compares (or, updating, writes) a judged case's snapshots.
    pub(crate) fn case(
        &mut self,
        report: &Report,
        file: &TestFile,
        case: &Case,
    ) -> Vec<Difference> {
        if self.mode == SnapshotMode::Off || self.clashing.contains(&file.path) {
            return Vec::new();
        }
        let folder = folder(file);
        let stem = file_stem(&case.name);
        let mut differences = Vec::new();
        for lang in LANGUAGES {
            let path = path(&folder, &stem, lang);
            let now = render(report, file, case, lang);
            let comparison = match compare(&path, &now) {
                Ok(comparison) => comparison,
                Err(error) => {
                    let shown = path.display();
                    self.errors.push(format!("cannot read {shown}: {error}"));
                    continue;
                }
            };
            match (comparison, self.mode) {
                (Comparison::Same, _) => {}
                (_, SnapshotMode::Update) => match write(&path, &now) {
                    Ok(()) => self.written.push(path),
                    Err(error) => {
                        let shown = path.display();
                        self.errors.push(format!("cannot write {shown}: {error}"));
                    }
                },
                (Comparison::Missing, _) => differences.push(Difference::Missing(path)),
                (Comparison::Changed(diff), _) => {
                    differences.push(Difference::Changed { path, diff });
                }
            }
        }
        differences
    }

    /// After every file: finds the snapshots no case keeps, and removes
    /// them when updating.
    pub(crate) fn finish(&mut self, files: &[TestFile]) {
        if self.mode == SnapshotMode::Off {
            return;
        }
        self.obsolete = obsolete(files, &self.expected);
        if self.mode != SnapshotMode::Update {
            return;
        }
        for path in &self.obsolete {
            if let Err(error) = std::fs::remove_file(path) {
                let shown = path.display();
                self.errors.push(format!("cannot remove {shown}: {error}"));
            }
        }
        // The folder of a test file that is gone, now empty (a folder
        // with anything left in it stays).
        let parents: BTreeSet<&Path> = self.obsolete.iter().filter_map(|p| p.parent()).collect();
        for parent in parents {
            let _ = std::fs::remove_dir(parent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_become_file_names() {
        assert_eq!(file_stem("fail-employee.age"), "fail-employee.age");
        assert_eq!(file_stem("too young / 15"), "too-young---15");
        assert_eq!(file_stem("员工未满16岁"), "员工未满16岁");
        assert_eq!(file_stem("../etc"), "-etc");
        assert_eq!(file_stem(".."), "case");
        assert!(file_stem(&"长".repeat(100)).len() <= 120);
    }

    #[test]
    fn a_change_is_a_unified_diff() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.en.txt");
        assert_eq!(compare(&path, "x\n").unwrap(), Comparison::Missing);
        write(&path, "one\ntwo\nthree\n").unwrap();
        assert_eq!(
            compare(&path, "one\ntwo\nthree\n").unwrap(),
            Comparison::Same
        );
        std::fs::write(&path, "one\r\ntwo\r\nthree\r\n").unwrap();
        assert_eq!(
            compare(&path, "one\ntwo\nthree\n").unwrap(),
            Comparison::Same
        );
        let Comparison::Changed(diff) = compare(&path, "one\n2\nthree\n").unwrap() else {
            panic!("a change must be a diff");
        };
        assert_eq!(
            diff,
            "--- kept\n+++ now\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n"
        );
    }
}
