#!/usr/bin/env python3
"""Writes docs/performance.md from the raw results of benches/run.sh.

Reads RESULTS/{one,batch}.json (hyperfine), RESULTS/rss-*.txt (GNU time %M,
KiB), RESULTS/commands.tsv, RESULTS/verify-*.txt, RESULTS/du-*.txt and
target/criterion/*/new/{benchmark,estimates}.json. Keeps the hand-written
section between `<!-- analysis -->` and `<!-- /analysis -->` of the existing
document. Prints a summary on standard output. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import re
import subprocess

# Figures quoted in issue 6 (measured there on 1,000 bundles, 2 cores); not re-measured.
SPECTRAL_RATE, SPECTRAL_ONE = 59.0, 0.82
OPA_RATE, OPA_ONE = 37.0, 0.17
FLOOR_QUOTED_RATE = 8200.0

ANALYSIS_OPEN, ANALYSIS_CLOSE = "<!-- analysis -->", "<!-- /analysis -->"
DEFAULT_ANALYSIS = """\
_Hand-written; `benches/run.sh` keeps this section when it regenerates the
document. For every target marked ✗ above: by how much it is missed, why
(from the phases below and a profile), and what would close it._
"""


def sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def machine() -> list[tuple[str, str]]:
    model = "?"
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        with open("/proc/loadavg") as f:
            load_end = " ".join(f.read().split()[:3])
    except OSError:
        load_end = "?"
    return [
        ("CPU", f"{model}, {sh('nproc')} cores available (`nproc`)"),
        ("memory", mem),
        ("kernel", f"{platform.system()} {platform.release()}"),
        ("rustc", sh("rustc", "-V")),
        ("hyperfine", sh("hyperfine", "--version")),
        ("dossier commit", sh("git", "rev-parse", "--short", "HEAD") + (" (uncommitted changes)" if sh("git", "status", "--porcelain", "--untracked-files=no") else "")),
        ("load average at the end (1/5/15 min)", load_end),
    ]


def read(path: str, default: str = "") -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return default


def hyperfine(path: str) -> list[dict]:
    try:
        with open(path) as f:
            return json.load(f)["results"]
    except (OSError, ValueError, KeyError):
        return []


def criterion(root: str = "target/criterion") -> dict[str, float]:
    """Criterion medians in ns, by function name."""
    out = {}
    for bench in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        try:
            with open(bench) as f:
                name = json.load(f).get("full_id") or ""
            with open(os.path.join(os.path.dirname(bench), "estimates.json")) as f:
                out[name] = json.load(f)["median"]["point_estimate"]
        except (OSError, ValueError, KeyError):
            continue
    return out


def seconds(s: float | None) -> str:
    if s is None:
        return "—"
    if s >= 1:
        return f"{s:.3f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


def nanos(ns: float | None) -> str:
    if ns is None:
        return "—"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def fx(value, fmt: str) -> str:
    """`value` formatted with `fmt`, or a dash when it was not measured."""
    return "—" if value is None else fmt.format(value)


def rate(r: float | None) -> str:
    return "—" if r is None else f"{r:,.0f} bundles/s"


def verdict(value: float | None, limit: float, at_most: bool) -> tuple[str, str]:
    """(✓/✗, how far from the limit)."""
    if value is None:
        return "?", "not measured"
    ok = value <= limit if at_most else value >= limit
    if ok:
        return "✓", "met"
    if at_most:
        return "✗", f"missed by {value / limit - 1:.0%} (×{value / limit:.2f} the limit)"
    return "✗", f"missed: {value / limit:.0%} of the target ({1 - value / limit:.0%} short)"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--out", required=True)
    for name in ("n", "n-big", "kb", "kb-big", "seed", "runs-one", "runs"):
        p.add_argument(f"--{name}", type=int, required=True)
    p.add_argument("--jobs", required=True, help="thread counts of the batch runs, e.g. '1 2 4'")
    for name in ("batch-dir", "big-dir", "one"):
        p.add_argument(f"--{name}", required=True)
    a = p.parse_args()
    R = a.results

    commands = {}
    for line in read(os.path.join(R, "commands.tsv")).splitlines():
        key, _, cmd = line.partition("\t")
        commands[key] = cmd

    one = hyperfine(os.path.join(R, "one.json"))
    batch = hyperfine(os.path.join(R, "batch.json"))
    med = lambda rs, i: rs[i]["median"] if len(rs) > i else None  # noqa: E731
    t_one, t_one_floor = med(one, 0), med(one, 1)
    # dossier --version: the process starting and exiting with nothing to judge.
    t_start = med(one, 2)
    by_name = {r.get("command"): r["median"] for r in batch}
    threads = [int(j) for j in a.jobs.split()]
    t_batch = {j: by_name.get(f"jobs{j}") for j in threads}
    t_b1, t_bfloor = t_batch.get(1), by_name.get("floor")
    zips = hyperfine(os.path.join(R, "zip.json"))
    t_zip_folders, t_zip_zips = med(zips, 0), med(zips, 1)
    # benches/zip_floor.rs: "  <phase>  <cpu> ms CPU  <wall> ms wall  (...)", seconds of CPU.
    zip_floor = {
        m.group(1).strip(): float(m.group(2)) / 1000
        for m in re.finditer(r"^\s+(\S.*?)\s+([\d.]+) ms CPU\s+[\d.]+ ms wall", read(os.path.join(R, "zip-floor.txt")), re.M)
    }
    inflating = None
    if "read" in zip_floor and "zlib-rs + CRC" in zip_floor:
        inflating = zip_floor["read"] + zip_floor["zlib-rs + CRC"]
    per = lambda t: None if t is None else a.n / t  # noqa: E731
    r1, rfloor = per(t_b1), per(t_bfloor)
    rates = {j: per(t) for j, t in t_batch.items()}

    def kib(name: str) -> int | None:
        text = read(os.path.join(R, f"rss-{name}.txt"))
        m = re.search(r"(\d+)\s*$", text)
        return int(m.group(1)) if m else None

    rss_batch, rss_big, rss_floor_big = kib("batch"), kib("big"), kib("floor-big")
    mib = lambda k: None if k is None else k / 1024  # noqa: E731
    crit = criterion()
    div = lambda x, y: None if x is None or y is None or y == 0 else x / y  # noqa: E731

    smoke = a.n < 10000 or a.n_big < 100000
    targets = [
        ("batch, 1 thread: time / the floor's time on the same bundles", div(t_b1, t_bfloor), 2.0, True,
         lambda v: f"{v:.2f}×"),
    ]
    # Scaling (issue 16): 1.9× at 2 threads on 2 cores, 12× at 16 on 16 cores.
    for j, limit in ((2, 1.9), (16, 12.0)):
        if j in threads:
            targets.append((f"batch, {j} threads: rate / 1-thread rate", div(rates.get(j), r1), limit, False,
                            lambda v: f"{v:.2f}×"))
    targets += [
        ("one bundle, whole process: time / the floor's time on that bundle", div(t_one, t_one_floor), 3.0, True,
         lambda v: f"{v:.2f}×"),
        (f"bundles/s vs Spectral's quoted {SPECTRAL_RATE:.0f}/s (1 thread)", div(r1, SPECTRAL_RATE), 100, False,
         lambda v: f"{v:,.0f}×"),
        (f"one bundle vs Spectral's quoted {SPECTRAL_ONE} s", div(SPECTRAL_ONE, t_one), 100, False,
         lambda v: f"{v:,.0f}×"),
        (f"peak memory (max RSS) at N = {a.n_big:,}, MiB", mib(rss_big), 64, True, lambda v: f"{v:.1f} MiB"),
        ("batch as zips: time / as folders (1 thread, same run; issue 11)", div(t_zip_zips, t_zip_folders), 1.3,
         True, lambda v: f"{v:.2f}×"),
    ]

    # ------------------------------------------------------------------ document
    L: list[str] = []
    w = L.append
    w("# Performance")
    w("")
    w(f"Generated by `benches/run.sh` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC. "
      "Regenerate with `benches/run.sh` (settings: `N`, `N_BIG`, `KB`, `KB_BIG`, `JOBS`, `RUNS`, "
      "`RUNS_ONE`, `OUT`; see the script's header). Every figure below is a median; every "
      "command is listed under [Commands](#commands).")
    w("")
    if smoke:
        w(f"> **Smoke run** (N = {a.n:,}, N_BIG = {a.n_big:,}, on a busy machine): it shows that the "
          "harness works end to end; its figures are **not** the benchmark. The full run is N = 10,000 "
          "and N_BIG = 100,000 on a quiet machine: `benches/run.sh`.")
        w("")
    w("## Machine")
    w("")
    w("| | |")
    w("| --- | --- |")
    for k, v in machine():
        w(f"| {k} | {v} |")
    w(f"| load average at the start | {read(os.path.join(R, 'loadavg-start.txt'), '?')} |")
    w("")
    w("## Bundles")
    w("")
    gen = {}
    try:
        with open(os.path.join(a.batch_dir, "generator.json")) as f:
            gen = json.load(f)
    except (OSError, ValueError):
        pass
    gen_big = {}
    try:
        with open(os.path.join(a.big_dir, "generator.json")) as f:
            gen_big = json.load(f)
    except (OSError, ValueError):
        pass
    du = lambda n: read(os.path.join(R, f"du-{n}.txt"))  # noqa: E731
    mb = lambda n: f"{int(du(n)) / 1024:,.0f} MiB" if du(n).isdigit() else "?"  # noqa: E731
    w("Generated by `benches/generate.py` (standard library Python; deterministic for a seed): "
      "both operations (about 60 % `douyin.employee_account.open`, 40 % `.deregister`), 1–3 "
      "employees (50/30/20 %), every material the operation needs, checksum-valid USCCs and ID "
      "numbers, valid mobiles, dates consistent with `submitted_on`, a correct `sha256` on about "
      "20 % of documents, about 3 % JSON manifests, and about 15 % defective bundles with one "
      "intended defect each (expired ID card, licence USCC mismatch, missing labour contract, "
      "unsealed agreement, invalid mobile, wrong sha256, truncated file, …). Attachments are real "
      "PDF, JPEG and PNG files with their end markers, each a distinct file. Before anything is "
      "timed, dossier judges each corpus once and `generate.py verify` checks every clean bundle "
      "passes and every defective one fails with its intended rule (this also warms the page "
      "cache: all timings are warm-cache).")
    w("")
    w("| corpus | bundles | defective | attachments | on disk | verification |")
    w("| --- | --- | --- | --- | --- | --- |")
    for label, n, kb, g, key, d in (
        ("batch", a.n, a.kb, gen, "batch", a.batch_dir),
        ("memory", a.n_big, a.kb_big, gen_big, "big", a.big_dir),
    ):
        v = read(os.path.join(R, f"verify-{key}.txt")).splitlines()
        w(f"| {label} (`{d}`) | {n:,} | {fx(g.get('defective'), '{:,}')} | ~{kb} KiB each (0.5–1.5×) | "
          f"{mb(key)} | {v[0].removeprefix('verify: ') if v else '?'} |")
    w("")
    w(f"The memory corpus uses {a.kb_big} KiB attachments to bound disk use "
      f"({a.n_big:,} bundles × ~7 files); dossier reads only the head and tail of an attachment "
      "unless a `sha256` is declared, so attachment size barely affects its memory.")
    w("")
    w(f"The one-bundle figures and the phases use `{a.one}`: a passing `open` bundle with two "
      "employees and seven attachments.")
    w("")

    w("## Results")
    w("")
    w("| measure | dossier | the floor | |")
    w("| --- | --- | --- | --- |")
    w(f"| one bundle, whole process ({a.runs_one} runs) | {seconds(t_one)} | {seconds(t_one_floor)} | "
      f"{fx(div(t_one, t_one_floor), '{:.2f}× the floor')} |")
    if t_start is not None:
        w(f"| dossier's start alone (`dossier --version`, same {a.runs_one} runs) | {seconds(t_start)} | "
          f"{seconds(t_one_floor)} (its whole one bundle) | "
          f"{fx(div(t_start, t_one_floor), '{:.2f}× the floor')} before any rule or bundle is read |")
    w(f"| batch of {a.n:,}, 1 thread ({a.runs} runs) | {seconds(t_b1)} = {rate(r1)} | "
      f"{seconds(t_bfloor)} = {rate(rfloor)} | {fx(div(t_b1, t_bfloor), '{:.2f}× the floor')} |")
    for j in threads:
        if j == 1:
            continue
        w(f"| batch of {a.n:,}, {j} threads ({a.runs} runs) | {seconds(t_batch[j])} = {rate(rates[j])} | | "
          f"{fx(div(rates[j], r1), '{:.2f}× the 1-thread rate')} |")
    w(f"| batch of {a.n:,} as folders, 1 thread, beside the zips ({a.runs} runs) | {seconds(t_zip_folders)} "
      f"| | |")
    w(f"| batch of {a.n:,} as zips, 1 thread ({a.runs} runs) | {seconds(t_zip_zips)} | | "
      f"{fx(div(t_zip_zips, t_zip_folders), '{:.2f}× as folders')} |")
    if inflating is not None:
        w(f"| zip floor: read every archive and inflate every entry with its CRC, nothing else (CPU) "
          f"| {seconds(inflating)} | | "
          f"{fx(div((t_zip_folders or 0) + inflating, t_zip_folders), 'the least zips can cost: {:.2f}× as folders')} |")
        w(f"| batch as zips beyond the zip floor | {seconds((t_zip_zips or 0) - inflating)} | | "
          f"{fx(div((t_zip_zips or 0) - inflating, t_zip_folders), '{:.2f}× as folders')} |")
    w(f"| the floor's own rate against Spectral's quoted {SPECTRAL_RATE:.0f}/s | {rate(rfloor)} | | "
      f"{fx(div(rfloor, SPECTRAL_RATE), '{:,.0f}× Spectral: the most any tool reading these bundles can reach')} |")
    w(f"| peak memory (max RSS), batch of {a.n:,} | {fx(mib(rss_batch), '{:.1f} MiB')} | | |")
    w(f"| peak memory (max RSS), {a.n_big:,} bundles | {fx(mib(rss_big), '{:.1f} MiB')} | "
      f"{fx(mib(rss_floor_big), '{:.1f} MiB')} | |")
    w("")
    w("The zips are the batch corpus's bundles, one deflated zip each with the manifest at the root "
      f"(`benches/generate.py zip`, {mb('zip')} on disk); a zip is read whole into memory and every "
      "entry inflated and its CRC checked, where a folder's attachments are only opened, "
      "sniffed at the head and the tail (and hashed when a `sha256` is declared). Both commands "
      "run interleaved, one run of each per round.")
    w("")
    if zip_floor:
        w("The zip floor (`benches/zip_floor.rs`, the fastest of its passes by CPU time) times, on the same zips, "
          "what any tool must do beyond judging the bundles as folders: read each archive and inflate every "
          "entry whole, checking its CRC. What the zips cost beyond it is the part dossier's archive code "
          "controls. Its output:")
        w("")
        w("```")
        w(read(os.path.join(R, "zip-floor.txt")).rstrip())
        w("```")
        w("")
    w("The floor (`benches/floor.rs`) finds and reads every manifest, parses it with serde_yaml, "
      "and stats, opens and reads the first 16 bytes of every attached file, on one thread; "
      "nothing else. Its time includes its own process start.")
    w("")
    w(f"Scaling ({sh('nproc')} cores here; on fewer cores than threads the extra threads only share them):")
    w("")
    w("| threads | time | bundles/s | × 1 thread | per thread |")
    w("| --- | --- | --- | --- | --- |")
    for j in threads:
        speedup = div(rates.get(j), r1)
        w(f"| {j} | {seconds(t_batch[j])} | {rate(rates.get(j))} | {fx(speedup, '{:.2f}×')} | "
          f"{fx(div(speedup, j), '{:.0%}')} |")
    w("")
    w("## Targets (issue 16)")
    w("")
    w("| target | measured | limit | | |")
    w("| --- | --- | --- | --- | --- |")
    summary = []
    for name, value, limit, at_most, fmt in targets:
        mark, how = verdict(value, limit, at_most)
        shown = "—" if value is None else fmt(value)
        bound = f"≤ {fmt(limit)}" if at_most else f"≥ {fmt(limit)}"
        if "RSS" in name and a.n_big != 100000:
            how += f" (at N = {a.n_big:,}, not 100,000)"
        w(f"| {name} | {shown} | {bound} | {mark} | {how} |")
        summary.append(f"{mark} {name}: {shown} (limit {bound}; {how})")
    w("")
    w("Quoted figures (issue 6: measured there on 1,000 generated bundles, 2 cores, medians; "
      "not re-measured here):")
    w("")
    w("| tool | bundles/s | one bundle | dossier, bundles/s | dossier, one bundle |")
    w("| --- | --- | --- | --- | --- |")
    for tool, tr, to in (("Spectral", SPECTRAL_RATE, SPECTRAL_ONE), ("OPA / Rego (rego-cpp)", OPA_RATE, OPA_ONE)):
        w(f"| {tool} | {tr:.0f} | {to} s | {fx(div(r1, tr), '{:,.0f}× faster (1 thread)')} | "
          f"{fx(div(to, t_one), '{:,.0f}× faster')} |")
    w(f"| the floor | {FLOOR_QUOTED_RATE:,.0f} (1 thread) | | measured here: {rate(rfloor)} | |")
    w("")

    w("## Where the time goes")
    w("")
    sample = {}  # phase -> ns per bundle, averaged over the corpus sample
    sample_n = None
    for key, ns in crit.items():
        m = re.match(r"corpus sample of (\d+)/(.*)", key)
        if m:
            sample_n = int(m.group(1))
            sample[m.group(2)] = ns / sample_n
    w("In-process phases (`benches/engine.rs`, criterion medians; each phase runs in a hot loop, "
      f"so file-system caches are warm): on the one bundle `{a.one}`, and per bundle averaged "
      f"over the first {sample_n or '—'} bundles of the batch corpus (same mix of operations, "
      "sizes and defects as the batch).")
    w("")
    w("| phase | one bundle | corpus average per bundle | share of the average check |")
    w("| --- | --- | --- | --- |")
    whole_avg = sample.get("whole: check_path")

    def row(label, one_ns, avg_ns, share=True):
        pct = f"{avg_ns / whole_avg:.0%}" if share and avg_ns is not None and whole_avg else ""
        w(f"| {label} | {nanos(one_ns)} | {nanos(avg_ns)} | {pct} |")

    minus = lambda x, y: None if x is None or y is None else x - y  # noqa: E731
    row("load the embedded rule set (every operation)", crit.get("rules: load the embedded rule set"), None, False)
    row("load one operation's rules (what `check` of one bundle loads)", crit.get("rules: load one operation's rules"), None, False)
    row("read and parse the manifest", crit.get("bundle: read and parse the manifest"),
        sample.get("bundle: read and parse the manifest"))
    row("check every attachment (resolve, stat, head and tail; sha256 when declared)",
        crit.get("bundle: check every attachment"), sample.get("bundle: check every attachment"))
    row("evaluate the rules (judge minus attachment checks)",
        minus(crit.get("engine: judge a parsed bundle"), crit.get("bundle: check every attachment")),
        minus(sample.get("engine: judge a parsed bundle"), sample.get("bundle: check every attachment")))
    row("the same with every script in rhai (as before the native checks)",
        minus(crit.get("engine: judge a parsed bundle, every script in rhai"), crit.get("bundle: check every attachment")),
        minus(sample.get("engine: judge a parsed bundle, every script in rhai"),
              sample.get("bundle: check every attachment")), False)
    row("**whole check** (`check_path`: parse + attachments + rules)", crit.get("whole: check_path"), whole_avg)
    row("render the report as JSON (one line of `jsonl`)", crit.get("render: json"), sample.get("render: json"), False)
    row("render the report as text", crit.get("render: text"), None, False)
    w("")
    per_b1 = div(t_b1, a.n)
    per_floor = div(t_bfloor, a.n)
    json_avg = sample.get("render: json")
    if whole_avg and per_b1 and json_avg:
        rest = per_b1 * 1e9 - whole_avg - json_avg
        w(f"Per bundle in the 1-thread batch: {seconds(per_b1)}; the floor: {seconds(per_floor)}. "
          f"The phases of an average bundle account for {nanos(whole_avg + json_avg)} of it "
          f"(check {nanos(whole_avg)} + JSON {nanos(json_avg)})"
          + (f"; the remaining {nanos(rest)} is outside them: finding the bundles, writing the "
             "stream and the summary, allocator and cache effects of a cold loop."
             if rest > 0 else
             "; more than the batch's own per-bundle figure: the two are measured at different "
             "times, one in a hot loop, and on a busy machine they can differ by tens of percent.")
          + (f" The floor's per-bundle time is {per_floor * 1e9 / whole_avg:.0%} of the check "
             "alone." if per_floor else ""))
        w("")
    load = crit.get("rules: load one operation's rules")
    one_whole = crit.get("whole: check_path")
    if t_one and load is not None and one_whole:
        rest = t_one * 1e9 - load - one_whole - (crit.get("render: json") or 0)
        w(f"One bundle, whole process: {seconds(t_one)} = one operation's rules {nanos(load)} + "
          f"check {nanos(one_whole)} + JSON {nanos(crit.get('render: json'))} + {nanos(rest)} "
          "of everything else: process start and exit, argument parsing, writing the report "
          f"(the floor's whole process takes {seconds(t_one_floor)})."
          + (f" Of that, {seconds(t_start)} is dossier starting and exiting with nothing to judge "
             "(`dossier --version`: loading and relocating the binary, the allocator's set-up, "
             "argument parsing)." if t_start is not None else ""))
        w("")

    w("## Analysis")
    w("")
    previous = read(a.out)
    m = re.search(re.escape(ANALYSIS_OPEN) + r"\n?(.*?)" + re.escape(ANALYSIS_CLOSE), previous, re.S)
    w(ANALYSIS_OPEN)
    w((m.group(1) if m else DEFAULT_ANALYSIS).rstrip("\n"))
    w(ANALYSIS_CLOSE)
    w("")

    w("## Commands")
    w("")
    w("Run from the repository root; `benches/run.sh` runs all of them. The floor is the "
      "`benches/floor.rs` bench target, built by `cargo build --release --benches` (also "
      "`cargo bench --bench floor -- DIR`).")
    w("")
    w("```sh")
    w(f"python3 benches/generate.py generate {a.n} {a.batch_dir} --seed {a.seed} --attachment-kb {a.kb}")
    w(f"python3 benches/generate.py generate {a.n_big} {a.big_dir} --seed {a.seed} --attachment-kb {a.kb_big}")
    w("cargo build --release --bins --benches")
    w(f"python3 benches/interleave.py --warmup 5 --rounds {a.runs_one} --export-json one.json \\")
    w(f"  -n dossier '{commands.get('one', '?')}' \\")
    w(f"  -n floor '{commands.get('one_floor', '?')}' \\")
    w(f"  -n start '{commands.get('start', '?')}'")
    w(f"python3 benches/interleave.py --warmup 1 --rounds {a.runs} --export-json batch.json \\")
    for j in threads:
        w(f"  -n jobs{j} '{commands.get(f'batch_{j}', '?')}' \\")
    w(f"  -n floor '{commands.get('batch_floor', '?')}'")
    w(f"python3 benches/generate.py zip {a.batch_dir} {a.batch_dir}-zip")
    w(f"python3 benches/interleave.py --warmup 1 --rounds {a.runs} --export-json zip.json \\")
    w(f"  -n folders '{commands.get('zip_folders', '?')}' \\")
    w(f"  -n zips '{commands.get('zip_zips', '?')}'")
    w(commands.get("zip_floor", "?"))
    w(f"/usr/bin/time -f %M {commands.get('rss', '?')}")
    w(f"/usr/bin/time -f %M {commands.get('rss_big', '?')}")
    w(commands.get("criterion", "?"))
    w("```")
    w("")
    w("`benches/interleave.py` runs `hyperfine -N -i --runs 1` once per round with every command of a "
      "comparison, the order rotating, and merges the rounds into one hyperfine-shaped JSON: a machine "
      "that drifts during the run then slows every command alike, where hyperfine alone runs all of one "
      "command's runs before the next's. `-i`: dossier exits 1 when a bundle fails, as 15 % of these do. Raw results: "
      f"`{R}/` (hyperfine JSON exports, RSS in KiB) and `target/criterion/`.")

    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")

    print(f"\n{'SMOKE RUN — ' if smoke else ''}dossier benchmark, N = {a.n:,}, N_BIG = {a.n_big:,}")
    print(f"  one bundle: dossier {seconds(t_one)}, floor {seconds(t_one_floor)}")
    for j in threads:
        print(f"  batch {j} thread(s): {seconds(t_batch[j])} ({rate(rates[j])})")
    print(f"  floor: {seconds(t_bfloor)} ({rate(rfloor)})")
    print(f"  max RSS: {rss_batch} KiB at {a.n:,}, {rss_big} KiB at {a.n_big:,}")
    for line in summary:
        print("  " + line)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
