//! What the command line says on standard error is in the language asked
//! for: under `--lang zh` no English prose (paths, option names and the
//! operating system's own detail in parentheses aside), under `--lang en`
//! no Chinese. One case per kind of line: a folder walk passing an entry
//! over, a waiver that names no bundle, the `--jobs` cap, an output path
//! that cannot be written.

use std::path::Path;
use std::process::Command;

const PASSING: &str = "fixtures/douyin.employee_account.open/pass-labor-contract";
const FAILING: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

/// Runs dossier with no locale, so only `--lang` decides; the exit status
/// and standard error with `dir` shown as `[dir]` and seconds as `[s]`.
fn stderr_of(args: &[&str], dir: &Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("dossier runs");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stderr = stderr.replace(dir.to_str().unwrap(), "[dir]");
    let seconds = regex::Regex::new(r"\d+\.\d\d").unwrap();
    (
        output.status.code(),
        seconds.replace_all(&stderr, "[s]").into_owned(),
    )
}

/// Latin words of three letters or more left once the operating system's
/// detail (`(No such file or directory (os error 2))`) and what may stay as
/// written are removed.
fn english_words(stderr: &str, verbatim: &[&str]) -> Vec<String> {
    let os_detail = regex::Regex::new(r"\([^()]*\(os error \d+\)\)").unwrap();
    let mut text = os_detail.replace_all(stderr, " ").into_owned();
    for keep in verbatim {
        text = text.replace(keep, " ");
    }
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() >= 3)
        .map(str::to_string)
        .collect()
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Asserts the zh stderr is Chinese with no English prose and the en one
/// English with no Chinese; both must say something.
fn assert_in_language(zh: &str, en: &str, verbatim: &[&str]) {
    assert!(has_chinese(zh), "{zh}");
    assert_eq!(english_words(zh, verbatim), Vec::<String>::new(), "{zh}");
    assert!(!has_chinese(en), "{en}");
    assert!(!english_words(en, verbatim).is_empty(), "{en}");
}

fn absolute(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn a_skipped_entry_of_a_folder_walk_is_said_in_the_chosen_language() {
    let root = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(absolute(PASSING), root.path().join("linked")).unwrap();
    std::fs::create_dir(root.path().join("odd")).unwrap();
    std::fs::write(root.path().join("odd/Bundle.yaml"), "format: x\n").unwrap();
    let dir = root.path().to_str().unwrap();
    let said = |lang| stderr_of(&["check", dir, "--lang", lang], root.path());
    let ((_, zh), (_, en)) = (said("zh"), said("en"));
    assert!(zh.contains("提示:已跳过 [dir]/linked:是符号链接"), "{zh}");
    assert!(
        en.contains("note: skipped [dir]/linked: a symbolic link"),
        "{en}"
    );
    let verbatim = [
        "[dir]/linked",
        "[dir]/odd/Bundle.yaml",
        "bundle.yaml",
        "bundle.yml",
    ];
    assert_in_language(&zh, &en, &[&verbatim[..], &["bundle.json"]].concat());
    insta::assert_snapshot!("skipped_zh", zh);
    insta::assert_snapshot!("skipped_en", en);
}

#[test]
fn a_waiver_naming_no_bundle_is_said_in_the_chosen_language() {
    let root = tempfile::tempdir().unwrap();
    let waivers = root.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "format: dossier.waivers/v1\nwaivers:\n  - rule: employee.age\n    bundle: elsewhere/*\n    reason: 实习协议\n    approved_by: 王审核\n    expires: 2099-12-31\n",
    )
    .unwrap();
    let waivers = waivers.to_str().unwrap();
    let said = |lang| {
        stderr_of(
            &["check", PASSING, "--waivers", waivers, "--lang", lang],
            root.path(),
        )
    };
    let ((zh_code, zh), (en_code, en)) = (said("zh"), said("en"));
    assert_eq!((zh_code, en_code), (Some(0), Some(0)), "{zh}{en}");
    assert_eq!(
        zh.trim_end(),
        "警告:[dir]/waivers.yaml:3:针对 employee.age 的豁免没有对应本次检查的任何材料包(elsewhere/*)"
    );
    let verbatim = ["[dir]/waivers.yaml", "employee.age", "elsewhere/*"];
    assert_in_language(&zh, &en, &verbatim);
    insta::assert_snapshot!("unmatched_waiver_zh", zh);
    insta::assert_snapshot!("unmatched_waiver_en", en);
}

