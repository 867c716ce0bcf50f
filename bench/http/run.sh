#!/usr/bin/env bash
# bench/http — HTTP throughput and tail latency of DataMorph against its FastAPI peer.
#
# For each server, in this one run and one after the other (never both at once):
#   start it on a free loopback port with a fresh temp data dir, wait for /health,
#   register a user, create 50 projects, check that the authenticated project list
#   answers 200 with 50 items, then run wrk against
#     GET /health
#     GET /api/v1/projects   (Authorization: Bearer <token>)
# and print requests/s, p99 and the DataMorph/FastAPI ratio; figures go to
# bench/out/http.json.  Builds nothing: expects build/datamorph.
#
# Environment:
#   BENCH_DURATION     wrk duration per endpoint (default 10s)
#   BENCH_WARMUP       wrk warm-up per endpoint before measuring, 0 to skip (default 2s)
#   BENCH_CONNECTIONS  wrk connections (default 64)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_OUT_DIR      where http.json goes (default bench/out)
#   DATAMORPH_BIN      the server binary (default build/datamorph)
#   DATAMORPH_ARGS     extra arguments for `datamorph serve` (default none)
#   PEER_PYTHON        interpreter for the peer (default /usr/bin/python3, Debian's)
#   PEER_WORKERS       uvicorn worker processes (default 1: 2 cores, wrk takes one)
#
# Exit status: 0 when both servers were measured cleanly (every response 2xx, no
# socket errors) — whether the performance target was met is reported, not enforced,
# unless BENCH_ENFORCE_TARGET=1.  Non-zero when anything could not be measured.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
CONNS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
OUT_DIR="${BENCH_OUT_DIR:-$ROOT/bench/out}"
DATAMORPH_BIN="${DATAMORPH_BIN:-$ROOT/build/datamorph}"
DATAMORPH_ARGS="${DATAMORPH_ARGS:-}"
PY="${PEER_PYTHON:-/usr/bin/python3}"
PEER_WORKERS="${PEER_WORKERS:-1}"
PROJECT_COUNT=50
TARGET_RATIO=10
TARGET_P99_MS=5

WORK="$(mktemp -d "${TMPDIR:-/tmp}/datamorph-bench-http.XXXXXX")"
RESULTS="$WORK/results.tsv"     # server  endpoint  rps  p99_ms  requests  non2xx  socket_errors  status
: > "$RESULTS"
FAILED=0
SERVER_PID=""

say()  { printf '[bench/http] %s\n' "$*" >&2; }
loud() {
  printf '\n[bench/http] !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '[bench/http] !!! %s\n' "$@" >&2
  printf '[bench/http] !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
}

