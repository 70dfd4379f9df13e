//! The state of one bundle's judgement that every stage reads and adds
//! findings to: the typed parties and documents, the findings so far, the
//! time budget. It depends on no other module of the engine, so every
//! stage (the built-in rules, the operation's rules) can stand on it.

use std::time::Instant;

use chrono::NaiveDate;

use crate::bundle::{Bundle, DocumentEntry, FieldEntry, PartyEntry};
use crate::lang::Localized;
use crate::report::{Argument, Finding, Message, Severity, Status};
use crate::rules::{FieldValue, MaterialDef, Operation, RoleDef, RuleSet};
use crate::yaml::Node;

/// A field of a party or document after typing: `None` when its type refused it.
#[derive(Debug, Clone)]
pub struct TypedField<'a> {
    pub name: &'a str,
    pub value: Option<FieldValue>,
    /// The key as written when it was a misspelling of `name` (with a value).
    pub written_as: Option<&'a str>,
}

impl TypedField<'_> {
    /// A field read under `name` as written (`None` when its type refused it).
    pub fn new(name: &str, value: Option<FieldValue>) -> TypedField<'_> {
        TypedField {
            name,
            value,
            written_as: None,
        }
    }
}

/// Whether `name` is given a value, under its own key or a misspelling of it.
pub fn writes_field(written: &[FieldEntry<'_>], typed: &[TypedField<'_>], name: &str) -> bool {
    written.iter().any(|f| f.name == name && !f.value.is_null())
        || typed
            .iter()
            .any(|f| f.name == name && f.written_as.is_some())
}

/// A party with its role from the catalog and its typed fields.
#[derive(Debug, Clone)]
pub struct TypedParty<'a> {
    pub entry: &'a PartyEntry<'a>,
    pub role: Option<&'a RoleDef>,
    pub fields: Vec<TypedField<'a>>,
}

impl TypedParty<'_> {
    /// How findings name the party: its name when it has one, and its key.
    pub fn display_name(&self) -> String {
        match self
            .entry
            .fields
            .iter()
            .find(|f| f.name == "name")
            .and_then(|f| f.value.as_str())
        {
            Some(name) if name != self.entry.key => {
                let key = self.entry.key;
                let mut shown = String::with_capacity(name.len() + key.len() + 3);
                shown.push_str(name);
                shown.push_str(" (");
                shown.push_str(key);
                shown.push(')');
                shown
            }
            _ => self.entry.key.to_string(),
        }
    }
}

impl TypedParty<'_> {
    /// Whether the party gives `field` a value (a misspelt key counts: its
    /// finding is the one that says so).
    pub fn writes(&self, field: &str) -> bool {
        writes_field(&self.entry.fields, &self.fields, field)
    }
}

impl TypedDocument<'_> {
    /// Whether the document gives `field` a value (a misspelt key counts:
    /// its finding is the one that says so).
    pub fn writes(&self, field: &str) -> bool {
        writes_field(&self.entry.fields, &self.fields, field)
    }
}

/// A document the operation uses, with its holder and typed fields.
#[derive(Debug, Clone)]
pub struct TypedDocument<'a> {
    pub entry: &'a DocumentEntry<'a>,
    pub material: &'a MaterialDef,
    /// Index into the typed parties, when `holder` names a party that may hold it.
    pub holder: Option<usize>,
    pub fields: Vec<TypedField<'a>>,
}

pub struct Judgement<'a> {
    pub rules: &'a RuleSet,
    pub operation: &'a Operation,
    pub root: &'a Node,
    pub bundle: &'a Bundle,
    pub judged_on: Option<NaiveDate>,
    pub findings: Vec<Finding>,
    pub parties: Vec<TypedParty<'a>>,
    pub documents: Vec<TypedDocument<'a>>,
    /// Every value of a personal field as written and normalised, so a
    /// message quoting one masks it.
    pub personal_values: Vec<(String, crate::report::ArgumentKind)>,
    /// When the bundle's time budget (`Limits::bundle_time`) runs out.
    pub deadline: Instant,
}

impl Judgement<'_> {
    /// Adds the path and its line in the manifest to a finding.
    pub fn at(&self, finding: Finding, path: impl Into<String>) -> Finding {
        // A path made for this finding is moved into it, not copied again.
        let path = path.into();
        let line = self.root.pointer(&path).map(|n| n.position.line);
        Finding {
            path: Some(path),
            line,
            ..finding
        }
    }

    /// Whether the bundle's time budget is spent: what is not judged yet is
    /// then reported as not judged instead of being worked on.
    pub fn out_of_time(&self) -> bool {
        Instant::now() > self.deadline
    }

    /// A failing rule error for `rule`, not judged because the budget ran out.
    pub fn out_of_time_finding(&self, rule: &str) -> Finding {
        let mut finding = Finding::new(
            rule,
            Status::Fail,
            Severity::Error,
            Message::of(
                "未评判:材料包的时间预算({seconds} 秒,bundle_time)已用完",
                "not judged: the bundle's time budget ({seconds} s, bundle_time) is used up",
                vec![Argument::text(
                    "seconds",
                    format!("{:.1}", self.rules.limits.bundle_time.as_secs_f64()),
                )],
            ),
        )
        .with_hint(plain(
            "规则或材料包耗时过长:请检查规则脚本,或减少材料包中的文件",
            "the rules or the bundle take too long: check the rule scripts, or split the bundle",
        ));
        finding.rule_error = true;
        finding
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// The argument kind of a value quoted in a message: personal numbers are masked.
    pub fn argument(&self, name: &str, value: String) -> Argument {
        let kind = self
            .personal_values
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(crate::report::ArgumentKind::Text, |(_, kind)| *kind);
        Argument::new(name, value, kind)
    }
}

/// A message in both languages with no quoted values.
pub fn plain(zh: &'static str, en: &'static str) -> Message {
    Message::of(zh, en, Vec::new())
}

/// A message whose `{reason}` is a localized explanation (from the domain library).
pub fn reasoned(
    zh: &'static str,
    en: &'static str,
    reason: &Localized,
    mut arguments: Vec<Argument>,
) -> Message {
    arguments.push(Argument::localized("reason", reason));
    Message::of(zh, en, arguments)
}

/// A finding at `path` in the manifest `root`, with the line it is on.
pub fn located(root: &Node, finding: Finding, path: &str) -> Finding {
    let line = root.pointer(path).map(|n| n.position.line);
    Finding {
        path: Some(path.to_string()),
        line,
        ..finding
    }
}
