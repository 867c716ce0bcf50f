#!/usr/bin/env bash
# bench/clean — the 5-operation cleaning recipe (bench/clean/recipe.json: fill_missing,
# trim_whitespace, normalize_categories, parse_numbers, deduplicate) on the ingestion
# benchmark's CSV (bench/data/make_csv.py), three ways, one after the other in this run:
#   1. DataMorph: `datamorph clean DIRTY.parquet --recipe recipe.json -o out.parquet`; the
#      figure is engine::clean::Apply alone (the CLI prints "applied in X s"): computing the
#      median, the one COPY ... TO parquet (zstd) with per-operation counts, reading the
#      output schema. Process start and opening DuckDB are not counted.
#   2. DuckDB: the SQL DataMorph compiled for that data (`datamorph clean --print-sql`), run
#      by bench/clean/duckdb_sql.c against the same libduckdb.so as
#      COPY (<sql>) TO 'out.parquet' (FORMAT parquet, COMPRESSION zstd), timing the COPY, with
#      the settings DataMorph's engine uses (memory_limit 2GB, the CLI's default; so both may
#      spill alike on big inputs).
#   3. pandas (Debian's python3-pandas): bench/clean/pandas_clean.py, the same five steps plus
#      writing the result with to_pickle; reading the input is not timed (it reads a CSV
#      export of the same data: without pyarrow pandas cannot read Parquet).
# The input ("DIRTY.parquet") is the CSV ingested by `datamorph convert` and made dirty by
# bench/clean/dirty.sql.in (padded categories, lower-case country codes, an `amount` text
# column like "$1,234.50" / "3.5 kg", 2% duplicate rows) so every step has work to do. Inputs
# are generated once and kept in BENCH_DATA_DIR. Figures go to bench/out/clean.json.
#
# Environment:
#   BENCH_CLEAN_ROWS   rows of the CSV (default 1000000)
#   BENCH_FULL         1: also the 10,000,000-row CSV
#   BENCH_DATA_DIR     generated inputs (default bench/out/data)
#   BENCH_OUT_DIR      where clean.json goes (default bench/out)
#   BENCH_SKIP_PANDAS  1: do not run pandas
#   DATAMORPH_BIN      default build/datamorph
#   PEER_PYTHON        interpreter with pandas (default /usr/bin/python3)
#   BENCH_CLEAN_MEMORY_LIMIT  DuckDB memory_limit for the DuckDB run (default 2GB, as
#                      engine::EngineOptions; the datamorph CLI always uses that default, so
#                      another value makes the comparison unfair: the report says so). Both
#                      sides use DuckDB's default thread count and preserve_insertion_order.
# Targets (reported; enforced only with BENCH_ENFORCE_TARGET=1): ours <= 1.3x DuckDB running
# the same SQL, and >= 3x faster than pandas.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${BENCH_CLEAN_ROWS:-1000000}"
FULL="${BENCH_FULL:-0}"
OUT_DIR="${BENCH_OUT_DIR:-$ROOT/bench/out}"
DATA_DIR="${BENCH_DATA_DIR:-$OUT_DIR/data}"
DATAMORPH_BIN="${DATAMORPH_BIN:-$ROOT/build/datamorph}"
PY="${PEER_PYTHON:-/usr/bin/python3}"
DUCKDB_NPM="$ROOT/third_party/duckdb/node_modules"
DUCKDB_LIB_DIR="$DUCKDB_NPM/@duckdb/node-bindings-linux-x64"
DUCKDB_INCLUDE_DIR="$DUCKDB_NPM/duckdb/src/duckdb/src/include"
RECIPE="$HERE/recipe.json"
MEMORY_LIMIT="${BENCH_CLEAN_MEMORY_LIMIT:-2GB}"
OURS_MEMORY_LIMIT=2GB  # engine::EngineOptions' default, which `datamorph clean` uses
TARGET_RATIO=1.3
TARGET_PANDAS=3

WORK="$(mktemp -d "${TMPDIR:-/tmp}/datamorph-bench-clean.XXXXXX")"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
: > "$WORK/idle.tsv"
FAILED=0
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

say() { printf '[bench/clean] %s\n' "$*" >&2; }
[[ -x "$PY" ]] || { say "missing $PY (Debian's python3)"; exit 2; }
[[ -x "$DATAMORPH_BIN" ]] || { say "datamorph binary not found at $DATAMORPH_BIN — build it first"; exit 2; }

record() {  # record ROWS TOOL JSON
  "$PY" - "$1" "$2" "$3" >>"$RESULTS" <<'PYEOF'
import json, sys
try:
    d = json.loads(sys.argv[3]) if sys.argv[3].strip() else {}
except ValueError:
    d = {"status": "unparsed", "raw": sys.argv[3][:500]}
d.setdefault("status", "ok")
print(json.dumps({"rows_in": int(sys.argv[1]), "tool": sys.argv[2], **d}))
PYEOF
}

