//! Rule tests kept beside the rules (`<rules>/tests/*.yaml`): bundles with
//! the verdict and the rule ids a rule author expects to fail, warn or be
//! skipped, run by `dossier test` against that rule set.
//!
//! ```yaml
//! operation: douyin.employee_account.open
//! cases:
//!   - name: employee under 16
//!     bundle: ../../fixtures/douyin.employee_account.open/fail-employee.age
//!     as_of: 2025-06-10          # optional: judge as if submitted then
//!     expect:
//!       verdict: fail
//!       fail: [employee.age]     # exactly these rules fail as errors (none when left out)
//!       warn: []                 # exactly these fail as warnings (none when left out)
//!       skip: [contact.phone]    # when given: exactly these are skipped
//! ```
//!
//! `bundle` is a folder (or manifest) relative to the test file, so a case
//! can point at a fixture instead of copying it.

mod case;
mod coverage;
mod lint;
mod outcome;
mod snapshot;

pub use case::{
    Case, CasePlaces, Expectation, TestFile, is_test_file, load_test_files, read_test_files,
};
pub use coverage::{RuleCoverage, coverage, render_coverage};
pub use lint::check_tests;
pub use outcome::{CaseOutcome, Mismatch, RuleStatuses, TestRun, run, run_with};
pub use snapshot::{Difference, SnapshotLog, SnapshotMode};
