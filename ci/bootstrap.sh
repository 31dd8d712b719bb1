#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds and tests with (apt-get only).
# Idempotent: does nothing when every package is already installed.
#   ci/bootstrap.sh          what the build and the test suite need
#   ci/bootstrap.sh fuzz     also clang with its sanitizer/libFuzzer runtime, and wrk (soak)
#   ci/bootstrap.sh bench    also wrk, node and npm (bench/guard.sh's references: wrk, ajv)
#   ci/bootstrap.sh lint     also clang-format and clang-tidy (ci/lint.sh)
#   ci/bootstrap.sh browser  also Debian's chromium (the HTML report and the mock's console are
#                            tested in it; .ci/run asks for it before the test suite)
#   ci/bootstrap.sh package  also dpkg-dev (the package's computed Depends), debootstrap and
#                            buildah (its tests on a pristine Debian 12 root and in the mock's
#                            container image: ci/package.sh --test)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  libcpp-httplib-dev libevent-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  libgtest-dev libgmock-dev libcli11-dev libbenchmark-dev libsimdjson-dev json-schema-test-suite libre2-dev
  libyaml-cpp-dev libzip-dev libpugixml-dev libjemalloc-dev groff-base
)
if [ "${1:-}" = fuzz ]; then
  PACKAGES+=(clang libclang-rt-14-dev wrk)
fi
if [ "${1:-}" = lint ]; then
  PACKAGES+=(clang-format clang-tidy)
fi
if [ "${1:-}" = browser ]; then
  PACKAGES+=(chromium)
fi
if [ "${1:-}" = package ]; then
  PACKAGES+=(dpkg-dev debootstrap buildah crun)
fi
if [ "${1:-}" = bench ]; then
  PACKAGES+=(wrk python3)
  # Debian's node and npm, unless a node with its npm is installed already (another vendor's
  # package bundles npm, and Debian's would conflict with it).
  command -v node >/dev/null && command -v npm >/dev/null || PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap: missing packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 2
fi
echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
