#!/usr/bin/env bash
# The Debian package on a pristine Debian 12 root, as a user's CI container meets it:
#   1. debootstrap makes the root (minbase bookworm; kept as a tarball in HARNESS_ROOTFS_CACHE
#      [/var/cache/cxone-harness] so a second run unpacks it in seconds);
#   2. the gate template (ci/templates/handover-gate.sh), run as root with HARNESS_DEB set to the
#      local .deb, installs it with apt-get (which pulls in the Depends dpkg-shlibdeps computed)
#      and gates a Cognigy-repository layout made from the bundled scenarios;
#   3. the installed programs, from /: --version, the man pages and completions in place, replay
#      of the installed examples, diagnose against an installed cxone-mock;
#   4. the gate again as an unprivileged user, unpacking the .deb with dpkg-deb (no root).
#   tests/package/deb_test.sh DEB        (as root; needs debootstrap and the network to Debian)
set -euo pipefail
DEB="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CACHE="${HARNESS_ROOTFS_CACHE:-/var/cache/cxone-harness}"
fail() { echo "deb test: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || fail "debootstrap is not installed (ci/bootstrap.sh package)"

R="$(mktemp -d /tmp/cxone-harness-root.XXXXXX)"
chmod 755 "$R"  # a root file system: its users must reach in (mktemp makes it 0700)
cleanup() {
  [ -s "$R/tmp/mock.pid" ] && kill "$(cat "$R/tmp/mock.pid")" 2>/dev/null || true
  umount "$R/proc" "$R/dev" 2>/dev/null || true
  # Never follow a mount into the host: remove only when nothing is mounted below the root.
  if ! grep -q " $R/" /proc/mounts; then rm -rf "$R"; fi
}
trap cleanup EXIT

tarball="$CACHE/bookworm-minbase.tar"
if [ -f "$tarball" ]; then
  tar -C "$R" -xf "$tarball"
else
  echo "deb test: debootstrap --variant=minbase bookworm from $MIRROR (once; cached in $tarball)" >&2
  debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$R.log" 2>&1 || { tail -20 "$R.log" >&2; fail "debootstrap failed"; }
  rm -f "$R.log"
  mkdir -p "$CACHE" && tar -C "$R" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
fi
cp /etc/resolv.conf "$R/etc/resolv.conf"
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"; }
in_root_as() { chroot --userspec="$(in_root id -u gate):$(in_root id -g gate)" "$R" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/home/gate LC_ALL=C.UTF-8 "$@"; }
! in_root test -e /usr/bin/handover-diag || fail "the root is not pristine"

# A Cognigy repository as the templates expect it: handover/{payloads,scenarios}.
repo="$R/srv/bot"
mkdir -p "$repo/handover/payloads" "$repo/handover/scenarios" "$repo/ci"
cp "$SRC/ci/templates/handover-gate.sh" "$repo/ci/"
for name in transfer-202-happy-path transfer-422-wrapup-not-found queue-inactive; do
  cp "$SRC/fixtures/$name.json" "$repo/handover/scenarios/"
done
cp "$SRC/tests/data/payloads/valid-minimal.json" "$repo/handover/payloads/"
cp "$DEB" "$R/tmp/"
pkg="/tmp/$(basename "$DEB")"

# 2. The gate installs the package with apt-get, as root in a CI container.
out=$(in_root bash -c "cd /srv/bot && HARNESS_DEB=$pkg bash ci/handover-gate.sh" 2>&1) || fail "the gate from the .deb: $out"
for line in "installing $(basename "$DEB") with apt-get" "validate passed" "replay passed"; do
  echo "$out" | grep -q "handover-gate: $line" || fail "the gate did not say '$line': $out"
done
depends=$(in_root dpkg-query -W -f='${Depends}' cxone-harness)
for lib in libevent libcurl libssl libjemalloc libpugixml libzip libyaml-cpp libsimdjson; do
  echo "$depends" | grep -q "$lib" || fail "Depends has no $lib: $depends"
done
echo "deb test: installed by the gate with apt-get; Depends: $depends" >&2

# 3. The installed programs from /, the build tree out of reach.
in_root handover-diag --version | head -1 | grep -q "^handover-diag [0-9]" || fail "handover-diag --version"
in_root cxone-mock --version | head -1 | grep -q "^cxone-mock [0-9]" || fail "cxone-mock --version"
for f in /usr/share/man/man1/handover-diag.1 /usr/share/man/man1/cxone-mock.1 \
         /usr/share/bash-completion/completions/handover-diag /usr/share/doc/cxone-harness/copyright \
         /usr/share/doc/cxone-harness/CHANGELOG.md; do
  in_root test -e "$f" || fail "$f is not installed"
done
modules=$(in_root find /usr/lib -path '*/cxone-harness/*.so' -printf '%f ' | tr ' ' '\n' | sort | tr '\n' ' ')
[ "$modules" = "cxone-mock-tls.so handover-diag-curl.so handover-diag-zip.so harness-yaml.so " ] || fail "modules installed: '$modules'"
replay=$(in_root handover-diag replay /usr/share/cxone-harness/examples) || fail "replay of the installed examples: $replay"
echo "deb test: $(echo "$replay" | tail -1)" >&2
in_root sh -c 'cxone-mock serve --port 0 --fixtures /usr/share/cxone-harness/examples/transfer-202-happy-path.json >/tmp/mock.out 2>/tmp/mock.err & echo $! >/tmp/mock.pid'
url=""
for _ in $(seq 100); do url=$(sed -n 's/^listening on //p' "$R/tmp/mock.out"); [ -n "$url" ] && break; sleep 0.05; done
[ -n "$url" ] || fail "the installed cxone-mock did not start: $(cat "$R/tmp/mock.err")"
report=$(in_root handover-diag diagnose --env-file /dev/null --base-url "$url" --client-id 0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90 --client-secret s \
  --conversation 3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47 --queue 7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13 \
  --wrapup 9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e --format json) || fail "diagnose against the installed mock: $report"
echo "$report" | grep -q '"classification": *"OK"' || fail "diagnose did not pass: $report"
kill "$(cat "$R/tmp/mock.pid")" && rm -f "$R/tmp/mock.pid"

# 4. The gate as an unprivileged user: the .deb unpacked with dpkg-deb, no root needed.
in_root useradd --create-home gate
chown -R "$(in_root id -u gate):$(in_root id -g gate)" "$repo"
out=$(in_root_as bash -c "cd /srv/bot && HARNESS_DEB=$pkg bash ci/handover-gate.sh" 2>&1) || fail "the gate as a user: $out"
echo "$out" | grep -q "handover-gate: unpacking $(basename "$DEB") into .handover-harness-deb" || fail "the gate did not unpack: $out"
echo "$out" | grep -q "handover-gate: replay passed" || fail "the unpacked harness did not replay: $out"
echo "deb test: $(basename "$DEB") installs and runs on a pristine Debian 12 root (apt-get and dpkg-deb -x)" >&2
