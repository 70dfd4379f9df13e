//! Where rule files come from: the set embedded in the binary, or a folder.

use std::path::Path;

use include_dir::{Dir, include_dir};

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use crate::limits::Limits;

/// The folders of the shipped set that judging needs. `rules/tests/` (rule
/// tests and their report snapshots, run from a checkout by `dossier test`)
/// stays out of the binary.
static EMBEDDED: [(&str, Dir<'static>); 3] = [
    (
        "calendar",
        include_dir!("$CARGO_MANIFEST_DIR/rules/calendar"),
    ),
    ("lib", include_dir!("$CARGO_MANIFEST_DIR/rules/lib")),
    (
        "operations",
        include_dir!("$CARGO_MANIFEST_DIR/rules/operations"),
    ),
];
const CATALOG: &str = include_str!("../../rules/catalog.yaml");

/// One file of a rule set, named by its path relative to the set's root with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFile {
    /// The path relative to the rule set's root, with `/` on every system
    /// (`operations/douyin.employee_account.open.yaml`): how load errors
    /// and `imports:` name the file.
    pub path: String,
    /// The file's whole text (UTF-8).
    pub text: String,
}

impl RuleFile {
    /// Whether the file defines an operation (a YAML file under
    /// `operations/`).
    pub fn is_operation(&self) -> bool {
        self.path.starts_with("operations/")
            && (self.path.ends_with(".yaml") || self.path.ends_with(".yml"))
    }
}

fn wanted(path: &str) -> bool {
    [".yaml", ".yml", ".rhai"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The shipped rule set, compiled into the binary so dossier works from any folder.
pub fn embedded_files() -> Vec<RuleFile> {
    let mut files = vec![RuleFile {
        path: "catalog.yaml".to_string(),
        text: CATALOG.to_string(),
    }];
    for (folder, dir) in &EMBEDDED {
        collect_embedded(folder, dir, &mut files);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn collect_embedded(folder: &str, dir: &Dir<'static>, files: &mut Vec<RuleFile>) {
    for file in dir.files() {
        let path = format!(
            "{folder}/{}",
            file.path().to_string_lossy().replace('\\', "/")
        );
        if let (true, Some(text)) = (wanted(&path), file.contents_utf8()) {
            files.push(RuleFile {
                path,
                text: text.to_string(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(folder, sub, files);
    }
}

/// Every rule file below `root`, in path order.
pub fn read_dir(root: &Path, limits: &Limits) -> Result<Vec<RuleFile>, LoadErrors> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    let shown = root.display().to_string();
    if !root.is_dir() {
        let kind = LoadErrorKind::Io("not a folder".to_string());
        return Err(LoadErrors(vec![LoadError::new(&shown, None, kind)]));
    }
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => {
                errors.push(LoadError::new(
                    &dir.display().to_string(),
                    None,
                    LoadErrorKind::Io(error.to_string()),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            if !kind.is_file() || !wanted(&relative) {
                continue;
            }
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            if size > limits.rule_file_bytes {
                let message = format!(
                    "larger than the {} bytes a rule file may have",
                    limits.rule_file_bytes
                );
                errors.push(LoadError::new(&relative, None, LoadErrorKind::Io(message)));
                continue;
            }
            match read_rule_file(&path, relative, limits) {
                Ok(file) => files.push(file),
                Err(error) => errors.push(error),
            }
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// One rule-set file's text, named `relative` (as messages show it); a
/// file that cannot be read, or is not a regular file, is a load error.
pub(crate) fn read_rule_file(
    path: &Path,
    relative: String,
    limits: &Limits,
) -> Result<RuleFile, LoadError> {
    match crate::safe_read::read_regular_text(path, limits.rule_file_bytes) {
        Ok(text) => Ok(RuleFile {
            path: relative,
            text,
        }),
        Err(error) => Err(LoadError::new(
            &relative,
            None,
            LoadErrorKind::Io(error.to_string()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule file of the shipped folder is in the binary, except the
    /// rule tests: a folder added to `rules/` cannot be left out unnoticed.
    #[test]
    fn the_binary_holds_the_shipped_set_but_its_tests() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let on_disk: Vec<RuleFile> = read_dir(&root, &Limits::default())
            .unwrap()
            .into_iter()
            .filter(|f| !f.path.starts_with("tests/"))
            .collect();
        assert_eq!(embedded_files(), on_disk);
        assert!(on_disk.iter().any(|f| f.path == "catalog.yaml"));
        assert!(on_disk.iter().any(|f| f.is_operation()));
    }
}
