#!/usr/bin/env bash
# diagnose against the local mock, every step (--execute), beside the same exchanges done by a
# shell script of curl calls (a user's alternative): hyperfine, 30 runs each, one run set per
# profile. Prints hyperfine's table and the ratios.
#   bench/diagnose-bench.sh            RUNS=30 by default; needs hyperfine and curl (apt-get)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-30}"
command -v hyperfine >/dev/null || { echo "diagnose-bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
DIAG="$ROOT/build/bin/handover-diag"
MOCK="$ROOT/build/bin/cxone-mock"
WORK="$(mktemp -d)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

serve() {  # serve FIXTURE: sets SERVED to the base URL (not in a subshell: PIDS must keep the pid)
  "$MOCK" serve --port 0 --fixtures "$1" > "$WORK/$(basename "$1").log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    SERVED="$(grep -o 'http://[^ ]*' "$WORK/$(basename "$1").log" || true)"
    [[ -n "$SERVED" ]] && return
    sleep 0.02
  done
  echo "diagnose-bench: the mock did not start" >&2; exit 3
}
payload() { python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['inputs']['payload']))" "$1"; }

# ---- profile v2: token, conversation, queue, wrap-up codes, transfer (5 exchanges) ----
V2="$ROOT/fixtures/transfer-202-happy-path.json"
serve "$V2"
URL="$SERVED"
payload "$V2" > "$WORK/v2.json"
CONV=3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47
DIAG_V2="$DIAG diagnose --env-file /dev/null --base-url $URL --client-id 0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90 --client-secret s --conversation $CONV --payload $WORK/v2.json --execute"
$DIAG_V2 > /dev/null
bash "$ROOT/bench/v2-curl.sh" "$URL" "$WORK/v2.json"
hyperfine -N -w 3 -r "$RUNS" --export-json "$WORK/v2.json.out" \
  -n "handover-diag diagnose (v2, 7 steps, 5 exchanges)" "$DIAG_V2" \
  -n "5 curl calls in a shell script" "bash $ROOT/bench/v2-curl.sh $URL $WORK/v2.json"

# ---- profile cxone: discovery, token, tenant, contacts, skill, dispositions, signal (7) ----
CX="$ROOT/fixtures/cxone-signal-202-happy-path.json"
serve "$CX"
CXURL="$SERVED"
payload "$CX" > "$WORK/cx.json"
API="$CXURL/inContactAPI/services/v30.0"
cat > "$WORK/cx-curl.sh" <<SH
set -e
curl -sf "$CXURL/.well-known/openid-configuration" >/dev/null
T=\$(curl -sf -X POST -u client:secret "$CXURL/auth/token" -d grant_type=password -d username=AKIA4CXONE7HANDOVER01 \
     -d password=x | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
curl -sf "$CXURL/.well-known/cxone-configuration?tenantId=11eb0358-8b12-4c0f-9a5e-4f1d2c3b4a59" >/dev/null
curl -sf -H "Authorization: Bearer \$T" "$API/contacts/active" >/dev/null
curl -sf -H "Authorization: Bearer \$T" "$API/skills/6368531" >/dev/null
curl -sf -H "Authorization: Bearer \$T" "$API/skills/6368531/dispositions?skip=0&top=100" >/dev/null
curl -sf -X POST -H "Authorization: Bearer \$T" -H 'Content-Type: application/json' \
     --data-binary @$WORK/cx-body.json "$API/interactions/704893312/signal?p1=Escalate" >/dev/null
SH
# The Signal body: p2..p9 (p1 travels in the query).
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('p1'); print(json.dumps(d))" "$WORK/cx.json" > "$WORK/cx-body.json"
DIAG_CX="$DIAG diagnose --env-file /dev/null --profile cxone --base-url $CXURL --client-id c --client-secret s --access-key-id AKIA4CXONE7HANDOVER01 --access-key-secret x --conversation 704893312 --payload $WORK/cx.json --execute"
$DIAG_CX > /dev/null
bash "$WORK/cx-curl.sh"
hyperfine -N -w 3 -r "$RUNS" --export-json "$WORK/cx.json.out" \
  -n "handover-diag diagnose (cxone, 7 steps, 7 exchanges)" "$DIAG_CX" \
  -n "7 curl calls in a shell script" "bash $WORK/cx-curl.sh"

python3 - "$WORK/v2.json.out" "$WORK/cx.json.out" <<'PY'
import json, sys
for f in sys.argv[1:]:
    r = json.load(open(f))["results"]
    ours, theirs = r[0], r[1]
    print(f"{ours['command']}: median {ours['median']*1000:.1f} ms; {theirs['command']}: median "
          f"{theirs['median']*1000:.1f} ms; curl script / diagnose = {theirs['median']/ours['median']:.1f}x")
PY
