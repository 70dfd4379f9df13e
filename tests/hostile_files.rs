//! Hostile attachments (issue 7's catalogue, second part): path traversal in
//! every spelling, links, hard links, FIFOs, sockets, devices, folders,
//! unreadable, changing, empty, truncated, mislabelled and oversized files.
//! Where a target outside the bundle would pass if it were read, the finding
//! must be the traversal one, and (when strace is installed) the target must
//! never have been opened.

mod hostile_support;

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use dossier::report::{Severity, Status, Verdict};
use hostile_support::*;

/// What a link anywhere in an attachment's path is told.
const LINK: &str =
    "is a link, or lies in a linked folder; dossier does not follow links; not opened";

/// The resignation certificate points at `reference`; its finding must say `needle`.
fn refused(scratch: &Scratch, reference: &str, needle: &str) {
    scratch.reference(reference);
    let report = scratch.check();
    assert_fails_at(
        &report,
        "document.file",
        Some(RESIGNATION_FILE_PATH),
        needle,
    );
    // Everything else was still judged.
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "business_license.valid" && f.status == Status::Pass),
        "{}",
        summary(&report)
    );
    assert_eq!(exit_status(&scratch.bundle()), 1);
}

#[test]
fn traversal_in_every_spelling_is_refused_before_any_lookup() {
    type Reference = dyn Fn(&Path) -> String;
    let cases: &[(&Reference, &str)] = &[
        (&|_| "../outside/secret.pdf".into(), "contains `..`"),
        (
            &|_| "files/../../outside/secret.pdf".into(),
            "contains `..`",
        ),
        (
            &|_| "./files/./../../outside/secret.pdf".into(),
            "contains `..`",
        ),
        (
            &|outside| outside.join("secret.pdf").display().to_string(),
            "is an absolute path",
        ),
        (
            &|outside| format!("/{}", outside.join("secret.pdf").display()),
            "is an absolute path",
        ),
        (
            &|_| "\"..\\\\outside\\\\secret.pdf\"".into(),
            "not allowed (\\)",
        ),
        (
            &|_| "\"files\\\\..\\\\..\\\\outside\\\\secret.pdf\"".into(),
            "not allowed (\\)",
        ),
        (
            &|_| "\"files/../../outside/secret.pdf\\0.pdf\"".into(),
            "not allowed (NUL)",
        ),
    ];
    for (reference, needle) in cases {
        let scratch = Scratch::new();
        let secret = scratch.outside_pdf();
        refused(&scratch, &reference(&scratch.outside()), needle);
        assert_never_opened(&scratch.bundle(), &secret);
    }
}

#[test]
fn encoded_and_look_alike_spellings_are_only_names_that_do_not_exist() {
    // No decoding happens: `%2e%2e`, fullwidth dots, dot leaders and a
    // file URL are ordinary (missing) names inside the bundle.
    for reference in [
        "files/%2e%2e/%2e%2e/outside/secret.pdf",
        "%2e%2e%2f%2e%2e%2foutside%2fsecret.pdf",
        "files/\u{ff0e}\u{ff0e}/\u{ff0e}\u{ff0e}/outside/secret.pdf",
        "files/\u{2025}/\u{2025}/outside/secret.pdf",
        "files/\u{2024}\u{2024}/\u{2024}\u{2024}/outside/secret.pdf",
        "files/..\u{2215}..\u{2215}outside\u{2215}secret.pdf",
        "file:///etc/passwd",
        "~/secret.pdf",
    ] {
        let scratch = Scratch::new();
        let secret = scratch.outside_pdf();
        refused(&scratch, &format!("\"{reference}\""), "does not exist");
        assert_never_opened(&scratch.bundle(), &secret);
    }
}

