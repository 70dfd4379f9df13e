//! Versions of an operation in force one after another, and the digest
//! that names a rule set's exact content.
//!
//! A platform changes a requirement from a date; the rule set keeps the old
//! version beside the new one, each with the days it is in force, and a
//! bundle is judged by the version in force on its judging date. The
//! periods of one operation must follow each other with no day covered
//! twice and no day left out, or a bundle could be judged by two versions,
//! or by none, without anyone having decided so.

use chrono::{Days, NaiveDate};
use sha2::{Digest, Sha256};

use super::error::{LoadError, LoadErrorKind};
use super::operation::Operation;

/// Reports versions of one operation whose periods overlap or leave a gap,
/// and two files giving one operation the same version.
pub fn check_periods(operations: &[Operation], errors: &mut Vec<LoadError>) {
    let mut ids: Vec<&str> = operations.iter().map(|o| o.id.as_str()).collect();
    ids.dedup();
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let mut versions: Vec<&Operation> = operations.iter().filter(|o| o.id == id).collect();
        versions.sort_by_key(|o| o.period.from);
        for pair in versions.windows(2) {
            check_pair(pair[0], pair[1], errors);
        }
    }
}

fn check_pair(earlier: &Operation, later: &Operation, errors: &mut Vec<LoadError>) {
    let at = Some(later.period.position);
    let invalid =
        |message: String| LoadError::new(&later.file, at, LoadErrorKind::Invalid(message));
    let (id, file) = (&later.id, &earlier.file);
    if earlier.version == later.version {
        errors.push(invalid(format!(
            "operation `{id}` version {} is also defined in {file}",
            later.version
        )));
        return;
    }
    let Some(from) = later.period.from else {
        errors.push(invalid(format!(
            "operation `{id}` has several versions: each needs `effective_from` (this one and the one in {file} have none)"
        )));
        return;
    };
    match earlier.period.until {
        None => errors.push(invalid(format!(
            "version {} of `{id}` (from {from}) overlaps version {} in {file}, which has no `effective_until`; give that one `effective_until: {}`",
            later.version,
            earlier.version,
            day_before(from)
        ))),
        Some(until) if until >= from => errors.push(invalid(format!(
            "version {} of `{id}` (from {from}) overlaps version {} in {file} (until {until}): a day must be judged by one version",
            later.version, earlier.version
        ))),
        Some(until) if until.checked_add_days(Days::new(1)) != Some(from) => {
            errors.push(invalid(format!(
                "version {} of `{id}` (from {from}) leaves a gap after version {} in {file} (until {until}): bundles of {} to {} would be judged by no version",
                later.version,
                earlier.version,
                until.succ_opt().unwrap_or(until),
                day_before(from)
            )))
        }
        Some(_) => {}
    }
}

fn day_before(day: NaiveDate) -> NaiveDate {
    day.pred_opt().unwrap_or(day)
}

/// The sha256 of a rule set's rule files (catalog, operations, libraries,
/// calendar; not its tests), in path order, each as its path and length
/// then its text: the same files give the same digest on every machine.
/// Each file is given as its path and text.
pub fn digest<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut files: Vec<(&str, &str)> = files
        .into_iter()
        .filter(|(path, _)| !path.starts_with("tests/"))
        .collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut hasher = Sha256::new();
    for (path, text) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(text.len().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(path: &'a str, text: &'a str) -> (&'a str, &'a str) {
        (path, text)
    }

    #[test]
    fn the_digest_depends_on_content_not_order_nor_tests() {
        let a = [file("catalog.yaml", "a"), file("operations/x.yaml", "b")];
        let b = [file("operations/x.yaml", "b"), file("catalog.yaml", "a")];
        assert_eq!(digest(a), digest(b));
        assert_eq!(digest(a).len(), 64);
        let with_tests = [a[0], a[1], file("tests/x.yaml", "c")];
        assert_eq!(digest(a), digest(with_tests));
        let changed = [file("catalog.yaml", "a"), file("operations/x.yaml", "b ")];
        assert_ne!(digest(a), digest(changed));
        // The length separates path and text: moving a byte across changes it.
        assert_ne!(digest([file("ab", "c")]), digest([file("a", "bc")]));
    }
}
