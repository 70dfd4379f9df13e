//! What changed between two rule sets, operation by operation: the
//! materials, fields and rules added, removed or changed, for a reviewer
//! briefing colleagues on a policy change (`dossier rules diff OLD NEW`).
//!
//! Each operation is compared in its latest version; a changed version
//! number is listed too. Fields are those of the catalog entries the
//! operation uses (its roles and materials).

use super::RuleSet;
use super::catalog::FieldDef;
use super::operation::{Operation, Rule, Subject, Template};

/// How one named thing differs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// Only the new set has it; its name.
    Added(String),
    /// Only the old set has it; its name.
    Removed(String),
    /// The name and what about it changed (`severity`, `checks`…).
    Changed(String, Vec<&'static str>),
}

/// The differences of one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationDiff {
    /// The operation's id.
    pub id: String,
    /// `(old, new)` version numbers; `None` on the side that lacks the operation.
    pub versions: (Option<String>, Option<String>),
    /// Materials some rule requires or inspects, by name.
    pub materials: Vec<Change>,
    /// Fields of the roles and materials it uses, as `role.field` or
    /// `material.field`.
    pub fields: Vec<Change>,
    /// Its own rules, by id.
    pub rules: Vec<Change>,
}

impl OperationDiff {
    /// Whether nothing differs, the version number included.
    pub fn is_empty(&self) -> bool {
        self.versions.0 == self.versions.1
            && self.materials.is_empty()
            && self.fields.is_empty()
            && self.rules.is_empty()
    }
}

/// Every operation of either set that differs, in the new set's order,
/// then the removed ones.
pub fn diff(old: &RuleSet, new: &RuleSet) -> Vec<OperationDiff> {
    let mut ids: Vec<&str> = new.operation_ids();
    ids.extend(
        old.operation_ids()
            .into_iter()
            .filter(|id| new.operation(id).is_none()),
    );
    ids.into_iter()
        .map(|id| operation_diff(id, old, new))
        .filter(|d| !d.is_empty())
        .collect()
}

fn operation_diff(id: &str, old: &RuleSet, new: &RuleSet) -> OperationDiff {
    let (before, after) = (old.operation(id), new.operation(id));
    let mut diff = OperationDiff {
        id: id.to_string(),
        versions: (
            before.map(|o| o.version.clone()),
            after.map(|o| o.version.clone()),
        ),
        ..OperationDiff::default()
    };
    let materials = |set: &RuleSet, operation: Option<&Operation>| -> Vec<(String, String)> {
        let Some(operation) = operation else {
            return Vec::new();
        };
        operation
            .materials_used()
            .into_iter()
            .map(|m| {
                let fields = set
                    .catalog
                    .material(m)
                    .map(|d| d.fields.as_slice())
                    .unwrap_or(&[]);
                (m.to_string(), fields_fingerprint(fields))
            })
            .collect()
    };
    diff.materials = compare(&materials(old, before), &materials(new, after), |_, _| {
        vec!["fields"]
    });
    diff.fields = compare(&fields(old, before), &fields(new, after), |a, b| {
        field_aspects(a, b)
    });
    let rules = |operation: Option<&Operation>| -> Vec<(String, RuleFacts)> {
        operation
            .map(|o| {
                o.rules
                    .iter()
                    .map(|r| (r.id.to_string(), RuleFacts::of(r)))
                    .collect()
            })
            .unwrap_or_default()
    };
    diff.rules = compare(&rules(before), &rules(after), RuleFacts::aspects);
    diff
}

/// Named things on both sides, compared: added and changed in the new
/// order, then removed in the old order.
fn compare<T: PartialEq>(
    old: &[(String, T)],
    new: &[(String, T)],
    aspects: impl Fn(&T, &T) -> Vec<&'static str>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, after) in new {
        match old.iter().find(|(n, _)| n == name) {
            None => changes.push(Change::Added(name.clone())),
            Some((_, before)) if before != after => {
                changes.push(Change::Changed(name.clone(), aspects(before, after)));
            }
            Some(_) => {}
        }
    }
    for (name, _) in old {
        if !new.iter().any(|(n, _)| n == name) {
            changes.push(Change::Removed(name.clone()));
        }
    }
    changes
}

/// `role.field` and `material.field` of everything the operation uses.
fn fields(set: &RuleSet, operation: Option<&Operation>) -> Vec<(String, FieldDef)> {
    let Some(operation) = operation else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for role in &operation.roles {
        for field in set
            .catalog
            .role(&role.role)
            .map(|r| r.fields.as_slice())
            .unwrap_or(&[])
        {
            out.push((format!("{}.{}", role.role, field.name), field.clone()));
        }
    }
    for material in operation.materials_used() {
        for field in set
            .catalog
            .material(material)
            .map(|m| m.fields.as_slice())
            .unwrap_or(&[])
        {
            out.push((format!("{material}.{}", field.name), field.clone()));
        }
    }
    out
}

fn fields_fingerprint(fields: &[FieldDef]) -> String {
    fields
        .iter()
        .map(|f| format!("{}:{}", f.name, f.field_type.name()))
        .collect::<Vec<_>>()
        .join(",")
}

fn field_aspects(a: &FieldDef, b: &FieldDef) -> Vec<&'static str> {
    let mut aspects = Vec::new();
    if a.field_type != b.field_type {
        aspects.push("type");
    }
    if a.required != b.required {
        aspects.push("required");
    }
    if a.pattern != b.pattern {
        aspects.push("pattern");
    }
    if a.title != b.title || a.help != b.help {
        aspects.push("wording");
    }
    aspects
}

/// What a rule says, as text, aspect by aspect.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RuleFacts {
    severity: String,
    title: String,
    basis: String,
    subject: String,
    condition: String,
    requirement: String,
    checks: String,
    messages: String,
}

impl RuleFacts {
    fn of(rule: &Rule) -> RuleFacts {
        let template = |t: &Option<Template>| {
            t.as_ref()
                .map_or(String::new(), |t| format!("{}|{}", t.text.zh, t.text.en))
        };
        RuleFacts {
            severity: format!("{:?}", rule.severity),
            title: format!("{}|{}", rule.title.zh, rule.title.en),
            basis: format!("{:?}", rule.basis),
            subject: match &rule.subject {
                Subject::Bundle => String::new(),
                Subject::Role(role) => role.clone(),
                Subject::Materials(materials) => materials.join(","),
            },
            condition: rule
                .when
                .as_ref()
                .map_or(String::new(), |s| s.source.clone()),
            requirement: rule.require.as_ref().map_or(String::new(), |r| {
                format!("{}:{}", r.materials.join(","), r.fields.join(","))
            }),
            checks: rule
                .checks
                .iter()
                .map(|c| c.assert.source.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            messages: [
                template(&rule.pass),
                template(&rule.hint),
                template(&rule.skip),
                rule.checks
                    .iter()
                    .map(|c| format!("{}{}", template(&Some(c.fail.clone())), template(&c.hint)))
                    .collect(),
            ]
            .join("\n"),
        }
    }

    fn aspects(a: &RuleFacts, b: &RuleFacts) -> Vec<&'static str> {
        [
            ("severity", a.severity != b.severity),
            ("title", a.title != b.title),
            ("basis", a.basis != b.basis),
            ("subject", a.subject != b.subject),
            ("condition", a.condition != b.condition),
            ("requirement", a.requirement != b.requirement),
            ("checks", a.checks != b.checks),
            ("messages", a.messages != b.messages),
        ]
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(name, _)| name)
        .collect()
    }
}
