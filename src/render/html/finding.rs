//! One finding as the report shows it: its mark, message, fix, place,
//! basis and the values it judged.

use super::super::RenderOptions;
use super::super::outline::{self, Kind};
use super::super::words::Words;
use super::view::Fact;
use crate::report::Finding;

/// A finding, ready for `templates/report/finding.html`.
pub struct FindingView {
    pub id: String,
    pub class: &'static str,
    pub mark: &'static str,
    pub label: &'static str,
    pub rule: String,
    pub rule_error: Option<&'static str>,
    pub message: String,
    pub facts: Vec<Fact>,
    pub values: Vec<(String, String)>,
}

/// Where a finding points, without the manifest path the banner already shows.
fn place(finding: &Finding, words: &Words) -> Option<String> {
    match (&finding.path, finding.line) {
        (Some(path), Some(line)) => Some(format!("{path} ({})", words.line(line))),
        (Some(path), None) => Some(path.clone()),
        (None, Some(line)) => Some(words.line(line)),
        (None, None) => None,
    }
}

pub fn finding_view(
    id: String,
    finding: &Finding,
    options: &RenderOptions,
    words: &Words,
) -> FindingView {
    let kind = Kind::of(finding);
    let (mark, label, class) = match kind {
        Kind::Failure => ("✗", words.fail, "finding failure"),
        Kind::Warning if finding.fails_at(options.fail_on) => {
            ("!", words.warning, "finding warning failing")
        }
        Kind::Warning => ("!", words.warning, "finding warning"),
        Kind::Waived => ("≈", words.waiver, "finding waived"),
        Kind::Note => ("i", words.note, "finding note"),
        Kind::Passed => ("✓", words.pass, "finding passed"),
        Kind::Skipped => ("–", words.skipped, "finding skipped"),
    };
    let detailed = matches!(kind, Kind::Failure | Kind::Warning | Kind::Waived);
    let mut facts: Vec<Fact> = Vec::new();
    if let Some(fix) = outline::fix(finding, options) {
        facts.push(Fact {
            term: words.fix,
            value: fix,
            fix: true,
        });
    }
    if let Some(waiver) = outline::waiver(finding, options) {
        facts.push(Fact::new(words.waiver, waiver));
    }
    if let Some(place) = place(finding, words) {
        facts.push(Fact::new(words.at, place));
    }
    if detailed {
        if let Some(basis) = finding.basis_in(options.lang) {
            facts.push(Fact::new(words.basis, basis.to_string()));
        }
        if let Some(source) = outline::rule_source(finding) {
            facts.push(Fact::new(words.rule_source, source));
        }
    }
    // Failures and warnings show their evidence as a table; passes in one line.
    let values = if detailed {
        outline::labelled_values(finding, options)
    } else {
        if let Some(line) = outline::values_line(finding, options) {
            facts.push(Fact::new(words.values, line));
        }
        Vec::new()
    };
    FindingView {
        id,
        class,
        mark,
        label,
        rule: finding.rule.to_string(),
        rule_error: finding.rule_error.then_some(words.rule_error),
        message: outline::message(finding, options),
        facts,
        values,
    }
}
