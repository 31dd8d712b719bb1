#!/usr/bin/env bash
# Builds the test suite with AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
# included) in build-asan/ and runs it. Called from .ci/run after the README's test command.
# -O1 with line tables only (-g1), as the sanitizers' documentation suggests: the reports keep
# their file:line stacks, and the build, the largest part of .ci/run, takes 2,270 CPU-seconds
# instead of 3,622 at RelWithDebInfo's -O2 -g (one test source alone: 51 s -> 19 s). No
# benchmarks: nothing in the suite runs them under the sanitizers.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/ci/bootstrap.sh"
cmake -S "$ROOT" -B "$ROOT/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DHARNESS_WERROR=ON -DHARNESS_SANITIZE=ON -DHARNESS_BENCH=OFF >/dev/null
cmake --build "$ROOT/build-asan" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$ROOT/build-asan" -j "$(nproc)" --output-on-failure --timeout 300
