//! Hostile attachments under a race (issue 10): while bundles are checked, a
//! thread keeps swapping the bundle's `files/` folder for a link to an
//! outside folder holding the same names with other content. Before the
//! bundle folder was reached through a handle, 84 of 400 checks hashed an
//! outside file. Now no outside content or digest may appear in any report,
//! and `strace -y` must show that no file outside the bundle was opened. The
//! same holds for the folder walk: swapping a bundle folder, or a folder
//! above it, for a link between the walk and the judgement leads nowhere.

mod hostile_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use dossier::engine::CheckOptions;
use dossier::report::{Status, Verdict};
use hostile_support::*;
use sha2::{Digest, Sha256};

/// Checks in the library loop: enough to hit every window of the swap.
const RUNS: usize = 400;
/// How long each state of the swap holds: about as long as checking one
/// attachment, so checks start and end in both states.
const HOLD: Duration = Duration::from_micros(100);
/// Appended to every outside file: still a valid PDF, JPEG or PNG by its
/// head and tail, so an outside file would pass where its digest is not declared.
const OUTSIDE_MARK: &[u8] = b"\n%OUTSIDE-SECRET\n%%EOF\n";

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A bundle whose resignation certificate declares a wrong digest, so its
/// report quotes the digest of whatever was hashed, and an outside copy of
/// `files/` with every file changed. Returns the outside digests.
fn racing_bundle() -> (Scratch, Vec<String>) {
    let scratch = Scratch::new();
    scratch.replace(
        &format!("file: {RESIGNATION}"),
        &format!("file: {RESIGNATION}\n    sha256: {}", "0".repeat(64)),
    );
    let outside_files = scratch.outside().join("files");
    std::fs::create_dir(&outside_files).unwrap();
    let mut digests = Vec::new();
    for entry in std::fs::read_dir(scratch.bundle().join("files")).unwrap() {
        let entry = entry.unwrap();
        let mut bytes = std::fs::read(entry.path()).unwrap();
        bytes.extend_from_slice(OUTSIDE_MARK);
        digests.push(sha256_hex(&bytes));
        std::fs::write(outside_files.join(entry.file_name()), bytes).unwrap();
    }
    std::os::unix::fs::symlink(&outside_files, scratch.bundle().join("files.link")).unwrap();
    (scratch, digests)
}

/// Keeps swapping `bundle/files` with the link to the outside copy until
/// `stop`; counts the swaps so the test knows the race was live.
fn swapper(bundle: PathBuf, stop: Arc<AtomicBool>, swaps: Arc<AtomicUsize>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let (files, real, link) = (
            bundle.join("files"),
            bundle.join("files.real"),
            bundle.join("files.link"),
        );
        while !stop.load(Ordering::Relaxed) {
            std::fs::rename(&files, &real).unwrap();
            std::fs::rename(&link, &files).unwrap();
            std::thread::sleep(HOLD);
            std::fs::rename(&files, &link).unwrap();
            std::fs::rename(&real, &files).unwrap();
            std::thread::sleep(HOLD);
            swaps.fetch_add(1, Ordering::Relaxed);
        }
    })
}

fn race(bundle: &Path, during: impl FnOnce()) -> usize {
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let thread = swapper(bundle.to_path_buf(), stop.clone(), swaps.clone());
    during();
    stop.store(true, Ordering::Relaxed);
    thread.join().expect("the swapper ran to the end");
    swaps.load(Ordering::Relaxed)
}

#[test]
fn swapping_files_for_a_link_never_brings_outside_content_into_a_report() {
    let (scratch, outside_digests) = racing_bundle();
    let inside_digest = sha256_hex(&std::fs::read(scratch.bundle().join(RESIGNATION)).unwrap());
    let mut hashed_inside = 0;
    let swaps = race(&scratch.bundle(), || {
        for run in 0..RUNS {
            let report = scratch.check();
            let everything = format!("{}\n{report:?}", summary(&report));
            for digest in &outside_digests {
                assert!(
                    !everything.contains(digest.as_str()),
                    "run {run}: an outside file was hashed:\n{everything}"
                );
            }
            assert!(!everything.contains("OUTSIDE-SECRET"), "{everything}");
            // The certificate's own finding: its digest, a link, or gone for a moment.
            let finding = report
                .findings
                .iter()
                .find(|f| {
                    f.rule == "document.file"
                        && [RESIGNATION_FILE_PATH, "/documents/3/sha256"]
                            .contains(&f.path.as_deref().unwrap_or_default())
                })
                .unwrap_or_else(|| {
                    panic!("run {run}: no finding on the certificate:\n{everything}")
                });
            assert_eq!(finding.status, Status::Fail, "{everything}");
            let message = text(finding);
            if message.contains("content has sha256") {
                assert!(message.contains(&inside_digest), "{message}");
                hashed_inside += 1;
            } else {
                assert!(
                    ["does not follow links", "does not exist", "was replaced"]
                        .iter()
                        .any(|n| message.contains(n)),
                    "run {run}: {message}"
                );
            }
        }
    });
    eprintln!("{RUNS} checks, {swaps} swaps, {hashed_inside} hashed the bundle's own file");
    assert!(swaps > 0, "the swapper never ran: no race was tried");
}

