//! The materials of a bundle with their status, derived from the findings
//! that concern a material: for the reviewer's checklist in HTML and
//! Markdown. A material that is required but missing shows as failing,
//! since its requirement's finding names the material and its holder.

use super::RenderOptions;
use crate::report::{Finding, Report, Severity, Status};

/// How a material stands, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Failed,
    Warned,
    Waived,
    Passed,
    NotJudged,
}

impl Standing {
    fn of(finding: &Finding) -> Standing {
        match (finding.status, finding.severity) {
            (Status::Fail, Severity::Error) => Standing::Failed,
            (Status::Fail, _) => Standing::Warned,
            (Status::Pass, _) => Standing::Passed,
            (Status::Skip, _) => Standing::NotJudged,
            (Status::Waived, _) => Standing::Waived,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Standing::Failed => "failed",
            Standing::Warned => "warned",
            Standing::Waived => "waived",
            Standing::Passed => "passed",
            Standing::NotJudged => "not-judged",
        }
    }
}

/// One material of one holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialStatus<'a> {
    pub holder: Option<&'a str>,
    /// The material id, e.g. `id_card`.
    pub material: &'a str,
    /// The material's title in the report language, when a finding quotes it.
    pub title: String,
    /// The document entry (`/documents/2`) when the bundle has one.
    pub document: Option<String>,
    pub standing: Standing,
    /// Rules that judged it, each once, failing ones first.
    pub rules: Vec<&'a str>,
}

fn document_pointer(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/documents/")?;
    let index = rest.split('/').next()?;
    (!index.is_empty()).then(|| format!("/documents/{index}"))
}

/// A material's title as some finding quotes it (the engine names the
/// material in its holder and type findings), else its id.
fn title(report: &Report, material: &str, options: &RenderOptions) -> String {
    report
        .findings
        .iter()
        .filter(|f| f.material.as_deref() == Some(material))
        .flat_map(|f| &f.message.arguments)
        .find(|a| a.name == "material" && a.en.is_some())
        .map_or(material.to_string(), |a| {
            a.display(options.lang, options.show_personal_data)
        })
}

/// Every (holder, material) the findings concern, in report order. A
/// finding that names no material but points into a document entry counts
/// for the material of that entry.
pub fn material_statuses<'a>(
    report: &'a Report,
    options: &RenderOptions,
) -> Vec<MaterialStatus<'a>> {
    let mut statuses: Vec<MaterialStatus<'a>> = Vec::new();
    let mut unnamed: Vec<&'a Finding> = Vec::new();
    for finding in &report.findings {
        let Some(material) = finding.material.as_deref() else {
            unnamed.push(finding);
            continue;
        };
        let holder = finding.holder.as_deref();
        let standing = Standing::of(finding);
        let document = finding.path.as_deref().and_then(document_pointer);
        // A finding that names no holder (an attachment's file check) is
        // about the same material as its document entry's holder finding:
        // one row, under the party, with the worse standing.
        let same_entry = |s: &MaterialStatus| {
            s.material == material
                && (s.holder.is_none() || holder.is_none())
                && document.is_some()
                && s.document == document
        };
        let index = match statuses
            .iter()
            .position(|s| s.holder == holder && s.material == material)
            .or_else(|| statuses.iter().position(same_entry))
        {
            Some(index) => index,
            None => {
                statuses.push(MaterialStatus {
                    holder,
                    material,
                    title: title(report, material, options),
                    document: None,
                    standing,
                    rules: Vec::new(),
                });
                statuses.len() - 1
            }
        };
        let status = &mut statuses[index];
        status.standing = status.standing.min(standing);
        if status.holder.is_none() {
            status.holder = holder;
        }
        if status.document.is_none() {
            status.document = document;
        }
        if !status.rules.contains(&finding.rule.as_str()) {
            status.rules.push(&finding.rule);
        }
    }
    for finding in unnamed {
        let Some(document) = finding.path.as_deref().and_then(document_pointer) else {
            continue;
        };
        if let Some(status) = statuses
            .iter_mut()
            .find(|s| s.document.as_deref() == Some(document.as_str()))
        {
            status.standing = status.standing.min(Standing::of(finding));
            if !status.rules.contains(&finding.rule.as_str()) {
                status.rules.push(&finding.rule);
            }
        }
    }
    for status in &mut statuses {
        let order = |rule: &&str| {
            report
                .findings
                .iter()
                .filter(|f| {
                    let document = f.path.as_deref().and_then(document_pointer);
                    f.rule == *rule
                        && (f.material.as_deref() == Some(status.material)
                            && f.holder.as_deref() == status.holder
                            || document.is_some() && document == status.document)
                })
                .map(Standing::of)
                .min()
        };
        status.rules.sort_by_key(order);
    }
    statuses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_pointers_are_cut_to_the_entry() {
        assert_eq!(
            document_pointer("/documents/2/fields/valid_until").as_deref(),
            Some("/documents/2")
        );
        assert_eq!(
            document_pointer("/documents/10").as_deref(),
            Some("/documents/10")
        );
        assert_eq!(document_pointer("/parties/lisi"), None);
    }
}
