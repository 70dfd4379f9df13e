//! Hostile attachments under a race (issue 10): while bundles are checked, a
//! thread keeps swapping the bundle's `files/` folder for a link to an
//! outside folder holding the same names with other content. Before the
//! bundle folder was reached through a handle, 84 of 400 checks hashed an
//! outside file. Now no outside content or digest may appear in any report,
//! and `strace -y` must show that no file outside the bundle was opened.

mod hostile_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use dossier::report::Status;
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
