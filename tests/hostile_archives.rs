//! The hostile archive catalogue: each archive is generated here, in
//! memory, and must be refused with a finding on the bundle that names the
//! problem — never extracted, never a crash or a hang, nothing written.

mod archive_support;
mod hostile_support;

use std::io::Write;

use archive_support::{files_below, gzip, stored, tar, tar_gz, under, zip, zip_with};
use dossier::engine::CheckOptions;
use dossier::internals::{ManifestError, SourceProblem};
use dossier::limits::Limits;
use dossier::report::Verdict;
use dossier::source::BundleSource;
use hostile_support::{BASE, RESIGNATION, RULES, TIME_BOUND, assert_fails_at, repo, within};

const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

/// Why the archive was refused, with `limits`, within the time bound.
#[track_caller]
fn refusal_with(bytes: Vec<u8>, limits: Limits) -> SourceProblem {
    let manifest = within(TIME_BOUND, move || {
        BundleSource::archive_bytes("hostile.zip", bytes)
            .load(&limits)
            .manifest
    });
    match manifest {
        Err(ManifestError::Source { problem, .. }) => problem,
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("not refused"),
    }
}

#[track_caller]
fn refusal(bytes: Vec<u8>) -> SourceProblem {
    refusal_with(bytes, Limits::default())
}

fn one(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "bundle.yaml".to_string(),
            b"format: dossier.bundle/v1\n".to_vec(),
        ),
        (name.to_string(), bytes.to_vec()),
    ]
}

/// Replaces every occurrence of `from` in `bytes` by `to` (same length).
fn patch(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut found = 0;
    let mut at = 0;
    while let Some(offset) = bytes[at..].windows(from.len()).position(|w| w == from) {
        let start = at + offset;
        bytes[start..start + to.len()].copy_from_slice(to);
        at = start + to.len();
        found += 1;
    }
    assert!(found > 0, "nothing to patch");
    bytes
}

/// Offsets of every zip record with `signature`.
fn records(bytes: &[u8], signature: &[u8; 4]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w == signature)
        .map(|(at, _)| at)
        .collect()
}

const LOCAL: &[u8; 4] = b"PK\x03\x04";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";

fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// A tar holding one entry written byte by byte, so names and kinds the
/// `tar` builder refuses can be made.
fn raw_tar(name: &[u8], kind: tar::EntryType, link: Option<&str>, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    if let Some(link) = link {
        header.set_link_name(link).unwrap();
    }
    header.set_cksum();
    let mut builder = tar::Builder::new(Vec::new());
    builder.append(&header, data).unwrap();
    builder.into_inner().unwrap()
}

#[test]
fn names_that_leave_the_bundle_are_refused() {
    for name in [
        "/etc/passwd",
        "../secret.pdf",
        "files/../../secret.pdf",
        "C:/x.pdf",
    ] {
        let problem = refusal(zip(&one(name, PDF)));
        assert!(
            matches!(
                problem,
                SourceProblem::Absolute(_) | SourceProblem::Escapes(_)
            ),
            "{name}: {problem:?}"
        );
        let problem = refusal(raw_tar(name.as_bytes(), tar::EntryType::Regular, None, PDF));
        assert!(
            matches!(
                problem,
                SourceProblem::Absolute(_) | SourceProblem::Escapes(_)
            ),
            "tar {name}: {problem:?}"
        );
    }
    assert!(matches!(
        refusal(zip(&one("files\\a.pdf", PDF))),
        SourceProblem::Backslash(_)
    ));
}

#[test]
fn names_colliding_after_normalisation_are_refused() {
    let mut entries = one("files/a.pdf", PDF);
    entries.push(("files/A.pdf".into(), PDF.to_vec()));
    assert!(matches!(
        refusal(zip(&entries)),
        SourceProblem::Collision { .. }
    ));
    let mut entries = one("files/caf\u{e9}.pdf", PDF);
    entries.push(("files/cafe\u{301}.pdf".into(), PDF.to_vec()));
    assert!(matches!(
        refusal(tar_gz(&entries)),
        SourceProblem::Collision { .. }
    ));
    // The same name twice in the central directory.
    let mut entries = one("files/a.pdf", PDF);
    entries.push(("files/b.pdf".into(), PDF.to_vec()));
    let twice = patch(zip(&entries), b"files/b.pdf", b"files/a.pdf");
    assert!(matches!(
        refusal(twice),
        SourceProblem::DuplicateNames | SourceProblem::Collision { .. }
    ));
}

