#!/usr/bin/env bash
# cxone-mock beside its peers, one run set: the peer harness (../shared/peer-bench: startup,
# route check, wrk -t2 -c32 -d10s on GET conversation, RSS) for ours, Pact and WireMock, then
# our launch -> first 200 and our RSS after 1 million requests with the journal on. Prints the
# harness table and ratios.
#   bench/mock-bench.sh                 PEERS="cmd pact wiremock" RUNS=2 by default
#   ONLY=template bench/mock-bench.sh   only the templated-vs-static ratio (the last part)
# Needs the harness (PEER_BENCH, default ../shared/peer-bench beside the repo) and its peers
# (it runs install-peers.sh when /tmp/peers is missing: npm, java, wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER_BENCH="${PEER_BENCH:-$ROOT/../shared/peer-bench}"
OUT="${RESULTS_DIR:-/tmp/harness-mock-bench}"
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
MOCK="$ROOT/build/bin/cxone-mock"
mkdir -p "$OUT"

# A templated answer against the same answer written out, one mock each, wrk alternating (best of
# 3 rounds each): the cost of rendering (goal: at most 20 % slower).
template_ratio() {
  local body='"id": "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47", "state": "connected", "queue": "7d6e0c1a", "at": "2026-12-02T10:00:00Z", "requestId": "r-1", "n": "1"'
  local tbody='"id": "{{request.path.conversationId}}", "state": "connected", "queue": "{{request.query.queue}}", "at": "{{now}}", "requestId": "{{request.header.X-Request-Id}}", "n": "{{counter}}"'
  for kind in static templated; do
    local b="$body" t=false
    [[ $kind == templated ]] && { b="$tbody"; t=true; }
    cat > "$OUT/$kind.json" <<JSON
{"fixtureVersion": 1, "name": "$kind", "interactions": [{"id": "c", "request": {"method": "GET", "path": "/api/v2/conversations/{conversationId}"},
 "response": {"status": 200, "template": $t, "json": {$b}}}]}
JSON
  done
  sed -i 's/"template": false, //' "$OUT/static.json"
  local pids=() urls=()
  for kind in static templated; do
    "$MOCK" serve --port 0 --threads 1 --fixtures "$OUT/$kind.json" > "$OUT/$kind.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do grep -q '^listening on ' "$OUT/$kind.log" && break; sleep 0.05; done
    urls+=("$(sed -n 's/^listening on //p' "$OUT/$kind.log")")
  done
  local best_s=0 best_t=0 r
  for _ in 1 2 3; do
    for i in 0 1; do
      r="$(wrk -t1 -c16 -d3s -H 'X-Request-Id: r-1' "${urls[$i]}/api/v2/conversations/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47?queue=7d6e0c1a" |
           awk '/Requests\/sec/ {printf "%d", $2}')"
      if [[ $i == 0 ]]; then (( r > best_s )) && best_s=$r; else (( r > best_t )) && best_t=$r; fi
    done
  done
  kill "${pids[@]}" 2>/dev/null || true
  awk -v s="$best_s" -v t="$best_t" 'BEGIN { printf "templated vs static answer (one loop each, wrk -t1 -c16, best of 3): %d vs %d req/s, a cost of %+.0f %% (goal: at most +20 %%)\n", t, s, (1 - t / s) * 100 }'
}
if [[ "${ONLY:-}" == template ]]; then template_ratio; exit 0; fi

[[ -x "$PEER_BENCH/bench-all.sh" ]] || { echo "mock-bench: no peer harness at $PEER_BENCH (set PEER_BENCH)" >&2; exit 2; }
[[ -d "${PEERS_DIR:-/tmp/peers}/pact" ]] || bash "$PEER_BENCH/install-peers.sh" >/dev/null

export PEER_CMD="$MOCK serve --port {PORT} --fixtures {FIXTURES}/v1/peer-bench.json"
PEERS="${PEERS:-cmd pact wiremock}" RUNS="${RUNS:-2}" RESULTS_DIR="$OUT" bash "$PEER_BENCH/bench-all.sh" | tee "$OUT/table.txt"
summary="$(ls -td "$OUT"/*/ | head -1)summary.tsv"
# Ratios against each peer, from the best run of each (column 5: rps, 7: p99, 3: startup).
awk -F'\t' 'NR > 1 && $5 != "-" { if ($5 > rps[$2]) { rps[$2] = $5; p99[$2] = $7; up[$2] = $3; rss[$2] = $11 } }
  END {
    for (p in rps) printf "%-10s %9.0f req/s  p99 %6.2f ms  startup %6s ms  rss %5s MB\n", (p == "cmd" ? "cxone-mock" : p), rps[p], p99[p], up[p], rss[p]
    for (p in rps) if (p != "cmd") printf "cxone-mock / %s: %.1fx req/s\n", p, rps["cmd"] / rps[p]
  }' "$summary"

# Start-up: launch -> first 200, measured by a posix_spawn + raw socket driver (no curl per poll).
"$ROOT/build/bin/mock_startup" "$MOCK" "$PEER_BENCH/fixtures/v1/peer-bench.json" 30

# RSS after one million requests, journal on (the default ring of 10,000 entries).
PORT=18790
"$MOCK" serve --port "$PORT" --fixtures "$PEER_BENCH/fixtures/v1/peer-bench.json" > "$OUT/rss-mock.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/__admin/health" >/dev/null && break; sleep 0.05; done
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status"; }
before="$(rss)"
total=0
while (( total < 1000000 )); do
  n="$(wrk -t2 -c32 -d5s "http://127.0.0.1:$PORT/api/v2/conversations/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47" |
       awk '/requests in/ {print $1}')"
  total=$((total + n))
done
echo "cxone-mock RSS: ${before} MB at start, $(rss) MB after ${total} requests (journal ring 10,000)"
template_ratio
