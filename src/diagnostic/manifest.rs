//! A bundle manifest that cannot be read, as a diagnostic showing the line
//! the parser stopped at.

use std::path::Path;

use super::{Diagnostic, render};
use crate::bundle::ManifestError;
use crate::yaml::ParseError;

/// The diagnostic of a manifest error; `manifest` is the manifest file.
pub fn manifest_diagnostic(manifest: &Path, error: &ManifestError) -> Diagnostic {
    // The bundle's folder name may hold a personal number or escapes.
    let file = crate::render::Redaction::stderr()
        .text(&manifest.display().to_string())
        .into_owned();
    let message = match error {
        ManifestError::Yaml { error, .. } => match error {
            ParseError::Syntax { message, .. } => format!("YAML syntax: {message}"),
            other => {
                let text = other.to_string();
                match other.position() {
                    Some(_) => text
                        .split_once(": ")
                        .map_or(text.clone(), |(_, m)| m.to_string()),
                    None => text,
                }
            }
        },
        ManifestError::NotUtf8 { offset, .. } => {
            format!("the manifest is not valid UTF-8 (byte {offset})")
        }
        other => other.to_string(),
    };
    let label = match error {
        ManifestError::Yaml { .. } => "the YAML reader stopped here",
        _ => "here",
    };
    Diagnostic::new(file, error.position(), message)
        .label(label)
        .note("fix the manifest and check it again; nothing else in it was judged")
}

/// The manifest error with the offending line, quoted from the bytes that
/// were parsed (never read again: the file may have changed since).
pub fn render_manifest_error(manifest: &Path, error: &ManifestError, color: bool) -> String {
    let diagnostic = manifest_diagnostic(manifest, error);
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
