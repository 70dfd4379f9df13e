//! dossier: a rule-driven validation engine for document bundles.

pub mod bundle;
pub mod checker;
pub mod diagnostic;
pub mod domain;
pub mod engine;
pub mod lang;
pub mod limits;
pub mod render;
pub mod report;
pub mod rules;
pub mod ruletest;
pub mod safe_read;
pub mod schema;
pub mod script;
pub mod waiver;
pub mod yaml;

pub use checker::Checker;
