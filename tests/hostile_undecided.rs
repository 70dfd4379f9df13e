//! Rules that cannot decide (issue 10, first part of the hostile catalogue
//! for rule sets): a check that gives no boolean, a skip nothing backs, a
//! script that tries to change what the next rule sees. None of them may
//! turn a failing bundle into a pass: each is a rule error naming its rule
//! file and line, or a load error, and the bundle is not a pass.

mod hostile_support;
mod support;

use dossier::engine::CheckOptions;
use dossier::limits::Limits;
use dossier::report::{Report, Severity, Status, Verdict};
use dossier::rules::{RuleFile, RuleSet, embedded_files};
use hostile_support::{dossier, summary, text};

const OPEN: &str = "operations/douyin.employee_account.open.yaml";
const DEREGISTER: &str = "operations/douyin.employee_account.deregister.yaml";
const LIBRARY: &str = "lib/common.rhai";
const UNSEALED: &str = "fixtures/douyin.employee_account.open/fail-employee.agreement-unsealed";
const UNDER_AGE: &str = "fixtures/douyin.employee_account.open/fail-employee.age";

/// The shipped rule set with `change` applied to the file at `path`.
fn changed(files: Vec<RuleFile>, path: &str, change: impl Fn(&str) -> String) -> Vec<RuleFile> {
    files
        .into_iter()
        .map(|mut file| {
            if file.path == path {
                let after = change(&file.text);
                assert_ne!(after, file.text, "the change must apply to {path}");
                file.text = after;
            }
            file
        })
        .collect()
}

fn load(files: Vec<RuleFile>) -> RuleSet {
    RuleSet::from_files("test", files, Limits::default())
        .unwrap_or_else(|errors| panic!("the changed rule set loads: {errors}"))
}

fn check(rules: &RuleSet, bundle: &str) -> Report {
    rules.check_path(&hostile_support::repo(bundle), &CheckOptions::default())
}

/// `files` written to a folder, for `dossier check --rules`.
fn rule_dir(files: &[RuleFile]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.text).unwrap();
    }
    dir
}

fn line_of(files: &[RuleFile], path: &str, needle: &str) -> usize {
    let file = files.iter().find(|f| f.path == path).unwrap();
    file.text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in {path}"))
        + 1
}

/// The rule errors of `rule`, each failing, naming the rule and `file:line`.
fn assert_rule_error(report: &Report, rule: &str, place: &str, needle: &str) {
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.rule_error)
        .collect();
    assert!(!errors.is_empty(), "no rule error:\n{}", summary(report));
    for finding in errors {
        assert_eq!(
            (finding.status, finding.severity),
            (Status::Fail, Severity::Error)
        );
        let message = text(finding);
        assert!(
            message.contains(&format!("rule {rule} could not be evaluated"))
                && message.contains(needle),
            "expected `{needle}`: {message}"
        );
        let hint = finding
            .hint
            .as_ref()
            .unwrap()
            .render(dossier::lang::Lang::En, false);
        assert!(hint.contains(place), "expected `{place}` in {hint}");
    }
    assert_eq!(report.verdict(), Verdict::Fail, "{}", summary(report));
}

/// Library functions that hide an undecided result from any static check:
/// only evaluation can tell that they give no boolean.
const UNDECIDED_LIBRARY: &str = "
fn assign(a, b) { a = b }
fn missing_else(x) { if x { true } }
fn missing_default(x) { switch x { true => true } }
fn nothing(x) { () }
";

