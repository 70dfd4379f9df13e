//! How the renderings for people (text, Markdown, HTML) and for CI (JUnit,
//! GitHub) arrange and describe findings: which section a finding goes in,
//! the party groups in manifest order, and a finding's evidence — the values
//! it judged, where it points in the manifest, and the rule that demanded it.

use super::RenderOptions;
use super::argument_label::argument_label;
use crate::report::{Finding, Report, Severity, Status};

/// The section a finding is shown in, in the order sections are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Failure,
    Warning,
    /// A failure a reviewer's waiver excepted.
    Waived,
    Note,
    Passed,
    Skipped,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Failure,
        Kind::Warning,
        Kind::Waived,
        Kind::Note,
        Kind::Passed,
        Kind::Skipped,
    ];

    pub fn of(finding: &Finding) -> Kind {
        match (finding.status, finding.severity) {
            (Status::Fail, Severity::Error) => Kind::Failure,
            (Status::Fail, _) => Kind::Warning,
            (Status::Pass, Severity::Info) => Kind::Note,
            (Status::Pass, _) => Kind::Passed,
            (Status::Skip, _) => Kind::Skipped,
            (Status::Waived, _) => Kind::Waived,
        }
    }
}

/// The findings of `report` in section `kind`, in report order.
pub fn of_kind(report: &Report, kind: Kind) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| Kind::of(f) == kind)
        .collect()
}

/// `findings` grouped by the party they concern: findings about the whole
/// bundle first, then each party in manifest order, then holders the
/// manifest does not declare. Empty groups are left out.
pub fn by_party<'a>(
    report: &'a Report,
    findings: &[&'a Finding],
) -> Vec<(Option<&'a str>, Vec<&'a Finding>)> {
    let mut groups: Vec<Option<&str>> = vec![None];
    groups.extend(report.parties.iter().map(|p| Some(p.key.as_str())));
    for finding in findings {
        if let Some(holder) = finding.holder.as_deref()
            && !groups.contains(&Some(holder))
        {
            groups.push(Some(holder));
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let members: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.holder.as_deref() == group)
                .collect();
            (group, members)
        })
        .filter(|(_, members)| !members.is_empty())
        .collect()
}

/// The values a finding judged, as `(name, shown value)`, masked unless asked.
pub fn values(finding: &Finding, options: &RenderOptions) -> Vec<(String, String)> {
    finding
        .message
        .arguments
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                a.display(options.lang, options.show_personal_data),
            )
        })
        .collect()
}

/// The values as a person reads them: each under its label in the
/// report's language ([`argument_label`]), masked unless asked; a value
/// with nothing to show is left out.
pub fn labelled_values(finding: &Finding, options: &RenderOptions) -> Vec<(String, String)> {
    values(finding, options)
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| {
            // A clause written to follow others (`, sha256 verified`) stands alone here.
            let value = value
                .trim_start_matches([',', '\u{ff0c}', ';', ' '])
                .to_string();
            (argument_label(&name, options.lang).into_owned(), value)
        })
        .collect()
}

/// The values as one line, labelled: `最少工作日数 = 3; 最多工作日数 = 5`.
pub fn values_line(finding: &Finding, options: &RenderOptions) -> Option<String> {
    let values = labelled_values(finding, options);
    if values.is_empty() {
        return None;
    }
    Some(
        values
            .iter()
            .map(|(name, value)| format!("{name} = {value}"))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Where in the manifest a finding points: `file:line  /pointer`, or what of
/// it is known.
pub fn place(report: &Report, finding: &Finding) -> Option<String> {
    match (&report.manifest, finding.line, &finding.path) {
        (Some(manifest), Some(line), Some(path)) => Some(format!("{manifest}:{line}  {path}")),
        (Some(manifest), Some(line), None) => Some(format!("{manifest}:{line}")),
        (_, _, Some(path)) => Some(path.clone()),
        _ => None,
    }
}

/// The rule file position that demanded the finding: `file:line:column`.
pub fn rule_source(finding: &Finding) -> Option<String> {
    finding
        .origin
        .as_ref()
        .map(|o| format!("{}:{}:{}", o.file, o.line, o.column))
}

/// A name for the finding that tells it apart from the rule's other
/// findings in the same report: `rule [holder] /pointer`.
pub fn subject(finding: &Finding) -> String {
    let mut name = finding.rule.to_string();
    if let Some(holder) = &finding.holder {
        name.push_str(&format!(" [{holder}]"));
    }
    if let Some(path) = &finding.path {
        name.push(' ');
        name.push_str(path);
    }
    name
}

/// The message and the fix, in the chosen language, masked unless asked.
pub fn message(finding: &Finding, options: &RenderOptions) -> String {
    finding
        .message
        .render(options.lang, options.show_personal_data)
}

/// The waiver that excepted a finding: reason — approver (until, source).
pub fn waiver(finding: &Finding, options: &RenderOptions) -> Option<String> {
    let waiver = finding.waiver.as_ref()?;
    let until = match options.lang {
        crate::lang::Lang::Zh => "有效至",
        crate::lang::Lang::En => "until",
    };
    Some(format!(
        "{} — {} ({until} {}, {})",
        waiver.reason, waiver.approved_by, waiver.expires, waiver.source
    ))
}

/// The fix, shown for findings that did not pass.
pub fn fix(finding: &Finding, options: &RenderOptions) -> Option<String> {
    if finding.status != Status::Fail {
        return None;
    }
    finding
        .hint
        .as_ref()
        .map(|h| h.render(options.lang, options.show_personal_data))
}
