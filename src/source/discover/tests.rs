use super::*;
use crate::bundle::ManifestError;
use crate::limits::Limits;

fn names(discovery: &Discovery, root: &Path) -> Vec<String> {
    discovery
        .bundles
        .iter()
        .map(|b| {
            Path::new(b.name())
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn folders_and_archives_are_found_and_what_is_passed_over_says_why() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for dir in ["a", "b/c", "a/files/inner", "odd", "both"] {
        std::fs::create_dir_all(r.join(dir)).unwrap();
    }
    std::fs::write(r.join("a/bundle.yaml"), "").unwrap();
    std::fs::write(r.join("a/files/inner/bundle.yaml"), "").unwrap();
    std::fs::write(r.join("b/c/bundle.yml"), "").unwrap();
    std::fs::write(r.join("b/x.ZIP"), "").unwrap();
    std::fs::write(r.join("b/y.tgz"), "").unwrap();
    std::fs::write(r.join("b/notes.txt"), "").unwrap();
    std::fs::write(r.join("odd/Bundle.yaml"), "").unwrap();
    std::fs::write(r.join("both/bundle.yaml"), "").unwrap();
    std::fs::write(r.join("both/bundle.json"), "").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(r.join("a"), r.join("link")).unwrap();
    let found = discover(r);
    assert_eq!(names(&found, r), ["a", "b/c", "b/x.ZIP", "b/y.tgz", "both"]);
    let skipped: Vec<(String, &SkipReason)> = found
        .skipped
        .iter()
        .map(|s| {
            (
                s.path.strip_prefix(r).unwrap().display().to_string(),
                &s.reason,
            )
        })
        .collect();
    assert!(skipped.contains(&(
        "a/files/inner".into(),
        &SkipReason::NestedBundle { outer: r.join("a") }
    )));
    assert!(skipped.contains(&(
        "both/bundle.json".into(),
        &SkipReason::SecondManifest {
            used: r.join("both/bundle.yaml")
        }
    )));
    assert!(skipped.contains(&("odd/Bundle.yaml".into(), &SkipReason::ManifestSpelling)));
    #[cfg(unix)]
    assert!(skipped.contains(&("link".into(), &SkipReason::Link)));
}

/// The lazy walk finds what the whole walk finds, in the same order,
/// and says the same.
#[test]
fn the_lazy_walk_meets_what_the_whole_walk_meets() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for dir in [
        "a/files",
        "b/c/files",
        "a/files/inner",
        "odd",
        "both/x",
        "both/y",
    ] {
        std::fs::create_dir_all(r.join(dir)).unwrap();
    }
    for manifest in [
        "a/bundle.yaml",
        "a/files/inner/bundle.yaml",
        "b/c/bundle.yml",
    ] {
        std::fs::write(r.join(manifest), "").unwrap();
    }
    std::fs::write(r.join("both/bundle.yaml"), "").unwrap();
    std::fs::write(r.join("both/bundle.json"), "").unwrap();
    std::fs::write(r.join("odd/Bundle.yaml"), "").unwrap();
    std::fs::write(r.join("b/x.zip"), "").unwrap();
    let shown = |found: &Found| match found {
        Found::Bundle(bundle) => format!("bundle {}", bundle.name()),
        Found::Skipped(skipped) => format!("skipped {:?}", skipped),
    };
    let mut whole = Vec::new();
    discover_each(r, &mut |found| whole.push(shown(&found)));
    let lazy: Vec<String> = discover_lazily(r).map(|found| shown(&found)).collect();
    assert_eq!(lazy, whole);
    assert_eq!(whole.iter().filter(|f| f.starts_with("bundle")).count(), 4);
}

fn bundle_with(root: &Path, name: &str, operation: &str) {
    std::fs::create_dir_all(root.join(name).join("files")).unwrap();
    let manifest = format!("format: dossier.bundle/v1\noperation: {operation}\n");
    std::fs::write(root.join(name).join("bundle.yaml"), manifest).unwrap();
    std::fs::write(root.join(name).join("files/a.pdf"), "%PDF-1.4\n%%EOF\n").unwrap();
}

fn operation(bundle: &crate::bundle::Bundle) -> Option<String> {
    let manifest = bundle.manifest.as_ref().ok()?;
    Some(manifest.get("operation")?.as_str()?.to_string())
}

/// A bundle the lazy walk handed on is read through the handles that
/// listed it: a link swapped in for its folder afterwards is not
/// followed, and what is read is the folder the walk saw.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn a_lazily_walked_bundle_is_read_through_the_folder_the_walk_listed() {
    let scratch = tempfile::tempdir().unwrap();
    let (batch, outside) = (scratch.path().join("batch"), scratch.path().join("outside"));
    bundle_with(&batch, "one", "inside.operation");
    bundle_with(&outside, "one", "outside.secret");
    let mut walk = discover_lazily(&batch);
    let Some(Found::Bundle(found)) = walk.next() else {
        panic!("the bundle is found");
    };
    std::fs::rename(batch.join("one"), scratch.path().join("parked")).unwrap();
    std::os::unix::fs::symlink(outside.join("one"), batch.join("one")).unwrap();
    let bundle = found.load(&Limits::default());
    assert_eq!(operation(&bundle).as_deref(), Some("inside.operation"));
    let check = bundle.files.check_attachment("files/a.pdf", None, 1024);
    assert!(
        matches!(check, crate::bundle::AttachmentCheck::Valid { .. }),
        "{check:?}"
    );
    // Read once: a second reading (a clone's) reaches the folder again,
    // and refuses the link.
    let again = found.load(&Limits::default());
    assert!(matches!(
        again.manifest,
        Err(ManifestError::FolderLink { .. })
    ));
}

