//! Mistakes a clerk makes filling in a manifest by hand, on a bundle built
//! here from the specification's own example (not from the fixtures): each
//! is answered by one finding that names the right line, speaks the chosen
//! language and gives the fix — the corrected date, the suggested key, the
//! new file name, the near match.

use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::report::{Finding, Report, Severity, Status, Verdict};
use dossier::rules::RuleSet;

/// The manifest of spec §3, as a clerk would copy it.
const MANIFEST: &str = "\
format: dossier.bundle/v1
operation: douyin.employee_account.deregister
submitted_on: 2024-08-28

parties:
  company:
    role: enterprise
    name: 北京星河示例科技有限公司
    uscc: 91110108MA01C8XW7T
    douyin_certified: true
  zhang:
    role: legal_representative
    name: 张三
    id_number: \"11010519491231002X\"
  lisi:
    role: employee
    name: 李四
    id_number: \"110108199003071238\"
    phone: \"13800138000\"
    email: lisi@example.com
    douyin_account: lisi_2024

documents:
  - type: business_license
    holder: company
    file: files/business_license.pdf
    fields:
      name: 北京星河示例科技有限公司
      uscc: 91110108MA01C8XW7T
      legal_representative: 张三
      valid_until: long_term
  - type: id_card
    holder: zhang
    file: files/zhang_id.jpg
    fields: { name: 张三, number: \"11010519491231002X\", valid_until: long_term }
  - type: id_card
    holder: lisi
    file: files/lisi_id.jpg
    fields: { name: 李四, number: \"110108199003071238\", valid_until: 2031-05-20 }
  - type: resignation_certificate
    holder: lisi
    file: files/lisi_resignation.pdf
    fields:
      employer: 北京星河示例科技有限公司
      employee: 李四
      resignation_date: 2024-08-15
      sealed: true
";

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 0xFF, 0xD9,
];
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42,
    0x60, 0x82,
];

/// A bundle folder holding `manifest` (as bytes) and the four attachments.
fn bundle(manifest: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    for (name, bytes) in [
        ("business_license.pdf", PDF),
        ("zhang_id.jpg", JPEG),
        ("lisi_id.jpg", JPEG),
        ("lisi_resignation.pdf", PDF),
    ] {
        std::fs::write(files.join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("bundle.yaml"), manifest).unwrap();
    dir
}

fn check(dir: &Path) -> Report {
    RuleSet::embedded()
        .unwrap()
        .check_path(dir, &CheckOptions::default())
}

/// The line (1-based) of the first line of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// The findings that fail, errors and warnings.
fn failing(report: &Report) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect()
}

/// The only failing finding: one mistake, one finding.
fn the_failure(report: &Report) -> &Finding {
    let failing = failing(report);
    let [finding] = failing.as_slice() else {
        panic!(
            "one failing finding expected: {:#?}",
            failing
                .iter()
                .map(|f| f.message.render(Lang::En, false))
                .collect::<Vec<_>>()
        );
    };
    finding
}

/// Message and fix as a reader of `lang` sees them.
fn said(finding: &Finding, lang: Lang) -> String {
    let hint = finding
        .hint
        .as_ref()
        .map(|h| h.render(lang, false))
        .unwrap_or_default();
    format!("{}\n{hint}", finding.message.render(lang, false))
}

/// Chinese text holds no English prose: once backticked keys, paths,
/// quoted values and the YAML reader's own detail (kept in parentheses)
/// are set aside, no two English words follow each other.
fn assert_chinese(text: &str) {
    let mut rest = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '`' | '“' | '”' => quoted = !quoted && c != '”',
            _ if !quoted => rest.push(c),
            _ => {}
        }
    }
    let rest = rest
        .split("(解析器说明:")
        .next()
        .unwrap()
        .replace("YAML", "");
    let words: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 2)
        .collect();
    let prose = rest.split(['\n', ',', ';', ':']).any(|part| {
        part.split_whitespace()
            .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() > 2)
            .count()
            >= 2
    });
    assert!(!prose, "English prose in Chinese output: {text}\n{words:?}");
    assert!(
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{text}"
    );
}

/// English text holds no Chinese prose (names and quoted values aside).
fn assert_english(text: &str, allowed: &[&str]) {
    let mut rest = text.to_string();
    for value in allowed {
        rest = rest.replace(value, "");
    }
    assert!(
        !rest.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "Chinese in English output: {text}"
    );
}

#[test]
fn a_full_width_colon_is_named_at_its_own_line_and_column() {
    let manifest = MANIFEST.replace("    email: lisi", "    email：lisi");
    let dir = bundle(manifest.as_bytes());
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.rule, "bundle.readable");
    assert_eq!(finding.line, Some(line_of(&manifest, "email：")));
    let zh = said(finding, Lang::Zh);
    assert!(
        zh.contains("全角冒号") && zh.contains("第 20 行第 10 列"),
        "{zh}"
    );
    assert!(zh.contains("半角冒号"), "{zh}");
    assert_chinese(&zh);
    let en = said(finding, Lang::En);
    assert!(
        en.contains("line 20, column 10") && en.contains("full-width colon"),
        "{en}"
    );
}

#[test]
fn indentation_with_a_tab_or_a_full_width_space_is_named() {
    for (indent, zh_word, en_word) in [
        ("\t", "制表符", "tab"),
        ("\u{3000}\u{3000}", "全角空格", "full-width spaces"),
    ] {
        let manifest = MANIFEST.replace("    phone: \"138", &format!("{indent}phone: \"138"));
        let dir = bundle(manifest.as_bytes());
        let report = check(dir.path());
        let finding = the_failure(&report);
        assert_eq!(
            finding.line,
            Some(line_of(&manifest, "phone:")),
            "{indent:?}"
        );
        let zh = said(finding, Lang::Zh);
        assert!(zh.contains(zh_word), "{zh}");
        assert_chinese(&zh);
        assert!(said(finding, Lang::En).contains(en_word));
    }
}

