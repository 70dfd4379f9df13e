//! Rule ids: the stable names findings, waivers, rule tests and reports use.
//!
//! A rule set's own ids are unique within each operation and may not take
//! the id of a rule dossier applies itself ([`BUILT_IN`]): a waiver or a
//! rule test naming the id must mean one rule.

use std::fmt;

/// The id of a rule, as written in its rule file (`employee.age`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct RuleId(String);

impl RuleId {
    pub fn new(id: impl Into<String>) -> RuleId {
        RuleId(id.into())
    }

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
        self.0 == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> String {
        id.0
    }
}

/// Ids of the rules the engine applies to every operation (douyin-rules.md, "Every operation").
pub mod rule_ids {
    pub const READABLE: &str = "bundle.readable";
    pub const SUBMITTED_ON: &str = "bundle.submitted_on";
    pub const KEYS: &str = "bundle.keys";
    pub const PARTY_ROLE: &str = "party.role";
    pub const DOCUMENT_TYPE: &str = "document.type";
    pub const DOCUMENT_HOLDER: &str = "document.holder";
    pub const DOCUMENT_FILE: &str = "document.file";
    pub const DOCUMENT_DUPLICATE: &str = "document.duplicate";
    pub const FIELD_TYPE: &str = "field.type";
    pub const FIELD_KNOWN: &str = "field.known";
    /// dossier itself failed on this bundle (a bug): never a pass.
    pub const INTERNAL: &str = "dossier.internal";
    /// A reviewer's waiver past its expiry.
    pub const WAIVER_EXPIRED: &str = "waiver.expired";
    /// A waiver that matched nothing.
    pub const WAIVER_UNUSED: &str = "waiver.unused";
}

/// Every id dossier's own rules use; a rule file may not take one.
pub const BUILT_IN: [&str; 13] = [
    rule_ids::READABLE,
    rule_ids::SUBMITTED_ON,
    rule_ids::KEYS,
    rule_ids::PARTY_ROLE,
    rule_ids::DOCUMENT_TYPE,
    rule_ids::DOCUMENT_HOLDER,
    rule_ids::DOCUMENT_FILE,
    rule_ids::DOCUMENT_DUPLICATE,
    rule_ids::FIELD_TYPE,
    rule_ids::FIELD_KNOWN,
    rule_ids::INTERNAL,
    rule_ids::WAIVER_EXPIRED,
    rule_ids::WAIVER_UNUSED,
];
