//! An operation's rules over the bundle: each rule for each of its subjects,
//! its `when`, its required material and its checks, into findings with the
//! rule's reasons.

use chrono::Datelike;
use rhai::{Dynamic, ImmutableString};

use super::backing::{MissingInput, PendingSkip, missing_inputs, rule_error, settle};
use super::builtin::field_type;
use super::context::ScriptContext;
use super::state::Judgement;
use crate::domain::date::DateValue;
use crate::domain::mask::{PersonalKind, mask};
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, Status};
use crate::rules::{FieldRef, Rule, Subject, Template};
use crate::script::map_shape::{Bound, Variable, Variables};
use crate::script::{Script, ScriptError, decide, quote};
use crate::yaml::escape_pointer_token;

/// One thing a rule is evaluated for.
struct Target<'r> {
    /// Variables bound for the rule's scripts.
    variables: Vec<(&'r str, Variable)>,
    /// Party index when the subject is a party (for `require`).
    party: Option<usize>,
    path: Option<String>,
    holder: Option<String>,
    material: Option<String>,
    /// How messages name the subject.
    label: String,
}

/// Skips of scripts that met a missing input, by their index in a list of findings.
type Skips<'r> = Vec<(usize, &'r Script, Vec<MissingInput>)>;

pub fn evaluate_rules(judgement: &mut Judgement<'_>) {
    #[cfg(test)]
    super::context::audit(judgement);
    let mut context = ScriptContext::new(judgement);
    let operation = judgement.operation;
    let mut pending: Vec<PendingSkip<'_>> = Vec::new();
    for rule in &operation.rules {
        let targets = targets(judgement, rule);
        if targets.is_empty() {
            judgement.push(nothing_to_judge(judgement, rule));
            continue;
        }
        for mut target in targets {
            if judgement.out_of_time() {
                let finding = judgement.out_of_time_finding(&rule.id);
                let finding = Finding {
                    origin: Some(rule.origin.clone()),
                    holder: target.holder.clone(),
                    material: target.material.clone(),
                    ..finding
                };
                let finding = match &target.path {
                    Some(path) => judgement.at(finding, path),
                    None => finding,
                };
                judgement.push(finding);
                continue;
            }
            let base = context.len();
            // Moved, not copied: the target's variables are needed only here.
            for (name, variable) in std::mem::take(&mut target.variables) {
                context.push(name, variable);
            }
            let mut skips = Skips::new();
            let findings = evaluate_target(judgement, &mut context, rule, &target, &mut skips);
            context.rewind(base);
            let offset = judgement.findings.len();
            pending.extend(
                skips
                    .into_iter()
                    .map(|(index, script, inputs)| PendingSkip {
                        index: offset + index,
                        rule,
                        script,
                        inputs,
                    }),
            );
            for finding in findings {
                judgement.push(finding);
            }
        }
    }
    settle(judgement, pending);
}

fn targets<'r>(judgement: &Judgement<'_>, rule: &'r Rule) -> Vec<Target<'r>> {
    match &rule.subject {
        Subject::Bundle => vec![Target {
            variables: Vec::new(),
            party: None,
            path: None,
            holder: None,
            material: None,
            label: String::new(),
        }],
        Subject::Role(role) => judgement
            .parties
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role.is_some_and(|r| &r.name == role))
            .map(|(index, party)| Target {
                variables: vec![
                    (role.as_str(), Variable::Bound(Bound::Party(index))),
                    ("party", Variable::Bound(Bound::Party(index))),
                ],
                party: Some(index),
                path: Some(party.entry.path.clone()),
                holder: Some(party.entry.key.to_string()),
                material: None,
                label: party.display_name(),
            })
            .collect(),
        Subject::Materials(materials) => judgement
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| materials.contains(&d.material.name))
            .map(|(index, document)| {
                let holder = document.holder.map_or(Variable::Value(Dynamic::UNIT), |h| {
                    Variable::Bound(Bound::Party(h))
                });
                Target {
                    variables: vec![
                        ("doc", Variable::Bound(Bound::Document(index))),
                        ("holder", holder),
                    ],
                    party: document.holder,
                    path: Some(document.entry.path.clone()),
                    holder: document
                        .holder
                        .map(|h| judgement.parties[h].entry.key.to_string()),
                    material: Some(document.material.name.clone()),
                    label: document
                        .holder
                        .map(|h| judgement.parties[h].display_name() + " ")
                        .unwrap_or_default(),
                }
            })
            .collect(),
    }
}

