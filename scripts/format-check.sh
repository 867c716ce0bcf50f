#!/usr/bin/env bash
# Fails when a C++ file differs from .clang-format's layout.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
  if ! diff -q <(clang-format "$f") "$f" >/dev/null; then
    echo "format-check: $f is not clang-formatted (run: make format)"
    bad=1
  fi
done < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 2>/dev/null)
exit $bad