/// Every single-line or block `assert:` of an operation file, rewritten by `mutate`.
fn mutate_asserts(text: &str, mutate: &dyn Fn(&str) -> String) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some((indent, script)) = line.split_once("- assert: ") else {
            out.push(line.to_string());
            i += 1;
            continue;
        };
        let source = if script == "|" {
            let mut block = Vec::new();
            while i + 1 < lines.len() && lines[i + 1].starts_with(&format!("{indent}    ")) {
                i += 1;
                block.push(lines[i].trim());
            }
            format!("{{ {} }}", block.join(" "))
        } else if let Some(quoted) = script.strip_prefix('\'') {
            quoted.trim_end_matches('\'').replace("''", "'")
        } else {
            script.to_string()
        };
        out.push(format!(
            "{indent}- assert: '{}'",
            mutate(&source).replace('\'', "''")
        ));
        i += 1;
    }
    out.join("\n") + "\n"
}

/// The shipped rules with every check of both operations mutated.
fn mutated(mutate: &dyn Fn(&str) -> String) -> Vec<RuleFile> {
    let files = changed(embedded_files(), LIBRARY, |t| {
        format!("{t}{UNDECIDED_LIBRARY}")
    });
    let files = changed(files, OPEN, |t| mutate_asserts(t, mutate));
    changed(files, DEREGISTER, |t| mutate_asserts(t, mutate))
}