/// A rule with no subject in the bundle is reported as skipped, never dropped.
fn nothing_to_judge(judgement: &Judgement<'_>, rule: &Rule) -> Finding {
    let what = match &rule.subject {
        Subject::Role(role) => judgement.rules.catalog.role(role).map(|r| r.title.clone()),
        Subject::Materials(materials) => Some(material_titles(judgement, materials)),
        Subject::Bundle => None,
    }
    .unwrap_or_default();
    let message = Message::of(
        "未评判:清单中没有{what}",
        "not judged: the bundle has no {what}",
        vec![Argument::localized("what", &what)],
    );
    base_finding(rule, Status::Skip, message)
}

fn base_finding(rule: &Rule, status: Status, message: Message) -> Finding {
    let mut finding = Finding::new(rule.id.clone(), status, rule.severity, message)
        .with_basis(rule.basis.as_ref());
    finding.origin = Some(rule.origin.clone());
    finding
}

fn material_titles(judgement: &Judgement<'_>, materials: &[String]) -> Localized {
    let titles: Vec<&Localized> = materials
        .iter()
        .filter_map(|m| judgement.rules.catalog.material(m))
        .map(|m| &m.title)
        .collect();
    Localized::new(
        titles
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("或"),
        titles
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(" or "),
    )
}