stop_server() {
  local pid="${SERVER_PID:-}"
  [[ -n "$pid" ]] || return 0
  SERVER_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid did not stop on SIGTERM within 5s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop_server
  if [[ "${BENCH_KEEP_WORK:-0}" == 1 ]]; then say "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { say "missing $tool (Debian package: $tool)"; exit 2; }
done
[[ -x "$PY" ]] || { say "missing $PY (Debian's python3)"; exit 2; }

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

json_get() {  # json_get FILE KEY  -> prints top-level KEY of the JSON object in FILE
  "$PY" -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2" 2>/dev/null
}

# http METHOD URL BODYFILE [curl args...]  -> prints the status code, body in BODYFILE
http() {
  local method="$1" url="$2" out="$3"; shift 3
  curl -sS -X "$method" -o "$out" -w '%{http_code}' --max-time 10 "$@" "$url" 2>>"$WORK/curl.err" || echo 000
}

wait_health() {  # wait_health BASE_URL LOGFILE
  local base="$1" log="$2" code
  for _ in $(seq 1 200); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      say "server exited before answering /health; its log:"; tail -n 40 "$log" >&2; return 1
    fi
    code="$(http GET "$base/health" "$WORK/health.json")"
    [[ "$code" == 200 ]] && return 0
    sleep 0.1
  done
  say "no 200 from $base/health within 20s (last status $code); log:"; tail -n 40 "$log" >&2
  return 1
}

# seed BASE_URL -> sets TOKEN; registers one user and creates PROJECT_COUNT projects
seed() {
  local base="$1" code i body
  body="$WORK/register.json"
  code="$(http POST "$base/api/v1/auth/register" "$body" -H 'Content-Type: application/json' \
    --data '{"email":"bench@example.com","password":"bench-password-1","full_name":"Bench User","organization_name":"Bench Org"}')"
  if [[ "$code" != 201 && "$code" != 200 ]]; then
    say "POST /api/v1/auth/register -> $code: $(head -c 600 "$body")"; return 1
  fi
  TOKEN="$(json_get "$body" access_token)"
  [[ -n "$TOKEN" ]] || { say "register response has no access_token: $(head -c 600 "$body")"; return 1; }
  for i in $(seq 1 "$PROJECT_COUNT"); do
    code="$(http POST "$base/api/v1/projects" "$WORK/project.json" -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $TOKEN" \
      --data "{\"name\":\"Project $i\",\"description\":\"Benchmark project number $i of $PROJECT_COUNT\"}")"
    if [[ "$code" != 201 && "$code" != 200 ]]; then
      say "POST /api/v1/projects (#$i) -> $code: $(head -c 600 "$WORK/project.json")"; return 1
    fi
  done
  # The measured request must be the real thing: 200, 50 items, total 50, the contract's fields.
  code="$(http GET "$base/api/v1/projects" "$WORK/list.json" -H "Authorization: Bearer $TOKEN")"
  if [[ "$code" != 200 ]]; then
    say "GET /api/v1/projects (Authorization: Bearer <token>) -> $code: $(head -c 600 "$WORK/list.json")"; return 1
  fi
  if ! "$PY" - "$WORK/list.json" "$PROJECT_COUNT" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1])); n = int(sys.argv[2])
items = doc.get("items")
problems = []
if not isinstance(items, list): problems.append("no items array")
elif len(items) != n: problems.append(f"{len(items)} items, expected {n}")
if doc.get("total") != n: problems.append(f"total={doc.get('total')!r}, expected {n}")
for k in ("id", "name", "description", "status", "created_at", "updated_at"):
    if isinstance(items, list) and items and k not in items[0]: problems.append(f"item lacks {k}")
if problems:
    print("; ".join(problems), file=sys.stderr); sys.exit(1)
EOF
  then
    say "GET /api/v1/projects body does not match the contract: $(head -c 600 "$WORK/list.json")"; return 1
  fi
  say "seeded: 1 user, $PROJECT_COUNT projects; list is $(wc -c <"$WORK/list.json") bytes"
}

to_ms() {  # wrk prints e.g. 812.00us 1.23ms 2.01s 1.50m
  awk -v v="$1" 'BEGIN{
    n=v; sub(/[a-z]+$/,"",n); u=v; sub(/^[0-9.]+/,"",u);
    f = (u=="us")?0.001:(u=="ms")?1:(u=="s")?1000:(u=="m")?60000:(u=="h")?3600000:-1;
    if (f<0) print "nan"; else printf "%.3f", n*f }'
}

