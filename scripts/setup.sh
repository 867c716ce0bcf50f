#!/usr/bin/env bash
# Idempotent machine setup: installs the Debian packages that are missing and the
# pinned npm packages (DuckDB's shared library and header). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(grep -vE '^\s*(#|$)' scripts/debian-packages.txt)
missing=()
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node.js and npm: the machine image may ship its own; only fall back to Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Pinned npm packages: DuckDB's libduckdb.so and duckdb.h (see ARCHITECTURE.md).
if [ ! -f third_party/duckdb/node_modules/.package-lock.json ] || \
   [ third_party/duckdb/package-lock.json -nt third_party/duckdb/node_modules/.package-lock.json ]; then
  echo "setup: installing pinned DuckDB packages"
  (cd third_party/duckdb && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
