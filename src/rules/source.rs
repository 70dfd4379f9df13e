//! Where rule files come from: the set embedded in the binary, or a folder.

use std::path::Path;

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use crate::limits::Limits;
use crate::yaml::{self, Node, ParseError, ParseLimits};

/// One file of the shipped set, as the build script embedded it.
struct EmbeddedFile {
    /// The path relative to the set's root, with `/`.
    path: &'static str,
    text: &'static str,
    /// The file's YAML tree, packed (`yaml::packed`); `None` for a script,
    /// or a file whose YAML the build could not read (its text is parsed at
    /// run time, and its error explained as any rule file's).
    tree: Option<&'static [u8]>,
}

/// The shipped set, in path order: `catalog.yaml` and the folders that
/// judging needs (`build.rs` names them). `rules/tests/` (rule tests and
/// their report snapshots, run from a checkout by `dossier rules test`)
/// stays out of the binary.
static EMBEDDED: &[EmbeddedFile] = &include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The shipped set's digest (`versions::digest` of [`embedded_texts`]),
/// computed by the build script.
pub(crate) const EMBEDDED_DIGEST: &str =
    include_str!(concat!(env!("OUT_DIR"), "/embedded_digest.txt"));

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
        is_operation(&self.path)
    }
}

/// Whether a rule file's path is an operation's (a YAML file under `operations/`).
pub(crate) fn is_operation(path: &str) -> bool {
    path.starts_with("operations/") && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

fn wanted(path: &str) -> bool {
    [".yaml", ".yml", ".rhai"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The shipped rule set, compiled into the binary so dossier works from any folder.
pub fn embedded_files() -> Vec<RuleFile> {
    embedded_files_where(|_| true)
}

/// The files of the shipped set whose path `keep` accepts, in path order.
pub(crate) fn embedded_files_where(keep: impl Fn(&str) -> bool) -> Vec<RuleFile> {
    EMBEDDED
        .iter()
        .filter(|file| keep(file.path))
        .map(|file| RuleFile {
            path: file.path.to_string(),
            text: file.text.to_string(),
        })
        .collect()
}

/// Each shipped file's path and text, in path order, without a copy.
#[cfg(test)]
pub(crate) fn embedded_texts() -> impl Iterator<Item = (&'static str, &'static str)> {
    EMBEDDED.iter().map(|file| (file.path, file.text))
}

/// The YAML tree of a rule file. A file of the shipped set exactly as
/// embedded (same path, same text) has its tree packed in the binary: it is
/// unpacked under the same limits, which gives what parsing its text would
/// (a test holds every shipped file to that). Any other file, or a packed
/// tree that is refused, is parsed from its text.
pub(crate) fn parse_rule_file(file: &RuleFile, limits: ParseLimits) -> Result<Node, ParseError> {
    let packed = EMBEDDED
        .binary_search_by(|embedded| embedded.path.cmp(&file.path))
        .ok()
        .map(|index| &EMBEDDED[index])
        .filter(|embedded| embedded.text == file.text)
        .and_then(|embedded| embedded.tree);
    match packed.map(|bytes| yaml::packed::unpack(bytes, limits)) {
        Some(Ok(root)) => Ok(root),
        _ => yaml::parse(&file.text, limits),
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

    /// Every shipped YAML file has its tree packed, and it is exactly the
    /// tree its text parses to, positions and scalar styles included.
    #[test]
    fn each_packed_tree_is_the_parse_of_its_text() {
        let limits = Limits::default().rule_file_parse();
        let yaml_files = EMBEDDED.iter().filter(|f| !f.path.ends_with(".rhai"));
        for file in yaml_files {
            let packed = file
                .tree
                .unwrap_or_else(|| panic!("{}: no packed tree", file.path));
            let parsed = yaml::parse(file.text, limits).expect("the shipped rules parse");
            assert_eq!(
                yaml::packed::unpack(packed, limits),
                Ok(parsed),
                "{}",
                file.path
            );
        }
        assert!(EMBEDDED.windows(2).all(|pair| pair[0].path < pair[1].path));
    }

    /// A packed tree is used only for the text it was made from, and one
    /// refused (here: under a tighter limit) leaves the text to the parser,
    /// which gives its own error.
    #[test]
    fn a_rule_file_is_parsed_when_no_packed_tree_fits() {
        let limits = Limits::default().rule_file_parse();
        let catalog = embedded_files_where(|path| path == "catalog.yaml").remove(0);
        assert_eq!(
            parse_rule_file(&catalog, limits),
            yaml::parse(&catalog.text, limits)
        );
        let edited = RuleFile {
            text: format!("{}\nadded_by_the_test: 1\n", catalog.text),
            ..catalog.clone()
        };
        let edited_tree = parse_rule_file(&edited, limits).unwrap();
        assert_eq!(Ok(&edited_tree), yaml::parse(&edited.text, limits).as_ref());
        assert!(edited_tree.get("added_by_the_test").is_some());
        let tight = ParseLimits { depth: 1, ..limits };
        assert_eq!(
            parse_rule_file(&catalog, tight),
            yaml::parse(&catalog.text, tight)
        );
        assert!(parse_rule_file(&catalog, tight).is_err());
    }
}