#[test]
fn links_leading_outside_are_refused_and_not_followed_into() {
    let scratch = Scratch::new();
    let secret = scratch.outside_pdf();
    symlink(&secret, scratch.bundle().join("files/link.pdf")).unwrap();
    refused(&scratch, "files/link.pdf", LINK);
    assert_never_opened(&scratch.bundle(), &secret);

    // Relative, and through a chain of links inside the bundle.
    let scratch = Scratch::new();
    let secret = scratch.outside_pdf();
    symlink(
        "../../outside/secret.pdf",
        scratch.bundle().join("files/c.pdf"),
    )
    .unwrap();
    symlink("c.pdf", scratch.bundle().join("files/b.pdf")).unwrap();
    symlink("b.pdf", scratch.bundle().join("files/a.pdf")).unwrap();
    refused(&scratch, "files/a.pdf", LINK);
    assert_never_opened(&scratch.bundle(), &secret);

    // A linked folder: the path looks inside, the folder is outside.
    let scratch = Scratch::new();
    let secret = scratch.outside_pdf();
    symlink(scratch.outside(), scratch.bundle().join("files/out")).unwrap();
    refused(&scratch, "files/out/secret.pdf", LINK);
    assert_never_opened(&scratch.bundle(), &secret);
}

#[test]
fn links_inside_the_bundle_are_not_followed_either() {
    // No link is followed anywhere in a path, so none can be swapped to lead
    // outside between a check and a read: a link inside is refused too.
    let scratch = Scratch::new();
    symlink(
        "zhaozixuan_resignation_certificate.pdf",
        scratch.bundle().join("files/b.pdf"),
    )
    .unwrap();
    symlink("b.pdf", scratch.bundle().join("files/a.pdf")).unwrap();
    refused(&scratch, "files/a.pdf", LINK);

    // A linked folder whose target is inside.
    let scratch = Scratch::new();
    symlink("files", scratch.bundle().join("papers")).unwrap();
    refused(
        &scratch,
        "papers/zhaozixuan_resignation_certificate.pdf",
        LINK,
    );
}

#[test]
fn link_loops_and_dangling_links() {
    // Never followed, so neither resolved: each is a link.
    let scratch = Scratch::new();
    symlink("loop.pdf", scratch.bundle().join("files/loop.pdf")).unwrap();
    refused(&scratch, "files/loop.pdf", LINK);

    let scratch = Scratch::new();
    symlink("b.pdf", scratch.bundle().join("files/a.pdf")).unwrap();
    symlink("a.pdf", scratch.bundle().join("files/b.pdf")).unwrap();
    refused(&scratch, "files/a.pdf", LINK);

    let scratch = Scratch::new();
    symlink("nowhere.pdf", scratch.bundle().join("files/dangling.pdf")).unwrap();
    refused(&scratch, "files/dangling.pdf", LINK);

    let scratch = Scratch::new();
    symlink("nowhere", scratch.bundle().join("gone")).unwrap();
    refused(&scratch, "gone/x.pdf", LINK);
}

#[test]
fn device_files_are_never_opened() {
    // /dev/zero through a link: outside the bundle.
    let scratch = Scratch::new();
    symlink("/dev/zero", scratch.bundle().join("files/zero.pdf")).unwrap();
    refused(&scratch, "files/zero.pdf", LINK);
    assert_never_opened(&scratch.bundle(), Path::new("/dev/zero"));

    // A device node inside the bundle (needs CAP_MKNOD; skipped without it).
    let scratch = Scratch::new();
    let node = scratch.bundle().join("files/zero.pdf");
    let made = std::process::Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        refused(
            &scratch,
            "files/zero.pdf",
            "is not a regular file (device); not opened",
        );
        assert_never_opened(&scratch.bundle(), &node);
    } else {
        eprintln!("mknod not permitted here: device node inside the bundle not tested");
    }
}

#[test]
fn fifos_and_sockets_are_never_opened() {
    let scratch = Scratch::new();
    let fifo = scratch.bundle().join("files/pipe.pdf");
    make_fifo(&fifo);
    // Opening a FIFO for reading would block until a writer comes: the time bound catches that.
    refused(
        &scratch,
        "files/pipe.pdf",
        "is not a regular file (FIFO); not opened",
    );
    assert_never_opened(&scratch.bundle(), &fifo);

    let scratch = Scratch::new();
    let socket = scratch.bundle().join("files/socket.pdf");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    refused(
        &scratch,
        "files/socket.pdf",
        "is not a regular file (socket); not opened",
    );
}

