//! How a page names the parties of a bundle built from the form: by the
//! name the clerk typed, else by role and number as the form's headings do
//! (员工 1 / Employee 1), never by the key the form generated
//! (`employee_1`). Keys stay where machines read them: form field names,
//! input ids and links. An uploaded bundle whose keys are the ones the form
//! generates (a zip downloaded from the form) is named the same way.

use dossier::lang::Lang;
use dossier::report::{Message, Report};
use dossier::rules::RuleSet;

use super::plan::Plan;

/// For each generated key: how findings name the party (the report's
/// label, `谢佳怡 (employee_1)` or `employee_1`) and how a person would.
pub struct PartyNames {
    names: Vec<(String, String)>,
}

impl PartyNames {
    /// The names of every party of `plan`, as `report` knows them.
    pub fn of(plan: &Plan, report: &Report, lang: Lang) -> PartyNames {
        let mut names = Vec::new();
        for role in &plan.roles {
            for (index, key) in role.keys.iter().enumerate() {
                let typed = report
                    .parties
                    .iter()
                    .find(|party| party.key == *key)
                    .and_then(|party| party.name.as_deref())
                    .filter(|name| !name.trim().is_empty());
                let person = match typed {
                    Some(name) => name.to_string(),
                    None => role.heading(index, lang),
                };
                names.push((report.party_label(key), person));
            }
        }
        PartyNames { names }
    }

    /// For an uploaded bundle: its parties under the keys the form would
    /// generate for its operation (others keep their labels: a key a
    /// person chose is theirs to read).
    pub fn of_upload(rules: &RuleSet, report: &Report, lang: Lang) -> PartyNames {
        let Some(operation) = report
            .operation
            .as_deref()
            .and_then(|id| rules.operation(id))
        else {
            return PartyNames { names: Vec::new() };
        };
        let count = |role: &str| {
            let parties = report.parties.iter();
            Some(parties.filter(|p| p.role.as_deref() == Some(role)).count())
        };
        PartyNames::of(&Plan::new(rules, operation, count), report, lang)
    }

    /// `message` with every value that names a party by its key named for
    /// people instead (only whole values: text around a key is left alone).
    pub fn message(&self, message: &Message) -> Message {
        let mut message = message.clone();
        for argument in &mut message.arguments {
            if let Some((_, person)) = self
                .names
                .iter()
                .find(|(label, _)| *label == argument.value)
            {
                argument.value = person.clone();
                argument.en = None;
            }
        }
        message
    }
}
