#!/usr/bin/env bash
# The README's first command: install, build, replay every bundled scenario against the embedded mock.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/ci/build.sh" "$ROOT/build"
exec "$ROOT/build/bin/handover-diag" replay "$ROOT/fixtures"