#[test]
fn folders_are_not_attachments() {
    for reference in ["files", "files/", ".", "./"] {
        let scratch = Scratch::new();
        refused(
            &scratch,
            &format!("\"{reference}\""),
            "is not a regular file (directory)",
        );
    }
}

#[test]
fn hard_links_are_refused() {
    // A hard link shares its content with a name that may be outside.
    let scratch = Scratch::new();
    let secret = scratch.outside_pdf();
    std::fs::hard_link(&secret, scratch.bundle().join("files/hard.pdf")).unwrap();
    refused(&scratch, "files/hard.pdf", "has 2 hard links");
    assert_never_opened(&scratch.bundle(), &scratch.bundle().join("files/hard.pdf"));
}

#[test]
fn unreadable_files() {
    let scratch = Scratch::new();
    let file = scratch.bundle().join(RESIGNATION);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let report = scratch.check();
    if is_root() {
        // root reads through mode 000: the file is judged on its content.
        assert_eq!(report.verdict(), Verdict::Pass, "{}", summary(&report));
    } else {
        assert_fails_at(
            &report,
            "document.file",
            Some(RESIGNATION_FILE_PATH),
            "cannot be read",
        );
    }
    // A folder that cannot be searched hides what is in it, for everyone but root.
    let scratch = Scratch::new();
    let folder = scratch.bundle().join("files");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    let report = scratch.check();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !is_root() {
        assert_eq!(report.verdict(), Verdict::Fail);
        failing(&report, "document.file");
    }
}

