//! The pages of `dossier serve` (issue 13) without a browser: every page
//! answers with the strict Content-Security-Policy, a plain form post (no
//! script) is checked and answered with its report, hostile values come
//! back escaped, personal numbers are masked in reports and notices, and
//! the downloaded zip passes `dossier check` as it is.
//! (`tests/browser/pages.py` drives the same pages in Chromium.)

mod archive_support;
mod serve_support;

use std::io::Write;
use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use reqwest::blocking::Response;
use reqwest::blocking::multipart::{Form, Part};
use serve_support::{Server, cli, client};

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const OPEN: &str = "douyin.employee_account.open";

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(OPEN)
        .join(case)
}

fn file(name: &str) -> Part {
    let path = fixture("pass-three-employees").join("files").join(name);
    Part::bytes(std::fs::read(path).unwrap()).file_name(name.to_string())
}

/// The open-account form filled for a company with two employees, as a
/// browser without script sends it.
fn open_form(company: &str, with_contract: bool) -> Form {
    open_form_naming(company, with_contract, "谢佳怡")
}

/// [`open_form`] with the first employee's name as given (empty: not typed).
fn open_form_naming(company: &str, with_contract: bool, first_employee: &str) -> Form {
    let mut form = Form::new();
    let mut text = |name: &str, value: &str| {
        form = std::mem::take(&mut form).text(name.to_string(), value.to_string());
    };
    for (name, value) in [
        ("action", "check"),
        ("operation", OPEN),
        ("submitted_on", "2026-01-14"),
        ("n:employee", "2"),
        ("p:enterprise:name", company),
        ("p:enterprise:uscc", "91510107891033788W"),
        ("p:enterprise:douyin_certified", "true"),
        ("p:legal_representative:name", "任海涛"),
        ("p:legal_representative:id_number", "51010419710608113X"),
        ("p:employee_1:name", first_employee),
        ("p:employee_1:id_number", "330102199805279084"),
        ("p:employee_1:phone", "18259684374"),
        ("p:employee_2:name", "董子轩"),
        ("p:employee_2:id_number", "520102200204167790"),
        ("p:employee_2:phone", "18733496251"),
        ("d:enterprise:business_license:name", company),
        ("d:enterprise:business_license:uscc", "91510107891033788W"),
        (
            "d:enterprise:business_license:legal_representative",
            "任海涛",
        ),
        ("d:enterprise:business_license:valid_until", "long_term"),
        ("d:employee_1:id_card:name", "谢佳怡"),
        ("d:employee_1:id_card:number", "330102199805279084"),
        ("d:employee_1:id_card:valid_until", "2032-11-05"),
        ("d:employee_2:id_card:name", "董子轩"),
        ("d:employee_2:id_card:number", "520102200204167790"),
        ("d:employee_2:id_card:valid_until", "2031-11-11"),
        ("d:employee_2:employment_certificate:employer", company),
        ("d:employee_2:employment_certificate:employee", "董子轩"),
        (
            "d:employee_2:employment_certificate:issued_on",
            "2026-01-12",
        ),
        ("d:employee_2:employment_certificate:sealed", "true"),
    ] {
        text(name, value);
    }
    for key in ["employee_1", "employee_2"] {
        text(
            &format!("d:{key}:account_agreement:enterprise_signed_on"),
            "2026-01-08",
        );
        text(
            &format!("d:{key}:account_agreement:employee_signed_on"),
            "2026-01-09",
        );
        text(&format!("d:{key}:account_agreement:sealed"), "true");
    }
    if with_contract {
        for (field, value) in [
            ("employer", company),
            ("employee", "谢佳怡"),
            ("start_date", "2025-01-21"),
            ("end_date", "2028-01-20"),
            ("sealed", "true"),
        ] {
            text(&format!("d:employee_1:labor_contract:{field}"), value);
        }
    }
    let mut form = form
        .part(
            "f:enterprise:business_license",
            file("business_license.pdf"),
        )
        .part("f:employee_1:id_card", file("xiejiayi_id_card.jpg"))
        .part(
            "f:employee_1:account_agreement",
            file("xiejiayi_account_agreement.pdf"),
        )
        .part("f:employee_2:id_card", file("dongzixuan_id_card.png"))
        .part(
            "f:employee_2:employment_certificate",
            file("dongzixuan_employment_certificate.pdf"),
        )
        .part(
            "f:employee_2:account_agreement",
            file("dongzixuan_account_agreement.pdf"),
        );
    if with_contract {
        form = form.part(
            "f:employee_1:labor_contract",
            file("xiejiayi_labor_contract.pdf"),
        );
    }
    form
}

fn post(server: &Server, path: &str, form: Form) -> Response {
    client()
        .post(server.url(path))
        .multipart(form)
        .send()
        .unwrap()
}

fn assert_page(response: &Response) {
    let headers = response.headers();
    assert_eq!(headers["content-security-policy"], POLICY);
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{headers:?}"
    );
}

/// The part of a page before its form: the report.
fn report_part(page: &str) -> &str {
    page.split("<form").next().unwrap()
}

