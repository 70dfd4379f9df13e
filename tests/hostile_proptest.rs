//! The fuzz targets' entry points as property tests, so `cargo test` runs
//! them on every change (bounded: a few seconds). cargo-fuzz explores far
//! more (see docs/security.md); these catch regressions: whatever the bytes,
//! a manifest yields a report (one failing finding when it does not parse),
//! a fuzzed operation file loads or gives load errors, identifier parsers
//! answer. Nothing panics.

mod hostile_support;

use std::sync::LazyLock;

use chrono::NaiveDate;
use dossier::engine::CheckOptions;
use dossier::internals::Bundle;
use dossier::internals::{date, email, mobile, name, ric, uscc};
use dossier::lang::Lang;
use dossier::limits::Limits;
use dossier::report::Verdict;
use dossier::rules::{RuleFile, RuleSet, embedded_files};
use hostile_support::*;
use proptest::prelude::*;

const OPERATION: &str = "operations/douyin.employee_account.deregister.yaml";

static MANIFEST: LazyLock<String> =
    LazyLock::new(|| std::fs::read_to_string(repo(BASE).join("bundle.yaml")).unwrap());
static EMPTY_DIR: LazyLock<tempfile::TempDir> = LazyLock::new(|| tempfile::tempdir().unwrap());

fn judge_bytes(bytes: Vec<u8>) {
    let bundle = Bundle::from_bytes("prop", EMPTY_DIR.path(), bytes, &Limits::default());
    let report = RULES.check_bundle(&bundle, &CheckOptions::default());
    if bundle.manifest.is_err() {
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.verdict(), Verdict::Fail);
    }
    for finding in &report.findings {
        finding.message.render(Lang::En, false);
        finding.message.render(Lang::Zh, true);
    }
}

/// A real manifest with a slice replaced: mostly valid YAML, broken in one place.
fn mutated(text: &str) -> impl Strategy<Value = Vec<u8>> + use<> {
    let bytes = text.as_bytes().to_vec();
    let len = bytes.len();
    (
        0..len,
        0..64usize,
        prop::collection::vec(any::<u8>(), 0..32),
    )
        .prop_map(move |(at, cut, insert)| {
            let mut out = bytes.clone();
            let end = (at + cut).min(len);
            out.splice(at..end, insert);
            out
        })
}

