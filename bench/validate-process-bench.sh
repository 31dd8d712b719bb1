#!/usr/bin/env bash
# The whole `handover-diag validate` process as a user runs it: against a whole node process
# running ajv 8 (goal >= 4x), --jobs 2 against --jobs 1 (goal >= 1.7x), the time per payload for
# N = 10 ... 200,000, and with --million 1,000,000 payloads in bounded memory (goal: peak RSS
# <= 200 MB; needs ~2.5 GB in the work folder). Pairs interleaved, medians (bench/validate_process.py).
#   bench/validate-process-bench.sh [--million]      (needs node/npm: ci/bootstrap.sh bench)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/harness-validate-process}"
mkdir -p "$WORK"
bash "$ROOT/ci/bootstrap.sh" bench
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
if [ ! -d "$WORK/node_modules/ajv" ]; then
  (cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund ajv@8 ajv-formats@2 >/dev/null)
fi
python3 "$ROOT/bench/validate_process.py" "$ROOT/build/bin/handover-diag" "$ROOT/contracts/schemas" \
  "$WORK/node_modules" "$WORK" "$@"
