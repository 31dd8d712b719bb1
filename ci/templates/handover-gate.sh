#!/usr/bin/env bash
# The handover gate for a Cognigy repository's CI: validate the handover payload samples
# (SARIF + JUnit), check the team's contract against the released one (compat), and replay the
# scenario library (JUnit + HTML). Every step runs; the exit code is the worst of them
# (0 pass, 1 a gate failed, 2 a usage or input error), so the pipeline fails on any of them.
#
# Copy this file into your repository (or call it from the harness checkout). Settings, by
# environment (defaults in brackets):
#   HARNESS_DIR        the handover harness checkout [the folder above this script's ci/]
#   PAYLOADS           payload samples: files, folders, *.jsonl [handover/payloads]
#   CONTRACT           your overlay contract (schema file), optional [handover/contract.schema.json if present]
#   RELEASED_CONTRACT  the contract of the last release, for compat [the built-in "transfer"]
#   PROFILE            v2 or cxone (which built-in contract payloads are checked against) [v2]
#   SCENARIOS          scenario files or folder to replay, optional [handover/scenarios if present]
#   REPORTS            where the reports go [reports/handover]
#   SHARD              i/N to replay one shard of the scenarios (CI matrices) [all]
#   HANDOVER_DIAG      an already built handover-diag [HARNESS_DIR/build/bin/handover-diag, built if missing]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HARNESS_DIR="${HARNESS_DIR:-$(cd "$here/../.." && pwd)}"
PAYLOADS="${PAYLOADS:-handover/payloads}"
CONTRACT="${CONTRACT:-}"
[[ -z "$CONTRACT" && -f handover/contract.schema.json ]] && CONTRACT=handover/contract.schema.json
RELEASED_CONTRACT="${RELEASED_CONTRACT:-transfer}"
PROFILE="${PROFILE:-v2}"
SCENARIOS="${SCENARIOS:-}"
[[ -z "$SCENARIOS" && -d handover/scenarios ]] && SCENARIOS=handover/scenarios
REPORTS="${REPORTS:-reports/handover}"
SHARD="${SHARD:-}"

diag="${HANDOVER_DIAG:-$HARNESS_DIR/build/bin/handover-diag}"  # HANDOVER_DIAG: an already built binary
if [[ ! -x "$diag" ]]; then
  echo "handover-gate: building the harness in $HARNESS_DIR/build (installs its Debian packages)"
  bash "$HARNESS_DIR/ci/build.sh" "$HARNESS_DIR/build" >/dev/null || { echo "handover-gate: build failed" >&2; exit 2; }
fi
mkdir -p "$REPORTS"
worst=0
record() {  # record STEP EXIT: say what happened and keep the worst exit code
  local step="$1" code="$2"
  case "$code" in
    0) echo "handover-gate: $step passed" ;;
    1) echo "handover-gate: $step FAILED (see $REPORTS)" ;;
    *) echo "handover-gate: $step could not run (exit $code)" ;;
  esac
  (( code > worst )) && worst=$code
  return 0
}

# 1. Payload samples against the profile's contract and, if given, the team's overlay.
contracts=(--profile "$PROFILE")
[[ -n "$CONTRACT" ]] && contracts+=(--contract "$RELEASED_CONTRACT" --contract "$CONTRACT")
"$diag" validate "$PAYLOADS" "${contracts[@]}" --format sarif > "$REPORTS/validate.sarif"
code=$?
"$diag" validate "$PAYLOADS" "${contracts[@]}" --format junit > "$REPORTS/validate.junit.xml"
"$diag" validate "$PAYLOADS" "${contracts[@]}"
record "validate" "$code"

# 2. The overlay against the released contract: a breaking change fails the gate.
if [[ -n "$CONTRACT" ]]; then
  "$diag" compat "$RELEASED_CONTRACT" "$CONTRACT" --kind schema --format json > "$REPORTS/compat.json"
  code=$?
  "$diag" compat "$RELEASED_CONTRACT" "$CONTRACT" --kind schema
  record "compat" "$code"
fi

# 3. The scenario library, each scenario on its own embedded mock.
if [[ -n "$SCENARIOS" ]]; then
  shard=()
  [[ -n "$SHARD" ]] && shard=(--shard "$SHARD")
  "$diag" replay "$SCENARIOS" "${shard[@]}" --format junit --output "$REPORTS/replay.junit.xml"
  code=$?
  "$diag" replay "$SCENARIOS" "${shard[@]}" --format html --output "$REPORTS/replay.html"
  "$diag" replay "$SCENARIOS" "${shard[@]}"
  record "replay" "$code"
fi

echo "handover-gate: reports in $REPORTS"
exit "$worst"
