#!/usr/bin/env bash
# Builds the Debian package from a build of the project (built first if missing or stale) and
# prints the path of the .deb it wrote, alone on the last line:
#   ci/package.sh [BUILD_DIR]        -> BUILD_DIR/package/cxone-harness_<version>_<arch>.deb
#   ci/package.sh --test [BUILD_DIR] also installs it with apt-get into a pristine Debian 12 root
#                                    (debootstrap) and runs it there (tests/package/deb_test.sh),
#                                    then builds the mock's container image on that root and runs
#                                    it (buildah; tests/package/image_test.sh)
# Depends is computed by dpkg-shlibdeps (cmake/packaging.cmake), so dpkg-dev must be installed;
# ci/bootstrap.sh package installs it (and debootstrap and buildah for --test).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
test_it=0
if [ "${1:-}" = --test ]; then test_it=1; shift; fi
BUILD="${1:-$ROOT/build}"
bash "$ROOT/ci/bootstrap.sh" package
bash "$ROOT/ci/build.sh" "$BUILD" >/dev/null
rm -f "$BUILD"/package/*.deb
(cd "$BUILD" && cpack -G DEB --config CPackConfig.cmake >"$BUILD/cpack.log" 2>&1) ||
  { cat "$BUILD/cpack.log" >&2; echo "package: cpack failed" >&2; exit 1; }
deb=$(ls "$BUILD"/package/*.deb)
[ "$(echo "$deb" | wc -l)" = 1 ] || { echo "package: expected one .deb, found: $deb" >&2; exit 1; }
if [ "$test_it" = 1 ]; then
  bash "$ROOT/tests/package/deb_test.sh" "$deb" >&2
  bash "$ROOT/tests/package/image_test.sh" "$deb" >&2
fi
echo "$deb"