#[test]
fn every_page_is_served_under_the_policy() {
    let server = Server::start(&[]);
    for path in [
        "/",
        "/?lang=en",
        "/checklist/douyin.employee_account.open",
        "/checklist/douyin.employee_account.deregister?lang=en",
        "/prepare/douyin.employee_account.open",
        "/prepare/douyin.employee_account.deregister?lang=en",
        "/upload",
        "/review?lang=en",
    ] {
        let response = client().get(server.url(path)).send().unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_page(&response);
        let page = response.text().unwrap();
        let lang = if path.ends_with("lang=en") {
            "en"
        } else {
            "zh-CN"
        };
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{path}");
        assert!(
            !page.contains("<script>") && !page.contains("<style") && !page.contains("style="),
            "{path}: inline code"
        );
    }
    for (path, media_type) in [
        ("/assets/web.js", "text/javascript"),
        ("/assets/web.css", "text/css"),
    ] {
        let response = client().get(server.url(path)).send().unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(media_type)
        );
        assert_eq!(response.headers()["content-security-policy"], POLICY);
    }
    let missing = client()
        .get(server.url("/prepare/no.such.operation?lang=en"))
        .send()
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_page(&missing);
    assert!(
        missing
            .text()
            .unwrap()
            .contains("There is no such operation")
    );
}