#[test]
fn a_batch_under_the_swap_opens_nothing_outside() {
    let (scratch, _) = racing_bundle();
    let bundle = scratch.bundle().display().to_string();
    let mut args = vec!["check".to_string(), "--format".into(), "jsonl".into()];
    args.extend(std::iter::repeat_n(bundle, 40));
    let mut opened = None;
    let swaps = race(&scratch.bundle(), || opened = resolved_opens(&args));
    let Some(opened) = opened else {
        return;
    };
    let outside = scratch.outside().display().to_string();
    assert!(
        opened.iter().any(|p| p.ends_with("bundle.yaml")),
        "strace saw no manifest opened: {opened:?}"
    );
    let leaked: Vec<&String> = opened.iter().filter(|p| p.starts_with(&outside)).collect();
    assert!(
        leaked.is_empty(),
        "opened outside the bundle ({swaps} swaps): {leaked:?}"
    );
}

/// Swaps done on one walk-race target: enough for checks to meet both states.
const WALK_RUNS: usize = 150;

/// A folder of bundles, `batch/group/bundle`, and an outside copy of its
/// `group` whose bundle names another operation (`outside.secret`): the
/// outside bundle's manifest, read, shows in the report.
fn racing_batch() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    let inside = root.path().join("batch/group/bundle");
    let outside = root.path().join("outside/group/bundle");
    copy_dir(&repo(BASE), &inside);
    copy_dir(&repo(BASE), &outside);
    let manifest = outside.join("bundle.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let changed = text.replacen(
        "operation: douyin.employee_account.deregister",
        "operation: outside.secret",
        1,
    );
    assert_ne!(text, changed, "the outside manifest must differ");
    std::fs::write(&manifest, changed).unwrap();
    let batch = root.path().join("batch");
    (root, batch)
}

/// Keeps swapping `batch/<target>` for a link to `outside/<target>`, parking
/// the real folder outside the walked one meanwhile, until `stop`.
fn walk_swapper(
    root: PathBuf,
    target: &'static str,
    stop: Arc<AtomicBool>,
    swaps: Arc<AtomicUsize>,
) -> JoinHandle<()> {
    let (swapped, parked, link) = (
        root.join("batch").join(target),
        root.join("parked"),
        root.join("link"),
    );
    std::os::unix::fs::symlink(root.join("outside").join(target), &link).unwrap();
    std::thread::spawn(move || {
        let rename = |from: &Path, to: &Path| std::fs::rename(from, to).is_ok();
        // A failed rename means the test ended (its folder is gone).
        while !stop.load(Ordering::Relaxed) {
            if !(rename(&swapped, &parked) && rename(&link, &swapped)) {
                return;
            }
            std::thread::sleep(HOLD);
            if !(rename(&swapped, &link) && rename(&parked, &swapped)) {
                return;
            }
            std::thread::sleep(HOLD);
            swaps.fetch_add(1, Ordering::Relaxed);
        }
    })
}

/// Walks the batch folder and checks every bundle found, over and over,
/// while `target` (the bundle folder or a folder above it, below the walked
/// one) is swapped for a link to an outside copy. A bundle found by the walk
/// is reached beneath the walked folder's handle, following no link: its
/// report is the inside bundle's or says it cannot be read, never the
/// outside one's.
fn walk_race(target: &'static str) {
    let (root, batch) = racing_batch();
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let thread = walk_swapper(
        root.path().to_path_buf(),
        target,
        stop.clone(),
        swaps.clone(),
    );
    let (mut judged_inside, mut refused) = (0, 0);
    for run in 0..WALK_RUNS {
        let found = dossier::source::discover(&batch);
        for source in &found.bundles {
            let report = within(TIME_BOUND, {
                let source = source.clone();
                move || RULES.check_source(&source, &CheckOptions::default())
            });
            let everything = format!("{}\n{report:?}", summary(&report));
            assert!(
                !everything.contains("outside.secret"),
                "run {run}, {target} swapped: the outside bundle was read:\n{everything}"
            );
            match report.operation.as_deref() {
                Some("douyin.employee_account.deregister") => judged_inside += 1,
                _ => {
                    assert_eq!(report.verdict(), Verdict::Fail, "{everything}");
                    refused += 1;
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    thread.join().expect("the swapper ran to the end");
    let swaps = swaps.load(Ordering::Relaxed);
    eprintln!(
        "{target}: {WALK_RUNS} walks, {swaps} swaps, {judged_inside} judged, {refused} refused"
    );
    assert!(swaps > 0, "the swapper never ran: no race was tried");
    assert!(judged_inside > 0, "the inside bundle was never judged");
}

#[test]
fn swapping_a_bundle_folder_for_a_link_during_a_walk_never_reads_outside() {
    walk_race("group/bundle");
}

#[test]
fn swapping_a_folder_above_a_bundle_for_a_link_during_a_walk_never_reads_outside() {
    walk_race("group");
}

/// The window itself, without a race: the walk finds the bundle, then the
/// bundle folder (or the folder above it) becomes a link to the outside
/// copy. The report says the folder is a link; nothing outside is read.
#[test]
fn a_bundle_folder_turned_into_a_link_after_the_walk_is_refused() {
    for target in ["group/bundle", "group"] {
        let (root, batch) = racing_batch();
        let found = dossier::source::discover(&batch);
        assert_eq!(found.bundles.len(), 1, "{target}: {:?}", found.bundles);
        let swapped = batch.join(target);
        std::fs::rename(&swapped, root.path().join("parked")).unwrap();
        std::os::unix::fs::symlink(root.path().join("outside").join(target), &swapped).unwrap();
        let report = RULES.check_source(&found.bundles[0], &CheckOptions::default());
        let everything = format!("{}\n{report:?}", summary(&report));
        assert!(!everything.contains("outside.secret"), "{everything}");
        assert_eq!(report.verdict(), Verdict::Fail);
        assert_eq!(
            report.bundle,
            batch.join("group/bundle").display().to_string()
        );
        assert!(
            everything.contains("the bundle folder is a link or lies in a linked folder"),
            "{target}: {everything}"
        );
    }
}
