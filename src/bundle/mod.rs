//! Bundles (`dossier.bundle/v1`): finding and reading the manifest, reading
//! its envelope, and checking attached files without ever leaving the
//! bundle's folder.
//!
//! Nothing here knows roles, materials or rules: that is the rule set's.

mod attachment;
mod envelope;
mod manifest;

pub use attachment::{AttachmentCheck, AttachmentProblem, check_attachment};
pub use envelope::{
    DOCUMENT_KEYS, DocumentEntry, Envelope, EnvelopeProblem, FieldEntry, PartyEntry,
    TOP_LEVEL_KEYS, read_envelope,
};
pub use manifest::{Bundle, MANIFEST_NAMES, ManifestError, load};