#[test]
fn the_jobs_cap_is_said_in_the_chosen_language() {
    let root = tempfile::tempdir().unwrap();
    let said = |lang| {
        stderr_of(
            &[
                "check",
                PASSING,
                FAILING,
                "--format",
                "jsonl",
                "--jobs",
                "1000000000",
                "--lang",
                lang,
            ],
            root.path(),
        )
    };
    let ((zh_code, zh), (en_code, en)) = (said("zh"), said("en"));
    assert_eq!((zh_code, en_code), (Some(1), Some(1)), "{zh}{en}");
    assert!(
        zh.starts_with("警告:--jobs 1000000000 超出本机可用的并行数"),
        "{zh}"
    );
    assert!(
        en.starts_with("warning: --jobs 1000000000 is more than this machine can use"),
        "{en}"
    );
    // The cap depends on the machine's cores: only its words are compared.
    let digits = regex::Regex::new(r"\d+").unwrap();
    assert_in_language(&zh, &en, &["--jobs"]);
    insta::assert_snapshot!("jobs_cap_zh", digits.replace_all(&zh, "N"));
    insta::assert_snapshot!("jobs_cap_en", digits.replace_all(&en, "N"));
}

#[test]
fn an_unwritable_output_is_said_in_the_chosen_language() {
    let root = tempfile::tempdir().unwrap();
    let output = root.path().join("missing-folder/report.txt");
    let output = output.to_str().unwrap();
    let said = |lang| {
        stderr_of(
            &["check", PASSING, "--output", output, "--lang", lang],
            root.path(),
        )
    };
    let ((zh_code, zh), (en_code, en)) = (said("zh"), said("en"));
    assert_eq!((zh_code, en_code), (Some(2), Some(2)), "{zh}{en}");
    assert!(
        zh.starts_with("错误:无法写入 [dir]/missing-folder/report.txt("),
        "{zh}"
    );
    assert!(
        en.starts_with("error: cannot write [dir]/missing-folder/report.txt: "),
        "{en}"
    );
    assert_in_language(&zh, &en, &["[dir]/missing-folder/report.txt"]);
    insta::assert_snapshot!("unwritable_output_zh", zh);
    insta::assert_snapshot!("unwritable_output_en", en);

    // The same for a folder of reports that cannot be created.
    let blocker = root.path().join("a-file");
    std::fs::write(&blocker, "").unwrap();
    let inside = blocker.join("reports");
    let said = |lang| {
        stderr_of(
            &[
                "check",
                PASSING,
                FAILING,
                "--output-dir",
                inside.to_str().unwrap(),
                "--lang",
                lang,
            ],
            root.path(),
        )
    };
    let ((_, zh), (_, en)) = (said("zh"), said("en"));
    assert!(
        zh.starts_with("错误:无法创建目录 [dir]/a-file/reports("),
        "{zh}"
    );
    assert!(
        en.starts_with("error: cannot create [dir]/a-file/reports: "),
        "{en}"
    );
    assert_in_language(&zh, &en, &["[dir]/a-file/reports"]);
}

/// `--explain` names each value a built-in check judged in the report's
/// language, never by its placeholder (`index = 1`), and still masks
/// personal numbers.
#[test]
fn explained_values_are_labelled_in_the_chosen_language() {
    let explained = |lang: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["check", PASSING, "--explain", "--lang", lang])
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .expect("dossier runs");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    let (zh, en) = (explained("zh"), explained("en"));
    // Under zh no placeholder of a built-in check is left; under en those
    // whose English word differs from the name (`date` is both).
    let internal = |names: &str| regex::Regex::new(&format!("[:;] ({names}) = ")).unwrap();
    let zh_internal = internal("index|file|kind|size|party|role|material|holder|format|count|date");
    let en_internal = internal("index|file|kind|size|format");
    for (report, internal) in [(&zh, zh_internal), (&en, en_internal)] {
        if let Some(found) = internal.find(report) {
            panic!("`{}` in\n{report}", found.as_str());
        }
        assert!(
            !report.contains("140105200212162760"),
            "an ID number unmasked"
        );
    }
    assert!(
        zh.contains("材料 = 居民身份证; 材料序号 = 2; 角色 = 员工"),
        "{zh}"
    );
    assert!(en.contains("document number = 2; role = employee"), "{en}");
    let values: Vec<&str> = zh.lines().filter(|l| l.contains("判定所用的值")).collect();
    insta::assert_snapshot!("explain_values_zh", values.join("\n"));
}