# measure SERVER ENDPOINT_NAME URL [wrk args...]
measure() {
  local server="$1" name="$2" url="$3"; shift 3
  local out="$WORK/wrk-$server-$name.txt" rps p99raw p99 reqs non2xx sockerr st=ok
  if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$@" "$url" >/dev/null 2>&1
  fi
  say "$server $name: wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
  if ! wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$out" 2>&1; then
    say "wrk failed:"; cat "$out" >&2; st=wrk-failed
  fi
  rps="$(awk '/^Requests\/sec:/{print $2}' "$out")"
  p99raw="$(awk '$1=="99%"{print $2}' "$out")"
  reqs="$(awk '/requests in/{print $1}' "$out")"
  non2xx="$(awk -F: '/Non-2xx or 3xx responses/{gsub(/ /,"",$2); print $2}' "$out")"
  sockerr="$(awk '/Socket errors:/{gsub(/,/,""); print $4+$6+$8+$10}' "$out")"
  p99="$( [[ -n "$p99raw" ]] && to_ms "$p99raw" || echo nan)"
  : "${rps:=nan}" "${reqs:=0}" "${non2xx:=0}" "${sockerr:=0}"
  if [[ "$rps" == nan || "$p99" == nan ]]; then st=unparsed; say "could not parse wrk output:"; cat "$out" >&2; fi
  if [[ "$non2xx" != 0 ]]; then
    st=non-2xx
    loud "$server $name: $non2xx of $reqs responses were NOT 2xx/3xx." \
         "This figure measures error responses and is meaningless." \
         "One response now: $(curl -s -i --max-time 5 "${CURL_AUTH[@]}" "$url" | head -c 400 | tr '\r\n' '  ')"
  fi
  if [[ "$sockerr" != 0 ]]; then
    [[ "$st" == ok ]] && st=socket-errors
    loud "$server $name: wrk reported socket errors: $(grep 'Socket errors' "$out")"
  fi
  sed 's/^/    /' "$out" >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$name" "$rps" "$p99" "$reqs" "$non2xx" "$sockerr" "$st" >>"$RESULTS"
  [[ "$st" == ok ]]
}

# idle_pct: percent of CPU time idle over one second, across all cores, before a server
# starts.  Other work on the machine (a build, tests) skews every figure; flag it.
idle_pct() {
  local a b
  read -ra a </proc/stat; sleep 1; read -ra b </proc/stat
  awk -v u1="${a[1]}" -v n1="${a[2]}" -v s1="${a[3]}" -v i1="${a[4]}" -v w1="${a[5]}" -v q1="${a[6]}" -v sq1="${a[7]}" -v st1="${a[8]:-0}" \
      -v u2="${b[1]}" -v n2="${b[2]}" -v s2="${b[3]}" -v i2="${b[4]}" -v w2="${b[5]}" -v q2="${b[6]}" -v sq2="${b[7]}" -v st2="${b[8]:-0}" \
      'BEGIN{ t=(u2+n2+s2+i2+w2+q2+sq2+st2)-(u1+n1+s1+i1+w1+q1+sq1+st1); if (t<=0) {print 100; exit}
              printf "%.0f", 100*((i2+w2)-(i1+w1))/t }'
}

check_quiet() {  # check_quiet SERVER
  local idle; idle="$(idle_pct)"
  printf '%s\t%s\n' "$1" "$idle" >>"$WORK/idle.tsv"
  if (( idle < 85 )); then
    loud "The machine is busy before measuring $1: only ${idle}% CPU idle." \
         "Something else is running (a build? tests?); every figure in this run is skewed." \
         "Top CPU users: $(ps -eo pcpu=,comm= --sort=-pcpu | head -n 4 | awk '{printf "%s %s%%; ", $2, $1}')"
  fi
}

unmeasured() {  # unmeasured SERVER REASON
  printf '%s\thealth\tnan\tnan\t0\t0\t0\t%s\n%s\tprojects\tnan\tnan\t0\t0\t0\t%s\n' "$1" "$2" "$1" "$2" >>"$RESULTS"
  FAILED=1
}

# bench_server NAME LOGFILE BASE_URL -- (server already started, SERVER_PID set)
bench_server() {
  local server="$1" log="$2" base="$3"
  wait_health "$base" "$log" || { stop_server; unmeasured "$server" no-health; return; }
  say "$server /health: $(cat "$WORK/health.json")"
  TOKEN=""
  if ! seed "$base"; then
    say "$server log (last 20 lines):"; tail -n 20 "$log" | cut -c1-400 >&2
    stop_server; unmeasured "$server" seed-failed; return
  fi
  CURL_AUTH=()
  measure "$server" health "$base/health" || FAILED=1
  CURL_AUTH=(-H "Authorization: Bearer $TOKEN")
  measure "$server" projects "$base/api/v1/projects" -H "Authorization: Bearer $TOKEN" || FAILED=1
  CURL_AUTH=()
  stop_server
}

