#!/usr/bin/env bash
# Soak: wrk against cxone-mock for N seconds with the journal on (ring + --journal file at
# stop), every request one of the handover's. Fails unless there were 0 errors (socket errors
# and non-2xx answers), RSS stayed flat (end <= start + 10% + 4 MiB, start taken after a warm-up
# long enough to fill the journal ring) and the journal file was written and parses.
#   bench/soak.sh [SECONDS]        default 600 (10 min); CI runs 30
# Needs wrk (ci/bootstrap.sh fuzz installs it) and a build (ci/build.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_TOTAL="${1:-600}"
MOCK="${MOCK:-$ROOT/build/bin/cxone-mock}"
command -v wrk >/dev/null || bash "$ROOT/ci/bootstrap.sh" fuzz
[[ -x "$MOCK" ]] || { echo "soak: no $MOCK (run ci/build.sh)" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$MOCK" serve --fixtures "$ROOT/fixtures/transfer-202-happy-path.json" --port 0 --journal "$WORK/journal.json" \
  > "$WORK/out" 2> "$WORK/err" &
PID=$!
for _ in $(seq 200); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(sed -n 's/^listening on //p' "$WORK/out")"
[[ -n "$URL" ]] || { echo "soak: the mock did not start: $(cat "$WORK/err")" >&2; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }

# Warm-up: past the journal ring (10,000 entries) and the allocators' first growth.
WARM=$(( SECONDS_TOTAL / 10 > 3 ? SECONDS_TOTAL / 10 : 3 ))
wrk -t2 -c32 -d"${WARM}s" -s "$ROOT/bench/soak.lua" "$URL" > "$WORK/warm.txt"
start_rss="$(rss)"
wrk -t2 -c32 -d"${SECONDS_TOTAL}s" --timeout 5s -s "$ROOT/bench/soak.lua" "$URL" > "$WORK/wrk.txt"
end_rss="$(rss)"
kill -TERM "$PID"
wait "$PID" || { echo "soak: the mock exited $? at SIGTERM: $(cat "$WORK/err")" >&2; exit 1; }

read -r requests errors non2xx p99 < <(sed -n 's/^SOAK requests=\([0-9]*\) socket_errors=\([0-9]*\) non2xx=\([0-9]*\) p99_ms=\(.*\)$/\1 \2 \3 \4/p' "$WORK/wrk.txt")
rps="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")"
journal_ok=no  # written whole at stop (temp file + rename): an object from its first byte to its last
[[ -s "$WORK/journal.json" && "$(head -c 1 "$WORK/journal.json")" == "{" && "$(tr -d ' \n' < "$WORK/journal.json" | tail -c 1)" == "}" ]] &&
  journal_ok=yes
limit=$(( start_rss + start_rss / 10 + 4096 ))
printf 'soak: %ss, %s requests (%s req/s), %s socket errors, %s non-2xx, p99 %s ms, RSS %s KiB -> %s KiB (limit %s), journal %s\n' \
  "$SECONDS_TOTAL" "$requests" "$rps" "$errors" "$non2xx" "$p99" "$start_rss" "$end_rss" "$limit" "$journal_ok"
[[ "$errors" == 0 && "$non2xx" == 0 ]] || { echo "soak: FAILED: errors" >&2; exit 1; }
(( end_rss <= limit )) || { echo "soak: FAILED: RSS grew" >&2; exit 1; }
[[ "$journal_ok" == yes ]] || { echo "soak: FAILED: no journal written" >&2; exit 1; }
echo "soak: OK"
