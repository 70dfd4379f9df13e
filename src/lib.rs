//! dossier: a rule-driven validation engine for document bundles.

pub mod domain;
pub mod lang;
pub mod limits;
pub mod yaml;
pub mod report;
pub mod rules;
pub mod script;
pub mod bundle;
pub mod engine;
