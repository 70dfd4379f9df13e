//! A posted page form (always `multipart/form-data`), read into memory
//! within the service's body limit: its text values by name and its files.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::HeaderMap;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use dossier::lang::Lang;

use super::{PageError, PageQuery};
use crate::serve::AppState;
use crate::serve::upload::{BodyKind, body_kind, collect};

/// Most parts one form may have; a real form has a few hundred at most.
pub const MAX_PARTS: usize = 5_000;

/// One part of a posted form.
pub struct Part {
    pub name: String,
    /// The file name a file part was sent with (a folder upload sends the
    /// path inside the folder).
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// A file the clerk attached, under the name it had on their machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Attached {
    /// The hidden value that keeps this file in a re-shown form: its name,
    /// a colon, its bytes in base64 (which has no colon).
    pub fn kept_value(&self) -> String {
        format!("{}:{}", self.name, BASE64.encode(&self.bytes))
    }

    fn from_kept_value(value: &str) -> Option<Attached> {
        let (name, data) = value.rsplit_once(':')?;
        Some(Attached {
            name: name.to_string(),
            bytes: BASE64.decode(data.trim()).ok()?,
        })
    }
}

/// A posted page form, read whole within the service's body limit, with the
/// language its `?lang=` asks for: what every form handler starts from, and
/// whose problems are answered as a page in that language.
pub struct PostedForm {
    pub lang: Lang,
    pub parts: Vec<Part>,
}

impl FromRequest<Arc<AppState>> for PostedForm {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, PageError> {
        let (mut head, body) = request.into_parts();
        let Query(query) = Query::<PageQuery>::from_request_parts(&mut head, state)
            .await
            .unwrap_or_default();
        let lang = query.lang();
        let parts = read_parts(&head.headers, body, state.limits.max_body)
            .await
            .map_err(|e| e.in_lang(lang))?;
        Ok(PostedForm { lang, parts })
    }
}

/// Reads the whole body of a page form into its parts.
async fn read_parts(
    headers: &HeaderMap,
    body: Body,
    max_body: u64,
) -> Result<Vec<Part>, PageError> {
    let boundary = match body_kind(headers) {
        Ok(BodyKind::Multipart { boundary }) => boundary,
        _ => return Err(PageError::bad_form()),
    };
    let bytes = collect(body, max_body)
        .await
        .map_err(|_| PageError::too_large(max_body))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| PageError::bad_form())? {
        if parts.len() == MAX_PARTS {
            return Err(PageError::bad_form());
        }
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|_| PageError::bad_form())?
            .to_vec();
        // A file input left empty sends a part with no name and no bytes.
        if file_name.as_deref() == Some("") && bytes.is_empty() {
            continue;
        }
        parts.push(Part {
            name,
            file_name,
            bytes,
        });
    }
    Ok(parts)
}

/// The prepare form as posted: text values and the files of each slot.
#[derive(Debug, Default)]
pub struct Posted {
    pub values: BTreeMap<String, String>,
    /// Files by slot (`party:material`): newly chosen, else kept from the
    /// form's last showing, unless the clerk ticked "remove".
    pub files: BTreeMap<String, Attached>,
}

impl Posted {
    pub fn from_parts(parts: Vec<Part>) -> Posted {
        let mut posted = Posted::default();
        let mut kept: BTreeMap<String, Attached> = BTreeMap::new();
        let mut dropped: Vec<String> = Vec::new();
        for part in parts {
            if let Some(slot) = part.name.strip_prefix("f:") {
                if let Some(name) = part.file_name {
                    posted.files.insert(
                        slot.to_string(),
                        Attached {
                            name: base_name(&name),
                            bytes: part.bytes,
                        },
                    );
                }
                continue;
            }
            let Ok(text) = String::from_utf8(part.bytes) else {
                continue;
            };
            if let Some(slot) = part.name.strip_prefix("k:") {
                if let Some(file) = Attached::from_kept_value(&text) {
                    kept.insert(slot.to_string(), file);
                }
            } else if let Some(slot) = part.name.strip_prefix("x:") {
                dropped.push(slot.to_string());
            } else {
                posted.values.insert(part.name, text);
            }
        }
        for (slot, file) in kept {
            if !dropped.contains(&slot) {
                posted.files.entry(slot).or_insert(file);
            }
        }
        posted
    }

