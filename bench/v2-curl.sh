#!/usr/bin/env bash
# The five exchanges of a v2 `diagnose --execute` done by a user with curl: the yardstick that
# bench/diagnose-bench.sh and bench/guard.sh time diagnose against.
#   bench/v2-curl.sh BASE_URL PAYLOAD_FILE
set -e
URL="$1" PAYLOAD="$2"
CONV=3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47 QUEUE=7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13
T=$(curl -sf -X POST "$URL/oauth/token" -d grant_type=client_credentials \
     -d client_id=0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90 -d client_secret=s | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
curl -sf -H "Authorization: Bearer $T" "$URL/api/v2/conversations/$CONV?expand=participants,wrapup,queue" >/dev/null
curl -sf -H "Authorization: Bearer $T" "$URL/api/v2/routing/queues/$QUEUE" >/dev/null
curl -sf -H "Authorization: Bearer $T" "$URL/api/v2/routing/queues/$QUEUE/wrapupcodes?pageSize=100&pageNumber=1" >/dev/null
curl -sf -X POST -H "Authorization: Bearer $T" -H 'Content-Type: application/json' \
     --data-binary @"$PAYLOAD" "$URL/api/v2/conversations/voice/$CONV/transfer" >/dev/null