run_datamorph() {
  if [[ ! -x "$DATAMORPH_BIN" ]]; then
    loud "datamorph binary not found at $DATAMORPH_BIN — build it first (cmake --build build)."
    unmeasured datamorph no-binary; return
  fi
  check_quiet datamorph
  local port data log
  port="$(free_port)"; data="$WORK/datamorph-data"; log="$WORK/datamorph.log"; mkdir -p "$data"
  say "starting datamorph on 127.0.0.1:$port (data dir $data)"
  # shellcheck disable=SC2086
  "$DATAMORPH_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$data" $DATAMORPH_ARGS >"$log" 2>&1 &
  SERVER_PID=$!
  bench_server datamorph "$log" "http://127.0.0.1:$port"
  DATAMORPH_VERSION="$(json_get "$WORK/health.json" version)"
  [[ -s "$log" ]] && say "datamorph log: $(wc -l <"$log") lines (last: $(tail -n 1 "$log" | head -c 200))"
}

run_fastapi() {
  if ! "$PY" -c 'import fastapi, uvicorn' 2>/dev/null; then
    loud "$PY cannot import fastapi/uvicorn — apt-get install python3-fastapi python3-uvicorn"
    unmeasured fastapi no-peer; return
  fi
  check_quiet fastapi
  local port data log
  port="$(free_port)"; data="$WORK/fastapi-data"; log="$WORK/fastapi.log"; mkdir -p "$data"
  PEER_STACK="$("$PY" - <<'EOF'
import importlib, fastapi, uvicorn, pydantic, sqlite3, sys
def has(m):
    try: importlib.import_module(m); return True
    except ImportError: return False
loop = "uvloop" if has("uvloop") else "asyncio"
http = "httptools" if has("httptools") else "h11"
print(f"python {sys.version.split()[0]}, fastapi {fastapi.__version__}, uvicorn {uvicorn.__version__}, "
      f"pydantic {pydantic.VERSION}, sqlite {sqlite3.sqlite_version}, loop {loop}, http {http}, "
      f"jwt {'pyjwt' if has('jwt') else 'stdlib-hmac'}")
EOF
)"
  say "starting FastAPI peer on 127.0.0.1:$port, $PEER_WORKERS worker ($PEER_STACK)"
  case "$PEER_STACK" in *"loop asyncio"*|*"http h11"*)
    say "note: uvloop/httptools missing, uvicorn falls back to asyncio/h11 (slower than a uvicorn[standard] deploy);" \
        "apt-get install python3-uvloop python3-httptools for the fair comparison";;
  esac
  PEER_DATA_DIR="$data" PEER_VERSION="peer" \
    "$PY" -m uvicorn fastapi_app:app --app-dir "$ROOT/bench/peers" --host 127.0.0.1 --port "$port" \
      --workers "$PEER_WORKERS" --no-access-log --log-level warning >"$log" 2>&1 &
  SERVER_PID=$!
  bench_server fastapi "$log" "http://127.0.0.1:$port"
}

DATAMORPH_VERSION=""
PEER_STACK=""
run_datamorph
run_fastapi

mkdir -p "$OUT_DIR"
touch "$WORK/idle.tsv"
"$PY" - "$RESULTS" "$OUT_DIR/http.json" "$WORK/idle.tsv" <<EOF
import json, math, sys, platform, os, datetime
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def num(x):
    try:
        v = float(x); return None if math.isnan(v) else v
    except ValueError: return None
res = {}
for server, ep, rps, p99, reqs, non2xx, sock, st in rows:
    res.setdefault(ep, {})[server] = {"requests_per_sec": num(rps), "p99_ms": num(p99),
        "requests": int(float(reqs or 0)), "non_2xx": int(non2xx or 0), "socket_errors": int(sock or 0), "status": st}