#[test]
fn a_misspelt_field_key_suggests_the_declared_one_once() {
    let manifest = MANIFEST.replace(
        "number: \"110108199003071238\", valid_until: 2031-05-20",
        "number: \"110108199003071238\", valid_untill: 2031-05-20",
    );
    let dir = bundle(manifest.as_bytes());
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.rule, "field.known");
    assert_eq!(finding.line, Some(line_of(&manifest, "valid_untill")));
    let zh = said(finding, Lang::Zh);
    assert!(zh.contains("把 `valid_untill` 改为 `valid_until`"), "{zh}");
    assert_chinese(&zh);
    let en = said(finding, Lang::En);
    assert!(
        en.contains("rename `valid_untill` to `valid_until`"),
        "{en}"
    );
    assert_english(&en, &["李四"]);
}

#[test]
fn a_misspelt_holder_still_gives_the_card_to_its_holder() {
    let manifest = MANIFEST.replacen("    holder: lisi\n", "    hodler: lisi\n", 1);
    let dir = bundle(manifest.as_bytes());
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.rule, "bundle.keys");
    assert_eq!(finding.line, Some(line_of(&manifest, "hodler")));
    assert!(said(finding, Lang::Zh).contains("改为 `holder`"));
    assert!(said(finding, Lang::En).contains("rename `hodler` to `holder`"));
}

#[test]
fn a_period_copied_from_the_card_gives_the_end_date_to_write() {
    let manifest = MANIFEST.replace(
        "valid_until: 2031-05-20",
        "valid_until: 2021.05.20-2031.05.20",
    );
    let dir = bundle(manifest.as_bytes());
    let report = check(dir.path());
    let type_failures: Vec<&Finding> = failing(&report)
        .into_iter()
        .filter(|f| f.rule == "field.type")
        .collect();
    let [finding] = type_failures.as_slice() else {
        panic!("one field.type failure: {type_failures:?}")
    };
    assert_eq!(
        finding.line,
        Some(line_of(&manifest, "2021.05.20-2031.05.20"))
    );
    let zh = said(finding, Lang::Zh);
    assert!(zh.contains("改为 2031-05-20"), "{zh}");
    assert!(said(finding, Lang::En).contains("change valid until to 2031-05-20"));
}

#[test]
fn dates_as_id_cards_print_them_and_yes_no_spellings_pass() {
    let manifest = MANIFEST
        .replace("valid_until: 2031-05-20", "valid_until: 2031.05.20")
        .replace(
            "resignation_date: 2024-08-15",
            "resignation_date: 2024-8-15",
        )
        .replace("      sealed: true", "      sealed: 是");
    let dir = bundle(manifest.as_bytes());
    let report = check(dir.path());
    assert_eq!(report.verdict(), Verdict::Pass, "{:#?}", failing(&report));
    assert!(failing(&report).is_empty(), "{:#?}", failing(&report));
}

#[test]
fn a_file_named_in_the_wrong_format_points_at_the_near_match() {
    let manifest = MANIFEST.replace("file: files/lisi_id.jpg", "file: files/lisi_id.pdf");
    let dir = bundle(manifest.as_bytes());
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.rule, "document.file");
    let line = line_of(&manifest, "files/lisi_id.pdf");
    assert_eq!(finding.line, Some(line));
    let zh = said(finding, Lang::Zh);
    assert!(
        zh.contains(&format!("把第 {line} 行改为 `file: files/lisi_id.jpg`")),
        "{zh}"
    );
    assert_chinese(&zh);
}

#[test]
fn a_png_saved_as_jpg_names_the_new_file_name_and_the_line() {
    let dir = bundle(MANIFEST.as_bytes());
    std::fs::write(dir.path().join("files/lisi_id.jpg"), PNG).unwrap();
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.severity, Severity::Warning);
    let line = line_of(MANIFEST, "files/lisi_id.jpg");
    assert_eq!(finding.line, Some(line));
    let en = said(finding, Lang::En);
    assert!(
        en.contains(&format!(
            "rename the file to files/lisi_id.png and change line {line} to `file: files/lisi_id.png`"
        )),
        "{en}"
    );
    assert_chinese(&said(finding, Lang::Zh));
}

#[test]
fn a_phone_photo_in_heic_says_to_convert_it() {
    let manifest = MANIFEST.replace("files/lisi_id.jpg", "files/lisi_id.HEIC");
    let dir = bundle(manifest.as_bytes());
    std::fs::write(
        dir.path().join("files/lisi_id.HEIC"),
        b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
    )
    .unwrap();
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.line, Some(line_of(&manifest, "lisi_id.HEIC")));
    let zh = said(finding, Lang::Zh);
    assert!(zh.contains("JPEG") && zh.contains("PDF、JPEG、PNG"), "{zh}");
    assert_chinese(&zh);
}

#[test]
fn a_manifest_saved_by_a_chinese_windows_editor_is_read_with_a_warning() {
    let (bytes, _, lossy) = encoding_rs::GB18030.encode(MANIFEST);
    assert!(!lossy);
    let dir = bundle(&bytes);
    let report = check(dir.path());
    let finding = the_failure(&report);
    assert_eq!(finding.rule, "bundle.encoding");
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(report.verdict(), Verdict::Pass);
    let zh = said(finding, Lang::Zh);
    assert!(zh.contains("GB18030") && zh.contains("UTF-8"), "{zh}");
    assert_english(&said(finding, Lang::En), &[]);
}
