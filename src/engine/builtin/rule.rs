//! What a built-in rule is, as users read about it, and the bases its
//! documentation cites. Every rule module stands on this one.

use crate::report::{Finding, Message, Severity, Status};

/// Text in both report languages, fixed in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The Chinese text.
    pub zh: &'static str,
    /// The English text.
    pub en: &'static str,
}

/// One built-in rule as users read about it: the reference page is
/// generated from these fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinRule {
    /// The id its findings carry, and waivers and rule tests name.
    pub id: &'static str,
    /// The severities its failures take, the worst first.
    pub severities: &'static [Severity],
    /// What the rule asks for, in a line.
    pub title: Words,
    /// What it checks.
    pub checks: Words,
    /// Why it matters.
    pub why: Words,
    /// How to fix a failure.
    pub fix: Words,
    /// What the requirement stands on.
    pub basis: Words,
}

impl BuiltinRule {
    /// A finding of this rule; the `with_` methods of [`Finding`] say what
    /// it concerns.
    pub fn finding(&self, status: Status, severity: Severity, message: Message) -> Finding {
        Finding::new(self.id, status, severity, message)
    }
}

/// The basis of the rules that read the bundle's own layout.
pub const BUNDLE_FORMAT_BASIS: Words = Words {
    zh: "dossier 材料包格式 dossier.bundle/v1",
    en: "the dossier bundle format, dossier.bundle/v1",
};

/// The basis of the checks a careful reviewer makes though no written
/// source demands them (the basis findings of these rules carry).
pub const REVIEWER_PRACTICE: Words = Words {
    zh: "审核惯例",
    en: "reviewer practice",
};
