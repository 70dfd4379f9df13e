//! One bundle's judgement: the state every stage adds findings to.

use std::time::Instant;

use chrono::NaiveDate;

use super::CheckOptions;
use crate::bundle::{Bundle, DocumentEntry, FieldEntry, PartyEntry, read_envelope};
use crate::lang::Localized;
use crate::report::{Argument, Finding, Message, Report, Severity, Status};
use crate::rules::{FieldValue, MaterialDef, Operation, RoleDef, RuleSet};
use crate::yaml::Node;

pub use crate::rules::rule_ids;

/// The manifest format this version reads.
pub const BUNDLE_FORMAT: &str = "dossier.bundle/v1";

/// A field of a party or document after typing: `None` when its type refused it.
#[derive(Debug, Clone)]
pub struct TypedField<'a> {
    pub name: &'a str,
    pub value: Option<FieldValue>,
    /// The key as written when it was a misspelling of `name` (with a value).
    pub written_as: Option<&'a str>,
}

impl TypedField<'_> {
    /// A field read under `name` as written (`None` when its type refused it).
    pub fn new(name: &str, value: Option<FieldValue>) -> TypedField<'_> {
        TypedField {
            name,
            value,
            written_as: None,
        }
    }
}

/// Whether `name` is given a value, under its own key or a misspelling of it.
pub fn writes_field(written: &[FieldEntry<'_>], typed: &[TypedField<'_>], name: &str) -> bool {
    written.iter().any(|f| f.name == name && !f.value.is_null())
        || typed
            .iter()
            .any(|f| f.name == name && f.written_as.is_some())
}

/// A party with its role from the catalog and its typed fields.
#[derive(Debug, Clone)]
pub struct TypedParty<'a> {
    pub entry: &'a PartyEntry<'a>,
    pub role: Option<&'a RoleDef>,
    pub fields: Vec<TypedField<'a>>,
}

impl TypedParty<'_> {
    /// How findings name the party: its name when it has one, and its key.
    pub fn display_name(&self) -> String {
        match self
            .entry
            .fields
            .iter()
            .find(|f| f.name == "name")
            .and_then(|f| f.value.as_str())
        {
            Some(name) if name != self.entry.key => format!("{name} ({})", self.entry.key),
            _ => self.entry.key.to_string(),
        }
    }
}

impl TypedDocument<'_> {
    /// Whether the document gives `field` a value (a misspelt key counts:
    /// its finding is the one that says so).
    pub fn writes(&self, field: &str) -> bool {
        writes_field(&self.entry.fields, &self.fields, field)
    }
}

/// A document the operation uses, with its holder and typed fields.
#[derive(Debug, Clone)]
pub struct TypedDocument<'a> {
    pub entry: &'a DocumentEntry<'a>,
    pub material: &'a MaterialDef,
    /// Index into the typed parties, when `holder` names a party that may hold it.
    pub holder: Option<usize>,
    pub fields: Vec<TypedField<'a>>,
}

pub struct Judgement<'a> {
    pub rules: &'a RuleSet,
    pub operation: &'a Operation,
    pub root: &'a Node,
    pub bundle: &'a Bundle,
    pub judged_on: Option<NaiveDate>,
    pub findings: Vec<Finding>,
    pub parties: Vec<TypedParty<'a>>,
    pub documents: Vec<TypedDocument<'a>>,
    /// Every value of a personal field as written and normalised, so a
    /// message quoting one masks it.
    pub personal_values: Vec<(String, crate::report::ArgumentKind)>,
    /// When the bundle's time budget (`Limits::bundle_time`) runs out.
    pub deadline: Instant,
}

