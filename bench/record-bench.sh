#!/usr/bin/env bash
# The recorder's cost per exchange as the recording grows: cxone-mock serve plays the tenant,
# cxone-mock record (mode all) sits in front, a keep-alive client sends N requests, each to a new
# queue ID (every exchange a new interaction), and the time per exchange is printed for each N.
# Linear means the figure stays flat as N grows.
#   bench/record-bench.sh [N...]        (default 500 2000 8000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
BIN="${RECORD_BENCH_BIN:-$ROOT/build/bin}"
WORK="$(mktemp -d)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cat > "$WORK/tenant.json" <<'JSON'
{"fixtureVersion": 1, "name": "tenant", "interactions": [
  {"id": "queue", "request": {"method": "GET", "path": "/api/v2/routing/queues/{id}"},
   "response": {"status": 200, "json": {"id": "q-1", "name": "Billing Support", "state": "active"}}}]}
JSON
start() {  # start LOG CMD...: sets URL to what it listens on (not in a subshell: PIDS must keep the pid)
  local log="$1"; shift
  "$@" > "$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 300); do
    URL="$(grep -o 'http://[^ ]*' "$log" | head -1 || true)"
    [[ -n "$URL" ]] && return
    sleep 0.02
  done
  echo "record-bench: $* did not start" >&2; exit 3
}
start "$WORK/tenant.log" "$BIN/cxone-mock" serve --port 0 --fixtures "$WORK/tenant.json"
TENANT="$URL"
for n in "${@:-500 2000 8000}"; do
  for count in $n; do
    rm -f "$WORK/rec.json"
    start "$WORK/rec-$count.log" "$BIN/cxone-mock" record --port 0 --mode all --target "$TENANT" --out "$WORK/rec.json"
    PROXY="$URL"
    python3 - "$PROXY" "$count" <<'PY'
import http.client, sys, time, urllib.parse
url, n = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection(url.hostname, url.port)
t0 = time.perf_counter()
for i in range(n):
    c.request("GET", f"/api/v2/routing/queues/q-{i:06d}")
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
dt = time.perf_counter() - t0
print(f"N={n}: {dt:.2f} s, {dt / n * 1000:.3f} ms per exchange")
PY
    last="${PIDS[${#PIDS[@]}-1]}"
    kill "$last"; wait "$last" 2>/dev/null || true
  done
done
