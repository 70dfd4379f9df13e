//! No personal number from a bundle appears unmasked in any rendering by
//! default, and `--show-personal-data` does show them. The numbers are read
//! from the fixture manifests themselves: every ID number and phone number
//! a party or document holds, as written and as normalised.

mod support;

use std::path::Path;

use dossier::engine::CheckOptions;
use dossier::lang::Lang;
use dossier::render::{Format, RenderOptions, render};
use dossier::rules::RuleSet;
use serde_yaml::Value;

const PERSONAL_KEYS: [&str; 4] = ["id_number", "number", "phone", "mobile"];

fn collect(value: &Value, key: Option<&str>, found: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                collect(v, k.as_str(), found);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| collect(v, None, found)),
        Value::String(_) | Value::Number(_) if key.is_some_and(|k| PERSONAL_KEYS.contains(&k)) => {
            let written = match value {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other).unwrap().trim().to_string(),
            };
            let digits: String = written
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_uppercase();
            let digits = digits
                .strip_prefix("86")
                .filter(|d| d.len() == 11)
                .unwrap_or(&digits);
            // Numbers shorter than a mobile are not personal numbers worth
            // hunting (and would match dates and sizes by accident).
            for form in [written.clone(), digits.to_string()] {
                if form.chars().filter(char::is_ascii_digit).count() >= 11 && !found.contains(&form)
                {
                    found.push(form);
                }
            }
        }
        _ => {}
    }
}

/// The personal numbers a bundle's manifest holds, as written and normalised.
fn personal_numbers(case: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for name in ["bundle.yaml", "bundle.yml", "bundle.json"] {
        if let Ok(text) = std::fs::read_to_string(case.join(name))
            && let Ok(value) = serde_yaml::from_str::<Value>(&text)
        {
            collect(&value, None, &mut found);
        }
    }
    found
}

fn rendered(report: &dossier::report::Report, format: Format, lang: Lang, show: bool) -> String {
    let mut options = RenderOptions::in_language(lang);
    options.show_personal_data = show;
    options.explain = true;
    render(format, std::slice::from_ref(report), &options)
}