impl Judgement<'_> {
    /// Adds the path and its line in the manifest to a finding.
    pub fn at(&self, finding: Finding, path: &str) -> Finding {
        let line = self.root.pointer(path).map(|n| n.position.line);
        Finding {
            path: Some(path.to_string()),
            line,
            ..finding
        }
    }

    /// Whether the bundle's time budget is spent: what is not judged yet is
    /// then reported as not judged instead of being worked on.
    pub fn out_of_time(&self) -> bool {
        Instant::now() > self.deadline
    }

    /// A failing rule error for `rule`, not judged because the budget ran out.
    pub fn out_of_time_finding(&self, rule: &str) -> Finding {
        let mut finding = Finding::new(
            rule,
            Status::Fail,
            Severity::Error,
            Message::of(
                "未评判:材料包的时间预算({seconds} 秒,bundle_time)已用完",
                "not judged: the bundle's time budget ({seconds} s, bundle_time) is used up",
                vec![Argument::text(
                    "seconds",
                    format!("{:.1}", self.rules.limits.bundle_time.as_secs_f64()),
                )],
            ),
        )
        .with_hint(plain(
            "规则或材料包耗时过长:请检查规则脚本,或减少材料包中的文件",
            "the rules or the bundle take too long: check the rule scripts, or split the bundle",
        ));
        finding.rule_error = true;
        finding
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// The argument kind of a value quoted in a message: personal numbers are masked.
    pub fn argument(&self, name: &str, value: String) -> Argument {
        let kind = self
            .personal_values
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(crate::report::ArgumentKind::Text, |(_, kind)| *kind);
        Argument::new(name, value, kind)
    }
}

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
            let mut finding = Finding::new(
                rule_ids::INTERNAL,
                Status::Fail,
                Severity::Error,
                plain(
                    "内部错误:dossier 在评判此材料包时出错,结果不可信",
                    "internal error: dossier failed while judging this bundle; it is not judged",
                ),
            )
            .with_hint(plain(
                "这是 dossier 的缺陷,不是材料包的问题:请附上材料包报告此问题",
                "this is a bug in dossier, not a fault of the bundle: please report it with the bundle",
            ));
            finding.rule_error = true;
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
            report.findings.push(source_refused(problem));
            return report;
        }
        Err(error) => {
            let mut finding = Finding::new(
                rule_ids::READABLE,
                Status::Fail,
                Severity::Error,
                Message::of(
                    "无法读取材料包清单:{reason}",
                    "the bundle manifest cannot be read: {reason}",
                    vec![Argument::localized("reason", &error.explain())],
                ),
            )
            .with_hint(Message::new(error.fix(), vec![]));
            finding.line = error.position().map(|p| p.line);
            report.findings.push(finding);
            return report;
        }
    };
    if let Some(encoding) = bundle.legacy_encoding {
        report.findings.push(legacy_encoding_warning(encoding));
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
    let Some(operation) = super::envelope::judge_envelope(rules, root, &envelope, &mut early)
    else {
        report.operation = envelope
            .operation
            .and_then(Node::as_str)
            .map(str::to_string);
        report.findings = early;
        return report;
    };
    let submitted_on = super::envelope::judge_submitted_on(root, &envelope, options, &mut early);
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

/// The warning that a manifest was read as a legacy encoding, with how to
/// save it as UTF-8.
fn legacy_encoding_warning(encoding: &str) -> Finding {
    let message = Message::of(
        "清单不是 UTF-8 编码,已按 {encoding}(GBK)读取;其他系统可能读不出其中的中文",
        "the manifest is not UTF-8; it was read as {encoding} (GBK), which other systems may not read",
        vec![Argument::text("encoding", encoding)],
    );
    Finding::new(rule_ids::ENCODING, Status::Fail, Severity::Warning, message)
        .with_hint(Message::new(crate::bundle::save_as_utf8(), vec![]))
        .based_on_reviewer_practice()
}

/// A message in both languages with no quoted values.
/// The failing finding of a bundle whose source (an archive, an upload)
/// was refused before anything in it was judged.
fn source_refused(problem: &crate::source::SourceProblem) -> Finding {
    Finding::new(
        rule_ids::READABLE,
        Status::Fail,
        Severity::Error,
        reasoned(
            "无法评判此材料包:{reason}",
            "the bundle cannot be judged: {reason}",
            &problem.explain(),
            vec![],
        ),
    )
    .with_hint(plain(
        "请直接压缩材料包目录(zip、tar 或 tar.gz),不含链接、加密或目录外的路径",
        "pack the bundle folder as it is (zip, tar or tar.gz), without links, encryption or paths leading outside it",
    ))
}

pub fn plain(zh: &str, en: &str) -> Message {
    Message::new(Localized::new(zh, en), Vec::new())
}

/// A message whose `{reason}` is a localized explanation (from the domain library).
pub fn reasoned(zh: &str, en: &str, reason: &Localized, mut arguments: Vec<Argument>) -> Message {
    arguments.push(Argument::localized("reason", reason));
    Message::of(zh, en, arguments)
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
        assert_eq!(finding.rule, rule_ids::INTERNAL);
        assert!(finding.rule_error);
        let text = finding.message.render(crate::lang::Lang::En, true);
        assert!(!text.contains("110105"), "{text}");
    }
}
