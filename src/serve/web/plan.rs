//! The shape of an operation's form, read from the rule set alone: which
//! parties (how many of each role), which materials each must hold (with
//! their alternatives) and the typed fields of both. The form, the
//! manifest built from it and the links from a report back into it all
//! follow this one plan, so they cannot disagree on a name.

use dossier::lang::Lang;
use dossier::rules::{Count, FieldDef, MaterialDef, Operation, RoleDef, Rule, RuleSet, Subject};

/// Most parties of one role a form holds: far more than any application
/// has, few enough that a crafted count cannot make a huge page.
pub const MAX_PARTIES_PER_ROLE: usize = 50;

/// One role of the operation, its parties and what each must hold.
pub struct RolePlan<'r> {
    pub def: &'r RoleDef,
    pub count: Count,
    /// One group per requirement; a group of several is "any one of".
    pub groups: Vec<MaterialGroup<'r>>,
    /// The party keys, in order (`employee_1`, `employee_2`… for roles of
    /// many; the role's name for a role of one).
    pub keys: Vec<String>,
}

/// Materials one requirement accepts, and the fields it demands.
pub struct MaterialGroup<'r> {
    /// The rule that requires them.
    pub rule: &'r Rule,
    pub materials: Vec<&'r MaterialDef>,
    pub required_fields: Vec<String>,
}

/// The whole form of one operation, for some number of parties per role.
pub struct Plan<'r> {
    pub operation: &'r Operation,
    pub roles: Vec<RolePlan<'r>>,
}

impl<'r> Plan<'r> {
    /// The plan of `operation` with `counts(role)` parties of each role of
    /// many (clamped to what the role allows and to the page bound).
    pub fn new(
        rules: &'r RuleSet,
        operation: &'r Operation,
        counts: impl Fn(&str) -> Option<usize>,
    ) -> Plan<'r> {
        let roles = operation
            .roles
            .iter()
            .filter_map(|role_use| {
                let def = rules.catalog.role(&role_use.role)?;
                let wanted =
                    counts(&role_use.role).unwrap_or_else(|| default_count(role_use.count));
                let how_many = clamp(role_use.count, wanted);
                let keys = if role_use.count.is_single() {
                    vec![def.name.clone()]
                } else {
                    (1..=how_many)
                        .map(|i| format!("{}_{i}", def.name))
                        .collect()
                };
                Some(RolePlan {
                    def,
                    count: role_use.count,
                    groups: groups(rules, operation, &def.name),
                    keys,
                })
            })
            .collect();
        Plan { operation, roles }
    }

    /// The role plan and the position of the party `key`.
    pub fn party(&self, key: &str) -> Option<(&RolePlan<'r>, usize)> {
        self.roles
            .iter()
            .find_map(|role| Some((role, role.keys.iter().position(|k| k == key)?)))
    }
}

impl RolePlan<'_> {
    /// How the form heads its party at `index`, and how pages name it when
    /// no name was typed: the role's title, numbered from 1 for a role of
    /// many (员工 1 / Employee 1).
    pub fn heading(&self, index: usize, lang: Lang) -> String {
        let title = self.def.title.get(lang);
        match self.is_many() {
            true => format!("{title} {}", index + 1),
            false => title.to_string(),
        }
    }

    /// Whether the form offers adding or removing parties of this role.
    pub fn is_many(&self) -> bool {
        !self.count.is_single()
    }

    pub fn can_add(&self) -> bool {
        self.is_many() && self.keys.len() < MAX_PARTIES_PER_ROLE
    }

    pub fn can_remove(&self) -> bool {
        self.is_many() && self.count.allows(self.keys.len() - 1)
    }
}

impl MaterialGroup<'_> {
    /// Whether the field must be shown by the document (`require.fields`).
    pub fn demands(&self, field: &FieldDef) -> bool {
        self.required_fields.contains(&field.name)
    }
}

fn default_count(count: Count) -> usize {
    match count {
        Count::Any => 0,
        _ => 1,
    }
}

fn clamp(count: Count, wanted: usize) -> usize {
    let at_least = match count {
        Count::One | Count::OneOrMore => 1,
        Count::Optional | Count::Any => 0,
    };
    wanted.clamp(at_least, MAX_PARTIES_PER_ROLE)
}

/// The materials rules of `operation` require of each party of `role`,
/// one group per requirement, each material once.
fn groups<'r>(rules: &'r RuleSet, operation: &'r Operation, role: &str) -> Vec<MaterialGroup<'r>> {
    let mut groups: Vec<MaterialGroup<'r>> = Vec::new();
    for rule in &operation.rules {
        let (Subject::Role(subject), Some(require)) = (&rule.subject, &rule.require) else {
            continue;
        };
        if subject != role {
            continue;
        }
        let materials: Vec<&MaterialDef> = require
            .materials
            .iter()
            .filter_map(|m| rules.catalog.material(m))
            .filter(|m| {
                !groups
                    .iter()
                    .any(|g| g.materials.iter().any(|seen| seen.name == m.name))
            })
            .collect();
        if !materials.is_empty() {
            groups.push(MaterialGroup {
                rule,
                materials,
                required_fields: require.fields.clone(),
            });
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_plan(rules: &RuleSet, employees: usize) -> Plan<'_> {
        let operation = rules.operation("douyin.employee_account.open").unwrap();
        Plan::new(rules, operation, |role| {
            (role == "employee").then_some(employees)
        })
    }

    #[test]
    fn roles_of_many_get_numbered_keys_and_roles_of_one_their_name() {
        let rules = RuleSet::embedded().unwrap();
        let plan = open_plan(&rules, 2);
        let keys: Vec<&str> = plan
            .roles
            .iter()
            .flat_map(|r| r.keys.iter().map(String::as_str))
            .collect();
        assert_eq!(
            keys,
            [
                "enterprise",
                "legal_representative",
                "employee_1",
                "employee_2",
                "contact"
            ]
        );
        assert_eq!(
            plan.party("employee_2")
                .map(|(r, i)| (r.def.name.as_str(), i)),
            Some(("employee", 1))
        );
    }

    #[test]
    fn alternatives_form_one_group_and_counts_are_bounded() {
        let rules = RuleSet::embedded().unwrap();
        let plan = open_plan(&rules, 0);
        let employee = plan
            .roles
            .iter()
            .find(|r| r.def.name == "employee")
            .unwrap();
        assert_eq!(employee.keys.len(), 1, "one or more: never none");
        assert!(!employee.can_remove());
        let groups: Vec<Vec<&str>> = employee
            .groups
            .iter()
            .map(|g| g.materials.iter().map(|m| m.name.as_str()).collect())
            .collect();
        assert_eq!(
            groups,
            [
                vec!["id_card"],
                vec!["labor_contract", "employment_certificate"],
                vec!["account_agreement"]
            ]
        );
        let plan = open_plan(&rules, 10_000);
        let employee = plan
            .roles
            .iter()
            .find(|r| r.def.name == "employee")
            .unwrap();
        assert_eq!(employee.keys.len(), MAX_PARTIES_PER_ROLE);
        assert!(!employee.can_add());
    }
}
