#!/usr/bin/env bash
# bench/profile — `datamorph profile FILE` (read + full profile) against a pandas profiler and
# the DuckDB floor, on the same generated CSVs as bench/ingest, in one run (issue #4).
#
# For each CSV (bench/data/make_csv.py: mixed types, ~100 bytes a row), one after the other:
#   1. DataMorph: `datamorph profile FILE --format json` — sniff, read into Parquet, every
#      profile pass; the JSON must report every row.
#   2. pandas profiler (bench/profile/pandas_profiler.py): read_csv, describe, nunique,
#      isna().sum(), value_counts().head(10), numeric histograms, duplicated().sum(), corr().
#   3. DuckDB floor: COPY (SELECT * FROM read_csv(FILE)) TO parquet (zstd), the one statement
#      the read has to do at least (bench/ingest/duckdb_floor.c, same libduckdb.so).
# Each runs as its own process under /usr/bin/time -v: wall time (measured around the process)
# and peak RSS ("Maximum resident set size"). Then, to show where our time goes:
#   - `DM_PROFILE_TRACE=1 datamorph profile FILE`  when the passes end (profiler.cpp prints
#     it), so read + start-up = wall time - passes
#   - `datamorph convert FILE x.parquet`           the server's read (CSV -> Parquet, order kept)
# Finally the 1,000-column x 100,000-row file (bench/data/make_wide_csv.py) is profiled.
# Prints a table; figures go to bench/out/profile.json. Builds nothing but the floor program.
#
# Environment:
#   BENCH_PROFILE_ROWS    rows of the default file (default 1000000, ~100 MB)
#   BENCH_FULL            1: also the 10,000,000-row file (~1 GB)
#   BENCH_WIDE_COLS/ROWS  the wide file (default 1000 x 100000); BENCH_SKIP_WIDE=1 skips it
#   BENCH_DATA_DIR        where generated CSVs are kept between runs (default bench/out/data)
#   BENCH_OUT_DIR         where profile.json goes (default bench/out)
#   BENCH_REPEAT          rounds of the three tools on each mixed file (default 3); the table
#                         shows each tool's median wall time and median peak RSS, and the
#                         range over the rounds (this machine's speed swings by a third)
#   BENCH_SKIP_PANDAS     1: do not run the pandas profiler
#   BENCH_SKIP_BREAKDOWN  1: skip the read/passes split
#   DATAMORPH_BIN         default build/datamorph
#   PEER_PYTHON           interpreter with pandas (default /usr/bin/python3, Debian's)
#
# Exit status: 0 when everything was measured cleanly; whether the targets were met is
# reported, not enforced, unless BENCH_ENFORCE_TARGET=1.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

ROWS="${BENCH_PROFILE_ROWS:-1000000}"
FULL="${BENCH_FULL:-0}"
WIDE_COLS="${BENCH_WIDE_COLS:-1000}"
WIDE_ROWS="${BENCH_WIDE_ROWS:-100000}"
OUT_DIR="${BENCH_OUT_DIR:-$ROOT/bench/out}"
DATA_DIR="${BENCH_DATA_DIR:-$OUT_DIR/data}"
DATAMORPH_BIN="${DATAMORPH_BIN:-$ROOT/build/datamorph}"
PY="${PEER_PYTHON:-/usr/bin/python3}"
DUCKDB_NPM="$ROOT/third_party/duckdb/node_modules"
DUCKDB_LIB_DIR="$DUCKDB_NPM/@duckdb/node-bindings-linux-x64"
DUCKDB_INCLUDE_DIR="$DUCKDB_NPM/duckdb/src/duckdb/src/include"
REPEAT="${BENCH_REPEAT:-3}"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_REPEAT must be a positive integer" >&2; exit 2; }
TARGET_PANDAS_SPEEDUP=3
TARGET_PANDAS_RSS_SHARE=0.3333
TARGET_FLOOR_RATIO=1.5
TARGET_WIDE_SECONDS=30

WORK="$(mktemp -d "${TMPDIR:-/tmp}/datamorph-bench-profile.XXXXXX")"
RESULTS="$WORK/results.jsonl"   # one JSON object per (file, tool)
: > "$RESULTS"
: > "$WORK/idle.tsv"
FAILED=0