idle_pct() {
  local a b
  read -ra a </proc/stat; sleep 1; read -ra b </proc/stat
  awk -v u1="${a[1]}" -v n1="${a[2]}" -v s1="${a[3]}" -v i1="${a[4]}" -v w1="${a[5]}" \
      -v u2="${b[1]}" -v n2="${b[2]}" -v s2="${b[3]}" -v i2="${b[4]}" -v w2="${b[5]}" \
      'BEGIN{ t=(u2+n2+s2+i2+w2)-(u1+n1+s1+i1+w1); if (t<=0) {print 100; exit}; printf "%.0f", 100*((i2+w2)-(i1+w1))/t }'
}
check_quiet() {  # check_quiet LABEL
  local idle; idle="$(idle_pct)"
  printf '%s\t%s\n' "$1" "$idle" >>"$WORK/idle.tsv"
  (( idle < 85 )) && say "WARNING: only ${idle}% CPU idle before measuring $1 — figures are skewed by other work"
  return 0
}

# Build the SQL runner against the server's libduckdb.
if ! cc -O2 -o "$WORK/duckdb_sql" "$HERE/duckdb_sql.c" -I "$DUCKDB_INCLUDE_DIR" -L "$DUCKDB_LIB_DIR" -lduckdb \
     -Wl,-rpath,"$DUCKDB_LIB_DIR" 2>"$WORK/cc.err"; then
  say "compiling bench/clean/duckdb_sql.c failed: $(head -c 600 "$WORK/cc.err")"; exit 2
fi
quote() { printf "'%s'" "${1//\'/\'\'}"; }

prepare() {  # prepare ROWS -> prints the dirty Parquet path (and leaves the CSV export beside it)
  local rows="$1" csv="$DATA_DIR/mixed_$1.csv" clean="$DATA_DIR/clean_input_$1.parquet"
  local dirty="$DATA_DIR/clean_dirty_$1.parquet" dirty_csv="$DATA_DIR/clean_dirty_$1.csv"
  mkdir -p "$DATA_DIR"
  if [[ ! -s "$csv" || "$ROOT/bench/data/make_csv.py" -nt "$csv" ]]; then
    say "generating $csv ($rows rows)"
    "$PY" "$ROOT/bench/data/make_csv.py" "$rows" "$csv.tmp" && mv "$csv.tmp" "$csv" || { rm -f "$csv.tmp"; return 1; }
  fi
  if [[ ! -s "$clean" || "$csv" -nt "$clean" ]]; then
    say "ingesting $(basename "$csv") with datamorph convert"
    "$DATAMORPH_BIN" convert "$csv" "$clean.tmp.parquet" >&2 && mv "$clean.tmp.parquet" "$clean" || return 1
  fi
  if [[ ! -s "$dirty" || "$clean" -nt "$dirty" || "$HERE/dirty.sql.in" -nt "$dirty" ]]; then
    say "making it dirty (bench/clean/dirty.sql.in)"
    sed -e "s|@IN@|$(quote "$clean")|g" -e "s|@OUT@|$(quote "$dirty.tmp")|g" "$HERE/dirty.sql.in" >"$WORK/dirty.sql"
    "$WORK/duckdb_sql" "$WORK/dirty.sql" >/dev/null 2>"$WORK/dirty.err" && mv "$dirty.tmp" "$dirty" ||
      { say "dirty.sql failed: $(head -c 600 "$WORK/dirty.err")"; return 1; }
    rm -f "$dirty_csv"
  fi
  if [[ "${BENCH_SKIP_PANDAS:-0}" != 1 && ( ! -s "$dirty_csv" || "$dirty" -nt "$dirty_csv" ) ]]; then
    printf 'COPY (SELECT * FROM read_parquet(%s)) TO %s (FORMAT csv, HEADER true);\n' "$(quote "$dirty")" \
      "$(quote "$dirty_csv.tmp")" >"$WORK/export.sql"
    "$WORK/duckdb_sql" "$WORK/export.sql" >/dev/null 2>&1 && mv "$dirty_csv.tmp" "$dirty_csv" || return 1
  fi
  echo "$dirty"
}