#[test]
fn an_assignment_for_a_comparison_is_a_rule_error_not_a_pass() {
    // The example, hidden in a library function where no load-time
    // check sees it: `assign(doc.sealed, true)` gives nothing.
    let files = changed(
        changed(embedded_files(), LIBRARY, |t| {
            format!("{t}{UNDECIDED_LIBRARY}")
        }),
        OPEN,
        |t| {
            t.replacen(
                "      - assert: doc.sealed == true\n        at: doc.sealed\n        fail: { zh: \"{employee.name} 的使用协议",
                "      - assert: assign(doc.sealed, true)\n        at: doc.sealed\n        fail: { zh: \"{employee.name} 的使用协议",
                1,
            )
        },
    );
    let line = line_of(&files, OPEN, "assert: assign(doc.sealed, true)");
    let rules = load(files.clone());
    let report = check(&rules, UNSEALED);
    assert_rule_error(
        &report,
        "employee.agreement",
        &format!("{OPEN}:{line}"),
        "must give true or false, gave nothing",
    );
    // The command line: a rule error is exit 2, never 0.
    let dir = rule_dir(&files);
    let (code, stdout, _) = dossier(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        hostile_support::repo(UNSEALED).to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(!stdout.contains("PASS"), "{stdout}");
}

#[test]
fn every_failing_fixture_fails_under_rule_sets_that_cannot_decide() {
    type Mutation = (&'static str, Box<dyn Fn(&str) -> String>);
    let mutations: Vec<Mutation> = vec![
        (
            "assignment for comparison",
            Box::new(|s: &str| match s.split_once("==") {
                Some((left, right)) if !s.starts_with('{') => {
                    format!("assign({left}, {right})")
                }
                _ => format!("assign({s}, true)"),
            }),
        ),
        (
            "if without else",
            Box::new(|s: &str| format!("missing_else({s})")),
        ),
        (
            "switch without default",
            Box::new(|s: &str| format!("missing_default({s})")),
        ),
        ("constant ()", Box::new(|s: &str| format!("nothing({s})"))),
    ];
    let failing: Vec<_> = support::fixture_paths()
        .into_iter()
        .filter(|case| {
            let expect = std::fs::read_to_string(case.join("expect.yaml")).unwrap();
            expect.contains("verdict: fail")
        })
        .collect();
    assert!(failing.len() >= 40, "{}", failing.len());
    for (name, mutate) in &mutations {
        let rules = load(mutated(mutate.as_ref()));
        for case in &failing {
            let report = rules.check_path(case, &CheckOptions::default());
            assert_eq!(
                report.verdict(),
                Verdict::Fail,
                "{name}: {} passes:\n{}",
                case.display(),
                summary(&report)
            );
        }
    }
}

#[test]
fn a_skip_that_no_failure_backs_is_a_rule_error() {
    // `resignation_date` is no longer a required field, and the bundle
    // leaves it out: the date check meets `()`, and nothing else reports the
    // missing date. Skipping would pass the bundle undecided.
    let files = changed(embedded_files(), DEREGISTER, |t| {
        t.replacen(
            "fields: [employer, employee, resignation_date, sealed]",
            "fields: [employer, employee, sealed]",
            1,
        )
    });
    let line = line_of(
        &files,
        DEREGISTER,
        "assert: on_or_before(doc.resignation_date, judged_on)",
    );
    let rules = load(files);
    let scratch = hostile_support::Scratch::new();
    scratch.replace("      resignation_date: 2025-04-13\n", "");
    let report = rules.check_path(&scratch.bundle(), &CheckOptions::default());
    assert_rule_error(
        &report,
        "resignation.date",
        &format!("{DEREGISTER}:{line}"),
        "it met a missing or invalid doc.resignation_date, and no other finding reports it",
    );
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule == "resignation.date")
        .unwrap();
    assert_eq!(
        finding.path.as_deref(),
        Some("/documents/3/fields/resignation_date")
    );

    // Backed: an invalid date fails `field.type` at the value, and the check
    // reading it is a skip that says so.
    let report = check(
        &hostile_support::RULES,
        "fixtures/douyin.employee_account.deregister/fail-field.type-date",
    );
    let skip = report
        .findings
        .iter()
        .find(|f| f.rule == "employee.id_card" && f.status == Status::Skip)
        .unwrap_or_else(|| panic!("{}", summary(&report)));
    assert!(
        text(skip).contains("doc.valid_until is missing or invalid"),
        "{}",
        text(skip)
    );
    assert!(report.findings.iter().any(|f| f.rule == "field.type"
        && f.status == Status::Fail
        && f.path.as_deref() == Some("/documents/2/fields/valid_until")));
    assert!(!report.findings.iter().any(|f| f.rule_error));
}

#[test]
fn scripts_cannot_change_what_a_later_rule_sees() {
    // `employee.id_card` runs before `employee.age`. Each script tries to
    // give the under-age employee an adult's ID number; the age check must
    // still judge the number in the bundle (born 2009-06-11).
    const ADULT: &str = "110101199003071233";
    for script in [
        format!("{{ employee.id_number = \"{ADULT}\"; true }}"),
        format!("{{ party.id_number = \"{ADULT}\"; true }}"),
        format!("{{ parties[2].id_number = \"{ADULT}\"; true }}"),
        format!("{{ let e = employee; e.id_number = \"{ADULT}\"; true }}"),
        format!("{{ let f = || {{ employee.id_number = \"{ADULT}\"; }}; f.call(); true }}"),
        "{ employee.clear(); true }".to_string(),
        format!("{{ doc.number = \"{ADULT}\"; true }}"),
        "{ let employee = #{ id_number: \"110101199003071233\" }; true }".to_string(),
    ] {
        let files = changed(embedded_files(), OPEN, |t| {
            t.replacen(
                "assert: has(employee, \"id_number\")",
                &format!("assert: '{}'", script.replace('\'', "''")),
                1,
            )
        });
        let rules = load(files);
        let report = check(&rules, UNDER_AGE);
        let age: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "employee.age")
            .collect();
        assert!(
            age.iter().any(|f| f.status == Status::Fail
                && !f.rule_error
                && text(f).contains("2009-06-11")),
            "{script}:\n{}",
            summary(&report)
        );
        assert_eq!(report.verdict(), Verdict::Fail);
        // Changing a bound value is an error of the script that tried.
        let id_card = report
            .findings
            .iter()
            .find(|f| f.rule == "employee.id_card")
            .unwrap();
        if script.contains("= \"") && !script.contains("let ") {
            assert!(id_card.rule_error, "{script}: {}", text(id_card));
            assert!(
                text(id_card).contains("Cannot modify constant")
                    || text(id_card).contains("cannot be called on constant"),
                "{script}: {}",
                text(id_card)
            );
        }
    }
}
