//! Hostile reports through every renderer. The input's text, split at NUL
//! bytes, fills every string a report carries from a bundle (bundle and
//! manifest names, party keys and names, holders, materials, JSON Pointers,
//! quoted values of every kind, waiver notes). Every format, both
//! languages, masked and shown, must render without a panic; and:
//!
//! - text output holds no control or bidirectional character (but its own
//!   line breaks): nothing from the input can act on a terminal;
//! - when the input holds no digits, the personal numbers planted among its
//!   strings never appear unmasked in any default rendering.
#![no_main]

use dossier::lang::{Lang, Localized};
use dossier::render::{Format, RenderOptions, render};
use dossier::report::{
    Argument, ArgumentKind, Finding, Message, PartySummary, Report, Severity, Status, WaiverNote,
};
use libfuzzer_sys::fuzz_target;

/// Planted between the input's strings, each with a space on both sides.
const PLANTED: [&str; 4] = [
    "11010519491231002X",
    "13800138000",
    "１８６１５０１２２４７",
    "186 1501 2247",
];
/// The digits of [`PLANTED`] as they would read unmasked.
const PLANTED_DIGITS: [&str; 3] = ["11010519491231002", "13800138000", "18615012247"];

fn report(text: &str) -> Report {
    let pieces: Vec<&str> = text.split('\0').collect();
    let mut index = 0;
    let mut next = || {
        let piece = pieces[index % pieces.len()];
        let planted = PLANTED[index % PLANTED.len()];
        index += 1;
        if index % 3 == 0 {
            format!("{piece} {planted} {piece}")
        } else {
            piece.to_string()
        }
    };
    let mut report = Report::empty(&next());
    report.manifest = Some(next());
    report.operation = Some(next());
    report.operation_title = Some(Localized::new(next(), next()));
    for _ in 0..3 {
        let key = next();
        report.parties.push(PartySummary {
            key,
            role: Some(next()),
            name: Some(next()),
            is_company: true,
        });
    }
    let statuses = [Status::Fail, Status::Pass, Status::Skip, Status::Waived];
    let severities = [Severity::Error, Severity::Warning, Severity::Info];
    let kinds = [
        ArgumentKind::Text,
        ArgumentKind::ResidentId,
        ArgumentKind::Mobile,
        ArgumentKind::Date,
    ];
    for i in 0..8 {
        let arguments = kinds
            .iter()
            .enumerate()
            .map(|(k, kind)| Argument::new(format!("a{k}"), next(), *kind))
            .collect();
        let message = Message::of(
            "值 {a0} {a1} {a2} {a3}",
            "value {a0} {a1} {a2} {a3}",
            arguments,
        );
        let mut finding = Finding::new(
            format!("rule.{i}"),
            statuses[i % statuses.len()],
            severities[i % severities.len()],
            message,
        )
        .with_hint(Message::of(
            "改 {x}",
            "fix {x}",
            vec![Argument::text("x", next())],
        ))
        .with_path(next());
        finding.holder = Some(if i % 2 == 0 {
            report.parties[i % 3].key.clone()
        } else {
            next()
        });
        finding.material = Some(next());
        finding.line = Some(i + 1);
        finding.rule_error = i == 5;
        if finding.status == Status::Waived {
            finding.waiver = Some(WaiverNote {
                reason: next(),
                approved_by: next(),
                expires: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).expect("a real date"),
                source: next(),
            });
        }
        report.findings.push(finding);
    }
    report
}

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with digits folded to ASCII and everything but ASCII letters,
/// digits and `*` dropped: a number however written reads as its digits.
fn digits_only(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            c if c.is_ascii_alphanumeric() || c == '*' => Some(c),
            _ => None,
        })
        .collect()
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let report = report(text);
    let reports = [report.clone(), report];
    let has_digits = text.chars().any(|c| c.is_numeric());
    for lang in [Lang::Zh, Lang::En] {
        for show_personal_data in [false, true] {
            let mut options = RenderOptions::in_language(lang);
            options.show_personal_data = show_personal_data;
            options.explain = true;
            for format in Format::ALL {
                let output = render(format, &reports, &options);
                if format == Format::Text {
                    if let Some(c) = output.chars().find(|&c| unsafe_char(c)) {
                        panic!("text output shows {c:?}");
                    }
                }
                if !show_personal_data && !has_digits {
                    let flat = digits_only(&output);
                    for digits in PLANTED_DIGITS {
                        assert!(!flat.contains(digits), "{} shows {digits}", format.name());
                    }
                }
            }
        }
    }
});
