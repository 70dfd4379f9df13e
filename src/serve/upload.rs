//! Reading an uploaded bundle into memory: a raw archive body, or a
//! multipart form with the archive (`bundle`) or the manifest (`manifest`)
//! and one part per attachment named by its path in the manifest.
//!
//! Nothing is written to disk: the body is collected, within the body
//! limit, into memory, and dropped with the request.

use std::collections::BTreeMap;
use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::negotiate::essence;
use super::problem::Problem;

/// The name a report gives an uploaded bundle when the client names none.
pub const UPLOAD_NAME: &str = "upload";

/// Archive media types and the aliases browsers and tools send for them.
const ARCHIVE_TYPES: [&str; 6] = [
    "application/zip",
    "application/x-zip-compressed",
    "application/x-tar",
    "application/gzip",
    "application/x-gzip",
    "application/x-gtar",
];

/// The media types `POST /v1/check` accepts, for messages.
pub const ACCEPTED: &str =
    "application/zip, application/x-tar, application/gzip or multipart/form-data";

/// One uploaded bundle, in memory.
#[derive(Debug)]
pub enum Upload {
    /// An archive; its kind is told from its bytes.
    Archive { name: String, bytes: Vec<u8> },
    /// A manifest (under its usual name) and attachments by their path.
    Files {
        name: String,
        files: BTreeMap<String, Vec<u8>>,
    },
}

/// Which kind of body this is, told from `Content-Type` before reading it.
pub enum BodyKind {
    Archive,
    Multipart { boundary: String },
}

/// Refuses a body we cannot read (415) or a multipart type without a
/// boundary (400) before any of it is read.
pub fn body_kind(headers: &HeaderMap) -> Result<BodyKind, Problem> {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(Problem::unsupported_media_type(format!(
            "no Content-Type; send {ACCEPTED}"
        )));
    };
    let media_type = essence(content_type);
    if ARCHIVE_TYPES.contains(&media_type.as_str()) {
        return Ok(BodyKind::Archive);
    }
    if media_type == "multipart/form-data" {
        let boundary = multer::parse_boundary(content_type)
            .map_err(|_| Problem::bad_request("the multipart Content-Type has no boundary"))?;
        return Ok(BodyKind::Multipart { boundary });
    }
    Err(Problem::unsupported_media_type(format!(
        "`{media_type}` is not a bundle; send {ACCEPTED}"
    )))
}

/// Collects the body, refusing it (413) as soon as it passes `max_body`.
pub async fn collect(body: Body, max_body: u64) -> Result<Bytes, Problem> {
    let limit = usize::try_from(max_body).unwrap_or(usize::MAX);
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(Problem::too_large(max_body)),
        Err(_) => Err(Problem::bad_request(
            "the request body could not be read whole",
        )),
    }
}

/// The upload a body of `kind` holds.
pub async fn read(kind: BodyKind, body: Bytes) -> Result<Upload, Problem> {
    match kind {
        BodyKind::Archive => Ok(Upload::Archive {
            name: UPLOAD_NAME.to_string(),
            bytes: body.to_vec(),
        }),
        BodyKind::Multipart { boundary } => read_multipart(body, boundary).await,
    }
}

async fn read_multipart(body: Bytes, boundary: String) -> Result<Upload, Problem> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut archive: Option<(String, Vec<u8>)> = None;
    let mut manifest: Option<(String, Vec<u8>)> = None;
    let mut attachments: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(malformed(&error)),
        };
        let name = field.name().map(str::to_string).or_else(|| {
            let disposition = field.headers().get(header::CONTENT_DISPOSITION)?;
            extended_name(disposition.to_str().ok()?)
        });
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return Err(Problem::bad_request("a multipart part has no name"));
        };
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| malformed(&e))?.to_vec();
        let duplicate = match name.as_str() {
            "bundle" => archive
                .replace((file_name.unwrap_or_else(|| UPLOAD_NAME.into()), bytes))
                .is_some(),
            "manifest" => manifest
                .replace((manifest_name(file_name.as_deref()).to_string(), bytes))
                .is_some(),
            _ => attachments.insert(name.clone(), bytes).is_some(),
        };
        if duplicate {
            return Err(Problem::bad_request(format!(
                "the multipart part `{name}` is sent twice"
            )));
        }
    }
    match (archive, manifest) {
        (Some((name, bytes)), None) if attachments.is_empty() => {
            Ok(Upload::Archive { name, bytes })
        }
        (Some(_), _) => Err(Problem::bad_request(
            "a `bundle` part holds the whole bundle; send no other parts with it",
        )),
        (None, Some((manifest_name, bytes))) => {
            if attachments.contains_key(&manifest_name) {
                return Err(Problem::bad_request(format!(
                    "an attachment part is named `{manifest_name}`, the manifest's own name"
                )));
            }
            attachments.insert(manifest_name, bytes);
            Ok(Upload::Files {
                name: UPLOAD_NAME.to_string(),
                files: attachments,
            })
        }
        (None, None) => Err(Problem::bad_request(
            "the form needs a part `bundle` (an archive) or a part `manifest`",
        )),
    }
}

