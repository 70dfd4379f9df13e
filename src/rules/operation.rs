//! An operation's rules, as loaded: what it expects and what it checks.

use chrono::NaiveDate;

use super::rule_id::RuleId;
use crate::lang::Localized;
use crate::report::{RuleOrigin, Severity};
use crate::script::Script;
use crate::yaml::Position;

/// How many parties of a role an operation expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Exactly one.
    One,
    /// None or one.
    Optional,
    /// At least one.
    OneOrMore,
    /// Any number, none included.
    Any,
}

impl Count {
    pub const NAMES: &'static str = "one, optional, one_or_more, any";

    pub fn from_name(name: &str) -> Option<Count> {
        match name {
            "one" => Some(Count::One),
            "optional" => Some(Count::Optional),
            "one_or_more" => Some(Count::OneOrMore),
            "any" => Some(Count::Any),
            _ => None,
        }
    }

    pub fn allows(self, count: usize) -> bool {
        match self {
            Count::One => count == 1,
            Count::Optional => count <= 1,
            Count::OneOrMore => count >= 1,
            Count::Any => true,
        }
    }

    /// Whether scripts see the party of this role as a single variable.
    pub fn is_single(self) -> bool {
        matches!(self, Count::One | Count::Optional)
    }

    pub fn describe(self) -> Localized {
        match self {
            Count::One => Localized::new("恰好一个", "exactly one"),
            Count::Optional => Localized::new("至多一个(可选)", "at most one (optional)"),
            Count::OneOrMore => Localized::new("至少一个", "one or more"),
            Count::Any => Localized::new("任意数量", "any number"),
        }
    }
}

/// A role an operation expects, and how many of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleUse {
    pub role: String,
    pub count: Count,
    pub position: Position,
}

/// What a rule is evaluated for: once, per party of a role, or per document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Bundle,
    Role(String),
    Materials(Vec<String>),
}

/// A text with `{expression}` placeholders, each compiled.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: Localized,
    pub placeholders: Vec<Script>,
}

/// A material the subject must have: one of `materials`, with `fields` filled in.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub materials: Vec<String>,
    pub fields: Vec<String>,
    /// Replaces the generated message when nothing is found.
    pub missing: Option<Template>,
}

/// The field a finding points at: `doc.valid_until`, `employee.phone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    pub variable: String,
    pub field: String,
}

/// One assertion of a rule, with its own failure message.
#[derive(Debug, Clone)]
pub struct Check {
    pub assert: Script,
    pub at: Option<FieldRef>,
    pub fail: Template,
    pub hint: Option<Template>,
}

/// One requirement of an operation (spec §5).
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: RuleId,
    pub title: Localized,
    pub severity: Severity,
    pub basis: Option<String>,
    pub origin: RuleOrigin,
    pub subject: Subject,
    pub when: Option<Script>,
    pub skip: Option<Template>,
    pub require: Option<Requirement>,
    pub checks: Vec<Check>,
    pub pass: Option<Template>,
    pub hint: Option<Template>,
}

/// The decision window an operation announces, in working days after submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewWindowRule {
    pub id: RuleId,
    pub from: u32,
    pub to: u32,
    pub basis: Option<String>,
    pub origin: RuleOrigin,
}

/// The days one version of an operation is in force, both ends included;
/// an open end reaches as far as the calendar does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Where `effective_from` (or, without it, `operation`) is written.
    pub position: Position,
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.until.is_none_or(|until| day <= until)
    }

    /// `from 2025-06-16 until 2025-12-31`, `from 2025-06-16`, `always`.
    pub fn describe(&self) -> Localized {
        match (self.from, self.until) {
            (None, None) => Localized::new("一直有效", "always"),
            (Some(from), None) => Localized::new(format!("{from} 起"), format!("from {from}")),
            (None, Some(until)) => Localized::new(format!("至 {until}"), format!("until {until}")),
            (Some(from), Some(until)) => Localized::new(
                format!("{from} 至 {until}"),
                format!("from {from} until {until}"),
            ),
        }
    }
}

/// Everything one version of an operation requires.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub version: String,
    /// When this version is the one bundles are judged by.
    pub period: Period,
    pub title: Localized,
    pub description: Option<Localized>,
    pub file: String,
    pub roles: Vec<RoleUse>,
    pub rules: Vec<Rule>,
    pub review_window: Option<ReviewWindowRule>,
}

impl Operation {
    pub fn role(&self, role: &str) -> Option<&RoleUse> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// Every material some rule of this operation requires or inspects.
    pub fn materials_used(&self) -> Vec<&str> {
        let mut used: Vec<&str> = Vec::new();
        for rule in &self.rules {
            let from_subject = match &rule.subject {
                Subject::Materials(materials) => materials.as_slice(),
                _ => &[],
            };
            let from_requirement = rule
                .require
                .as_ref()
                .map_or(&[][..], |r| r.materials.as_slice());
            for material in from_subject.iter().chain(from_requirement) {
                if !used.contains(&material.as_str()) {
                    used.push(material);
                }
            }
        }
        used
    }
}