/// Evaluates one rule for one target; the target's variables are in scope.
fn evaluate_target<'r>(
    judgement: &Judgement<'_>,
    context: &mut ScriptContext,
    rule: &'r Rule,
    target: &Target<'_>,
    skips: &mut Skips<'r>,
) -> Vec<Finding> {
    let locate = |finding: Finding, path: Option<&str>| {
        let finding = Finding {
            holder: finding.holder.or_else(|| target.holder.clone()),
            material: finding.material.or_else(|| target.material.clone()),
            ..finding
        };
        match path {
            Some(path) => judgement.at(finding, path),
            None => finding,
        }
    };
    if let Some(when) = &rule.when {
        match decide(
            &judgement.rules.engine,
            when,
            context.bindings(judgement),
            &judgement.rules.limits,
        ) {
            Ok(true) => {}
            Ok(false) => {
                let message = match &rule.skip {
                    Some(template) => render(judgement, context, template),
                    None => Message::of(
                        "不适用:条件 {condition} 不成立",
                        "does not apply: {condition} does not hold",
                        vec![Argument::text("condition", when.source.clone())],
                    ),
                };
                return vec![locate(
                    base_finding(rule, Status::Skip, message),
                    target.path.as_deref(),
                )];
            }
            Err(error) => {
                let (finding, missing) = script_failure(judgement, context, rule, when, error);
                if let Some(missing) = missing {
                    skips.push((0, when, missing));
                }
                return vec![locate(finding, target.path.as_deref())];
            }
        }
    }

    let mut findings = Vec::new();
    // A pass message may quote the document found, so it is rendered while
    // that document is in scope.
    let mut pass_message: Option<(Message, String, String)> = None;
    match &rule.require {
        None => run_checks(judgement, context, rule, target, None, &mut findings, skips),
        Some(requirement) => {
            let found: Vec<usize> = judgement
                .documents
                .iter()
                .enumerate()
                .filter(|(_, d)| requirement.materials.contains(&d.material.name))
                .filter(|(_, d)| target.party.is_none() || d.holder == target.party)
                .map(|(i, _)| i)
                .collect();
            if found.is_empty() {
                let titles = material_titles(judgement, &requirement.materials);
                let message = match &requirement.missing {
                    Some(template) => render(judgement, context, template),
                    None if target.label.is_empty() => Message::of(
                        "清单中缺少{materials}",
                        "the bundle has no {materials}",
                        vec![Argument::localized("materials", &titles)],
                    ),
                    None => Message::of(
                        "{holder}缺少{materials}",
                        "{holder} has no {materials}",
                        vec![
                            Argument::text("holder", target.label.trim()),
                            Argument::localized("materials", &titles),
                        ],
                    ),
                };
                let mut finding = base_finding(rule, Status::Fail, message)
                    .with_material(Some(&requirement.materials.join("|")));
                finding.hint = rule.hint.as_ref().map(|h| render(judgement, context, h));
                // A missing document has no place in the manifest (spec §4).
                return vec![locate(finding, None)];
            }
            for index in found {
                let document = &judgement.documents[index];
                let base = context.len();
                context.push("doc", Variable::Bound(Bound::Document(index)));
                let missing: Vec<&str> = requirement
                    .fields
                    .iter()
                    .filter(|field| document.material.field(field).is_some())
                    .filter(|field| !document.writes(field))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    let titles: Vec<&Localized> = missing
                        .iter()
                        .filter_map(|f| document.material.field(f))
                        .map(|f| &f.title)
                        .collect();
                    let fields = Localized::new(
                        titles
                            .iter()
                            .map(|t| t.zh.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                        titles
                            .iter()
                            .map(|t| t.en.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                    let message = Message::of(
                        "{material}[{index}] 缺少必填内容:{fields}",
                        "{material} [{index}] lacks required fields: {fields}",
                        vec![
                            Argument::localized("material", &document.material.title),
                            Argument::text("index", document.entry.number().to_string()),
                            Argument::localized("fields", &fields),
                        ],
                    );
                    let mut finding = base_finding(rule, Status::Fail, message)
                        .with_material(Some(&document.material.name));
                    finding.hint = rule.hint.as_ref().map(|h| render(judgement, context, h));
                    findings.push(locate(finding, Some(&document.entry.path)));
                }
                let before = findings.len();
                run_checks(
                    judgement,
                    context,
                    rule,
                    target,
                    Some((&document.entry.path, &document.material.name)),
                    &mut findings,
                    skips,
                );
                if findings.len() == before && missing.is_empty() && pass_message.is_none() {
                    let message = pass_of(judgement, context, rule, target);
                    pass_message = Some((
                        message,
                        document.entry.path.clone(),
                        document.material.name.clone(),
                    ));
                }
                context.rewind(base);
            }
        }
    }
    if findings.is_empty() {
        let finding = match pass_message {
            Some((message, path, material)) => locate(
                base_finding(rule, Status::Pass, message).with_material(Some(&material)),
                Some(&path),
            ),
            None => locate(
                base_finding(
                    rule,
                    Status::Pass,
                    pass_of(judgement, context, rule, target),
                ),
                target.path.as_deref(),
            ),
        };
        findings.push(finding);
    }
    findings
}

fn pass_of(
    judgement: &Judgement<'_>,
    context: &mut ScriptContext,
    rule: &Rule,
    target: &Target<'_>,
) -> Message {
    match &rule.pass {
        Some(template) => render(judgement, context, template),
        None => Message::of(
            "{subject}{title}:符合要求",
            "{subject}{title}: satisfied",
            vec![
                Argument::text("subject", target.label.clone()),
                Argument::localized("title", &rule.title),
            ],
        ),
    }
}

fn run_checks<'r>(
    judgement: &Judgement<'_>,
    context: &mut ScriptContext,
    rule: &'r Rule,
    target: &Target<'_>,
    document: Option<(&str, &str)>,
    findings: &mut Vec<Finding>,
    skips: &mut Skips<'r>,
) {
    let document_path = document.map(|(path, _)| path);
    let document_material = document.map(|(_, material)| material);
    for check in &rule.checks {
        let outcome = decide(
            &judgement.rules.engine,
            &check.assert,
            context.bindings(judgement),
            &judgement.rules.limits,
        );
        let finding = match outcome {
            Ok(true) => continue,
            Ok(false) => {
                // A value already failed as mistyped (`sealed: 盖了`) reaches
                // the script as `()`: its `false` says nothing about the
                // document, and one spelling must not fail twice. The skip
                // is backed by that failure, so it cannot pass a bundle.
                let mistyped = mistyped_inputs(judgement, context, &check.assert);
                if !mistyped.is_empty() {
                    let finding = base_finding(rule, Status::Skip, not_judged(&mistyped));
                    skips.push((findings.len(), &check.assert, mistyped));
                    finding
                } else {
                    let mut finding =
                        base_finding(rule, Status::Fail, render(judgement, context, &check.fail));
                    let hint = check.hint.as_ref().or(rule.hint.as_ref());
                    finding.hint = hint.map(|h| render(judgement, context, h));
                    finding
                }
            }
            Err(error) => {
                let (finding, missing) =
                    script_failure(judgement, context, rule, &check.assert, error);
                if let Some(missing) = missing {
                    skips.push((findings.len(), &check.assert, missing));
                }
                finding
            }
        };
        let path = check
            .at
            .as_ref()
            .and_then(|at| field_path(judgement, context, at))
            .or_else(|| document_path.map(str::to_string))
            .or_else(|| target.path.clone());
        let finding = Finding {
            holder: finding.holder.or_else(|| target.holder.clone()),
            material: finding
                .material
                .or_else(|| document_material.map(str::to_string))
                .or_else(|| target.material.clone()),
            ..finding
        };
        findings.push(match path {
            Some(path) => judgement.at(finding, path),
            None => finding,
        });
    }
}

/// The manifest path of `variable.field`, from the map the variable holds.
fn field_path(judgement: &Judgement<'_>, context: &ScriptContext, at: &FieldRef) -> Option<String> {
    let variables = context.reader(judgement);
    let get = |key: &str| variables.variable_field(&at.variable, key);
    let field = escape_pointer_token(&at.field);
    if let Some(index) = get("index").and_then(|i| i.as_int().ok()) {
        return Some(format!("/documents/{index}/fields/{field}"));
    }
    let key = get("key")?.into_string().ok()?;
    Some(format!("/parties/{}/{field}", escape_pointer_token(&key)))
}

/// A script that gave no verdict. A run-time error on a missing or invalid
/// value `()` is a skip, given with the inputs another finding must fail for
/// (see `backing`); anything else (a limit, a value that is not a boolean,
/// any other error) is a rule error: the rule could not decide.
fn script_failure(
    judgement: &Judgement<'_>,
    context: &ScriptContext,
    rule: &Rule,
    script: &Script,
    error: ScriptError,
) -> (Finding, Option<Vec<MissingInput>>) {
    if let ScriptError::Runtime { met_unit, .. } = &error {
        let missing = missing_inputs(judgement, context, script);
        if *met_unit || !missing.is_empty() {
            return (
                base_finding(rule, Status::Skip, not_judged(&missing)),
                Some(missing),
            );
        }
    }
    let mut text = error.to_string();
    for (value, kind) in &judgement.personal_values {
        if value.len() >= 7 && text.contains(value.as_str()) {
            let kind = if *kind == ArgumentKind::Mobile {
                PersonalKind::Mobile
            } else {
                PersonalKind::ResidentId
            };
            text = text.replace(value.as_str(), &mask(kind, value));
        }
    }
    (rule_error(rule, script, text), None)
}

/// Why a check was not judged: the inputs it met missing or invalid.
fn not_judged(missing: &[MissingInput]) -> Message {
    let inputs = if missing.is_empty() {
        "—".to_string()
    } else {
        let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
        names.join(", ")
    };
    Message::of(
        "未评判:所需的 {inputs} 缺失或无效(见其他发现)",
        "not judged: {inputs} is missing or invalid (see the other findings)",
        vec![Argument::text("inputs", inputs)],
    )
}

/// The inputs of `script` that are `()` because a `field.type` finding
/// already fails the value written there.
fn mistyped_inputs(
    judgement: &Judgement<'_>,
    context: &ScriptContext,
    script: &Script,
) -> Vec<MissingInput> {
    let mut inputs = missing_inputs(judgement, context, script);
    inputs.retain(|input| {
        input.path.as_deref().is_some_and(|path| {
            judgement.findings.iter().any(|finding| {
                finding.rule == field_type::RULE.id
                    && finding.status == Status::Fail
                    && finding.path.as_deref() == Some(path)
            })
        })
    });
    inputs
}

/// A placeholder that only reads `variable.field` is read straight from the
/// scope: most message values are, and this spares an interpreter run each.
fn field_read(
    judgement: &Judgement<'_>,
    context: &ScriptContext,
    placeholder: &Script,
) -> Option<Dynamic> {
    let source = placeholder.source.as_str();
    // The dot found as a byte: `split_once('.')` goes through a searcher.
    let dot = source.bytes().position(|b| b == b'.')?;
    let (variable, field) = (&source[..dot], &source[dot + 1..]);
    let is_name =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !is_name(variable) || !is_name(field) {
        return None;
    }
    context.reader(judgement).variable_field(variable, field)
}

/// A value as a message quotes it: its `to_string()`, copied straight from
/// the text when it is one (most are) instead of through a formatter. (A
/// shared text shows as `text (shared)`, so it takes the formatter.)
fn shown(value: &Dynamic) -> String {
    match value.read_lock::<ImmutableString>() {
        Some(text) if !value.is_shared() => text.as_str().to_owned(),
        _ => value.to_string(),
    }
}

/// A date as a message quotes it, its `to_string()`: `YYYY-MM-DD` written
/// digit by digit for the years chrono writes in four digits (every date a
/// bundle holds), instead of through chrono's format parser.
fn date_text(value: &DateValue) -> String {
    let day = match value {
        DateValue::Day(day) if (0..=9999).contains(&day.year()) => day,
        _ => return value.to_string(),
    };
    let mut text = String::with_capacity(10);
    push_digits(&mut text, day.year().unsigned_abs(), 4);
    text.push('-');
    push_digits(&mut text, day.month(), 2);
    text.push('-');
    push_digits(&mut text, day.day(), 2);
    text
}

/// The last `width` decimal digits of `value`, zeros in front.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        // A remainder below ten: the cast keeps it whole.
        let digit = (value / 10_u32.pow(place) % 10) as u8;
        text.push(char::from(b'0' + digit));
    }
}

