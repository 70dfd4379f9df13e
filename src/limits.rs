//! Every bound dossier puts on its input, in one place.
//!
//! Bundles come from outside and rule sets from people who make mistakes;
//! each value here keeps one kind of input from costing more than a moment or
//! a few megabytes. Exceeding a limit is reported as a finding or load error
//! that names the limit, never a crash or a hang. `docs/security.md` gives
//! the reason for each value; a test there keeps the two in step.

use std::time::Duration;

/// The bounds applied while loading and checking bundles and rule sets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest manifest file read. Real manifests are a few kilobytes.
    pub manifest_bytes: u64,
    /// Deepest nesting of maps and lists in a manifest. A bundle needs four
    /// levels (documents → entry → fields → value).
    pub nesting_depth: usize,
    /// Most YAML nodes in one manifest: bounds memory for flat but huge files.
    pub manifest_nodes: usize,
    /// Most parties in one bundle.
    pub parties: usize,
    /// Most documents in one bundle.
    pub documents: usize,
    /// Most keys in one map of a manifest (the top level, a party, a
    /// document, its fields): each key may become a finding located by a
    /// lookup, so a flat map of thousands must be refused, not judged.
    pub map_keys: usize,
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
    /// Longest string a script may build, in bytes. rhai counts every string
    /// inside an array or map it builds too, so a list of all 1000 parties
    /// must fit: that is bounded by the manifest size, with room for the
    /// normalised copies.
    pub script_string_bytes: usize,
    /// Largest array or map a script may build (rhai counts nested items:
    /// a list of 1000 party maps with their fields must fit).
    pub script_collection_items: usize,
    /// Most variables a script may declare.
    pub script_variables: usize,
    /// Most functions a script may define (imported libraries included).
    pub script_functions: usize,
    /// Wall-clock budget of one rule evaluation, on top of the operation count.
    pub script_time: Duration,
    /// The clock is read every this many rhai operations: often enough that
    /// `script_time` holds within a small factor (each operation, built-ins
    /// and helpers included, is bounded on its input), rarely enough to cost
    /// nothing measurable.
    pub script_clock_operations: u64,
    /// Memory one rule evaluation may hold, counted by the allocator
    /// (`script::memory`) at every operation: rhai's own limits do not count
    /// map keys.
    pub script_memory_bytes: u64,
    /// Longest text a helper that normalises names takes (`same_name`,
    /// `name_key`, `count_same`'s value): its cost grows with the text, and
    /// one call must stay well inside `script_time`. A manifest value is at
    /// most `value_bytes`, so real uses are far below.
    pub script_helper_text_bytes: usize,
    /// Wall-clock budget of one bundle: once spent, the rules and
    /// attachments not yet judged are reported as not judged (a failing
    /// rule error), and the bundle's report is complete anyway.
    pub bundle_time: Duration,
    /// Largest rule file read.
    pub rule_file_bytes: u64,
    /// Deepest nesting in a rule file (rules nest deeper than bundles).
    pub rule_nesting_depth: usize,
    /// Most YAML nodes in one rule file.
    pub rule_file_nodes: usize,
    /// Longest single value in a rule file (a script or a message).
    pub rule_value_bytes: usize,
    /// Largest archive read (a file, an upload, standard input), as stored.
    pub archive_bytes: u64,
    /// Most entries in one archive (files, folders, links, headers).
    pub archive_entries: usize,
    /// Most bytes all entries of one archive may unpack to, counted as they
    /// are inflated (declared sizes are never trusted).
    pub archive_unpacked_bytes: u64,
    /// Highest compression ratio of an entry (or a tar.gz stream) once it
    /// has unpacked past 1 MiB: what a zip bomb needs and no PDF or photo has.
    pub archive_ratio: u64,
    /// Longest archive comment, in bytes.
    pub archive_comment_bytes: u64,
    /// Longest entry name, in bytes.
    pub archive_name_bytes: usize,
    /// Longest regular expression a rule file may write (`pattern:` or a
    /// `matches` literal), in bytes. Real patterns are a line.
    pub pattern_bytes: usize,
    /// Most memory one compiled pattern may take, in bytes: both the
    /// compiled program (`RegexBuilder::size_limit`) and the lazy DFA's
    /// cache (`dfa_size_limit`). `\w{1000}{1000}` is refused at load.
    pub pattern_compiled_bytes: usize,
    /// Largest waiver file read (`--waivers`); its YAML is bounded like a
    /// manifest's (nesting, node and value bounds).
    pub waiver_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            manifest_bytes: 1024 * 1024,
            nesting_depth: 16,
            manifest_nodes: 100_000,
            parties: 1_000,
            documents: 1_000,
            map_keys: 200,
            value_bytes: 16 * 1024,
            attachment_bytes: 20 * 1024 * 1024,
            script_operations: 200_000,
            script_call_depth: 32,
            script_expression_depth: (64, 32),
            script_string_bytes: 4 * 1024 * 1024,
            script_collection_items: 100_000,
            script_variables: 1_000,
            script_functions: 1_000,
            script_time: Duration::from_millis(500),
            script_clock_operations: 16,
            script_memory_bytes: 32 * 1024 * 1024,
            script_helper_text_bytes: 16 * 1024,
            bundle_time: Duration::from_secs(30),
            rule_file_bytes: 4 * 1024 * 1024,
            rule_nesting_depth: 32,
            rule_file_nodes: 1_000_000,
            rule_value_bytes: 1024 * 1024,
            archive_bytes: 64 * 1024 * 1024,
            archive_entries: 10_000,
            archive_unpacked_bytes: 128 * 1024 * 1024,
            archive_ratio: 100,
            archive_comment_bytes: 4 * 1024,
            archive_name_bytes: 1024,
            pattern_bytes: 1024,
            pattern_compiled_bytes: 256 * 1024,
            waiver_file_bytes: 1024 * 1024,
        }
    }
}

impl Limits {
    /// The YAML bounds of a manifest.
    pub(crate) fn manifest_parse(&self) -> crate::yaml::ParseLimits {
        crate::yaml::ParseLimits {
            depth: self.nesting_depth,
            nodes: self.manifest_nodes,
            scalar_bytes: self.value_bytes,
        }
    }

    /// The YAML bounds of a waiver file: a manifest's. A waiver needs two
    /// levels of nesting and a few short values; anchors are refused anyway.
    pub(crate) fn waiver_parse(&self) -> crate::yaml::ParseLimits {
        self.manifest_parse()
    }

    /// The YAML bounds of a rule file.
    pub(crate) fn rule_file_parse(&self) -> crate::yaml::ParseLimits {
        crate::yaml::ParseLimits {
            depth: self.rule_nesting_depth,
            nodes: self.rule_file_nodes,
            scalar_bytes: self.rule_value_bytes,
        }
    }
}
