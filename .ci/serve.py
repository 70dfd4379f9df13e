"""`dossier serve` checked by clients nobody here wrote.

Starts the service for real on a loopback port with a token, then:
1. validates its /openapi.json with openapi-spec-validator;
2. posts every fixture bundle, packed here with the standard library
   (a zip archive, and a multipart form), and compares each verdict with
   what `dossier check` says for the same folder;
3. parses /metrics with the Prometheus project's own OpenMetrics parser
   (prometheus_client) and checks the families and the bundle count;
4. fuzzes the service against its document with schemathesis (bounded:
   examples per operation and a time limit; no 5xx, every response as
   documented);
5. stops it with SIGTERM and expects exit status 0.

Usage: python3 .ci/serve.py target/debug/dossier
"""

import io
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

from openapi_spec_validator import validate
from prometheus_client.openmetrics.parser import text_string_to_metric_families

DOSSIER = sys.argv[1]
ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = ("bundle.yaml", "bundle.yml", "bundle.json")


def start(token_file, log_path):
    """The service, its log going to a file (a pipe nobody drains would
    fill and stall it), once it says where it listens."""
    log = open(log_path, "w")
    process = subprocess.Popen(
        [DOSSIER, "serve", "--listen", "127.0.0.1:0", "--token-file", token_file],
        stderr=log,
    )
    for _ in range(200):
        with open(log_path) as lines:
            for line in lines:
                entry = json.loads(line)
                if entry.get("message") == "listening":
                    return process, entry["address"]
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit("dossier serve did not start: " + open(log_path).read())


def request(address, token, path, body=None, content_type=None):
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(f"http://{address}{path}", data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def bundle_files(folder):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(folder).as_posix(), path.read_bytes()


def as_zip(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in bundle_files(folder):
            archive.writestr(name, data)
    return buffer.getvalue()


def as_form(folder):
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, data in bundle_files(folder):
        part = "manifest" if name in MANIFESTS else name
        body.write(f"--{boundary}\r\n".encode())
        body.write(
            f'Content-Disposition: form-data; name="{part}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        body.write(data)
        body.write(b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def cli_verdict(folder):
    result = subprocess.run(
        [DOSSIER, "check", str(folder), "--format", "json"], capture_output=True, text=True
    )
    return json.loads(result.stdout)["verdict"]


def main():
    work = tempfile.mkdtemp()
    token = secrets.token_urlsafe(24)
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as handle:
        handle.write(token + "\n")
    process, address = start(token_file, os.path.join(work, "serve.log"))
    try:
        status, _, document = request(address, token, "/openapi.json")
        assert status == 200, status
        validate(json.loads(document))
        print("openapi-spec-validator: /openapi.json is a valid OpenAPI document")

        status, _, _ = request(address, "wrong-token-wrong-token", "/v1/operations")
        assert status == 401, f"a wrong token got {status}"

        fixtures = sorted(p.parent for p in (ROOT / "fixtures").glob("*/*/expect.yaml"))
        assert len(fixtures) >= 60, len(fixtures)
        posted = 0
        for folder in fixtures:
            expected = cli_verdict(folder)
            form, form_type = as_form(folder)
            for kind, body, content_type in [
                ("zip", as_zip(folder), "application/zip"),
                ("form", form, form_type),
            ]:
                status, headers, report = request(
                    address, token, "/v1/check?format=json", body, content_type
                )
                assert status == 200, f"{folder} ({kind}): {status} {report[:200]}"
                verdict = headers.get("Dossier-Verdict") or headers.get("dossier-verdict")
                assert verdict == expected, f"{folder} ({kind}): {verdict}, CLI {expected}"
                assert json.loads(report)["verdict"] == expected
                posted += 1
        print(f"independent client: {posted} uploads of {len(fixtures)} fixtures, verdicts as the CLI's")

        status, _, text = request(address, token, "/metrics")
        families = {f.name: f for f in text_string_to_metric_families(text.decode())}
        for name, kind in [
            ("dossier_http_requests", "counter"),
            ("dossier_http_request_duration_seconds", "histogram"),
            ("dossier_http_requests_in_flight", "gauge"),
            ("dossier_bundles_checked", "counter"),
            ("dossier_rule_failures", "counter"),
            ("dossier_rule_reloads", "counter"),
        ]:
            assert name in families, f"{name} missing from /metrics"
            assert families[name].type == kind, (name, families[name].type)
        judged = sum(
            s.value for s in families["dossier_bundles_checked"].samples if s.name.endswith("_total")
        )
        assert judged == posted, (judged, posted)
        print(f"prometheus_client: /metrics parsed, {len(families)} families, {int(judged)} bundles")

        schemathesis = subprocess.run(
            [
                "schemathesis",
                "--config-file", str(ROOT / ".ci" / "schemathesis.toml"),
                "run", f"http://{address}/openapi.json",
                "--header", f"Authorization: Bearer {token}",
                "--max-examples", "25",
                "--max-time", "120",
                # Several workers trip a CPython 3.11 `ast` race inside hypothesis.
                "--workers", "1",
                "--seed", "12",
            ]
        )
        assert schemathesis.returncode == 0, "schemathesis found problems (above)"
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0, f"dossier serve exited {code} after SIGTERM"
    print("SIGTERM: stopped, exit status 0")


if __name__ == "__main__":
    main()
