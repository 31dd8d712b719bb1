#!/usr/bin/env bash
# The mock with N interactions beside WireMock with the same N stubs, one run, same machine:
# start-up (launch to the first 200), req/s and p99 for a request matching the LAST plain
# interaction (header matcher), and req/s for an unmatched request (ours answers a 404 naming the
# three nearest interactions, WireMock its near-miss 404). Interactions from
# bench/make-big-fixture.py (every fifth a path template, every seventh an anchored regex);
# WireMock gets the same as urlPath + header, urlPathTemplate and urlPathPattern stubs.
#   bench/scale-bench.sh [N...]          (default 10 100 1000 10000 50000; WIRE=0 skips WireMock)
# Needs wrk and, for WireMock, java and its standalone JAR (PEERS_DIR/wiremock, see
# ../shared/peer-bench/install-peers.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
MOCK="$ROOT/build/bin/cxone-mock"
JAR="$(ls "${PEERS_DIR:-/tmp/peers}"/wiremock/node_modules/wiremock/build/wiremock-standalone-*.jar 2>/dev/null | head -1 || true)"
WIRE="${WIRE:-1}"
[[ -n "$JAR" ]] || WIRE=0
DUR="${DUR:-5s}"
WORK="$(mktemp -d)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_200 URL HEADER: ms from now until URL answers 200 (polling every 10 ms), up to 300 s
wait_200() {
  python3 - "$1" "$2" <<'PY'
import sys, time, urllib.request
url, header = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
while time.perf_counter() - t0 < 300:
    try:
        req = urllib.request.Request(url, headers=dict([header.split(": ", 1)]))
        if urllib.request.urlopen(req, timeout=5).status == 200:
            print(f"{(time.perf_counter() - t0) * 1000:.0f}"); sys.exit(0)
    except Exception:
        time.sleep(0.01)
print("timeout"); sys.exit(1)
PY
}
load() {  # load URL HEADER CONN: "req/s p99"
  wrk -t2 -c"$3" -d"$DUR" --latency -H "$2" "$1" 2>/dev/null |
    awk '/^Requests\/sec/ {r=$2} /^ +99%/ {p=$2} END {printf "%.0f %s", r, p}'
}
measure() {  # measure NAME PORT: one table row's half
  local base="http://127.0.0.1:$2" path="$3" header="$4"
  local start; start="$(wait_200 "$base$path" "$header")"
  # a short warm-up (the JVM's JIT), then the two loads
  wrk -t2 -c16 -d2s -H "$header" "$base$path" >/dev/null 2>&1 || true
  local hit miss
  hit="$(load "$base$path" "$header" 32)"
  miss="$(load "$base/nope/$RANDOM" "X-Case: none" 4)"
  echo "$start ${hit% *} ${hit#* } ${miss% *}"
}

printf "%-7s | %-34s | %-34s\n" "N" "cxone-mock: start ms, req/s, p99, miss req/s" "WireMock: start ms, req/s, p99, miss req/s"
for n in ${@:-10 100 1000 10000 50000}; do
  python3 "$ROOT/bench/make-big-fixture.py" "$n" "$WORK/big.json"
  # the last plain interaction (GET /r/i with its header)
  last=$(python3 -c "n=$n; print(max(i for i in range(n) if i % 5 != 1 and i % 7 != 2))")
  path="/r/$last" header="X-Case: $last"
  port="$(free_port)"
  "$MOCK" serve --port "$port" --fixtures "$WORK/big.json" > "$WORK/ours.log" 2>&1 &
  PIDS+=($!)
  ours="$(measure ours "$port" "$path" "$header")"
  kill "${PIDS[${#PIDS[@]}-1]}"; wait "${PIDS[${#PIDS[@]}-1]}" 2>/dev/null || true
  wm="-"
  if [[ "$WIRE" == 1 ]]; then
    rm -rf "$WORK/wm"; mkdir -p "$WORK/wm/mappings" "$WORK/wm/__files"
    python3 - "$WORK/big.json" "$WORK/wm/mappings/all.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
out = []
for it in doc["interactions"]:
    r = it["request"]
    req = {"method": r["method"]}
    if "pathPattern" in r: req["urlPathPattern"] = r["pathPattern"].lstrip("^").rstrip("$")
    elif "{" in r["path"]: req["urlPathTemplate"] = r["path"]
    else: req["urlPath"] = r["path"]
    if "headers" in r: req["headers"] = {k: {"equalTo": v} for k, v in r["headers"].items()}
    out.append({"request": req, "response": {"status": 200, "jsonBody": it["response"]["json"]}})
json.dump({"mappings": out}, open(sys.argv[2], "w"))
PY
    port="$(free_port)"
    java -jar "$JAR" --bind-address 127.0.0.1 --port "$port" --root-dir "$WORK/wm" --disable-banner > "$WORK/wm.log" 2>&1 &
    PIDS+=($!)
    wm="$(measure wiremock "$port" "$path" "$header")"
    kill "${PIDS[${#PIDS[@]}-1]}"; wait "${PIDS[${#PIDS[@]}-1]}" 2>/dev/null || true
  fi
  printf "%-7s | %-34s | %-34s\n" "$n" "$ours" "$wm"
done
