#!/usr/bin/env bash
# The journal as the requests pile up: cxone-mock serving the handover scenario with the journal
# on (the default ring, 10,000 entries / 32 MB, each entry with the request's headers, query and
# body), wrk driving the handover's requests (bench/soak.lua) in chunks until TOTAL requests; after
# each chunk one line: requests so far, the chunk's req/s, RSS, and what a journal search costs
# then (GET /__admin/requests?limit=100&method=POST and POST /__admin/requests/count with a
# pattern, each the median of 5 curl calls) and the entries the ring keeps. Cost must not grow with the requests served: the
# ring keeps the newest entries, a search reads at most the ring.
#   bench/journal-bench.sh [TOTAL]     default 1000000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOTAL="${1:-1000000}"
MOCK="${MOCK:-$ROOT/build/bin/cxone-mock}"
command -v wrk >/dev/null || bash "$ROOT/ci/bootstrap.sh" bench
[[ -x "$MOCK" ]] || { echo "journal-bench: no $MOCK (run ci/build.sh)" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$MOCK" serve --fixtures "$ROOT/fixtures/transfer-202-happy-path.json" --port 0 > "$WORK/out" 2> "$WORK/err" &
PID=$!
for _ in $(seq 200); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(sed -n 's/^listening on //p' "$WORK/out")"
[[ -n "$URL" ]] || { echo "journal-bench: the mock did not start: $(cat "$WORK/err")" >&2; exit 1; }
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status"; }
median_ms() {  # median_ms CURL-ARGS...: the median of 5 calls' total time, in ms
  for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done |
    sort -n | sed -n 3p | awk '{printf "%.2f", $1 * 1000}'
}
printf '%10s %9s %8s %12s %12s %9s\n' requests 'req/s' 'RSS MB' 'search ms' 'count ms' 'kept'
printf '%10s %9s %8s %12s %12s %9s\n' 0 - "$(rss)" - - 0
total=0
for secs in 1 1 2 2 4 4 8 8 8 8 8 8 8 8 8 8 8 8; do
  (( total >= TOTAL )) && break
  out="$(wrk -t2 -c32 -d"${secs}s" -s "$ROOT/bench/soak.lua" "$URL")"
  n="$(sed -n 's/^SOAK requests=\([0-9]*\).*/\1/p' <<<"$out")"
  total=$(( total + n ))
  search="$(median_ms "$URL/__admin/requests?limit=100&method=POST")"
  count="$(median_ms -X POST -H 'Content-Type: application/json' \
           -d '{"method": "POST", "path": "/oauth/token"}' "$URL/__admin/requests/count")"
  kept="$(curl -s -X POST -H 'Content-Type: application/json' -d '{"pathPattern": "^/"}' "$URL/__admin/requests/count" |
          sed -n 's/.*"count": *\([0-9]*\).*/\1/p')"
  printf '%10s %9s %8s %12s %12s %9s\n' "$total" "$(( n / secs ))" "$(rss)" "$search" "$count" "$kept"
done