#[test]
fn links_and_devices_are_refused() {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .add_symlink("files/a.pdf", "/etc/passwd", stored())
        .unwrap();
    let link = writer.finish().unwrap().into_inner();
    assert!(matches!(
        refusal(link),
        SourceProblem::NotRegular {
            kind: "symbolic link",
            ..
        }
    ));
    for (kind, expected) in [
        (tar::EntryType::Symlink, "symbolic link"),
        (tar::EntryType::Link, "hard link"),
        (tar::EntryType::Char, "device"),
        (tar::EntryType::Block, "device"),
        (tar::EntryType::Fifo, "FIFO"),
    ] {
        let archive = raw_tar(b"files/a.pdf", kind, Some("/etc/passwd"), b"");
        match refusal(archive) {
            SourceProblem::NotRegular { kind, .. } => assert_eq!(kind, expected),
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[test]
fn encrypted_entries_are_refused() {
    let mut bytes = zip_with(&one("files/a.pdf", PDF), stored());
    for at in records(&bytes, LOCAL) {
        bytes[at + 6] |= 1;
    }
    for at in records(&bytes, CENTRAL) {
        bytes[at + 8] |= 1;
    }
    assert!(matches!(refusal(bytes), SourceProblem::Encrypted(_)));
}

#[test]
fn zip_bombs_are_refused_by_the_bytes_they_inflate() {
    // Ratio: 8 MiB of zeros deflate to a few KiB.
    let bomb = zip(&one("files/a.pdf", &vec![0u8; 8 << 20]));
    assert!(matches!(refusal(bomb), SourceProblem::Ratio { .. }));
    // One entry over the per-entry bound, with the ratio out of the way.
    let mut limits = Limits::default();
    limits.attachment_bytes = 64 << 10;
    limits.manifest_bytes = 1 << 10;
    limits.archive_ratio = u64::MAX;
    let big = zip_with(&one("files/a.pdf", &random(100 << 10, 1)), stored());
    assert!(matches!(
        refusal_with(big, limits.clone()),
        SourceProblem::EntryTooLarge { .. }
    ));
    // Entries each within bounds, all together over the total.
    limits.archive_unpacked_bytes = 100 << 10;
    let entries: Vec<(String, Vec<u8>)> = (0..3)
        .map(|i| (format!("files/{i}.pdf"), random(40 << 10, i + 2)))
        .collect();
    assert!(matches!(
        refusal_with(zip_with(&entries, stored()), limits),
        SourceProblem::UnpackedTooLarge { .. }
    ));
    // A gzip bomb under a tar.
    let bomb = tar_gz(&one("files/a.pdf", &vec![0u8; 8 << 20]));
    assert!(matches!(refusal(bomb), SourceProblem::ArchiveRatio { .. }));
    // A tar header declaring far more than any attachment may be.
    let mut huge = raw_tar(b"files/a.pdf", tar::EntryType::Regular, None, b"");
    huge[124..136].copy_from_slice(b"77777777777\0");
    let mut header = tar::Header::new_old();
    header.as_mut_bytes().copy_from_slice(&huge[..512]);
    header.set_cksum();
    huge[..512].copy_from_slice(header.as_bytes());
    assert!(matches!(refusal(huge), SourceProblem::EntryTooLarge { .. }));
}

#[test]
fn declared_sizes_that_lie_are_refused() {
    let honest = zip_with(&one("files/a.pdf", PDF), stored());
    let mut lying = honest.clone();
    let declared = (PDF.len() as u32 - 4).to_le_bytes();
    for at in records(&honest, LOCAL) {
        lying[at + 22..at + 26].copy_from_slice(&declared);
    }
    for at in records(&honest, CENTRAL) {
        lying[at + 24..at + 28].copy_from_slice(&declared);
    }
    assert!(matches!(
        refusal(lying),
        SourceProblem::SizeLies { .. } | SourceProblem::Damaged(_)
    ));
}

#[test]
fn overlapping_entries_are_refused() {
    // The second central-directory entry points at the first local file.
    let mut entries = one("files/a.pdf", PDF);
    entries.push(("files/b.pdf".into(), PDF.to_vec()));
    let mut bytes = zip_with(&entries, stored());
    let central = records(&bytes, CENTRAL);
    let first_local = records(&bytes, LOCAL)[0] as u32;
    let last = *central.last().unwrap();
    bytes[last + 42..last + 46].copy_from_slice(&first_local.to_le_bytes());
    assert!(matches!(
        refusal(bytes),
        SourceProblem::Overlap | SourceProblem::Damaged(_)
    ));
}

#[test]
fn truncated_and_unknown_archives_are_refused() {
    let files = files_below(&repo(BASE));
    let whole_zip = zip(&under("", &files));
    let whole_tar_gz = tar_gz(&under("", &files));
    let whole_tar = tar(&under("", &files));
    for (label, whole) in [
        ("zip", whole_zip),
        ("tar.gz", whole_tar_gz),
        ("tar", whole_tar),
    ] {
        // Inside the first and the last entry's data: a tar cut between two
        // entries is only a shorter tar.
        let last_data = whole.iter().rposition(|b| *b != 0).unwrap();
        for cut in [600, last_data - 10] {
            let problem = refusal(whole[..cut].to_vec());
            assert!(
                matches!(problem, SourceProblem::Damaged(_)),
                "{label} cut at {cut}: {problem:?}"
            );
        }
    }
    assert!(matches!(
        refusal(random(4096, 9)),
        SourceProblem::UnknownKind
    ));
    assert!(matches!(
        refusal(gzip(b"not a tar")),
        SourceProblem::Damaged(_)
    ));
}

#[test]
fn huge_comments_and_many_tiny_entries_are_refused() {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.start_file("bundle.yaml", stored()).unwrap();
    writer.write_all(b"format: x\n").unwrap();
    writer.set_comment("x".repeat(60_000)).unwrap();
    let commented = writer.finish().unwrap().into_inner();
    assert!(matches!(refusal(commented), SourceProblem::Comment { .. }));

    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..100_000 {
        writer.start_file(format!("{i}"), stored()).unwrap();
    }
    let tiny = writer.finish().unwrap().into_inner();
    assert!(matches!(
        refusal(tiny),
        SourceProblem::TooManyEntries { limit: 10_000 }
    ));
}

#[test]
fn an_attached_archive_is_an_attachment_never_expanded() {
    let mut files = files_below(&repo(BASE));
    let inner = zip(&one("evil/../../x.pdf", PDF));
    files.insert(RESIGNATION.to_string(), inner);
    let report = within(TIME_BOUND, move || {
        RULES.check_source(
            &BundleSource::archive_bytes("outer.zip", zip(&under("", &files))),
            &CheckOptions::default(),
        )
    });
    assert_fails_at(
        &report,
        "document.file",
        Some("/documents/3/file"),
        "is not a PDF, JPEG or PNG by its content",
    );
}

#[test]
fn a_refused_archive_fails_the_bundle_in_both_languages() {
    let report = within(TIME_BOUND, || {
        RULES.check_source(
            &BundleSource::archive_bytes("up.zip", zip(&one("../x.pdf", PDF))),
            &CheckOptions::default(),
        )
    });
    assert_eq!(report.verdict(), Verdict::Fail);
    assert_eq!(report.bundle, "up.zip");
    let finding = &hostile_support::failing(&report, "bundle.readable")[0];
    let en = finding.message.render(dossier::lang::Lang::En, false);
    let zh = finding.message.render(dossier::lang::Lang::Zh, false);
    assert!(en.contains("`../x.pdf` contains `..`"), "{en}");
    assert!(zh.contains("`../x.pdf` 含 `..`"), "{zh}");
}

/// `dossier check -` reads a hostile archive from stdin: exit 1, the
/// finding on stdout, and nothing created in the working folder or the
/// temporary folder (nor anywhere, where strace can tell).
#[test]
fn a_hostile_archive_on_stdin_fails_and_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let bomb = zip(&one("files/a.pdf", &vec![0u8; 8 << 20]));
    let run = |program: &str, prefix: &[&str]| {
        let mut child = std::process::Command::new(program)
            .args(prefix)
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .args(["check", "--format", "json", "-"])
            .current_dir(work.path())
            .env("TMPDIR", temp.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        child.stdin.take().unwrap().write_all(&bomb)?;
        child.wait_with_output()
    };
    let output = run("env", &[]).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("bundle.readable"), "{stdout}");
    assert!(stdout.contains("like a zip bomb"), "{stdout}");
    assert!(stdout.contains("\"stdin\""), "{stdout}");
    assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0);
    let log = tempfile::NamedTempFile::new().unwrap();
    let traced = run(
        "strace",
        &[
            "-f",
            "-qq",
            "-e",
            "trace=%file",
            "-o",
            log.path().to_str().unwrap(),
        ],
    );
    let log = std::fs::read_to_string(log.path()).unwrap_or_default();
    match traced {
        Ok(output) if output.status.code() == Some(1) && !log.is_empty() => {
            let writes: Vec<&str> = log
                .lines()
                .filter(|l| {
                    ["O_WRONLY", "O_RDWR", "O_CREAT", "mkdir", "rename", "unlink"]
                        .iter()
                        .any(|w| l.contains(w))
                })
                .filter(|l| !l.contains("/dev/"))
                .collect();
            assert!(writes.is_empty(), "written: {writes:?}");
        }
        _ => eprintln!("strace cannot trace here: the proof of no writes is skipped"),
    }
}
