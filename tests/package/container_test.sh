#!/usr/bin/env bash
# The container's entry command and health check, run as the image would run them but outside a
# container (no container engine runs on the build machine): the programs installed with
# cmake --install, the Containerfile's CMD and HEALTHCHECK read from the file itself and run
# word for word (only /fixtures becomes a folder of ours) as an unprivileged user, in a network
# namespace of their own so that the fixed port 8089 is free. A second address on the
# namespace's interface stands for a client outside the container.
#   tests/package/container_test.sh BUILD_DIR     (root: unshare and setpriv; exit 77 otherwise)
set -euo pipefail
BUILD="$(cd "$1" && pwd)"
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CF="$SRC/container/Containerfile"
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null; then
  echo "container test: needs root, unshare and setpriv (a network namespace of its own); skipped" >&2
  exit 77
fi
fail() { echo "container test: $*" >&2; exit 1; }

# What the file says: a Debian 12 slim base, a non-root user, port 8089, the token's file.
grep -q '^ARG BASE=docker.io/library/debian:12-slim$' "$CF" || fail "the base is not Debian 12 slim"
grep -q '^FROM \${BASE}$' "$CF" || fail "FROM is not the BASE argument"
grep -q '^EXPOSE 8089$' "$CF" || fail "EXPOSE 8089 missing"
user=$(sed -n 's/^USER //p' "$CF")
[ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] || fail "USER is root or missing: '$user'"
token_file=$(sed -n 's/^ENV CXONE_MOCK_ADMIN_TOKEN_FILE=//p' "$CF")
[ -n "$token_file" ] || fail "no ENV CXONE_MOCK_ADMIN_TOKEN_FILE"
# A JSON array of plain words, as CMD and HEALTHCHECK CMD are written, into a bash array.
words() { sed -e 's/^\[//' -e 's/\]$//' -e 's/", "/\n/g' -e 's/"//g' <<<"$1"; }
mapfile -t cmd < <(words "$(sed -n 's/^CMD //p' "$CF")")
mapfile -t check < <(words "$(sed -n 's/^HEALTHCHECK .* CMD //p' "$CF")")
[ "${cmd[0]:-}" = cxone-mock ] && [ "${check[0]:-}" = cxone-mock ] || fail "CMD '${cmd[*]}', HEALTHCHECK '${check[*]}'"

P="$(mktemp -d)"
trap 'rm -rf "$P"' EXIT
cmake --install "$BUILD" --prefix "$P/usr" --strip >/dev/null
mkdir -p "$P/fixtures" "$P/secrets"
cp "$SRC/fixtures/transfer-202-happy-path.json" "$P/fixtures/"  # what the image copies there
chmod -R a+rX "$P"
for i in "${!cmd[@]}"; do [ "${cmd[$i]}" = /fixtures ] && cmd[$i]="$P/fixtures"; done
secret="$P/secrets/$(basename "$token_file")"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret"
chmod a+r "$secret"

# Inside the namespace: loopback up, 10.77.0.2 as an outside client's address; everything runs as
# nobody, with the image's PATH and environment.
cat >"$P/inside.sh" <<'INSIDE'
set -uo pipefail
P="$1"; token_file="$2"; secret="$3"; shift 3
n=$(( $(grep -n '^--$' <<<"$(printf '%s\n' "$@")" | cut -d: -f1) - 1 ))
cmd=("${@:1:$n}"); check=("${@:$((n + 2))}")
ip link set lo up && ip addr add 10.77.0.2/32 dev lo
as_image() { setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$P/usr/bin:/usr/bin:/bin" "$@"; }
fail() { echo "container test: $*" >&2; exit 1; }

# No token anywhere: the entry command refuses to start on 0.0.0.0, naming the ways to give one.
out=$(as_image "${cmd[@]}" 2>&1); code=$?
[ "$code" = 2 ] && grep -q 'is not loopback: give the admin API a token (CXONE_MOCK_ADMIN_TOKEN' <<<"$out" ||
  fail "without a token: exit $code: $out"
# The image's ENV names a secret that was not mounted: the same refusal, naming the file.
out=$(as_image CXONE_MOCK_ADMIN_TOKEN_FILE="$token_file" "${cmd[@]}" 2>&1); code=$?
[ "$code" = 2 ] && grep -q "CXONE_MOCK_ADMIN_TOKEN_FILE: $token_file: " <<<"$out" || fail "without the secret: exit $code: $out"

# The secret mounted: the mock serves, the health check passes with the token it reads.
(exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$P/usr/bin:/usr/bin:/bin" \
   CXONE_MOCK_ADMIN_TOKEN_FILE="$secret" "${cmd[@]}") >"$P/mock.out" 2>"$P/mock.err" &
mock=$!
trap 'kill $mock 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$P/mock.out" && break; sleep 0.05; done
grep -q '^listening on http://0.0.0.0:8089' "$P/mock.out" || fail "the mock did not start: $(cat "$P/mock.err")"
out=$(as_image CXONE_MOCK_ADMIN_TOKEN_FILE="$secret" "${check[@]}" 2>&1) || fail "the health check failed: $out"
grep -q '^cxone-mock health: ok: http://127.0.0.1:8089 ([0-9]* interactions' <<<"$out" || fail "health said: $out"
# Without the token the health check is refused (the admin API wants it from everyone).
out=$(as_image "${check[@]}" 2>&1); code=$?
[ "$code" = 1 ] && grep -q '401: the admin API needs the admin token' <<<"$out" || fail "health without the token: exit $code: $out"
# From outside the container: the admin API only with the token; the mocked API for anyone.
out=$(as_image "${check[0]}" health --url http://10.77.0.2:8089 2>&1); code=$?
[ "$code" = 1 ] && grep -q '401' <<<"$out" || fail "an outside client without the token: exit $code: $out"
out=$(as_image CXONE_MOCK_ADMIN_TOKEN_FILE="$secret" "${check[0]}" health --url http://10.77.0.2:8089 2>&1) ||
  fail "an outside client with the token: $out"
report=$(as_image handover-diag diagnose --env-file /dev/null --base-url http://10.77.0.2:8089 --client-id 0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90 \
  --client-secret s --conversation 3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47 --queue 7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13 \
  --wrapup 9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e --format json) || fail "diagnose: $report"
grep -q '"classification": *"OK"' <<<"$report" || fail "diagnose from outside: $report"
kill -TERM $mock && wait $mock || fail "the mock did not stop cleanly on SIGTERM (exit $?): $(cat "$P/mock.err")"
grep -q "$(cat "$secret")" "$P/mock.out" "$P/mock.err" && fail "the token was printed"
echo "container test: CMD refuses 0.0.0.0 without a token, serves with the secret; HEALTHCHECK passes with it"
INSIDE
unshare --net bash "$P/inside.sh" "$P" "$token_file" "$secret" "${cmd[@]}" -- "${check[@]}"
