//! Hostile manifests (issue 7's catalogue, first part): YAML bombs, sizes,
//! encodings, duplicate keys, NUL bytes, wrong types everywhere, numbers and
//! dates that lie. Each gives its finding, a failing verdict where it should,
//! exit status 1 (the bundle failed; the tool did its job), and finishes
//! well within the time bound.

mod hostile_support;

use std::fs::File;

use dossier::report::{Severity, Status, Verdict};
use hostile_support::*;

fn readable_failure(scratch: &Scratch, needle: &str, line: Option<usize>) {
    let report = scratch.check();
    assert_eq!(report.findings.len(), 1, "{}", summary(&report));
    let finding = &report.findings[0];
    assert_eq!(finding.rule, "bundle.readable");
    assert_eq!(finding.status, Status::Fail);
    assert_eq!(finding.severity, Severity::Error);
    assert!(text(finding).contains(needle), "{}", text(finding));
    if line.is_some() {
        assert_eq!(finding.line, line, "{}", text(finding));
    }
    assert_eq!(report.verdict(), Verdict::Fail);
    assert_eq!(exit_status(&scratch.bundle()), 1);
}

#[test]
fn alias_bomb_is_refused_at_the_first_anchor() {
    let scratch = Scratch::new();
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for (index, name) in names.iter().enumerate() {
        let previous = if index == 0 { "a" } else { names[index - 1] };
        let refs = vec![format!("*{previous}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    std::fs::write(scratch.manifest(), bomb).unwrap();
    readable_failure(
        &scratch,
        "anchors (&) and aliases (*) are not accepted",
        Some(1),
    );
}

#[test]
fn an_alias_inside_a_real_manifest_is_refused_where_it_stands() {
    let scratch = Scratch::new();
    scratch.replace(
        "    name: 杭州青禾信息技术有限公司\n",
        "    name: &n 杭州青禾信息技术有限公司\n",
    );
    let line = scratch.line_of("name: &n");
    readable_failure(&scratch, "anchors", Some(line));
}

#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    for nested in [
        "[".repeat(100_000),
        "- ".repeat(10_000),
        "{a: ".repeat(50_000),
    ] {
        let scratch = Scratch::new();
        std::fs::write(scratch.manifest(), &nested).unwrap();
        let report = scratch.check();
        assert_eq!(report.findings.len(), 1, "{}", summary(&report));
        assert_eq!(report.findings[0].rule, "bundle.readable");
        assert_eq!(report.verdict(), Verdict::Fail);
        assert!(report.findings[0].line.is_some(), "{}", summary(&report));
    }
    let scratch = Scratch::new();
    let deep: String = (0..40)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    std::fs::write(scratch.manifest(), deep).unwrap();
    readable_failure(&scratch, "nested deeper than 16 levels", Some(17));
}

#[test]
fn a_100_mib_manifest_is_never_read() {
    let scratch = Scratch::new();
    let file = File::create(scratch.manifest()).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    drop(file);
    readable_failure(
        &scratch,
        "the manifest is 104857600 bytes, more than the limit of 1048576",
        None,
    );
    // Refused from its metadata: never opened.
    assert_never_opened(&scratch.bundle(), &scratch.manifest());
}

#[test]
fn many_values_and_long_values_hit_their_limits() {
    let scratch = Scratch::new();
    let many = format!("[{}]", vec!["1"; 150_000].join(","));
    std::fs::write(scratch.manifest(), many).unwrap();
    readable_failure(&scratch, "more than 100000 values in one file", Some(1));

    let scratch = Scratch::new();
    scratch.replace(
        "douyin_account: zhaozixuan1997",
        &format!("douyin_account: {}", "x".repeat(20_000)),
    );
    let line = scratch.line_of("douyin_account:");
    readable_failure(&scratch, "a value longer than 16384 bytes", Some(line));
}

#[test]
fn more_parties_or_documents_than_the_limit_are_not_checked() {
    let scratch = Scratch::new();
    let parties: String = (0..1001)
        .map(|i| format!("  p{i}: {{ role: contact, name: 某{i} }}\n"))
        .collect();
    scratch.replace("parties:\n", &format!("parties:\n{parties}"));
    let report = scratch.check();
    assert_fails_at(
        &report,
        "bundle.readable",
        Some("/parties"),
        "more than 1000 parties",
    );

    let scratch = Scratch::new();
    let documents: String = (0..1001)
        .map(|_| format!("  - {{ type: id_card, holder: zhaozixuan, file: {RESIGNATION} }}\n"))
        .collect();
    scratch.replace("documents:\n", &format!("documents:\n{documents}"));
    let report = scratch.check();
    assert_fails_at(
        &report,
        "bundle.readable",
        Some("/documents"),
        "more than 1000 documents",
    );
    assert_eq!(exit_status(&scratch.bundle()), 1);
}

#[test]
fn invalid_utf8_names_its_line() {
    let scratch = Scratch::new();
    let mut bytes = scratch.manifest_text().into_bytes();
    let at = bytes.windows(4).position(|w| w == b"name").unwrap();
    bytes.splice(at..at, [0xFF, 0xFE, 0xC3]);
    std::fs::write(scratch.manifest(), bytes).unwrap();
    let line = scratch.line_of("name");
    readable_failure(&scratch, "not UTF-8", Some(line));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let scratch = Scratch::new();
    scratch.edit(|text| format!("\u{feff}{text}"));
    let report = scratch.check();
    assert_eq!(report.verdict(), Verdict::Pass, "{}", summary(&report));
    assert_eq!(exit_status(&scratch.bundle()), 0);
    // A BOM in the middle is no BOM: it is part of a value.
    let scratch = Scratch::new();
    scratch.replace("name: 赵子轩\n", "name: \u{feff}赵子轩\n");
    let report = scratch.check();
    assert_eq!(report.verdict(), Verdict::Fail, "{}", summary(&report));
}

#[test]
fn duplicate_keys_name_both_lines() {
    let scratch = Scratch::new();
    scratch.replace(
        "    douyin_account: zhaozixuan1997\n",
        "    douyin_account: zhaozixuan1997\n    name: 别人\n",
    );
    let first = scratch.line_of("name: 赵子轩");
    let second = scratch.line_of("name: 别人");
    readable_failure(
        &scratch,
        &format!("key `name` appears twice (first at line {first})"),
        Some(second),
    );
    let scratch = Scratch::new();
    scratch.edit(|text| format!("{text}operation: douyin.employee_account.open\n"));
    readable_failure(&scratch, "key `operation` appears twice", None);
}

#[test]
fn nul_bytes_are_refused() {
    // A raw NUL is not a YAML character.
    let scratch = Scratch::new();
    scratch.replace("name: 赵子轩", "name: 赵\0子轩");
    let line = scratch.line_of("name: 赵");
    readable_failure(&scratch, "", Some(line));
    // An escaped NUL in a file reference is refused before any lookup.
    let scratch = Scratch::new();
    scratch.reference(&format!("\"{RESIGNATION}\\0../../x\""));
    let report = scratch.check();
    assert_fails_at(
        &report,
        "document.file",
        Some(RESIGNATION_FILE_PATH),
        "not allowed (NUL)",
    );
}

#[test]
fn wrong_types_everywhere_are_findings() {
    let cases: &[(&str, &str, &str, Option<&str>, &str)] = &[
        // (from, to, rule, path, message)
        (
            "parties:\n",
            "parties: [a, b]\nx_parties:\n",
            "bundle.readable",
            Some("/parties"),
            "must be a map, not a list",
        ),
        (
            "documents:\n",
            "documents: {a: 1}\nx_documents:\n",
            "bundle.readable",
            Some("/documents"),
            "must be a list, not a map",
        ),
        (
            "format: dossier.bundle/v1",
            "format: [dossier.bundle/v1]",
            "bundle.readable",
            Some("/format"),
            "no `format`",
        ),
        (
            "operation: douyin.employee_account.deregister",
            "operation: 42",
            "bundle.readable",
            Some("/operation"),
            "unknown operation `42`",
        ),
        (
            "submitted_on: 2025-04-16",
            "submitted_on: ~",
            "bundle.submitted_on",
            None,
            "no `submitted_on`",
        ),
        (
            "submitted_on: 2025-04-16",
            "submitted_on: {y: 2025}",
            "bundle.submitted_on",
            Some("/submitted_on"),
            "not valid",
        ),
        (
            "    role: employee\n",
            "    role: [employee]\n",
            "party.role",
            Some("/parties/zhaozixuan/role"),
            "not a role name",
        ),
        (
            "  zhaozixuan:\n    role: employee\n",
            "  zhaozixuan: [employee]\n  x:\n    role: employee\n",
            "bundle.keys",
            Some("/parties/zhaozixuan"),
            "must be a map",
        ),
        (
            "    holder: zhaozixuan\n    file: files/zhaozixuan_resignation",
            "    holder: {key: zhaozixuan}\n    file: files/zhaozixuan_resignation",
            "document.holder",
            Some("/documents/3/holder"),
            "not a party key",
        ),
        (
            &format!("file: {RESIGNATION}"),
            "file: [a.pdf]",
            "document.file",
            Some("/documents/3/file"),
            "a list of 1 files under `file`",
        ),
        (
            "    sha256: e88e205a",
            "    sha256: 12345\n    x_sha: e88e205a",
            "bundle.keys",
            Some("/documents/0/x_sha"),
            "unknown key",
        ),
        (
            "      sealed: true",
            "      sealed: 1",
            "field.type",
            Some("/documents/3/fields/sealed"),
            "must be true or false",
        ),
        (
            "      name: 杭州青禾信息技术有限公司\n      uscc",
            "      name: [杭州青禾信息技术有限公司]\n      uscc",
            "field.type",
            Some("/documents/0/fields/name"),
            "not a list",
        ),
        (
            "valid_until: 2041-02-20",
            "valid_until: 20410220",
            "field.type",
            Some("/documents/2/fields/valid_until"),
            "not a recognised date",
        ),
        (
            "      resignation_date: 2025-04-13",
            "      resignation_date: 2025-04-13T10:00:00",
            "field.type",
            Some("/documents/3/fields/resignation_date"),
            "",
        ),
        (
            "    name: 赵子轩\n",
            "    name: 12345\n",
            "employee.id_card",
            None,
            "",
        ),
    ];
    for (from, to, rule, path, needle) in cases {
        let scratch = Scratch::new();
        scratch.replace(from, to);
        let report = scratch.check();
        let found = failing(&report, rule);
        assert!(
            found.iter().any(|f| (path.is_none() || f.path.as_deref() == *path) && text(f).contains(needle)),
            "{to}: expected {rule} at {path:?} with `{needle}`:\n{}",
            summary(&report)
        );
        assert_eq!(report.verdict(), Verdict::Fail, "{to}");
    }
}

#[test]
fn a_null_date_is_no_date() {
    // `~` where a date is expected: the rule that needs it says it did not
    // judge, pointing at the value. (The shipped rules do not list
    // resignation_date as required, so the bundle is not failed for it.)
    let scratch = Scratch::new();
    scratch.replace(
        "      resignation_date: 2025-04-13",
        "      resignation_date: ~",
    );
    let report = scratch.check();
    let skipped = report
        .findings
        .iter()
        .find(|f| f.rule == "resignation.date")
        .unwrap();
    assert_eq!(skipped.status, Status::Skip);
    assert_eq!(
        skipped.path.as_deref(),
        Some("/documents/3/fields/resignation_date")
    );
    assert!(
        text(skipped).contains("missing or invalid"),
        "{}",
        text(skipped)
    );
}

#[test]
fn id_numbers_written_as_yaml_integers() {
    // Plain digits are read as written: nothing was lost.
    let scratch = Scratch::new();
    scratch.edit(|text| text.replace("\"310115198111285117\"", "310115198111285117"));
    let report = scratch.check();
    assert_eq!(report.verdict(), Verdict::Pass, "{}", summary(&report));
    // Leading zeros, exponents and floats would lose what was written.
    for (written, shown) in [
        ("0310115198111285117", "0310***********5117"),
        ("3.10115198111285117e17", ""),
        ("310115198111285117.0", ""),
        ("0x1F", ""),
    ] {
        let scratch = Scratch::new();
        scratch.replace(
            "id_number: \"310115198111285117\"",
            &format!("id_number: {written}"),
        );
        let report = scratch.check();
        let finding = failing(&report, "field.type")[0];
        assert_eq!(
            finding.path.as_deref(),
            Some("/parties/tianwenbin/id_number")
        );
        let message = text(finding);
        assert!(
            message.contains("without quotes") || message.contains("18 characters"),
            "{message}"
        );
        assert!(message.contains(shown), "{message}");
        assert!(
            !message.contains("310115198111285117"),
            "unmasked: {message}"
        );
    }
    // An X cannot be a number: unquoted it is text and judged as an ID.
    let scratch = Scratch::new();
    scratch.replace(
        "id_number: \"530102199110197813\"",
        "id_number: 53010219911019781X",
    );
    let report = scratch.check();
    assert_fails_at(
        &report,
        "field.type",
        Some("/parties/zhaozixuan/id_number"),
        "check character",
    );
}

#[test]
fn absurd_dates() {
    let scratch = Scratch::new();
    scratch.replace("submitted_on: 2025-04-16", "submitted_on: 0000-00-00");
    let report = scratch.check();
    assert_fails_at(
        &report,
        "bundle.submitted_on",
        Some("/submitted_on"),
        "0000-00-00",
    );

    // The last day there is: judged, not overflowed. Every ID card has expired by then.
    let scratch = Scratch::new();
    scratch.replace("submitted_on: 2025-04-16", "submitted_on: 9999-12-31");
    let report = scratch.check();
    assert_fails_at(
        &report,
        "employee.id_card",
        Some("/documents/2/fields/valid_until"),
        "",
    );
    assert_eq!(exit_status(&scratch.bundle()), 1);

    // A far validity end is a date like any other.
    let scratch = Scratch::new();
    scratch.replace("valid_until: 2041-02-20", "valid_until: 9999-12-31");
    assert_eq!(scratch.check().verdict(), Verdict::Pass);

    for absurd in [
        "0000-00-00",
        "2024-02-30",
        "-0001-01-01",
        "99999-01-01",
        "2024-13-01",
    ] {
        let scratch = Scratch::new();
        scratch.replace(
            "resignation_date: 2025-04-13",
            &format!("resignation_date: \"{absurd}\""),
        );
        let report = scratch.check();
        assert_fails_at(
            &report,
            "field.type",
            Some("/documents/3/fields/resignation_date"),
            "",
        );
    }
}

#[test]
fn a_manifest_that_is_not_a_file_or_links_outside_is_not_read() {
    // A folder named bundle.yaml.
    let scratch = Scratch::new();
    std::fs::remove_file(scratch.manifest()).unwrap();
    std::fs::create_dir(scratch.manifest()).unwrap();
    readable_failure(&scratch, "not a regular file", None);

    // A FIFO: never opened, so nothing blocks.
    let scratch = Scratch::new();
    std::fs::remove_file(scratch.manifest()).unwrap();
    make_fifo(scratch.manifest());
    readable_failure(&scratch, "not a regular file", None);

    // A link to a manifest outside that would pass if read.
    let scratch = Scratch::new();
    let outside = scratch.outside().join("bundle.yaml");
    std::fs::rename(scratch.manifest(), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, scratch.manifest()).unwrap();
    readable_failure(
        &scratch,
        "the manifest is a link; dossier does not follow links",
        None,
    );

    // /dev/zero as the manifest.
    let scratch = Scratch::new();
    std::fs::remove_file(scratch.manifest()).unwrap();
    std::os::unix::fs::symlink("/dev/zero", scratch.manifest()).unwrap();
    readable_failure(&scratch, "the manifest is a link", None);
}

#[test]
fn flat_maps_of_thousands_of_keys_are_refused_not_judged_quadratically() {
    let flat: String = (0..49_000).map(|i| format!("k{i}: 1\n")).collect();
    let scratch = Scratch::new();
    std::fs::write(scratch.manifest(), &flat).unwrap();
    let report = scratch.check();
    assert_fails_at(
        &report,
        "bundle.readable",
        Some(""),
        "more than 200 keys in one map",
    );

    let fields: String = (0..5_000).map(|i| format!("    x{i}: 1\n")).collect();
    let scratch = Scratch::new();
    scratch.replace(
        "    role: employee\n",
        &format!("    role: employee\n{fields}"),
    );
    let report = scratch.check();
    assert_fails_at(
        &report,
        "bundle.readable",
        Some("/parties/zhaozixuan"),
        "more than 200 keys in one map",
    );

    let fields: String = (0..5_000).map(|i| format!("      x{i}: 1\n")).collect();
    let scratch = Scratch::new();
    scratch.replace(
        "      sealed: true\n",
        &format!("      sealed: true\n{fields}"),
    );
    let report = scratch.check();
    assert_fails_at(
        &report,
        "bundle.readable",
        Some("/documents/3/fields"),
        "more than 200 keys in one map",
    );
    assert_eq!(exit_status(&scratch.bundle()), 1);
}

#[test]
fn a_bundle_at_the_party_and_document_limits_is_judged_within_the_bound() {
    // 1000 parties (999 employees) and 1000 documents, every rule over each.
    let scratch = Scratch::new();
    let mut parties = String::new();
    let mut documents = String::new();
    for i in 0..996 {
        parties.push_str(&format!(
            "  e{i}: {{ role: employee, name: 员工{i}, id_number: \"530102199110197813\", phone: \"15674190531\" }}\n"
        ));
        documents.push_str(&format!(
            "  - {{ type: id_card, holder: e{i}, file: files/zhaozixuan_id_card.png, fields: {{ name: 员工{i}, number: \"530102199110197813\", valid_until: 2041-02-20 }} }}\n"
        ));
    }
    scratch.replace("parties:\n", &format!("parties:\n{parties}"));
    scratch.replace("documents:\n", &format!("documents:\n{documents}"));
    let report = scratch.check();
    assert!(report.findings.len() > 3_000, "{}", summary(&report));
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule_error)
        .map(text)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    failing(&report, "employee.relationship_proof");
}
