#!/usr/bin/env bash
# Fixture loading as N grows: `cxone-mock check` of one file with N interactions, and `serve`
# from launch to "listening" (median of 3 each), with the time per interaction, so a curve
# that is worse than linear shows at once.
#   bench/load-bench.sh [N...]        (default 1000 10000 50000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/harness-load-bench}"
mkdir -p "$WORK"
[ -x "$ROOT/build/bin/cxone-mock" ] || bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)
printf "%8s %12s %12s %16s\n" N "check (s)" "serve (s)" "serve µs/inter."
for n in "${SIZES[@]}"; do
  f="$WORK/big-$n.json"
  [ -f "$f" ] || python3 "$ROOT/bench/make-big-fixture.py" "$n" "$f"
  python3 - "$ROOT/build/bin/cxone-mock" "$f" "$n" <<'PY'
import statistics, subprocess, sys, time
mock, fixture, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
checks, serves = [], []
for _ in range(3):
    t = time.perf_counter()
    subprocess.run([mock, "check", fixture], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checks.append(time.perf_counter() - t)
    t = time.perf_counter()
    p = subprocess.Popen([mock, "serve", "--fixtures", fixture, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    p.stdout.readline()  # "listening on ..."
    serves.append(time.perf_counter() - t)
    p.terminate(); p.wait()
c, s = statistics.median(checks), statistics.median(serves)
print(f"{n:8d} {c:12.3f} {s:12.3f} {s / n * 1e6:16.1f}")
PY
done
