"""The pages of `dossier serve`, driven in a real browser (issue 13).

Starts `dossier serve` on a loopback port and drives Debian's Chromium
through Playwright (never a downloaded browser):

1. a clerk fills the open-account form for a company with two employees,
   types an ID number with a wrong check digit, sees the hint, corrects it,
   attaches the files, checks (PASS), downloads the zip, and the zip passes
   `dossier check` as it is;
2. the same clerk leaves the labour contract out: FAIL, and the fix's link
   focuses the missing file input;
3. a reviewer uploads five archives, filters to the failures, opens one and
   copies its rejection notice;
4. a zip packed here (not by the service) is uploaded and gets the verdict
   `dossier check` gives its folder.

axe-core (npm, .ci/browser) runs on every page: no serious or critical
violation. The console stays empty (a CSP violation would show there).
Screenshots at 1280 and 375 px, zh and en, go to target/screenshots/.

Usage: python3 tests/browser/pages.py target/debug/dossier
"""

import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from playwright.sync_api import sync_playwright

DOSSIER = str(Path(sys.argv[1]).resolve())
ROOT = Path(__file__).resolve().parent.parent.parent
AXE = (ROOT / ".ci/browser/node_modules/axe-core/axe.min.js").read_text()
SHOTS = ROOT / "target/screenshots"
OPEN = ROOT / "fixtures/douyin.employee_account.open"
FILES = OPEN / "pass-three-employees/files"
CHROMIUM = "/usr/bin/chromium"

COMPANY = {"name": "成都锦程文化传媒有限公司", "uscc": "91510107891033788W"}
LEGAL = {"name": "任海涛", "id_number": "51010419710608113X"}
EMPLOYEES = [
    {"name": "谢佳怡", "id_number": "330102199805279084", "phone": "182 5968 4374",
     "email": "xiejiayi@jincheng-media.com", "douyin_account": "jincheng_xiejiayi"},
    {"name": "董子轩", "id_number": "520102200204167790", "phone": "+86 187 3349 6251",
     "email": "dongzixuan@jincheng-media.com", "douyin_account": "dongzixuan_83"},
]
WRONG_CHECK_DIGIT = "330102199805279085"


def start_service(log_path):
    log = open(log_path, "w")
    process = subprocess.Popen([DOSSIER, "serve", "--listen", "127.0.0.1:0"], stderr=log)
    for _ in range(200):
        for line in open(log_path):
            entry = json.loads(line)
            if entry.get("message") == "listening":
                return process, "http://" + entry["address"]
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit("dossier serve did not start: " + open(log_path).read())


class Browser:
    """One page, with the console and axe watched on every visit."""

    def __init__(self, playwright, base):
        self.base = base
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        self.context = self.browser.new_context(
            accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
        self.page = self.context.new_page()
        self.console = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.scanned = []

    def goto(self, path):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def axe(self, name):
        """No serious or critical accessibility violation on this page."""
        self.page.evaluate(AXE)
        result = self.page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
        assert not bad, f"{name}: axe violations {details}"
        self.scanned.append(name)

    def shots(self, name, lang):
        SHOTS.mkdir(parents=True, exist_ok=True)
        for width in (1280, 375):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 900})


def fill(page, selector, value):
    page.fill(selector, value)


