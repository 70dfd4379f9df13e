#!/usr/bin/env bash
# Load benchmark of `dossier serve` (issue 12): zips of the benchmark
# corpus posted to POST /v1/check by wrk, at concurrency 1 and 2 × cores,
# beside the CLI's batch rate on the same bundles. Prints a Markdown
# section (for docs/performance.md) on stdout; progress on stderr.
#
#   benches/serve.sh                      # N=1000, DURATION=30
#   N=200 DURATION=5 benches/serve.sh     # smoke run
#
# Settings: N [1000] bundles, KB [8] mean attachment KiB, SEED [12],
# DURATION [30] seconds per load run, SOAK [100000] requests of the memory
# run (0 skips it), BENCH_DIR [target/bench].
# Needs python3 and wrk (installed with apt-get when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000}
KB=${KB:-8}
SEED=${SEED:-12}
DURATION=${DURATION:-30}
SOAK=${SOAK:-100000}
BENCH_DIR=${BENCH_DIR:-target/bench}
CORES=$(nproc)
say() { printf '== %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
    if [[ $(id -u) == 0 ]]; then
        say "installing wrk"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else
        echo "serve.sh: wrk missing; sudo apt-get install wrk" >&2
        exit 2
    fi
fi

say "building (cargo build --release --locked)"
cargo build --release --locked --quiet
DOSSIER=target/release/dossier

DIR="$BENCH_DIR/serve-n$N-kb$KB-s$SEED"
if [[ ! -f $DIR/expected.tsv ]]; then
    say "generating $N bundles into $DIR"
    rm -rf "$DIR"
    python3 benches/generate.py generate "$N" "$DIR" --seed "$SEED" --attachment-kb "$KB" >&2
fi
ZIPS="$DIR.zips"
if [[ ! -f $ZIPS/list.txt ]]; then
    say "zipping every bundle into $ZIPS (Python's zipfile)"
    rm -rf "$ZIPS"
    python3 - "$DIR" "$ZIPS" <<'PY'
import pathlib, sys, zipfile
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
target.mkdir(parents=True)
names = []
for bundle in sorted(p for p in source.iterdir() if p.is_dir()):
    out = target / f"{bundle.name}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(bundle).as_posix())
    names.append(str(out.resolve()))
(target / "list.txt").write_text("\n".join(names) + "\n")
PY
fi
COUNT=$(wc -l <"$ZIPS/list.txt")

say "CLI batch rate on the same bundles (3 runs, median)"
CLI_CMD="$DOSSIER check $DIR --format jsonl --jobs $CORES"
cli_times=()
for _ in 1 2 3; do
    start=$(date +%s.%N)
    $CLI_CMD >/dev/null || true
    end=$(date +%s.%N)
    cli_times+=("$(python3 -c "print($end - $start)")")
done
CLI_SECONDS=$(printf '%s\n' "${cli_times[@]}" | sort -g | sed -n 2p)
CLI_RATE=$(python3 -c "print(round($COUNT / $CLI_SECONDS))")

# The same bundles as the zips the service receives: both then inflate
# every entry and check its CRC, where a folder's attachments are sniffed.
say "CLI batch rate on the same zips (3 runs, median)"
CLI_ZIP_CMD="$DOSSIER check $ZIPS --format jsonl --jobs $CORES"
cli_times=()
for _ in 1 2 3; do
    start=$(date +%s.%N)
    $CLI_ZIP_CMD >/dev/null || true
    end=$(date +%s.%N)
    cli_times+=("$(python3 -c "print($end - $start)")")
done
CLI_ZIP_SECONDS=$(printf '%s\n' "${cli_times[@]}" | sort -g | sed -n 2p)
CLI_ZIP_RATE=$(python3 -c "print(round($COUNT / $CLI_ZIP_SECONDS))")

PORT=$((20000 + RANDOM % 20000))
LOG=$(mktemp)
$DOSSIER serve --listen "127.0.0.1:$PORT" --max-in-flight $((4 * CORES)) 2>"$LOG" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG" "$LUA"' EXIT
for _ in $(seq 100); do grep -q '"listening"' "$LOG" && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/v1/check?format=json"
LUA=$(mktemp --suffix=.lua)
cat >"$LUA" <<LUA
-- Posts the corpus's zips in turn, each thread from its own offset.
local bodies = {}
local index = 0
function init(args)
  for path in io.lines("$ZIPS/list.txt") do
    local file = io.open(path, "rb")
    bodies[#bodies + 1] = file:read("*a")
    file:close()
  end
  index = math.random(#bodies)
end
function request()
  index = index % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/zip" }, bodies[index])
end
LUA

say "checking the first 50 verdicts through the service"
python3 - "$DIR" "$ZIPS" "$URL" <<'PY'
import csv, pathlib, sys, urllib.request
source, zips, url = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(source / "expected.tsv"), delimiter="\t"))[:50]
for row in rows:
    name = row.get("bundle") or next(iter(row.values()))
    body = (zips / f"{name}.zip").read_bytes()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/zip"})
    with urllib.request.urlopen(request) as response:
        verdict = response.headers["Dossier-Verdict"]
        # Timing a service that judges wrongly would measure nothing.
        assert verdict == row["verdict"], f"{name}: {verdict}, generated as {row['verdict']}"
PY

rss() { ps -o rss= -p "$SERVER" | tr -d ' '; }
RSS_BEFORE=$(rss)
run() { # connections threads
    wrk -t"$2" -c"$1" -d"${DURATION}s" --latency -s "$LUA" "$URL"
}
say "wrk, concurrency 1, ${DURATION}s"
ONE=$(run 1 1)
say "wrk, concurrency $((2 * CORES)), ${DURATION}s"
MANY=$(run $((2 * CORES)) "$CORES")
RSS_AFTER=$(rss)

# Memory over many requests: 10-second wrk runs at concurrency 2 × cores
# until SOAK requests are answered, the service's RSS read after each.
SOAK_ROWS=""
SOAK_DONE=0
SOAK_ERRORS=0
if ((SOAK > 0)); then
    say "memory run: $SOAK requests at concurrency $((2 * CORES))"
    while ((SOAK_DONE < SOAK)); do
        out=$(wrk -t"$CORES" -c$((2 * CORES)) -d10s -s "$LUA" "$URL")
        done_now=$(grep -oE '^ +[0-9]+ requests in' <<<"$out" | grep -oE '[0-9]+' | head -1)
        errors_now=$(grep -oE 'Non-2xx or 3xx responses: +[0-9]+' <<<"$out" | grep -oE '[0-9]+$' || true)
        SOAK_DONE=$((SOAK_DONE + ${done_now:-0}))
        SOAK_ERRORS=$((SOAK_ERRORS + ${errors_now:-0}))
        SOAK_ROWS+="| $SOAK_DONE | $(($(rss) / 1024)) |"$'\n'
        ((${done_now:-0} > 0)) || { say "memory run: no requests answered"; break; }
    done
fi
field() { # output label -> value
    python3 - "$1" "$2" <<'PY'
import re, sys
text, label = sys.argv[1], sys.argv[2]
patterns = {
    "rate": r"Requests/sec:\s+([\d.]+)",
    "p50": r"\s50%\s+([\d.]+\w+)",
    "p99": r"\s99%\s+([\d.]+\w+)",
    "errors": r"Non-2xx or 3xx responses:\s+(\d+)",
    "requests": r"(\d+) requests in",
}
match = re.search(patterns[label], text)
print(match.group(1) if match else "0")
PY
}
ratio() { python3 -c "print(f'{$1 / $2 * 100:.0f} %')"; }

cat <<MD
## dossier serve

Measured by \`benches/serve.sh\` (N=$N, KB=$KB, DURATION=$DURATION) on $(date -u '+%Y-%m-%d %H:%M UTC'), $CORES cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg). Load generator: wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2), posting the $COUNT bundles of the corpus as zips (made with Python's zipfile) to \`POST /v1/check?format=json\` in turn, over keep-alive connections on loopback. The CLI rates are the median of 3 runs of \`$CLI_CMD\` on the same bundles as folders, and of \`$CLI_ZIP_CMD\` on the zips the service receives.

| measure | concurrency 1 | concurrency $((2 * CORES)) |
| --- | --- | --- |
| bundles/s | $(field "$ONE" rate) | $(field "$MANY" rate) |
| p50 latency | $(field "$ONE" p50) | $(field "$MANY" p50) |
| p99 latency | $(field "$ONE" p99) | $(field "$MANY" p99) |
| requests (errors) | $(field "$ONE" requests) ($(field "$ONE" errors)) | $(field "$MANY" requests) ($(field "$MANY" errors)) |
| vs the CLI's batch rate ($CLI_RATE bundles/s) | $(ratio "$(field "$ONE" rate)" "$CLI_RATE") | $(ratio "$(field "$MANY" rate)" "$CLI_RATE") |
| vs the CLI's batch rate on the zips ($CLI_ZIP_RATE bundles/s) | $(ratio "$(field "$ONE" rate)" "$CLI_ZIP_RATE") | $(ratio "$(field "$MANY" rate)" "$CLI_ZIP_RATE") |

Service memory (RSS): $((RSS_BEFORE / 1024)) MiB before the load runs, $((RSS_AFTER / 1024)) MiB after.
MD
if ((SOAK > 0)); then
    cat <<MD

Memory over $SOAK_DONE requests (10-second wrk runs at concurrency $((2 * CORES)) after the runs above; $SOAK_ERRORS error responses): the service's RSS after each run.

| requests answered | RSS, MiB |
| --- | --- |
${SOAK_ROWS}
MD
fi
