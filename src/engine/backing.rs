//! Skips that must be backed by a failure: a check that met a missing or
//! invalid input is skipped only because another finding already fails the
//! bundle for that input (`field.type`, a required field, `submitted_on`).
//! A skip no other finding backs would let a bundle pass undecided, so it
//! becomes a rule error: fail closed.

use rhai::Dynamic;

use super::context::ScriptContext;
use super::state::Judgement;
use crate::report::{Argument, Finding, Message, Severity, Status};
use crate::rules::Rule;
use crate::script::Script;
use crate::script::map_shape::{Variable, Variables};
use crate::yaml::escape_pointer_token;

/// One input a script met as `()`, as the skip message names it, and the
/// manifest place whose failure explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingInput {
    /// `doc.valid_until`, `holder`, `judged_on`.
    pub name: String,
    /// The JSON Pointer of the value; `None` when the input is a whole
    /// variable (a missing holder or party), which any failure of the bundle backs.
    pub path: Option<String>,
}

/// A skip waiting for its backing, found once every rule has been judged.
pub struct PendingSkip<'r> {
    /// Index of the skip in the judgement's findings.
    pub index: usize,
    pub rule: &'r Rule,
    pub script: &'r Script,
    pub inputs: Vec<MissingInput>,
}

/// The inputs of `script` that are `()` in the current scope.
pub fn missing_inputs(
    judgement: &Judgement<'_>,
    context: &ScriptContext,
    script: &Script,
) -> Vec<MissingInput> {
    let variables = context.reader(judgement);
    let mut missing = Vec::new();
    if script.source.contains("judged_on")
        && matches!(context.variable("judged_on"), Some(Variable::Value(v)) if v.is_unit())
    {
        missing.push(MissingInput {
            name: "judged_on".to_string(),
            path: Some("/submitted_on".to_string()),
        });
    }
    for (variable, field) in &script.reads {
        let Some(value) = context.variable(variable) else {
            continue;
        };
        if matches!(value, Variable::Value(v) if v.is_unit()) {
            missing.push(MissingInput {
                name: variable.clone(),
                path: None,
            });
            continue;
        }
        // Only a map has fields: a list, a date or a text gives `None`.
        if variables
            .variable_field(variable, field)
            .is_some_and(|v| v.is_unit())
        {
            let get = |key: &str| variables.variable_field(variable, key);
            missing.push(MissingInput {
                name: format!("{variable}.{field}"),
                path: Some(field_pointer(get, field)),
            });
        }
    }
    missing.dedup();
    missing
}

/// Where `field` of a party or document map is written in the manifest,
/// from the map's own `index` or `key` (`get` reads them).
fn field_pointer(get: impl Fn(&str) -> Option<Dynamic>, field: &str) -> String {
    let field = escape_pointer_token(field);
    if let Some(index) = get("index").and_then(|i| i.as_int().ok()) {
        return format!("/documents/{index}/fields/{field}");
    }
    let key = get("key")
        .and_then(|k| k.into_string().ok())
        .unwrap_or_default();
    format!("/parties/{}/{field}", escape_pointer_token(&key))
}

/// Turns every pending skip that no failure backs into a rule error.
pub fn settle(judgement: &mut Judgement<'_>, pending: Vec<PendingSkip<'_>>) {
    for skip in pending {
        let severity = skip.rule.severity;
        let findings = &judgement.findings;
        let backed = skip.inputs.iter().any(|input| {
            findings.iter().enumerate().any(|(index, finding)| {
                index != skip.index
                    && !finding.rule_error
                    && finding.fails_at(severity)
                    && input.path.as_deref().is_none_or(|path| {
                        finding.path.as_deref().is_some_and(|at| covers(at, path))
                    })
            })
        });
        if backed {
            continue;
        }
        let names: Vec<&str> = skip.inputs.iter().map(|i| i.name.as_str()).collect();
        let error = if names.is_empty() {
            "it met a missing or invalid value it does not name, and nothing else fails for it"
                .to_string()
        } else {
            format!(
                "it met a missing or invalid {}, and no other finding reports it",
                names.join(", ")
            )
        };
        let skipped = &judgement.findings[skip.index];
        let finding = Finding {
            holder: skipped.holder.clone(),
            material: skipped.material.clone(),
            path: skipped.path.clone(),
            line: skipped.line,
            ..rule_error(skip.rule, skip.script, error)
        };
        judgement.findings[skip.index] = finding;
    }
}

/// Whether a finding at `at` is about the value at `path`: the same place,
/// or a map holding it (a document that lacks required fields).
fn covers(at: &str, path: &str) -> bool {
    path == at || (path.starts_with(at) && path[at.len()..].starts_with('/'))
}

/// A failing rule error: the rule could not judge, the bundle is not judged
/// on it. Names the script's place in its rule file.
pub fn rule_error(rule: &Rule, script: &Script, error: String) -> Finding {
    let message = Message::of(
        "规则 {rule} 无法执行:{error}",
        "rule {rule} could not be evaluated: {error}",
        vec![
            Argument::text("rule", rule.id.clone()),
            Argument::text("error", error),
        ],
    );
    let mut finding = Finding::new(rule.id.clone(), Status::Fail, Severity::Error, message)
        .with_basis(rule.basis.as_ref())
        .with_hint(Message::of(
            "这是规则集的问题,不是材料包的问题:请联系规则维护者({file})",
            "this is a fault of the rule set, not of the bundle: tell the rule maintainers ({file})",
            vec![Argument::text(
                "file",
                format!("{}:{}", rule.origin.file, script_line(rule, script)),
            )],
        ));
    finding.origin = Some(rule.origin.clone());
    finding.rule_error = true;
    finding
}

/// The line of the script in its rule file; the rule's own line for a
/// script without a place (a placeholder read straight from the scope).
fn script_line(rule: &Rule, script: &Script) -> usize {
    if script.position.line == 0 {
        rule.origin.line
    } else {
        script.position.line
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_failure_covers_its_value_and_what_it_holds() {
        assert!(covers("/documents/3", "/documents/3/fields/sealed"));
        assert!(covers(
            "/documents/3/fields/sealed",
            "/documents/3/fields/sealed"
        ));
        assert!(!covers("/documents/3", "/documents/30/fields/sealed"));
        assert!(!covers("/documents/3/fields/sealed", "/documents/3"));
    }
}
