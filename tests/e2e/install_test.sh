#!/usr/bin/env bash
# cmake --install into a fresh prefix, then the installed programs work on their own: from /,
# with no RPATH into the build tree, the modules found in the installed modules folder
# (HTTPS served by an installed cxone-mock and called by an installed handover-diag), the examples
# replayed, the man pages and completions in place.
#   tests/e2e/install_test.sh BUILD_DIR
set -euo pipefail
BUILD="$(cd "$1" && pwd)"
ZIP="$(cd "$(dirname "$0")/../data/cognigy" && pwd)/billing-bot.package.zip"
YAML="$(cd "$(dirname "$0")/../data/openapi" && pwd)/queues.yaml"
P="$(mktemp -d)"
MOCK=""
trap '[ -n "$MOCK" ] && kill "$MOCK" 2>/dev/null; rm -rf "$P"' EXIT
fail() { echo "install: $*" >&2; exit 1; }

# --strip, as a package installs them: a build with debug information names its build folder there.
cmake --install "$BUILD" --prefix "$P/usr" --strip >/dev/null
cd /
for f in bin/handover-diag bin/cxone-mock bin/cxone-mock-record share/man/man1/handover-diag.1 \
         share/man/man1/cxone-mock.1 share/bash-completion/completions/handover-diag \
         share/bash-completion/completions/cxone-mock share/cxone-harness/examples/transfer-202-happy-path.json; do
  [ -e "$P/usr/$f" ] || fail "$f was not installed"
done
modules=$(find "$P/usr/lib" -name '*.so' | sort | xargs -n1 basename | tr '\n' ' ')
[ "$modules" = "cxone-mock-tls.so handover-diag-curl.so handover-diag-zip.so harness-yaml.so " ] || fail "modules installed: $modules"
# No RPATH into the build tree; the modules are looked for beside the binary, then in the
# installed modules folder, never by a path the build wrote in (util::module_candidates).
for b in handover-diag cxone-mock cxone-mock-record; do
  ! readelf -d "$P/usr/bin/$b" | grep -q -E 'R(UN)?PATH' || fail "$b carries an RPATH"
done
# What the modules hold stays off every start: no program links libzip, libcurl, OpenSSL or
# yaml-cpp itself (each is loaded by its module on first use).
for b in handover-diag cxone-mock cxone-mock-record; do
  needed=$(readelf -d "$P/usr/bin/$b" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  [[ "$needed" == *libstdc++* ]] || fail "$b: no NEEDED entries read ($needed)"
  ! grep -q -E 'libzip|libcurl|libssl|libcrypto|libyaml-cpp' <<<"$needed" || fail "$b links a module's library: $needed"
done
"$P/usr/bin/handover-diag" --version | head -1 | grep -q '^handover-diag [0-9]' || fail "--version"
# A package zip through the installed zip module.
flows=$("$P/usr/bin/handover-diag" flows "$ZIP" 2>&1) || true
echo "$flows" | grep -q 'handover node' || fail "flows on a package zip from the install: $flows"
# A YAML description through the installed YAML module: a schema of it as the contract.
echo '{"id": "q-1", "memberCount": "12"}' > "$P/queue.json"
yaml=$("$P/usr/bin/handover-diag" validate --contract "$YAML#/components/schemas/Queue" "$P/queue.json" 2>&1) || true
echo "$yaml" | grep -q '/memberCount' || fail "validate against a YAML description from the install: $yaml"

# The installed examples replay as they do from the source tree.
out=$("$P/usr/bin/handover-diag" replay "$P/usr/share/cxone-harness/examples") || fail "replay of the examples: $out"
echo "$out" | tail -1

# HTTPS both ways from the install: the mock's TLS module and the client's curl module.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$P/key.pem" -out "$P/cert.pem" -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
"$P/usr/bin/cxone-mock" serve --port 0 --fixtures "$P/usr/share/cxone-harness/examples/transfer-202-happy-path.json" \
  --tls-cert "$P/cert.pem" --tls-key "$P/key.pem" > "$P/mock.out" 2> "$P/mock.err" &
MOCK=$!
for _ in $(seq 100); do grep -q '^listening on https://' "$P/mock.out" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$P/mock.out")
[ -n "$URL" ] || fail "the installed mock did not serve HTTPS: $(cat "$P/mock.err")"
report=$("$P/usr/bin/handover-diag" diagnose --env-file /dev/null --base-url "$URL" --cacert "$P/cert.pem" \
  --client-id 0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90 --client-secret s --conversation 3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47 \
  --queue 7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13 --wrapup 9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e --format json) || true
echo "$report" | grep -q '"classification": *"OK"' || fail "diagnose over HTTPS from the install: $report"
! echo "$report" | grep -q 'needs handover-diag-curl.so' || fail "the installed curl module was not found"
echo "install: $P/usr works on its own (modules: $modules)"
