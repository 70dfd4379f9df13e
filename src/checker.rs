//! The library's front door: a rule set, a reviewer's waivers and the
//! judging options, built once into a [`Checker`] that judges one bundle
//! or an ordered stream of them. The command line and the server both
//! stand on it; nothing below it knows a front end exists.

mod pipeline;

use std::sync::Arc;

use crate::bundle::{Bundle, ManifestError};
use crate::engine::CheckOptions;
use crate::lang::Lang;
use crate::limits::Limits;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::BundleSource;
use crate::waiver::{Waivers, apply_waivers};

use pipeline::Ordered;

/// Most worker threads a batch runs per core. Judging a bundle is mostly
/// computation, so more threads than cores gain little; a few per core
/// cover the time spent waiting on the disk. Asking for more is capped,
/// never an attempt to start a million threads.
pub const JOBS_PER_CORE: usize = 4;

/// Results that may wait for an earlier, slower bundle, per worker: the
/// reorder buffer. Memory is bounded by it, whatever the batch's length.
const BUFFER_PER_JOB: usize = 8;

/// The most worker threads a batch runs on this machine
/// ([`JOBS_PER_CORE`] per core). The core count is asked for once: the
/// standard library reads the process's cgroup files for it each time.
pub fn max_jobs() -> usize {
    static MOST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MOST.get_or_init(|| {
        std::thread::available_parallelism().map_or(1, |cores| cores.get()) * JOBS_PER_CORE
    })
}

/// Judges bundles with one rule set, one set of waivers and one set of
/// options. Cheap to clone and share between threads (an `Arc` inside).
#[derive(Clone, Debug)]
pub struct Checker {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    rules: RuleSet,
    waivers: Option<Waivers>,
    options: CheckOptions,
}

/// Builds a [`Checker`]: [`Checker::builder`], then the optional parts,
/// then [`CheckerBuilder::build`].
#[derive(Debug)]
#[must_use]
pub struct CheckerBuilder {
    rules: RuleSet,
    waivers: Option<Waivers>,
    options: CheckOptions,
}

impl CheckerBuilder {
    /// A reviewer's justified exceptions, applied to every report.
    pub fn waivers(mut self, waivers: Waivers) -> CheckerBuilder {
        self.waivers = Some(waivers);
        self
    }

    /// How bundles are judged (the judging date).
    pub fn options(mut self, options: CheckOptions) -> CheckerBuilder {
        self.options = options;
        self
    }

    /// The checker.
    pub fn build(self) -> Checker {
        Checker {
            inner: Arc::new(Inner {
                rules: self.rules,
                waivers: self.waivers,
                options: self.options,
            }),
        }
    }
}

impl Checker {
    /// Starts building a checker that judges with `rules`.
    pub fn builder(rules: RuleSet) -> CheckerBuilder {
        CheckerBuilder {
            rules,
            waivers: None,
            options: CheckOptions::default(),
        }
    }

    /// The rule set bundles are judged with.
    pub fn rules(&self) -> &RuleSet {
        &self.inner.rules
    }

    /// The waivers applied to every report, if any.
    pub fn waivers(&self) -> Option<&Waivers> {
        self.inner.waivers.as_ref()
    }

    /// Judges one bundle. Every bundle gets a report: one that cannot be
    /// read gets a failing report that says why.
    pub fn check(&self, source: &BundleSource) -> Report {
        let report = self.inner.rules.check_source(source, &self.inner.options);
        self.waive(report)
    }

    /// Judges a bundle read beforehand (see [`LoadedBundle`]), without
    /// reading it again.
    pub fn check_loaded(&self, bundle: &LoadedBundle) -> Report {
        let report = self
            .inner
            .rules
            .check_bundle(&bundle.0, &self.inner.options);
        self.waive(report)
    }

    fn waive(&self, mut report: Report) -> Report {
        if let Some(waivers) = &self.inner.waivers {
            apply_waivers(&mut report, waivers);
        }
        report
    }

    /// Judges every bundle of `sources` on `jobs` worker threads and gives
    /// their reports in input order. See [`Checker::check_all_with`].
    pub fn check_all<I>(&self, sources: I, jobs: usize) -> impl Iterator<Item = Report> + use<I>
    where
        I: IntoIterator<Item = BundleSource>,
    {
        self.check_all_with(sources, jobs, |report| report)
    }

    /// Judges every bundle of `sources` and passes each report through
    /// `then` on the worker that judged it (render it there, so rendering
    /// runs in parallel too); gives the results in input order.
    ///
    /// A pipeline, not windows: `jobs` threads (`jobs - 1` workers, and the
    /// caller's while the next result is not ready) each take the next
    /// bundle as soon as they are done with one, and finished results wait
    /// in a bounded reorder buffer until every earlier one is taken. Sources
    /// are taken from `sources` only as the buffer makes room, so memory is
    /// bounded however long the input is. `jobs` is capped at
    /// [`max_jobs`]; one job works on the caller's thread alone. A panic in
    /// `then` is raised again on the caller's thread when its result is due.
    pub fn check_all_with<I, T, F>(
        &self,
        sources: I,
        jobs: usize,
        then: F,
    ) -> impl Iterator<Item = T> + use<I, T, F>
    where
        I: IntoIterator<Item = BundleSource>,
        T: Send + 'static,
        F: Fn(Report) -> T + Send + Sync + 'static,
    {
        let jobs = jobs.clamp(1, max_jobs());
        let checker = self.clone();
        let bound = jobs * BUFFER_PER_JOB;
        Ordered::new(
            sources.into_iter(),
            jobs,
            bound,
            move |source: BundleSource| then(checker.check(&source)),
        )
    }
}

/// A bundle read before its rules are chosen: a front end checking a
/// single bundle reads it once, loads only the rules of the operation it
/// names ([`RuleSet::embedded_for`], most of what a one-bundle check
/// costs), then judges it with [`Checker::check_loaded`].
#[derive(Debug)]
pub struct LoadedBundle(Bundle);

impl LoadedBundle {
    /// Reads `source` within the default limits.
    pub fn read(source: &BundleSource) -> LoadedBundle {
        LoadedBundle(source.load(&Limits::default()))
    }

    /// The operation the manifest names; `None` when it cannot be read.
    pub fn operation(&self) -> Option<&str> {
        let root = self.0.manifest.as_ref().ok()?;
        root.get("operation")?.as_str()
    }

    /// For a person reading this bundle's report: the manifest's syntax
    /// error with its offending line (personal numbers masked) and a caret
    /// under the place, or `None` when the manifest parses.
    pub fn manifest_error_note(&self, lang: Lang, color: bool) -> Option<String> {
        match (&self.0.manifest, &self.0.manifest_path) {
            (Err(error @ ManifestError::Yaml { .. }), Some(manifest)) => Some(
                crate::diagnostic::render_manifest_error(manifest, error, lang, color),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_checker_can_be_shared_between_threads() {
        assert_send_sync::<Checker>();
    }
}
