#!/usr/bin/env bash
# The README's second command: install, build, run the whole test suite with ctest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/ci/build.sh" "$ROOT/build"
ctest --test-dir "$ROOT/build" -j "$(nproc)" --output-on-failure --timeout 120
