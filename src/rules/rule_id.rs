//! Rule ids: the stable names findings, waivers, rule tests and reports use.
//!
//! A rule set's own ids are unique within each operation and may not take
//! the id of a rule dossier applies itself ([`BUILT_IN`]): a waiver or a
//! rule test naming the id must mean one rule.

use std::fmt;
use std::sync::Arc;

use crate::engine::builtin::REGISTRY;

/// The id of a rule, as written in its rule file (`employee.age`).
// Shared, not copied: every finding of a rule carries its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(Arc<str>);

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl RuleId {
    /// An id as written; rule files and waivers are checked where they are read.
    pub fn new(id: impl Into<String>) -> RuleId {
        RuleId(Arc::from(id.into()))
    }

    /// The id as written in its rule file (`employee.age`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for RuleId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> RuleId {
        RuleId(Arc::from(id))
    }
}

impl From<String> for RuleId {
    fn from(id: String) -> RuleId {
        RuleId(Arc::from(id))
    }
}

impl From<&RuleId> for RuleId {
    fn from(id: &RuleId) -> RuleId {
        id.clone()
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> String {
        id.0.to_string()
    }
}

/// Every id dossier's own rules use; a rule file may not take one. Read
/// from the registry of built-in rules, so a rule added there is reserved
/// here too.
pub const BUILT_IN: [&str; REGISTRY.len()] = {
    let mut ids = [""; REGISTRY.len()];
    let mut index = 0;
    while index < ids.len() {
        ids[index] = REGISTRY[index].id;
        index += 1;
    }
    ids
};
