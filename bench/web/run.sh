#!/usr/bin/env bash
# bench/web — the web UI's budgets (issue #5) in Debian's Chromium against a real server:
#   main-route JS gzipped <= 250 KB; first meaningful paint on loopback < 1 s (sign-in,
#   projects, the grid of a 10,000,000-row dataset; cold cache); scrolling that grid never
#   shows blank rows for more than 200 ms (wheel, PageDown, jumps, scrollbar drags).
# The work is done by bench/web/bench.mjs (playwright-core from tests/e2e/node_modules);
# this script checks the prerequisites, makes the 10M-row Parquet file once (cached in
# bench/out/data/, written by DuckDB through bench/web/make_parquet.c) and builds web/dist
# when it is missing.  Figures go to bench/out/web.json.  See bench/README.md.
#
# Environment:
#   BENCH_WEB_ROWS        rows of the dataset (default 10000000)
#   BENCH_WEB_RUNS        cold loads per page for the paint figures (default 5)
#   BENCH_DATA_DIR        where the generated Parquet file is kept (default bench/out/data)
#   BENCH_OUT_DIR         where web.json goes (default bench/out)
#   BENCH_WEB_QUICK       1: fewer, shorter scroll patterns (development)
#   BENCH_ENFORCE_TARGET  1: exit 3 when a budget is missed
#   DATAMORPH_BIN, CHROMIUM_PATH (default /usr/bin/chromium)
# Exit status: 0 when everything was measured cleanly; 1 when a figure could not be
# measured or a check failed (wrong rows after a jump, page errors...); budgets are
# reported, not enforced, unless BENCH_ENFORCE_TARGET=1.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${BENCH_WEB_ROWS:-10000000}"
OUT_DIR="${BENCH_OUT_DIR:-$ROOT/bench/out}"
DATA_DIR="${BENCH_DATA_DIR:-$OUT_DIR/data}"
DATAMORPH_BIN="${DATAMORPH_BIN:-$ROOT/build/datamorph}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
DUCKDB_NPM="$ROOT/third_party/duckdb/node_modules"
DUCKDB_LIB_DIR="$DUCKDB_NPM/@duckdb/node-bindings-linux-x64"
DUCKDB_INCLUDE_DIR="$DUCKDB_NPM/duckdb/src/duckdb/src/include"

say() { printf '[bench/web] %s\n' "$*" >&2; }

[[ -x "$DATAMORPH_BIN" ]] || { say "missing $DATAMORPH_BIN (build first)"; exit 2; }
command -v node >/dev/null || { say "missing node"; exit 2; }
[[ -x "$CHROMIUM" ]] || { say "missing $CHROMIUM (Debian package: chromium)"; exit 2; }
[[ -d "$ROOT/tests/e2e/node_modules/playwright-core" ]] || {
  say "missing tests/e2e/node_modules/playwright-core (cd tests/e2e && npm ci --ignore-scripts)"; exit 2; }

if [[ ! -f "$ROOT/web/dist/index.html" || ! -f "$ROOT/web/dist/.vite/manifest.json" ]]; then
  say "web/dist missing: building the web UI (npm --prefix web run build)"
  npm --prefix "$ROOT/web" run build >&2 || { say "web build failed"; exit 1; }
fi

# The dataset: ids 1..ROWS in row order plus mixed types, written by DuckDB (seconds), kept.
PARQUET="$DATA_DIR/web_$ROWS.parquet"
if [[ ! -s "$PARQUET" || "$HERE/make_parquet.c" -nt "$PARQUET" ]]; then
  command -v cc >/dev/null || { say "no C compiler (cc) to build the dataset generator"; exit 2; }
  [[ -f "$DUCKDB_LIB_DIR/libduckdb.so" && -f "$DUCKDB_INCLUDE_DIR/duckdb.h" ]] || {
    say "DuckDB library/header missing under third_party/duckdb (run scripts/setup.sh)"; exit 2; }
  GEN="$(mktemp -d "${TMPDIR:-/tmp}/datamorph-bench-web-gen.XXXXXX")"
  cc -O2 -o "$GEN/make_parquet" "$HERE/make_parquet.c" -I "$DUCKDB_INCLUDE_DIR" -L "$DUCKDB_LIB_DIR" -lduckdb \
    -Wl,-rpath,"$DUCKDB_LIB_DIR" || { say "could not compile make_parquet.c"; exit 1; }
  mkdir -p "$DATA_DIR"
  say "generating $PARQUET ($ROWS rows)"
  start=$SECONDS
  "$GEN/make_parquet" "$PARQUET.tmp" "$ROWS" && mv "$PARQUET.tmp" "$PARQUET" || {
    rm -f "$PARQUET.tmp"; rm -rf "$GEN"; say "make_parquet failed"; exit 1; }
  rm -rf "$GEN"
  say "generated $(du -h "$PARQUET" | cut -f1) in $((SECONDS - start))s"
fi

BENCH_WEB_PARQUET="$PARQUET" BENCH_WEB_ROWS="$ROWS" BENCH_OUT_DIR="$OUT_DIR" DATAMORPH_BIN="$DATAMORPH_BIN" \
  CHROMIUM_PATH="$CHROMIUM" exec node "$HERE/bench.mjs"