    /// A trimmed text value; blank is none.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Moves every value and file of party `from` to party `to` (when a
    /// party before them is removed).
    pub fn rename_party(&mut self, from: &str, to: &str) {
        let rename = |name: &str| -> Option<String> {
            let (kind, rest) = name.split_once(':')?;
            let rest = rest.strip_prefix(from)?.strip_prefix(':')?;
            Some(format!("{kind}:{to}:{rest}"))
        };
        let moved: Vec<(String, String)> = self
            .values
            .keys()
            .filter_map(|k| Some((k.clone(), rename(k)?)))
            .collect();
        for (old, new) in moved {
            if let Some(value) = self.values.remove(&old) {
                self.values.insert(new, value);
            }
        }
        let slots: Vec<String> = self
            .files
            .keys()
            .filter(|slot| slot.strip_prefix(from).is_some_and(|r| r.starts_with(':')))
            .cloned()
            .collect();
        for slot in slots {
            if let Some(file) = self.files.remove(&slot) {
                self.files
                    .insert(format!("{to}{}", &slot[from.len()..]), file);
            }
        }
    }

    /// Forgets every value and file of party `key`.
    pub fn forget_party(&mut self, key: &str) {
        let mine = |name: &str| {
            name.split_once(':')
                .is_some_and(|(_, rest)| rest.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        };
        self.values.retain(|name, _| !mine(name));
        self.files
            .retain(|slot, _| !slot.strip_prefix(key).is_some_and(|r| r.starts_with(':')));
    }
}

/// The last component of a file name as a browser sends it.
pub fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(name: &str, file_name: Option<&str>, bytes: &[u8]) -> Part {
        Part {
            name: name.into(),
            file_name: file_name.map(String::from),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn new_files_win_over_kept_ones_and_removed_ones_go() {
        let kept = Attached {
            name: "old.pdf".into(),
            bytes: b"%PDF old".to_vec(),
        };
        let posted = Posted::from_parts(vec![
            part("p:a:name", None, b" Li "),
            part("k:a:id_card", None, kept.kept_value().as_bytes()),
            part("f:a:id_card", Some("C:\\scans\\new.pdf"), b"%PDF new"),
            part("k:b:id_card", None, kept.kept_value().as_bytes()),
            part("k:c:id_card", None, kept.kept_value().as_bytes()),
            part("x:c:id_card", None, b"on"),
        ]);
        assert_eq!(posted.value("p:a:name"), Some("Li"));
        assert_eq!(
            posted.files["a:id_card"],
            Attached {
                name: "new.pdf".into(),
                bytes: b"%PDF new".to_vec()
            }
        );
        assert_eq!(posted.files["b:id_card"], kept);
        assert!(!posted.files.contains_key("c:id_card"));
    }

    #[test]
    fn parties_move_and_are_forgotten_whole() {
        let mut posted = Posted::from_parts(vec![
            part("p:e_2:name", None, b"B"),
            part("d:e_2:id_card:number", None, b"1"),
            part("f:e_2:id_card", Some("b.pdf"), b"%PDF"),
            part("p:e_1:name", None, b"A"),
            part("p:e_10:name", None, b"J"),
        ]);
        posted.forget_party("e_1");
        posted.rename_party("e_2", "e_1");
        assert_eq!(posted.value("p:e_1:name"), Some("B"));
        assert_eq!(posted.value("d:e_1:id_card:number"), Some("1"));
        assert!(posted.files.contains_key("e_1:id_card"));
        assert_eq!(
            posted.value("p:e_10:name"),
            Some("J"),
            "a longer key sharing the prefix stays"
        );
    }
}
