//! A bundle manifest that cannot be read, as a diagnostic showing the line
//! the parser stopped at.

use std::path::Path;

use super::{Diagnostic, render};
use crate::bundle::ManifestError;
use crate::lang::Lang;

/// The diagnostic of a manifest error in `lang`; `manifest` is the manifest file.
pub fn manifest_diagnostic(manifest: &Path, error: &ManifestError, lang: Lang) -> Diagnostic {
    // The bundle's folder name may hold a personal number or escapes.
    let file = crate::render::Redaction::stderr()
        .text(&manifest.display().to_string())
        .into_owned();
    let message = match error {
        ManifestError::Yaml { error, .. } => error.explain().get(lang).to_string(),
        other => other.explain().get(lang).to_string(),
    };
    let mistake = matches!(
        error,
        ManifestError::Yaml {
            error: crate::yaml::ParseError::Mistake { .. },
            ..
        }
    );
    let label = match (error, lang) {
        _ if mistake && lang == Lang::Zh => "这里",
        (ManifestError::Yaml { .. }, Lang::Zh) => "YAML 读取在此处停止",
        (ManifestError::Yaml { .. }, Lang::En) => "the YAML reader stopped here",
        (_, Lang::Zh) => "此处",
        (_, Lang::En) => "here",
    };
    let note = match lang {
        Lang::Zh => "改正清单后再检查一次;清单中的其他内容尚未评判",
        Lang::En => "fix the manifest and check it again; nothing else in it was judged",
    };
    let fix = error.fix();
    Diagnostic::new(file, error.position(), message)
        .label(label)
        .note(fix.get(lang))
        .note(note)
}

/// The manifest error with the offending line, quoted from the bytes that
/// were parsed (never read again: the file may have changed since).
pub fn render_manifest_error(
    manifest: &Path,
    error: &ManifestError,
    lang: Lang,
    color: bool,
) -> String {
    let diagnostic = manifest_diagnostic(manifest, error, lang);
    let text = match error {
        // The quoted line may hold an ID or phone number, or characters that
        // act on a terminal: masked and replaced one for one, so the caret
        // still points at the right column.
        ManifestError::Yaml { text, .. } => Some(
            crate::domain::mask::masked(&text.replace("\r\n", "\n"))
                .chars()
                .map(|c| match c {
                    '\n' | '\t' => c,
                    c if crate::render::is_unsafe(c) => '\u{FFFD}',
                    c => c,
                })
                .collect(),
        ),
        _ => None,
    };
    render(&[diagnostic], &|_| text.clone(), color)
}
