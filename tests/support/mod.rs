//! What several test suites share: the shipped fixture bundles.

use std::path::PathBuf;

/// Every fixture bundle (`fixtures/<operation>/<case>/` with an
/// `expect.yaml`), sorted; asserts the full set is there, so a suite over
/// the fixtures cannot pass by finding none.
pub fn fixture_paths() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for operation in std::fs::read_dir("fixtures").expect("fixtures folder") {
        for case in std::fs::read_dir(operation.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            if case.join("expect.yaml").exists() {
                cases.push(case);
            }
        }
    }
    cases.sort();
    assert!(
        cases.len() >= 60,
        "expected the full fixture set, found {}",
        cases.len()
    );
    cases
}
