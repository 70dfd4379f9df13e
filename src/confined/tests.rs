//! The confinement, case by case, through both resolvers.
use std::os::unix::fs::symlink;

use super::*;

/// `<tmp>/bundle/files/a.pdf` and `<tmp>/outside/secret.pdf`.
fn layout() -> (tempfile::TempDir, Folder) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("bundle/files")).unwrap();
    std::fs::create_dir_all(root.path().join("outside")).unwrap();
    std::fs::write(root.path().join("bundle/files/a.pdf"), b"inside").unwrap();
    std::fs::write(root.path().join("outside/secret.pdf"), b"outside").unwrap();
    let folder = Folder::open(&root.path().join("bundle")).unwrap();
    (root, folder)
}

fn read(folder: &Folder, relative: &str) -> Result<Vec<u8>, Refusal> {
    folder.read_file(Path::new(relative), 1024)
}

/// Runs `case` with `openat2` (where the kernel has it) and with the
/// step-by-step walk.
fn both_ways(case: impl Fn()) {
    case();
    walk::tests::with_stepwise(&case);
}

#[test]
fn a_file_beneath_is_read_from_its_handle() {
    both_ways(|| {
        let (_root, folder) = layout();
        assert_eq!(read(&folder, "files/a.pdf").unwrap(), b"inside");
        assert_eq!(read(&folder, "./files/./a.pdf").unwrap(), b"inside");
        let entry = folder.entry(Path::new("files/a.pdf")).unwrap();
        assert_eq!((entry.kind, entry.size, entry.links), (Kind::File, 6, 1));
    });
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn this_kernel_takes_the_openat2_way() {
    // The CI kernel has openat2 (Linux 5.6+): the step-by-step walk is
    // the fallback, not the way these tests pass by accident.
    let (_root, folder) = layout();
    read(&folder, "files/a.pdf").unwrap();
    assert!(walk::tests::openat2_present());
}

#[test]
fn no_link_is_followed_anywhere_in_the_path() {
    both_ways(|| {
        let (root, folder) = layout();
        let bundle = root.path().join("bundle");
        symlink(root.path().join("outside"), bundle.join("out")).unwrap();
        symlink("../outside", bundle.join("files/up")).unwrap();
        symlink("a.pdf", bundle.join("files/inner.pdf")).unwrap();
        symlink(root.path().join("outside/secret.pdf"), bundle.join("s.pdf")).unwrap();
        for relative in [
            "out/secret.pdf",
            "files/up/secret.pdf",
            "files/inner.pdf",
            "s.pdf",
        ] {
            assert_eq!(read(&folder, relative), Err(Refusal::Link), "{relative}");
        }
        assert_eq!(folder.entry(Path::new("s.pdf")).unwrap().kind, Kind::Link);
        assert_eq!(
            folder.entry(Path::new("out/secret.pdf")),
            Err(Refusal::Link)
        );
    });
}

#[test]
fn nothing_above_the_folder_is_named() {
    both_ways(|| {
        let (root, folder) = layout();
        for relative in ["../outside/secret.pdf", "files/../../outside/secret.pdf"] {
            assert_eq!(read(&folder, relative), Err(Refusal::NotBeneath));
        }
        let absolute = root.path().join("outside/secret.pdf");
        assert_eq!(folder.read_file(&absolute, 1024), Err(Refusal::NotBeneath));
    });
}

#[test]
fn the_handle_stays_on_the_folder_it_opened() {
    // The folder is swapped for a link to an outside folder holding the
    // same names after it was opened: what is read is still its own file.
    both_ways(|| {
        let (root, folder) = layout();
        let bundle = root.path().join("bundle");
        std::fs::create_dir(root.path().join("outside/files")).unwrap();
        std::fs::write(root.path().join("outside/files/a.pdf"), b"outside").unwrap();
        std::fs::rename(&bundle, root.path().join("moved")).unwrap();
        symlink(root.path().join("outside"), &bundle).unwrap();
        assert_eq!(read(&folder, "files/a.pdf").unwrap(), b"inside");
    });
}

#[test]
fn special_files_hard_links_and_sizes_are_refused_unopened() {
    both_ways(|| {
        let (root, folder) = layout();
        let files = root.path().join("bundle/files");
        let fifo = files.join("pipe.pdf");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert_eq!(
            read(&folder, "files/pipe.pdf"),
            Err(Refusal::NotRegular(Kind::Fifo))
        );
        assert_eq!(
            read(&folder, "files"),
            Err(Refusal::NotRegular(Kind::Folder))
        );
        assert_eq!(read(&folder, "."), Err(Refusal::NotRegular(Kind::Folder)));
        assert_eq!(folder.entry(Path::new("")).unwrap().kind, Kind::Folder);
        std::fs::hard_link(
            root.path().join("outside/secret.pdf"),
            files.join("hard.pdf"),
        )
        .unwrap();
        assert_eq!(read(&folder, "files/hard.pdf"), Err(Refusal::HardLinked(2)));
        assert_eq!(
            folder.read_file(Path::new("files/a.pdf"), 5),
            Err(Refusal::TooLarge { size: 6, limit: 5 })
        );
    });
}

#[test]
fn missing_names_and_files_used_as_folders_do_not_exist() {
    both_ways(|| {
        let (_root, folder) = layout();
        for relative in ["files/b.pdf", "nowhere/a.pdf", "files/a.pdf/x"] {
            assert_eq!(read(&folder, relative), Err(Refusal::Missing), "{relative}");
        }
    });
}

#[test]
fn a_named_file_gets_the_same_protections() {
    let (root, _folder) = layout();
    let inside = root.path().join("bundle/files/a.pdf");
    assert_eq!(read_named_file(&inside, 1024).unwrap(), b"inside");
    let link = root.path().join("bundle/link.pdf");
    symlink(&inside, &link).unwrap();
    assert_eq!(read_named_file(&link, 1024), Err(Refusal::Link));
    assert_eq!(
        read_named_file(Path::new("/dev/zero"), 1024),
        Err(Refusal::NotRegular(Kind::Device))
    );
    assert_eq!(
        read_named_file(&root.path().join("nowhere/x"), 1024),
        Err(Refusal::Missing)
    );
    assert_eq!(
        read_named_file(&root.path().join("bundle/.."), 1024),
        Err(Refusal::NotRegular(Kind::Folder))
    );
}

#[test]
fn a_listing_names_kinds_and_follows_no_link() {
    both_ways(|| {
        let (root, folder) = layout();
        symlink(root.path().join("outside"), root.path().join("bundle/out")).unwrap();
        let listed = |name: &str, kind| Listed {
            name: name.into(),
            kind,
        };
        assert_eq!(
            folder.list(Path::new("")).unwrap(),
            [listed("files", Kind::Folder), listed("out", Kind::Link)]
        );
        assert_eq!(
            folder.list(Path::new("files")).unwrap(),
            [listed("a.pdf", Kind::File)]
        );
        assert_eq!(folder.list(Path::new("out")), Err(Refusal::Link));
        assert_eq!(folder.list(Path::new("files/a.pdf")), Err(Refusal::Missing));
    });
}
