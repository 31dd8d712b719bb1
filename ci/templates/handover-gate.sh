#!/usr/bin/env bash
# The handover gate for a Cognigy repository's CI: validate the handover payload samples
# (SARIF + JUnit), check the team's contract against the released one (compat), replay the
# scenario library (JUnit + HTML), and check the released Cognigy flows (SARIF + JUnit). Every step runs; the exit code is the worst of them
# (0 pass, 1 a gate failed, 2 a usage or input error), so the pipeline fails on any of them.
#
# Copy this file into your repository (or call it from the harness checkout). Settings, by
# environment (defaults in brackets):
#   HARNESS_DIR        the handover harness checkout [the folder above this script's ci/, when
#                      the script is run from the harness; required when it is copied elsewhere]
#   PAYLOADS           payload samples: files, folders, *.jsonl [handover/payloads]
#   CONTRACT           your overlay contract (schema file), optional [handover/contract.schema.json if present]
#   RELEASED_CONTRACT  the contract of the last release, for compat [the PROFILE's built-in contract]
#   PROFILE            v2, genesys or cxone (which built-in contract payloads are checked against) [v2]
#   SCENARIOS          scenario files or folder to replay, optional [handover/scenarios if present]
#   REPORTS            where the reports go [reports/handover]
#   SHARD              i/N to replay one shard of the scenarios (CI matrices) [all]
#   COGNIGY            the Cognigy project as released: a Cognigy-CLI clone (agent folder) or a
#                      package .zip, optional [handover/cognigy if present]
#   COGNIGY_CASES      cases its handover nodes are rendered for (handover-diag flows --cases)
#                      [handover/cognigy-cases.json if present]
#   HANDOVER_DIAG      an already built or installed handover-diag [see below]
#   HARNESS_DEB        a released cxone-harness .deb, a path or an http(s) URL: installed in
#                      seconds instead of building the harness for minutes [none]
#   HARNESS_DEB_INSTALL  how HARNESS_DEB is installed: apt (apt-get install, which also installs
#                      the libraries it depends on: a root CI container) or unpack (dpkg-deb -x
#                      into HARNESS_DEB_DIR, no root; the runner must have its libraries)
#                      [apt when run as root where apt-get is, else unpack]
#   HARNESS_DEB_DIR    where unpack puts it [.handover-harness-deb]
# handover-diag is, in this order: HANDOVER_DIAG; the one HARNESS_DEB installs; HARNESS_DIR's
# build/bin/handover-diag (built if missing); handover-diag on PATH.
#
# Each command runs once: the text report goes to the log, the others to files
# (validate --sarif --junit, compat --json, replay --junit --html).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
payloads_given="${PAYLOADS:-}"
PAYLOADS="${PAYLOADS:-handover/payloads}"
CONTRACT="${CONTRACT:-}"
[[ -z "$CONTRACT" && -f handover/contract.schema.json ]] && CONTRACT=handover/contract.schema.json
PROFILE="${PROFILE:-v2}"
SCENARIOS="${SCENARIOS:-}"
[[ -z "$SCENARIOS" && -d handover/scenarios ]] && SCENARIOS=handover/scenarios
REPORTS="${REPORTS:-reports/handover}"
SHARD="${SHARD:-}"
COGNIGY="${COGNIGY:-}"
[[ -z "$COGNIGY" && -e handover/cognigy ]] && COGNIGY=handover/cognigy
COGNIGY_CASES="${COGNIGY_CASES:-}"
[[ -z "$COGNIGY_CASES" && -f handover/cognigy-cases.json ]] && COGNIGY_CASES=handover/cognigy-cases.json

# The harness: HANDOVER_DIAG, else HARNESS_DIR's build (built if missing), else one on PATH.
if [[ -z "${HARNESS_DIR:-}" && -f "$here/../build.sh" && -d "$here/../../client" ]]; then
  HARNESS_DIR="$(cd "$here/../.." && pwd)"  # run from the harness checkout itself
