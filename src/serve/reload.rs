//! The rule set the service judges with, and replacing it on SIGHUP.
//!
//! A reload loads and checks the new set completely before it replaces the
//! old one; a set that does not load is logged and the old one keeps
//! serving. Requests already running finish with the set they started with.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use dossier::diagnostic::render_load_errors;
use dossier::rules::RuleSet;

/// A loaded rule set and what identifies it.
pub struct LoadedRules {
    pub rules: RuleSet,
    /// `sha256:` and the rule set's digest, so replicas can tell they judge alike.
    pub content_hash: String,
    /// When it was loaded (RFC 3339, UTC).
    pub loaded_at: String,
}

/// Loads and checks the rule set in `dir` (the embedded one without it);
/// the error is the load diagnostics as `rules lint` prints them.
pub fn load(dir: Option<&Path>) -> Result<LoadedRules, String> {
    let loaded = match dir {
        Some(dir) => RuleSet::from_dir(dir),
        None => RuleSet::embedded(),
    };
    match loaded {
        Ok(rules) => Ok(LoadedRules {
            content_hash: format!("sha256:{}", rules.digest),
            rules,
            loaded_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }),
        Err(errors) => {
            let origin = dir.map_or("rules".to_string(), |d| d.display().to_string());
            Err(render_load_errors(
                &errors,
                &origin,
                &RuleSet::files(dir),
                false,
            ))
        }
    }
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

    #[test]
    fn embedded_set_loads_and_a_missing_folder_does_not() {
        let loaded = load(None).expect("the embedded rule set loads");
        assert!(!loaded.rules.operations.is_empty());
        assert_eq!(loaded.content_hash.len(), "sha256:".len() + 64);
        let error = load(Some(Path::new("/nonexistent/rules")))
            .err()
            .expect("a missing folder does not load");
        assert!(!error.is_empty());
    }
}
