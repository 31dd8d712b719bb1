#!/usr/bin/env bash
# Builds the test suite with AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer
# included) in build-asan/ and runs it. Called from .ci/run after the README's test command.
# -O1 with line tables only (-g1), as the sanitizers' documentation suggests: the reports keep
# their file:line stacks, and the build takes ~2.7x less than at RelWithDebInfo's -O2 -g (one
# test source, GCC 12: 51 s -> 19 s), which is most of .ci/run's time. No benchmarks: nothing
# in the suite runs them under the sanitizers.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/ci/bootstrap.sh"
cmake -S "$ROOT" -B "$ROOT/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DHARNESS_WERROR=ON -DHARNESS_SANITIZE=ON -DHARNESS_BENCH=OFF >/dev/null
cmake --build "$ROOT/build-asan" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$ROOT/build-asan" -j "$(nproc)" --output-on-failure --timeout 300
