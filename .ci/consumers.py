"""Real consumers nobody here wrote, over every fixture's report:
the official SARIF 2.1.0 JSON Schema (jsonschema) and a JUnit parser
(junitparser). Called by .ci/run with the built binary; prints
'N passed, N failed'."""

import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema
from junitparser import Failure, JUnitXml, Skipped

binary, schema_path = sys.argv[1], sys.argv[2]
schema = json.loads(pathlib.Path(schema_path).read_text())
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)

fixtures = sorted(p.parent for p in pathlib.Path("fixtures").glob("*/*/expect.yaml"))
assert len(fixtures) >= 60, f"found {len(fixtures)} fixtures"
passed = failed = 0


def report(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def run(*args):
    result = subprocess.run([binary, "check", *args], capture_output=True, text=True)
    assert result.returncode in (0, 1), f"{args}: exit {result.returncode}: {result.stderr}"
    return result.stdout


# The validator must be able to fail.
broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal", "message": {"text": "x"}}]}]}
report(not validator.is_valid(broken), "the SARIF validator rejects a broken log")

for fixture in fixtures:
    for lang in ("zh", "en"):
        log = json.loads(run(str(fixture), "--format", "sarif", "--lang", lang))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
        report(not errors, f"SARIF of {fixture} ({lang}): {errors[:3]}")

    expected = json.loads(run(str(fixture), "--format", "json"))[0]  # JSON is always an array of reports
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        run(str(fixture), "--format", "junit", "--output", out.name)
        xml = JUnitXml.fromfile(out.name)
        suites = list(xml)
        cases = [case for suite in suites for case in suite]
        names = [case.name for case in cases]
        failures = sum(1 for c in cases if any(isinstance(r, Failure) for r in c.result))
        skipped = sum(1 for c in cases if any(isinstance(r, Skipped) for r in c.result))
        counts = expected["counts"]
        ok = (
            len(suites) == 1
            and len(cases) == len(expected["findings"])
            and len(set(names)) == len(names)
            and failures == counts["fail"]
            and skipped == counts["skip"]
        )
        report(ok, f"JUnit of {fixture}: {len(suites)} suites, {len(cases)} cases, {failures} failures, {skipped} skipped; expected {counts}")

# A whole folder in one document: one suite per bundle, one SARIF run.
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    run("fixtures", "--format", "junit", "--fail-on", "warning", "--output", out.name)
    suites = list(JUnitXml.fromfile(out.name))
    report(len(suites) == len(fixtures), f"batch JUnit has {len(suites)} suites for {len(fixtures)} bundles")
batch = json.loads(run("fixtures", "--format", "sarif"))
report(validator.is_valid(batch) and len(batch["runs"]) == 1, "batch SARIF is valid, one run")

print(f"consumers: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