def fill_form(b, lang, with_contract=True, wrong_digit_first=True):
    page = b.page
    query = "?lang=en" if lang == "en" else ""
    b.goto("/prepare/douyin.employee_account.open" + query)
    b.axe(f"prepare form ({lang})")
    fill(page, "#submitted_on", "2026年1月14日")
    fill(page, "#p-enterprise-name", COMPANY["name"])
    fill(page, "#p-enterprise-uscc", COMPANY["uscc"])
    page.select_option("#p-enterprise-douyin_certified", "true")
    fill(page, "#p-legal_representative-name", LEGAL["name"])
    fill(page, "#p-legal_representative-id_number", LEGAL["id_number"])
    # A second employee: the form comes back with everything kept.
    page.click("button[value='add:employee']")
    page.wait_for_selector("#p-employee_2-name")
    assert page.input_value("#p-enterprise-name") == COMPANY["name"]
    for index, person in enumerate(EMPLOYEES, start=1):
        key = f"employee_{index}"
        for field, value in person.items():
            if field == "id_number" and index == 1 and wrong_digit_first:
                fill(page, f"#p-{key}-id_number", WRONG_CHECK_DIGIT)
                hint = page.locator(f"#p-{key}-id_number-hint")
                hint.wait_for(state="visible")
                page.wait_for_function(
                    "id => document.getElementById(id).textContent.trim() !== ''",
                    arg=f"p-{key}-id_number-hint")
                text = hint.text_content()
                assert ("校验" in text) if lang == "zh" else ("check" in text.lower()), text
                assert page.get_attribute(f"#p-{key}-id_number", "aria-invalid") == "true"
                if lang == "zh":
                    b.shots("hint", lang)
            fill(page, f"#p-{key}-{field}", value)
        page.wait_for_function(
            "id => document.getElementById(id).textContent.trim() === ''",
            arg=f"p-{key}-id_number-hint")
    page.set_input_files("#f-enterprise-business_license", str(FILES / "business_license.pdf"))
    fill(page, "#d-enterprise-business_license-name", COMPANY["name"])
    fill(page, "#d-enterprise-business_license-uscc", COMPANY["uscc"])
    fill(page, "#d-enterprise-business_license-legal_representative", LEGAL["name"])
    fill(page, "#d-enterprise-business_license-valid_until", "长期")
    people = [("employee_1", "xiejiayi", "jpg", "2032-11-05"), ("employee_2", "dongzixuan", "png", "2031-11-11")]
    for (key, file_key, ext, valid_until), person in zip(people, EMPLOYEES):
        page.set_input_files(f"#f-{key}-id_card", str(FILES / f"{file_key}_id_card.{ext}"))
        fill(page, f"#d-{key}-id_card-name", person["name"])
        fill(page, f"#d-{key}-id_card-number", person["id_number"])
        fill(page, f"#d-{key}-id_card-valid_until", valid_until)
        page.set_input_files(f"#f-{key}-account_agreement", str(FILES / f"{file_key}_account_agreement.pdf"))
        fill(page, f"#d-{key}-account_agreement-enterprise_signed_on", "2026-01-08")
        fill(page, f"#d-{key}-account_agreement-employee_signed_on", "2026-01-09")
        page.select_option(f"#d-{key}-account_agreement-sealed", "true")
    if with_contract:
        page.set_input_files("#f-employee_1-labor_contract", str(FILES / "xiejiayi_labor_contract.pdf"))
        fill(page, "#d-employee_1-labor_contract-employer", COMPANY["name"])
        fill(page, "#d-employee_1-labor_contract-employee", EMPLOYEES[0]["name"])
        fill(page, "#d-employee_1-labor_contract-start_date", "2025-01-21")
        fill(page, "#d-employee_1-labor_contract-end_date", "2028-01-20")
        page.select_option("#d-employee_1-labor_contract-sealed", "true")
    page.set_input_files("#f-employee_2-employment_certificate", str(FILES / "dongzixuan_employment_certificate.pdf"))
    fill(page, "#d-employee_2-employment_certificate-employer", COMPANY["name"])
    fill(page, "#d-employee_2-employment_certificate-employee", EMPLOYEES[1]["name"])
    fill(page, "#d-employee_2-employment_certificate-issued_on", "2026-01-12")
    page.select_option("#d-employee_2-employment_certificate-sealed", "true")


def check(b):
    b.page.click(".actions button[value='check']")
    b.page.wait_for_selector(".report .verdict")
    b.page.wait_for_load_state("networkidle")
    return b.page.text_content(".report .verdict").strip()


