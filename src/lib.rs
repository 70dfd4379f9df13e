//! dossier: a rule-driven validation engine for document bundles.

pub mod bundle;
pub mod confined;
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
pub mod source;
pub mod waiver;
pub mod yaml;

/// mimalloc (judging a bundle makes many small short-lived allocations; it
/// measured faster than the system allocator on batches), counted per
/// thread so that a script's memory is bounded (`script::memory`).
#[global_allocator]
static ALLOCATOR: script::memory::Counting<mimalloc::MiMalloc> =
    script::memory::Counting(mimalloc::MiMalloc);
