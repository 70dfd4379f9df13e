//! Shared by the hostile-input tests: a passing bundle copied into a temp
//! folder to break, a time bound ("does not hang", not a benchmark), the
//! built binary, and `strace` to prove what was opened.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;
use std::sync::mpsc;
use std::time::Duration;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::report::{Finding, Report, Status, Verdict};
use dossier::rules::RuleSet;

/// Generous: every case here takes milliseconds; only a hang reaches it.
pub const TIME_BOUND: Duration = Duration::from_secs(10);

pub const BASE: &str = "fixtures/douyin.employee_account.deregister/pass-resignation";
/// The document without a declared sha256, whose `file` the tests replace.
pub const RESIGNATION: &str = "files/zhaozixuan_resignation_certificate.pdf";
pub const RESIGNATION_FILE_PATH: &str = "/documents/3/file";

pub static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::embedded().expect("the shipped rules load"));

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs `work` on its own thread; fails the test if it takes longer than `bound`.
pub fn within<T: Send + 'static>(bound: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(work());
    });
    match receive.recv_timeout(bound) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("did not finish within {bound:?}: a hang"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the work panicked"),
    }
}

/// A copy of the passing base bundle in a fresh temp folder (`<tmp>/bundle`),
/// with a sibling folder `<tmp>/outside` for targets outside it.
pub struct Scratch {
    pub root: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let root = tempfile::tempdir().expect("temp dir");
        let bundle = root.path().join("bundle");
        copy_dir(&repo(BASE), &bundle);
        std::fs::create_dir(root.path().join("outside")).unwrap();
        Scratch { root }
    }

    pub fn bundle(&self) -> PathBuf {
        self.root.path().join("bundle")
    }

    pub fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    pub fn manifest(&self) -> PathBuf {
        self.bundle().join("bundle.yaml")
    }

    pub fn manifest_text(&self) -> String {
        std::fs::read_to_string(self.manifest()).unwrap()
    }

    /// Rewrites the manifest; the change must apply.
    pub fn edit(&self, change: impl FnOnce(&str) -> String) {
        let before = self.manifest_text();
        let after = change(&before);
        assert_ne!(before, after, "the change must apply");
        std::fs::write(self.manifest(), after).unwrap();
    }

    /// The 1-based line of the manifest's first line containing `needle`.
    pub fn line_of(&self, needle: &str) -> usize {
        let text = String::from_utf8_lossy(&std::fs::read(self.manifest()).unwrap()).into_owned();
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("`{needle}` not in the manifest"))
            + 1
    }

    pub fn replace(&self, from: &str, to: &str) {
        self.edit(|text| text.replacen(from, to, 1));
    }

    /// Points the resignation certificate's `file` at `reference` (as YAML text).
    pub fn reference(&self, yaml_value: &str) {
        self.replace(
            &format!("file: {RESIGNATION}"),
            &format!("file: {yaml_value}"),
        );
    }

    /// A PDF outside the bundle that would pass if it were read.
    pub fn outside_pdf(&self) -> PathBuf {
        let target = self.outside().join("secret.pdf");
        std::fs::copy(self.bundle().join(RESIGNATION), &target).unwrap();
        target
    }

    pub fn check(&self) -> Report {
        check(self.bundle())
    }
}

/// Makes a FIFO at `path`: a file that blocks whoever opens it to read
/// until a writer comes, so a reader that opens one hangs.
pub fn make_fifo(path: impl AsRef<Path>) {
    let made = std::process::Command::new("mkfifo")
        .arg(path.as_ref())
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.as_ref().display());
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Checks a bundle with the shipped rules, within the time bound.
pub fn check(path: PathBuf) -> Report {
    within(TIME_BOUND, move || {
        RULES.check_path(&path, &CheckOptions::default())
    })
}

pub fn text(finding: &Finding) -> String {
    finding.message.render(Lang::En, false)
}

/// The failing findings of `rule`; panics with the report when there is none.
pub fn failing<'r>(report: &'r Report, rule: &str) -> Vec<&'r Finding> {
    let found: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.status == Status::Fail)
        .collect();
    assert!(
        !found.is_empty(),
        "expected a failing {rule}; got:\n{}",
        summary(report)
    );
    found
}

