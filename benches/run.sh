#!/usr/bin/env bash
# The whole-process benchmark of issues 6 and 16: builds dossier and the
# floor program, generates bundles, measures, and writes docs/performance.md.
#
#   benches/run.sh                 # full run: N=10000, N_BIG=100000
#   N=300 N_BIG=1000 benches/run.sh   # smoke run
#   JOBS="1 2 4 8 16" benches/run.sh  # the scaling curve on a larger machine
#
# Settings (environment variables, defaults in brackets):
#   N [10000]        bundles in the batch corpus (attachments of KB KiB)
#   N_BIG [100000]   bundles in the memory corpus (attachments of KB_BIG KiB)
#   KB [60]          mean attachment size of the batch corpus, KiB
#   KB_BIG [2]       mean attachment size of the memory corpus, KiB (bounds disk use)
#   SEED [6]         generator seed
#   JOBS ["1 2"]     thread counts of the batch runs (`--jobs`), one timed
#                    command each; 1 is always included (the ratios need it)
#   RUNS_ONE [30]    runs of each one-bundle command (after 5 warm-up rounds)
#   RUNS [5]         runs of each batch command (after 1 warm-up round)
#   OUT [docs/performance.md]   the document written
#   BENCH_DIR [target/bench]    corpora and raw results (corpora are reused)
#   SKIP_CRITERION [0]          1: keep the previous criterion results
#
# Commands compared with each other run interleaved (benches/interleave.py:
# one hyperfine run of each per round, the order rotating), so a machine that
# drifts during the run moves them alike and their ratios hold.
#
# Needs: cargo, python3, hyperfine, GNU time (/usr/bin/time). Installs nothing.
# Measurements are warm-cache: every corpus is read once (and its verdicts
# checked against the generator's expectations) before anything is timed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

