//! What a rule script sees of a bundle (`engine::context`): the keys and
//! values of the party and document maps, the copies in `parties`,
//! `documents` and a party's `documents` equal to the variables bound to
//! the same party or document, and every one of them, nested values too,
//! unchangeable. Pinned here so that a cheaper way of building the maps
//! cannot change what a script observes.

mod hostile_support;

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::{Report, Status};
use dossier::rules::{RuleFile, RuleSet, embedded_files};
use hostile_support::{summary, text};

const OPEN: &str = "operations/douyin.employee_account.open.yaml";
/// An employee (the third party, `chenkaiwen`) holding an ID card (the
/// second document), a labour contract and an account agreement.
const BUNDLE: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

/// The shipped rules with the first check of `employee.id_card` (for each
/// employee, with its ID card as `doc`) replaced by `script`.
fn rules_asserting(script: &str) -> RuleSet {
    let files: Vec<RuleFile> = embedded_files()
        .into_iter()
        .map(|mut file| {
            if file.path == OPEN {
                let after = file.text.replacen(
                    "assert: has(employee, \"id_number\")",
                    &format!("assert: '{}'", script.replace('\'', "''")),
                    1,
                );
                assert_ne!(after, file.text);
                file.text = after;
            }
            file
        })
        .collect();
    RuleSet::from_files("test", files, Limits::default())
        .unwrap_or_else(|errors| panic!("{script}: the changed rule set loads: {errors}"))
}

fn id_card_finding(script: &str) -> (Report, dossier::report::Finding) {
    let rules = rules_asserting(script);
    let report = rules.check_path(&hostile_support::repo(BUNDLE), &CheckOptions::default());
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "employee.id_card")
        .unwrap_or_else(|| panic!("{script}: {}", summary(&report)))
        .clone();
    (report, finding)
}

#[test]
fn scripts_see_the_maps_as_they_were() {
    for observation in [
        // A document's own properties, `given` and its declared fields.
        r#"doc.keys() == ["file", "given", "holder", "index", "name", "number", "sha256", "type", "valid_until"]"#,
        r#"doc.type == "id_card" && doc.holder == "chenkaiwen" && doc.index == 1"#,
        r#"doc.file == "files/chenkaiwen_id_card.jpg" && doc.sha256 == ()"#,
        r#"doc.given == ["name", "number", "valid_until"]"#,
        r#"doc.name == "陈凯文" && doc.number == "450103200906110519""#,
        r#"type_of(doc) == "map" && type_of(doc.index) == "i64" && type_of(doc.type) == "string""#,
        r#"type_of(doc.given) == "array" && type_of(doc.sha256) == "()""#,
        // A party's own properties, `given` and its declared fields.
        r#"employee.key == "chenkaiwen" && employee.role == "employee""#,
        r#"employee.keys()[0] == "documents" && employee.keys().contains("given")"#,
        r#"employee.given == ["name", "id_number", "phone", "email", "douyin_account"]"#,
        r#"employee.documents.map(|d| d.type) == ["id_card", "labor_contract", "account_agreement"]"#,
        r#"parties.map(|p| p.key) == ["company", "shixuemei", "chenkaiwen"]"#,
        r#"parties.map(|p| p.role) == ["enterprise", "legal_representative", "employee"]"#,
        r#"documents.map(|d| d.index) == [0, 1, 2, 3]"#,
        r#"type_of(parties) == "array" && type_of(parties[2]) == "map""#,
        // The copies equal the variables bound to the same party or document.
        "employee.documents[0] == doc && documents[1] == doc",
        "parties[2] == employee && party == employee",
        "parties[2].documents[0] == documents[1]",
        "enterprise == parties[0] && legal_representative == parties[1]",
        "employee.keys() == parties[2].keys() && doc.keys() == documents[1].keys()",
        "enterprise.documents.len() == 1 && legal_representative.documents.len() == 0",
        // Iteration sees every entry, in key order.
        r#"{ let seen = []; for key in doc.keys() { seen.push(key); } seen.len() == 9 }"#,
        r#"{ let n = 0; for p in parties { n += p.documents.len(); } n == 4 }"#,
        r#"operation == "douyin.employee_account.open""#,
    ] {
        let (report, finding) = id_card_finding(observation);
        assert!(
            !finding.rule_error && finding.status == Status::Pass,
            "{observation}: {}\n{}",
            text(&finding),
            summary(&report)
        );
    }
}

#[test]
fn no_script_changes_a_nested_value() {
    for change in [
        r#"{ doc.given.push("x"); true }"#,
        r#"{ doc.given[0] = "x"; true }"#,
        r#"{ employee.documents[0].number = "110101199003071233"; true }"#,
        "{ employee.documents.clear(); true }",
        r#"{ parties[2].documents[0].number = "110101199003071233"; true }"#,
        "{ parties[2].documents.clear(); true }",
        r#"{ documents[1].number = "110101199003071233"; true }"#,
        "{ documents[1].given.clear(); true }",
        "{ parties.clear(); true }",
        "{ documents.pop(); true }",
    ] {
        let (report, finding) = id_card_finding(change);
        assert!(
            finding.rule_error,
            "{change}: {}\n{}",
            text(&finding),
            summary(&report)
        );
        // The next rule still judges the ID number in the bundle.
        let age = report
            .findings
            .iter()
            .find(|f| f.rule == "employee.age")
            .unwrap();
        assert_eq!(age.status, Status::Fail, "{change}: {}", text(age));
        assert!(text(age).contains("2009-06-11"), "{change}: {}", text(age));
    }
}