#[test]
fn a_file_changing_size_while_read_is_never_misjudged() {
    // A writer appends to and truncates the file while it is checked over
    // and over. Every outcome must be a judgement of some consistent state
    // (or "changed while read"), and nothing may hang or panic.
    let scratch = Scratch::new();
    scratch.replace(
        &format!("file: {RESIGNATION}"),
        &format!("file: {RESIGNATION}\n    sha256: {}", "0".repeat(64)),
    );
    let file = scratch.bundle().join(RESIGNATION);
    let original = std::fs::read(&file).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (file, stop, original) = (file.clone(), stop.clone(), original.clone());
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok(mut handle) = std::fs::OpenOptions::new().append(true).open(&file) else {
                    return;
                };
                let _ = handle.write_all(&[b'x'; 4096]);
                let _ = handle.set_len(original.len() as u64);
            }
        })
    };
    for _ in 0..40 {
        let report = scratch.check();
        let finding = report
            .findings
            .iter()
            .find(|f| {
                f.rule == "document.file"
                    && f.path
                        .as_deref()
                        .is_some_and(|p| p.starts_with("/documents/3/"))
            })
            .unwrap();
        assert_eq!(finding.status, Status::Fail);
        let message = text(finding);
        assert!(
            [
                "changed size while it was read",
                "content has sha256",
                "is a truncated PDF"
            ]
            .iter()
            .any(|n| message.contains(n)),
            "{message}"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
}

#[test]
fn empty_and_truncated_files() {
    let scratch = Scratch::new();
    File::create(scratch.bundle().join("files/empty.pdf")).unwrap();
    refused(&scratch, "files/empty.pdf", "is empty (0 bytes)");

    let pdf = std::fs::read(repo(BASE).join(RESIGNATION)).unwrap();
    let jpeg = std::fs::read(repo(BASE).join("files/tianwenbin_id_card.jpg")).unwrap();
    let png = std::fs::read(repo(BASE).join("files/zhaozixuan_id_card.png")).unwrap();
    for (name, bytes, kind) in [
        ("cut.pdf", &pdf, "PDF"),
        ("cut.jpg", &jpeg, "JPEG"),
        ("cut.png", &png, "PNG"),
    ] {
        let scratch = Scratch::new();
        std::fs::write(
            scratch.bundle().join("files").join(name),
            &bytes[..bytes.len() / 2],
        )
        .unwrap();
        refused(
            &scratch,
            &format!("files/{name}"),
            &format!("is a truncated {kind} file"),
        );
    }
    // A file that is only a format's first bytes.
    let scratch = Scratch::new();
    std::fs::write(scratch.bundle().join("files/head.pdf"), b"%PDF-").unwrap();
    refused(&scratch, "files/head.pdf", "is a truncated PDF file");
    // Text with a .pdf name.
    let scratch = Scratch::new();
    std::fs::write(
        scratch.bundle().join("files/text.pdf"),
        b"not a pdf at all\n",
    )
    .unwrap();
    refused(
        &scratch,
        "files/text.pdf",
        "is not a PDF, JPEG or PNG by its content",
    );
}

#[test]
fn a_png_named_pdf_is_a_warning_not_an_error() {
    let scratch = Scratch::new();
    std::fs::copy(
        repo(BASE).join("files/zhaozixuan_id_card.png"),
        scratch.bundle().join("files/picture.pdf"),
    )
    .unwrap();
    scratch.reference("files/picture.pdf");
    let report = scratch.check();
    let warning = failing(&report, "document.file")[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.path.as_deref(), Some(RESIGNATION_FILE_PATH));
    assert!(
        text(warning).contains("holds a PNG, but its extension says otherwise"),
        "{}",
        text(warning)
    );
    assert_eq!(report.verdict(), Verdict::Pass, "{}", summary(&report));
    assert_eq!(exit_status(&scratch.bundle()), 0);
}

#[test]
fn an_attachment_over_the_limit_is_never_read() {
    let scratch = Scratch::new();
    let big = scratch.bundle().join("files/big.pdf");
    let file = File::create(&big).unwrap();
    file.set_len(20 * 1024 * 1024 + 1).unwrap();
    drop(file);
    refused(
        &scratch,
        "files/big.pdf",
        "is 20971521 bytes, over the limit of 20971520; not read",
    );
    assert_never_opened(&scratch.bundle(), &big);

    // 100 MiB with a declared digest: still refused from its size, not hashed.
    let scratch = Scratch::new();
    let big = scratch.bundle().join("files/huge.pdf");
    File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    scratch.replace(
        &format!("file: {RESIGNATION}"),
        &format!("file: files/huge.pdf\n    sha256: {}", "a".repeat(64)),
    );
    let report = scratch.check();
    assert_fails_at(
        &report,
        "document.file",
        Some(RESIGNATION_FILE_PATH),
        "over the limit",
    );
}

#[test]
fn a_hard_linked_manifest_is_not_read_or_quoted() {
    // `bundle.yaml` is a second name of a manifest outside: reading it would
    // quote the outside file in the report (its unknown key, here).
    let scratch = Scratch::new();
    let outside = scratch.outside().join("bundle.yaml");
    let text = scratch
        .manifest_text()
        .replace("parties:", "outside_secret_7f3a: 1\nparties:");
    std::fs::write(&outside, text).unwrap();
    std::fs::remove_file(scratch.manifest()).unwrap();
    std::fs::hard_link(&outside, scratch.manifest()).unwrap();
    let report = scratch.check();
    assert_eq!(report.findings.len(), 1, "{}", summary(&report));
    assert_fails_at(&report, "bundle.readable", None, "has 2 hard links");
    assert!(!format!("{report:?}").contains("outside_secret_7f3a"));
    let (code, stdout, _) = dossier(&[
        "check",
        "--format",
        "json",
        scratch.bundle().to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(!stdout.contains("outside_secret_7f3a"), "{stdout}");
    assert_never_opened(&scratch.bundle(), &scratch.manifest());
}

#[test]
fn a_linked_folder_in_the_middle_of_a_path_is_refused_unopened() {
    // `files/` itself is a link to a folder outside holding the same files,
    // which would pass if read: every attachment under it is refused.
    let scratch = Scratch::new();
    let outside_files = scratch.outside().join("files");
    std::fs::rename(scratch.bundle().join("files"), &outside_files).unwrap();
    symlink(&outside_files, scratch.bundle().join("files")).unwrap();
    let report = scratch.check();
    for path in [
        "/documents/0/file",
        "/documents/1/file",
        "/documents/2/file",
        RESIGNATION_FILE_PATH,
    ] {
        assert_fails_at(&report, "document.file", Some(path), LINK);
    }
    assert_never_opened(
        &scratch.bundle(),
        &outside_files.join("business_license.pdf"),
    );
}
