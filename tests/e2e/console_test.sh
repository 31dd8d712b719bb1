#!/usr/bin/env bash
# The web console (/__admin/ui) in headless Chromium: a mock serving two scenarios gets a matched
# and an unmatched request, then tests/peers/console-check.js uses the page by keyboard and writes
# a screenshot. playwright-core comes from npm into a cache on first use (exit 77, shown as
# skipped, when npm cannot install it).
#   tests/e2e/console_test.sh CHROMIUM MOCK FIXTURES OUT.png
set -euo pipefail
chromium="$1" mock="$2" fixtures="$3" png="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${HARNESS_CONSOLE_NPM:-/tmp/harness-console}"
if [ ! -d "$CACHE/node_modules/playwright-core" ]; then
  mkdir -p "$CACHE"
  (cd "$CACHE" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null 2>&1) ||
    { echo "console test: npm could not install playwright-core; skipped" >&2; exit 77; }
fi
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$mock" serve --port 0 --fixtures "$fixtures/queue-429-retry-after-then-ok.json" "$fixtures/transfer-202-happy-path.json" \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/out" && break; sleep 0.05; done
url=$(sed -n 's/^listening on //p' "$work/out")
[ -n "$url" ] || { echo "console test: the mock did not start: $(cat "$work/err")" >&2; exit 1; }
token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJjbGllbnRfaWQiOiIwYTdjM2U1NSIsIm9yZyI6ImFjbWUifQ.bW9jay1zaWduYXR1cmU
curl -sS -o /dev/null -H "Authorization: Bearer $token" \
  "$url/__scenario/queue-429-retry-after-then-ok/api/v2/routing/queues/7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13" || true
curl -sS -o /dev/null "$url/__scenario/queue-429-retry-after-then-ok/api/v2/routing/queuez/1" || true
rm -f "$png"
CHROMIUM="$chromium" NODE_PATH="$CACHE/node_modules" node "$here/../peers/console-check.js" "$url" "$png"
[[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || { echo "console test: no PNG" >&2; exit 1; }