#[test]
fn the_form_lists_the_rule_sets_roles_materials_and_fields() {
    let server = Server::start(&[]);
    let page = client()
        .get(server.url("/prepare/douyin.employee_account.open"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    for id in [
        "id=\"p-enterprise-uscc\"",
        "id=\"p-employee_1-id_number\"",
        "id=\"f-employee_1-labor_contract\"",
        "id=\"f-employee_1-employment_certificate\"",
        "id=\"d-enterprise-business_license-valid_until\"",
        "<label for=\"f-employee_1-labor_contract\">",
        "value=\"add:employee\"",
    ] {
        assert!(page.contains(id), "{id} missing");
    }
    assert!(
        !page.contains("p-employee_2-"),
        "one employee to start with"
    );
}

#[test]
fn a_plain_form_post_is_checked_and_the_zip_passes_dossier_check() {
    let server = Server::start(&[]);
    let response = post(
        &server,
        "/check",
        open_form("成都锦程文化传媒有限公司", true),
    );
    assert_eq!(response.status(), StatusCode::OK);
    assert_page(&response);
    let page = response.text().unwrap();
    let report = report_part(&page);
    assert!(report.contains("verdict pass"), "{report}");
    assert!(
        !report.contains("330102199805279084"),
        "ID numbers are masked in the report"
    );
    assert!(
        page.contains("value=\"谢佳怡\""),
        "values come back into the form"
    );
    assert!(
        page.contains("name=\"k:employee_1:labor_contract\""),
        "attached files are kept"
    );

    let zip = post(
        &server,
        "/bundle.zip",
        open_form("成都锦程文化传媒有限公司", true),
    );
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let bytes = zip.bytes().unwrap();
    let mut path = tempfile::Builder::new().suffix(".zip").tempfile().unwrap();
    path.write_all(&bytes).unwrap();
    let checked = cli(&["check", path.path().to_str().unwrap()]);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}

#[test]
fn a_missing_contract_fails_and_links_to_its_file_input() {
    let server = Server::start(&[]);
    let page = post(
        &server,
        "/check?lang=en",
        open_form("成都锦程文化传媒有限公司", false),
    )
    .text()
    .unwrap();
    let report = report_part(&page);
    assert!(report.contains("verdict fail"), "{report}");
    assert!(report.contains("employee.employment_proof"));
    assert!(
        report.contains("href=\"#f-employee_1-labor_contract\""),
        "{report}"
    );
}

/// The text of the report a person reads, less markup (attributes, where
/// the form's keys belong), the operation's id and the attachments' paths
/// in the bundle the form builds (`files/employee_1_id_card.jpg`).
fn visible_report(page: &str) -> String {
    let hidden =
        regex::Regex::new(r"<[^>]*>|files/[^\s:(,]+|douyin\.employee_account\.open").unwrap();
    hidden.replace_all(report_part(page), " ").into_owned()
}

#[test]
fn the_report_names_parties_as_the_form_does_not_by_key() {
    let server = Server::start(&[]);
    let named = post(
        &server,
        "/check?lang=zh",
        open_form("成都锦程文化传媒有限公司", false),
    )
    .text()
    .unwrap();
    let shown = visible_report(&named);
    assert!(shown.contains("谢佳怡"), "{shown}");
    assert!(!shown.contains("employee_"), "{shown}");
    // The key stays where the page links to the input.
    assert!(named.contains("href=\"#f-employee_1-labor_contract\""));

    for (lang, person) in [("zh", "员工 1"), ("en", "employee 1")] {
        let unnamed = post(
            &server,
            &format!("/check?lang={lang}"),
            open_form_naming("成都锦程文化传媒有限公司", false, ""),
        )
        .text()
        .unwrap();
        let shown = visible_report(&unnamed);
        assert!(shown.contains(person), "{lang}: {shown}");
        assert!(!shown.contains("employee_"), "{lang}: {shown}");
    }

    // The zip the form gives, uploaded and reviewed: the same names, in
    // the report and in the rejection notice.
    let zip = post(
        &server,
        "/bundle.zip",
        open_form_naming("成都锦程文化传媒有限公司", false, ""),
    )
    .bytes()
    .unwrap();
    let archive = || Part::bytes(zip.to_vec()).file_name("bundle.zip");
    let uploaded = post(
        &server,
        "/upload?lang=zh",
        Form::new().part("bundle", archive()),
    )
    .text()
    .unwrap();
    assert!(uploaded.contains("verdict fail"), "{uploaded}");
    let shown = visible_report(&uploaded);
    assert!(shown.contains("员工 1"), "{shown}");
    assert!(!shown.contains("employee_"), "{shown}");
    let form = Form::new()
        .text("notice_lang", "en")
        .part("bundles", archive());
    let reviewed = post(&server, "/review?lang=zh", form).text().unwrap();
    let notice = reviewed.split("id=\"notice-1\"").nth(1).unwrap();
    let notice = visible_report(notice);
    assert!(notice.contains("employee 1"), "{notice}");
    assert!(!notice.contains("employee_"), "{notice}");
}

#[test]
fn hostile_values_come_back_escaped() {
    let server = Server::start(&[]);
    let hostile = "<script>alert(1)</script>\"'><img src=x>\nrole: enterprise";
    let page = post(&server, "/check", open_form(hostile, true))
        .text()
        .unwrap();
    assert!(!page.contains("<script>alert"), "a value became markup");
    assert!(!page.contains("<img src=x>"));
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(
        page.contains("value=\"&#60;script&#62;"),
        "and as a form value"
    );
    // The value stayed one value: the bundle has one enterprise, judged by name.
    assert!(report_part(&page).contains("verdict"), "{page}");
    assert!(
        !report_part(&page).contains("bundle.readable"),
        "the manifest stayed valid YAML"
    );
}

#[test]
fn adding_and_removing_an_employee_keeps_the_others() {
    let server = Server::start(&[]);
    let page = post(
        &server,
        "/check",
        open_form("某公司", true).text("action", "add:employee"),
    )
    .text()
    .unwrap();
    assert!(page.contains("id=\"p-employee_3-name\""));
    assert!(
        !page.contains("class=\"report\""),
        "adding re-shows the form unchecked"
    );
    let page = post(
        &server,
        "/check",
        open_form("某公司", true).text("action", "remove:employee:0"),
    )
    .text()
    .unwrap();
    assert!(!page.contains("id=\"p-employee_2-name\""));
    assert!(
        page.contains("value=\"董子轩\""),
        "the second employee moved up"
    );
    assert!(!page.contains("value=\"谢佳怡\""));
}

/// A fixture's bundle as a zip, its test expectations left out.
fn zip_of(dir: &Path) -> Vec<u8> {
    let mut files = archive_support::files_below(dir);
    files.remove("expect.yaml");
    archive_support::zip(&archive_support::under("", &files))
}

#[test]
fn uploads_and_reviews_show_verdicts_and_masked_notices() {
    let server = Server::start(&[]);
    let archive = |case: &str| Part::bytes(zip_of(&fixture(case))).file_name(format!("{case}.zip"));
    let page = post(
        &server,
        "/upload",
        Form::new().part("bundle", archive("fail-employee.id_card")),
    )
    .text()
    .unwrap();
    assert!(page.contains("verdict fail"));
    let form = Form::new()
        .text("notice_lang", "en")
        .part("bundles", archive("pass-three-employees"))
        .part("bundles", archive("fail-employee.id_card-number"));
    let response = post(&server, "/review", form);
    assert_page(&response);
    let page = response.text().unwrap();
    assert_eq!(page.matches("<tr data-verdict=").count(), 2);
    assert!(page.contains("id=\"notice-2\"") && !page.contains("id=\"notice-1\""));
    let notice = page.split("id=\"notice-2\"").nth(1).unwrap();
    assert!(notice.contains("Notice of rejection") && notice.contains("How to fix"));
    let failing =
        std::fs::read_to_string(fixture("fail-employee.id_card-number").join("bundle.yaml"))
            .unwrap();
    for number in failing
        .split('"')
        .filter(|s| s.len() == 18 && s.chars().take(17).all(|c| c.is_ascii_digit()))
    {
        assert!(!page.contains(number), "{number} shown unmasked");
    }

    let csv = post(
        &server,
        "/review.csv",
        Form::new().text(
            "row",
            r#"["a.zip","=cmd()","op","2026-01-14","fail","1","0","3","x.y"]"#,
        ),
    );
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().unwrap();
    assert!(text.starts_with("bundle,company,"));
    assert!(text.contains("a.zip,'=cmd(),op"), "{text}");
}

#[test]
fn pages_need_the_token_when_the_service_has_one() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "a-long-enough-secret-token-0123456789").unwrap();
    let server = Server::start(&["--token-file", token.to_str().unwrap()]);
    let response = client().get(server.url("/")).send().unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