run_size() {  # run_size ROWS
  local rows="$1" dirty out
  dirty="$(prepare "$rows")" || { say "could not prepare the $rows-row input"; FAILED=1; return; }
  say "=== $rows CSV rows: $(basename "$dirty") ($(du -h "$dirty" | cut -f1)) ==="

  # 1. DataMorph
  check_quiet "datamorph $rows"
  rm -f "$WORK/ours.parquet"
  if "$DATAMORPH_BIN" clean "$dirty" --recipe "$RECIPE" -o "$WORK/ours.parquet" 2>"$WORK/ours.err"; then
    out="$("$PY" - "$WORK/ours.err" <<'PYEOF'
import json, re, sys
text = open(sys.argv[1]).read()
m = re.search(r"\((\d+) of (\d+) rows, \d+ columns; applied in ([0-9.]+) s\)", text)
ops = [dict(zip(("index", "type", "affected_rows", "rows_before", "rows_after"),
                (int(a), b, int(c), int(d), int(e))))
       for a, b, c, d, e in re.findall(r"^  (\d+) (\w+): (\d+) rows affected, (\d+) -> (\d+) rows", text, re.M)]
print(json.dumps({"seconds": float(m.group(3)), "rows": int(m.group(1)), "rows_before": int(m.group(2)),
                  "operations": ops} if m else {"status": "unparsed"}))
PYEOF
)"
    record "$rows" datamorph "$out"; say "datamorph: $out"
  else
    say "datamorph clean failed: $(tail -c 600 "$WORK/ours.err")"; record "$rows" datamorph '{"status":"failed"}'; FAILED=1
  fi

  # 2. DuckDB running the same SQL
  check_quiet "duckdb $rows"
  if "$DATAMORPH_BIN" clean "$dirty" --recipe "$RECIPE" --print-sql >"$WORK/plan.sql" 2>"$WORK/plan.err"; then
    { echo "COPY ("; sed 's/;[[:space:]]*$//' "$WORK/plan.sql"; echo ") TO $(quote "$WORK/duckdb.parquet") (FORMAT parquet, COMPRESSION zstd);"; } \
      >"$WORK/copy.sql"
    cp "$WORK/copy.sql" "$OUT_DIR/clean_sql_$rows.sql" 2>/dev/null || true
    echo "SET memory_limit = '$MEMORY_LIMIT';" >"$WORK/setup.sql"
    if out="$("$WORK/duckdb_sql" "$WORK/copy.sql" "$WORK/setup.sql" 2>"$WORK/duckdb.err")"; then
      record "$rows" duckdb "$out"; say "duckdb: $out"
    else
      say "duckdb failed: $(head -c 600 "$WORK/duckdb.err")"; record "$rows" duckdb '{"status":"failed"}'; FAILED=1
    fi
  else
    say "--print-sql failed: $(head -c 600 "$WORK/plan.err")"; record "$rows" duckdb '{"status":"failed"}'; FAILED=1
  fi
  rm -f "$WORK/duckdb.parquet"

  # 3. pandas
  if [[ "${BENCH_SKIP_PANDAS:-0}" == 1 ]]; then
    record "$rows" pandas '{"status":"skipped"}'
  elif ! "$PY" -c 'import pandas' 2>/dev/null; then
    say "$PY cannot import pandas (apt-get install python3-pandas)"; record "$rows" pandas '{"status":"no-pandas"}'; FAILED=1
  else
    local expected
    expected="$(grep '"tool": "datamorph"' "$RESULTS" | tail -n 1 | "$PY" -c 'import json,sys; print(json.loads(sys.stdin.read()).get("rows", -1))')"
    check_quiet "pandas $rows"
    if out="$("$PY" "$HERE/pandas_clean.py" "${dirty%.parquet}.csv" "$WORK/pandas.pkl" "$expected" "$RECIPE" 2>"$WORK/pandas.err")"; then
      record "$rows" pandas "$out"; say "pandas: $out"
    else
      say "pandas failed: $(tail -c 600 "$WORK/pandas.err")"; record "$rows" pandas '{"status":"failed"}'; FAILED=1
    fi
    rm -f "$WORK/pandas.pkl"
  fi
  rm -f "$WORK/ours.parquet"
}

mkdir -p "$OUT_DIR"
sizes=("$ROWS")
[[ "$FULL" == 1 && "$ROWS" != 10000000 ]] && sizes+=(10000000)
for rows in "${sizes[@]}"; do run_size "$rows"; done

"$PY" - "$RESULTS" "$OUT_DIR/clean.json" "$WORK/idle.tsv" "$TARGET_RATIO" "$TARGET_PANDAS" "$OURS_MEMORY_LIMIT" \
  "$MEMORY_LIMIT" <<'PYEOF'
import datetime, json, os, platform, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
memory = {"datamorph": sys.argv[6], "duckdb": sys.argv[7]}
ratio_target, pandas_target = float(sys.argv[4]), float(sys.argv[5])
idle = dict(l.rstrip("\n").rsplit("\t", 1) for l in open(sys.argv[3]) if l.strip())
sizes = []
for r in rows:
    if r["rows_in"] not in sizes: sizes.append(r["rows_in"])
