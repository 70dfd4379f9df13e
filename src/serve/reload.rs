//! The rule set the service judges with, and replacing it on SIGHUP.
//!
//! A reload loads and checks the new set completely before it replaces the
//! old one; a set that does not load is logged and the old one keeps
//! serving. Requests already running finish with the set they started with.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use dossier::diagnostic::render_load_errors;
use dossier::limits::Limits;
use dossier::rules::{RuleFile, RuleSet};
use sha2::{Digest, Sha256};

/// A loaded rule set and what identifies it.
pub struct LoadedRules {
    pub rules: RuleSet,
    /// `sha256:` of the rule files, so two replicas can tell they judge alike.
    pub content_hash: String,
    /// When it was loaded (RFC 3339, UTC).
    pub loaded_at: String,
}

/// Loads and checks the rule set in `dir` (the embedded one without it);
/// the error is the load diagnostics as `rules lint` prints them.
pub fn load(dir: Option<&Path>) -> Result<LoadedRules, String> {
    let files = RuleSet::files(dir);
    let origin = dir.map_or("embedded".to_string(), |d| d.display().to_string());
    // Unreadable files are left out of `files`; loading from the folder
    // itself then names them.
    let loaded = match (files.is_empty(), dir) {
        (true, Some(dir)) => RuleSet::from_dir(dir),
        _ => RuleSet::from_files(&origin, files.clone(), Limits::default()),
    };
    match loaded {
        Ok(rules) => Ok(LoadedRules {
            rules,
            content_hash: content_hash(&files),
            loaded_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }),
        Err(errors) => Err(render_load_errors(&errors, &origin, &files, false)),
    }
}

/// The digest of a rule set's files, in path order.
// TODO(langrules): delete once RuleSet carries its own content hash.
fn content_hash(files: &[RuleFile]) -> String {
    let mut sorted: Vec<&RuleFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = Sha256::new();
    for file in sorted {
        // Lengths first, so no two different sets of files hash alike.
        hasher.update((file.path.len() as u64).to_le_bytes());
        hasher.update(file.path.as_bytes());
        hasher.update((file.text.len() as u64).to_le_bytes());
        hasher.update(file.text.as_bytes());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The rule set in use; swapped whole on reload.
pub struct RuleSlot {
    dir: Option<PathBuf>,
    current: RwLock<Arc<LoadedRules>>,
}

impl RuleSlot {
    pub fn new(dir: Option<PathBuf>, loaded: LoadedRules) -> RuleSlot {
        RuleSlot {
            dir,
            current: RwLock::new(Arc::new(loaded)),
        }
    }

    /// The set a request judges with, for the whole request.
    pub fn current(&self) -> Arc<LoadedRules> {
        // A poisoned lock still holds a whole rule set: the swap is one store.
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Loads the set again from where it came from and, if it loads,
    /// puts it in use. Blocking: run it off the async workers.
    pub fn reload(&self) -> Result<Arc<LoadedRules>, String> {
        let loaded = Arc::new(load(self.dir.as_deref())?);
        match self.current.write() {
            Ok(mut guard) => *guard = loaded.clone(),
            Err(poisoned) => *poisoned.into_inner() = loaded.clone(),
        }
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> RuleFile {
        RuleFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn hash_follows_content_not_order() {
        let a = [file("a.yaml", "x"), file("b.yaml", "y")];
        let b = [file("b.yaml", "y"), file("a.yaml", "x")];
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash(&[file("a.yaml", "xy")]));
        // Moving a byte between path and text changes the hash.
        assert_ne!(
            content_hash(&[file("ab", "c")]),
            content_hash(&[file("a", "bc")])
        );
        assert!(content_hash(&a).starts_with("sha256:"));
    }

    #[test]
    fn embedded_set_loads_and_a_missing_folder_does_not() {
        let loaded = load(None).expect("the embedded rule set loads");
        assert!(!loaded.rules.operations.is_empty());
        let error = load(Some(Path::new("/nonexistent/rules")))
            .err()
            .expect("a missing folder does not load");
        assert!(!error.is_empty());
    }
}