/// YAML-ish text from the characters that matter to a YAML reader.
fn yamlish() -> impl Strategy<Value = String> {
    "[-:&*!|>{}\\[\\],#'\" \n\t0-9a-z~.%@\\\\]{0,200}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_make_a_report(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        judge_bytes(bytes);
    }

    #[test]
    fn yamlish_text_makes_a_report(text in yamlish()) {
        judge_bytes(text.into_bytes());
    }

    #[test]
    fn a_mutated_manifest_makes_a_report(bytes in mutated(&MANIFEST)) {
        judge_bytes(bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_operation_file_loads_or_says_why(seed in any::<u64>()) {
        let files = embedded_files();
        let original = files.iter().find(|f| f.path == OPERATION).unwrap().text.clone();
        // A deterministic mutation from the seed: cut a slice and insert YAML punctuation.
        let len = original.len() as u64;
        let at = (seed % len) as usize;
        let at = (0..=at).rev().find(|i| original.is_char_boundary(*i)).unwrap();
        let cut = ((seed >> 32) % 40) as usize;
        let end = (at..=(at + cut).min(original.len())).rev().find(|i| original.is_char_boundary(*i)).unwrap();
        let insert = ["", ":", "- ", "{", "]", "&a ", "*a", "\n  x: 1\n", "'", "loop {}", "}}", "{x"][(seed >> 8) as usize % 12];
        let text = format!("{}{insert}{}", &original[..at], &original[end..]);
        let mut files: Vec<RuleFile> = files.into_iter().filter(|f| f.path != OPERATION).collect();
        files.push(RuleFile { path: OPERATION.into(), text });
        match RuleSet::from_files("prop", files, Limits::default()) {
            Err(errors) => prop_assert!(!errors.0.is_empty()),
            Ok(rules) => {
                let report = rules.check_path(&repo(BASE), &CheckOptions::default());
                prop_assert!(!report.findings.is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn identifier_parsers_always_answer(text in "\\PC{0,40}", digits in "[0-9Xx+\\- ]{0,24}") {
        let day = NaiveDate::from_ymd_opt(2024, 8, 28).unwrap();
        for input in [text.as_str(), digits.as_str()] {
            if let Err(e) = uscc::parse(input) { e.explain(); }
            if let Err(e) = ric::parse(input, day) { e.explain(); }
            if let Err(e) = mobile::parse(input) { e.explain(); }
            if let Err(e) = email::parse(input) { e.explain(); }
            if let Err(e) = date::parse_date_or_long_term(input) { e.explain(); }
            prop_assert!(name::same_name(input, input));
        }
    }
}

/// A report holding `pieces` wherever a bundle's text can go.
fn hostile_report(pieces: &[String]) -> dossier::report::Report {
    use dossier::report::{
        Argument, ArgumentKind, Finding, Message, PartySummary, Report, Severity, Status,
    };
    let piece = |i: usize| pieces[i % pieces.len()].clone();
    let mut report = Report::empty(&piece(0));
    report.manifest = Some(piece(1));
    report.operation = Some(piece(2));
    // The title is the rule set's text, shown unmasked: digits left out,
    // its control characters kept (a rule set given with `--rules`).
    let title = |i: usize| {
        piece(i)
            .chars()
            .filter(|c| !c.is_numeric())
            .collect::<String>()
    };
    report.operation_title = Some(dossier::lang::Localized::new(title(10), title(11)));
    report.parties.push(PartySummary {
        key: piece(3),
        role: Some(piece(4)),
        name: Some(piece(5)),
        is_company: true,
    });
    for (i, status) in [Status::Fail, Status::Pass, Status::Skip]
        .into_iter()
        .enumerate()
    {
        let arguments = vec![
            Argument::text("a", piece(6 + i)),
            Argument::new("b", piece(7 + i), ArgumentKind::ResidentId),
        ];
        let mut finding = Finding::new(
            "rule",
            status,
            Severity::Error,
            Message::of("{a} {b}", "{a} {b}", arguments),
        )
        .with_path(piece(8 + i))
        .with_holder(Some(&piece(if i == 0 { 3 } else { 9 })));
        finding.line = Some(i + 1);
        report.findings.push(finding);
    }
    report
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// The `text_report` fuzz target's property: whatever a bundle's strings
    /// hold, text output holds no control or bidi character but its own line
    /// breaks, and a number planted among digit-free strings is never shown
    /// unmasked in any format.
    #[test]
    fn hostile_strings_cannot_paint_text_or_leak_planted_numbers(
        pieces in prop::collection::vec("[a-z张 \\-_./\u{1b}\u{7}\r\n\t\u{85}\u{9b}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200e}\u{200f}\u{61c}\u{200b}]{0,12}", 1..12),
        plant in 0..3usize,
    ) {
        use dossier::render::{Format, RenderOptions, render};
        let planted = ["13800138000", "１３８００１３８０００", "138 0013 8000"][plant];
        let mut pieces = pieces;
        let at = pieces.len() / 2;
        pieces[at] = format!("{} {planted} {}", pieces[at], pieces[at]);
        let report = hostile_report(&pieces);
        for lang in [Lang::Zh, Lang::En] {
            let mut options = RenderOptions::in_language(lang);
            options.explain = true;
            for format in Format::ALL {
                let output = render(format, std::slice::from_ref(&report), &options);
                let digits: String = output
                    .chars()
                    .filter_map(|c| match c {
                        '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30),
                        c if c.is_ascii_digit() || c == '*' || c.is_alphabetic() => Some(c),
                        _ => None,
                    })
                    .collect();
                prop_assert!(!digits.contains("13800138000"), "{}: {output}", format.name());
                if format == Format::Text {
                    let shown = output.chars().find(|&c| {
                        (c.is_control() && c != '\n')
                            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
                    });
                    prop_assert!(shown.is_none(), "{shown:?} in {output:?}");
                }
            }
        }
    }
}
