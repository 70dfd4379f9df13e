//! Every fixture judged from each source — its folder, a zip with the
//! manifest at the root and one with everything in a top-level folder, a
//! tar, a tar.gz, and its files held in memory — gives the same report apart
//! from the name of the bundle and of its manifest.

mod archive_support;
mod support;

use std::collections::BTreeMap;

use archive_support::{files_below, tar, tar_gz, under, zip};

use dossier::engine::CheckOptions;
use dossier::report::Report;
use dossier::rules::RuleSet;
use dossier::source::BundleSource;

/// The report with the names that depend on the source blanked out.
fn comparable(report: &Report) -> String {
    let mut text = format!("{report:#?}");
    if let Some(manifest) = &report.manifest {
        text = text.replace(manifest.as_str(), "<manifest>");
    }
    text.replace(&report.bundle, "<bundle>")
}

#[test]
fn every_fixture_gives_the_same_report_from_every_source() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let options = CheckOptions::default();
    for case in support::fixture_paths() {
        let from_folder = rules.check_source(&BundleSource::from_path(&case), &options);
        assert_eq!(from_folder.bundle, case.display().to_string());
        let expected = comparable(&from_folder);
        let files = files_below(&case);
        let sources = [
            ("memory", BundleSource::memory("upload", files.clone())),
            (
                "zip",
                BundleSource::archive_bytes("bundle.zip", zip(&under("", &files))),
            ),
            (
                "zip in a folder",
                BundleSource::archive_bytes("bundle.zip", zip(&under("acme 材料/", &files))),
            ),
            (
                "tar",
                BundleSource::archive_bytes("bundle.tar", tar(&under("", &files))),
            ),
            (
                "tar.gz in a folder",
                BundleSource::archive_bytes("bundle.tar.gz", tar_gz(&under("acme/", &files))),
            ),
        ];
        for (label, source) in sources {
            let report = rules.check_source(&source, &options);
            assert_eq!(report.bundle, source.name(), "{label}");
            assert_eq!(
                comparable(&report),
                expected,
                "{} judged from {label}",
                case.display()
            );
        }
    }
}

#[test]
fn a_memory_bundle_with_a_name_leading_outside_fails_naming_it() {
    let rules = RuleSet::embedded().unwrap();
    let mut files = BTreeMap::new();
    files.insert("bundle.yaml".to_string(), b"format: x\n".to_vec());
    files.insert("../secret.pdf".to_string(), b"%PDF-".to_vec());
    let report = rules.check_source(
        &BundleSource::memory("upload", files),
        &CheckOptions::default(),
    );
    assert_eq!(report.bundle, "upload");
    assert_eq!(
        report.failing_rules(dossier::report::Severity::Error),
        ["bundle.readable"]
    );
    let message = format!("{:?}", report.findings[0].message);
    assert!(message.contains("../secret.pdf"), "{message}");
}

/// Zips written by Chinese-locale Windows name files in GBK without the
/// UTF-8 flag; the attachment is found by its real name.
#[test]
fn gbk_names_in_a_zip_are_decoded() {
    let rules = RuleSet::embedded().unwrap();
    let case = std::path::Path::new("fixtures/douyin.employee_account.deregister/pass-resignation");
    let mut files = files_below(case);
    let original = "files/zhaozixuan_resignation_certificate.pdf";
    let name = "files/营业执照.pdf";
    let (gbk, _, _) = encoding_rs::GBK.encode(name);
    // Written under an ASCII stand-in of the same length, then renamed.
    let stand_in = format!("files/{}.pdf", "X".repeat(gbk.len() - 10));
    let manifest = String::from_utf8(files.remove("bundle.yaml").unwrap()).unwrap();
    files.insert(
        "bundle.yaml".into(),
        manifest.replace(original, name).into_bytes(),
    );
    let pdf = files.remove(original).unwrap();
    files.insert(stand_in.clone(), pdf);
    let mut bytes = zip(&under("", &files));
    let mut renamed = 0;
    while let Some(at) = bytes
        .windows(stand_in.len())
        .position(|w| w == stand_in.as_bytes())
    {
        bytes[at..at + gbk.len()].copy_from_slice(&gbk);
        renamed += 1;
    }
    assert_eq!(renamed, 2, "the local and the central name");
    let report = rules.check_source(
        &BundleSource::archive_bytes("gbk.zip", bytes),
        &CheckOptions::default(),
    );
    assert_eq!(
        report.verdict(),
        dossier::report::Verdict::Pass,
        "{report:#?}"
    );
}

/// `dossier check` takes a zip and a tar.gz on disk, and a folder of them.
#[test]
fn archives_on_the_command_line() {
    let case = std::path::Path::new("fixtures/douyin.employee_account.deregister/pass-resignation");
    let files = files_below(case);
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("acme.zip");
    std::fs::write(&zip_path, zip(&under("acme/", &files))).unwrap();
    std::fs::write(dir.path().join("acme.tgz"), tar_gz(&under("", &files))).unwrap();
    std::fs::write(dir.path().join("Bundle.yaml"), "").unwrap();
    let dossier = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = dossier(&["check", "--format", "json", zip_path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["bundle"], zip_path.to_str().unwrap());
    let (code, stdout, stderr) =
        dossier(&["check", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let bundles: Vec<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["bundle"].as_str().map(str::to_string))
        .collect();
    assert_eq!(bundles.len(), 2, "{stdout}");
    assert!(bundles[0].ends_with("acme.tgz") && bundles[1].ends_with("acme.zip"));
    assert!(
        stderr.contains("Bundle.yaml") && stderr.contains("lower case"),
        "{stderr}"
    );
}
