//! Evaluation: a bundle and a rule set in, a [`Report`] out.
//!
//! The envelope rules every operation shares (`bundle.*`, `party.role`,
//! `document.*`, `field.*`) are built in, one module each under `builtin`;
//! an operation's own rules come from its rule file. Findings come out in a
//! fixed order: envelope first, then the operation's rules in file order,
//! each over subjects in manifest order.
//!
//! The modules depend one way, top to bottom, never back:
//! `judgement` (the stages in order) → `typing`, `version`, `evaluate`
//! (→ `backing` → `context`), `review` → `builtin` (each rule on
//! `builtin::rule`) → `state` and `options`, which depend on no other
//! module of the engine.

mod backing;
pub(crate) mod builtin;
mod context;
mod evaluate;
mod judgement;
mod options;
mod review;
mod state;
mod typing;
mod version;

use std::path::Path;

pub use options::{CheckOptions, parse_judging_date};

use crate::bundle::Bundle;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::BundleSource;

impl RuleSet {
    /// Checks the bundle at `path`: its folder, its manifest file or an archive.
    pub fn check_path(&self, path: &Path, options: &CheckOptions) -> Report {
        self.check_source(&BundleSource::from_path(path), options)
    }

    /// Checks the bundle `source` holds. Reading the source is guarded like
    /// judging: a bug on one bundle's bytes gives that bundle an
    /// internal-error report instead of ending a batch.
    pub fn check_source(&self, source: &BundleSource, options: &CheckOptions) -> Report {
        judgement::guarded(source.name(), || {
            let bundle = source.load(&self.limits);
            self.check_bundle(&bundle, options)
        })
    }

    /// Checks a bundle already located and parsed. A bug that panics while
    /// judging one bundle gives that bundle an internal-error report instead
    /// of ending a batch.
    pub fn check_bundle(&self, bundle: &Bundle, options: &CheckOptions) -> Report {
        judgement::judge(self, bundle, options)
    }
}
