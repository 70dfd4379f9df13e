//! A material's attachments as links, for a report a server shows beside
//! the bundle's files: addresses are built from the raw file names, and a
//! name that masking changed gets no link (its address would either be
//! wrong or carry the number).

use super::super::Redaction;
use crate::report::Report;

/// An attachment of a material; linked when served and its name needed no
/// masking.
pub struct FileLink {
    pub name: String,
    pub href: Option<String>,
}

/// The attachments of each document entry of `raw` (`/documents/2` →
/// its files), as `served_at` serves them. Names are redacted; a name that
/// masking changed gets no link, since its address would either be wrong
/// or carry the number. `None` when attachments are not served.
pub fn attachments(
    raw: &Report,
    redaction: &Redaction,
    served_at: Option<&str>,
) -> Option<Vec<(String, FileLink)>> {
    let base = served_at?;
    let mut files: Vec<(String, FileLink)> = Vec::new();
    for finding in &raw.findings {
        let Some(path) = finding.path.as_deref() else {
            continue;
        };
        let Some(document) = document_of_file(path) else {
            continue;
        };
        let Some(file) = finding.message.arguments.iter().find(|a| a.name == "file") else {
            continue;
        };
        if files
            .iter()
            .any(|(d, f)| *d == document && f.name == file.value)
        {
            continue;
        }
        let shown = redaction.text(&file.value);
        let href = (shown == file.value).then(|| format!("{base}{}", url_path(&file.value)));
        files.push((
            document,
            FileLink {
                name: shown.into_owned(),
                href,
            },
        ));
    }
    Some(files)
}

/// `/documents/2/file` or `/documents/2/file/0` → `/documents/2`.
fn document_of_file(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/documents/")?;
    let (index, tail) = rest.split_once('/')?;
    let is_file = tail == "file" || tail.starts_with("file/");
    (is_file && !index.is_empty()).then(|| format!("/documents/{index}"))
}

/// A relative path as a URL path: every byte but unreserved characters and
/// `/` percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_pointers_name_their_document() {
        assert_eq!(
            document_of_file("/documents/2/file").as_deref(),
            Some("/documents/2")
        );
        assert_eq!(
            document_of_file("/documents/10/file/1").as_deref(),
            Some("/documents/10")
        );
        assert_eq!(document_of_file("/documents/2/fields/file"), None);
        assert_eq!(document_of_file("/documents/2"), None);
    }

    #[test]
    fn attachment_addresses_are_percent_encoded_paths() {
        assert_eq!(
            url_path("files/营业 执照#1.pdf"),
            "files/%E8%90%A5%E4%B8%9A%20%E6%89%A7%E7%85%A7%231.pdf"
        );
        assert_eq!(url_path("files/a-b_c.~.pdf"), "files/a-b_c.~.pdf");
    }
}
