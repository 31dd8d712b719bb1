#!/usr/bin/env bash
# The gate template installs a released .deb instead of building: the package made by cpack from
# this build, the gate run on a Cognigy-repository layout with HARNESS_DEB set and no harness
# checkout, unpacking it with dpkg-deb (HARNESS_DEB_INSTALL=unpack, the path of a runner without
# root; apt-get's path, as root in a pristine Debian 12 root, is tests/package/deb_test.sh's).
#   tests/package/gate_deb_test.sh BUILD_DIR
set -euo pipefail
BUILD="$(cd "$1" && pwd)"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null ||
  { echo "gate deb test: needs dpkg-dev (dpkg-deb, dpkg-shlibdeps); skipped" >&2; exit 77; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail() { echo "gate deb test: $*" >&2; exit 1; }

(cd "$BUILD" && cpack -G DEB --config CPackConfig.cmake -B "$T/package" >"$T/cpack.log" 2>&1) ||
  fail "cpack: $(tail -5 "$T/cpack.log")"
deb=$(ls "$T"/package/*.deb)
version=$(sed -n 's/^project(.* VERSION \([0-9.]*\) .*/\1/p' "$SRC/CMakeLists.txt")
[ "$(basename "$deb")" = "cxone-harness_${version}_$(dpkg --print-architecture).deb" ] || fail "named $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
libs=(libc6 libstdc++6 libevent libpugixml1v5 libsimdjson)
# jemalloc only where the build links it (not the sanitizer build's).
grep -q '^HARNESS_JEMALLOC:BOOL=ON' "$BUILD/CMakeCache.txt" && grep -q '^HARNESS_SANITIZE:BOOL=OFF' "$BUILD/CMakeCache.txt" &&
  libs+=(libjemalloc2)
for lib in "${libs[@]}"; do
  grep -q "$lib" <<<"$depends" || fail "Depends has no $lib: $depends"
done

# The control file a user reads with apt show: the summary, then the long description.
description=$(dpkg-deb -f "$deb" Description)
[[ "$(sed -n 1p <<<"$description")" == "contract tests for the handover of a Cognigy bot session to NICE CXone or Genesys Cloud" &&
   "$(sed -n 2p <<<"$description")" == " handover-diag runs a handover step by step"* ]] || fail "Description: $description"

repo="$T/bot"
mkdir -p "$repo/handover/payloads" "$repo/handover/scenarios" "$repo/ci"
cp "$SRC/ci/templates/handover-gate.sh" "$repo/ci/"
cp "$SRC/fixtures/transfer-202-happy-path.json" "$SRC/fixtures/queue-inactive.json" "$repo/handover/scenarios/"
cp "$SRC/tests/data/payloads/valid-minimal.json" "$repo/handover/payloads/"
gate() { (cd "$repo" && env -i PATH=/usr/bin:/bin HOME="$T" "$@" bash ci/handover-gate.sh 2>&1); }

out=$(gate HARNESS_DEB="$deb" HARNESS_DEB_INSTALL=unpack) || fail "the gate from the .deb: $out"
for line in "unpacking $(basename "$deb") into .handover-harness-deb" "validate passed" "replay passed"; do
  grep -q "handover-gate: $line" <<<"$out" || fail "the gate did not say '$line': $out"
done
[ -x "$repo/.handover-harness-deb/usr/bin/handover-diag" ] || fail "nothing unpacked"
[ -f "$repo/reports/handover/replay.junit.xml" ] || fail "no replay report"

out=$(gate HARNESS_DEB="$T/nothing.deb") && fail "a missing .deb passed: $out"
grep -q "HARNESS_DEB=$T/nothing.deb: no such file" <<<"$out" || fail "a missing .deb: $out"
out=$(gate HARNESS_DEB="$deb" HARNESS_DEB_INSTALL=pip) && fail "an unknown way passed: $out"
grep -q "HARNESS_DEB_INSTALL=pip: expected apt or unpack" <<<"$out" || fail "an unknown way: $out"
echo "gate deb test: $(basename "$deb") (Depends: $depends) unpacked and gated"
