//! Applying waivers to one bundle's report.

use super::file::{Waiver, Waivers};
use super::pattern::bundle_matches;
use crate::report::{
    Argument, ArgumentKind, Finding, Message, Report, Severity, Status, WaiverNote,
};

/// A matching waiver past its expiry: it did not apply.
pub const WAIVER_EXPIRED: &str = crate::engine::builtin::waiver::EXPIRED.id;
/// A waiver naming this bundle that matched no failing finding.
pub const WAIVER_UNUSED: &str = crate::engine::builtin::waiver::UNUSED.id;

fn matches(waiver: &Waiver, finding: &Finding) -> bool {
    finding.rule == waiver.rule
        && waiver
            .holder
            .as_ref()
            .is_none_or(|h| finding.holder.as_ref() == Some(h))
        && waiver
            .material
            .as_ref()
            .is_none_or(|m| finding.material.as_ref() == Some(m))
        && waiver.path.as_ref().is_none_or(|p| {
            finding
                .path
                .as_ref()
                .is_some_and(|f| f == p || f.starts_with(&format!("{}/", p.trim_end_matches('/'))))
        })
}

fn note(waivers: &Waivers, waiver: &Waiver) -> WaiverNote {
    WaiverNote {
        reason: waiver.reason.clone(),
        approved_by: waiver.approved_by.clone(),
        expires: waiver.expires,
        source: format!("{}:{}", waivers.file, waiver.line),
    }
}

/// Waives the failing findings the file excepts. Expiry is judged on the
/// report's judging date, so the same input gives the same report.
pub fn apply_waivers(report: &mut Report, waivers: &Waivers) {
    let mut added = Vec::new();
    for waiver in waivers
        .waivers
        .iter()
        .filter(|w| bundle_matches(&w.bundle, &report.bundle))
    {
        let expired = report.judged_on.is_none_or(|day| day > waiver.expires);
        let mut matched = 0;
        for finding in report.findings.iter_mut() {
            if finding.status != Status::Fail || finding.rule_error || !matches(waiver, finding) {
                continue;
            }
            matched += 1;
            if !expired {
                finding.status = Status::Waived;
                finding.waiver = Some(note(waivers, waiver));
            }
        }
        let arguments = vec![
            Argument::text("rule", waiver.rule.clone()),
            Argument::text("approved_by", waiver.approved_by.clone()),
            Argument::new("expires", waiver.expires.to_string(), ArgumentKind::Date),
            Argument::text("source", format!("{}:{}", waivers.file, waiver.line)),
        ];
        let warning = match (matched, expired) {
            (0, _) => Message::of(
                "豁免未匹配任何不通过项:规则 {rule}({approved_by} 批准,{source}),请确认是否仍需要",
                "the waiver for {rule} (approved by {approved_by}, {source}) matched no failing finding; check whether it is still needed",
                arguments,
            ),
            (_, true) => Message::of(
                "规则 {rule} 的豁免已于 {expires} 到期({approved_by} 批准,{source}),未予适用",
                "the waiver for {rule} (approved by {approved_by}, {source}) expired on {expires} and was not applied",
                arguments,
            ),
            _ => continue,
        };
        let rule = if matched == 0 {
            WAIVER_UNUSED
        } else {
            WAIVER_EXPIRED
        };
        added.push(Finding::new(rule, Status::Fail, Severity::Warning, warning));
    }
    report.findings.extend(added);
}
