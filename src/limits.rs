//! Every bound dossier puts on its input, in one place.
//!
//! Bundles come from outside and rule sets from people who make mistakes;
//! each value here keeps one kind of input from costing more than a moment or
//! a few megabytes. Exceeding a limit is reported as a finding or load error
//! that names the limit, never a crash or a hang.

use std::time::Duration;

/// The bounds applied while loading and checking bundles and rule sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest manifest file read. Real manifests are a few kilobytes.
    pub manifest_bytes: u64,
    /// Deepest nesting of maps and lists in a manifest or rule file. A bundle
    /// needs four levels (documents → entry → fields → value).
    pub nesting_depth: usize,
    /// Most YAML nodes in one manifest: bounds memory for flat but huge files.
    pub manifest_nodes: usize,
    /// Most parties in one bundle.
    pub parties: usize,
    /// Most documents in one bundle.
    pub documents: usize,
    /// Longest single text value in a manifest, in bytes.
    pub value_bytes: usize,
    /// Largest attachment accepted (spec: 20 MiB).
    pub attachment_bytes: u64,
    /// rhai operations one rule evaluation may take.
    pub script_operations: u64,
    /// rhai function call depth.
    pub script_call_depth: usize,
    /// rhai expression nesting depth (statements, functions).
    pub script_expression_depth: (usize, usize),
    /// Longest string a script may build, in bytes.
    pub script_string_bytes: usize,
    /// Largest array or map a script may build.
    pub script_collection_items: usize,
    /// Wall-clock budget of one rule evaluation, on top of the operation count.
    pub script_time: Duration,
    /// Largest rule file read.
    pub rule_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            manifest_bytes: 1024 * 1024,
            nesting_depth: 16,
            manifest_nodes: 100_000,
            parties: 1_000,
            documents: 1_000,
            value_bytes: 16 * 1024,
            attachment_bytes: 20 * 1024 * 1024,
            script_operations: 200_000,
            script_call_depth: 32,
            script_expression_depth: (64, 32),
            script_string_bytes: 64 * 1024,
            script_collection_items: 10_000,
            script_time: Duration::from_millis(500),
            rule_file_bytes: 4 * 1024 * 1024,
        }
    }
}
