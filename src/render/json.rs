//! JSON reports, `dossier.report/v1` (spec §4): lossless, stable key order,
//! personal numbers masked unless asked.

use serde_json::{Map, Value, json};

use super::RenderOptions;
use crate::report::{Finding, Message, Report};

/// The format tag of every JSON report.
pub const REPORT_FORMAT: &str = "dossier.report/v1";

fn message_text(message: &Message, options: &RenderOptions) -> String {
    message.render(options.lang, options.show_personal_data)
}

fn finding_value(finding: &Finding, options: &RenderOptions) -> Value {
    let mut values = Map::new();
    for argument in &finding.message.arguments {
        values.insert(
            argument.name.clone(),
            Value::String(argument.display(options.lang, options.show_personal_data)),
        );
    }
    let mut object = Map::new();
    object.insert("rule".into(), json!(finding.rule));
    object.insert("status".into(), json!(finding.status));
    object.insert("severity".into(), json!(finding.severity));
    object.insert(
        "message".into(),
        json!(message_text(&finding.message, options)),
    );
    object.insert(
        "hint".into(),
        json!(finding.hint.as_ref().map(|h| message_text(h, options))),
    );
    object.insert("basis".into(), json!(finding.basis));
    object.insert("holder".into(), json!(finding.holder));
    object.insert("material".into(), json!(finding.material));
    object.insert("path".into(), json!(finding.path));
    object.insert("line".into(), json!(finding.line));
    object.insert("values".into(), Value::Object(values));
    object.insert("rule_source".into(), json!(finding.origin));
    if let Some(waiver) = &finding.waiver {
        object.insert("waiver".into(), json!(waiver));
    }
    if finding.rule_error {
        object.insert("rule_error".into(), json!(true));
    }
    Value::Object(object)
}

/// One report as a JSON object.
pub fn report_value(report: &Report, options: &RenderOptions) -> Value {
    let mut object = Map::new();
    object.insert("format".into(), json!(REPORT_FORMAT));
    object.insert("bundle".into(), json!(report.bundle));
    object.insert("operation".into(), json!(report.operation));
    object.insert(
        "operation_title".into(),
        json!(report.operation_title.as_ref().map(|t| t.get(options.lang))),
    );
    object.insert("judged_on".into(), json!(report.judged_on));
    object.insert("verdict".into(), json!(report.verdict()));
    object.insert("counts".into(), json!(report.counts()));
    object.insert("review_window".into(), json!(report.review_window));
    object.insert(
        "findings".into(),
        Value::Array(
            report
                .findings
                .iter()
                .map(|f| finding_value(f, options))
                .collect(),
        ),
    );
    Value::Object(object)
}

/// Several reports as a JSON array, in input order.
pub fn reports_value(reports: &[Report], options: &RenderOptions) -> Value {
    Value::Array(reports.iter().map(|r| report_value(r, options)).collect())
}
