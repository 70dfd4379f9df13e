//! The one place the service calls the library to judge and render a
//! bundle, so a change of the library's API is a change here only.

use dossier::engine::CheckOptions;
use dossier::render::{Format, RenderOptions, render};
use dossier::report::{Severity, Verdict};

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
    // INTERIM until `dossier::source` lands: the manifest is judged from
    // memory and attachments are not reachable, so they fail (closed).
    let (name, files) = match upload {
        Upload::Archive { name, bytes } => {
            drop(bytes);
            (name, Default::default())
        }
        Upload::Files { name, files } => (name, files),
    };
    let manifest = files.get("bundle.yaml").cloned();
    let (manifest, legacy_encoding) = match manifest {
        Some(bytes) => dossier::bundle::decode_and_parse(&name, bytes, &loaded.rules.limits),
        None => (
            Err(dossier::bundle::ManifestError::NotFound(name.clone())),
            None,
        ),
    };
    let bundle = dossier::bundle::Bundle {
        name: name.clone(),
        files: dossier::source::Files::folder(std::path::Path::new("/nonexistent/upload")),
        manifest_path: Some(std::path::PathBuf::from(format!("{name}/bundle.yaml"))),
        manifest,
        legacy_encoding,
    };
    let report = loaded.rules.check_bundle(&bundle, options);
    let text = render(format, std::slice::from_ref(&report), settings);
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
