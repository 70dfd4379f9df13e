//! dossier: a rule-driven validation engine for document bundles.
//!
//! A bundle is a manifest (`bundle.yaml`: the parties, their documents and
//! the fields read off them) and its attached files. A rule set (the one
//! embedded in the crate, or your own folder of YAML and rhai) says what an
//! operation requires; a [`Checker`] judges bundles against it and gives a
//! [`Report`](report::Report) for each, with every finding and its reason;
//! [`render`] writes reports in eight formats, in Chinese or English.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! use dossier::Checker;
//! use dossier::render::{Format, RenderOptions, render_report};
//! use dossier::report::{Severity, Verdict};
//! use dossier::rules::RuleSet;
//! use dossier::source::BundleSource;
//!
//! // Load and check the rules once; share the checker between threads.
//! let rules = RuleSet::embedded().expect("the shipped rules load");
//! let checker = Checker::builder(rules).build();
//!
//! // A bundle held in memory (an upload) that names its enterprise and
//! // nothing else; attachments would sit beside it by their paths.
//! let manifest = "format: dossier.bundle/v1
//! operation: douyin.employee_account.open
//! submitted_on: 2025-06-10
//! parties:
//!   company:
//!     role: enterprise
//!     name: 上海白鹭数字科技有限公司
//!     uscc: \"91310104MA2HRB5646\"
//! documents: []
//! ";
//! let files = BTreeMap::from([("bundle.yaml".to_string(), manifest.as_bytes().to_vec())]);
//! let report = checker.check(&BundleSource::memory("upload-1", files));
//!
//! assert_eq!(report.bundle, "upload-1");
//! assert_eq!(report.verdict(), Verdict::Fail);
//! let failing = report.failing_rules(Severity::Error);
//! assert!(failing.contains(&"business_license.present"));
//! println!("{}", render_report(&report, Format::Text, &RenderOptions::default()));
//! ```
//!
//! Many bundles: [`Checker::check_all`] judges them on worker threads and
//! gives the reports in input order, and [`render::BatchWriter`] writes a
//! batch in any format, as `dossier check` does.

#![warn(missing_docs)]

// Reached from outside only through the hidden `internals`.
#[allow(missing_docs)]
pub(crate) mod bundle;
pub mod checker;
// Reached from outside only through the hidden `internals`.
#[allow(missing_docs)]
pub(crate) mod confined;
pub mod diagnostic;
// Reached from outside only through the hidden `internals`.
#[allow(missing_docs)]
pub(crate) mod domain;
pub mod engine;
pub mod lang;
pub mod limits;
pub mod render;
pub mod report;
pub mod rules;
pub mod ruletest;
pub(crate) mod safe_read;
pub mod schema;
// Reached from outside only through the hidden `internals`.
#[allow(missing_docs)]
pub(crate) mod script;
pub mod source;
pub mod waiver;
pub(crate) mod yaml;

pub use checker::Checker;

/// A line and column in a rule file or manifest (1-based).
pub use yaml::Position;

/// What the benchmarks, the fuzz targets and the property tests reach
/// into: the phases of judging a bundle and the identifier validators.
/// Not part of the API: anything here may change without notice.
#[doc(hidden)]
pub mod internals {
    pub use crate::bundle::{
        AttachmentCheck, Bundle, ManifestError, load as load_bundle, read_envelope,
    };
    pub use crate::domain::{date, email, mobile, name, ric, uscc};
    pub use crate::script::{DATE_HELPERS, HELPERS, PATTERN_HELPERS};
    pub use crate::source::problem::SourceProblem;
    pub use crate::yaml::fast_reader_differential;
}

/// The global allocator that bounds a script's memory by counting each
/// thread's allocations. The default feature `counting-allocator` installs
/// it around mimalloc; a program with its own global allocator turns that
/// feature off and installs this around its own, or scripted rules are not
/// run (their rules end in a rule error, never a pass).
pub use script::memory::Counting as CountingAllocator;

/// mimalloc (judging a bundle makes many small short-lived allocations; it
/// measured faster than the system allocator on batches), counted per
/// thread so that a script's memory is bounded (`script::memory`).
#[cfg(feature = "counting-allocator")]
#[global_allocator]
static ALLOCATOR: script::memory::Counting<mimalloc::MiMalloc> =
    script::memory::Counting(mimalloc::MiMalloc);
