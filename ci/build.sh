#!/usr/bin/env bash
# Configures and builds the project out of tree (default: build/, Release, -Werror).
#   ci/build.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"; shift || true
bash "$ROOT/ci/bootstrap.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHARNESS_WERROR=ON "$@" >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
