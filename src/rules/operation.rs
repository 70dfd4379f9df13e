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
    /// The spellings a rule file's `count:` accepts, for "expected one of" messages.
    pub const NAMES: &'static str = "one, optional, one_or_more, any";

    /// The count a rule file's `count:` names (`one`, `optional`,
    /// `one_or_more`, `any`); `None` for any other word.
    pub fn from_name(name: &str) -> Option<Count> {
        match name {
            "one" => Some(Count::One),
            "optional" => Some(Count::Optional),
            "one_or_more" => Some(Count::OneOrMore),
            "any" => Some(Count::Any),
            _ => None,
        }
    }

    /// Whether a bundle with `count` parties of the role meets this count
    /// (the built-in `party.role` fails otherwise).
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

    /// The count in words, zh and en, for checklists and templates.
    pub fn describe(self) -> Localized {
        match self {
            Count::One => Localized::new("恰好一个", "exactly one"),
            Count::Optional => Localized::new("至多一个(可选)", "at most one (optional)"),
            Count::OneOrMore => Localized::new("至少一个", "one or more"),
            Count::Any => Localized::new("任意数量", "any number"),
        }
    }
}

/// A role an operation expects, and how many of it: one entry of the
/// operation's `roles:`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleUse {
    /// The role's name in the catalog (`enterprise`, `employee`); a
    /// bundle's party names it in `role:`.
    pub role: String,
    /// How many parties of the role a bundle must have.
    pub count: Count,
    /// Where the operation file names the role.
    pub position: Position,
}

/// What a rule is evaluated for: once, per party of a role, or per document
/// (the rule's `for_each:`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// No `for_each`: once for the whole bundle.
    Bundle,
    /// `for_each: <role>`: once for each party of that role.
    Role(String),
    /// `for_each: { material: … }`: once for each document of any of these
    /// materials.
    Materials(Vec<String>),
}

/// A text with `{expression}` placeholders, each compiled: a rule's
/// messages (`fail`, `pass`, `skip`, `missing`, `hint`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Template {
    /// The message as written, zh and en, placeholders included; shared
    /// with every finding whose message it is.
    pub text: std::sync::Arc<Localized>,
    /// Each placeholder's expression, compiled when the rule set loads, in
    /// the order they appear.
    pub placeholders: Vec<Script>,
}

/// A material the subject must have: one of `materials`, with `fields`
/// filled in (a rule's `require:`, `fields:` and `missing:`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Requirement {
    /// The catalog materials that satisfy it; any one of them will do, and
    /// every document found is checked.
    pub materials: Vec<String>,
    /// Fields each document found must fill in before the checks run.
    pub fields: Vec<String>,
    /// Replaces the generated message when nothing is found.
    pub missing: Option<Template>,
}

/// The field a finding points at: `doc.valid_until`, `employee.phone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// The script variable: a role's name, `party`, `doc` or `holder`.
    pub variable: String,
    /// A field the catalog declares for that variable's role or material.
    pub field: String,
}

/// One assertion of a rule, with its own failure message (an entry of
/// the rule's `checks:`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Check {
    /// The expression that must be true, compiled.
    pub assert: Script,
    /// The manifest value a failure points at (`at:`), when named.
    pub at: Option<FieldRef>,
    /// The message of a failure.
    pub fail: Template,
    /// How to fix a failure of this check; without it, the rule's `hint`.
    pub hint: Option<Template>,
}

/// One requirement of an operation (spec §5): an entry of the operation
/// file's `rules:`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Rule {
    /// The stable id every finding of the rule carries (`employee.id_card`).
    pub id: RuleId,
    /// What the rule asks for, zh and en, as reports and checklists name it.
    pub title: Localized,
    /// Whether a failure fails the bundle (error), only warns, or informs.
    pub severity: Severity,
    /// Where the requirement comes from, as a reader of each language can
    /// look it up (a document by its title, a law and article).
    pub basis: Option<Localized>,
    /// Where the rule is written, so a finding can point at it.
    pub origin: RuleOrigin,
    /// What the rule is evaluated for.
    pub subject: Subject,
    /// A condition for judging the subject at all; when false, the rule
    /// is skipped for that subject, with `skip` as the reason.
    pub when: Option<Script>,
    /// Why the subject was not judged, when `when` is false.
    pub skip: Option<Template>,
    /// A material the subject must hold before the checks run.
    pub require: Option<Requirement>,
    /// The assertions, in file order; each failure is its own finding.
    pub checks: Vec<Check>,
    /// The reason a passing finding gives when every check holds.
    pub pass: Option<Template>,
    /// How to fix a failure, for checks without their own hint.
    pub hint: Option<Template>,
}

/// The decision window an operation announces, in working days after
/// submission (the operation file's `review_window:`). Every report states
/// the expected decision dates as an info finding, and a document that may
/// expire within the window gets a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReviewWindowRule {
    /// The rule id of its findings (`review.window`).
    pub id: RuleId,
    /// The earliest decision, in working days after the judging date (at
    /// least 1).
    pub from: u32,
    /// The latest decision, in working days after the judging date; at
    /// least `from`.
    pub to: u32,
    /// Where the requirement comes from, as a reader of each language can
    /// look it up (a document by its title, a law and article).
    pub basis: Option<Localized>,
    /// Where `review_window:` is written.
    pub origin: RuleOrigin,
}

/// The days one version of an operation is in force, both ends included;
/// an open end reaches as far as the calendar does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    /// The first day in force (`effective_from`); `None` reaches back
    /// without end.
    pub from: Option<NaiveDate>,
    /// The last day in force (`effective_until`); `None` reaches forward
    /// without end.
    pub until: Option<NaiveDate>,
    /// Where `effective_from` (or, without it, `operation`) is written.
    pub position: Position,
}

impl Period {
    /// Whether this version is in force on `day`.
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

/// Everything one version of an operation requires: one file of
/// `operations/`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Operation {
    /// The id bundles name in `operation:` (`douyin.employee_account.open`);
    /// shared by every version of the operation.
    pub id: String,
    /// The version as the rule file writes it (`"2024.08"`); every report
    /// names it with the rule set's digest.
    pub version: String,
    /// When this version is the one bundles are judged by.
    pub period: Period,
    /// What the operation is, zh and en (the title of its checklist).
    pub title: Localized,
    /// A longer explanation for checklists and the reference, when written.
    pub description: Option<Localized>,
    /// The operation's file, relative to the rule set's folder.
    pub file: String,
    /// The roles a bundle for it may have, and how many of each, in file order.
    pub roles: Vec<RoleUse>,
    /// Its own rules, in the order they are evaluated (the built-in rules
    /// come first and are not listed here).
    pub rules: Vec<Rule>,
    /// The decision window it announces, if any.
    pub review_window: Option<ReviewWindowRule>,
}

impl Operation {
    /// How this operation uses `role`; `None` when a bundle may not have
    /// a party of it.
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
