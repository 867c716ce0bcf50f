#!/usr/bin/env bash
# bench/profile/passes.sh [ROWS] — where the profiler's time goes, pass by pass, on the
# bench/ingest mixed CSV (bench/data/make_csv.py). Not part of run.sh.
#
# Converts the CSV to Parquet with `datamorph convert` (as the ingest does), then profiles the
# Parquet file with DM_PROFILE_TRACE=1, which makes src/engine/profiler.cpp print when each
# pass ends, in wall time and in process CPU time (user + system of all threads; the CPU
# figure is the one to compare on a busy machine). The passes are listed at the top of
# profiler.cpp. Ad-hoc SQL can be timed the same way with bench/profile/sql_timer.c.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${1:-1000000}"
DATA_DIR="${BENCH_DATA_DIR:-$ROOT/bench/out/data}"
BIN="${DATAMORPH_BIN:-$ROOT/build/datamorph}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/datamorph-bench-passes.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

CSV="$DATA_DIR/mixed_$ROWS.csv"
if [[ ! -s "$CSV" ]]; then
  mkdir -p "$DATA_DIR"; /usr/bin/python3 "$ROOT/bench/data/make_csv.py" "$ROWS" "$CSV" || exit 1
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$EPOCHREALTIME
"$BIN" convert "$CSV" "$WORK/x.parquet" >/dev/null || exit 1
echo "convert csv->parquet: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}') s"
DM_PROFILE_TRACE=1 "$BIN" profile "$WORK/x.parquet" --format json 2>&1 >/dev/null | grep '^profile:'