/// Fills a template's placeholders from the current scope.
fn render(judgement: &Judgement<'_>, context: &mut ScriptContext, template: &Template) -> Message {
    let mut arguments = Vec::with_capacity(template.placeholders.len());
    for placeholder in &template.placeholders {
        let value = match field_read(judgement, context, placeholder) {
            Some(value) => Ok(value),
            None => quote(
                &judgement.rules.engine,
                placeholder,
                context.bindings(judgement),
                &judgement.rules.limits,
            ),
        };
        let argument = match value {
            Ok(value) if value.is::<DateValue>() => Argument::new(
                &placeholder.source,
                date_text(&value.cast::<DateValue>()),
                ArgumentKind::Date,
            ),
            Ok(value) if value.is_unit() => Argument::text(&placeholder.source, "—"),
            Ok(value) => judgement.argument(&placeholder.source, shown(&value)),
            Err(_) => Argument::text(&placeholder.source, "?"),
        };
        arguments.push(argument);
    }
    Message::new(template.text.clone(), arguments)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rhai::{Array, Dynamic};

    use chrono::Datelike;

    use crate::domain::date::DateValue;

    /// Dates are quoted as their `to_string()`, in and out of the years
    /// written digit by digit.
    #[test]
    fn a_date_is_quoted_as_its_to_string() {
        let mut values = vec![DateValue::LongTerm];
        for (year, month, day) in [
            (0, 1, 1),
            (1, 2, 3),
            (999, 12, 31),
            (1970, 1, 1),
            (2024, 2, 29),
            (2024, 7, 24),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
            (-10000, 1, 1),
            (262_142, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            values.push(DateValue::Day(date));
        }
        for year in [1900, 2000, 2023] {
            let mut date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            while date.year() == year {
                values.push(DateValue::Day(date));
                date = date.succ_opt().unwrap();
            }
        }
        for value in values {
            assert_eq!(super::date_text(&value), value.to_string(), "{value:?}");
        }
    }

    #[test]
    fn a_value_is_shown_as_its_to_string() {
        let array: Array = vec![Dynamic::from("a"), Dynamic::from(1_i64)];
        for value in [
            Dynamic::from("陈凯文"),
            Dynamic::from("").into_shared(),
            Dynamic::from("shared").into_read_only().into_shared(),
            Dynamic::from(12_i64),
            Dynamic::from(true),
            Dynamic::from('x'),
            Dynamic::UNIT,
            Dynamic::from_array(array),
        ] {
            assert_eq!(super::shown(&value), value.to_string(), "{value:?}");
        }
    }
}
