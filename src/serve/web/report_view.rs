//! A judged bundle as a page shows it: the verdict first, then a numbered
//! list of what to fix, each item pointing at the input it concerns when
//! the bundle came from the form. Personal numbers are always masked.

use dossier::lang::Lang;
use dossier::report::{Counts, Finding, Message, Report, Severity, Status, Verdict};

use super::manifest::Slot;
use super::party_names::PartyNames;
use super::plan::Plan;
use super::words::{Words, pick};

pub struct ReportView {
    pub passed: bool,
    pub verdict: &'static str,
    pub title: String,
    pub judged_on: String,
    pub counts: Counts,
    pub fixes: Vec<FixView>,
    pub warnings: Vec<FixView>,
    pub passed_checks: Vec<String>,
    pub skipped_checks: Vec<String>,
    pub review_window: Option<String>,
}

pub struct FixView {
    pub message: String,
    pub hint: Option<String>,
    pub rule: String,
    /// The id of the form input this item is about.
    pub target: Option<String>,
}

/// Where a finding points in the form: the plan and the built bundle's
/// document slots.
pub struct FormPlace<'a, 'r> {
    pub plan: &'a Plan<'r>,
    pub documents: &'a [Slot],
}

/// The page's view of `report`; `names` says how its parties are named
/// (for a bundle from the form, as the form does, not by key).
pub fn view(
    report: &Report,
    place: Option<&FormPlace>,
    names: &PartyNames,
    lang: Lang,
    words: &Words,
) -> ReportView {
    let said = |message: &Message| names.message(message).render(lang, false);
    let render = |f: &Finding| said(&f.message);
    let fix = |f: &&Finding| FixView {
        message: render(f),
        hint: f.hint.as_ref().map(said),
        rule: f.rule.to_string(),
        target: place.and_then(|p| target(f, p)),
    };
    let failing = |severity: Severity| -> Vec<&Finding> {
        report
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail && (f.severity == severity))
            .collect()
    };
    let fixes: Vec<FixView> = failing(Severity::Error).iter().map(fix).collect();
    let warnings: Vec<FixView> = failing(Severity::Warning).iter().map(fix).collect();
    let with_status = |status: Status| -> Vec<String> {
        report
            .findings
            .iter()
            .filter(|f| f.status == status)
            .map(render)
            .collect()
    };
    let passed = report.verdict() == Verdict::Pass;
    ReportView {
        passed,
        verdict: if passed {
            words.verdict_pass
        } else {
            words.verdict_fail
        },
        title: report.operation_title.as_ref().map_or_else(
            || report.operation.clone().unwrap_or_default(),
            |t| t.get(lang).to_string(),
        ),
        judged_on: report.judged_on.map(|d| d.to_string()).unwrap_or_default(),
        counts: report.counts(),
        fixes,
        warnings,
        passed_checks: with_status(Status::Pass),
        skipped_checks: with_status(Status::Skip),
        review_window: report.review_window.as_ref().map(|w| {
            pick(
                lang,
                format!(
                    "预计于 {} 至 {} 之间给出审核结果({}–{} 个工作日)",
                    w.earliest, w.latest, w.from_working_days, w.to_working_days
                ),
                format!(
                    "a decision is expected between {} and {} ({}–{} working days)",
                    w.earliest, w.latest, w.from_working_days, w.to_working_days
                ),
            )
        }),
    }
}

/// The id of the input a finding concerns, when the form has one.
fn target(finding: &Finding, place: &FormPlace) -> Option<String> {
    let mut steps = finding.path.as_deref().unwrap_or("").split('/').skip(1);
    match (steps.next(), steps.next(), steps.next(), steps.next()) {
        (Some("submitted_on"), ..) => return Some("submitted_on".into()),
        (Some("parties"), Some(party), Some(field), _) if field_of_party(place, party, field) => {
            return Some(format!("p-{party}-{field}"));
        }
        (Some("parties"), Some(party), ..) => return first_field(place, party),
        (Some("documents"), Some(index), rest, field) => {
            let slot = place.documents.get(index.parse::<usize>().ok()?)?;
            return Some(match (rest, field) {
                (Some("fields"), Some(field)) => {
                    format!("d-{}-{}-{field}", slot.party, slot.material)
                }
                _ => format!("f-{}-{}", slot.party, slot.material),
            });
        }
        _ => {}
    }
    let holder = finding.holder.as_deref()?;
    let material = finding
        .material
        .as_deref()
        .and_then(|m| m.split('|').next());
    let (role, _) = place.plan.party(holder)?;
    match material {
        Some(material)
            if role
                .groups
                .iter()
                .any(|g| g.materials.iter().any(|m| m.name == material)) =>
        {
            Some(format!("f-{holder}-{material}"))
        }
        _ => first_field(place, holder),
    }
}

fn field_of_party(place: &FormPlace, party: &str, field: &str) -> bool {
    place
        .plan
        .party(party)
        .is_some_and(|(role, _)| role.def.field(field).is_some())
}

fn first_field(place: &FormPlace, party: &str) -> Option<String> {
    let (role, _) = place.plan.party(party)?;
    Some(format!("p-{party}-{}", role.def.fields.first()?.name))
}