#[test]
fn no_personal_number_appears_unmasked_by_default_and_all_can_be_shown() {
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let mut leaks = Vec::new();
    let mut checked = 0;
    let mut shown_by_format = vec![0usize; Format::ALL.len()];
    for case in support::fixture_paths() {
        let numbers = personal_numbers(&case);
        if numbers.is_empty() {
            continue;
        }
        let report = rules.check_path(&case, &CheckOptions::default());
        for (index, format) in Format::ALL.into_iter().enumerate() {
            for lang in [Lang::Zh, Lang::En] {
                let masked = rendered(&report, format, lang, false);
                for number in &numbers {
                    checked += 1;
                    if masked.contains(number.as_str()) {
                        leaks.push(format!(
                            "{} {} {}: {number}",
                            case.display(),
                            format.name(),
                            lang.code()
                        ));
                    }
                }
                let shown = rendered(&report, format, lang, true);
                if numbers.iter().any(|n| shown.contains(n.as_str())) {
                    shown_by_format[index] += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} numbers checked");
    assert!(
        leaks.is_empty(),
        "unmasked personal numbers:\n{}",
        leaks.join("\n")
    );
    for (format, shown) in Format::ALL.iter().zip(&shown_by_format) {
        assert!(
            *shown > 0,
            "--show-personal-data never shows a number in {}",
            format.name()
        );
    }
}

/// The numbers hidden in the hostile bundle below, as digits; none may
/// appear in any default output however it was written there.
const HIDDEN: [&str; 7] = [
    "11010519491231002",
    "18615012247",
    "13912345678",
    "13700138000",
    "13600138000",
    "330106199603170078",
    "15000138000",
];

/// A passing bundle made hostile: an ID number in its folder name, a
/// mobile number glued to its party key, full-width digits in a party name
/// (shown in headings), numbers with spaces and hyphens in fields, a number
/// in an attachment's file name and in an unknown key (a JSON Pointer).
fn hostile_bundle(root: &Path) -> std::path::PathBuf {
    let bundle = root.join("张三_11010519491231002X");
    copy_dir(
        Path::new("fixtures/douyin.employee_account.open/pass-labor-contract"),
        &bundle,
    );
    std::fs::rename(
        bundle.join("files/wangsiyu_id_card.jpg"),
        bundle.join("files/id330106199603170078.jpg"),
    )
    .unwrap();
    let manifest = bundle.join("bundle.yaml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("wangsiyu:", "tel18615012247:")
        .replace("holder: wangsiyu", "holder: tel18615012247")
        .replace(
            "    role: employee\n    name: 王思雨\n",
            "    role: employee\n    name: 王思雨１３９１２３４５６７８\n    note_15000138000: x\n",
        )
        .replace("name: 刘建国", "name: 刘建国 137 0013 8000")
        .replace(
            "douyin_account: wangsiyu_34",
            "douyin_account: wx-136-0013-8000",
        )
        .replace(
            "files/wangsiyu_id_card.jpg",
            "files/id330106199603170078.jpg",
        );
    std::fs::write(&manifest, text).unwrap();
    bundle
}

fn copy_dir(from: &Path, to: &Path) {
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

/// `text` with every digit as ASCII and everything but letters, digits and
/// `*` removed, so a number written with spaces, hyphens, full-width digits
/// or escapes between its digits reads as plain digits.
fn digits_only(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '*')
        .collect()
}

fn assert_hidden(output: &str, what: &str) {
    let flat = digits_only(output);
    for number in HIDDEN {
        assert!(!flat.contains(number), "{what} shows {number}:\n{output}");
    }
}

#[test]
fn numbers_hidden_in_names_keys_pointers_and_file_names_are_masked_in_every_format() {
    let root = tempfile::tempdir().unwrap();
    let bundle = hostile_bundle(root.path());
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let report = rules.check_path(&bundle, &CheckOptions::default());
    // The data is really there to leak: the report keeps raw values.
    let raw = format!("{report:?}");
    for number in ["18615012247", "330106199603170078", "15000138000"] {
        assert!(raw.contains(number), "{number} not in the report");
    }
    for format in Format::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let output = rendered(&report, format, lang, false);
            assert_hidden(&output, &format!("{} {}", format.name(), lang.code()));
            let shown = digits_only(&rendered(&report, format, lang, true));
            assert!(
                shown.contains("11010519491231002") && shown.contains("18615012247"),
                "{} {} does not show the numbers when asked",
                format.name(),
                lang.code()
            );
        }
    }
    // The folder name and the party heading are there, masked.
    let text = rendered(&report, Format::Text, Lang::Zh, false);
    assert!(text.contains("张三_110105********002X"), "{text}");
    assert!(text.contains("王思雨１３９****５６７８"), "{text}");
}

/// `first14` completed with its ISO 7064 MOD 11,10 check digit: a valid
/// 15-digit business registration number (注册号).
fn registration_number(first14: &str) -> String {
    let mut product = 10;
    for digit in first14.chars().map(|c| c.to_digit(10).unwrap()) {
        let sum = match (product + digit) % 10 {
            0 => 10,
            s => s,
        };
        product = sum * 2 % 11;
    }
    let check = (0..10).find(|c| (product + c) % 10 == 1).unwrap();
    format!("{first14}{check}")
}

/// The shown outputs of the fixture copied to `root/name`, after `edit`
/// of its manifest: every format, both languages, masked by default.
fn outputs(root: &Path, name: &str, edit: impl Fn(String) -> String) -> Vec<(String, String)> {
    let bundle = root.join(name);
    copy_dir(
        Path::new("fixtures/douyin.employee_account.open/pass-labor-contract"),
        &bundle,
    );
    let manifest = bundle.join("bundle.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, edit(text)).unwrap();
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let report = rules.check_path(&bundle, &CheckOptions::default());
    let mut outputs = Vec::new();
    for format in Format::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let what = format!("{} {}", format.name(), lang.code());
            outputs.push((what, rendered(&report, format, lang, false)));
        }
    }
    outputs
}

#[test]
fn credit_codes_and_registration_numbers_are_not_masked_as_id_numbers() {
    let root = tempfile::tempdir().unwrap();
    // Free text: an all-digit credit code, and a registration number whose
    // digits 9–12 are no birth date (month 13), stay shown.
    let no_birth_date = registration_number("11010800130100");
    for name in [
        "914201068039957348".to_string(),
        format!("注册号{no_birth_date}"),
    ] {
        for (what, output) in outputs(root.path(), &name, |text| text) {
            assert!(
                digits_only(&output).contains(&digits_only(&name)),
                "{what} masks {name}"
            );
        }
    }
    // Typed: a registration number in the enterprise's credit-code field is
    // quoted in full by its finding, though it also reads as an old ID number.
    let reads_as_id = registration_number("11010800010100");
    let typed = |text: String| {
        text.replacen(
            "uscc: \"91110108MA0G3N8K5A\"",
            &format!("uscc: \"{reads_as_id}\""),
            1,
        )
    };
    for (what, output) in outputs(root.path(), "typed", typed) {
        assert!(
            digits_only(&output).contains(&reads_as_id),
            "{what} masks the typed {reads_as_id}"
        );
    }
}

#[test]
fn a_registration_number_that_reads_as_an_old_id_number_is_masked_in_free_text() {
    let root = tempfile::tempdir().unwrap();
    // Digits 9–12 read as a birth month and day: in a folder or party name
    // it may be a person's old ID number, so it is masked, whether or not
    // its registration check digit is right.
    let valid = registration_number("11010800010100");
    let wrong_check = format!(
        "{}{}",
        &valid[..14],
        (valid[14..].parse::<u32>().unwrap() + 1) % 10
    );
    for number in [&valid, &wrong_check] {
        let name = format!("注册号{number}");
        let party =
            |text: String| text.replacen("name: 刘建国", &format!("name: 刘建国{number}"), 1);
        for (what, output) in outputs(root.path(), &name, party) {
            assert!(
                !digits_only(&output).contains(number.as_str()),
                "{what} shows {number}:\n{output}"
            );
            assert!(output.contains("110*********"), "{what}: {output}");
        }
    }
    // Typed as an organisation's code but not a registration number (its
    // check digit is wrong): an old ID number in the wrong field, masked.
    let typed = |text: String| {
        text.replacen(
            "uscc: \"91110108MA0G3N8K5A\"",
            &format!("uscc: \"{wrong_check}\""),
            1,
        )
    };
    for (what, output) in outputs(root.path(), "typed-wrong", typed) {
        assert!(
            !digits_only(&output).contains(&wrong_check),
            "{what} shows {wrong_check}"
        );
    }
}

#[test]
fn control_and_bidi_characters_from_a_bundle_cannot_paint_a_verdict() {
    let root = tempfile::tempdir().unwrap();
    let bundle = root.path().join("evil\u{1b}[2K\r\u{1b}[32mPASS\u{202E}");
    copy_dir(
        Path::new("fixtures/douyin.employee_account.open/fail-employee.age"),
        &bundle,
    );
    let manifest = bundle.join("bundle.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen(
        "role: employee\n",
        "role: employee\n    douyin_account: \"a\\e[1A\\e[2K\\x9b32mPASS\\u2066\\u200F\\u061C\\nPASS\"\n",
        1,
    );
    std::fs::write(&manifest, &text).unwrap();
    let rules = RuleSet::embedded().expect("the shipped rules load");
    let report = rules.check_path(&bundle, &CheckOptions::default());
    assert_eq!(report.verdict(), dossier::report::Verdict::Fail);
    assert!(
        format!("{report:?}").contains("\\u{1b}"),
        "the name is there"
    );
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    };
    for format in [
        Format::Text,
        Format::Github,
        Format::Markdown,
        Format::Html,
        Format::Junit,
        Format::Sarif,
    ] {
        for lang in [Lang::Zh, Lang::En] {
            let output = rendered(&report, format, lang, false);
            let found: Vec<char> = output.chars().filter(|&c| unsafe_char(c)).collect();
            assert!(
                found.is_empty(),
                "{} shows {found:?}:\n{output}",
                format.name()
            );
            if format == Format::Text {
                // No line of the report starts with a verdict it does not have.
                let fake = output
                    .lines()
                    .filter(|l| l.trim_start().starts_with("PASS"))
                    .count();
                assert_eq!(fake, 0, "{output}");
                assert!(output.contains("\\u{1b}[32mPASS\\u{202e}"), "{output}");
            }
        }
    }
}
