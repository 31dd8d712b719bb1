#!/usr/bin/env bash
# The mock's container image, built and run for real with buildah (Debian's package; no daemon):
#   1. the base: the build machine reaches no container registry, so debian:12-slim cannot be
#      pulled; its stand-in is the pristine Debian 12 root deb_test.sh made with debootstrap
#      (--variant=minbase, what the slim image is made from), imported as an image;
#   2. container/Containerfile built on it (docker format, which keeps HEALTHCHECK), the .deb
#      installed by its RUN with apt-get;
#   3. the image's configuration: a non-root USER, port 8089, the HEALTHCHECK and CMD;
#   4. its CMD run in a container (buildah run, chroot isolation) inside a network namespace of the
#      test's own: refused without the admin token's secret, serving with it mounted; the
#      HEALTHCHECK's command passes with the secret and fails without; the handover diagnosed from
#      a second container of the image, as compose.yaml's gate service does.
#   tests/package/image_test.sh DEB     (root; buildah; after deb_test.sh, whose root it reuses)
set -euo pipefail
DEB="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${HARNESS_ROOTFS_CACHE:-/var/cache/cxone-harness}"
fail() { echo "image test: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (buildah, unshare)"
command -v buildah >/dev/null || fail "buildah is not installed (ci/bootstrap.sh package)"
[ -f "$CACHE/bookworm-minbase.tar" ] || fail "no Debian 12 root in $CACHE (tests/package/deb_test.sh makes it)"
export BUILDAH_ISOLATION=chroot
base=localhost/cxone-harness-test-base
image=localhost/cxone-harness-test-mock
T="$(mktemp -d)"
cleanup() {
  buildah rm --all >/dev/null 2>&1 || true
  buildah rmi -f "$image" "$base" >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT

ctr=$(buildah from scratch)
tar -C "$(buildah mount "$ctr")" -xf "$CACHE/bookworm-minbase.tar"
buildah umount "$ctr" >/dev/null
buildah commit -q "$ctr" "$base" >/dev/null
buildah rm "$ctr" >/dev/null
mkdir "$T/context" && cp "$DEB" "$T/context/"
buildah bud -q --format docker --build-arg BASE="$base" -f "$SRC/container/Containerfile" -t "$image" "$T/context" \
  >"$T/bud.log" 2>&1 || fail "the image did not build: $(tail -20 "$T/bud.log")"

config() { buildah inspect --type image --format "$1" "$image"; }
user=$(config '{{.Docker.Config.User}}')
[ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] || fail "the image runs as '$user'"
[ "$(config '{{.Docker.Config.ExposedPorts}}')" = "map[8089/tcp:{}]" ] || fail "ports: $(config '{{.Docker.Config.ExposedPorts}}')"
check=$(config '{{.Docker.Config.Healthcheck.Test}}')
cmd=$(config '{{.Docker.Config.Cmd}}')
[[ "$check" == "[CMD cxone-mock health "* ]] || fail "no health check: $check"
check=${check#\[CMD }; check=${check%\]}; cmd=${cmd#\[}; cmd=${cmd%\]}
secret_path=$(config '{{.Docker.Config.Env}}' | tr ' []' '\n' | sed -n 's/^CXONE_MOCK_ADMIN_TOKEN_FILE=//p')
[ -n "$secret_path" ] || fail "the image names no admin token file"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/secret"

cat >"$T/inside.sh" <<'INSIDE'
set -uo pipefail
image="$1"; secret="$2"; secret_path="$3"; check="$4"; cmd="$5"
fail() { echo "image test: $*" >&2; pkill -x -f "/usr/bin/$cmd"; exit 1; }
ip link set lo up
c=$(buildah from "$image")
mounted=(--volume "$secret:$secret_path:ro")
# shellcheck disable=SC2086  # the image's words, split as the engine splits them
out=$(buildah run "$c" -- $cmd 2>&1); code=$?
grep -q "CXONE_MOCK_ADMIN_TOKEN_FILE: $secret_path: " <<<"$out" || fail "without the secret: $out"
# shellcheck disable=SC2086
buildah run "${mounted[@]}" "$c" -- $cmd >"$secret.out" 2>&1 &
runner=$!
for _ in $(seq 100); do grep -q '^listening on ' "$secret.out" && break; sleep 0.1; done
grep -q '^listening on http://0.0.0.0:8089' "$secret.out" || fail "the container did not serve: $(cat "$secret.out")"
# shellcheck disable=SC2086
out=$(buildah run "${mounted[@]}" "$c" -- $check 2>&1) || fail "the health check failed: $out"
grep -q '^cxone-mock health: ok: http://127.0.0.1:8089' <<<"$out" || fail "health: $out"
# shellcheck disable=SC2086
out=$(buildah run --env CXONE_MOCK_ADMIN_TOKEN_FILE= "$c" -- $check 2>&1) && fail "health passed without the token: $out"
grep -q '401' <<<"$out" || fail "health without the token: $out"
g=$(buildah from "$image")
report=$(buildah run "$g" -- handover-diag diagnose --env-file /dev/null --base-url http://127.0.0.1:8089 \
  --client-id 0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90 --client-secret s --conversation 3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47 \
  --queue 7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13 --wrapup 9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e --format json 2>&1)
grep -q '"classification": *"OK"' <<<"$report" || fail "diagnose from a second container: $report"
# The mock itself (its command line exactly the image's CMD) stops on SIGTERM, as an engine stops it.
mock=$(pgrep -x -f "/usr/bin/$cmd")
[ -n "$mock" ] || fail "no process runs the image's CMD"
kill -TERM $mock
wait "$runner"; code=$?
[ "$code" = 0 ] || fail "the container's CMD ended with exit $code on SIGTERM: $(tail -3 "$secret.out")"
echo "image test: built on a debootstrap Debian 12 root; refused without its secret, served and passed its HEALTHCHECK with it; diagnosed OK from a second container"
INSIDE
unshare --net bash "$T/inside.sh" "$image" "$T/secret" "$secret_path" "$check" "$cmd"