/// The one failing finding of `rule` at `path`, its message containing `needle`.
pub fn assert_fails_at(report: &Report, rule: &str, path: Option<&str>, needle: &str) {
    let found = failing(report, rule);
    assert!(
        found
            .iter()
            .any(|f| f.path.as_deref() == path && text(f).contains(needle)),
        "expected {rule} at {path:?} saying `{needle}`; got:\n{}",
        summary(report)
    );
    assert_eq!(report.verdict(), Verdict::Fail);
}

pub fn summary(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} {:?}: {}",
                f.rule,
                f.status,
                f.severity,
                f.path,
                text(f)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the built binary with the time bound; returns (exit code, stdout, stderr).
pub fn dossier(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    within(TIME_BOUND, move || {
        let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(&args)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .output()
            .expect("dossier runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
}

/// The exit status of `dossier check --format json BUNDLE`.
pub fn exit_status(bundle: &Path) -> i32 {
    dossier(&["check", "--format", "json", bundle.to_str().unwrap()]).0
}

/// Every path `dossier check BUNDLE` opened (openat, open, openat2), from
/// `strace -f`; `None` when strace is not installed or may not trace here,
/// so the caller skips the proof (the finding is asserted regardless).
pub fn opened_paths(bundle: &Path) -> Option<Vec<String>> {
    let log = tempfile::NamedTempFile::new().ok()?;
    let log_path = log.path().to_path_buf();
    let bundle = bundle.to_path_buf();
    let status = within(TIME_BOUND, move || {
        Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=open,openat,openat2", "-o"])
            .arg(&log_path)
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .args(["check", "--format", "json"])
            .arg(&bundle)
            .output()
    });
    let output = match status {
        Ok(output) => output,
        Err(_) => {
            eprintln!("strace not installed: skipping the proof of what was opened");
            return None;
        }
    };
    let log = std::fs::read_to_string(log.path()).unwrap_or_default();
    if output.status.code().is_none_or(|c| c > 2) || log.is_empty() {
        eprintln!(
            "strace could not trace here: skipping ({})",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    Some(
        log.lines()
            .filter_map(|line| line.split('"').nth(1).map(str::to_string))
            .collect(),
    )
}

/// Asserts, when strace can tell, that `dossier check BUNDLE` never opened `path`.
pub fn assert_never_opened(bundle: &Path, path: &Path) {
    let Some(opened) = opened_paths(bundle) else {
        return;
    };
    assert!(!opened.is_empty(), "strace saw nothing opened");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let leaked: Vec<&String> = opened
        .iter()
        .filter(|p| p.ends_with(&name) || Path::new(p) == path)
        .collect();
    assert!(leaked.is_empty(), "opened {leaked:?}");
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Every file `dossier ARGS` opened, as the kernel resolved it (`strace -y`
/// prints the path behind each descriptor a call returned); `None` when
/// strace is not installed or may not trace here.
pub fn resolved_opens(args: &[String]) -> Option<Vec<String>> {
    let log = tempfile::NamedTempFile::new().ok()?;
    let log_path = log.path().to_path_buf();
    let args = args.to_vec();
    let output = within(TIME_BOUND * 6, move || {
        Command::new("strace")
            .args(["-f", "-qq", "-y", "-e", "trace=open,openat,openat2", "-o"])
            .arg(&log_path)
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .args(&args)
            .output()
    });
    let Ok(output) = output else {
        eprintln!("strace not installed: skipping the proof of what was opened");
        return None;
    };
    let log = std::fs::read_to_string(log.path()).unwrap_or_default();
    if output.status.code().is_none_or(|c| c > 2) || log.is_empty() {
        eprintln!(
            "strace could not trace here: skipping ({})",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    Some(
        log.lines()
            .filter_map(|line| {
                let returned = line.rsplit_once(") = ")?.1;
                let (_, path) = returned.split_once('<')?;
                Some(path.strip_suffix('>')?.to_string())
            })
            .collect(),
    )
}