say()  { printf '[bench/profile] %s\n' "$*" >&2; }
loud() {
  printf '\n[bench/profile] !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '[bench/profile] !!! %s\n' "$@" >&2
  printf '[bench/profile] !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
}
cleanup() {
  if [[ "${BENCH_KEEP_WORK:-0}" == 1 ]]; then say "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -x "$PY" ]] || { say "missing $PY (Debian's python3)"; exit 2; }
[[ -x /usr/bin/time ]] || { say "missing /usr/bin/time (Debian package: time; make setup)"; exit 2; }
[[ -x "$DATAMORPH_BIN" ]] || { say "datamorph binary not found at $DATAMORPH_BIN — build it first"; exit 2; }

# record FILE TOOL JSON  -> appends {"file":..., "tool":..., ...JSON} to RESULTS
record() {
  "$PY" - "$1" "$2" "$3" >>"$RESULTS" <<'EOF'
import json, sys
try:
    d = json.loads(sys.argv[3]) if sys.argv[3].strip() else {}
except ValueError:
    d = {"status": "unparsed", "raw": sys.argv[3][:500]}
if not isinstance(d, dict):
    d = {"status": "unparsed"}
d.setdefault("status", "ok")
print(json.dumps({"file": sys.argv[1], "tool": sys.argv[2], **d}))
EOF
}

# Same CPU-idle check as bench/ingest: other work on the machine skews every figure.
idle_pct() {
  local a b
  read -ra a </proc/stat; sleep 1; read -ra b </proc/stat
  awk -v u1="${a[1]}" -v n1="${a[2]}" -v s1="${a[3]}" -v i1="${a[4]}" -v w1="${a[5]}" -v q1="${a[6]}" -v sq1="${a[7]}" -v st1="${a[8]:-0}" \
      -v u2="${b[1]}" -v n2="${b[2]}" -v s2="${b[3]}" -v i2="${b[4]}" -v w2="${b[5]}" -v q2="${b[6]}" -v sq2="${b[7]}" -v st2="${b[8]:-0}" \
      'BEGIN{ t=(u2+n2+s2+i2+w2+q2+sq2+st2)-(u1+n1+s1+i1+w1+q1+sq1+st1); if (t<=0) {print 100; exit}
              printf "%.0f", 100*((i2+w2)-(i1+w1))/t }'
}
check_quiet() {  # check_quiet LABEL
  local idle; idle="$(idle_pct)"
  printf '%s\t%s\n' "$1" "$idle" >>"$WORK/idle.tsv"
  if (( idle < 85 )); then
    loud "The machine is busy before measuring $1: only ${idle}% CPU idle." \
         "Something else is running (a build? tests?); every figure in this run is skewed." \
         "Top CPU users: $(ps -eo pcpu=,comm= --sort=-pcpu | head -n 4 | awk '{printf "%s %s%%; ", $2, $1}')"
  fi
}

# measure NAME STDOUT_FILE CMD... -> runs CMD under /usr/bin/time -v, stdout to STDOUT_FILE;
# prints {"seconds", "peak_rss_mb", "exit"} (wall time taken around the process).
measure() {
  local name="$1" out="$2"; shift 2
  local t0 t1 rc
  t0="$EPOCHREALTIME"
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$out" 2>"$WORK/$name.err"
  rc=$?
  t1="$EPOCHREALTIME"
  local kb
  kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.time")"
  awk -v a="$t0" -v b="$t1" -v kb="${kb:-0}" -v rc="$rc" \
    'BEGIN{ printf "{\"seconds\": %.3f, \"peak_rss_mb\": %.1f, \"exit\": %d}", b-a, kb/1024, rc }'
}

# dataset ROWS -> the generated CSV (made once, kept in DATA_DIR; shared with bench/ingest)
dataset() {
  local rows="$1" path="$DATA_DIR/mixed_$1.csv"
  mkdir -p "$DATA_DIR"
  if [[ ! -s "$path" || "$ROOT/bench/data/make_csv.py" -nt "$path" ]]; then
    say "generating $path ($rows rows)"
    local start=$SECONDS
    "$PY" "$ROOT/bench/data/make_csv.py" "$rows" "$path.tmp" && mv "$path.tmp" "$path" || {
      rm -f "$path.tmp"; say "make_csv.py failed"; return 1; }
    say "generated $(du -h "$path" | cut -f1) in $((SECONDS - start))s"
  fi
  echo "$path"
}

wide_dataset() {
  local path="$DATA_DIR/wide_${WIDE_COLS}x${WIDE_ROWS}.csv"
  mkdir -p "$DATA_DIR"
  if [[ ! -s "$path" || "$ROOT/bench/data/make_wide_csv.py" -nt "$path" ]]; then
    say "generating $path ($WIDE_COLS columns x $WIDE_ROWS rows)"
    local start=$SECONDS
    "$PY" "$ROOT/bench/data/make_wide_csv.py" "$WIDE_COLS" "$WIDE_ROWS" "$path.tmp" && mv "$path.tmp" "$path" || {
      rm -f "$path.tmp"; say "make_wide_csv.py failed"; return 1; }
    say "generated $(du -h "$path" | cut -f1) in $((SECONDS - start))s"
  fi
  echo "$path"
}

FLOOR=""
build_floor() {
  if ! command -v cc >/dev/null; then loud "no C compiler (cc): the DuckDB floor is not measured"; return 1; fi
  if [[ ! -f "$DUCKDB_LIB_DIR/libduckdb.so" || ! -f "$DUCKDB_INCLUDE_DIR/duckdb.h" ]]; then
    loud "DuckDB library/header missing under third_party/duckdb (run scripts/setup.sh): no floor"; return 1
  fi
  if cc -O2 -o "$WORK/duckdb_floor" "$ROOT/bench/ingest/duckdb_floor.c" -I "$DUCKDB_INCLUDE_DIR" \
       -L "$DUCKDB_LIB_DIR" -lduckdb -Wl,-rpath,"$DUCKDB_LIB_DIR" 2>"$WORK/cc.err"; then
    FLOOR="$WORK/duckdb_floor"
  else
    loud "compiling bench/ingest/duckdb_floor.c failed: $(head -c 600 "$WORK/cc.err")"; return 1
  fi
}

# profile_rows JSONFILE -> row_count and column_count of a `datamorph profile --format json`
profile_shape() {
  "$PY" -c 'import json,sys
try:
    d = json.load(open(sys.argv[1])); print(d["row_count"], d["column_count"])
except Exception:
    print("-1 -1")' "$1"
}

run_ours() {  # run_ours FILE ROWS [TOOL]
  local file="$1" rows="$2" tool="${3:-datamorph}" m shape
  check_quiet "$tool $(basename "$file")"
  say "$tool: datamorph profile $(basename "$file") --format json"
  m="$(measure "$tool" "$WORK/profile.json" "$DATAMORPH_BIN" profile "$file" --format json)"
  shape="$(profile_shape "$WORK/profile.json")"
  local got_rows="${shape% *}" got_cols="${shape#* }" status=ok
  if [[ "$m" != *'"exit": 0}' ]]; then
    status=failed; say "datamorph profile failed: $(tail -c 600 "$WORK/$tool.err")"
  elif [[ "$got_rows" != "$rows" ]]; then
    status=wrong-result; say "datamorph profile reported $got_rows rows, expected $rows"
  fi
  [[ "$status" == ok ]] || FAILED=1
  record "$file" "$tool" "${m%\}}, \"rows\": $got_rows, \"columns\": $got_cols, \"status\": \"$status\"}"
  say "$tool: $m rows=$got_rows columns=$got_cols"
}

run_breakdown() {  # run_breakdown FILE: where our time goes
  local file="$1" a b passes
  [[ "${BENCH_SKIP_BREAKDOWN:-0}" == 1 ]] && return
  check_quiet "breakdown $(basename "$file")"
  say "breakdown: the profile again with DM_PROFILE_TRACE=1; the server's read (CSV -> Parquet, order kept)"
  b="$(DM_PROFILE_TRACE=1 measure profile_traced "$WORK/profile_traced.json" "$DATAMORPH_BIN" profile "$file" --format json)"
  # The last pass's line says when the passes ended, counted from their start.
  passes="$(sed -n 's/^profile: pass 7 .* done at \([0-9.]*\) s.*/\1/p' "$WORK/profile_traced.err" | tail -n 1)"
  a="$(measure convert_csv "$WORK/convert.out" "$DATAMORPH_BIN" convert "$file" "$WORK/x.parquet")"
  say "breakdown: traced profile $b (passes ${passes:-?} s); server read csv->parquet $a"
  record "$file" breakdown "{\"profile_traced\": $b, \"profile_passes_seconds\": ${passes:-null}, \"convert_csv_to_parquet\": $a}"
  rm -f "$WORK/x.parquet"
}

run_floor() {  # run_floor FILE
  local file="$1" m inner
  [[ -n "$FLOOR" ]] || { record "$file" duckdb '{"status":"not-built"}'; FAILED=1; return; }
  check_quiet "duckdb $(basename "$file")"
  say "duckdb floor: COPY read_csv -> parquet (zstd)"
  m="$(measure duckdb "$WORK/floor.out" "$FLOOR" "$file" "$WORK/floor.parquet")"
  inner="$(cat "$WORK/floor.out")"
  if [[ "$m" == *'"exit": 0}' ]]; then
    record "$file" duckdb "${m%\}}, \"inner\": ${inner:-null}}"; say "duckdb: $m (in-process: $inner)"
  else
    say "duckdb floor failed: $(head -c 600 "$WORK/duckdb.err")"; record "$file" duckdb '{"status":"failed"}'; FAILED=1
  fi
  rm -f "$WORK/floor.parquet"
}

run_pandas() {  # run_pandas FILE ROWS
  local file="$1" rows="$2" m inner status=ok
  if [[ "${BENCH_SKIP_PANDAS:-0}" == 1 ]]; then record "$file" pandas '{"status":"skipped"}'; return; fi
  if ! "$PY" -c 'import pandas' 2>/dev/null; then
    loud "$PY cannot import pandas — apt-get install python3-pandas"
    record "$file" pandas '{"status":"no-pandas"}'; FAILED=1; return
  fi
  check_quiet "pandas $(basename "$file")"
  say "pandas profiler: read_csv, describe, nunique, isna, value_counts, histograms, duplicated, corr"
  m="$(measure pandas "$WORK/pandas.out" "$PY" "$HERE/pandas_profiler.py" "$file")"
  inner="$(tail -n 1 "$WORK/pandas.out")"
  if [[ "$m" != *'"exit": 0}' ]]; then
    say "pandas failed: $(tail -c 600 "$WORK/pandas.err")"; record "$file" pandas '{"status":"failed"}'; FAILED=1; return
  fi
  [[ "$inner" == *"\"rows\": $rows,"* ]] || status=wrong-result
  record "$file" pandas "${m%\}}, \"inner\": ${inner:-null}, \"status\": \"$status\"}"
  say "pandas: $m (in-process: $inner)"
}

DATAMORPH_VERSION="$("$DATAMORPH_BIN" --version 2>/dev/null | tail -n 1)"
build_floor || FAILED=1
sizes=("$ROWS")
[[ "$FULL" == 1 && "$ROWS" != 10000000 ]] && sizes+=(10000000)
for rows in "${sizes[@]}"; do
  file="$(dataset "$rows")" || { FAILED=1; continue; }
  say "=== $(basename "$file"): $rows rows, $(du -h "$file" | cut -f1) ==="
  # Rounds interleave the three tools, so a slow spell of the machine hits all of them.
  for ((round = 1; round <= REPEAT; round++)); do
    [[ "$REPEAT" == 1 ]] || say "--- round $round of $REPEAT"
    run_ours "$file" "$rows"
    run_pandas "$file" "$rows"
    run_floor "$file"
  done
  run_breakdown "$file"
done
if [[ "${BENCH_SKIP_WIDE:-0}" != 1 ]]; then
  if wide="$(wide_dataset)"; then
    say "=== $(basename "$wide"): $WIDE_COLS columns x $WIDE_ROWS rows, $(du -h "$wide" | cut -f1) ==="
    run_ours "$wide" "$WIDE_ROWS" datamorph-wide
    run_floor "$wide"
    run_breakdown "$wide"
  else
    FAILED=1
  fi
fi

mkdir -p "$OUT_DIR"
"$PY" - "$RESULTS" "$OUT_DIR/profile.json" "$WORK/idle.tsv" <<EOF
import datetime, json, os, platform, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
files = []
for r in rows:
    if r["file"] not in files: files.append(r["file"])
def get(f, t):
    """The tool's rounds on the file as one result: the median wall time and the median peak
    RSS, with every round kept under "rounds"; the first failed round's status if one failed."""
    runs = [r for r in rows if r["file"] == f and r["tool"] == t]
    if not runs:
        return {"status": "missing"}
    if len(runs) == 1:
        return runs[0]
    bad = [r for r in runs if r.get("status") not in ("ok", "skipped")]
    if bad:
        return bad[0]
    med = lambda xs: sorted(xs)[len(xs) // 2] if len(xs) % 2 else sum(sorted(xs)[len(xs) // 2 - 1:len(xs) // 2 + 1]) / 2
    out = dict(runs[0])
    for key in ("seconds", "peak_rss_mb"):
        values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
        if values:
            out[key] = round(med(values), 3)
            out[key + "_range"] = [min(values), max(values)]
    out["rounds"] = runs
    return out
idle = {}
for l in open(sys.argv[3]):
    if l.strip():
        k, v = l.rstrip("\n").rsplit("\t", 1); idle[k] = int(v)
out = {"benchmark": "profile",
       "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
       "target": {"min_speedup_vs_pandas": $TARGET_PANDAS_SPEEDUP, "max_rss_share_of_pandas": $TARGET_PANDAS_RSS_SHARE,
                  "max_ratio_to_duckdb": $TARGET_FLOOR_RATIO, "wide_max_seconds": $TARGET_WIDE_SECONDS},
       "datamorph": {"binary": "$DATAMORPH_BIN", "version": "$DATAMORPH_VERSION" or None},
       "cpu_idle_pct_before": idle, "files": []}
fmt = lambda v, p: "n/a" if v is None else f"{v:,.{p}f}"
hdr = ("file", "ours s", "ours RSS MB", "pandas s", "pandas RSS MB", "duckdb s", "duckdb RSS MB",
       "pandas/ours", "ours/duckdb", "RSS ours/pandas", "target met?")
table, all_met, notes = [], True, []
for f in files:
    o, p, d, b, w = (get(f, t) for t in ("datamorph", "pandas", "duckdb", "breakdown", "datamorph-wide"))
    size = os.path.getsize(f) if os.path.exists(f) else None
    label = os.path.basename(f) + (f" ({size / 1e6:,.0f} MB)" if size else "")
    entry = {"file": os.path.basename(f), "bytes": size, "duckdb": d}
    if b.get("status") == "ok":
        entry["breakdown"] = b
        tp, ps_, cc = b.get("profile_traced", {}).get("seconds"), b.get("profile_passes_seconds"), \
            b.get("convert_csv_to_parquet", {}).get("seconds")
        if None not in (tp, ps_, cc):
            notes.append(f"  {os.path.basename(f)}: profile {tp:.2f} s = read and start-up ~{tp - ps_:.2f} s + passes {ps_:.2f} s; "
                         f"the server's order-keeping read CSV -> Parquet alone {cc:.2f} s")
    if w.get("status") != "missing":
        entry["datamorph"] = w
        met = w["status"] == "ok" and w["seconds"] < $TARGET_WIDE_SECONDS
        why = [] if met else ([f"INVALID RUN: datamorph={w['status']}"] if w["status"] != "ok"
                              else [f"{w['seconds']:.1f} s >= $TARGET_WIDE_SECONDS s"])
        entry["target_met"] = met; all_met &= met
        ratio_d = w["seconds"] / d["seconds"] if w.get("seconds") and d.get("seconds") else None
        entry["ratio_to_duckdb"] = None if ratio_d is None else round(ratio_d, 3)
        table.append((label + f" [{w.get('columns')} cols]", fmt(w.get("seconds"), 2), fmt(w.get("peak_rss_mb"), 0),
                      "-", "-", fmt(d.get("seconds"), 2), fmt(d.get("peak_rss_mb"), 0), "-",
                      "n/a" if ratio_d is None else f"{ratio_d:.2f}x", "-",
                      ("yes" if met else "NO") + f" (< $TARGET_WIDE_SECONDS s" + (f"; {'; '.join(why)})" if why else ")")))
        out["files"].append(entry)
        continue
    entry.update({"datamorph": o, "pandas": p})
    os_, ps, ds = o.get("seconds"), p.get("seconds"), d.get("seconds")
    orss, prss = o.get("peak_rss_mb"), p.get("peak_rss_mb")
    speedup = ps / os_ if ps and os_ else None
    ratio = os_ / ds if os_ and ds else None
    rss_share = orss / prss if orss and prss else None
    clean = o["status"] == "ok" and d["status"] == "ok" and p["status"] in ("ok", "skipped")
    why = []
    if not clean:
        why.append("INVALID RUN: " + ", ".join(f"{t}={x['status']}" for t, x in
                                              (("datamorph", o), ("duckdb", d), ("pandas", p))
                                              if x["status"] not in ("ok", "skipped")))
    else:
        if speedup is not None and speedup < $TARGET_PANDAS_SPEEDUP: why.append(f"< ${TARGET_PANDAS_SPEEDUP}x faster than pandas")
        if rss_share is not None and rss_share > $TARGET_PANDAS_RSS_SHARE: why.append("RSS > 1/3 of pandas'")
        if ratio is not None and ratio > $TARGET_FLOOR_RATIO: why.append(f"> ${TARGET_FLOOR_RATIO}x the DuckDB floor")
        if p["status"] == "skipped": why.append("pandas skipped")
    met = clean and not why
    all_met &= met
    entry.update({"speedup_vs_pandas": None if speedup is None else round(speedup, 3),
                  "ratio_to_duckdb": None if ratio is None else round(ratio, 3),
                  "rss_share_of_pandas": None if rss_share is None else round(rss_share, 3), "target_met": met})
    out["files"].append(entry)
    if "rounds" in o:
        spread = lambda x, k, u: "n/a" if k + "_range" not in x else f"{x[k + '_range'][0]:.2f}-{x[k + '_range'][1]:.2f}{u}" \
            if u == " s" else f"{x[k + '_range'][0]:.0f}-{x[k + '_range'][1]:.0f}{u}"
        per_round = [f"{a['seconds'] / b['seconds']:.2f}x" for a, b in zip(o["rounds"], d.get("rounds", []))
                     if a.get("seconds") and b.get("seconds")]
        notes.append(f"  {os.path.basename(f)}: medians of {len(o['rounds'])} rounds; ranges: ours {spread(o, 'seconds', ' s')}, "
                     f"{spread(o, 'peak_rss_mb', ' MB')}; pandas {spread(p, 'seconds', ' s')}, {spread(p, 'peak_rss_mb', ' MB')}; "
                     f"duckdb {spread(d, 'seconds', ' s')}, {spread(d, 'peak_rss_mb', ' MB')}; ours/duckdb per round: "
                     + ", ".join(per_round))
    table.append((label, fmt(os_, 2), fmt(orss, 0), fmt(ps, 2), fmt(prss, 0), fmt(ds, 2), fmt(d.get("peak_rss_mb"), 0),
                  "n/a" if speedup is None else f"{speedup:.2f}x", "n/a" if ratio is None else f"{ratio:.2f}x",
                  "n/a" if rss_share is None else f"{rss_share:.2f}",
                  ("yes" if met else "NO") + (f" ({'; '.join(why)})" if why else "")))
out["all_targets_met"] = all_met
json.dump(out, open(sys.argv[2], "w"), indent=2)
w = [max(len(r[i]) for r in [hdr] + table) for i in range(len(hdr))]
line = lambda r: "| " + " | ".join(c.ljust(w[i]) if i in (0, 10) else c.rjust(w[i]) for i, c in enumerate(r)) + " |"
print()
print(f"bench/profile: read + full profile, {os.cpu_count()} CPUs; wall time and peak RSS per process "
      f"(/usr/bin/time -v). Targets: >= ${TARGET_PANDAS_SPEEDUP}x faster than the pandas profiler at <= 1/3 of its "
      f"peak RSS, <= ${TARGET_FLOOR_RATIO}x the DuckDB floor (CSV -> Parquet); the wide file < $TARGET_WIDE_SECONDS s")
print(line(hdr))
print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in table: print(line(r))
if notes:
    print("rounds, and where our time goes (the passes from DM_PROFILE_TRACE; the server read is a separate process):")
    for n in notes: print(n)
busy = {k: v for k, v in idle.items() if v < 85}
if busy:
    print("WARNING: the machine was busy before " + ", ".join(f"{k} ({v}% idle)" for k, v in busy.items()) +
          "; those figures are skewed.")
print(f"written: {sys.argv[2]}")
EOF
[[ -f "$OUT_DIR/profile.json" ]] || FAILED=1
if [[ "${BENCH_ENFORCE_TARGET:-0}" == 1 ]]; then
  "$PY" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["all_targets_met"] else 1)' \
    "$OUT_DIR/profile.json" || FAILED=1
fi
exit "$FAILED"
