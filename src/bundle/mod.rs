//! Bundles (`dossier.bundle/v1`): finding and reading the manifest, reading
//! its envelope, judging attached files by their bytes, and reaching them
//! in a folder without ever leaving it.
//!
//! Nothing here knows roles, materials or rules: that is the rule set's.

mod attachment;
mod content;
mod envelope;
mod file_hint;
mod manifest;

pub use attachment::AttachmentProblem;
pub(crate) use attachment::{open_inside, safe_relative_path};
pub use content::{AttachmentCheck, FileKind, Opened};
pub(crate) use content::{declared_digest, judge_content};
pub use envelope::{
    DOCUMENT_KEYS, DocumentEntry, Envelope, EnvelopeProblem, FieldEntry, PartyEntry,
    TOP_LEVEL_KEYS, read_envelope,
};
pub use file_hint::{format_advice, names_in_folder, near_match, renamed_for};
pub(crate) use manifest::load_opened;
pub use manifest::{Bundle, MANIFEST_NAMES, ManifestError, decode_and_parse, load, save_as_utf8};
