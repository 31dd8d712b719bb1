#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan, in build-fuzz/) and runs each for a
# bounded time on its seeds; the corpus grows in build-fuzz/corpus/<target>. A crash stops
# the run with exit 1 and leaves its input in build-fuzz/artifacts/: copy it into
# fuzz/regressions/<target>/ with the fix, and the normal test suite replays it for good.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s, every target
# Prints one line per target with its total executions.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECS="${1:-60}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(fixture matcher validate classifier dotenv client spec cognigy pact)
bash "$ROOT/ci/bootstrap.sh" fuzz
BUILD="$ROOT/build-fuzz"
# -O2 for the executions per second, line tables only (a crash's stack keeps file:line): one
# source alone 27.9 s -> 17.8 s, the whole build ~7 % less (690 against 740 CPU-seconds).
CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHARNESS_FUZZ=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
  -DHARNESS_TESTS=OFF -DHARNESS_BENCH=OFF -DHARNESS_WERROR=ON >/dev/null
cmake --build "$BUILD" --target fuzz_all -j "$(nproc)"

seeds() {
  case "$1" in
    fixture) echo "$ROOT/fixtures" ;;
    validate) echo "$ROOT/tests/data/payloads $ROOT/fixtures/payloads" ;;
    *) echo "$ROOT/fuzz/seeds/$1" ;;
  esac
}

# No fill of new allocations: the targets allocate a lot, and ASan finds what it finds without it.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:max_malloc_fill_size=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$t"
  mkdir -p "$corpus" "$BUILD/artifacts" "$ROOT/fuzz/regressions/$t"
  log="$BUILD/fuzz-$t.log"
  # -timeout: one input taking longer is a hang; -rss_limit_mb: a leak or blow-up is a crash.
  # shellcheck disable=SC2046
  if "$BUILD/bin/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" \
      "$corpus" $(seeds "$t") "$ROOT/fuzz/regressions/$t" > "$log" 2>&1; then
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1)"
    printf 'fuzz %-10s %4ss  %10s execs  %s  corpus %s\n' "$t" "$SECS" "$execs" "$cov" "$(ls "$corpus" | wc -l)"
  else
    echo "fuzz $t: FAILED (log $log, input in $BUILD/artifacts/)" >&2
    # What failed, the first frames in our code, and the input (base64), enough to act on from
    # CI's log alone.
    grep -m4 -E "ERROR|SUMMARY|runtime error|terminate called|what\(\):" "$log" >&2 || tail -5 "$log" >&2
    grep -m6 -E "#[0-9]+ .* in (fuzz|mockserver|contracts|util|client|recorder)::|LLVMFuzzerTestOneInput" "$log" >&2 || true
    grep -m1 "^Base64:" "$log" >&2 || true
    status=1
  fi
done
exit $status