fi
diag="${HANDOVER_DIAG:-}"
if [[ -z "$diag" && -n "${HARNESS_DEB:-}" ]]; then
  deb="$HARNESS_DEB"
  if [[ "$deb" =~ ^https?:// ]]; then
    fetched="$(mktemp -d)"
    trap 'rm -rf "$fetched"' EXIT
    deb="$fetched/$(basename "${deb%%\?*}")"
    [[ "$deb" == *.deb ]] || deb="$fetched/cxone-harness.deb"
    curl -fsSL --retry 3 -o "$deb" "$HARNESS_DEB" ||
      { echo "handover-gate: HARNESS_DEB=$HARNESS_DEB could not be downloaded (curl exit $?)" >&2; exit 2; }
  fi
  [[ -f "$deb" ]] || { echo "handover-gate: HARNESS_DEB=$HARNESS_DEB: no such file" >&2; exit 2; }
  deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
  how="${HARNESS_DEB_INSTALL:-}"
  if [[ -z "$how" ]]; then
    how=unpack
    [[ "$(id -u)" = 0 ]] && command -v apt-get >/dev/null && how=apt
  fi
  case "$how" in
    apt)
      echo "handover-gate: installing $(basename "$deb") with apt-get"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"; } \
        >/dev/null || { echo "handover-gate: apt-get could not install $deb" >&2; exit 2; }
      diag=/usr/bin/handover-diag ;;
    unpack)
      dir="${HARNESS_DEB_DIR:-.handover-harness-deb}"
      echo "handover-gate: unpacking $(basename "$deb") into $dir"
      rm -rf "$dir" && mkdir -p "$dir" && dpkg-deb -x "$deb" "$dir" ||
        { echo "handover-gate: dpkg-deb could not unpack $deb" >&2; exit 2; }
      diag="$(cd "$dir" && pwd)/usr/bin/handover-diag" ;;
    *) echo "handover-gate: HARNESS_DEB_INSTALL=$how: expected apt or unpack" >&2; exit 2 ;;
  esac
  "$diag" --version >/dev/null || { echo "handover-gate: the installed $diag does not run (missing libraries? use HARNESS_DEB_INSTALL=apt)" >&2; exit 2; }
fi
if [[ -z "$diag" && -n "${HARNESS_DIR:-}" ]]; then
  if [[ ! -f "$HARNESS_DIR/ci/build.sh" ]]; then
    echo "handover-gate: HARNESS_DIR=$HARNESS_DIR is not a handover harness checkout (no ci/build.sh there)" >&2
    exit 2
  fi
  diag="$HARNESS_DIR/build/bin/handover-diag"
  if [[ ! -x "$diag" ]]; then
    echo "handover-gate: building the harness in $HARNESS_DIR/build (installs its Debian packages)"
    bash "$HARNESS_DIR/ci/build.sh" "$HARNESS_DIR/build" >/dev/null || { echo "handover-gate: build failed" >&2; exit 2; }
  fi
fi
[[ -z "$diag" ]] && diag="$(command -v handover-diag || true)"
if [[ -z "$diag" || ! -x "$diag" ]]; then
  echo "handover-gate: the harness is not found: set HARNESS_DIR to a checkout of it, or HANDOVER_DIAG to a built handover-diag${HANDOVER_DIAG:+ (HANDOVER_DIAG=$HANDOVER_DIAG is not an executable)}" >&2
  exit 2
fi
RELEASED_CONTRACT="${RELEASED_CONTRACT:-$("$diag" contracts profile "$PROFILE")}" || exit 2
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

# 1. Payload samples against the profile's contract and, if given, the team's overlay (a problem
#    both report is reported once).
#    A repository that releases flows and keeps no samples skips this step (the flows are checked).
contracts=(--profile "$PROFILE")
[[ -n "$CONTRACT" ]] && contracts+=(--contract "$RELEASED_CONTRACT" --contract "$CONTRACT")
if [[ -z "$payloads_given" && ! -e "$PAYLOADS" && -n "$COGNIGY" ]]; then
  echo "handover-gate: validate skipped (no $PAYLOADS; the Cognigy flows are checked instead)"
else
  "$diag" validate "$PAYLOADS" "${contracts[@]}" --sarif "$REPORTS/validate.sarif" --junit "$REPORTS/validate.junit.xml"
  record "validate" "$?"
fi

# 2. The overlay against the released contract: a breaking change fails the gate.
if [[ -n "$CONTRACT" ]]; then
  "$diag" compat "$RELEASED_CONTRACT" "$CONTRACT" --kind schema --json "$REPORTS/compat.json"
  record "compat" "$?"
fi

# 3. The scenario library, each scenario on its own embedded mock.
if [[ -n "$SCENARIOS" ]]; then
  shard=()
  [[ -n "$SHARD" ]] && shard=(--shard "$SHARD")
  "$diag" replay "$SCENARIOS" "${shard[@]}" --junit "$REPORTS/replay.junit.xml" --html "$REPORTS/replay.html"
  record "replay" "$?"
fi

# 4. The Cognigy project as released: its handover nodes checked, and rendered for the cases.
if [[ -n "$COGNIGY" ]]; then
  cases=()
  [[ -n "$COGNIGY_CASES" ]] && cases=(--cases "$COGNIGY_CASES")
  "$diag" flows "$COGNIGY" "${cases[@]}" --sarif "$REPORTS/flows.sarif" --junit "$REPORTS/flows.junit.xml"
  record "flows" "$?"
fi

echo "handover-gate: reports in $REPORTS"
exit "$worst"
