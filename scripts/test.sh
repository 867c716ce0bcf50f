#!/usr/bin/env bash
# The whole suite (make test): formatting, C++ units, black-box API tests on SQLite and on
# a real PostgreSQL started here on loopback, web unit tests and browser end-to-end tests.
# Ends with one line "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=/usr/bin/python3   # Debian's python3, where python3-pytest and python3-requests live
BUILD=${BUILD_DIR:-build}
passed=0; failed=0; failures=()

step() {  # step NAME CMD...: runs CMD, counts it, keeps going
  local name=$1; shift
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

PGDIR=$(mktemp -d /tmp/dm-pg-XXXXXX)
cleanup() { scripts/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "format" scripts/format-check.sh
step "unit: engine" "$BUILD/engine_tests" --gtest_brief=1
step "profile: pandas oracle" env DM_BINARY="$ROOT/$BUILD/datamorph" $PY -m pytest -q -p no:cacheprovider tests/profile_oracle

PG_URL=$(scripts/pg.sh start "$PGDIR") || { echo "could not start PostgreSQL"; PG_URL=""; }
if [ -n "$PG_URL" ]; then
  PG_UNIT_URL=$(scripts/pg.sh createdb "$PGDIR" dm_unit)
  step "unit: server (sqlite + postgresql)" env DATAMORPH_TEST_PG_URL="$PG_UNIT_URL" "$BUILD/server_tests" --gtest_brief=1
else
  failed=$((failed + 1)); failures+=("postgresql start")
fi

step "api: sqlite" env DM_BACKEND=sqlite DM_BINARY="$ROOT/$BUILD/datamorph" \
  $PY -m pytest -q -p no:cacheprovider tests/api
if [ -n "$PG_URL" ]; then
  step "api: postgresql" env DM_BACKEND=postgresql DM_PG_DIR="$PGDIR" DM_BINARY="$ROOT/$BUILD/datamorph" \
    $PY -m pytest -q -p no:cacheprovider tests/api
fi

if [ -f web/package.json ]; then
  step "web: lint" bash -c "cd web && npm run --silent lint"
  step "web: format" bash -c "cd web && npm run --silent format:check"
  step "web: unit" bash -c "cd web && npm run --silent test"
  step "web: bundle size" bash -c "cd web && npm run --silent size"
fi
if [ -f tests/tus/package.json ]; then
  (cd tests/tus && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  step "api: tus-js-client resume" env DM_BINARY="$ROOT/$BUILD/datamorph" node --test tests/tus/
fi
if [ -f tests/e2e/package.json ]; then
  (cd tests/e2e && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  step "web: e2e (chromium)" node tests/e2e/run.mjs --only "${E2E_SCENARIOS:-auth,data-profile,clean}"
fi

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
