#!/usr/bin/env bash
# bench/profile/passes.sh [ROWS] — times the profiler's passes one by one on the bench/ingest
# mixed CSV (bench/data/make_csv.py), to show which pass to optimise. Not part of run.sh.
#
# Makes the Parquet file with `datamorph convert` (as the ingest does), then runs, through
# bench/profile/sql_timer.c (compiled here against the same libduckdb.so), SQL shaped like
# src/engine/profiler.cpp's passes for that file's 12 columns:
#   pass1  one aggregate: count/min/max/avg/stddev_samp/quantile_cont/skewness/count_if
#          (numeric), min/max/quantile_disc/epoch min/max (temporal)
#   pass1-noquantiles  the same without quantiles, to show their share
#   pass2  UNPIVOT of every column as VARCHAR + GROUP BY col, val + windows + regexes
#   pass2-groupby-only the UNPIVOT + GROUP BY alone
#   pass3  histogram bins: UNPIVOT + GROUP BY col, bin
#   pass4  SELECT DISTINCT * (duplicate rows)
#   pass5  corr() pairs
# The SQL is a hand copy: if profiler.cpp changes its passes, change this too.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${1:-1000000}"
DATA_DIR="${BENCH_DATA_DIR:-$ROOT/bench/out/data}"
BIN="${DATAMORPH_BIN:-$ROOT/build/datamorph}"
DUCKDB_NPM="$ROOT/third_party/duckdb/node_modules"
LIB="$DUCKDB_NPM/@duckdb/node-bindings-linux-x64"
INC="$DUCKDB_NPM/duckdb/src/duckdb/src/include"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/datamorph-bench-passes.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

CSV="$DATA_DIR/mixed_$ROWS.csv"
if [[ ! -s "$CSV" ]]; then
  mkdir -p "$DATA_DIR"; /usr/bin/python3 "$ROOT/bench/data/make_csv.py" "$ROWS" "$CSV" || exit 1
fi
cc -O2 -o "$WORK/sql_timer" "$HERE/sql_timer.c" -I "$INC" -L "$LIB" -lduckdb -Wl,-rpath,"$LIB" || exit 1
P="$WORK/x.parquet"
t0=$EPOCHREALTIME
"$BIN" convert "$CSV" "$P" >/dev/null || exit 1
echo "{\"label\": \"datamorph convert csv->parquet\", \"seconds\": $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')}"

F="FROM read_parquet('$P')"
num=(order_id customer_id quantity unit_price discount)
ints=(order_id customer_id quantity)
tmp=(order_date shipped_at)
all=(order_id customer_id quantity unit_price discount order_date shipped_at category country status priority note)
nv() { case " ${ints[*]} " in *" $1 "*) echo "CAST(\"$1\" AS DOUBLE)";; *) echo "CASE WHEN isfinite(\"$1\") THEN CAST(\"$1\" AS DOUBLE) END";; esac; }

p1="SELECT count(*)"; p1nq="SELECT count(*)"
for c in "${num[@]}"; do
  v="$(nv "$c")"
  common=", count(\"$c\"), min($v), max($v), avg($v), stddev_samp($v), skewness($v), count_if($v = 0)"
  p1+="$common, quantile_cont($v, [0.25, 0.5, 0.75])"; p1nq+="$common"
done
for c in "${tmp[@]}"; do
  common=", count(\"$c\"), min(\"$c\"), max(\"$c\"), min(CAST(epoch(\"$c\") AS DOUBLE)), max(CAST(epoch(\"$c\") AS DOUBLE))"
  p1+="$common, quantile_disc(\"$c\", [0.25, 0.5, 0.75])"; p1nq+="$common"
done
for c in category country status priority note; do p1+=", count(\"$c\")"; p1nq+=", count(\"$c\")"; done

inner="SELECT "; sep=""; k=0
for c in "${all[@]}"; do inner+="${sep}CAST(\"$c\" AS VARCHAR) AS c$k"; sep=", "; k=$((k + 1)); done
inner+=" $F"
g="SELECT col, val, count(*) AS n FROM (UNPIVOT ($inner) ON COLUMNS(*) INTO NAME col VALUE val) GROUP BY col, val"
re="regexp_full_match(val, '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}')"
p2="WITH g AS ($g), r AS (SELECT col, val, n, row_number() OVER (PARTITION BY col ORDER BY n DESC, val) AS rk,
 row_number() OVER (PARTITION BY col, lower(trim(val)) ORDER BY n DESC, val) AS vr, col IN ('c7','c8','c9','c11') AS txt FROM g)
 SELECT col, count(*), max(n), coalesce(sum(n) FILTER (WHERE vr > 1), 0),
 list({'value': val, 'count': n} ORDER BY rk) FILTER (WHERE rk <= 10),
 sum(n * length(val)) FILTER (WHERE txt), max(length(val)) FILTER (WHERE txt),
 coalesce(sum(n) FILTER (WHERE txt AND $re), 0), coalesce(sum(n) FILTER (WHERE txt AND $re), 0),
 coalesce(sum(n) FILTER (WHERE txt AND $re), 0), coalesce(sum(n) FILTER (WHERE txt AND $re), 0),
 coalesce(sum(n) FILTER (WHERE txt AND $re), 0), coalesce(sum(n) FILTER (WHERE txt AND $re), 0),
 coalesce(sum(n) FILTER (WHERE txt AND TRY_CAST(val AS TIMESTAMP) IS NOT NULL), 0) FROM r GROUP BY col"
p2g="SELECT count(*) FROM ($g)"

hin="SELECT "; sep=""; k=0
for c in "${num[@]}"; do hin+="${sep}CAST(floor(($(nv "$c") - 0.0) / 1.0) AS INTEGER) AS c$k"; sep=", "; k=$((k + 1)); done
for c in "${tmp[@]}"; do hin+=", CAST(floor((CAST(epoch(\"$c\") AS DOUBLE) - 0.0) / 86400.0) AS INTEGER) AS c$k"; k=$((k + 1)); done
p3="SELECT col, bin, count(*) FROM (UNPIVOT ($hin $F) ON COLUMNS(*) INTO NAME col VALUE bin) GROUP BY col, bin"
p4="SELECT count(*) FROM (SELECT DISTINCT * $F)"
p5="SELECT "; sep=""
for ((a = 0; a < ${#num[@]}; a++)); do for ((b = a + 1; b < ${#num[@]}; b++)); do
  p5+="${sep}corr($(nv "${num[a]}"), $(nv "${num[b]}"))"; sep=", "; done; done
p5+=" $F"

"$WORK/sql_timer" "warm-up=SELECT count(*) $F" "pass1=$p1 $F" "pass1-noquantiles=$p1nq $F" \
  "pass2=$p2" "pass2-groupby-only=$p2g" "pass3=$p3" "pass4=$p4" "pass5=$p5"