paths = {"health": "GET /health", "projects": "GET /api/v1/projects (Bearer, $PROJECT_COUNT projects)"}
out = {"benchmark": "http", "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "wrk": {"threads": $THREADS, "connections": $CONNS, "duration": "$DURATION", "warmup": "$WARMUP"},
       "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
       "target": {"min_ratio": $TARGET_RATIO, "max_p99_ms": $TARGET_P99_MS},
       "datamorph": {"binary": "$DATAMORPH_BIN", "version": "$DATAMORPH_VERSION" or None, "args": "$DATAMORPH_ARGS"},
       "fastapi": {"workers": $PEER_WORKERS, "stack": "$PEER_STACK"},
       "cpu_idle_pct_before": {l.split("\t")[0]: int(l.split("\t")[1]) for l in open(sys.argv[3]) if l.strip()},
       "endpoints": []}
hdr = ("endpoint", "datamorph req/s", "datamorph p99 ms", "fastapi req/s", "fastapi p99 ms", "ratio", "target met?")
table = []
all_met = True
for ep in ("health", "projects"):
    d = res.get(ep, {}).get("datamorph", {}); f = res.get(ep, {}).get("fastapi", {})
    dr, dp, fr, fp = d.get("requests_per_sec"), d.get("p99_ms"), f.get("requests_per_sec"), f.get("p99_ms")
    clean = d.get("status") == "ok" and f.get("status") == "ok"
    ratio = dr / fr if dr and fr else None
    met = bool(clean and ratio is not None and ratio >= $TARGET_RATIO and dp is not None and dp < $TARGET_P99_MS)
    why = []
    if not clean: why.append("INVALID RUN: " + ", ".join(f"{s}={x.get('status','missing')}" for s, x in (("datamorph", d), ("fastapi", f)) if x.get("status") != "ok"))
    else:
        if ratio is not None and ratio < $TARGET_RATIO: why.append(f"ratio < $TARGET_RATIO")
        if dp is not None and dp >= $TARGET_P99_MS: why.append(f"p99 >= $TARGET_P99_MS ms")
    all_met &= met
    out["endpoints"].append({"endpoint": paths[ep], "datamorph": d, "fastapi": f,
                             "ratio": None if ratio is None else round(ratio, 2), "target_met": met})
    fmt = lambda v, p: "n/a" if v is None else f"{v:,.{p}f}"
    table.append((paths[ep], fmt(dr, 0), fmt(dp, 2), fmt(fr, 0), fmt(fp, 2),
                  "n/a" if ratio is None else f"{ratio:.1f}x", ("yes" if met else "NO") + (f" ({'; '.join(why)})" if why else "")))
out["all_targets_met"] = all_met
json.dump(out, open(sys.argv[2], "w"), indent=2)
w = [max(len(r[i]) for r in [hdr] + table) for i in range(len(hdr))]
line = lambda r: "| " + " | ".join(c.ljust(w[i]) if i in (0, 6) else c.rjust(w[i]) for i, c in enumerate(r)) + " |"
print()
print(f"bench/http: wrk -t$THREADS -c$CONNS -d$DURATION on loopback, {os.cpu_count()} CPUs; "
      f"target: datamorph >= ${TARGET_RATIO}x fastapi req/s and p99 < $TARGET_P99_MS ms")
print(f"fastapi peer: $PEER_WORKERS uvicorn worker; $PEER_STACK")
busy = {k: v for k, v in out["cpu_idle_pct_before"].items() if v < 85}
if busy:
    print("WARNING: machine busy before measuring (" + ", ".join(f"{k}: {v}% idle" for k, v in busy.items())
          + ") -- figures are skewed by other work")
print(line(hdr)); print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in table: print(line(r))
print(f"\nwritten: {sys.argv[2]}")
sys.exit(0 if all_met else 3)
EOF
rc=$?
if [[ $rc == 3 ]]; then
  say "performance target NOT met (see table)"
  [[ "${BENCH_ENFORCE_TARGET:-0}" == 1 ]] && FAILED=1
elif [[ $rc != 0 ]]; then
  say "report generation failed (rc $rc)"; FAILED=1
fi
exit "$FAILED"