def clerk_passes(b, workdir):
    fill_form(b, "zh")
    verdict = check(b)
    assert verdict == "通过", f"expected PASS, got {verdict}: {b.page.text_content('.report')}"
    b.axe("report page, pass (zh)")
    # Personal numbers are masked on the page.
    assert EMPLOYEES[0]["id_number"] not in b.page.text_content(".report")
    b.shots("report-pass", "zh")
    with b.page.expect_download() as download:
        b.page.click("button[value='zip']")
    path = Path(workdir) / "bundle.zip"
    download.value.save_as(path)
    run = subprocess.run([DOSSIER, "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, f"the downloaded zip fails dossier check:\n{run.stdout}{run.stderr}"
    names = zipfile.ZipFile(path).namelist()
    assert all(n.isascii() and not any(c in n for c in '<>:"\\|?*') for n in names), names


def clerk_forgets_the_contract(b, lang):
    fill_form(b, lang, with_contract=False, wrong_digit_first=False)
    verdict = check(b)
    assert verdict == ("不通过" if lang == "zh" else "FAIL"), verdict
    b.axe(f"report page, fail ({lang})")
    b.shots("report-fail", lang)
    link = b.page.locator("a.goto[data-focus='f-employee_1-labor_contract']")
    assert link.count() == 1, b.page.text_content(".report")
    link.click()
    focused = b.page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == "f-employee_1-labor_contract", focused
    # Keyboard only: the fix link is reachable and Enter follows it.
    b.page.focus("a.goto[data-focus='f-employee_1-labor_contract']")
    b.page.keyboard.press("Enter")
    assert b.page.evaluate("document.activeElement.id") == "f-employee_1-labor_contract"
    # Everything typed and attached is still there for "fix and check again".
    assert b.page.input_value("#p-employee_2-name") == EMPLOYEES[1]["name"]
    assert "business_license.pdf" in b.page.text_content("#m-enterprise-business_license")


def zip_fixture(folder):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != "expect.yaml":
                archive.write(path, path.relative_to(folder).as_posix())
    return data.getvalue()


def verdict_of(folder):
    run = subprocess.run([DOSSIER, "check", str(folder)], capture_output=True)
    return "pass" if run.returncode == 0 else "fail"


def reviewer(b, workdir):
    cases = ["pass-three-employees", "fail-employee.id_card", "pass-contact",
             "fail-business_license.present", "fail-employee.agreement"]
    paths = []
    for case in cases:
        path = Path(workdir) / f"{case}.zip"
        path.write_bytes(zip_fixture(OPEN / case))
        paths.append(str(path))
    b.goto("/review")
    b.axe("review form (zh)")
    b.page.set_input_files("#bundles", paths)
    b.page.click("form.upload button[type=submit]")
    b.page.wait_for_selector("#results")
    b.page.wait_for_load_state("networkidle")
    b.axe("review results (zh)")
    b.shots("review", "zh")
    rows = b.page.locator("#results tbody tr")
    assert rows.count() == 5
    b.page.select_option("#filter-verdict", "fail")
    visible = b.page.locator("#results tbody tr:not([hidden])")
    assert visible.count() == 3, visible.count()
    assert all(visible.nth(i).get_attribute("data-verdict") == "fail" for i in range(3))
    visible.nth(0).locator("a[href^='#report-']").click()
    number = b.page.evaluate("location.hash").removeprefix("#report-")
    notice = b.page.locator(f"#notice-{number}")
    notice.locator("button[data-copy]").click()
    b.page.wait_for_function(
        "n => document.querySelector('#notice-' + n + ' .copied').textContent !== ''", arg=number)
    copied = b.page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("驳回通知"), copied
    assert "修改方法" in copied, copied
    # Printed alone, as the print button does it.
    b.page.evaluate("n => { document.body.classList.add('print-one');"
                    " document.getElementById('notice-' + n).classList.add('print-only'); }", number)
    b.page.emulate_media(media="print")
    b.page.screenshot(path=str(SHOTS / "notice-print-zh.png"), full_page=True)
    b.page.emulate_media(media="screen")
    with b.page.expect_download() as download:
        b.page.click("text=导出 CSV")
    csv = Path(download.value.path()).read_text()
    assert csv.count("\n") == 6 and "fail-employee.id_card.zip" in csv, csv


def independent_upload(b, workdir):
    for case in ["pass-labor-contract", "fail-employee.age"]:
        folder = OPEN / case
        path = Path(workdir) / f"{case}.zip"
        path.write_bytes(zip_fixture(folder))
        b.goto("/upload?lang=en")
        b.axe("upload form (en)")
        b.page.set_input_files("#bundle", str(path))
        b.page.click("text=Check the archive")
        b.page.wait_for_selector(".report .verdict")
        b.axe("upload result (en)")
        shown = b.page.text_content(".report .verdict").strip()
        assert shown == {"pass": "PASS", "fail": "FAIL"}[verdict_of(folder)], (case, shown)


def static_pages(b):
    for lang, query in (("zh", ""), ("en", "?lang=en")):
        for name, path in (("start", "/"), ("checklist", "/checklist/douyin.employee_account.open"),
                           ("prepare", "/prepare/douyin.employee_account.deregister"), ("upload", "/upload"),
                           ("review-form", "/review")):
            b.goto(path + query)
            b.axe(f"{name} ({lang})")
            b.shots(name, lang)
            assert b.page.get_attribute("html", "lang").startswith(lang)
            if name == "checklist":
                b.page.emulate_media(media="print")
                b.page.screenshot(path=str(SHOTS / f"checklist-print-{lang}.png"), full_page=True)
                b.page.emulate_media(media="screen")


def main():
    workdir = tempfile.mkdtemp()
    process, base = start_service(Path(workdir) / "serve.log")
    try:
        with sync_playwright() as playwright:
            b = Browser(playwright, base)
            static_pages(b)
            clerk_passes(b, workdir)
            clerk_forgets_the_contract(b, "en")
            reviewer(b, workdir)
            independent_upload(b, workdir)
            assert not b.console, "the console was not empty:\n" + "\n".join(b.console)
            b.browser.close()
            print(f"browser: {len(b.scanned)} page scans clean, console empty, screenshots in {SHOTS}")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
