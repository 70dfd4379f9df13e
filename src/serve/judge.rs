//! The one place the service calls the library to judge and render a
//! bundle, so a change of the library's API is a change here only.

use dossier::engine::CheckOptions;
use dossier::render::{Format, RenderOptions, render_report};
use dossier::report::{Severity, Verdict};
use dossier::source::BundleSource;

use super::reload::LoadedRules;
use super::upload::Upload;

/// A judged bundle: its report as the CLI writes it, and what the
/// service's header, metrics and log need.
pub struct Judged {
    pub text: String,
    pub passed: bool,
    /// Rules that failed (errors and warnings), each once, in report order.
    pub failing_rules: Vec<String>,
}

/// Judges `upload` with `loaded` and renders the report. CPU work: call
/// it on the blocking pool, never on an async worker.
pub fn judge(
    loaded: &LoadedRules,
    upload: Upload,
    options: &CheckOptions,
    format: Format,
    settings: &RenderOptions,
) -> Judged {
    let source = match upload {
        Upload::Archive { name, bytes } => BundleSource::archive_bytes(name, bytes),
        Upload::Files { name, files } => BundleSource::memory(name, files),
    };
    let report = loaded.rules.check_source(&source, options);
    let text = render_report(&report, format, settings);
    let mut failing_rules: Vec<String> = Vec::new();
    for severity in [Severity::Error, Severity::Warning] {
        for rule in report.failing_rules(severity) {
            if !failing_rules.iter().any(|r| r == rule) {
                failing_rules.push(rule.to_string());
            }
        }
    }
    Judged {
        text,
        passed: report.verdict_at(settings.fail_on) == Verdict::Pass,
        failing_rules,
    }
}