/// However far ahead of the reading the lazy walk is taken, it holds at
/// most `KEPT_HANDLES` handles; the bundles past that are reached again
/// when read, and every handle is given back once its bundle is read or
/// dropped.
#[test]
fn the_lazy_walk_holds_a_bounded_number_of_handles() {
    let scratch = tempfile::tempdir().unwrap();
    let batch = scratch.path();
    for index in 0..KEPT_HANDLES * 2 {
        bundle_with(batch, &format!("b{index:03}"), "some.operation");
    }
    let mut walk = discover_lazily(batch);
    let budget = walk.kept.clone().expect("a lazy walk keeps handles");
    let found: Vec<Found> = walk.by_ref().collect();
    assert_eq!(found.len(), KEPT_HANDLES * 2);
    assert_eq!(budget.load(Ordering::Relaxed), KEPT_HANDLES);
    every_bundle_reads(&found);
    assert_eq!(budget.load(Ordering::Relaxed), 0);
    drop(found);
    let untaken: Vec<Found> = discover_lazily(batch).collect();
    drop(untaken);
    assert!(discover(batch).bundles.len() == KEPT_HANDLES * 2);
}

#[test]
fn a_path_without_bundles_comes_back_as_itself() {
    let root = tempfile::tempdir().unwrap();
    let found = discover(root.path());
    assert_eq!(found.bundles.len(), 1);
    assert_eq!(found.bundles[0].name(), root.path().to_str().unwrap());
}

/// A walk given a budget of its own holds no more handles than that,
/// however far ahead it is taken, and every bundle still reads correctly.
#[test]
fn a_walk_keeping_a_given_number_of_handles_holds_no_more() {
    let scratch = tempfile::tempdir().unwrap();
    let batch = scratch.path();
    for index in 0..10 {
        bundle_with(batch, &format!("b{index:03}"), "some.operation");
    }
    let mut walk = discover_keeping(batch, 6);
    let budget = walk.kept.clone().expect("a lazy walk keeps handles");
    let found: Vec<Found> = walk.by_ref().collect();
    assert_eq!(found.len(), 10);
    assert_eq!(budget.load(Ordering::Relaxed), 6);
    // Read on another thread, as a batch's worker reads them.
    std::thread::scope(|scope| {
        scope.spawn(|| every_bundle_reads(&found));
    });
    assert_eq!(budget.load(Ordering::Relaxed), 0);
}

/// Every one of `found` is a bundle, and it reads as the operation it was
/// written with.
fn every_bundle_reads(found: &[Found]) {
    for found in found {
        let Found::Bundle(bundle) = found else {
            panic!("only bundles here");
        };
        let read = bundle.load(&Limits::default());
        assert_eq!(operation(&read).as_deref(), Some("some.operation"));
    }
}