N=${N:-10000}
N_BIG=${N_BIG:-100000}
KB=${KB:-60}
KB_BIG=${KB_BIG:-2}
SEED=${SEED:-6}
JOBS=${JOBS:-1 2}
RUNS_ONE=${RUNS_ONE:-30}
RUNS=${RUNS:-5}
OUT=${OUT:-docs/performance.md}
BENCH_DIR=${BENCH_DIR:-target/bench}
SKIP_CRITERION=${SKIP_CRITERION:-0}

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------- tools
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then missing+=(time); fi
command -v python3 >/dev/null || missing+=(python3)
command -v cargo >/dev/null || die "cargo not found"
if ((${#missing[@]})); then
    printf 'run.sh: missing %s; install with:\n  sudo apt-get install %s\n' \
        "${missing[*]}" "${missing[*]}" >&2
    exit 2
fi
for v in N N_BIG KB KB_BIG SEED RUNS_ONE RUNS; do
    [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 ]] || die "$v must be a positive integer (got '${!v}')"
done
THREADS=(1)
for j in $JOBS; do
    [[ $j =~ ^[0-9]+$ && $j -ge 1 ]] || die "JOBS must list positive integers (got '$JOBS')"
    [[ " ${THREADS[*]} " == *" $j "* ]] || THREADS+=("$j")
done

[[ $BENCH_DIR != *[[:space:]]* ]] || die "BENCH_DIR must not contain spaces"

RESULTS="$BENCH_DIR/results"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/*.txt "$RESULTS"/*.tsv
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/loadavg-start.txt" 2>/dev/null || true

# ---------------------------------------------------------------- build
say "building (cargo build --release --bins --benches)"
cargo build --release --bins --benches --message-format=json-render-diagnostics \
    >"$RESULTS/build.jsonl"
bench_executable() { # target name -> its executable, from the cargo output
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    v = json.loads(line)
    if v.get("reason") == "compiler-artifact" and v["target"]["name"] == sys.argv[2] and v.get("executable"):
        print(v["executable"])
' "$RESULTS/build.jsonl" "$1" | tail -1
}
FLOOR=$(bench_executable floor)
ZIP_FLOOR=$(bench_executable zip_floor)
DOSSIER="$ROOT/target/release/dossier"
[[ -x $FLOOR ]] || die "floor executable not found in the cargo output"
[[ -x $ZIP_FLOOR ]] || die "zip_floor executable not found in the cargo output"
[[ -x $DOSSIER ]] || die "$DOSSIER not built"
FLOOR_REL=${FLOOR#"$ROOT"/}
ZIP_FLOOR_REL=${ZIP_FLOOR#"$ROOT"/}
DOSSIER_REL=${DOSSIER#"$ROOT"/}

# ---------------------------------------------------------------- corpora
corpus() { # n kb -> directory (generated unless a complete one is there)
    local n=$1 kb=$2 dir="$BENCH_DIR/n$1-kb$2-s$SEED"
    local made_by=""
    [[ -f $dir/generator.json ]] && made_by=$(python3 -c \
        'import json, sys; print(json.load(open(sys.argv[1])).get("generator_sha256", ""))' \
        "$dir/generator.json")
    if [[ $made_by != "$(sha256sum benches/generate.py | cut -d' ' -f1)" ]]; then
        [[ -e $dir ]] && say "$dir is incomplete or from another generate.py; regenerating"
        rm -rf "$dir"
        say "generating $n bundles, attachments ~$kb KiB, into $dir"
        python3 benches/generate.py generate "$n" "$dir" --seed "$SEED" --attachment-kb "$kb" >&2
    else
        say "reusing $dir"
    fi
    echo "$dir"
}
verify() { # dir name: judge once (warms the page cache) and compare with the expectations
    local dir=$1 name=$2
    "$DOSSIER" check "$dir" --format jsonl --output "$RESULTS/report-$name.jsonl" 2>/dev/null || true
    python3 benches/generate.py verify "$dir" "$RESULTS/report-$name.jsonl" \
        | tee "$RESULTS/verify-$name.txt" >&2 || true
    rm -f "$RESULTS/report-$name.jsonl"
}
zipped() { # dir -> the same bundles as zips (made unless complete and newer)
    local dir=$1 out="$1-zip"
    if [[ ! -f $out/expected.tsv || $out/expected.tsv -ot $dir/generator.json ]]; then
        rm -rf "$out"
        say "zipping every bundle of $dir into $out"
        python3 benches/generate.py zip "$dir" "$out" >&2
    else
        say "reusing $out"
    fi
    echo "$out"
}
DIR=$(corpus "$N" "$KB")
DIR_BIG=$(corpus "$N_BIG" "$KB_BIG")
DIR_ZIP=$(zipped "$DIR")
ONE="$DIR/$(sed -n 2p "$DIR/expected.tsv" | cut -f1)" # b000001: passing, open, two employees
say "checking the corpora are judged as generated"
verify "$DIR" batch
verify "$DIR_BIG" big
verify "$DIR_ZIP" zip
du -sk "$DIR" | cut -f1 >"$RESULTS/du-batch.txt"
du -sk "$DIR_ZIP" | cut -f1 >"$RESULTS/du-zip.txt"
du -sk "$DIR_BIG" | cut -f1 >"$RESULTS/du-big.txt"

# The exact commands, as run (hyperfine sends standard output to /dev/null).
CMD_ONE="$DOSSIER_REL check $ONE --format json"
CMD_ONE_FLOOR="$FLOOR_REL $ONE"
CMD_START="$DOSSIER_REL --version"
batch_command() { echo "$DOSSIER_REL check $DIR --format jsonl --jobs $1"; }
CMD_BFLOOR="$FLOOR_REL $DIR"
CMD_ZIP_FOLDERS="$DOSSIER_REL check $DIR --format jsonl --jobs 1"
CMD_ZIP_ZIPS="$DOSSIER_REL check $DIR_ZIP --format jsonl --jobs 1"
CMD_ZIP_FLOOR="$ZIP_FLOOR_REL $DIR_ZIP --passes 3"
CMD_RSS="$DOSSIER_REL check $DIR --format jsonl"
CMD_RSS_BIG="$DOSSIER_REL check $DIR_BIG --format jsonl"
CMD_CRITERION="DOSSIER_BENCH_BUNDLE=$ONE DOSSIER_BENCH_CORPUS=$DIR cargo bench --bench engine"
{
    printf 'one\t%s\n' "$CMD_ONE"
    printf 'one_floor\t%s\n' "$CMD_ONE_FLOOR"
    printf 'start\t%s\n' "$CMD_START"
    for j in "${THREADS[@]}"; do printf 'batch_%s\t%s\n' "$j" "$(batch_command "$j")"; done
    printf 'batch_floor\t%s\n' "$CMD_BFLOOR"
    printf 'zip_folders\t%s\n' "$CMD_ZIP_FOLDERS"
    printf 'zip_zips\t%s\n' "$CMD_ZIP_ZIPS"
    printf 'zip_floor\t%s\n' "$CMD_ZIP_FLOOR"
    printf 'rss\t%s > /dev/null\n' "$CMD_RSS"
    printf 'rss_big\t%s > /dev/null\n' "$CMD_RSS_BIG"
    printf 'criterion\t%s\n' "$CMD_CRITERION"
} >"$RESULTS/commands.tsv"

# ---------------------------------------------------------------- 1. one bundle
# The third command is dossier starting and exiting with nothing to judge:
# what the process costs before any rule is loaded or any bundle read.
say "one bundle: dossier vs the floor, and dossier's start alone ($RUNS_ONE runs)"
python3 benches/interleave.py --warmup 5 --rounds "$RUNS_ONE" \
    --export-json "$RESULTS/one.json" \
    -n dossier "$CMD_ONE" -n floor "$CMD_ONE_FLOOR" -n start "$CMD_START"

# ---------------------------------------------------------------- 2. batch
say "batch of $N: --jobs ${THREADS[*]}, the floor ($RUNS runs)"
batch_runs=()
for j in "${THREADS[@]}"; do batch_runs+=(-n "jobs$j" "$(batch_command "$j")"); done
python3 benches/interleave.py --warmup 1 --rounds "$RUNS" \
    --export-json "$RESULTS/batch.json" \
    "${batch_runs[@]}" -n floor "$CMD_BFLOOR"

# ---------------------------------------------------------------- 2b. archives
say "the batch as folders and as zips, 1 thread, interleaved ($RUNS runs)"
python3 benches/interleave.py --warmup 1 --rounds "$RUNS" \
    --export-json "$RESULTS/zip.json" \
    -n folders "$CMD_ZIP_FOLDERS" -n zips "$CMD_ZIP_ZIPS"

say "the zip floor: reading and inflating every entry of $DIR_ZIP, nothing else"
$CMD_ZIP_FLOOR 2>"$RESULTS/zip-floor.txt"
cat "$RESULTS/zip-floor.txt" >&2

# ---------------------------------------------------------------- 3. memory
say "peak memory (max RSS) for $N and $N_BIG bundles"
rss() { # name command...
    local name=$1
    shift
    /usr/bin/time -f %M -o "$RESULTS/rss-$name.txt" "$@" >/dev/null 2>/dev/null || true
    echo "  $name: $(tail -1 "$RESULTS/rss-$name.txt") KiB" >&2
}
rss batch $CMD_RSS
rss big $CMD_RSS_BIG
rss floor-big "$FLOOR" "$DIR_BIG"

# ---------------------------------------------------------------- 4. phases
if [[ $SKIP_CRITERION != 1 ]]; then
    say "where the time goes: cargo bench --bench engine (criterion) on $ONE"
    rm -rf target/criterion
    DOSSIER_BENCH_BUNDLE="$ONE" DOSSIER_BENCH_CORPUS="$DIR" cargo bench --bench engine >&2
fi

# ---------------------------------------------------------------- 5. report
say "writing $OUT"
python3 benches/report.py --results "$RESULTS" --out "$OUT" \
    --n "$N" --n-big "$N_BIG" --kb "$KB" --kb-big "$KB_BIG" --seed "$SEED" --jobs "${THREADS[*]}" \
    --batch-dir "$DIR" --big-dir "$DIR_BIG" --one "$ONE" \
    --runs-one "$RUNS_ONE" --runs "$RUNS"
