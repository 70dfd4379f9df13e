//! Rule ids within one operation are unique and none takes the id of a
//! rule dossier applies itself: a finding, a waiver or a rule test naming
//! an id must mean one rule.

use super::Problem;
use crate::rules::error::LoadErrorKind;
use crate::rules::rule_id::{BUILT_IN, RuleId};
use crate::yaml::Position;

/// Problems with the ids of one operation's rules, given in file order
/// with where each rule is written.
pub fn check_ids(ids: &[(&RuleId, Position)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, (id, position)) in ids.iter().enumerate() {
        if BUILT_IN.contains(&id.as_str()) {
            problems.push(Problem {
                position: *position,
                kind: LoadErrorKind::Lint {
                    message: format!("rule id `{id}` is the id of a rule dossier applies itself"),
                    hint: Some(
                        "choose another id; the built-in rules are listed in docs/reference".into(),
                    ),
                },
            });
        }
        if let Some((_, first)) = ids[..index].iter().find(|(other, _)| other == id) {
            problems.push(Problem {
                position: *position,
                kind: LoadErrorKind::Duplicate {
                    what: "rule id",
                    name: id.to_string(),
                    first_line: first.line,
                },
            });
        }
    }
    problems
}