/// The manifest's name in the bundle, from the file name it was sent with.
fn manifest_name(file_name: Option<&str>) -> &'static str {
    match file_name.map(|n| n.to_ascii_lowercase()) {
        Some(n) if n.ends_with(".json") => "bundle.json",
        Some(n) if n.ends_with(".yml") => "bundle.yml",
        _ => "bundle.yaml",
    }
}

/// The `name*=utf-8''…` form of a part's name (RFC 8187 encoding), which
/// some clients send for names with `/` or non-ASCII characters.
fn extended_name(disposition: &str) -> Option<String> {
    let encoded = disposition
        .split(';')
        .find_map(|p| p.trim().strip_prefix("name*="))?;
    let (charset, rest) = encoded.split_once('\'')?;
    let (_language, value) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    let mut bytes = Vec::with_capacity(value.len());
    let mut input = value.trim_matches('"').bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let high = (input.next()? as char).to_digit(16)?;
            let low = (input.next()? as char).to_digit(16)?;
            bytes.push((high * 16 + low) as u8);
        } else {
            bytes.push(byte);
        }
    }
    String::from_utf8(bytes).ok()
}

fn malformed(error: &multer::Error) -> Problem {
    Problem::bad_request(format!("the multipart body is malformed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(parts: &[(&str, Option<&str>, &str)]) -> Bytes {
        let mut body = String::new();
        for (name, file, content) in parts {
            body.push_str("--XyZ\r\n");
            match file {
                Some(file) => body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\r\n"
                )),
                None => body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                )),
            }
            body.push_str(content);
            body.push_str("\r\n");
        }
        body.push_str("--XyZ--\r\n");
        Bytes::from(body)
    }

    async fn upload(body: Bytes) -> Result<Upload, Problem> {
        read(
            BodyKind::Multipart {
                boundary: "XyZ".into(),
            },
            body,
        )
        .await
    }

    #[tokio::test]
    async fn manifest_and_attachments_become_files() {
        let body = form(&[
            ("manifest", Some("b.json"), "{}"),
            ("files/a.pdf", Some("a.pdf"), "%PDF"),
        ]);
        let Ok(Upload::Files { name, files }) = upload(body).await else {
            panic!("expected files");
        };
        assert_eq!(name, UPLOAD_NAME);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["bundle.json", "files/a.pdf"]
        );
    }

    #[tokio::test]
    async fn a_bundle_part_is_an_archive_named_by_its_file() {
        let body = form(&[("bundle", Some("acme.zip"), "PK")]);
        let Ok(Upload::Archive { name, bytes }) = upload(body).await else {
            panic!("expected an archive");
        };
        assert_eq!((name.as_str(), bytes.as_slice()), ("acme.zip", &b"PK"[..]));
    }

    #[tokio::test]
    async fn bad_forms_are_refused_with_a_reason() {
        for (parts, reason) in [
            (vec![("files/a.pdf", None, "x")], "needs a part"),
            (
                vec![("bundle", None, "x"), ("manifest", None, "y")],
                "no other parts",
            ),
            (
                vec![("manifest", None, "x"), ("manifest", None, "y")],
                "twice",
            ),
            (
                vec![("manifest", None, "x"), ("bundle.yaml", None, "y")],
                "manifest's own name",
            ),
        ] {
            let problem = upload(form(&parts)).await.unwrap_err();
            assert_eq!(problem.status, 400);
            assert!(problem.detail.contains(reason), "{}", problem.detail);
        }
        let cut = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"manifest\"\r\n\r\nabc",
        );
        let problem = upload(cut).await.unwrap_err();
        assert!(problem.detail.contains("malformed"), "{}", problem.detail);
    }

    #[test]
    fn extended_names_are_decoded() {
        let header = "form-data; name*=utf-8''files%2F%E8%90%A5%E4%B8%9A.pdf; filename=\"a\"";
        assert_eq!(extended_name(header).as_deref(), Some("files/营业.pdf"));
        assert_eq!(extended_name("form-data; name*=latin1''x"), None);
        assert_eq!(extended_name("form-data; name*=utf-8''%E8%9"), None);
        assert_eq!(extended_name("form-data; name=\"plain\""), None);
    }

    #[test]
    fn content_types_are_sorted_before_reading() {
        let mut headers = HeaderMap::new();
        assert_eq!(body_kind(&headers).err().unwrap().status, 415);
        headers.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(body_kind(&headers).err().unwrap().status, 415);
        headers.insert(header::CONTENT_TYPE, "multipart/form-data".parse().unwrap());
        assert_eq!(body_kind(&headers).err().unwrap().status, 400);
        headers.insert(header::CONTENT_TYPE, "Application/Zip".parse().unwrap());
        assert!(matches!(body_kind(&headers), Ok(BodyKind::Archive)));
    }
}
