#!/usr/bin/env bash
# Runs every benchmark under bench/: each bench/<name>/run.sh, in name order (C locale),
# continuing past a failing one; exits non-zero at the end if any failed.
# `make bench` calls this.  Environment (BENCH_DURATION, ...) is passed through;
# see bench/README.md.  Optional arguments restrict the run to those names:
#   bench/run.sh http
set -uo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export LC_ALL=C
scripts=()
if (($#)); then
  for name in "$@"; do
    [[ -f "$BENCH_DIR/$name/run.sh" ]] || { echo "bench: no benchmark named '$name'" >&2; exit 2; }
    scripts+=("$BENCH_DIR/$name/run.sh")
  done
else
  for s in "$BENCH_DIR"/*/run.sh; do [[ -f "$s" ]] && scripts+=("$s"); done
fi
((${#scripts[@]})) || { echo "bench: no benchmarks found under $BENCH_DIR" >&2; exit 2; }

failed=()
passed=()
for s in "${scripts[@]}"; do
  name="$(basename "$(dirname "$s")")"
  echo "=== bench: $name ==="
  start=$SECONDS
  if bash "$s"; then
    passed+=("$name")
    echo "=== bench: $name ok ($((SECONDS - start))s) ==="
  else
    rc=$?
    failed+=("$name")
    echo "=== bench: $name FAILED (exit $rc, $((SECONDS - start))s) ===" >&2
  fi
done

echo "=== bench: ${#passed[@]} ok${passed:+ (${passed[*]})}, ${#failed[@]} failed${failed:+ (${failed[*]})} ==="
((${#failed[@]} == 0))