get = lambda n, t: next((r for r in rows if r["rows_in"] == n and r["tool"] == t), {"status": "missing"})
out = {"benchmark": "clean", "recipe": "bench/clean/recipe.json",
       "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
       "target": {"max_ratio_to_duckdb": ratio_target, "min_speedup_over_pandas": pandas_target},
       "timed": {"datamorph": "engine::clean::Apply (statistics + COPY to zstd Parquet with per-operation counts)",
                 "duckdb": "COPY (<the same compiled SQL>) TO zstd Parquet",
                 "pandas": "the five steps + to_pickle; read_csv not timed"},
       "memory_limit": memory,
       "cpu_idle_pct_before": {k: int(v) for k, v in idle.items()}, "sizes": []}
hdr = ("csv rows", "rows out", "ours s", "duckdb s", "pandas s", "ours/duckdb", "pandas/ours", "targets met?")
table, all_met = [], True
fmt = lambda v: "n/a" if v is None else f"{v:,.2f}"
for n in sizes:
    o, d, p = get(n, "datamorph"), get(n, "duckdb"), get(n, "pandas")
    os_, ds, ps = o.get("seconds"), d.get("seconds"), p.get("seconds")
    ratio = os_ / ds if os_ and ds else None
    speedup = ps / os_ if os_ and ps else None
    why = []
    bad = [f"{t}={x['status']}" for t, x in (("datamorph", o), ("duckdb", d), ("pandas", p)) if x["status"] not in ("ok", "skipped")]
    if bad: why.append("INVALID RUN: " + ", ".join(bad))
    if o.get("rows") is not None and d.get("rows") is not None and o["rows"] != d["rows"]:
        why.append(f"row counts differ (ours {o['rows']}, duckdb {d['rows']})")
    if ratio is not None and ratio > ratio_target: why.append(f"ours/duckdb > {ratio_target}")
    if speedup is not None and speedup < pandas_target: why.append(f"less than {pandas_target}x faster than pandas")
    if p["status"] == "skipped": why.append("pandas skipped")
    if memory["datamorph"] != memory["duckdb"]: why.append("different memory limits")
    met = not why
    all_met &= met
    out["sizes"].append({"csv_rows": n, "datamorph": o, "duckdb": d, "pandas": p,
                         "ratio_to_duckdb": None if ratio is None else round(ratio, 3),
                         "speedup_over_pandas": None if speedup is None else round(speedup, 2), "target_met": met})
    table.append((f"{n:,}", f"{o.get('rows', 0):,}", fmt(os_), fmt(ds), fmt(ps),
                  "n/a" if ratio is None else f"{ratio:.2f}x", "n/a" if speedup is None else f"{speedup:.1f}x",
                  ("yes" if met else "NO") + (f" ({'; '.join(why)})" if why else "")))
out["all_targets_met"] = all_met
json.dump(out, open(sys.argv[2], "w"), indent=2)
w = [max(len(r[i]) for r in [hdr] + table) for i in range(len(hdr))]
line = lambda r: "| " + " | ".join(c.ljust(w[i]) if i == 7 else c.rjust(w[i]) for i, c in enumerate(r)) + " |"
print()
print(f"bench/clean: 5-operation recipe, {os.cpu_count()} CPUs; targets: ours <= {ratio_target}x DuckDB running the same "
      f"SQL, >= {pandas_target}x faster than pandas; DuckDB memory_limit: ours {memory['datamorph']}, "
      f"DuckDB run {memory['duckdb']}")
busy = {k: v for k, v in idle.items() if int(v) < 85}
if busy:
    print("WARNING: machine busy before measuring (" + ", ".join(f"{k}: {v}% idle" for k, v in busy.items()) + ")")
print(line(hdr)); print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in table: print(line(r))
for s in out["sizes"]:
    ops = s["datamorph"].get("operations") or []
    if ops:
        print(f"  {s['csv_rows']:,} rows, per operation: " + "; ".join(
            f"{o['type']} {o['affected_rows']:,} affected ({o['rows_before']:,} -> {o['rows_after']:,})" for o in ops))
print(f"\nwritten: {sys.argv[2]}")
sys.exit(0 if all_met else 3)
PYEOF
rc=$?
if [[ $rc == 3 ]]; then
  say "performance target NOT met (see table)"
  [[ "${BENCH_ENFORCE_TARGET:-0}" == 1 ]] && FAILED=1
elif [[ $rc != 0 ]]; then
  say "report generation failed (rc $rc)"; FAILED=1
fi
exit "$FAILED"
