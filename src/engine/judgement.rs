//! One bundle's judgement, stage by stage: the manifest and its envelope,
//! the version in force, the parties and documents, the operation's rules
//! and the review window. This is the top of the engine: it calls every
//! stage, and no stage calls it.

use std::time::Instant;

use super::builtin::{bundle_encoding, bundle_readable, bundle_submitted_on, dossier_internal};
use super::options::CheckOptions;
use super::state::Judgement;
use crate::bundle::{Bundle, read_envelope};
use crate::report::Report;
use crate::rules::RuleSet;
use crate::yaml::Node;

/// Judges one bundle. Always returns a report, whatever the input: a panic
/// while judging (a bug in dossier) becomes a failing internal-error finding
/// of this bundle alone, so a batch goes on.
pub fn judge(rules: &RuleSet, bundle: &Bundle, options: &CheckOptions) -> Report {
    let mut report = guarded(&bundle.name, || judge_unguarded(rules, bundle, options));
    report.rules_digest = Some(rules.digest.clone());
    // The report keeps raw values: every rendering masks them
    // (`render::Redaction`, `Argument::display`).
    report
}

/// Runs `judge` and turns a panic into a report with one internal-error finding.
pub fn guarded(bundle: &str, judge: impl FnOnce() -> Report) -> Report {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(judge)) {
        Ok(report) => report,
        Err(_) => {
            // The panic payload is not quoted: it may hold values of the bundle.
            let finding = dossier_internal::internal_error();
            Report {
                findings: vec![finding],
                ..Report::empty(bundle)
            }
        }
    }
}

fn judge_unguarded(rules: &RuleSet, bundle: &Bundle, options: &CheckOptions) -> Report {
    let started = Instant::now();
    let mut report = Report {
        manifest: bundle
            .manifest_path
            .as_ref()
            .map(|p| p.display().to_string()),
        judged_on: options.as_of,
        ..Report::empty(&bundle.name)
    };
    let root = match &bundle.manifest {
        Ok(root) => root,
        Err(crate::bundle::ManifestError::Source { problem, .. }) => {
            report
                .findings
                .push(bundle_readable::source_refused(problem));
            return report;
        }
        Err(error) => {
            report
                .findings
                .push(bundle_readable::unreadable_manifest(error));
            return report;
        }
    };
    if let Some(encoding) = bundle.legacy_encoding {
        report
            .findings
            .push(bundle_encoding::legacy_encoding(encoding));
    }
    let envelope = read_envelope(root, &rules.limits);
    report.parties = envelope
        .parties
        .iter()
        .map(|p| crate::report::PartySummary {
            key: p.key.to_string(),
            role: p.role.and_then(Node::as_str).map(str::to_string),
            name: p
                .fields
                .iter()
                .find(|f| f.name == "name")
                .and_then(|f| f.value.as_str())
                .map(str::to_string),
            is_company: p
                .role
                .and_then(Node::as_str)
                .and_then(|role| rules.catalog.role(role))
                .and_then(|role| role.fields.iter().find(|f| f.name == "name"))
                .is_some_and(|f| f.field_type == crate::rules::FieldType::CompanyName),
        })
        .collect();
    let mut early = std::mem::take(&mut report.findings);
    let Some(operation) = bundle_readable::judge_envelope(rules, root, &envelope, &mut early)
    else {
        report.operation = envelope
            .operation
            .and_then(Node::as_str)
            .map(str::to_string);
        report.findings = early;
        return report;
    };
    let submitted_on = bundle_submitted_on::judge(root, &envelope, options, &mut early);
    let judged_on = options.as_of.or(submitted_on);
    report.operation = Some(operation.id.clone());
    report.judged_on = judged_on;
    let Some(operation) = super::version::version_in_force(rules, operation, judged_on, &mut early)
    else {
        report.findings = early;
        return report;
    };
    report.operation_version = Some(operation.version.clone());
    report.operation_title = Some(operation.title.clone());
    report.judged_on = judged_on;

    let mut judgement = Judgement {
        rules,
        operation,
        root,
        bundle,
        judged_on,
        findings: early,
        parties: Vec::new(),
        documents: Vec::new(),
        personal_values: Vec::new(),
        deadline: started + rules.limits.bundle_time,
    };
    super::typing::judge_parties_and_documents(&mut judgement, &envelope);
    super::evaluate::evaluate_rules(&mut judgement);
    report.review_window = super::review::review_window(&mut judgement);
    report.findings = judgement.findings;
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Verdict;

    #[test]
    fn a_panic_while_judging_is_a_failing_internal_error_of_that_bundle() {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let report = guarded("b", || panic!("110105194912310021"));
        std::panic::set_hook(previous);
        assert_eq!(report.bundle, "b");
        assert_eq!(report.verdict(), Verdict::Fail);
        let [finding] = report.findings.as_slice() else {
            panic!("one finding: {report:?}")
        };
        assert_eq!(finding.rule, dossier_internal::RULE.id);
        assert!(finding.rule_error);
        let text = finding.message.render(crate::lang::Lang::En, true);
        assert!(!text.contains("110105"), "{text}");
    }
}
