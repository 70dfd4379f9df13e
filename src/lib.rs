//! dossier: a rule-driven validation engine for document bundles.

pub mod domain;
pub mod lang;
